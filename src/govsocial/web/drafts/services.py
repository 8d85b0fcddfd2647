"""Writes for drafts, four-eyes approval (WF-03) and publishing.

Every service takes keyword-only arguments, runs in one transaction and writes its audit event
(:func:`govsocial.web.audit.services.audit_record`) in that same transaction, so a change and its
record commit or roll back together. A refused transition raises a :class:`DraftError` whose
message can be shown to the user as it is.

```
              edit (new revision + review)
             ┌──────┐
             ▼      │
  create ─► draft ──┴─ submit ─┬─► ready ─────────────── publish ─► published
             ▲                 │   (scheduled_at set: scheduled ─ publish / due ─┘)
             │                 └─► awaiting_approval ─ approve / override ─► ready | scheduled
             │                            │
          returned ◄──── return ──────────┘
  any state before published ── withdraw ─► withdrawn
```

Routing on submit (:func:`route`): a ``block`` finding needs an approver's override with a
reason; a ``high`` finding needs an approver; otherwise the post is ready, unless the channel
requires approval for every post or the date falls in an election period of the channel's pack.
Nobody approves a draft they wrote or edited.

Errors::

    DraftError                      (400) any refused transition
    ├── DraftPermissionError        (403) not allowed for this person
    │   └── SelfApprovalError             approving or returning one's own draft
    ├── DraftStateError             (409) not possible in the draft's current state
    ├── DraftValidationError        (422) bad input
    │   ├── OverrideReasonRequired        a block override without a reason
    │   └── LiveUrlRequired               publishing by hand without the live URL
    └── PublishError                (502) the platform adapter failed
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

import govsocial
from govsocial.io import InputError, post_from_dict
from govsocial.model import Author, Context, Platform, Post, Severity
from govsocial.packs import PackError
from govsocial.web.accounts.models import Role, User
from govsocial.web.accounts.permissions import can_publish, has_role, same_agency
from govsocial.web.audit.services import audit_record
from govsocial.web.channels.models import Channel
from govsocial.web.drafts import adapters
from govsocial.web.drafts.models import Approval, ApprovalReason, Decision, Draft, Revision, State

__all__ = [
    "DRAFT_APPROVERS",
    "DRAFT_AUTHORS",
    "EDITABLE_STATES",
    "MAX_MEDIA",
    "MAX_TEXT",
    "DraftError",
    "DraftPermissionError",
    "DraftStateError",
    "DraftValidationError",
    "LiveUrlRequired",
    "OverrideReasonRequired",
    "PublishError",
    "SelfApprovalError",
    "allowed_actions",
    "can_approve",
    "can_create_draft",
    "can_edit",
    "can_withdraw",
    "draft_approve",
    "draft_create",
    "draft_publish",
    "draft_publish_due",
    "draft_return",
    "draft_review",
    "draft_submit",
    "draft_update",
    "draft_withdraw",
    "route",
]


def _roles(*roles: Any) -> tuple[str, ...]:
    return tuple(str(r) for r in roles)


#: Roles that may write drafts (moderators draft replies).
DRAFT_AUTHORS: Final = _roles(Role.OFFICER, Role.APPROVER, Role.MODERATOR, Role.COMMS_MANAGER)
#: Roles that may approve, override and return drafts written by someone else.
DRAFT_APPROVERS: Final = _roles(Role.APPROVER)
#: Roles that may edit, submit and withdraw drafts they did not write.
DRAFT_MANAGERS: Final = _roles(Role.COMMS_MANAGER)

EDITABLE_STATES: Final = frozenset({State.DRAFT, State.RETURNED})
WITHDRAWABLE_STATES: Final = frozenset(
    {State.DRAFT, State.RETURNED, State.AWAITING_APPROVAL, State.READY, State.SCHEDULED}
)
PUBLISHABLE_STATES: Final = frozenset({State.READY, State.SCHEDULED})
MAX_TEXT: Final = 10_000
MAX_MEDIA: Final = 10
_SEVERITY_ORDER: Final = {str(s): s for s in Severity}
_url_validator = URLValidator(schemes=["https", "http"])


# --------------------------------------------------------------------------- errors


class DraftError(Exception):
    """A refused draft operation; ``message`` is written for the person who asked."""

    status: int = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DraftPermissionError(DraftError):
    status = 403


class SelfApprovalError(DraftPermissionError):
    pass


class DraftStateError(DraftError):
    status = 409


class DraftValidationError(DraftError):
    status = 422


class OverrideReasonRequired(DraftValidationError):
    pass


class LiveUrlRequired(DraftValidationError):
    pass


class PublishError(DraftError):
    status = 502


# --------------------------------------------------------------------------- who may do what


def _is_manager(user: Any, draft: Draft) -> bool:
    return has_role(user, *DRAFT_MANAGERS) and same_agency(user, draft)


def can_create_draft(user: Any, channel: Channel | None = None) -> bool:
    """A drafting role, and (when given) an active channel of the user's agency."""
    if not has_role(user, *DRAFT_AUTHORS):
        return False
    return channel is None or (same_agency(user, channel) and channel.active)


