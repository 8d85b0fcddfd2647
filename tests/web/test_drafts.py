"""Drafts, four-eyes approval (WF-03), publishing and the draft pages.

Routing is tested with a stand-in engine whose findings are chosen by a marker in the text
(``[high]``, ``[block]``), so each routing case is exact whatever the rules decide; a few tests
run the real engine end to end.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import govsocial
from govsocial.model import Finding, Post, ReviewResult, Severity, Verdict
from govsocial.web.audit.models import AuditEvent
from govsocial.web.audit.services import verify_chain
from govsocial.web.channels.models import Channel
from govsocial.web.channels.services import channel_create
from govsocial.web.drafts import adapters, services
from govsocial.web.drafts.models import Approval, ApprovalReason, Decision, Draft, Revision, State
from govsocial.web.drafts.tasks import publish_due, publish_due_drafts

pytestmark = pytest.mark.django_db

OK_TEXT = "Our offices are open 9am to 5pm on weekdays."
PASSWORD_TEXT = "The password is hunter2 for the admin account"
_real_review = govsocial.review


# --------------------------------------------------------------------------- fixtures


def _fake_review(post: Post, pack: Any = "nz", **kwargs: Any) -> ReviewResult:
    """The engine's answer with the findings a marker in the text asks for."""
    loaded = govsocial.load_pack(pack)
    findings = []
    for marker, severity, code in (
        ("[block]", Severity.BLOCK, "SEC401"),
        ("[high]", Severity.HIGH, "PRIV102"),
        ("[warn]", Severity.WARN, "STY101"),
    ):
        if marker in post.text:
            start = post.text.index(marker)
            findings.append(
                Finding(
                    code=code,
                    name="stand-in",
                    severity=severity,
                    message=f"Stand-in {severity} finding.",
                    fix="Take the marker out.",
                    start=start,
                    end=start + len(marker),
                    clauses=("XR-34", "DIA-MISHAP-BEFORE-6"),
                )
            )
    worst = max((f.severity for f in findings), key=lambda s: s.rank, default=None)
    return ReviewResult(
        verdict=Verdict.from_worst(worst),
        findings=tuple(findings),
        pack=loaded.ref,
        engine="stand-in 1",
        context=post.context,
    )


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(govsocial, "review", _fake_review)


@pytest.fixture
def approval_channel(agency: Any, team: Any, users: dict[str, Any]) -> Channel:
    return channel_create(
        actor=None,
        agency=agency,
        name="Careful channel",
        platform="facebook",
        handle="MinistryOfTests",
        owning_team=team,
        requires_approval=True,
    )


@pytest.fixture
def election_pack(tmp_path: Path) -> str:
    today = timezone.localdate()
    path = tmp_path / "election.yml"
    path.write_text(
        "id: election-test\nversion: 2026.1.0\ntitle: Election test\njurisdiction: nz\nextends: nz\n"
        f"options:\n  election_periods:\n  - {{name: test period, start: {today - dt.timedelta(days=2)}, end: {today + dt.timedelta(days=60)}}}\n",
        encoding="utf-8",
    )
    return str(path)


@pytest.fixture
def election_channel(agency: Any, election_pack: str) -> Channel:
    # Made directly: the channel form only offers the packs installed for the agency.
    return Channel.objects.create(
        agency=agency, name="Election channel", platform="mastodon", handle="@tests@example.social", pack=election_pack
    )


@pytest.fixture
def both_roles(agency: Any, team: Any) -> Any:
    from govsocial.web.accounts.services import user_create

    return user_create(
        actor=None,
        agency=agency,
        username="boss",
        password=None,
        display_name="Approving comms manager",
        roles=["approver", "comms_manager"],
        teams=[team],
    )


class FakeAdapter:
    name = "fake"
    manual = False

    def __init__(self, *, fail: bool = False) -> None:
        self.sent: list[tuple[Any, str, list[Mapping[str, Any]]]] = []
        self.fail = fail

    def publish(self, channel: Any, text: str, media: Sequence[Mapping[str, Any]]) -> adapters.PublishReceipt:
        if self.fail:
            raise adapters.PublishFailed("the server said no")
        self.sent.append((channel, text, list(media)))
        n = len(self.sent)
        return adapters.PublishReceipt(url=f"https://x.example/status/{n}", platform_id=str(n))


@pytest.fixture
def fake_adapter() -> Iterator[FakeAdapter]:
    adapter = FakeAdapter()
    with adapters.override_adapter("x", adapter):
        yield adapter


def _make(author: Any, channel: Channel, text: str = OK_TEXT, **kwargs: Any) -> Draft:
    return services.draft_create(author=author, channel=channel, text=text, **kwargs)


