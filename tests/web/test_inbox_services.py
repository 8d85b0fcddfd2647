"""Inbox services: assignment and round robin, moderation by house rules, strikes and blocks,
templates, settings, bulk actions, and the reply flow through the drafts app to the platform."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from inbox_support import TEXTS, FakeClient, at, incoming, use_client

from govsocial.web.audit.models import AuditEvent
from govsocial.web.audit.services import verify_chain
from govsocial.web.drafts import services as drafts
from govsocial.web.inbox import services
from govsocial.web.inbox.models import AuthorStanding, Connector, Message, Moderation, RoundRobin, Strike

pytestmark = pytest.mark.django_db

NOW = at("2026-11-18 10:00")


def _ingest(channel: Any, *items: Any, connector: Connector | None = None) -> list[Message]:
    result = services.ingest(channel=channel, items=list(items), connector=connector, now=NOW)
    return list(Message.objects.filter(pk__in=result.ids).order_by("pk"))


def _events(action: str, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("seq"))


@pytest.fixture
def question(channel: Any) -> Message:
    return _ingest(channel, incoming("q", TEXTS["question"], author="aroha"))[0]


# --------------------------------------------------------------------------- assignment


def test_a_moderator_assigns_a_message_and_each_assignment_is_audited(
    question: Message, users: dict[str, Any], team: Any
) -> None:
    services.message_assign(actor=users["moderator"], message=question, assignee=users["officer"])
    services.message_assign(actor=users["moderator"], message=question, assignee=None)
    question.refresh_from_db()
    assert question.assignee is None and question.team == team
    events = _events("message.assigned", subject_id=str(question.pk))
    assert len(events) == 2
    assert events[0].new["assignee"].endswith("Test officer") and events[0].actor == users["moderator"]


def test_an_officer_may_take_a_message_but_not_give_it_to_someone_else(
    question: Message, users: dict[str, Any]
) -> None:
    services.message_assign(actor=users["officer"], message=question, assignee=users["officer"])
    assert Message.objects.get(pk=question.pk).assignee == users["officer"]
    with pytest.raises(services.InboxPermissionError):
        services.message_assign(actor=users["officer"], message=question, assignee=users["officer2"])
    with pytest.raises(services.InboxPermissionError):
        services.message_assign(actor=users["records_manager"], message=question, assignee=users["records_manager"])


def test_assigning_to_someone_outside_the_agency_or_without_an_answering_role_is_refused(
    question: Message, users: dict[str, Any], outsider: Any
) -> None:
    with pytest.raises(services.InboxValidationError, match="of your agency"):
        services.message_assign(actor=users["moderator"], message=question, assignee=outsider)
    with pytest.raises(services.InboxValidationError, match="does not have a role"):
        services.message_assign(actor=users["moderator"], message=question, assignee=users["records_manager"])


def test_another_agencys_staff_cannot_touch_the_message(question: Message, outsider: Any) -> None:
    with pytest.raises(services.InboxPermissionError):
        services.message_assign(actor=outsider, message=question, assignee=outsider)
    with pytest.raises(services.InboxPermissionError):
        services.message_moderate(actor=outsider, message=question, kind="leave", rule_code="")
    with pytest.raises(services.InboxPermissionError):
        services.reply_start(actor=outsider, message=question, text="Hello")


def test_round_robin_goes_round_the_teams_answering_members_in_order_and_remembers_where_it_stopped(
    channel: Any, users: dict[str, Any], team: Any
) -> None:
    messages = _ingest(channel, *(incoming(f"m{i}", TEXTS["question"]) for i in range(6)))
    pool = services.round_robin_members(team)
    # Officers, moderators and comms managers answer; approvers, records managers and admins do not.
    assert [u.username for u in pool] == ["officer", "moderator", "comms-manager", "officer-2"]

    first = services.message_assign_round_robin(actor=users["moderator"], messages=messages[:3], team=team)
    second = services.message_assign_round_robin(actor=users["comms_manager"], messages=messages[3:], team=team)
    order = [m.assignee.username for m in [*first, *second]]
    assert order == ["officer", "moderator", "comms-manager", "officer-2", "officer", "moderator"]
    assert RoundRobin.objects.get(team=team).last_user == users["moderator"]
    assert len(_events("message.assigned")) == 6
    assert {e.new["how"] for e in _events("message.assigned")} == {"round_robin"}


def test_round_robin_skips_people_who_left_and_refuses_an_empty_team(
    channel: Any, users: dict[str, Any], team: Any, agency: Any
) -> None:
    from govsocial.web.accounts.services import team_create, user_deactivate

    messages = _ingest(channel, *(incoming(f"m{i}", TEXTS["question"]) for i in range(3)))
    user_deactivate(actor=users["admin"], user=users["moderator"], reason="left")
    got = services.message_assign_round_robin(actor=users["comms_manager"], messages=messages, team=team)
    assert [m.assignee.username for m in got] == ["officer", "comms-manager", "officer-2"]
    empty = team_create(actor=None, agency=agency, name="Nobody here")
    with pytest.raises(services.InboxValidationError, match="Nobody in"):
        services.message_assign_round_robin(actor=users["comms_manager"], messages=messages, team=empty)


# --------------------------------------------------------------------------- moderation


def test_hiding_needs_a_published_rule_and_is_recorded_and_audited(channel: Any, users: dict[str, Any]) -> None:
    [m] = _ingest(channel, incoming("i", TEXTS["insult"], author="grump"))
    assert m.status == "moderation"
    with pytest.raises(services.InboxValidationError, match="Choose the house rule"):
        services.message_moderate(actor=users["moderator"], message=m, kind="hide", rule_code="")
    with pytest.raises(services.InboxValidationError, match="not a rule of this channel"):
        services.message_moderate(actor=users["moderator"], message=m, kind="hide", rule_code="XX-99")

    moderation = services.message_moderate(
        actor=users["moderator"], message=m, kind="hide", rule_code="in-02", reason="Name-calling"
    )
    m.refresh_from_db()
    assert (m.hidden, m.action, m.rule_code, m.status) == (True, "hide", "IN-02", "no_action")
    assert (moderation.actor, moderation.rule_code, moderation.reason) == (users["moderator"], "IN-02", "Name-calling")
    [event] = _events("message.hidden", actor=users["moderator"])
    assert event.new["rule_code"] == "IN-02" and event.old["hidden"] is False and event.reason == "Name-calling"


@pytest.mark.parametrize(
    ("rule_code", "reason"),
    [("IN-15", "Critical of the minister"), ("IN-14", "too many questions"), ("IN-02", "criticism"), ("criticism", "")],
)
def test_criticism_is_never_a_reason_to_hide(channel: Any, users: dict[str, Any], rule_code: str, reason: str) -> None:
    [m] = _ingest(channel, incoming("c", TEXTS["criticism"]))
    with pytest.raises(services.InboxValidationError, match=r"IN-1[45]"):
        services.message_moderate(actor=users["moderator"], message=m, kind="hide", rule_code=rule_code, reason=reason)
    m.refresh_from_db()
    assert not m.hidden and not Moderation.objects.filter(message=m).exists()


def test_a_question_is_hidden_only_for_personal_information_or_a_written_reason_and_stays_in_the_queue(
    question: Message, users: dict[str, Any]
) -> None:
    with pytest.raises(services.InboxValidationError, match="IN-14"):
        services.message_moderate(actor=users["moderator"], message=question, kind="hide", rule_code="IN-03")
    services.message_moderate(
        actor=users["moderator"],
        message=question,
        kind="hide",
        rule_code="IN-10",
        reason="It names a member of staff who is not a spokesperson",
    )
    question.refresh_from_db()
    assert question.hidden and question.status == "open" and question.due_at is not None


def test_only_moderators_moderate(question: Message, users: dict[str, Any]) -> None:
    for role in ("officer", "approver", "records_manager"):
        with pytest.raises(services.InboxPermissionError):
            services.message_moderate(actor=users[role], message=question, kind="leave", rule_code="")


def test_leaving_a_queued_message_up_sends_it_on_and_unhide_shows_it_again(channel: Any, users: dict[str, Any]) -> None:
    [m] = _ingest(channel, incoming("i", TEXTS["insult"]))
    services.message_moderate(
        actor=users["moderator"], message=m, kind="leave", rule_code="IN-15", reason="Rude, not abuse"
    )
    m.refresh_from_db()
    assert (m.status, m.action, m.rule_code) == ("no_action", "leave", "IN-15")
    services.message_moderate(actor=users["moderator"], message=m, kind="hide", rule_code="IN-02")
    services.message_moderate(actor=users["comms_manager"], message=m, kind="unhide", rule_code="", reason="On appeal")
    m.refresh_from_db()
    assert not m.hidden
    assert list(Moderation.objects.filter(message=m).values_list("kind", flat=True)) == ["leave", "hide", "unhide"]
    with pytest.raises(services.InboxStateError):
        services.message_moderate(actor=users["moderator"], message=m, kind="unhide", rule_code="")


def test_a_moderators_hide_and_report_reach_the_platform_after_commit(
    channel: Any, users: dict[str, Any], monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    connector = services.connector_create(
        actor=users["comms_manager"],
        channel=channel,
        kind="mastodon",
        name="Mentions",
        config={"instance": "https://social.example.nz", "account": "@tests@social.example.nz"},
        secret="token",
    )
    [m] = _ingest(channel, incoming("i", TEXTS["insult"]), connector=connector)
    client = use_client(monkeypatch, FakeClient())
    with django_capture_on_commit_callbacks(execute=True):
        services.message_moderate(actor=users["moderator"], message=m, kind="hide", rule_code="IN-02")
        services.message_moderate(actor=users["moderator"], message=m, kind="report", rule_code="IN-02", reason="Abuse")
    assert client.hidden == ["i"] and client.reported == [("i", "Abuse")]
    assert all(Moderation.objects.filter(message=m).values_list("applied_on_platform", flat=True))


def test_escalating_needs_a_reason_and_raises_the_priority(question: Message, users: dict[str, Any]) -> None:
    with pytest.raises(services.InboxValidationError, match="escalated to"):
        services.message_moderate(actor=users["moderator"], message=question, kind="escalate", rule_code="")
    services.message_moderate(
        actor=users["moderator"], message=question, kind="escalate", rule_code="", reason="Police: threat to staff"
    )
    question.refresh_from_db()
    assert question.priority == 1 and _events("message.escalated")


# --------------------------------------------------------------------------- authors


def test_strikes_are_counted_audited_and_suggest_a_block_at_the_packs_threshold(
    channel: Any, users: dict[str, Any]
) -> None:
    texts = ("You lot are useless idiots.", "Absolute clowns, the lot of you.", "What a pack of fools you are.")
    messages = _ingest(channel, *(incoming(f"s{i}", text, author="grump") for i, text in enumerate(texts)))
    assert not AuthorStanding.objects.exists()  # none of these earned an automatic strike
    for m in messages:
        standing = services.author_strike(actor=users["moderator"], message=m, rule_code="IN-02", reason="Insults")
    assert standing.strikes == 3 and Strike.objects.filter(standing=standing).count() == 3
    events = _events("author.struck")
    assert [e.new["block_suggested"] for e in events] == [False, False, True]
    with pytest.raises(services.InboxValidationError, match="IN-15"):
        services.author_strike(actor=users["moderator"], message=messages[0], rule_code="IN-15")
    with pytest.raises(services.InboxPermissionError):
        services.author_strike(actor=users["officer"], message=messages[0], rule_code="IN-02")


@pytest.mark.parametrize(
    ("reason", "days", "message"),
    [
        ("", 30, "reason"),
        ("   ", 30, "reason"),
        ("Threats against staff", None, "review"),
        ("Threats against staff", 0, "future"),
        ("Threats against staff", -3, "future"),
        ("Threats against staff", 400, "within a year"),
        ("criticism", 30, "IN-15"),
    ],
)
def test_a_block_needs_a_reason_and_a_review_date(
    question: Message, users: dict[str, Any], reason: str, days: int | None, message: str
) -> None:
    standing = services.author_standing(message=question)
    review_on = None if days is None else dt.date.today() + dt.timedelta(days=days)
    with pytest.raises(services.InboxValidationError, match=message):
        services.author_block(actor=users["moderator"], standing=standing, reason=reason, review_on=review_on)
    standing.refresh_from_db()
    assert not standing.blocked


def test_blocking_and_unblocking_are_recorded_with_who_why_and_when_to_review(
    question: Message, users: dict[str, Any]
) -> None:
    standing = services.author_standing(message=question)
    review = dt.date.today() + dt.timedelta(days=90)
    with pytest.raises(services.InboxPermissionError):
        services.author_block(actor=users["officer"], standing=standing, reason="x", review_on=review)
    services.author_block(actor=users["moderator"], standing=standing, reason="Repeated threats", review_on=review)
    standing.refresh_from_db()
    assert (standing.blocked, standing.blocked_by, standing.review_on) == (True, users["moderator"], review)
    with pytest.raises(services.InboxStateError):
        services.author_block(actor=users["moderator"], standing=standing, reason="again", review_on=review)
    with pytest.raises(services.InboxValidationError):
        services.author_unblock(actor=users["moderator"], standing=standing, reason="")
    services.author_unblock(actor=users["comms_manager"], standing=standing, reason="Reviewed: apologised")
    standing.refresh_from_db()
    assert not standing.blocked
    [blocked] = _events("author.blocked")
    assert blocked.reason == "Repeated threats" and blocked.new["review_on"] == review.isoformat()
    assert _events("author.unblocked")[0].reason == "Reviewed: apologised"


# --------------------------------------------------------------------------- closing and bulk


def test_closing_takes_a_message_out_of_the_queue(question: Message, users: dict[str, Any]) -> None:
    services.message_close(actor=users["officer"], message=question, reason="Answered by phone")
    question.refresh_from_db()
    assert question.status == "closed"
    with pytest.raises(services.InboxStateError):
        services.message_close(actor=users["officer"], message=question)
    assert _events("message.closed")[0].reason == "Answered by phone"


def test_a_bulk_action_is_all_or_nothing_and_audits_each_message(
    channel: Any, users: dict[str, Any], outsider: Any
) -> None:
    messages = _ingest(channel, *(incoming(f"b{i}", TEXTS["question"]) for i in range(3)))
    ids = [m.pk for m in messages]
    assert (
        services.messages_bulk(actor=users["moderator"], message_ids=ids, action="assign", assignee=users["officer2"])
        == 3
    )
    assert set(Message.objects.filter(pk__in=ids).values_list("assignee__username", flat=True)) == {"officer-2"}

    with pytest.raises(services.InboxValidationError, match=r"Message \d+: .*IN-14"):
        services.messages_bulk(actor=users["moderator"], message_ids=ids, action="hide", rule_code="IN-03")
    assert not Message.objects.filter(pk__in=ids, hidden=True).exists()

    with pytest.raises(services.InboxValidationError, match="do not exist"):
        services.messages_bulk(actor=outsider, message_ids=ids, action="close")
    assert services.messages_bulk(actor=users["officer"], message_ids=ids, action="close", reason="Duplicate") == 3
    assert len(_events("message.closed")) == 3


# --------------------------------------------------------------------------- templates and settings


def test_a_template_is_approved_by_a_manager_who_did_not_write_it_and_any_change_needs_approval_again(
    agency: Any, users: dict[str, Any]
) -> None:
    t = services.template_create(
        actor=users["comms_manager"],
        agency=agency,
        key="take-offline",
        title="Take it offline",
        body="Kia ora {author}, please send us a private message.",
        purpose="take_offline",
    )
    assert not t.approved
    with pytest.raises(services.InboxPermissionError, match="someone else"):
        services.template_approve(actor=users["comms_manager"], template=t)
    with pytest.raises(services.InboxPermissionError):
        services.template_approve(actor=users["officer"], template=t)
    services.template_approve(actor=users["admin"], template=t)
    t.refresh_from_db()
    assert t.approved and t.approved_by == users["admin"]

    services.template_update(actor=users["officer"], template=t, body="Kia ora {author}, please message us privately.")
    t.refresh_from_db()
    assert not t.approved and t.approved_by is None and t.updated_by == users["officer"]
    services.template_approve(actor=users["comms_manager"], template=t)
    assert [e.action for e in AuditEvent.objects.filter(subject_type="template").order_by("seq")] == [
        "template.created",
        "template.approved",
        "template.updated",
        "template.approved",
    ]
    with pytest.raises(services.InboxValidationError, match="already a template"):
        services.template_create(actor=users["officer"], agency=agency, key="take-offline", title="x", body="y")


def test_inbox_settings_default_to_weekdays_nine_to_five_and_are_validated(agency: Any, users: dict[str, Any]) -> None:
    s = services.inbox_settings_get(agency=agency)
    assert s.workdays == [1, 2, 3, 4, 5] and s.timezone == "Pacific/Auckland"
    services.inbox_settings_update(
        actor=users["comms_manager"], agency=agency, workday_start="08:30", holidays=["2026-12-25", "2026-12-25"]
    )
    s.refresh_from_db()
    assert s.workday_start == dt.time(8, 30) and s.holidays == ["2026-12-25"]
    for bad in ({"timezone": "Nowhere/Else"}, {"workdays": []}, {"workday_end": "07:00"}, {"holidays": ["soon"]}):
        with pytest.raises(services.InboxValidationError):
            services.inbox_settings_update(actor=users["comms_manager"], agency=agency, **bad)
    with pytest.raises(services.InboxPermissionError):
        services.inbox_settings_update(actor=users["moderator"], agency=agency, timezone="UTC")
    [event] = _events("inbox_settings.updated")
    assert event.new == {"holidays": ["2026-12-25"], "workday_start": "08:30"}


# --------------------------------------------------------------------------- replies


def _approve_and_publish(draft: Any, users: dict[str, Any], **publish: Any) -> Any:
    draft = drafts.draft_submit(actor=users["officer"], draft=draft)
    if draft.state == "awaiting_approval":
        drafts.draft_approve(approver=users["approver"], draft=draft, reason="Fine to send")
        draft.refresh_from_db()
    return drafts.draft_publish(actor=users["approver"], draft=draft, **publish)


@pytest.fixture
def approved_template(agency: Any, users: dict[str, Any]) -> Any:
    t = services.template_create(
        actor=users["comms_manager"],
        agency=agency,
        key="general",
        title="General answer",
        body="Kia ora {author}, the pool reopens on Monday at 6am.",
    )
    return services.template_approve(actor=users["admin"], template=t)


def test_the_reply_flow_sends_through_the_connector_once_and_marks_the_message_answered(
    channel: Any, users: dict[str, Any], monkeypatch: pytest.MonkeyPatch, approved_template: Any
) -> None:
    connector = services.connector_create(
        actor=users["comms_manager"],
        channel=channel,
        kind="mastodon",
        name="Mentions",
        config={"instance": "https://social.example.nz", "account": "@tests@social.example.nz"},
        secret="token",
    )
    [m] = _ingest(channel, incoming("109", TEXTS["question"], author="aroha"), connector=connector)
    client = use_client(monkeypatch, FakeClient())

    draft = services.reply_start(actor=users["officer"], message=m, template=approved_template)
    m.refresh_from_db()
    assert (m.status, m.reply_draft, m.assignee) == ("replying", draft, users["officer"])
    assert draft.reply_to == TEXTS["question"] and draft.channel == channel
    assert draft.current.text == "Kia ora @aroha, the pool reopens on Monday at 6am."
    assert draft.current.engine  # reviewed like any draft, with the message as reply_to
    with pytest.raises(services.InboxStateError, match="already in progress"):
        services.reply_start(actor=users["officer2"], message=m, text="Another answer")

    published = _approve_and_publish(draft, users)
    assert client.replies == [("109", "Kia ora @aroha, the pool reopens on Monday at 6am.")]
    assert published.platform_post_id == "reply-1" and published.publish_method == "inbox-mastodon"
    m.refresh_from_db()
    assert (m.status, m.reply_platform_id) == ("answered", "reply-1") and m.answered_at is not None
    [answered] = _events("message.answered")
    assert answered.new["reply_draft"] == draft.pk and answered.actor == users["approver"]
    assert [
        e.action for e in AuditEvent.objects.filter(subject_type="message", subject_id=str(m.pk)).order_by("seq")
    ] == [
        "message.reply_started",
        "message.answered",
    ]
    assert verify_chain()[1] is None


def test_when_the_connector_cannot_reply_the_reply_is_posted_by_hand_and_still_marks_the_message_answered(
    channel: Any, users: dict[str, Any]
) -> None:
    connector = services.connector_create(
        actor=users["comms_manager"], channel=channel, kind="import", name="Comment export", config={}
    )
    [m] = _ingest(channel, incoming("c-1", TEXTS["question"], author="aroha"), connector=connector)
    draft = services.reply_start(actor=users["officer"], message=m, text="Kia ora, Monday at 6am.")
    with pytest.raises(drafts.LiveUrlRequired):
        _approve_and_publish(draft, users)
    draft.refresh_from_db()
    drafts.draft_publish(actor=users["approver"], draft=draft, url="https://x.com/tests/status/1")
    m.refresh_from_db()
    assert m.status == "answered" and m.reply_platform_id == ""
    assert _events("message.answered")[0].new["url"] == "https://x.com/tests/status/1"


def test_when_the_platform_refuses_the_reply_the_draft_stays_ready_and_the_message_unanswered(
    channel: Any, users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    connector = services.connector_create(
        actor=users["comms_manager"],
        channel=channel,
        kind="mastodon",
        name="Mentions",
        config={"instance": "https://social.example.nz", "account": "@tests@social.example.nz"},
        secret="token",
    )
    [m] = _ingest(channel, incoming("110", TEXTS["question"]), connector=connector)
    use_client(monkeypatch, FakeClient(fail_reply="The instance is down for maintenance"))
    draft = services.reply_start(actor=users["officer"], message=m, text="Kia ora, Monday at 6am.")
    with pytest.raises(drafts.PublishError, match="maintenance"):
        _approve_and_publish(draft, users)
    m.refresh_from_db()
    draft.refresh_from_db()
    assert m.status == "replying" and draft.state == "ready"


def test_a_reply_needs_text_or_an_approved_template(question: Message, users: dict[str, Any], agency: Any) -> None:
    with pytest.raises(services.InboxValidationError, match="Write the reply"):
        services.reply_start(actor=users["officer"], message=question, text="  ")
    draft_template = services.template_create(
        actor=users["comms_manager"], agency=agency, key="unapproved", title="Not yet", body="Hello"
    )
    with pytest.raises(services.InboxValidationError, match="approved template"):
        services.reply_start(actor=users["officer"], message=question, template=draft_template)
    with pytest.raises(services.InboxPermissionError):
        services.reply_start(actor=users["records_manager"], message=question, text="Hello")


def test_ordinary_drafts_publish_as_before(channel: Any, users: dict[str, Any]) -> None:
    draft = drafts.draft_create(author=users["officer"], channel=channel, text="Our offices are open 9 to 5.")
    with pytest.raises(drafts.LiveUrlRequired):
        _approve_and_publish(draft, users)
    assert not _events("message.answered")


def test_when_a_reply_draft_is_withdrawn_the_message_waits_for_an_answer_again(
    channel: Any, users: dict[str, Any]
) -> None:
    [m] = _ingest(channel, incoming("w", TEXTS["question"], author="aroha"))
    draft = services.reply_start(actor=users["officer"], message=m, text="Kia ora, we open at 9.")
    assert Message.objects.get(pk=m.pk).status == "replying"

    drafts.draft_withdraw(actor=users["officer"], draft=draft, reason="Wrong office")

    m.refresh_from_db()
    assert m.status == "open" and m.answered_at is None
    [event] = _events("message.reply_withdrawn", subject_id=str(m.pk))
    assert event.old == {"status": "replying", "reply_draft": draft.pk} and event.new == {"status": "open"}
    again = services.reply_start(actor=users["officer"], message=m, text="Kia ora, the Petone office opens at 9.")
    assert again.pk != draft.pk and Message.objects.get(pk=m.pk).status == "replying"
    assert verify_chain()[1] is None
