"""Inbox reads: agency scoping, filters, keyset pages in both orders, capped counts, threads and groups."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from inbox_support import TEXTS, at, incoming

from govsocial.web.inbox import selectors, services
from govsocial.web.inbox.models import Message
from govsocial.web.inbox.selectors import MessageFilters

pytestmark = pytest.mark.django_db

NOW = at("2026-11-18 10:00")


def _fill(channel: Any, n: int, *, start: dt.datetime = NOW, text: str = TEXTS["question"]) -> list[Message]:
    """``n`` messages, one batch a minute apart (so received times differ), plus ties within a batch."""
    ids: list[int] = []
    for i in range(0, n, 2):
        batch = [incoming(f"m{j}", f"{text} ({j})") for j in range(i, min(i + 2, n))]
        ids += services.ingest(channel=channel, items=batch, now=start + dt.timedelta(minutes=i)).ids
    return list(Message.objects.filter(pk__in=ids))


def _walk(user: Any, filters: MessageFilters, limit: int) -> list[list[int]]:
    pages, after = [], None
    while True:
        page = selectors.message_list(for_user=user, filters=filters, after=after, limit=limit)
        pages.append([m.pk for m in page.items])
        if not page.has_more:
            assert page.next_cursor is None
            return pages
        after = page.next_cursor


def test_pages_newest_first_cover_every_message_once_including_ties(channel: Any, users: dict[str, Any]) -> None:
    messages = _fill(channel, 11)
    pages = _walk(users["officer"], MessageFilters(), limit=3)
    flat = [pk for p in pages for pk in p]
    expected = [m.pk for m in sorted(messages, key=lambda m: (m.received_at, m.pk), reverse=True)]
    assert flat == expected
    assert [len(p) for p in pages] == [3, 3, 3, 2]


def test_pages_soonest_due_first_hold_only_messages_with_a_due_time(channel: Any, users: dict[str, Any]) -> None:
    services.ingest(channel=channel, items=[incoming("praise", TEXTS["praise"])], now=NOW)
    messages = _fill(channel, 6, start=NOW + dt.timedelta(hours=1))
    pages = _walk(users["officer"], MessageFilters(sort="due"), limit=4)
    flat = [pk for p in pages for pk in p]
    assert flat == [m.pk for m in sorted(messages, key=lambda m: (m.due_at, m.pk))]


def test_each_user_sees_only_their_agency(channel: Any, users: dict[str, Any], outsider: Any) -> None:
    _fill(channel, 2)
    assert selectors.message_list(for_user=outsider).items == []
    assert selectors.inbox_counts(for_user=outsider)["open"] == 0
    some = Message.objects.first()
    assert some is not None
    with pytest.raises(Message.DoesNotExist):
        selectors.message_get(for_user=outsider, pk=some.pk)
    assert selectors.message_get(for_user=users["records_manager"], pk=some.pk) == some


def test_filters(channel: Any, users: dict[str, Any]) -> None:
    result = services.ingest(
        channel=channel,
        items=[
            incoming("q", TEXTS["question"], author="aroha"),
            incoming("p", TEXTS["phone"], author="will"),
            incoming("g", TEXTS["praise"], author="hemi"),
            incoming("i", TEXTS["insult"], author="grump"),
        ],
        now=NOW,
    )
    q = Message.objects.get(platform_id="q")
    services.message_assign(actor=users["officer"], message=q, assignee=users["officer"])

    def pids(**kw: Any) -> set[str]:
        user = kw.pop("user", users["officer"])
        return {m.platform_id for m in selectors.message_list(for_user=user, filters=MessageFilters(**kw)).items}

    assert len(result.ids) == 4
    assert pids() == {"q", "p", "g", "i"}
    assert pids(status="open") == {"q", "p"}
    assert pids(status="moderation") == {"i"}
    assert pids(status="hidden") == {"p"}
    assert pids(status="no-such-status") == set()
    assert pids(category="question") == {"q"}
    assert pids(assignee="me") == {"q"}
    assert pids(assignee="none", status="open") == {"p"}
    assert pids(assignee=users["officer"].pk) == {"q"}
    assert pids(q="hamilton") == {"g"} and pids(q="AROHA") == {"q"}
    assert pids(channel_id=channel.pk + 999) == set()
    Message.objects.filter(due_at__isnull=False).update(due_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    assert pids(overdue=True) == set()
    Message.objects.filter(platform_id="q").update(due_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert pids(overdue=True) == {"q"}


def test_a_tampered_cursor_is_a_value_error(channel: Any, users: dict[str, Any]) -> None:
    _fill(channel, 4)
    page = selectors.message_list(for_user=users["officer"], limit=2)
    assert page.next_cursor
    crafted = [base64.urlsafe_b64encode(raw).decode() for raw in (b"r|yesterday|5", b"r|2026-11-18T10:00:00|5", b"r|x")]
    for bad in ("garbage", "!!!", *crafted):
        with pytest.raises(ValueError):
            selectors.message_list(for_user=users["officer"], after=bad)
    with pytest.raises(ValueError, match="another ordering"):
        selectors.message_list(for_user=users["officer"], filters=MessageFilters(sort="due"), after=page.next_cursor)


def test_a_list_page_is_one_query(channel: Any, users: dict[str, Any], team: Any) -> None:
    messages = _fill(channel, 6)
    services.message_assign_round_robin(actor=users["moderator"], messages=messages, team=team)
    with CaptureQueriesContext(connection) as queries:
        page = selectors.message_list(for_user=users["officer"], limit=50)
        shown = [
            (m.channel.name, m.assignee.label if m.assignee else "", m.team.name if m.team else "") for m in page.items
        ]
    assert len(shown) == 6 and len(queries) == 1
    sql = queries[0]["sql"].lower()
    assert "count(" not in sql and "offset" not in sql and '"triage"' not in sql


def test_counts_are_capped(channel: Any, users: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(channel, 5)
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    counts = selectors.inbox_counts(for_user=users["officer"])
    assert counts["open"] == 3 and counts["unassigned"] == 3 and counts["moderation"] == 0
    monkeypatch.setattr(selectors, "COUNT_CAP", 1000)
    assert selectors.inbox_counts(for_user=users["officer"])["open"] == 5


def test_threads_and_duplicate_groups(channel: Any, users: dict[str, Any]) -> None:
    services.ingest(
        channel=channel,
        items=[
            incoming("root", "Our new permit system is live."),
            incoming("r1", TEXTS["question"], in_reply_to="root", kind="reply"),
            incoming("c1", TEXTS["campaign"], author="a"),
            incoming("c2", TEXTS["campaign"], author="b"),
        ],
        now=NOW,
    )
    r1 = Message.objects.get(platform_id="r1")
    assert [m.platform_id for m in selectors.message_thread(message=r1)] == ["root", "r1"]
    c2 = Message.objects.get(platform_id="c2")
    assert [m.platform_id for m in selectors.message_duplicates(message=c2)] == ["c1", "c2"]


def test_templates_and_connectors_of_the_agency(
    agency: Any, users: dict[str, Any], channel: Any, outsider: Any
) -> None:
    t = services.template_create(actor=users["comms_manager"], agency=agency, key="a", title="A", body="Hello")
    assert list(selectors.template_list(for_user=users["officer"])) == [t]
    assert list(selectors.template_list(for_user=users["officer"], approved_only=True)) == []
    assert list(selectors.template_list(for_user=outsider)) == []
    c = services.connector_create(
        actor=users["comms_manager"], channel=channel, kind="import", name="Export", config={}
    )
    assert list(selectors.connector_list(for_user=users["officer"], channel=channel)) == [c]
    assert list(selectors.connector_list(for_user=outsider)) == []