def _events(draft: Draft) -> list[str]:
    return list(
        AuditEvent.objects.filter(subject_type="draft", subject_id=str(draft.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def _fresh(draft: Draft) -> Draft:
    return Draft.objects.get(pk=draft.pk)


def _tomorrow() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=1)


# --------------------------------------------------------------------------- creating and reviewing


def test_when_a_draft_is_created_then_revision_one_keeps_its_review_with_pack_and_engine(
    users: dict[str, Any], channel: Channel
) -> None:
    draft = _make(users["officer"], channel, PASSWORD_TEXT, title="Admin notice")
    revision = draft.revisions.get()
    pack = govsocial.load_pack("nz")
    assert (draft.state, draft.agency_id, revision.number) == (State.DRAFT, channel.agency_id, 1)
    assert revision.pack_ref == pack.ref and revision.pack_ref.startswith("nz@") and "#" in revision.pack_ref
    assert revision.engine == govsocial.engine.ENGINE
    assert revision.verdict == "block" and revision.worst == "block"
    assert revision.review["verdict"] == "block" and revision.review["pack"] == pack.ref
    assert "SEC401" in [f["code"] for f in revision.review["findings"]]
    assert _events(draft) == ["draft.created", "draft.reviewed"]


def test_when_the_channel_gives_platform_and_reply_then_the_review_uses_them(
    users: dict[str, Any], channel: Channel, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Post, Any]] = []

    def spy(post: Post, pack: Any = "nz", **kwargs: Any) -> ReviewResult:
        seen.append((post, pack))
        return _fake_review(post, pack)

    monkeypatch.setattr(govsocial, "review", spy)
    _make(
        users["officer"],
        channel,
        OK_TEXT,
        reply_to="When are you open?",
        media=[{"kind": "image", "alt": "Our front door"}],
    )
    post, pack = seen[0]
    assert (str(post.platform), str(post.context), post.reply_to, pack) == ("x", "official", "When are you open?", "nz")
    assert post.media[0].alt == "Our front door"
    assert post.author is not None and post.author.agency == channel.agency.name


def test_when_a_reviewed_revision_is_reviewed_again_then_it_is_refused(users: dict[str, Any], channel: Channel) -> None:
    revision = _make(users["officer"], channel).revisions.get()
    with pytest.raises(services.DraftStateError):
        services.draft_review(revision=revision)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": "   "}, "Enter the text"),
        ({"text": "x" * (services.MAX_TEXT + 1)}, "characters or fewer"),
        ({"media": [{"kind": "hologram"}]}, "Media"),
        ({"scheduled_at": timezone.now() - dt.timedelta(hours=1)}, "in the future"),
    ],
)
def test_when_input_is_invalid_then_create_is_refused_with_a_reason(
    users: dict[str, Any], channel: Channel, kwargs: dict[str, Any], message: str
) -> None:
    args: dict[str, Any] = {"text": OK_TEXT, **kwargs}
    with pytest.raises(services.DraftValidationError, match=message):
        services.draft_create(author=users["officer"], channel=channel, **args)
    assert not Draft.objects.exists()


@pytest.mark.parametrize("role", ["records_manager", "admin"])
def test_when_role_cannot_draft_then_create_is_refused(users: dict[str, Any], channel: Channel, role: str) -> None:
    with pytest.raises(services.DraftPermissionError):
        _make(users[role], channel)


def test_when_channel_is_another_agencys_then_create_is_refused(outsider: Any, channel: Channel) -> None:
    with pytest.raises(services.DraftPermissionError):
        _make(outsider, channel)


# --------------------------------------------------------------------------- routing (WF-03)


def test_when_no_finding_is_high_then_submit_makes_it_ready(users: dict[str, Any], channel: Channel) -> None:
    draft = services.draft_submit(actor=users["officer"], draft=_make(users["officer"], channel, OK_TEXT))
    assert (draft.state, draft.approval_reason) == (State.READY, "")
    assert draft.submitted_at is not None
    assert _events(draft)[-1] == "draft.submitted"


def test_when_ok_and_scheduled_then_submit_schedules_it(users: dict[str, Any], channel: Channel, engine: None) -> None:
    draft = services.draft_submit(
        actor=users["officer"], draft=_make(users["officer"], channel, "Open day [warn]", scheduled_at=_tomorrow())
    )
    assert draft.state == State.SCHEDULED


def test_when_channel_requires_approval_then_an_ok_post_awaits_an_approver(
    users: dict[str, Any], approval_channel: Channel, engine: None
) -> None:
    draft = services.draft_submit(actor=users["officer"], draft=_make(users["officer"], approval_channel))
    assert (draft.state, draft.approval_reason) == (State.AWAITING_APPROVAL, ApprovalReason.CHANNEL)


def test_when_the_pack_says_election_period_then_an_ok_post_awaits_an_approver(
    users: dict[str, Any], election_channel: Channel, engine: None
) -> None:
    draft = services.draft_submit(actor=users["officer"], draft=_make(users["officer"], election_channel))
    assert (draft.state, draft.approval_reason) == (State.AWAITING_APPROVAL, ApprovalReason.ELECTION)