def _owns(user: Any, draft: Draft) -> bool:
    return same_agency(user, draft) and (draft.author_id == user.pk or _is_manager(user, draft))


def can_edit(user: Any, draft: Draft) -> bool:
    """The author (who still holds a drafting role) or a comms manager, while the draft is open."""
    if draft.state not in EDITABLE_STATES or not _owns(user, draft):
        return False
    return has_role(user, *DRAFT_AUTHORS)


def _wrote(user: Any, draft: Draft) -> bool:
    """Four eyes: the author and everyone who saved a revision of the draft count as its writers."""
    if draft.author_id == user.pk:
        return True
    return draft.revisions.filter(created_by_id=user.pk).exists()


def can_approve(user: Any, draft: Draft) -> bool:
    """An approver of the draft's agency who neither wrote nor edited it, while it awaits approval."""
    return (
        draft.state == State.AWAITING_APPROVAL
        and has_role(user, *DRAFT_APPROVERS)
        and same_agency(user, draft)
        and not _wrote(user, draft)
    )


def can_withdraw(user: Any, draft: Draft) -> bool:
    return draft.state in WITHDRAWABLE_STATES and _owns(user, draft)


def allowed_actions(user: Any, draft: Draft) -> frozenset[str]:
    """The actions ``user`` may take on ``draft`` now: ``edit``, ``submit``, ``approve``,
    ``return``, ``publish``, ``withdraw``. Pages show only these buttons; the services check again."""
    actions: set[str] = set()
    if can_edit(user, draft):
        actions.update({"edit", "submit"})
    if can_approve(user, draft):
        actions.update({"approve", "return"})
    if draft.state in PUBLISHABLE_STATES and can_publish(user, draft.channel):
        actions.add("publish")
    if can_withdraw(user, draft):
        actions.add("withdraw")
    return frozenset(actions)


# --------------------------------------------------------------------------- helpers


def _lock(draft: Draft) -> Draft:
    """The draft row again, locked for this transaction (two approvers cannot both decide)."""
    return (
        Draft.objects.select_for_update(of=("self",))
        .select_related("channel", "channel__agency", "agency")
        .get(pk=draft.pk)
    )


def _snapshot(draft: Draft) -> dict[str, Any]:
    return {
        "state": draft.state,
        "channel": draft.channel_id,
        "title": draft.title,
        "scheduled_at": draft.scheduled_at,
        "reply_to_sha256": _sha(draft.reply_to) if draft.reply_to else "",
    }


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _current(draft: Draft) -> Revision:
    revision = draft.revisions.order_by("-number").first()
    if revision is None:  # pragma: no cover - every draft is created with revision 1
        raise DraftStateError("This draft has no saved text.")
    return revision


