"""The `govsocial check` contract: inputs, formats, exit codes and bad-input errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govsocial.cli import main

FINE = "Our libraries are open 9am to 5pm, Monday to Friday."
# A generated IRD number with a valid check digit (49-091-850 is the digest's public test vector).
BLOCKING = "Thanks for getting in touch. Your IRD number 49-091-850 is now updated."


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_when_post_is_fine_then_exit_0_and_verdict_ok(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", FINE, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["verdict"] == "ok"
    assert set(doc) >= {"verdict", "findings", "pack", "engine"}
    assert doc["pack"].startswith("nz@")


def test_when_finding_at_or_above_fail_on_then_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", BLOCKING, "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["verdict"] == "block"
    finding = next(f for f in doc["findings"] if f["code"].startswith("PRIV2"))
    assert set(finding) >= {"code", "name", "severity", "message", "fix", "start", "end", "clauses"}
    assert "49-091-850" not in finding["message"]
    assert BLOCKING[finding["start"] : finding["end"]].replace("-", "").isdigit()


def test_when_fail_on_block_then_lower_findings_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "check", "We will utilise the new system.", "--fail-on", "block")
    assert code == 0


def test_when_fail_on_warn_then_a_warning_fails(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "check", "We will utilise the new system.", "--fail-on", "warn")
    assert code == 1


def test_human_format_shows_verdict_fix_and_clauses(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", BLOCKING)
    assert code == 1
    assert out.startswith("block")
    assert "fix:" in out
    assert "guidance:" in out


def test_json_input_reads_post_document_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = {
        "text": "New playground opening on Saturday!",
        "context": "official",
        "platform": "x",
        "media": [{"kind": "image", "alt": ""}],
        "pack": "uk",
    }
    path = tmp_path / "post.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, _ = run(capsys, "check", "--input", "json", "--file", str(path), "--format", "json")
    result = json.loads(out)
    assert result["pack"].startswith("uk@")
    assert any(f["code"] == "ACC101" for f in result["findings"])
    assert code == 1  # missing alt text is high on official accounts


def test_jsonl_input_writes_one_result_per_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(
        "\n".join(json.dumps({"id": f"p{i}", "text": t}) for i, t in enumerate([FINE, BLOCKING, FINE])) + "\n"
    )
    code, out, _ = run(capsys, "check", "--input", "jsonl", "--file", str(path), "--format", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [d["id"] for d in lines] == ["p0", "p1", "p2"]
    assert [d["verdict"] for d in lines] == ["ok", "block", "ok"]
    assert code == 1


def test_sarif_output_is_sarif_2_1_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", BLOCKING, "--format", "sarif")
    doc = json.loads(out)
    assert doc["version"] == "2.1.0"
    results = doc["runs"][0]["results"]
    assert results
    assert results[0]["level"] == "error"
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 1
    assert region["charLength"] > 0
    assert code == 1


def test_select_and_ignore_filter_codes(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", BLOCKING, "--format", "json", "--ignore", "PRIV")
    assert not any(f["code"].startswith("PRIV") for f in json.loads(out)["findings"])
    _, out, _ = run(capsys, "check", "We will utilise it.", "--format", "json", "--select", "PRIV,SEC")
    assert json.loads(out)["findings"] == []


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["check", "x", "--pack", "nowhere"], None, "unknown pack"),
        (["check", "x", "--context", "work"], None, "unknown context"),
        (["check", "x", "--platform", "myspace"], None, "unknown platform"),
        (["check", "x", "--format", "xml"], None, "unknown format"),
        (["check", "-", "--input", "json"], b"{not json", "malformed JSON"),
        (["check", "-", "--input", "json"], b'{"context": "official"}', "no text"),
        (["check", "-", "--input", "json"], b'{"text": "   "}', "empty"),
        (["check", "-", "--input", "json"], b'{"text": "hi", "context": "home"}', "context must be one of"),
        (["check", "-", "--input", "jsonl"], b'{"text": "fine"}\n{"text": 5}\n', ":2:"),
        (["check", "-"], b"", "empty"),
        (["check", "-"], b"\xff\xfeoops", "UTF-8"),
        (["check", "--file", "/nonexistent/post.txt"], None, "no such file"),
        (["check", "--file", "/"], None, "folder"),
        (["eval", "--task", "nonsense", "--data", "x.jsonl"], None, "unknown task"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(args: list[str], stdin: bytes | None, message: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "govsocial", *args], input=stdin or b"", capture_output=True, timeout=120
    )
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert proc.stdout == b""


def test_jsonl_with_a_bad_line_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(json.dumps({"text": FINE}) + "\n{broken\n")
    code, out, err = run(capsys, "check", "--input", "jsonl", "--file", str(path), "--format", "jsonl")
    assert code == 2
    assert out == ""
    assert ":2:" in err


def test_settings_file_sets_pack_and_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "govsocial.toml").write_text('pack = "uk"\ncontext = "personal"\n')
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "check", FINE, "--format", "json")
    doc = json.loads(out)
    assert doc["pack"].startswith("uk@")
    assert doc["context"] == "personal"


def test_settings_file_with_unknown_key_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.govsocial]\npak = "uk"\n')
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check", FINE)
    assert code == 2
    assert "pak" in err


def test_rules_lists_every_rule_with_severities(capsys: pytest.CaptureFixture[str]) -> None:
    from govsocial.rules.registry import CODES

    code, out, _ = run(capsys, "rules", "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert set(CODES) <= {r["code"] for r in doc["rules"]}


def test_rule_explains_one_rule_with_its_clauses(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rule", "priv201")
    assert code == 0
    assert "## Why is this bad?" in out
    assert "In pack nz" in out


def test_unknown_rule_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "rule", "XYZ999")
    assert code == 2
    assert "unknown rule" in err


def test_packs_lists_the_built_in_packs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "packs", "--format", "json")
    assert code == 0
    assert {p["id"] for p in json.loads(out)} == {"nz", "uk", "nsw"}
