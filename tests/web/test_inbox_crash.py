"""Crash safety of ingest (ADR 0004): a real Celery worker killed with SIGKILL in the middle of a
batch, then restarted, leaves every message stored exactly once.

The test makes its own PostgreSQL database beside ``GOVSOCIAL_TEST_POSTGRES_URL`` (default
``postgresql://postgres@127.0.0.1:5432/test``), migrates it with ``govsocial migrate`` and sends
``ingest_items`` tasks through Redis db 15 (``GOVSOCIAL_TEST_REDIS_URL``) to a worker process
(``celery worker``, its own session). When some but not all messages are stored it kills the whole
process group with SIGKILL, checks that Redis still holds the task the worker had taken and not
acknowledged (so a batch really was cut off), restarts the worker and waits for the rest. Redis
hands the cut-off task to the new worker after the visibility timeout (5 s here,
``GOVSOCIAL_TASK_VISIBILITY_TIMEOUT``); ingest skips what was already stored.

Then: the number of messages, the number of distinct platform ids and the number sent are equal;
the ``inbox.ingested`` audit events add up to the same number (the killed batch left no event:
its transaction rolled back whole); the audit chain verifies.

Fails in CI (``CI=true``) when PostgreSQL or Redis cannot be reached; skipped elsewhere. Inside
the PostgreSQL run of the web suite (``GOVSOCIAL_POSTGRES_SUITE=1``) it does not run a second
time: it never used the suite's database.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("GOVSOCIAL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("GOVSOCIAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() == "true"
INSIDE = os.environ.get("GOVSOCIAL_POSTGRES_SUITE") == "1"

BATCHES = 20
BATCH = 200
TOTAL = BATCHES * BATCH
TEXTS = (
    "When does the pool reopen after the repairs? Asking for message {i}.",
    "I've waited three weeks for my permit, reference {i}. This is not good enough.",
    "Thanks for sorting out the bins on our street so quickly ({i})!",
    "My phone is 021 555 {i:04d}, can someone call me back about my application?",
    "Kia ora, kei te tuwhera te tari āpōpō? ({i})",
    "Make $5000 a week from home!!! Click here bit.ly/offer-{i}",
    "Honestly this policy is a mistake and you should rethink it. Comment {i}.",
)

SETUP = """
import json, django
django.setup()
from govsocial.web.accounts.services import agency_create, team_create
from govsocial.web.channels.services import channel_create
agency = agency_create(actor=None, name="Crash test agency", slug="crash-test", pack="nz")
team = team_create(actor=None, agency=agency, name="Digital")
channel = channel_create(
    actor=None, agency=agency, name="Crash test", platform="mastodon", handle="@crash@social.example", owning_team=team
)
print(json.dumps({"channel": channel.pk}))
"""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(600),
    pytest.mark.skipif(INSIDE, reason="runs in the main run of the suite, with a database of its own"),
]


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(reason + " (CI=true: the crash test must run)")
    pytest.skip(reason)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def crash_db() -> Iterator[str]:
    """A fresh PostgreSQL database, migrated; dropped afterwards."""
    try:
        import psycopg

        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
    except Exception as exc:  # refused, timeout, auth
        _unavailable(f"PostgreSQL is not reachable at {POSTGRES_URL}: {str(exc).strip()}")
    name = f"govsocial_crash_{os.getpid()}_{secrets.token_hex(3)}"
    url = _with_database(POSTGRES_URL, name)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        done = subprocess.run(
            [sys.executable, "-m", "govsocial.cli", "migrate"],
            cwd=REPO,
            env=_env(url),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def redis_db() -> Iterator[Any]:
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
    except Exception as exc:
        _unavailable(f"Redis is not reachable at {REDIS_URL}: {exc}")
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GOVSOCIAL_ENV", "GOVSOCIAL_POSTGRES_SUITE")}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="govsocial.web.settings",
        GOVSOCIAL_TASK_VISIBILITY_TIMEOUT="5",
    )
    return env


def _start_worker(database_url: str, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "govsocial.web.celery",
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        "1",
        "--prefetch-multiplier",
        "1",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel",
        "WARNING",
    ]
    # Its own session: SIGKILL to the group takes the pool's child process down with the parent.
    return subprocess.Popen(
        command,
        cwd=REPO,
        env=_env(database_url),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _wait(check: Callable[[], bool], *, seconds: float, interval: float = 0.01) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(interval)
    return check()


def _items(batch: int) -> list[dict[str, Any]]:
    out = []
    for j in range(BATCH):
        i = batch * BATCH + j
        out.append(
            {
                "platform_id": f"crash-{i}",
                "text": TEXTS[i % len(TEXTS)].format(i=i),
                "author": f"person{i % 300}",
                "kind": "reply" if i % 2 else "mention",
                "in_reply_to": f"agency-post-{i % 20}" if i % 2 else "",
            }
        )
    return out


def test_a_worker_killed_mid_batch_and_restarted_stores_every_message_exactly_once(
    crash_db: str, redis_db: Any, tmp_path: Path
) -> None:
    import psycopg
    from celery import Celery

    made = subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=REPO,
        env=_env(crash_db),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    channel_id = json.loads(made.stdout.strip().splitlines()[-1])["channel"]

    sender = Celery("crash-test-sender", broker=REDIS_URL)
    for b in range(BATCHES):
        sender.send_task("govsocial.web.inbox.tasks.ingest_items", args=[channel_id, None, _items(b)])

    db = psycopg.connect(crash_db, autocommit=True)

    def stored() -> tuple[int, int]:
        row = db.execute(
            "SELECT count(*), count(DISTINCT platform_id) FROM inbox_message WHERE channel_id = %s", [channel_id]
        ).fetchone()
        assert row is not None
        return int(row[0]), int(row[1])

    log = tmp_path / "worker.log"
    worker = _start_worker(crash_db, log)
    try:
        # Kill while a batch is in flight: some batches stored, and Redis holding the one the
        # worker took and has not acknowledged. Between two batches nothing is in flight; if the
        # kill lands in that instant, the worker is restarted and killed again a little later.
        for attempt in range(1, 4):
            target = 2 * attempt * BATCH

            def busy(target: int = target) -> bool:
                return stored()[0] >= target and redis_db.hlen("unacked") >= 1

            assert _wait(busy, seconds=180), f"the worker did not get going:\n{log.read_text()[-3000:]}"
            _kill(worker)
            at_kill = stored()[0]
            assert 0 < at_kill < TOTAL, f"{at_kill} of {TOTAL} stored when killed: the kill was not mid-way"
            assert at_kill % BATCH == 0, "a batch is stored whole or not at all"
            in_flight = redis_db.hlen("unacked")
            worker = _start_worker(crash_db, log)
            if in_flight:
                break
        assert in_flight >= 1, "no kill landed while a batch was in flight"

        finished = _wait(lambda: stored()[0] >= TOTAL, seconds=240, interval=0.2)
        assert finished, f"only {stored()[0]} of {TOTAL} stored after the restart:\n{log.read_text()[-3000:]}"
        # Everything acknowledged and nothing left to deliver again.
        assert _wait(lambda: redis_db.hlen("unacked") == 0 and redis_db.llen("celery") == 0, seconds=60, interval=0.2)
        time.sleep(1.0)
    finally:
        _kill(worker)

    count, distinct = stored()
    assert count == distinct == TOTAL
    events = db.execute(
        "SELECT new FROM audit_auditevent WHERE action = 'inbox.ingested' AND subject_id = %s", [str(channel_id)]
    ).fetchall()
    assert sum(json.loads(e[0])["created"] if isinstance(e[0], str) else e[0]["created"] for e in events) == TOTAL
    db.close()
    verify = subprocess.run(
        [sys.executable, "-m", "govsocial.cli", "audit", "verify"],
        cwd=REPO,
        env=_env(crash_db),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert verify.returncode == 0, verify.stderr
