"""The web subcommands of ``govsocial``: migrate, demo, audit verify, serve; and production settings.

Each test runs the real command in a subprocess against its own SQLite file, as a person would.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOVSOCIAL = [sys.executable, "-m", "govsocial.cli"]


def _env(db: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "GOVSOCIAL_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL")
    }
    env["DATABASE_URL"] = f"sqlite:///{db}"
    env.update(extra)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        GOVSOCIAL + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def _passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\w+)\s+(demo-\S+)\s", output, flags=re.MULTILINE))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A database with the demo loaded once (shared: loading runs the review engine)."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.sqlite3"
    result = _run(["demo"], folder, _env(db))
    assert result.returncode == 0, result.stderr
    return db, result.stdout


def test_when_engine_commands_run_then_django_is_not_imported() -> None:
    code = "import sys, govsocial.cli as c; rc = c.main(['packs']); print('django' in sys.modules, rc)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": ""},
    )
    assert result.stdout.strip().splitlines()[-1] == "False 0"


@pytest.mark.parametrize("command", [["serve"], ["demo"], ["migrate"], ["audit", "verify"]])
def test_when_the_web_extra_is_missing_then_web_commands_exit_2_with_a_clear_message(command: list[str]) -> None:
    code = "import sys; sys.modules['django'] = None; import govsocial.cli as c; sys.exit(c.main(sys.argv[1:]))"
    result = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "needs the web extra" in result.stderr and "Traceback" not in result.stderr


def test_when_migrate_runs_on_a_new_folder_then_it_creates_the_database(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite3"
    result = _run(["migrate"], tmp_path, _env(db))
    assert result.returncode == 0, result.stderr
    assert "The database is up to date." in result.stdout
    assert _count(db, "audit_auditevent") == 0


def test_when_no_database_url_is_set_then_the_sqlite_file_is_in_the_working_folder(tmp_path: Path) -> None:
    env = _env(tmp_path / "unused.sqlite3")
    del env["DATABASE_URL"]
    assert _run(["migrate"], tmp_path, env).returncode == 0
    assert (tmp_path / "govsocial.sqlite3").is_file()


def test_when_the_demo_loads_then_it_prints_a_sign_in_for_every_role(demo_db: tuple[Path, str]) -> None:
    db, output = demo_db
    passwords = _passwords(output)
    assert set(passwords) == {"officer", "officer2", "approver", "moderator", "comms", "records", "admin"}
    assert "Ministry of Examples | Te Manatū Tauira" in output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT pack FROM accounts_agency").fetchall() == [("nz",)]
        platforms = {row[0] for row in conn.execute("SELECT platform FROM channels_channel")}
        states = {row[0] for row in conn.execute("SELECT state FROM drafts_draft")}
    assert platforms == {"x", "bluesky", "facebook", "linkedin"}
    assert {"draft", "awaiting_approval", "returned", "ready", "published"} <= states


def test_when_the_demo_loads_twice_then_nothing_is_duplicated_and_passwords_change(
    demo_db: tuple[Path, str], tmp_path: Path
) -> None:
    db, first = demo_db
    copy = tmp_path / "again.sqlite3"
    copy.write_bytes(db.read_bytes())
    counts = {
        t: _count(copy, t)
        for t in (
            "accounts_agency",
            "accounts_team",
            "accounts_user",
            "channels_channel",
            "drafts_draft",
            "drafts_revision",
        )
    }
    second = _run(["demo"], tmp_path, _env(copy))
    assert second.returncode == 0, second.stderr
    assert {t: _count(copy, t) for t in counts} == counts
    old, new = _passwords(first), _passwords(second.stdout)
    assert set(old) == set(new) and all(old[name] != new[name] for name in old)
    # The printed password is the one that works (checked with Django's hasher in a fresh process).
    check = (
        "import django, sys; django.setup(); from govsocial.web.accounts.models import User;"
        "u = User.objects.get(username='approver'); sys.exit(0 if u.check_password(sys.argv[1]) else 1)"
    )
    env = _env(copy, DJANGO_SETTINGS_MODULE="govsocial.web.settings")
    assert (
        subprocess.run([sys.executable, "-c", check, new["approver"]], env=env, cwd=tmp_path, check=False).returncode
        == 0
    )


def test_when_the_demo_chain_is_intact_then_audit_verify_exits_0(demo_db: tuple[Path, str], tmp_path: Path) -> None:
    db, _ = demo_db
    result = _run(["audit", "verify"], tmp_path, _env(db))
    assert result.returncode == 0, result.stderr
    assert re.search(r"audit chain intact: \d+ events checked", result.stdout)


def test_when_an_event_was_tampered_with_then_audit_verify_exits_1_naming_it(
    demo_db: tuple[Path, str], tmp_path: Path
) -> None:
    db, _ = demo_db
    copy = tmp_path / "tampered.sqlite3"
    copy.write_bytes(db.read_bytes())
    with sqlite3.connect(copy) as conn:
        conn.execute("DROP TRIGGER audit_auditevent_no_update")
        conn.execute("UPDATE audit_auditevent SET reason = 'nothing to see' WHERE seq = 3")
    result = _run(["audit", "verify"], tmp_path, _env(copy))
    assert result.returncode == 1
    assert "first broken link: event 3: " in result.stderr


@pytest.mark.parametrize("args", [["audit"], ["audit", "repair"], ["serve", "--port", "0"], ["serve", "--port", "x"]])
def test_when_web_commands_are_misused_then_they_exit_2(args: list[str], tmp_path: Path) -> None:
    result = _run(args, tmp_path, _env(tmp_path / "x.sqlite3"))
    assert result.returncode == 2
    assert result.stderr.startswith("govsocial:") and "Traceback" not in result.stderr


def test_when_the_database_was_never_migrated_then_audit_verify_exits_2(tmp_path: Path) -> None:
    result = _run(["audit", "verify"], tmp_path, _env(tmp_path / "empty.sqlite3"))
    assert result.returncode == 2
    assert "govsocial migrate" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_when_serve_runs_then_it_prints_the_address_and_serves_pages_and_static_files(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [*GOVSOCIAL, "serve", "--port", str(port)],
        cwd=tmp_path,
        env=_env(tmp_path / "serve.sqlite3"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and "running at" not in line:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
        assert line.strip() == f"govsocial is running at http://127.0.0.1:{port}/ (Ctrl+C to stop)"
        base = f"http://127.0.0.1:{port}"

        def get(path: str) -> Any:
            for _ in range(50):
                try:
                    return urllib.request.urlopen(base + path, timeout=10)
                except (ConnectionError, urllib.error.URLError):
                    time.sleep(0.1)
            raise AssertionError("the server did not answer")

        with get("/accounts/login/") as page:
            assert page.status == 200 and b"Sign in" in page.read()
        with get("/static/govsocial/app.css") as css:
            assert css.status == 200 and b"--agency-colour" in css.read()
        with get("/healthz") as health:
            assert health.read() == b"ok"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_when_production_settings_are_checked_for_deployment_then_there_are_no_issues(tmp_path: Path) -> None:
    env = _env(
        tmp_path / "prod.sqlite3",
        GOVSOCIAL_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.org",
        DJANGO_SETTINGS_MODULE="govsocial.web.settings",
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_when_production_has_no_secret_key_then_settings_refuse_to_load(tmp_path: Path) -> None:
    env = _env(tmp_path / "prod.sqlite3", GOVSOCIAL_ENV="production", ALLOWED_HOSTS="example.org")
    result = _run(["migrate"], tmp_path, env)
    assert result.returncode == 2
    assert "SECRET_KEY must be set" in result.stderr
