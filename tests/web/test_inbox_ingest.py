"""Ingest: messages triaged by the pack's house rules, stored exactly once, with duplicates,
threads, strikes, blocked authors, the channel's moderation mode, platform hides and audit events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from inbox_support import TEXTS, FakeClient, at, incoming, use_client

from govsocial.connectors.files import read_messages
from govsocial.web.audit.models import AuditEvent
from govsocial.web.audit.services import verify_chain
from govsocial.web.inbox import services
from govsocial.web.inbox.models import AuthorStanding, Connector, Message, Moderation, Strike

pytestmark = pytest.mark.django_db

NOW = at("2026-11-18 10:00")  # a Wednesday, inside the default 09:00–17:00 day


@pytest.fixture
def mastodon(users: dict[str, Any], channel: Any) -> Connector:
    return services.connector_create(
        actor=users["comms_manager"],
        channel=channel,
        kind="mastodon",
        name="Mentions",
        config={"instance": "https://social.example.nz", "account": "@tests@social.example.nz"},
        secret="token",
    )


def _by_pid(channel: Any) -> dict[str, Message]:
    return {m.platform_id: m for m in Message.objects.filter(channel=channel)}


def test_when_messages_arrive_then_each_is_stored_with_its_triage_status_and_due_time(channel: Any, team: Any) -> None:
    items = [
        incoming("q1", TEXTS["question"], author="aroha", created_at=NOW - dt.timedelta(minutes=5)),
        incoming("p1", TEXTS["phone"], author="will"),
        incoming("t1", TEXTS["threat"], author="bully"),
        incoming("i1", TEXTS["insult"], author="grump"),
        incoming("g1", TEXTS["praise"], author="hemi"),
    ]
    result = services.ingest(channel=channel, items=items, now=NOW)

    assert result.created == 5 and result.duplicates == 0
    got = _by_pid(channel)
    q = got["q1"]
    assert (q.category, q.action, q.status, q.hidden) == ("question", "leave", "open", False)
    # Eight business hours (the channel's target) from Wednesday 10:00 is Thursday 10:00.
    assert q.due_at == at("2026-11-19 10:00")
    assert q.team == team and q.agency_id == channel.agency_id
    assert q.created_at == NOW - dt.timedelta(minutes=5) and q.received_at == NOW
    assert q.triaged_with.startswith("nz@") and "scores" in q.triage and q.triage["respond"] is True

    # Personal information: hidden at once (IN-01) and still answered ("take it offline").
    p = got["p1"]
    assert (p.hidden, p.action, p.rule_code, p.status) == (True, "hide", "IN-01", "open")
    assert p.has_pii and "phone" in p.pii_kinds and p.due_at is not None
    assert p.triage["template"] == "take_offline"

    t = got["t1"]
    assert (t.hidden, t.rule_code, t.status, t.due_at) == (True, "IN-02", "no_action", None)
    assert got["i1"].status == "moderation" and not got["i1"].hidden
    assert (got["g1"].status, got["g1"].due_at) == ("no_action", None)

    # Automatic hides: one moderation row each, by nobody, citing the rule.
    hides = Moderation.objects.filter(message__channel=channel).order_by("message__platform_id")
    assert [(m.message.platform_id, m.kind, m.rule_code, m.actor_id) for m in hides] == [
        ("p1", "hide", "IN-01", None),
        ("t1", "hide", "IN-02", None),
    ]
    assert result.hidden == 2 and result.queued == 1 and sorted(result.ids) == sorted(m.pk for m in got.values())


def test_when_the_same_batch_arrives_again_then_nothing_is_stored_or_audited_twice(channel: Any) -> None:
    items = [incoming(f"m{i}", text) for i, text in enumerate(TEXTS.values())]
    first = services.ingest(channel=channel, items=items, now=NOW)
    events = AuditEvent.objects.count()
    strikes = Strike.objects.count()
    snapshot = list(Message.objects.order_by("pk").values())

    again = services.ingest(channel=channel, items=items, now=NOW + dt.timedelta(minutes=1))
    partly = services.ingest(channel=channel, items=[*items[:3], incoming("new-one")], now=NOW + dt.timedelta(hours=1))

    assert first.created == len(items)
    assert (again.created, again.duplicates, again.ids) == (0, len(items), [])
    assert (partly.created, partly.duplicates) == (1, 3)
    assert list(Message.objects.exclude(platform_id="new-one").order_by("pk").values()) == snapshot
    assert Strike.objects.count() == strikes
    assert AuditEvent.objects.count() == events + 1  # only the batch that stored something


def test_the_same_platform_id_twice_in_one_batch_is_stored_once(channel: Any) -> None:
    result = services.ingest(channel=channel, items=[incoming("x"), incoming("x", "a later edit")], now=NOW)
    assert result.created == 1
    assert Message.objects.get(channel=channel, platform_id="x").text == TEXTS["question"]


def test_the_same_platform_id_on_two_channels_is_two_messages(channel: Any, agency: Any, team: Any) -> None:
    from govsocial.web.channels.services import channel_create

    other = channel_create(actor=None, agency=agency, name="Bluesky", platform="bluesky", handle="tests.bsky.social")
    services.ingest(channel=channel, items=[incoming("same")], now=NOW)
    services.ingest(channel=other, items=[incoming("same")], now=NOW)
    assert Message.objects.filter(platform_id="same").count() == 2


def test_one_audit_event_per_batch_and_one_per_automatic_hide_and_the_chain_verifies(channel: Any) -> None:
    items = [incoming("a", TEXTS["question"]), incoming("b", TEXTS["phone"]), incoming("c", TEXTS["threat"])]
    before = AuditEvent.objects.count()
    result = services.ingest(channel=channel, items=items, now=NOW)

    events = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.action for e in events] == ["inbox.ingested", "message.hidden", "message.hidden"]
    batch = events[0]
    assert batch.actor_id is None and batch.agency_id == channel.agency_id
    assert batch.subject_type == "channel" and batch.subject_id == str(channel.pk)
    assert batch.new["created"] == 3 and batch.new["hidden"] == 2
    assert (batch.new["first_id"], batch.new["last_id"]) == (min(result.ids), max(result.ids))
    assert len(batch.new["platform_ids_sha256"]) == 64 and "a" not in batch.new  # no message text in the log
    assert {e.new["rule_code"] for e in events[1:]} == {"IN-01", "IN-02"}
    assert all(e.new["automatic"] and e.subject_type == "message" for e in events[1:])
    assert verify_chain() == (AuditEvent.objects.count(), None)


def test_many_authors_sending_the_same_words_is_a_campaign_grouped_under_the_first(channel: Any) -> None:
    services.ingest(channel=channel, items=[incoming("c1", TEXTS["campaign"], author="ann")], now=NOW)
    services.ingest(
        channel=channel,
        items=[
            incoming("c2", TEXTS["campaign"], author="ben"),
            incoming("c3", TEXTS["campaign"].upper(), author="cal"),
        ],
        now=NOW + dt.timedelta(minutes=1),
    )
    got = _by_pid(channel)
    assert got["c1"].duplicate_of is None
    assert got["c2"].duplicate_of == got["c1"] and got["c3"].duplicate_of == got["c1"]
    categories = {m.category for m in got.values()}
    assert categories == {got["c1"].category} and "spam" not in categories
    assert not any(m.hidden for m in got.values())


def test_the_same_author_repeating_the_same_words_is_spam_hidden_with_a_strike(channel: Any) -> None:
    result = services.ingest(
        channel=channel,
        items=[incoming("r1", TEXTS["campaign"], author="loop"), incoming("r2", TEXTS["campaign"], author="loop")],
        now=NOW,
    )
    got = _by_pid(channel)
    assert got["r1"].category != "spam" and not got["r1"].hidden
    assert (got["r2"].category, got["r2"].hidden, got["r2"].rule_code) == ("spam", True, "IN-05")
    assert got["r2"].duplicate_of == got["r1"] and result.grouped == 1
    standing = AuthorStanding.objects.get(author="loop")
    assert standing.strikes == 1
    assert list(Strike.objects.values_list("message__platform_id", "rule_code")) == [("r2", "IN-05")]


def test_a_repeated_question_from_the_same_person_is_never_hidden(channel: Any) -> None:
    question = "How do I renew my example permit if I am overseas right now?"
    services.ingest(channel=channel, items=[incoming("q1", question, author="mere")], now=NOW)
    services.ingest(channel=channel, items=[incoming("q2", question, author="mere")], now=NOW + dt.timedelta(hours=1))
    q2 = Message.objects.get(platform_id="q2")
    assert (q2.category, q2.hidden, q2.status) == ("question", False, "open")
    assert q2.duplicate_of == Message.objects.get(platform_id="q1")


def test_short_texts_and_texts_older_than_the_window_do_not_group(channel: Any) -> None:
    services.ingest(
        channel=channel, items=[incoming("s1", "Thanks!", author="a"), incoming("o1", TEXTS["campaign"])], now=NOW
    )
    later = NOW + services.DUPLICATE_WINDOW + dt.timedelta(minutes=1)
    services.ingest(
        channel=channel, items=[incoming("s2", "Thanks!", author="a"), incoming("o2", TEXTS["campaign"])], now=later
    )
    got = _by_pid(channel)
    assert got["s2"].duplicate_of is None and got["s2"].category != "spam"
    assert got["o2"].duplicate_of is None


def test_threads_follow_replies_to_their_root(channel: Any) -> None:
    services.ingest(channel=channel, items=[incoming("root", "Our new permit system is live.")], now=NOW)
    services.ingest(
        channel=channel,
        items=[
            incoming("r1", TEXTS["question"], in_reply_to="root", kind="reply"),
            incoming("r2", "Same question here", in_reply_to="r1", kind="reply"),  # parent in the same batch
            incoming("x1", TEXTS["question"], in_reply_to="agency-post-9", kind="reply"),  # parent not stored
            incoming("b1", TEXTS["question"], in_reply_to="b0", thread_id="at://thread-root", kind="reply"),
        ],
        now=NOW,
    )
    got = _by_pid(channel)
    assert got["root"].thread_key == "root"
    assert got["r1"].thread_key == got["r2"].thread_key == "root"
    assert got["x1"].thread_key == "agency-post-9"
    assert got["b1"].thread_key == "at://thread-root"


def test_a_blocked_authors_new_messages_are_hidden_citing_in_13(channel: Any, users: dict[str, Any]) -> None:
    services.ingest(channel=channel, items=[incoming("first", TEXTS["threat"], author="bully")], now=NOW)
    standing = services.author_standing(message=Message.objects.get(platform_id="first"))
    services.author_block(
        actor=users["moderator"],
        standing=standing,
        reason="Repeated threats against staff",
        review_on=dt.date.today() + dt.timedelta(days=90),
    )
    services.ingest(channel=channel, items=[incoming("next", TEXTS["question"], author="bully")], now=NOW)
    m = Message.objects.get(platform_id="next")
    assert (m.hidden, m.action, m.rule_code, m.status) == (True, "hide", "IN-13", "no_action")
    assert Moderation.objects.get(message=m).rule_code == "IN-13"


def test_strikes_accumulate_per_author_from_hides_under_striking_rules(channel: Any) -> None:
    services.ingest(channel=channel, items=[incoming("s1", TEXTS["threat"], author="bully")], now=NOW)
    services.ingest(channel=channel, items=[incoming("s2", TEXTS["spam"], author="bully")], now=NOW)
    # IN-01 (personal information) earns no strike.
    services.ingest(channel=channel, items=[incoming("s3", TEXTS["phone"], author="bully")], now=NOW)
    standing = AuthorStanding.objects.get(agency=channel.agency, platform="x", author="bully")
    assert standing.strikes == 2
    assert sorted(Strike.objects.filter(standing=standing).values_list("rule_code", flat=True)) == ["IN-02", "IN-06"]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("active", {"mention": "open", "reply": "open"}),
        ("alert_only", {"mention": "open", "reply": "no_action"}),
        ("hands_off", {"mention": "no_action", "reply": "no_action"}),
    ],
)
def test_the_channels_moderation_mode_decides_what_enters_the_response_queue(
    channel: Any, mode: str, expected: dict[str, str]
) -> None:
    channel.moderation_mode = mode
    channel.save()
    services.ingest(
        channel=channel,
        items=[incoming("m", TEXTS["question"], kind="mention"), incoming("r", TEXTS["question"], kind="reply")],
        now=NOW,
    )
    got = _by_pid(channel)
    assert {"mention": got["m"].status, "reply": got["r"].status} == expected


def test_the_connectors_cursor_and_counter_commit_with_the_messages(channel: Any, mastodon: Connector) -> None:
    services.ingest(channel=channel, items=[incoming("a"), incoming("b")], connector=mastodon, cursor="c-2", now=NOW)
    services.ingest(channel=channel, items=[incoming("b"), incoming("c")], connector=mastodon, cursor="c-3", now=NOW)
    mastodon.refresh_from_db()
    assert (mastodon.cursor, mastodon.messages_seen) == ("c-3", 3)
    assert set(Message.objects.filter(connector=mastodon).values_list("platform_id", flat=True)) == {"a", "b", "c"}


def test_when_storing_fails_midway_then_neither_messages_nor_cursor_are_saved(
    channel: Any, mastodon: Connector, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "_add_strikes", broken)
    with pytest.raises(RuntimeError):
        services.ingest(
            channel=channel, items=[incoming("a", TEXTS["threat"])], connector=mastodon, cursor="c-9", now=NOW
        )
    mastodon.refresh_from_db()
    assert mastodon.cursor == "" and mastodon.messages_seen == 0
    assert not Message.objects.exists() and not Moderation.objects.exists()


def test_automatic_hides_reach_the_platform_after_commit_and_failures_are_recorded(
    channel: Any,
    mastodon: Connector,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = use_client(monkeypatch, FakeClient())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.ingest(channel=channel, items=[incoming("t1", TEXTS["threat"])], connector=mastodon, now=NOW)
        assert client.hidden == []  # not inside the transaction
    for callback in callbacks:
        callback()
    assert client.hidden == ["t1"]
    assert Moderation.objects.get(message__platform_id="t1").applied_on_platform is True

    refusing = use_client(monkeypatch, FakeClient(can_hide=False))
    with django_capture_on_commit_callbacks(execute=True):
        services.ingest(channel=channel, items=[incoming("t2", TEXTS["threat"])], connector=mastodon, now=NOW)
    moderation = Moderation.objects.get(message__platform_id="t2")
    assert refusing.hidden == [] and moderation.applied_on_platform is False
    assert "cannot hide" in moderation.platform_error
    assert Message.objects.get(platform_id="t2").hidden  # still hidden in the inbox


def test_text_the_database_cannot_hold_is_cleaned_not_refused(channel: Any) -> None:
    services.ingest(
        channel=channel, items=[incoming("nul", "When\x00 does the pool reopen?", author="a\x00b")], now=NOW
    )
    m = Message.objects.get(platform_id="nul")
    assert m.text == "When does the pool reopen?" and m.author == "ab"


def test_a_platform_id_too_long_to_store_is_refused_with_a_reason(channel: Any) -> None:
    with pytest.raises(services.InboxValidationError, match="longer than 300"):
        services.ingest(channel=channel, items=[incoming("x" * 301)], now=NOW)


def test_an_import_file_read_by_the_file_importer_is_ingested_and_reimporting_changes_nothing(
    channel: Any, tmp_path: Path
) -> None:
    export = tmp_path / "comments.csv"
    export.write_text(
        "Comment ID,Message,From,Posted\n"
        f'101,"{TEXTS["question"]}",aroha,2026-11-17T09:00:00+13:00\n'
        f'102,"{TEXTS["phone"]}",will,2026-11-17T09:05:00+13:00\n'
        f'103,"{TEXTS["praise"]}",hemi,\n',
        encoding="utf-8",
    )
    mapping = {"id": "Comment ID", "text": "Message", "author": "From", "created_at": "Posted"}
    first = services.ingest(channel=channel, items=list(read_messages(export, mapping=mapping)), now=NOW)
    again = services.ingest(channel=channel, items=list(read_messages(export, mapping=mapping)), now=NOW)
    assert (first.created, again.created, again.duplicates) == (3, 0, 3)
    got = _by_pid(channel)
    assert got["101"].author == "aroha" and got["101"].created_at == at("2026-11-17 09:00")
    assert got["102"].hidden and got["102"].rule_code == "IN-01"