def test_when_post_is_scheduled_after_the_election_period_then_it_goes_straight_through(
    users: dict[str, Any], election_channel: Channel, engine: None
) -> None:
    after = timezone.now() + dt.timedelta(days=90)
    draft = services.draft_submit(
        actor=users["officer"], draft=_make(users["officer"], election_channel, scheduled_at=after)
    )
    assert draft.state == State.SCHEDULED


def test_when_a_finding_is_high_then_it_awaits_and_an_approver_approves_it(
    users: dict[str, Any], channel: Channel, engine: None
) -> None:
    draft = services.draft_submit(actor=users["officer"], draft=_make(users["officer"], channel, "Call me [high]"))
    assert (draft.state, draft.approval_reason, draft.needs_override) == (
        State.AWAITING_APPROVAL,
        ApprovalReason.HIGH,
        False,
    )
    approval = services.draft_approve(approver=users["approver"], draft=draft)
    assert (approval.decision, approval.revision.number, approval.reason) == (Decision.APPROVED, 1, "")
    assert _fresh(draft).state == State.READY
    assert _events(draft)[-1] == "draft.approved"


def test_when_a_finding_blocks_then_approval_needs_a_reason_and_is_an_override(
    users: dict[str, Any], channel: Channel, engine: None
) -> None:
    draft = services.draft_submit(
        actor=users["officer"], draft=_make(users["officer"], channel, "Secret [block]", scheduled_at=_tomorrow())
    )
    assert (draft.state, draft.approval_reason, draft.needs_override) == (
        State.AWAITING_APPROVAL,
        ApprovalReason.BLOCK,
        True,
    )
    with pytest.raises(services.OverrideReasonRequired):
        services.draft_approve(approver=users["approver"], draft=draft, reason="   ")
    assert _fresh(draft).state == State.AWAITING_APPROVAL and not Approval.objects.exists()
    approval = services.draft_approve(
        approver=users["approver"], draft=draft, reason="The 'password' is the name of a public quiz."
    )
    assert approval.decision == Decision.OVERRIDDEN
    assert _fresh(draft).state == State.SCHEDULED
    event = AuditEvent.objects.filter(subject_type="draft", subject_id=str(draft.pk)).order_by("-seq").first()
    assert event is not None and (event.action, event.reason, event.actor_id) == (
        "draft.overridden",
        "The 'password' is the name of a public quiz.",
        users["approver"].pk,
    )


def test_when_the_real_engine_finds_a_password_then_only_an_override_publishes_it(
    users: dict[str, Any], channel: Channel
) -> None:
    draft = services.draft_submit(actor=users["officer"], draft=_make(users["officer"], channel, PASSWORD_TEXT))
    assert draft.needs_override
    with pytest.raises(services.OverrideReasonRequired):
        services.draft_approve(approver=users["approver"], draft=draft)


def test_when_the_author_is_an_approver_then_they_still_cannot_approve_their_own_draft(
    users: dict[str, Any], channel: Channel, engine: None
) -> None:
    draft = services.draft_submit(actor=users["approver"], draft=_make(users["approver"], channel, "Mine [high]"))
    with pytest.raises(services.SelfApprovalError):
        services.draft_approve(approver=users["approver"], draft=draft)
    with pytest.raises(services.SelfApprovalError):
        services.draft_return(approver=users["approver"], draft=draft, comments="Looks fine to me")
    assert "approve" not in services.allowed_actions(users["approver"], draft)
    assert _fresh(draft).state == State.AWAITING_APPROVAL


def test_when_an_approver_edited_someone_elses_draft_then_they_cannot_approve_it(
    users: dict[str, Any], channel: Channel, both_roles: Any, engine: None
) -> None:
    draft = _make(users["officer"], channel, "Theirs [high]")
    services.draft_update(actor=both_roles, draft=draft, text="Edited by the boss [high]")
    draft = services.draft_submit(actor=users["officer"], draft=draft)
    with pytest.raises(services.SelfApprovalError):
        services.draft_approve(approver=both_roles, draft=draft)
    services.draft_approve(approver=users["approver"], draft=draft)


@pytest.mark.parametrize("role", ["officer2", "moderator", "comms_manager", "records_manager", "admin"])
def test_when_user_is_not_an_approver_then_approval_is_refused(
    users: dict[str, Any], channel: Channel, engine: None, role: str
) -> None:
    draft = services.draft_submit(actor=users["officer"], draft=_make(users["officer"], channel, "Check [high]"))
    with pytest.raises(services.DraftPermissionError):
        services.draft_approve(approver=users[role], draft=draft)


def test_when_approver_is_from_another_agency_then_approval_is_refused(
    users: dict[str, Any], channel: Channel, outsider: Any, engine: None
) -> None:
    draft = services.draft_submit(actor=users["officer"], draft=_make(users["officer"], channel, "Check [high]"))
    with pytest.raises(services.DraftPermissionError):
        services.draft_approve(approver=outsider, draft=draft)


