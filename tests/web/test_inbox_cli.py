"""``govsocial channels list`` and ``govsocial inbox import | export | poll``, run as a person would:
the real command in a subprocess against its own SQLite file, loaded once with the demo agency."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

GOVSOCIAL = [sys.executable, "-m", "govsocial.cli"]
EXPORT_KEYS = {
    "id",
    "platform_id",
    "channel",
    "author",
    "text",
    "created_at",
    "received_at",
    "category",
    "sentiment",
    "language",
    "pii",
    "pii_kinds",
    "priority",
    "action",
    "rule_code",
    "status",
    "assignee",
    "due_at",
    "answered_at",
}
CSV = (
    "Comment ID,Message,From,Posted\n"
    "fb-1,When does the pool reopen?,aroha,2026-11-17T09:00:00+13:00\n"
    'fb-2,"My phone is 021 555 0123, can someone call me back please?",will,\n'
    "fb-3,Thanks for the quick fix on the website!,hemi,2026-11-17T10:00:00Z\n"
)
MAP = "id=Comment ID,text=Message,author=From,created_at=Posted"


def _env(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GOVSOCIAL_ENV", "REDIS_URL")}
    env["DATABASE_URL"] = f"sqlite:///{db}"
    return env


def _run(args: list[str], db: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        GOVSOCIAL + args, cwd=cwd, env=_env(db), capture_output=True, text=True, timeout=300, check=False
    )


def _one(db: Path, sql: str) -> object:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox-demo")
    db = folder / "demo.sqlite3"
    result = _run(["demo"], db, folder)
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def db(demo: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(demo.read_bytes())
    return copy


def _fails_cleanly(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("govsocial: ") and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr


# --------------------------------------------------------------------------- the demo inbox


def test_the_demo_loads_an_inbox_with_triaged_messages_templates_and_connectors(demo: Path, tmp_path: Path) -> None:
    assert _one(demo, "SELECT COUNT(*) FROM inbox_message") == 30
    assert _one(demo, "SELECT COUNT(*) FROM inbox_message WHERE hidden AND rule_code = 'IN-01'") >= 2
    assert _one(demo, "SELECT COUNT(*) FROM inbox_message WHERE status = 'open'") >= 5
    assert _one(demo, "SELECT COUNT(*) FROM inbox_message WHERE language = 'mi'") >= 1
    assert _one(demo, "SELECT COUNT(*) FROM inbox_message WHERE duplicate_of_id IS NOT NULL") >= 2
    assert _one(demo, "SELECT COUNT(*) FROM inbox_message WHERE status = 'replying'") == 1
    assert _one(demo, "SELECT COUNT(*) FROM inbox_responsetemplate WHERE approved") == 5
    assert _one(demo, "SELECT group_concat(kind) FROM (SELECT kind FROM inbox_connector ORDER BY kind)") == "import,rss"
    assert _one(demo, "SELECT workdays FROM inbox_inboxsettings") == "[1, 2, 3, 4, 5]"
    verify = _run(["audit", "verify"], demo, tmp_path)
    assert verify.returncode == 0, verify.stderr


def test_loading_the_demo_again_adds_no_messages_templates_or_connectors(db: Path, tmp_path: Path) -> None:
    tables = ("inbox_message", "inbox_responsetemplate", "inbox_connector", "inbox_moderation", "drafts_draft")
    before = {t: _one(db, f"SELECT COUNT(*) FROM {t}") for t in tables}
    assert _run(["demo"], db, tmp_path).returncode == 0
    assert {t: _one(db, f"SELECT COUNT(*) FROM {t}") for t in tables} == before


# --------------------------------------------------------------------------- channels list


def test_channels_list_as_json(db: Path, tmp_path: Path) -> None:
    result = _run(["channels", "list", "--format", "json"], db, tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["name"] for r in rows} == {
        "Ministry on X",
        "Ministry on Bluesky",
        "Ministry on Facebook",
        "Ministry on LinkedIn",
    }
    x = next(r for r in rows if r["platform"] == "x")
    assert x["handle"] == "@MinistryOfExamples" and x["pack"] == "nz" and x["agency"] == "ministry-of-examples"
    assert x["response_target_hours"] == 8 and x["moderation_mode"] == "active" and x["active"] is True


def test_channels_list_for_people(db: Path, tmp_path: Path) -> None:
    result = _run(["channels", "list"], db, tmp_path)
    assert result.returncode == 0
    assert "Ministry on Facebook" in result.stdout and "@MinistryOfExamples" in result.stdout


# --------------------------------------------------------------------------- import


def test_import_stores_a_csv_export_once_and_reimporting_changes_nothing(db: Path, tmp_path: Path) -> None:
    export = tmp_path / "comments.csv"
    export.write_text(CSV, encoding="utf-8")
    args = ["inbox", "import", "--channel", "Ministry on Facebook", str(export), "--map", MAP, "--no-progress"]
    before = _one(db, "SELECT COUNT(*) FROM inbox_message")

    first = _run(args, db, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == "3 new, 0 already there"
    assert first.stderr == ""
    assert _one(db, "SELECT COUNT(*) FROM inbox_message") == before + 3
    assert _one(db, "SELECT rule_code FROM inbox_message WHERE platform_id = 'fb-2'") == "IN-01"

    again = _run(args, db, tmp_path)
    assert again.returncode == 0 and again.stdout.strip() == "0 new, 3 already there"
    assert _one(db, "SELECT COUNT(*) FROM inbox_message") == before + 3


def test_import_of_jsonl_shows_a_progress_bar_when_asked(db: Path, tmp_path: Path) -> None:
    lines = [{"id": f"j{i}", "text": f"Question number {i}: when does the pool reopen?"} for i in range(7)]
    export = tmp_path / "messages.jsonl"
    export.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    result = _run(["inbox", "import", "--channel", "examples.bsky.social", str(export), "--progress"], db, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("7 new, 0 already there")
    # (text mode reads the bar's carriage returns as line ends)
    assert f"[{'.' * 30}] 0/7" in result.stderr and f"[{'#' * 30}] 7/7" in result.stderr


def test_a_bad_row_stops_the_import_before_anything_is_stored(db: Path, tmp_path: Path) -> None:
    export = tmp_path / "broken.jsonl"
    export.write_text('{"id": "ok-1", "text": "Fine"}\n{"id": "ok-2", "text": "Fine too"}\n{"id": "bad"}\n')
    before = _one(db, "SELECT COUNT(*) FROM inbox_message")
    result = _run(["inbox", "import", "--channel", "Ministry on X", str(export)], db, tmp_path)
    _fails_cleanly(result, "broken.jsonl:3", "no text")
    assert _one(db, "SELECT COUNT(*) FROM inbox_message") == before


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--channel", "No such channel", "{file}"], ("no channel called 'No such channel'",)),
        (["--channel", "Ministry on X", "{missing}"], ("no such file",)),
        (["--channel", "Ministry on X", "{file}", "--map", "nonsense"], ("field=column",)),
        (["--channel", "Ministry on X", "{file}", "--format", "xml"], ("invalid choice",)),
        (["{file}"], ("--channel",)),
    ],
)
def test_import_misuse_exits_2_with_one_line(
    db: Path, tmp_path: Path, args: list[str], needles: tuple[str, ...]
) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "1", "text": "Hello"}\n')
    filled = [a.format(file=good, missing=tmp_path / "missing.csv") for a in args]
    _fails_cleanly(_run(["inbox", "import", *filled], db, tmp_path), *needles)


# --------------------------------------------------------------------------- export


def test_export_streams_every_message_with_its_triage_as_jsonl(db: Path, tmp_path: Path) -> None:
    result = _run(["inbox", "export"], db, tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == _one(db, "SELECT COUNT(*) FROM inbox_message")
    assert all(set(r) == EXPORT_KEYS for r in rows)
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    hidden = [r for r in rows if r["rule_code"] == "IN-01"]
    assert hidden and all(r["pii"] and r["action"] == "hide" and r["pii_kinds"] for r in hidden)
    assert any(r["language"] == "mi" for r in rows)


def test_export_filters_by_status_and_channel_and_writes_json(db: Path, tmp_path: Path) -> None:
    only = _run(["inbox", "export", "--status", "open", "--status", "moderation"], db, tmp_path)
    statuses = {json.loads(line)["status"] for line in only.stdout.splitlines()}
    assert statuses == {"open", "moderation"}
    as_json = _run(["inbox", "export", "--format", "json", "--status", "open,replying"], db, tmp_path)
    rows = json.loads(as_json.stdout)
    assert rows and {r["status"] for r in rows} <= {"open", "replying"}
    empty = _run(["inbox", "export", "--channel", "Ministry on LinkedIn", "--format", "json"], db, tmp_path)
    assert json.loads(empty.stdout) == []


def test_export_misuse_exits_2(db: Path, tmp_path: Path) -> None:
    _fails_cleanly(_run(["inbox", "export", "--status", "lost"], db, tmp_path), "unknown status 'lost'")
    _fails_cleanly(_run(["inbox", "export", "--channel", "Nope"], db, tmp_path), "no channel called")


# --------------------------------------------------------------------------- poll and usage


def test_poll_with_nothing_due_says_so(db: Path, tmp_path: Path) -> None:
    with sqlite3.connect(db) as conn:  # the demo's feed would go to the network: switch it off
        conn.execute("UPDATE inbox_connector SET enabled = 0")
    result = _run(["inbox", "poll"], db, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "inbox poll: no connector is due"
    _fails_cleanly(_run(["inbox", "poll", "--connector", "Nope"], db, tmp_path), "no connector called 'Nope'")


@pytest.mark.parametrize("args", [["inbox"], ["inbox", "purge"], ["channels"], ["channels", "delete"]])
def test_inbox_and_channels_need_an_action(db: Path, tmp_path: Path, args: list[str]) -> None:
    result = _run(args, db, tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_on_a_database_never_migrated_the_commands_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    _fails_cleanly(_run(["channels", "list"], empty, tmp_path), "govsocial migrate")
    _fails_cleanly(_run(["inbox", "export"], empty, tmp_path), "govsocial migrate")


@pytest.mark.parametrize(
    "args", [["channels", "list"], ["inbox", "export"], ["inbox", "poll"], ["inbox", "import", "--channel", "x", "f"]]
)
def test_without_the_web_extra_the_inbox_commands_exit_2_with_a_clear_message(args: list[str]) -> None:
    code = "import sys; sys.modules['django'] = None; import govsocial.cli as c; sys.exit(c.main(sys.argv[1:]))"
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "needs the web extra" in result.stderr and "Traceback" not in result.stderr
