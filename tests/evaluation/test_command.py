"""``govsocial eval`` end to end on generated JSONL (no dataset text in the repository)."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from govsocial.datasets import is_test
from govsocial.errors import UsageError
from govsocial.evaluation import command as command_mod
from govsocial.evaluation import tasks as tasks_mod
from govsocial.evaluation.command import eval_main, evaluate

WORDS_BAD = ["awful", "nasty", "horrid"]
WORDS_OK = ["lovely", "sunny", "library"]


def _write(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _abuse_rows(n: int = 40) -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        bad = i % 2 == 0
        word = (WORDS_BAD if bad else WORDS_OK)[i % 3]
        rows.append(
            {
                "id": f"gen:{i}",
                "text": f"post {i} is {word}",
                "label": "abusive" if bad else "ok",
                "source": "gen_a" if i < n // 2 else "gen_b:part",
            }
        )
    return rows


class FakeClassifier:
    """Says ``abusive`` when a generated bad word is in the text (always right on _abuse_rows)."""

    labels = ("abusive", "ok")

    def predict(self, texts: Sequence[str]) -> list[str]:
        return ["abusive" if any(w in t for w in WORDS_BAD) else "ok" for t in texts]


@pytest.fixture
def fake_classifier(monkeypatch: pytest.MonkeyPatch) -> None:
    import govsocial.classify

    def get_classifier(task: str, tier: str = "fast") -> FakeClassifier:
        if tier == "accurate":
            raise ImportError("the accurate tier needs torch")
        return FakeClassifier()

    monkeypatch.setattr(govsocial.classify, "get_classifier", get_classifier, raising=False)


@pytest.mark.usefixtures("fake_classifier")
def test_when_label_task_runs_then_predictions_have_one_line_per_item_in_order(tmp_path: Path) -> None:
    data = _write(tmp_path / "abuse.jsonl", _abuse_rows())
    out = tmp_path / "pred.jsonl"
    stdout = io.StringIO()
    assert eval_main("abuse", str(data), "json", str(out), stdout=stdout) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 40
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [f"gen:{i}" for i in range(40)]
    assert all(set(r) == {"id", "label"} and r["label"] in ("abusive", "ok") for r in records)
    report = json.loads(stdout.getvalue())
    system = report["systems"][0]
    assert system["name"] == "govsocial fast"
    assert system["overall"]["f1"] == 1.0
    assert system["overall"]["macro_f1"] == 1.0
    assert set(system["by_source"]) == {"gen_a", "gen_b"}
    assert set(system["by_part"]) == {"gen_b:part"}
    assert report["parts"] == {"gen_b:part": 20}
    assert system["items_per_second"] > 0
    assert system["peak_rss_mib"] > 0
    assert "ru_maxrss" in report["memory_method"]


@pytest.mark.usefixtures("fake_classifier")
def test_when_split_is_test_then_only_held_out_rows_are_evaluated(tmp_path: Path) -> None:
    rows = _abuse_rows(200)
    data = _write(tmp_path / "abuse.jsonl", rows)
    report, items, run = evaluate("abuse", data, split="test")
    expected = [r["id"] for r in rows if is_test(r["id"])]
    assert [i.id for i in items] == expected
    assert report.items == len(expected) == len(run.predictions)
    assert 0 < report.items < 200


@pytest.mark.usefixtures("fake_classifier")
def test_when_baseline_on_held_out_rows_then_tfidf_is_trained_on_the_other_rows(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    data = _write(tmp_path / "abuse.jsonl", _abuse_rows(300))
    report, _, _ = evaluate("abuse", data, baseline=True, split="test")
    names = [s.name for s in report.systems]
    assert names[0] == "govsocial fast"
    tfidf = next(s for s in report.systems if s.name == "TF-IDF + LR")
    assert tfidf.error is None
    assert tfidf.note is not None and "trained on" in tfidf.note
    assert tfidf.overall is not None


@pytest.mark.usefixtures("fake_classifier")
def test_when_baseline_on_all_rows_then_tfidf_is_left_out_with_a_reason(tmp_path: Path) -> None:
    data = _write(tmp_path / "abuse.jsonl", _abuse_rows())
    stdout = io.StringIO()
    assert eval_main("abuse", str(data), "human", None, baseline=True, stdout=stdout) == 0
    text = stdout.getvalue()
    assert "TF-IDF + LR: not run:" in text
    # The sub-part of a source gets its own row, under its source.
    lines = text.splitlines()
    gen_b = next(i for i, line in enumerate(lines) if line.startswith("gen_b "))
    part = next(i for i, line in enumerate(lines) if line.startswith("  part "))
    assert part > gen_b
    assert lines[part].split()[:3] == ["part", "govsocial", "fast"]


@pytest.mark.usefixtures("fake_classifier")
def test_when_an_optional_tier_cannot_run_then_it_is_reported_not_raised(tmp_path: Path) -> None:
    data = _write(tmp_path / "abuse.jsonl", _abuse_rows())
    report, _, _ = evaluate("abuse", data, tiers=("fast", "accurate"), optional_tiers=("accurate",))
    accurate = report.systems[1]
    assert accurate.name == "govsocial accurate"
    assert accurate.error is not None and "torch" in accurate.error


@pytest.mark.usefixtures("fake_classifier")
def test_when_the_asked_tier_cannot_run_then_usage_error(tmp_path: Path) -> None:
    data = _write(tmp_path / "abuse.jsonl", _abuse_rows())
    with pytest.raises(UsageError, match="accurate tier"):
        eval_main("abuse", str(data), tier="accurate", stdout=io.StringIO())


def test_when_a_line_is_malformed_then_usage_error_names_the_line(tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text('{"id": "a", "text": "x", "label": "ok"}\n{"id": "b", "text": \n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"bad\.jsonl:2: malformed JSON"):
        eval_main("abuse", str(data), stdout=io.StringIO())


def test_when_a_label_is_not_one_of_the_task_labels_then_usage_error(tmp_path: Path) -> None:
    data = _write(tmp_path / "x.jsonl", [{"id": "a", "text": "x", "label": "hateful"}])
    with pytest.raises(UsageError, match="'hateful' is not one of abusive, ok"):
        eval_main("abuse", str(data), stdout=io.StringIO())


def test_when_task_is_unknown_then_usage_error(tmp_path: Path) -> None:
    data = _write(tmp_path / "x.jsonl", [{"id": "a", "text": "x", "label": "ok"}])
    with pytest.raises(UsageError, match="unknown task 'toxicity'"):
        eval_main("toxicity", str(data), stdout=io.StringIO())


def test_when_span_rows_lack_spans_then_usage_error(tmp_path: Path) -> None:
    data = _write(tmp_path / "x.jsonl", [{"id": "a", "text": "x"}])
    with pytest.raises(UsageError, match=r"x\.jsonl:1: spans must be a list"):
        eval_main("names", str(data), stdout=io.StringIO())


def test_when_no_rows_fall_in_the_split_then_usage_error(tmp_path: Path) -> None:
    row = next({"id": f"r{i}", "text": "x", "label": "ok"} for i in range(100) if not is_test(f"r{i}"))
    data = _write(tmp_path / "x.jsonl", [row])
    with pytest.raises(UsageError, match="no rows to evaluate"):
        eval_main("abuse", str(data), split="test", stdout=io.StringIO())


def test_when_names_task_runs_then_spans_are_written_per_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import govsocial.detectors.people as people

    def person_spans(text: str) -> list[tuple[int, int, float]]:
        i = text.find("Aroha")
        return [(i, i + len("Aroha Tane"), 0.9)] if i >= 0 else []

    monkeypatch.setattr(people, "person_spans", person_spans)
    rows = [
        {
            "id": "n1",
            "text": "Thanks Aroha Tane for the help",
            "spans": [{"start": 7, "end": 17, "type": "PERSON"}],
            "source": "gen",
        },
        {"id": "n2", "text": "Nothing here at all", "spans": [], "source": "gen"},
        {"id": "n3", "text": "Ask Hemi about it", "spans": [{"start": 4, "end": 8, "type": "PERSON"}], "source": "gen"},
    ]
    data = _write(tmp_path / "names.jsonl", rows)
    out = tmp_path / "pred.jsonl"
    stdout = io.StringIO()
    assert eval_main("names", str(data), "json", str(out), stdout=stdout) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records == [
        {"id": "n1", "spans": [{"start": 7, "end": 17, "type": "PERSON"}]},
        {"id": "n2", "spans": []},
        {"id": "n3", "spans": []},
    ]
    overall = json.loads(stdout.getvalue())["systems"][0]["overall"]
    assert overall["precision"] == 1.0
    assert overall["recall"] == 0.5
    assert overall["f2"] == pytest.approx(5 * 0.5 / (4 + 0.5))


def test_when_official_posts_task_runs_then_flagged_is_written_per_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FakeReview:
        name = "govsocial"

        def load(self) -> None:
            pass

        def predict(self, texts: Sequence[str]) -> list[Any]:
            return [("PRIV101",) if "phone" in t else () for t in texts]

    monkeypatch.setattr(command_mod, "govsocial_system", lambda task, tier="fast", **kwargs: FakeReview())
    rows = [
        {"id": f"o{i}", "text": "call our phone line" if i == 0 else "we are open", "label": "ok", "source": "gen"}
        for i in range(4)
    ]
    data = _write(tmp_path / "official.jsonl", rows)
    out = tmp_path / "pred.jsonl"
    stdout = io.StringIO()
    assert eval_main("official_posts", str(data), "human", str(out), stdout=stdout) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records == [{"id": "o0", "flagged": True}] + [{"id": f"o{i}", "flagged": False} for i in range(1, 4)]
    text = stdout.getvalue()
    assert "25.00" in text
    assert "PRIV101 1" in text


def test_when_review_finds_only_low_or_other_family_findings_then_post_is_not_flagged() -> None:
    from govsocial.model import Finding, Severity

    def finding(code: str, severity: Severity) -> Finding:
        return Finding(code=code, name="x", severity=severity, message="m", fix="f")

    assert tasks_mod.flagging_codes([finding("STY101", Severity.BLOCK), finding("ABU101", Severity.WARN)]) == ()
    assert tasks_mod.flagging_codes(
        [finding("PRIV101", Severity.HIGH), finding("SEC201", Severity.BLOCK), finding("PRIV101", Severity.BLOCK)]
    ) == ("PRIV101", "SEC201")


def test_predictions_file_that_cannot_be_written_is_a_usage_error(tmp_path: Path) -> None:
    task = tasks_mod.get_task("abuse")
    with pytest.raises(UsageError, match="cannot write predictions"):
        command_mod.write_predictions(tmp_path / "missing" / "p.jsonl", task, [], tasks_mod.SystemRun(name="x"))


def test_sample_is_stable_and_keeps_input_order() -> None:
    from govsocial.datasets import Item

    items = [Item(id=f"i{n}", text="t", source="s") for n in range(50)]
    a = command_mod.sample(items, 10)
    b = command_mod.sample(list(reversed(items)), 10)
    assert len(a) == 10
    assert {i.id for i in a} == {i.id for i in b}
    assert [i.id for i in a] == sorted((i.id for i in a), key=lambda s: int(s[1:]))


def test_cli_eval_prints_a_usage_error_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from govsocial.cli import main

    data = tmp_path / "bad.jsonl"
    data.write_text("not json\n", encoding="utf-8")
    assert main(["eval", "--task", "abuse", "--data", str(data)]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err


def test_when_pii_task_runs_then_detector_signals_map_to_personal_types_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    from govsocial import detectors
    from govsocial.detectors.base import Signal

    def contact(post: Any) -> list[Signal]:
        i = post.text.find("x@example.org")
        return [Signal(kind="email", start=i, end=i + 13)] if i >= 0 else []

    def identifiers(post: Any) -> list[Signal]:
        return [Signal(kind="nz_ird", start=0, end=3)]  # not a pii type: dropped

    def people(post: Any) -> list[Signal]:
        return [Signal(kind="person", start=0, end=4, field="profile_bio")]  # not the text: dropped

    monkeypatch.setattr(detectors, "load_all", lambda: None)
    monkeypatch.setitem(detectors.DETECTORS, "contact", contact)
    monkeypatch.setitem(detectors.DETECTORS, "identifiers", identifiers)
    monkeypatch.setitem(detectors.DETECTORS, "people", people)
    fake = types.ModuleType("govsocial.detectors.contact")
    fake.PII_TYPES = {"email": "EMAIL_ADDRESS", "person": "PERSON"}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "govsocial.detectors.contact", fake)
    rows = [
        {
            "id": "p1",
            "text": "Mail x@example.org in Auckland",
            "spans": [{"start": 5, "end": 18, "type": "EMAIL_ADDRESS"}, {"start": 22, "end": 30, "type": "GPE"}],
            "source": "synth",
        }
    ]
    data = _write(tmp_path / "pii.jsonl", rows)
    out = tmp_path / "pred.jsonl"
    stdout = io.StringIO()
    assert eval_main("pii", str(data), "json", str(out), stdout=stdout) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == {
        "id": "p1",
        "spans": [{"start": 5, "end": 18, "type": "EMAIL_ADDRESS"}],
    }
    report = json.loads(stdout.getvalue())
    overall = report["systems"][0]["overall"]
    assert (overall["gold"], overall["predicted"], overall["matched"]) == (1, 1, 1)  # GPE is not scored
    assert any("only the personal types" in n for n in report["notes"])


def test_when_no_optional_tier_can_run_then_usage_error_names_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import govsocial.classify

    def get_classifier(task: str, tier: str = "fast") -> FakeClassifier:
        raise UsageError(f"no {tier} model for task {task!r}")

    monkeypatch.setattr(govsocial.classify, "get_classifier", get_classifier, raising=False)
    data = _write(tmp_path / "abuse.jsonl", _abuse_rows())
    with pytest.raises(UsageError, match=r"no fast model.*no accurate model"):
        evaluate("abuse", data, tiers=("fast", "accurate"), optional_tiers=("fast", "accurate"))


def test_when_only_the_second_tier_runs_then_its_predictions_are_returned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import govsocial.classify

    def get_classifier(task: str, tier: str = "fast") -> FakeClassifier:
        if tier == "fast":
            raise UsageError("no fast model")
        return FakeClassifier()

    monkeypatch.setattr(govsocial.classify, "get_classifier", get_classifier, raising=False)
    data = _write(tmp_path / "abuse.jsonl", _abuse_rows())
    report, _, run = evaluate("abuse", data, tiers=("fast", "accurate"), optional_tiers=("fast", "accurate"))
    assert run.name == "govsocial accurate"
    assert [s.error is None for s in report.systems] == [False, True]