def test_when_returned_then_the_author_edits_and_resubmits(
    users: dict[str, Any], channel: Channel, engine: None
) -> None:
    officer, approver = users["officer"], users["approver"]
    draft = services.draft_submit(actor=officer, draft=_make(officer, channel, "Call me on this number [high]"))
    with pytest.raises(services.DraftValidationError):
        services.draft_return(approver=approver, draft=draft, comments=" ")
    services.draft_return(approver=approver, draft=draft, comments="Take the number out, please.")
    draft = _fresh(draft)
    assert draft.state == State.RETURNED
    assert draft.approvals.get().decision == Decision.RETURNED
    services.draft_update(actor=officer, draft=draft, text="Call our contact centre.")
    draft = services.draft_submit(actor=officer, draft=_fresh(draft))
    assert draft.state == State.READY
    revisions = list(draft.revisions.order_by("number"))
    assert [(r.number, r.verdict) for r in revisions] == [(1, "review"), (2, "ok")]
    assert all(r.review and r.pack_ref and r.engine for r in revisions)
    assert _events(draft) == [
        "draft.created",
        "draft.reviewed",
        "draft.submitted",
        "draft.returned",
        "draft.updated",
        "draft.reviewed",
        "draft.submitted",
    ]


def test_when_awaiting_approval_then_the_draft_cannot_be_edited_or_resubmitted(
    users: dict[str, Any], channel: Channel, engine: None
) -> None:
    draft = services.draft_submit(actor=users["officer"], draft=_make(users["officer"], channel, "Check [high]"))
    with pytest.raises(services.DraftStateError):
        services.draft_update(actor=users["officer"], draft=draft, text="Changed")
    with pytest.raises(services.DraftStateError):
        services.draft_submit(actor=users["officer"], draft=draft)


def test_when_someone_else_edits_then_only_a_comms_manager_may(users: dict[str, Any], channel: Channel) -> None:
    draft = _make(users["officer"], channel)
    for role in ("officer2", "approver", "moderator", "records_manager", "admin"):
        with pytest.raises(services.DraftPermissionError):
            services.draft_update(actor=users[role], draft=draft, text="Changed by someone else")
    services.draft_update(actor=users["comms_manager"], draft=draft, text="Tidied by the comms manager.")
    assert draft.revisions.count() == 2
    assert draft.revisions.get(number=2).created_by == users["comms_manager"]


def test_when_the_pack_changed_since_the_review_then_submit_reviews_again(
    users: dict[str, Any], channel: Channel, engine: None
) -> None:
    draft = _make(users["officer"], channel)
    Revision.objects.filter(draft=draft).update(pack_ref="nz@2020.1.0#old")
    draft = services.draft_submit(actor=users["officer"], draft=draft)
    assert draft.revisions.count() == 2
    assert draft.revisions.get(number=2).pack_ref == govsocial.load_pack("nz").ref


def test_when_withdrawn_then_nothing_more_can_happen(users: dict[str, Any], channel: Channel) -> None:
    draft = services.draft_withdraw(
        actor=users["officer"], draft=_make(users["officer"], channel), reason="Event cancelled"
    )
    assert draft.state == State.WITHDRAWN
    with pytest.raises(services.DraftStateError):
        services.draft_submit(actor=users["officer"], draft=draft)
    with pytest.raises(services.DraftStateError):
        services.draft_withdraw(actor=users["officer"], draft=draft)
    with pytest.raises(services.DraftPermissionError):
        services.draft_withdraw(actor=users["officer2"], draft=_make(users["officer"], channel))


# --------------------------------------------------------------------------- audit in the same transaction


def test_when_a_service_fails_after_recording_then_neither_change_nor_event_remains(
    users: dict[str, Any], agency: Any, tmp_path: Path
) -> None:
    broken = Channel.objects.create(
        agency=agency, name="Broken", platform="x", handle="@broken", pack=str(tmp_path / "missing.yml")
    )
    before = AuditEvent.objects.count()
    with pytest.raises(services.DraftValidationError, match="policy pack"):
        _make(users["officer"], broken)  # draft.created is recorded, then the review fails
    assert not Draft.objects.exists() and not Revision.objects.exists()
    assert AuditEvent.objects.count() == before
    assert verify_chain()[1] is None


def test_when_an_approval_is_refused_then_no_event_or_approval_is_written(
    users: dict[str, Any], channel: Channel, engine: None
) -> None:
    draft = services.draft_submit(actor=users["officer"], draft=_make(users["officer"], channel, "[block]"))
    before = AuditEvent.objects.count()
    with pytest.raises(services.OverrideReasonRequired):
        services.draft_approve(approver=users["approver"], draft=draft)
    assert AuditEvent.objects.count() == before and not Approval.objects.exists()


