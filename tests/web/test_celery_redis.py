"""Background work through Celery: a real worker on Redis when ``REDIS_URL`` is set, the same task
functions run eagerly in-process when it is not.

The Redis tests point the project's Celery app (:mod:`govsocial.web.celery`) at
``redis://127.0.0.1:6379/15`` (override with ``GOVSOCIAL_TEST_REDIS_URL``), start a worker
thread in this process (``celery.contrib.testing.worker.start_worker``) and send tasks through
the broker. When Redis cannot be reached they fail in CI (``CI=true``) and are skipped elsewhere.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from browser_support import clear_audit_log
from celery import Celery
from celery.result import EagerResult
from django.utils import timezone

from govsocial.web.celery import app as celery_app

REDIS_URL = os.environ.get("GOVSOCIAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() == "true"


@celery_app.task(name="tests.web.ping", bind=True)  # type: ignore[untyped-decorator]
def ping(self: Any, value: str) -> dict[str, Any]:
    """Says where it ran: eagerly (in the caller) or in a worker, and on which thread."""
    return {
        "value": value,
        "eager": bool(self.request.is_eager),
        "thread": threading.get_ident(),
        "hostname": self.request.hostname,
    }


def _redis_problem() -> str | None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure to reach it: refused, timeout, auth
        return f"Redis is not reachable at {REDIS_URL}: {exc}"
    return None


@pytest.fixture(scope="module")
def redis_available() -> None:
    problem = _redis_problem()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(problem + " (CI=true: Redis must be running)")
    pytest.skip(problem)


@pytest.fixture(scope="module")
def redis_app(redis_available: None) -> Iterator[Celery]:
    """The project's Celery app on Redis with one worker thread, for this module; its settings are
    restored afterwards (the rest of the suite runs tasks eagerly)."""
    import redis
    from celery.contrib.testing.worker import start_worker

    redis.Redis.from_url(REDIS_URL).flushdb()
    keys = ("broker_url", "result_backend", "task_always_eager")
    saved = {k: celery_app.conf[k] for k in keys}
    celery_app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    _forget_connections(celery_app)
    try:
        with start_worker(
            celery_app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=15
        ):
            yield celery_app
    finally:
        celery_app.conf.update(saved)
        _forget_connections(celery_app)
        redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture
def redis_worker(redis_app: Celery, transactional_db: Any) -> Iterator[Celery]:
    """The worker, and a database it can see (committed data); the audit log is emptied after."""
    yield redis_app
    clear_audit_log()


def _forget_connections(app: Celery) -> None:
    """Drop the broker pool and result backend made for the previous settings."""
    app._pool = None
    app._local.__dict__.pop("backend", None)
    app.__dict__.pop("amqp", None)


def _due_draft(users: dict[str, Any], channel: Any) -> Any:
    """A scheduled draft on a channel published by hand, whose time has now come."""
    from govsocial.web.drafts import services
    from govsocial.web.drafts.models import Draft

    draft = services.draft_create(
        author=users["officer"],
        channel=channel,
        text="Our offices are open 9am to 5pm on weekdays.",
        scheduled_at=timezone.now() + dt.timedelta(hours=1),
    )
    draft = services.draft_submit(actor=users["officer"], draft=draft)
    if draft.state == "awaiting_approval":
        services.draft_approve(approver=users["approver"], draft=draft, reason="ok")
    Draft.objects.filter(pk=draft.pk).update(scheduled_at=timezone.now() - dt.timedelta(minutes=1))
    draft.refresh_from_db()
    assert draft.state == "scheduled"
    return draft


def _wait_for(check: Callable[[], bool], *, seconds: float = 30.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.1)
    return check()


# --------------------------------------------------------------------------- with Redis


def test_when_redis_is_configured_then_a_task_runs_in_the_worker_not_eagerly(redis_worker: Celery) -> None:
    import redis

    result = ping.delay("hello")
    out = result.get(timeout=30)
    assert out["value"] == "hello"
    assert out["eager"] is False
    assert out["thread"] != threading.get_ident(), "the task ran on the caller's thread"
    assert out["hostname"], "a worker took it"
    # Its result went through Redis.
    assert redis.Redis.from_url(REDIS_URL).exists(f"celery-task-meta-{result.id}")


def test_when_redis_is_configured_then_publish_due_drafts_runs_in_the_worker(
    redis_worker: Celery, users: dict[str, Any], channel: Any
) -> None:
    from govsocial.web.audit.models import AuditEvent
    from govsocial.web.drafts.models import Draft
    from govsocial.web.drafts.tasks import publish_due_drafts

    draft = _due_draft(users, channel)
    result = publish_due_drafts.delay()
    assert not isinstance(result, EagerResult), "the task ran eagerly"

    def reminded() -> bool:
        return bool(Draft.objects.filter(pk=draft.pk, publish_reminder_at__isnull=False).exists())

    assert _wait_for(reminded), "the worker did not publish the due draft (no reminder recorded)"
    assert AuditEvent.objects.filter(action="draft.publish_due", subject_id=str(draft.pk), actor__isnull=True).exists()


# --------------------------------------------------------------------------- without Redis


@pytest.mark.django_db
def test_when_redis_is_not_configured_then_the_same_tasks_run_eagerly(users: dict[str, Any], channel: Any) -> None:
    from govsocial.web.drafts.models import Draft
    from govsocial.web.drafts.tasks import publish_due_drafts

    assert celery_app.conf.task_always_eager, "the test settings run without REDIS_URL"
    out = ping.delay("hello").get()
    assert out["eager"] is True and out["thread"] == threading.get_ident()

    draft = _due_draft(users, channel)
    result = publish_due_drafts.delay()
    assert isinstance(result, EagerResult)
    assert result.get() == {"reminded": 1}
    assert Draft.objects.get(pk=draft.pk).publish_reminder_at is not None


SETTINGS_PROBE = (
    "import json, django; django.setup(); from django.conf import settings; from govsocial.web.celery import app; "
    "print(json.dumps({'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'broker': app.conf.broker_url, "
    "'cache': settings.CACHES['default']['BACKEND']}))"
)


@pytest.mark.parametrize(
    ("redis_url", "eager", "broker", "cache"),
    [
        (None, True, "memory://", "django.core.cache.backends.locmem.LocMemCache"),
        (
            "redis://127.0.0.1:6379/15",
            False,
            "redis://127.0.0.1:6379/15",
            "django.core.cache.backends.redis.RedisCache",
        ),
    ],
    ids=["unset", "set"],
)
def test_redis_url_decides_between_eager_tasks_and_a_worker(
    redis_url: str | None, eager: bool, broker: str, cache: str, tmp_path: Any
) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govsocial.web.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    env.pop("REDIS_URL", None)
    env.pop("GOVSOCIAL_ENV", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    done = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got == {"eager": eager, "broker": broker, "cache": cache}
