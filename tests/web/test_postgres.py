"""The web tests on PostgreSQL, and what only PostgreSQL enforces.

``test_the_web_suite_passes_on_postgresql`` runs ``tests/web`` (less the browser tests) in a
subprocess with ``DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test`` (pytest-django makes
and drops ``test_test``; override the URL with ``GOVSOCIAL_TEST_POSTGRES_URL``). Inside that run
``GOVSOCIAL_POSTGRES_SUITE=1`` is set: the runner skips itself, and the trigger test below runs
against PostgreSQL (the runner checks in the JUnit report that it passed, not skipped).

When PostgreSQL cannot be reached the runner fails in CI (``CI=true``) and is skipped elsewhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

REPO = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("GOVSOCIAL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
INSIDE = os.environ.get("GOVSOCIAL_POSTGRES_SUITE") == "1"
TRIGGER_TEST = "test_when_raw_sql_changes_an_audit_event_on_postgresql_then_the_trigger_refuses"


def _postgres_problem() -> str | None:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # refused, timeout, auth, no such database
        return f"PostgreSQL is not reachable at {POSTGRES_URL}: {str(exc).strip()}"
    return None


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.skipif(INSIDE, reason="this is the PostgreSQL run itself")
def test_the_web_suite_passes_on_postgresql(tmp_path: Path) -> None:
    problem = _postgres_problem()
    if problem is not None:
        if IN_CI:
            pytest.fail(problem + " (CI=true: PostgreSQL must be running)")
        pytest.skip(problem)
    report = tmp_path / "postgres-junit.xml"
    env = {
        **os.environ,
        "DATABASE_URL": POSTGRES_URL,
        "GOVSOCIAL_POSTGRES_SUITE": "1",
        "DJANGO_SETTINGS_MODULE": "govsocial.web.settings",
    }
    for name in ("REDIS_URL", "GOVSOCIAL_ENV"):
        env.pop(name, None)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/web",
        "-q",
        "-p",
        "no:cacheprovider",
        "--ignore=tests/web/test_browser.py",
        "--create-db",
        f"--junitxml={report}",
    ]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=1700)
    tail = (done.stdout + done.stderr)[-6000:]
    assert done.returncode == 0, f"the web suite failed on PostgreSQL (exit {done.returncode}):\n{tail}"

    # The PostgreSQL-only test really ran there.
    cases = {case.get("name"): case for case in ET.parse(report).iter("testcase")}
    trigger = cases.get(TRIGGER_TEST)
    assert trigger is not None, f"{TRIGGER_TEST} was not collected:\n{tail}"
    assert trigger.find("skipped") is None and trigger.find("failure") is None and trigger.find("error") is None
    print(tail.strip().splitlines()[-1])


@pytest.mark.django_db
def test_when_raw_sql_changes_an_audit_event_on_postgresql_then_the_trigger_refuses(users: dict[str, Any]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: runs in the PostgreSQL run of the web suite")
    from govsocial.web.audit.models import AuditEvent
    from govsocial.web.audit.services import audit_record, verify_chain

    with transaction.atomic():
        event = audit_record(
            actor=users["admin"], action="test.event", subject_type="thing", subject_id=1, new={"a": 1}
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal"
        )
        assert ("audit_auditevent_append_only",) in cursor.fetchall()
    for statement, params in (
        ("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["changed", event.pk]),
        ("UPDATE audit_auditevent SET new = NULL WHERE id = %s", [event.pk]),
        ("DELETE FROM audit_auditevent WHERE id = %s", [event.pk]),
        ("DELETE FROM audit_auditevent", []),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
    fresh = AuditEvent.objects.get(pk=event.pk)
    assert fresh.reason == "" and fresh.new == {"a": 1}
    assert verify_chain()[1] is None