def test_when_the_outer_transaction_rolls_back_then_the_event_goes_with_the_change(
    users: dict[str, Any], channel: Channel
) -> None:
    draft = _make(users["officer"], channel)
    before = AuditEvent.objects.count()
    seen_inside: list[int] = []

    def submit_then_fail() -> None:
        with transaction.atomic():
            services.draft_submit(actor=users["officer"], draft=draft)
            seen_inside.append(AuditEvent.objects.count())
            raise RuntimeError("later step failed")

    with pytest.raises(RuntimeError):
        submit_then_fail()
    assert seen_inside == [before + 1]
    assert _fresh(draft).state == State.DRAFT
    assert AuditEvent.objects.count() == before
    assert verify_chain()[1] is None


# --------------------------------------------------------------------------- publishing


def _ready(users: dict[str, Any], channel: Channel, **kwargs: Any) -> Draft:
    return services.draft_submit(actor=users["officer"], draft=_make(users["officer"], channel, **kwargs))


def test_when_published_by_hand_then_the_live_url_is_required(users: dict[str, Any], channel: Channel) -> None:
    draft = _ready(users, channel)
    with pytest.raises(services.LiveUrlRequired):
        services.draft_publish(actor=users["approver"], draft=draft)
    with pytest.raises(services.DraftValidationError):
        services.draft_publish(actor=users["approver"], draft=draft, url="javascript:alert(1)")
    draft = services.draft_publish(actor=users["approver"], draft=draft, url="https://x.com/MinistryOfTests/status/1")
    assert (draft.state, draft.published_url, draft.published_by, draft.publish_method) == (
        State.PUBLISHED,
        "https://x.com/MinistryOfTests/status/1",
        users["approver"],
        "manual",
    )
    assert draft.published_at is not None
    assert _events(draft)[-1] == "draft.published"


@pytest.mark.parametrize("role", ["officer", "officer2", "moderator", "records_manager", "admin"])
def test_when_user_may_not_publish_on_the_channel_then_publishing_is_refused(
    users: dict[str, Any], channel: Channel, role: str
) -> None:
    draft = _ready(users, channel)
    with pytest.raises(services.DraftPermissionError):
        services.draft_publish(actor=users[role], draft=draft, url="https://x.com/a/status/1")


def test_when_comms_manager_publishes_then_it_is_allowed_on_any_channel(
    users: dict[str, Any], channel: Channel
) -> None:
    draft = services.draft_publish(
        actor=users["comms_manager"], draft=_ready(users, channel), url="https://x.com/a/status/2"
    )
    assert draft.state == State.PUBLISHED


def test_when_not_ready_then_publishing_is_refused(users: dict[str, Any], channel: Channel, engine: None) -> None:
    draft = _make(users["officer"], channel)
    with pytest.raises(services.DraftStateError):
        services.draft_publish(actor=users["approver"], draft=draft, url="https://x.com/a/status/1")
    awaiting = services.draft_submit(actor=users["officer"], draft=_make(users["officer"], channel, "[high]"))
    with pytest.raises(services.DraftStateError):
        services.draft_publish(actor=users["approver"], draft=awaiting, url="https://x.com/a/status/1")


def test_when_the_channel_has_an_adapter_then_publish_goes_through_it(
    users: dict[str, Any], channel: Channel, fake_adapter: FakeAdapter
) -> None:
    draft = services.draft_publish(
        actor=users["approver"], draft=_ready(users, channel, media=[{"kind": "image", "alt": "A map"}])
    )
    assert fake_adapter.sent == [(fake_adapter.sent[0][0], OK_TEXT, [{"kind": "image", "alt": "A map"}])]
    assert (draft.published_url, draft.platform_post_id, draft.publish_method) == (
        "https://x.example/status/1",
        "1",
        "fake",
    )


def test_when_the_adapter_fails_then_the_draft_stays_ready_with_a_reason(
    users: dict[str, Any], channel: Channel
) -> None:
    draft = _ready(users, channel)
    with (
        adapters.override_adapter("x", FakeAdapter(fail=True)),
        pytest.raises(services.PublishError, match="the server said no"),
    ):
        services.draft_publish(actor=users["approver"], draft=draft)
    assert _fresh(draft).state == State.READY


def test_adapters_satisfy_the_protocol_and_unknown_platforms_are_manual(channel: Channel) -> None:
    assert isinstance(adapters.MANUAL, adapters.PublishAdapter)
    assert isinstance(FakeAdapter(), adapters.PublishAdapter)
    assert adapters.adapter_for(channel) is adapters.MANUAL
    with pytest.raises(TypeError):
        adapters.register_adapter("x", object())  # type: ignore[arg-type]