def _record(
    *,
    actor: Any | None,
    draft: Draft,
    action: str,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    audit_record(
        actor=actor,
        agency=draft.agency_id,
        action=action,
        subject_type="draft",
        subject_id=draft.pk,
        old=old,
        new=new,
        reason=reason,
    )


def _clean_text(text: str, *, what: str = "the post") -> str:
    if not isinstance(text, str) or not text.strip():
        raise DraftValidationError(f"Enter the text of {what}.")
    text = text.replace("\r\n", "\n")
    if len(text) > MAX_TEXT:
        raise DraftValidationError(f"The text of {what} must be {MAX_TEXT:,} characters or fewer.")
    return text


def _clean_media(media: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Media as the post document has them (kind, alt, captions, ...), validated by the engine's reader."""
    items = [dict(m) for m in media]
    if len(items) > MAX_MEDIA:
        raise DraftValidationError(f"A post can have at most {MAX_MEDIA} media attachments.")
    try:
        post_from_dict({"text": "media check", "media": items})
    except InputError as exc:
        raise DraftValidationError(f"Media: {exc}") from None
    return [{k: v for k, v in m.items() if v is not None and v != ""} for m in items]


def _clean_schedule(scheduled_at: dt.datetime | None) -> dt.datetime | None:
    if scheduled_at is None:
        return None
    if timezone.is_naive(scheduled_at):
        scheduled_at = timezone.make_aware(scheduled_at)
    if scheduled_at <= timezone.now():
        raise DraftValidationError("The scheduled time must be in the future.")
    return scheduled_at


def _post_for(draft: Draft, revision: Revision) -> Post:
    channel = draft.channel
    author: User = revision.created_by
    try:
        platform: Platform | None = Platform(channel.platform)
    except ValueError:
        platform = None
    media_post = post_from_dict({"text": revision.text, "media": revision.media or []})
    return Post(
        text=revision.text,
        context=Context(channel.context),
        platform=platform,
        media=media_post.media,
        author=Author(agency=draft.agency.name, roles=frozenset(str(r) for r in (author.roles or ()))),
        reply_to=draft.reply_to or None,
        # A scheduled post is judged on the day it goes out (election periods).
        date=timezone.localdate(draft.scheduled_at) if draft.scheduled_at else None,
    )


def _new_revision(*, draft: Draft, actor: User, text: str, media: list[dict[str, Any]]) -> Revision:
    number = (draft.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = Revision.objects.create(
        draft=draft, number=number, text=text, media=media, created_by=actor, verdict="", pack_ref="", engine=""
    )
    return draft_review(revision=revision)


# --------------------------------------------------------------------------- reviews and routing


@transaction.atomic
def draft_review(*, revision: Revision) -> Revision:
    """Review exactly this revision's text with its channel's pack, context and platform, and keep
    the result on the revision (result JSON, verdict, worst severity, ``pack@version#hash``, engine).
    A revision is reviewed once: to check again, save a new revision."""
    if revision.engine:
        raise DraftStateError("This revision already has its review; save a new revision to check it again.")
    draft = revision.draft
    try:
        result = govsocial.review(_post_for(draft, revision), pack=draft.channel.pack_ref)
    except (PackError, OSError) as exc:
        raise DraftValidationError(
            f"The channel’s policy pack could not be loaded ({exc}). Ask a comms manager to fix the channel."
        ) from None
    revision.review = result.to_dict()
    revision.verdict = str(result.verdict)
    revision.worst = str(result.worst) if result.worst else ""
    revision.pack_ref = result.pack
    revision.engine = result.engine
    revision.save(update_fields=["review", "verdict", "worst", "pack_ref", "engine"])
    _record(
        actor=revision.created_by,
        draft=draft,
        action="draft.reviewed",
        new={
            "revision": revision.number,
            "text_sha256": _sha(revision.text),
            "verdict": revision.verdict,
            "worst": revision.worst,
            "codes": result.codes(),
            "pack": revision.pack_ref,
            "engine": revision.engine,
        },
    )
    return revision


def route(*, draft: Draft, revision: Revision) -> str:
    """Why the draft must wait for an approver (an :class:`ApprovalReason` value), or ``""``."""
    worst = _SEVERITY_ORDER.get(revision.worst)
    if worst is Severity.BLOCK:
        return str(ApprovalReason.BLOCK)
    if worst is Severity.HIGH:
        return str(ApprovalReason.HIGH)
    if draft.channel.requires_approval:
        return str(ApprovalReason.CHANNEL)
    day = timezone.localdate(draft.scheduled_at) if draft.scheduled_at else timezone.localdate()
    try:
        in_election = govsocial.load_pack(draft.channel.pack_ref).in_election(day)
    except (PackError, OSError):
        in_election = True  # cannot tell: the safe side is a second person
    return str(ApprovalReason.ELECTION) if in_election else ""


def _go_state(draft: Draft) -> str:
    return str(State.SCHEDULED if draft.scheduled_at else State.READY)


# --------------------------------------------------------------------------- drafting


@transaction.atomic
def draft_create(
    *,
    author: User,
    channel: Channel,
    text: str,
    media: Sequence[Mapping[str, Any]] = (),
    reply_to: str = "",
    title: str = "",
    scheduled_at: dt.datetime | None = None,
) -> Draft:
    """A new draft for ``channel`` with revision 1 and its review."""
    if not has_role(author, *DRAFT_AUTHORS):
        raise DraftPermissionError("You do not have a role that can write drafts.")
    if not same_agency(author, channel):
        raise DraftPermissionError("You can only write drafts for your agency’s channels.")
    if not channel.active:
        raise DraftValidationError("This channel is inactive: choose another channel.")
    text = _clean_text(text)
    clean_media = _clean_media(media)
    reply_to = _clean_text(reply_to, what="the message replied to") if reply_to and reply_to.strip() else ""
    title = (title or "").strip()
    if len(title) > 200:
        raise DraftValidationError("The title must be 200 characters or fewer.")
    draft = Draft.objects.create(
        agency_id=channel.agency_id,
        channel=channel,
        author=author,
        title=title,
        reply_to=reply_to,
        scheduled_at=_clean_schedule(scheduled_at),
    )
    _record(actor=author, draft=draft, action="draft.created", new=_snapshot(draft))
    _new_revision(draft=draft, actor=author, text=text, media=clean_media)
    return draft


_UNCHANGED: Any = object()


@transaction.atomic
def draft_update(
    *,
    actor: User,
    draft: Draft,
    text: str | None = None,
    media: Sequence[Mapping[str, Any]] | None = None,
    title: str | None = None,
    reply_to: str | None = None,
    scheduled_at: dt.datetime | None = _UNCHANGED,
    channel: Channel | None = None,
) -> Draft:
    """Save a new revision (reviewed at once). ``None`` (and an omitted ``scheduled_at``) keeps a
    field as it is; ``scheduled_at=None`` clears the schedule. Only the author or a comms
    manager, and only while the draft is a draft or has been returned."""
    draft = _lock(draft)
    if not _owns(actor, draft) or not has_role(actor, *DRAFT_AUTHORS):
        raise DraftPermissionError("Only the author or a comms manager can edit this draft.")
    if draft.state not in EDITABLE_STATES:
        raise DraftStateError(f"A draft that is “{draft.get_state_display()}” cannot be edited.")
    current = _current(draft)
    before = _snapshot(draft)
    new_text = _clean_text(text) if text is not None else current.text
    new_media = _clean_media(media) if media is not None else list(current.media or [])
    if title is not None:
        title = title.strip()
        if len(title) > 200:
            raise DraftValidationError("The title must be 200 characters or fewer.")
        draft.title = title
    if reply_to is not None:
        draft.reply_to = _clean_text(reply_to, what="the message replied to") if reply_to.strip() else ""
    if scheduled_at is not _UNCHANGED:
        draft.scheduled_at = _clean_schedule(scheduled_at)
    if channel is not None and channel.pk != draft.channel_id:
        if not same_agency(actor, channel) or not channel.active:
            raise DraftValidationError("Choose an active channel of your agency.")
        draft.channel = channel
    draft.save(update_fields=["title", "reply_to", "scheduled_at", "channel", "updated_at"])
    after = _snapshot(draft)
    changed = {k for k in after if after[k] != before[k]}
    _record(
        actor=actor,
        draft=draft,
        action="draft.updated",
        old={k: before[k] for k in sorted(changed)},
        new={**{k: after[k] for k in sorted(changed)}, "revision": current.number + 1},
    )
    _new_revision(draft=draft, actor=actor, text=new_text, media=new_media)
    return draft


@transaction.atomic
def draft_submit(*, actor: User, draft: Draft) -> Draft:
    """Send the current revision on (WF-03 routing): to an approver when :func:`route` says so,
    else straight to ready (or scheduled when it has a publishing time).

    When the channel's pack has changed since the revision was reviewed, the text is reviewed
    again first (a new revision), so routing always follows the pack in force."""
    draft = _lock(draft)
    if not _owns(actor, draft) or not has_role(actor, *DRAFT_AUTHORS):
        raise DraftPermissionError("Only the author or a comms manager can submit this draft.")
    if draft.state not in EDITABLE_STATES:
        raise DraftStateError(f"A draft that is “{draft.get_state_display()}” cannot be submitted.")
    revision = _current(draft)
    try:
        pack_now = govsocial.load_pack(draft.channel.pack_ref).ref
    except (PackError, OSError):
        pack_now = revision.pack_ref
    if pack_now != revision.pack_ref:
        revision = _new_revision(draft=draft, actor=actor, text=revision.text, media=list(revision.media or []))
    reason = route(draft=draft, revision=revision)
    old_state = draft.state
    draft.state = State.AWAITING_APPROVAL if reason else _go_state(draft)
    draft.approval_reason = reason
    draft.submitted_at = timezone.now()
    draft.publish_reminder_at = None
    draft.save(update_fields=["state", "approval_reason", "submitted_at", "publish_reminder_at", "updated_at"])
    _record(
        actor=actor,
        draft=draft,
        action="draft.submitted",
        old={"state": old_state},
        new={
            "state": draft.state,
            "approval_reason": reason,
            "revision": revision.number,
            "verdict": revision.verdict,
            "worst": revision.worst,
        },
    )
    return draft


# --------------------------------------------------------------------------- decisions


def _check_decider(user: Any, draft: Draft, verb: str) -> None:
    if not same_agency(user, draft):
        raise DraftPermissionError(f"You cannot {verb} drafts of another agency.")
    if not has_role(user, *DRAFT_APPROVERS):
        raise DraftPermissionError(f"Only an approver can {verb} drafts.")
    if draft.state != State.AWAITING_APPROVAL:
        raise DraftStateError(f"This draft is “{draft.get_state_display()}”, not awaiting approval.")
    if _wrote(user, draft):
        raise SelfApprovalError(f"You wrote or edited this draft, so another approver must {verb} it.")


@transaction.atomic
def draft_approve(*, approver: User, draft: Draft, reason: str = "") -> Approval:
    """Approve the current revision. A draft held by a ``block`` finding is approved only as an
    override, with the approver's reason recorded (:attr:`Decision.OVERRIDDEN`)."""
    draft = _lock(draft)
    _check_decider(approver, draft, "approve")
    revision = _current(draft)
    reason = (reason or "").strip()
    override = draft.needs_override or revision.worst == Severity.BLOCK
    if override and not reason:
        raise OverrideReasonRequired("Give the reason for publishing despite the blocking finding.")
    approval = Approval.objects.create(
        draft=draft,
        revision=revision,
        approver=approver,
        decision=Decision.OVERRIDDEN if override else Decision.APPROVED,
        reason=reason,
    )
    old_state = draft.state
    draft.state = _go_state(draft)
    draft.save(update_fields=["state", "updated_at"])
    _record(
        actor=approver,
        draft=draft,
        action="draft.overridden" if override else "draft.approved",
        old={"state": old_state},
        new={
            "state": draft.state,
            "revision": revision.number,
            "decision": approval.decision,
            "codes": [f["code"] for f in revision.review.get("findings", [])],
        },
        reason=reason,
    )
    return approval


@transaction.atomic
def draft_return(*, approver: User, draft: Draft, comments: str) -> Approval:
    """Send the draft back to its author with comments; they edit and submit again."""
    draft = _lock(draft)
    _check_decider(approver, draft, "return")
    comments = (comments or "").strip()
    if not comments:
        raise DraftValidationError("Enter your comments for the author.")
    revision = _current(draft)
    approval = Approval.objects.create(
        draft=draft, revision=revision, approver=approver, decision=Decision.RETURNED, reason=comments
    )
    draft.state = State.RETURNED
    draft.save(update_fields=["state", "updated_at"])
    _record(
        actor=approver,
        draft=draft,
        action="draft.returned",
        old={"state": State.AWAITING_APPROVAL},
        new={"state": draft.state, "revision": revision.number},
        reason=comments,
    )
    return approval


@transaction.atomic
def draft_withdraw(*, actor: User, draft: Draft, reason: str = "") -> Draft:
    """Take the draft out of the workflow for good (it stays on record with its revisions)."""
    draft = _lock(draft)
    if not _owns(actor, draft):
        raise DraftPermissionError("Only the author or a comms manager can withdraw this draft.")
    if draft.state not in WITHDRAWABLE_STATES:
        raise DraftStateError(f"A draft that is “{draft.get_state_display()}” cannot be withdrawn.")
    old_state = draft.state
    draft.state = State.WITHDRAWN
    draft.save(update_fields=["state", "updated_at"])
    _record(
        actor=actor,
        draft=draft,
        action="draft.withdrawn",
        old={"state": old_state},
        new={"state": draft.state},
        reason=(reason or "").strip(),
    )
    adapters.notify_withdrawn(draft)
    return draft


# --------------------------------------------------------------------------- publishing


def _clean_url(url: str) -> str:
    url = url.strip()
    try:
        _url_validator(url)
    except ValidationError:
        raise DraftValidationError("Enter the live URL of the post, starting with https://") from None
    if len(url) > 500:
        raise DraftValidationError("The live URL must be 500 characters or fewer.")
    return url


def _mark_published(*, actor: User | None, draft: Draft, url: str, platform_id: str, method: str) -> Draft:
    old_state = draft.state
    draft.state = State.PUBLISHED
    draft.published_at = timezone.now()
    draft.published_url = url
    draft.published_by = actor
    draft.platform_post_id = platform_id
    draft.publish_method = method
    draft.save(
        update_fields=[
            "state",
            "published_at",
            "published_url",
            "published_by",
            "platform_post_id",
            "publish_method",
            "updated_at",
        ]
    )
    revision = _current(draft)
    _record(
        actor=actor,
        draft=draft,
        action="draft.published",
        old={"state": old_state},
        new={
            "state": draft.state,
            "url": url,
            "platform_id": platform_id,
            "method": method,
            "revision": revision.number,
            "text_sha256": _sha(revision.text),
        },
    )
    # Other apps' follow-ups (the inbox marks the answered message) commit with the publication.
    adapters.notify_published(draft)
    return draft


def _via_adapter(draft: Draft, adapter: adapters.PublishAdapter) -> adapters.PublishReceipt:
    revision = _current(draft)
    try:
        return adapter.publish(draft.channel, revision.text, list(revision.media or []))
    except adapters.PublishFailed as exc:
        raise PublishError(f"{draft.channel.get_platform_display()} did not take the post: {exc}") from None


@transaction.atomic
def draft_publish(*, actor: User, draft: Draft, url: str | None = None) -> Draft:
    """Publish a ready or scheduled draft. With ``url``: it was posted by hand and this is where it
    lives. Without: the channel's adapter posts it; a channel without one (the manual adapter)
    needs the live URL. The actor must be allowed to publish on the channel."""
    draft = _lock(draft)
    if not can_publish(actor, draft.channel):
        raise DraftPermissionError("You are not allowed to publish on this channel.")
    if draft.state not in PUBLISHABLE_STATES:
        raise DraftStateError(f"A draft that is “{draft.get_state_display()}” cannot be published.")
    if url is not None and url.strip():
        return _mark_published(actor=actor, draft=draft, url=_clean_url(url), platform_id="", method="manual")
    adapter = adapters.adapter_for_draft(draft)
    if adapter.manual:
        raise LiveUrlRequired("This channel is published by hand: post it on the platform, then enter the live URL.")
    receipt = _via_adapter(draft, adapter)
    return _mark_published(
        actor=actor, draft=draft, url=receipt.url, platform_id=receipt.platform_id, method=adapter.name
    )


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class DueOutcome:
    """What the scheduler did with one due draft: ``published``, ``reminded`` (publish by hand),
    ``already_reminded``, ``failed`` (with the message) or ``skipped`` (no longer due)."""

    draft_id: int
    outcome: str
    message: str = ""


@transaction.atomic
def draft_publish_due(*, draft: Draft, now: dt.datetime | None = None) -> DueOutcome:
    """The scheduler's publishing of one scheduled draft whose time has come (no person acts:
    the audit event's actor is the system). A channel without an adapter gets one reminder event
    and stays scheduled for someone to publish by hand."""
    now = now or timezone.now()
    draft = _lock(draft)
    if draft.state != State.SCHEDULED or draft.scheduled_at is None or draft.scheduled_at > now:
        return DueOutcome(draft_id=draft.pk, outcome="skipped")
    adapter = adapters.adapter_for_draft(draft)
    if adapter.manual or not draft.channel.active:
        if draft.publish_reminder_at is not None:
            return DueOutcome(draft_id=draft.pk, outcome="already_reminded")
        draft.publish_reminder_at = now
        draft.save(update_fields=["publish_reminder_at"])
        _record(
            actor=None,
            draft=draft,
            action="draft.publish_due",
            new={"state": draft.state, "scheduled_at": draft.scheduled_at},
            reason="Its publishing time has come and no adapter publishes to this channel: publish it by hand and record the live URL.",
        )
        return DueOutcome(draft_id=draft.pk, outcome="reminded")
    try:
        receipt = _via_adapter(draft, adapter)
    except PublishError as exc:
        # It stays scheduled and is tried again on the next run; the first failure is recorded
        # (one event, not one a minute) and shows on the draft as a reminder.
        if draft.publish_reminder_at is None:
            draft.publish_reminder_at = now
            draft.save(update_fields=["publish_reminder_at"])
            _record(
                actor=None,
                draft=draft,
                action="draft.publish_failed",
                new={"state": draft.state, "method": adapter.name},
                reason=exc.message,
            )
        return DueOutcome(draft_id=draft.pk, outcome="failed", message=exc.message)
    _mark_published(actor=None, draft=draft, url=receipt.url, platform_id=receipt.platform_id, method=adapter.name)
    return DueOutcome(draft_id=draft.pk, outcome="published")
