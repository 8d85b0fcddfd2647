"""Polling connectors: pages with their cursors, de-duplication, health, back-off and the beat task.

The platform is a :class:`inbox_support.FakeClient` (the Connector protocol, scripted pages and
errors); the real adapters are tested against recorded platform responses in ``tests/connectors``.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from inbox_support import TEXTS, FakeClient, at, incoming, page, use_client

from govsocial.connectors import AuthFailed, ConnectorError, RateLimited
from govsocial.web.inbox import services, tasks
from govsocial.web.inbox.models import Connector, Message

pytestmark = pytest.mark.django_db

NOW = at("2026-11-18 10:00")
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def connector(users: dict[str, Any], channel: Any) -> Connector:
    return services.connector_create(
        actor=users["comms_manager"],
        channel=channel,
        kind="mastodon",
        name="Mentions",
        config={"instance": "https://social.example.nz", "account": "@tests@social.example.nz"},
        secret="token",
        poll_interval_s=300,
    )


def _poll(connector: Connector, client: FakeClient, now: dt.datetime = NOW, **kw: Any) -> services.PollOutcome:
    return services.connector_poll(connector=connector, client=client, now=now, rng=random.Random(1), **kw)


def test_a_poll_stores_each_page_with_its_cursor_until_the_platform_has_no_more(connector: Connector) -> None:
    client = FakeClient(
        pages=[
            page([incoming("1"), incoming("2", TEXTS["phone"])], "c1", more=True),
            page([incoming("3")], "c2", more=False),
        ]
    )
    outcome = _poll(connector, client)
    connector.refresh_from_db()
    assert (outcome.ok, outcome.created, outcome.pages, outcome.error) == (True, 3, 2, "")
    assert client.polled == ["", "c1"]
    assert connector.cursor == "c2" and connector.messages_seen == 3
    assert (connector.last_polled_at, connector.last_ok_at, connector.failures) == (NOW, NOW, 0)
    assert connector.next_poll_at == NOW + dt.timedelta(seconds=300)
    assert Message.objects.filter(connector=connector).count() == 3
    assert services.connector_health(connector, now=NOW).state == "ok"


def test_a_poll_stops_after_its_page_limit_and_comes_back_at_once(connector: Connector) -> None:
    client = FakeClient(pages=[page([incoming(str(i))], f"c{i}", more=True) for i in range(5)])
    outcome = _poll(connector, client, max_pages=2)
    connector.refresh_from_db()
    assert outcome.pages == 2 and connector.cursor == "c1"
    assert connector.next_poll_at == NOW  # more is waiting: due again now


def test_a_page_polled_twice_stores_nothing_new(connector: Connector) -> None:
    same = [incoming("1"), incoming("2")]
    _poll(connector, FakeClient(pages=[page(same, "c1")]))
    outcome = _poll(connector, FakeClient(pages=[page(same, "c1")]), now=NOW + HOUR)
    assert (outcome.created, outcome.duplicates) == (0, 2)
    assert Message.objects.count() == 2


def test_when_rate_limited_then_it_waits_as_long_as_the_platform_asked(connector: Connector) -> None:
    outcome = _poll(connector, FakeClient(pages=[RateLimited("429 Too Many Requests", retry_after=900)]))
    connector.refresh_from_db()
    assert not outcome.ok and "Rate limited" in outcome.error
    assert connector.next_poll_at == NOW + dt.timedelta(seconds=900)
    assert connector.failures == 0
    health = services.connector_health(connector, now=NOW)
    assert health.state == "ok" and health.label == "Waiting" and "in 15 minutes" in health.detail


@pytest.mark.parametrize(("failures", "base"), [(1, 600), (2, 1200), (3, 2400), (6, 19200), (7, 21600), (40, 21600)])
def test_backoff_doubles_per_failure_up_to_six_hours_less_a_little_jitter(failures: int, base: float) -> None:
    delays = [services.backoff_delay(300, failures, rng=random.Random(seed)) for seed in range(50)]
    assert all(base * 0.9 <= d <= base for d in delays)
    assert len(set(delays)) > 1  # jitter spreads connectors that failed together


def test_when_the_platform_fails_then_failures_count_up_and_polls_back_off(connector: Connector) -> None:
    outcome = _poll(connector, FakeClient(pages=[ConnectorError("502 Bad Gateway")]))
    connector.refresh_from_db()
    assert not outcome.ok and outcome.error == "502 Bad Gateway"
    assert connector.failures == 1 and connector.last_error == "502 Bad Gateway"
    assert NOW + dt.timedelta(seconds=540) <= connector.next_poll_at <= NOW + dt.timedelta(seconds=600)

    _poll(connector, FakeClient(pages=[ConnectorError("502 Bad Gateway")]), now=NOW + HOUR)
    connector.refresh_from_db()
    assert connector.failures == 2
    assert NOW + HOUR + dt.timedelta(seconds=1080) <= connector.next_poll_at <= NOW + HOUR + dt.timedelta(seconds=1200)
    health = services.connector_health(connector, now=NOW + HOUR)
    assert (health.state, health.label) == ("failing", "Failing (2 in a row)") and "502" in health.detail

    _poll(connector, FakeClient(pages=[page([incoming("1")], "c1")]), now=NOW + 2 * HOUR)
    connector.refresh_from_db()
    assert (connector.failures, connector.last_error, connector.last_ok_at) == (0, "", NOW + 2 * HOUR)


def test_when_a_later_page_fails_the_earlier_pages_stay_stored(connector: Connector) -> None:
    client = FakeClient(pages=[page([incoming("1")], "c1", more=True), ConnectorError("timed out")])
    outcome = _poll(connector, client)
    connector.refresh_from_db()
    assert (outcome.ok, outcome.created) == (False, 1)
    assert connector.cursor == "c1" and Message.objects.count() == 1 and connector.failures == 1


def test_an_adapter_bug_is_recorded_as_a_failure_not_raised(connector: Connector) -> None:
    outcome = _poll(connector, FakeClient(pages=[KeyError("status")]))
    connector.refresh_from_db()
    assert not outcome.ok and "KeyError" in connector.last_error and connector.failures == 1


def test_refused_credentials_stop_polling_until_someone_updates_them(
    connector: Connector, users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = _poll(connector, FakeClient(pages=[AuthFailed("401 The access token is invalid")]))
    connector.refresh_from_db()
    assert not outcome.ok and connector.auth_failed_at == NOW and connector.next_poll_at is None
    assert services.connector_health(connector, now=NOW).state == "auth"
    assert connector.pk not in services.due_connectors(now=NOW + 24 * HOUR)

    untouched = FakeClient(pages=[page([incoming("1")], "c1")])
    assert not _poll(connector, untouched, now=NOW + HOUR).ok
    assert untouched.polled == []  # the platform is not asked again with the refused token

    services.connector_update(actor=users["comms_manager"], connector=connector, secret="new-token")
    connector.refresh_from_db()
    assert connector.auth_failed_at is None and connector.failures == 0 and connector.secret == "new-token"
    assert connector.pk in services.due_connectors(now=NOW + HOUR)
    assert _poll(connector, FakeClient(pages=[page([incoming("1")], "c1")]), now=NOW + HOUR).ok


def test_a_switched_off_connector_is_paused_and_never_due(connector: Connector, users: dict[str, Any]) -> None:
    services.connector_update(actor=users["comms_manager"], connector=connector, enabled=False)
    connector.refresh_from_db()
    assert services.connector_health(connector).state == "paused"
    assert services.due_connectors(now=NOW) == []
    client = FakeClient(pages=[page([incoming("1")], "c1")])
    assert not _poll(connector, client).ok and client.polled == []


def test_health_before_the_first_poll_says_never(connector: Connector) -> None:
    health = services.connector_health(connector)
    assert (health.state, health.detail) == ("never", "Not polled yet.")


def test_due_connectors_and_claims_let_only_one_run_poll_a_connector(connector: Connector) -> None:
    assert services.due_connectors(now=NOW) == [connector.pk]
    assert services.claim_connector(connector.pk, now=NOW) is True
    assert services.claim_connector(connector.pk, now=NOW) is False  # another run got it
    assert services.due_connectors(now=NOW) == []
    assert services.due_connectors(now=NOW + HOUR) == [connector.pk]  # the claim lapses


def test_the_beat_task_polls_every_due_connector_in_process_without_redis(
    connector: Connector, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = use_client(monkeypatch, FakeClient(pages=[page([incoming("1"), incoming("2")], "c1")]))
    result = tasks.poll_due_connectors.delay()
    assert result.get() == {"queued": 1}
    connector.refresh_from_db()
    assert client.polled == [""] and connector.cursor == "c1" and connector.messages_seen == 2
    assert tasks.poll_due_connectors.delay().get() == {"queued": 0}  # not due again yet


def test_the_beat_schedule_polls_connectors_every_minute() -> None:
    from govsocial.web.celery import app

    entry = app.conf.beat_schedule["poll-due-connectors"]
    assert entry == {"task": "govsocial.web.inbox.tasks.poll_due_connectors", "schedule": 60.0}
    assert tasks.ingest_items.acks_late and tasks.ingest_items.reject_on_worker_lost


def test_connector_settings_are_checked_when_saved(users: dict[str, Any], channel: Any) -> None:
    with pytest.raises(services.InboxValidationError, match="settings are not right"):
        services.connector_create(
            actor=users["comms_manager"], channel=channel, kind="rss", name="Feed", config={"url": "file:///etc/passwd"}
        )
    with pytest.raises(services.InboxValidationError, match="at the most often"):
        services.connector_create(
            actor=users["comms_manager"],
            channel=channel,
            kind="rss",
            name="Feed",
            config={"url": "https://example.org/feed"},
            poll_interval_s=5,
        )
    with pytest.raises(services.InboxPermissionError):
        services.connector_create(
            actor=users["moderator"],
            channel=channel,
            kind="rss",
            name="Feed",
            config={"url": "https://example.org/feed"},
        )
    hook = services.connector_create(actor=users["admin"], channel=channel, kind="webhook", name="Hook", config={})
    assert len(hook.secret) >= 32  # a webhook gets a random signing secret


def test_connector_events_never_hold_the_secret(users: dict[str, Any], channel: Any) -> None:
    from govsocial.web.audit.models import AuditEvent

    c = services.connector_create(
        actor=users["comms_manager"],
        channel=channel,
        kind="mastodon",
        name="Mentions",
        config={"instance": "https://social.example.nz", "account": "@tests@social.example.nz"},
        secret="very-secret-token",
    )
    services.connector_update(actor=users["comms_manager"], connector=c, secret="another-secret-token")
    for event in AuditEvent.objects.filter(subject_type="connector"):
        assert "secret-token" not in str(event.new) + str(event.old)
    assert AuditEvent.objects.get(action="connector.updated").new["secret_changed"] is True