def test_when_scheduled_drafts_fall_due_then_the_task_publishes_them_through_the_adapter(
    users: dict[str, Any], channel: Channel, fake_adapter: FakeAdapter
) -> None:
    due = _ready(users, channel, scheduled_at=_tomorrow())
    later = _ready(users, channel, text="Open day next month.", scheduled_at=_tomorrow())
    assert due.state == later.state == State.SCHEDULED
    Draft.objects.filter(pk=due.pk).update(scheduled_at=timezone.now() - dt.timedelta(minutes=1))
    counts = publish_due_drafts.delay().get()  # eager without Redis: the same code path
    assert counts == {"published": 1}
    due, later = _fresh(due), _fresh(later)
    assert (due.state, due.published_url, due.published_by) == (State.PUBLISHED, "https://x.example/status/1", None)
    assert later.state == State.SCHEDULED
    event = AuditEvent.objects.filter(action="draft.published", subject_id=str(due.pk)).get()
    assert event.actor_id is None and event.actor_label == "system" and event.agency_id == channel.agency_id


def test_when_a_due_draft_has_no_adapter_then_it_waits_with_one_reminder(
    users: dict[str, Any], channel: Channel
) -> None:
    draft = _ready(users, channel, scheduled_at=_tomorrow())
    Draft.objects.filter(pk=draft.pk).update(scheduled_at=timezone.now() - dt.timedelta(minutes=5))
    assert [o.outcome for o in publish_due()] == ["reminded"]
    assert [o.outcome for o in publish_due()] == ["already_reminded"]
    draft = _fresh(draft)
    assert draft.state == State.SCHEDULED and draft.publish_reminder_at is not None
    assert _events(draft).count("draft.publish_due") == 1
    services.draft_publish(actor=users["approver"], draft=draft, url="https://x.com/a/status/9")


# --------------------------------------------------------------------------- pages


def _page(client: Client, name: str, *args: Any, **params: Any) -> tuple[int, str]:
    response = client.get(reverse(name, args=args or None), params)
    return response.status_code, response.content.decode()


def test_when_anonymous_opens_the_drafts_pages_then_they_are_sent_to_sign_in(
    users: dict[str, Any], channel: Channel
) -> None:
    draft = _make(users["officer"], channel)
    anonymous = Client()
    for name, args in [
        ("drafts:list", ()),
        ("drafts:create", ()),
        ("drafts:detail", (draft.pk,)),
        ("drafts:approvals", ()),
    ]:
        response = anonymous.get(reverse(name, args=args or None))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), name
    assert Client().get("/").status_code == 302


def test_when_a_member_lists_drafts_then_only_their_agencys_drafts_show_with_verdicts(
    users: dict[str, Any],
    channel: Channel,
    outsider: Any,
    other_agency: Any,
    engine: None,
    client_for: Callable[[Any], Client],
) -> None:
    _make(users["officer"], channel, "Ours [high]", title="Our draft")
    theirs = Channel.objects.create(agency=other_agency, name="Theirs", platform="x", handle="@theirs", pack="uk")
    _make(outsider, theirs, "Theirs", title="Their draft")
    status, html = _page(client_for("records_manager"), "drafts:list")
    assert status == 200
    assert "Our draft" in html and "Their draft" not in html
    assert "Needs a second look" in html


def test_when_drafts_are_filtered_and_paged_then_the_list_follows(
    users: dict[str, Any], channel: Channel, engine: None, client_for: Callable[[Any], Client]
) -> None:
    for i in range(27):
        _make(users["officer"], channel, f"Post number {i}", title=f"Numbered {i:02d}")
    services.draft_submit(
        actor=users["officer"], draft=_make(users["officer"], channel, "Ready one", title="The ready one")
    )
    client = client_for("officer")
    status, html = _page(client, "drafts:list")
    assert "28 drafts" in html and "govuk-pagination" in html
    status, html = _page(client, "drafts:list", state="ready")
    assert "1 draft<" in html and "The ready one" in html and "Numbered" not in html
    status, html = _page(client, "drafts:list", page=2)
    assert status == 200 and html.count('href="/drafts/') >= 3


def test_when_an_officer_writes_a_draft_on_the_page_then_it_is_saved_checked_and_shown(
    users: dict[str, Any], channel: Channel, client_for: Callable[[Any], Client]
) -> None:
    client = client_for("officer")
    assert client.get(reverse("drafts:create")).status_code == 200
    response = client.post(
        reverse("drafts:create"),
        {
            "channel": channel.pk,
            "title": "Admin",
            "text": PASSWORD_TEXT,
            "media_0_kind": "image",
            "media_0_alt": "A login screen",
        },
    )
    draft = Draft.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("drafts:detail", args=[draft.pk])
    assert draft.revisions.get().media == [{"kind": "image", "alt": "A login screen"}]
    html = client.get(response["Location"]).content.decode()
    finding = draft.revisions.get().review["findings"][0]
    assert finding["code"] in html and "Do not publish" in html
    assert govsocial.clauses.clause(finding["clauses"][0]).text.split(" ")[0] in html  # type: ignore[union-attr]
    assert "Reconstructed" in html  # DIA-MISHAP-BEFORE-6 is a reconstructed clause
    assert 'action="' + reverse("drafts:submit", args=[draft.pk]) + '"' in html
    assert reverse("drafts:approve", args=[draft.pk]) not in html


def test_when_the_draft_form_is_incomplete_then_errors_are_shown(
    users: dict[str, Any], channel: Channel, client_for: Callable[[Any], Client]
) -> None:
    response = client_for("officer").post(
        reverse("drafts:create"), {"channel": channel.pk, "text": "", "media_1_alt": "orphan"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in html and "Choose what attachment 2 is" in html
    assert not Draft.objects.exists()


def test_when_a_role_cannot_draft_then_the_new_draft_page_is_forbidden(
    users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    assert client_for("records_manager").get(reverse("drafts:create")).status_code == 403


def test_when_another_agency_asks_for_a_draft_then_it_does_not_exist(
    users: dict[str, Any], channel: Channel, outsider: Any, client_for: Callable[[Any], Client]
) -> None:
    draft = _make(users["officer"], channel)
    client = client_for(outsider)
    for name in ("drafts:detail", "drafts:edit", "drafts:approve", "drafts:publish"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404, name
    assert client.post(reverse("drafts:submit", args=[draft.pk])).status_code == 404


def test_the_four_eyes_flow_through_the_pages(
    users: dict[str, Any], channel: Channel, engine: None, client_for: Callable[[Any], Client]
) -> None:
    officer, approver = client_for("officer"), client_for("approver")
    draft = _make(users["officer"], channel, "Please call [block]")
    assert officer.post(reverse("drafts:submit", args=[draft.pk])).status_code == 302
    assert _fresh(draft).state == State.AWAITING_APPROVAL
    assert officer.get(reverse("drafts:approve", args=[draft.pk])).status_code == 403
    queue = approver.get(reverse("drafts:approvals")).content.decode()
    assert reverse("drafts:detail", args=[draft.pk]) in queue
    html = approver.get(reverse("drafts:detail", args=[draft.pk])).content.decode()
    assert "Override and approve" in html
    response = approver.post(reverse("drafts:approve", args=[draft.pk]), {"reason": ""})
    assert response.status_code == 400 and "Give the reason" in response.content.decode()
    response = approver.post(reverse("drafts:approve", args=[draft.pk]), {"reason": "Cleared with legal"})
    assert response.status_code == 302 and _fresh(draft).state == State.READY
    response = approver.post(reverse("drafts:publish", args=[draft.pk]), {"url": ""})
    assert response.status_code == 400 and "Enter the live URL" in response.content.decode()
    response = approver.post(
        reverse("drafts:publish", args=[draft.pk]), {"url": "https://x.com/MinistryOfTests/status/77"}
    )
    assert response.status_code == 302 and _fresh(draft).state == State.PUBLISHED
    html = approver.get(reverse("drafts:detail", args=[draft.pk])).content.decode()
    assert "https://x.com/MinistryOfTests/status/77" in html and "Cleared with legal" in html


def test_when_returned_on_the_page_then_the_author_sees_the_comments(
    users: dict[str, Any], channel: Channel, engine: None, client_for: Callable[[Any], Client]
) -> None:
    draft = services.draft_submit(actor=users["officer"], draft=_make(users["officer"], channel, "Hmm [high]"))
    response = client_for("approver").post(
        reverse("drafts:return", args=[draft.pk]), {"comments": "Say it <b>plainly</b>"}
    )
    assert response.status_code == 302
    html = client_for("officer").get(reverse("drafts:detail", args=[draft.pk])).content.decode()
    assert "Say it &lt;b&gt;plainly&lt;/b&gt;" in html and "<b>plainly" not in html
    response = client_for("officer").post(
        reverse("drafts:edit", args=[draft.pk]),
        {"channel": channel.pk, "text": "Plainly now", "title": "", "reply_to": "", "scheduled_at": ""},
    )
    assert response.status_code == 302 and _fresh(draft).revisions.count() == 2


def test_when_an_approver_opens_the_queue_then_their_own_drafts_are_not_in_it(
    users: dict[str, Any], channel: Channel, engine: None, client_for: Callable[[Any], Client]
) -> None:
    own = services.draft_submit(
        actor=users["approver"], draft=_make(users["approver"], channel, "Mine [high]", title="Approver's own")
    )
    other = services.draft_submit(
        actor=users["officer"], draft=_make(users["officer"], channel, "Theirs [high]", title="Officer's")
    )
    html = client_for("approver").get(reverse("drafts:approvals")).content.decode()
    assert reverse("drafts:detail", args=[other.pk]) in html and reverse("drafts:detail", args=[own.pk]) not in html
    assert client_for("officer").get(reverse("drafts:approvals")).status_code == 403


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_when_draft_text_and_title_hold_markup_then_pages_escape_it(
    users: dict[str, Any], channel: Channel, client_for: Callable[[Any], Client]
) -> None:
    draft = _make(
        users["officer"], channel, f"Hello {XSS}", title=f"T {XSS}", reply_to=XSS, media=[{"kind": "image", "alt": XSS}]
    )
    client = client_for("officer")
    for html in (
        client.get(reverse("drafts:list")).content.decode(),
        client.get(reverse("drafts:detail", args=[draft.pk])).content.decode(),
    ):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


def test_when_a_post_button_is_shown_then_its_form_has_a_csrf_field(
    users: dict[str, Any], channel: Channel, client_for: Callable[[Any], Client]
) -> None:
    draft = _make(users["officer"], channel)
    html = client_for("officer").get(reverse("drafts:detail", args=[draft.pk])).content.decode()
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, flags=re.S)
    assert forms and all("csrfmiddlewaretoken" in f for f in forms)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(users["officer"], backend="django.contrib.auth.backends.ModelBackend")
    assert csrf_client.post(reverse("drafts:submit", args=[draft.pk])).status_code == 403
    assert _fresh(draft).state == State.DRAFT


def test_when_a_draft_is_edited_on_the_page_then_the_form_shows_its_values(
    users: dict[str, Any], channel: Channel, client_for: Callable[[Any], Client]
) -> None:
    when = timezone.localtime(_tomorrow()).replace(second=0, microsecond=0)
    draft = _make(
        users["officer"],
        channel,
        "Line one\nLine two",
        scheduled_at=when,
        media=[{"kind": "video", "alt": "Clip", "captions": True}],
    )
    html = client_for("officer").get(reverse("drafts:edit", args=[draft.pk])).content.decode()
    assert f'value="{when:%Y-%m-%dT%H:%M}"' in html and 'type="datetime-local"' in html
    assert "Line one\nLine two" in html and ">Clip<" in html
    assert client_for("officer2").get(reverse("drafts:edit", args=[draft.pk])).status_code == 403


def test_when_the_channel_has_an_adapter_then_the_publish_page_publishes_without_a_url(
    users: dict[str, Any], channel: Channel, fake_adapter: FakeAdapter, client_for: Callable[[Any], Client]
) -> None:
    draft = _ready(users, channel)
    client = client_for("approver")
    assert "Publishing posts the text above" in client.get(reverse("drafts:publish", args=[draft.pk])).content.decode()
    assert client.post(reverse("drafts:publish", args=[draft.pk]), {"url": ""}).status_code == 302
    assert _fresh(draft).published_url == "https://x.example/status/1"
    assert client_for("officer").get(reverse("drafts:publish", args=[draft.pk])).status_code == 403


def test_when_withdrawn_on_the_page_then_it_is_recorded_with_the_reason(
    users: dict[str, Any], channel: Channel, client_for: Callable[[Any], Client]
) -> None:
    draft = _make(users["officer"], channel)
    client = client_for("officer")
    assert client.get(reverse("drafts:withdraw", args=[draft.pk])).status_code == 200
    assert client_for("officer2").get(reverse("drafts:withdraw", args=[draft.pk])).status_code == 403
    assert client.post(reverse("drafts:withdraw", args=[draft.pk]), {"reason": "Cancelled"}).status_code == 302
    assert _fresh(draft).state == State.WITHDRAWN
    event = AuditEvent.objects.filter(action="draft.withdrawn").get()
    assert event.reason == "Cancelled"


def test_when_a_due_post_waits_for_publishing_by_hand_then_the_list_reminds(
    users: dict[str, Any], channel: Channel, client_for: Callable[[Any], Client]
) -> None:
    draft = _ready(users, channel, title="Morning notice", scheduled_at=_tomorrow())
    Draft.objects.filter(pk=draft.pk).update(scheduled_at=timezone.now() - dt.timedelta(minutes=5))
    publish_due()
    html = client_for("approver").get(reverse("drafts:list")).content.decode()
    assert "must be published by hand" in html and "Morning notice" in html
    detail = client_for("approver").get(reverse("drafts:detail", args=[draft.pk])).content.decode()
    assert "Publish it by hand" in detail and "Record as published" in detail


def test_when_the_cron_command_runs_then_it_reports_each_due_draft(
    users: dict[str, Any], channel: Channel, fake_adapter: FakeAdapter
) -> None:
    import io

    from govsocial.web.drafts.tasks import publish_due_command

    out = io.StringIO()
    assert publish_due_command(out) == 0 and out.getvalue() == "publish-due: nothing due\n"
    draft = _ready(users, channel, scheduled_at=_tomorrow())
    Draft.objects.filter(pk=draft.pk).update(scheduled_at=timezone.now() - dt.timedelta(minutes=1))
    out = io.StringIO()
    assert publish_due_command(out) == 0
    assert out.getvalue() == f"draft {draft.pk}: published\npublish-due: 1 published\n"
    failing = _ready(users, channel, scheduled_at=_tomorrow())
    Draft.objects.filter(pk=failing.pk).update(scheduled_at=timezone.now() - dt.timedelta(minutes=1))
    with adapters.override_adapter("x", FakeAdapter(fail=True)):
        assert publish_due_command(io.StringIO()) == 1
    assert _fresh(failing).state == State.SCHEDULED
