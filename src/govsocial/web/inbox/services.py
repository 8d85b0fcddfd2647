"""Writes for the engagement inbox: ingest, connectors, the response queue, moderation by house
rules, authors' standing, replies and response templates (WF-05, WF-06, WF-14; IN-01..15).

Every service takes keyword-only arguments, runs in one transaction and writes its audit event in
that transaction. A refused request raises an :class:`InboxError` whose message can be shown to
the person as it is.

```
connector_poll ─► Connector.poll(cursor) ─► Page ─┐        (network: outside any transaction)
import / webhook ─────────────────────────────────┤
                                                  ▼
ingest ── one transaction ─────────────────────────────────────────────────────────────────────┐
│ 1 skip platform ids already stored (one query)   5 INSERT … ON CONFLICT DO NOTHING RETURNING    │
│ 2 standings of the batch's authors (one query)   6 in-batch duplicate links, Moderation rows    │
│ 3 triage_many(batch, house rules of the pack)      for automatic hides, strikes               │
│ 4 duplicates (same fingerprint within 7 days),   7 connector cursor + messages_seen            │
│   threads, status, due time in business hours    8 audit: one event per batch + one per hide  │
└──────────────────────────────────────────────────────────────────────────────── commit ────────┘
   (5: multi-row VALUES on SQLite; on PostgreSQL the rows are COPYed into a staging table first)
   └─► after commit: hide on the platform through the connector; failures kept on Moderation
```

Exactly once: the unique ``(channel, platform_id)`` key and the cursor committed with the
messages (ADR 0004). A worker killed mid-batch rolls the whole batch back; the task is delivered
again (``acks_late``) and stores it once.

Status after triage: house rules ``hide`` → hidden (and in the response queue when the message
still needs an answer, e.g. personal information gets a "take it offline" reply); ``queue`` →
needs a moderator; a message to respond to (questions, complaints, crisis…) → needs a response,
due in the channel's target business hours; otherwise no response needed. A channel's moderation
mode narrows the response queue: *alert only* answers mentions and direct messages, *hands off*
only urgent or crisis messages. Blocked authors' new messages are hidden citing IN-13.

Duplicates (IN-05): the same normalised text in the channel within :data:`DUPLICATE_WINDOW` points
at the first message (``duplicate_of``). Many authors sending the same words is a campaign: each
keeps its category and is answered once through the first. The same author repeating it is spam,
moderated by the pack's IN-05 rule, except questions, complaints and crisis messages, which are
never hidden (IN-14). Texts under :data:`MIN_DUPLICATE_WORDS` words ("thanks!") never group.

Moderation by people (:func:`message_moderate`): hiding cites a house rule of the channel's pack;
rules that protect a message (IN-14 questions and complaints, IN-15 criticism) cannot be cited to
hide it, and "criticism" is refused as a reason. A question or complaint is hidden only for
personal information (IN-01) or by a moderator's explicit decision with a written reason (for
example it also names a staff member, IN-10); it stays in the response queue either way.

Errors::

    InboxError                 (400)
    ├── InboxPermissionError   (403) not allowed for this person
    ├── InboxStateError        (409) not possible in the current state
    └── InboxValidationError   (422) bad input
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import random
import re
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

import govsocial
from govsocial import connectors as registry
from govsocial.connectors import (
    AuthFailed,
    ConnectorError,
    Incoming,
    NotSupported,
    RateLimited,
    SentReply,
)
from govsocial.connectors import (
    Connector as ConnectorClient,
)
from govsocial.web.accounts.models import Agency, Team, User
from govsocial.web.accounts.permissions import has_role, same_agency
from govsocial.web.audit.services import audit_record, audit_record_many
from govsocial.web.channels.models import Channel, ModerationMode
from govsocial.web.drafts import adapters
from govsocial.web.drafts.models import Draft
from govsocial.web.drafts.models import State as DraftState
from govsocial.web.inbox import hours
from govsocial.web.inbox.models import (
    Action,
    AuthorStanding,
    Category,
    Connector,
    ConnectorKind,
    InboxSettings,
    Message,
    Moderation,
    ModerationKind,
    ResponseTemplate,
    RoundRobin,
    Status,
    Strike,
    TemplatePurpose,
)

if TYPE_CHECKING:
    from govsocial.inbox import HouseRule, HouseRules, Triage

__all__ = [
    "ASSIGNERS",
    "BACKOFF_CAP_S",
    "DUPLICATE_WINDOW",
    "MANAGERS",
    "MODERATORS",
    "POLLED_KINDS",
    "REPLY_KINDS",
    "RESPONDERS",
    "ROUND_ROBIN_ROLES",
    "ConnectorReplyAdapter",
    "Health",
    "InboxError",
    "InboxPermissionError",
    "InboxReplies",
    "InboxStateError",
    "InboxValidationError",
    "IngestResult",
    "PollOutcome",
    "author_block",
    "author_standing",
    "author_strike",
    "author_unblock",
    "backoff_delay",
    "build_client",
    "claim_connector",
    "connector_create",
    "connector_health",
    "connector_poll",
    "connector_update",
    "due_connectors",
    "due_for",
    "inbox_settings_get",
    "inbox_settings_update",
    "ingest",
    "message_assign",
    "message_assign_round_robin",
    "message_close",
    "message_moderate",
    "messages_bulk",
    "reply_start",
    "round_robin_members",
    "template_approve",
    "template_create",
    "template_update",
]

log = logging.getLogger(__name__)

#: People who answer messages: the round-robin pool and who may take a message for themselves.
ROUND_ROBIN_ROLES: Final = ("officer", "moderator", "comms_manager")
RESPONDERS: Final = ("officer", "moderator", "comms_manager", "admin")
#: Moderate (hide, leave, report, escalate), strike and block; assign messages to others.
MODERATORS: Final = ("moderator", "comms_manager", "admin")
ASSIGNERS: Final = MODERATORS
#: Connectors, inbox settings and template approval.
MANAGERS: Final = ("comms_manager", "admin")
TEMPLATE_WRITERS: Final = ("officer", "moderator", "comms_manager", "admin")

POLLED_KINDS: Final = (ConnectorKind.RSS.value, ConnectorKind.MASTODON.value, ConnectorKind.BLUESKY.value)
#: Kinds whose platform takes replies (and hides or reports) through the connector.
REPLY_KINDS: Final = (ConnectorKind.MASTODON.value, ConnectorKind.BLUESKY.value)

DUPLICATE_WINDOW: Final = dt.timedelta(days=7)
MIN_DUPLICATE_WORDS: Final = 4
MAX_PAGES: Final = 5
BACKOFF_CAP_S: Final = 6 * 3600
BACKOFF_JITTER: Final = 0.1
MIN_POLL_INTERVAL_S: Final = 60
MAX_POLL_INTERVAL_S: Final = 86_400
MAX_BULK: Final = 500
MAX_TEXT: Final = 10_000
MAX_REVIEW_DAYS: Final = 366
#: Categories house rules may never hide for what they say (IN-14) and that stay in the queue.
PROTECTED_CATEGORIES: Final = frozenset({Category.QUESTION.value, Category.COMPLAINT.value, Category.CRISIS.value})
#: Rules that protect a message: citing them to hide it is refused.
NEVER_HIDE_RULES: Final = {
    "IN-14": "IN-14 says legitimate questions and complaints are never hidden: they are answered.",
    "IN-15": "IN-15 says criticism of the agency or the government is never a reason to hide a comment "
    "(DIA-TBX-MOD-3). Hide only for a published rule the comment breaks.",
}
_CRITICISM = frozenset(
    {
        "criticism",
        "critical",
        "criticises us",
        "criticizes us",
        "critical of us",
        "critical of the agency",
        "critical of the government",
        "criticism of the agency",
        "criticism of the government",
        "negative",
        "negative comment",
        "negative sentiment",
        "negative feedback",
        "disagrees",
        "disagreement",
        "bad publicity",
        "unflattering",
    }
)
_IN_CHUNK = 900  # SQLite's default limit is 999 variables per statement
_MODERATION_EVENTS: Final = {
    "hide": "message.hidden",
    "unhide": "message.shown",
    "leave": "message.left",
    "report": "message.reported",
    "escalate": "message.escalated",
}
_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


# --------------------------------------------------------------------------- errors


class InboxError(Exception):
    """A refused inbox operation; ``message`` is written for the person who asked."""

    status: int = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InboxPermissionError(InboxError):
    status = 403


class InboxStateError(InboxError):
    status = 409


class InboxValidationError(InboxError):
    status = 422


# --------------------------------------------------------------------------- results


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class IngestResult:
    """What one ingest stored. ``duplicates`` counts messages already stored under the same
    platform id (nothing was written for them); ``grouped`` counts new messages whose words repeat
    an earlier message's (their ``duplicate_of`` is set)."""

    created: int
    duplicates: int
    hidden: int
    queued: int
    ids: list[int]
    grouped: int = 0
    responses: int = 0


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class PollOutcome:
    ok: bool
    created: int
    duplicates: int
    error: str
    next_poll_at: dt.datetime | None
    pages: int = 0


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Health:
    """How a connector is doing, for the channel page: ``state`` is ``ok``, ``failing``,
    ``paused`` (switched off), ``never`` (not polled yet) or ``auth`` (credentials refused)."""

    state: str
    label: str
    detail: str


# --------------------------------------------------------------------------- helpers


def _chunks(items: Sequence[Any], size: int = _IN_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _clean(value: str, limit: int) -> str:
    """Platform text as the database can hold it: no NUL (PostgreSQL refuses it), at most ``limit``."""
    value = (value or "").replace("\x00", "")
    return value[:limit]


def _require(actor: Any, roles: Sequence[str], what: str, obj: Any = None) -> None:
    if not has_role(actor, *roles):
        raise InboxPermissionError(f"You do not have a role that can {what}.")
    if obj is not None and not same_agency(actor, obj):
        raise InboxPermissionError(f"You can only {what} in your own agency.")


def _as_time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        raise InboxValidationError(f"{value!r} is not a time of day (HH:MM).") from None


def _schedule(settings: InboxSettings) -> dict[str, Any]:
    """The business-hours arguments of :mod:`hours` for an agency's inbox settings."""
    return {
        "tz": settings.timezone,
        "workdays": settings.workdays or hours.DEFAULT_WORKDAYS,
        "day_start": _as_time(settings.workday_start),
        "day_end": _as_time(settings.workday_end),
        "holidays": settings.holidays or (),
    }


def _rules(channel: Channel) -> HouseRules:
    from govsocial.inbox import load_house_rules

    try:
        return load_house_rules(channel.pack_ref)
    except (ValueError, OSError, KeyError) as exc:
        raise InboxValidationError(
            f"The house rules of the channel’s pack could not be loaded ({exc}). Ask a comms manager to fix the channel."
        ) from None


def _rule_for(rules: HouseRules, guidance_id: str) -> HouseRule | None:
    """The pack's rule with this code, else the first rule serving that guidance ID."""
    for rule in rules.rules:
        if rule.code == guidance_id:
            return rule
    for rule in rules.rules:
        if guidance_id in rule.serves:
            return rule
    return None


def _serves(rule: HouseRule, guidance_id: str) -> bool:
    return rule.code == guidance_id or guidance_id in rule.serves


def _groupable(text: str) -> bool:
    return len(text.split()) >= MIN_DUPLICATE_WORDS


def _mode_allows_response(mode: str, kind: str, category: str) -> bool:
    if category == Category.CRISIS:
        return True
    if mode == ModerationMode.HANDS_OFF:
        return False
    if mode == ModerationMode.ALERT_ONLY:
        return kind in ("mention", "message")
    return True


def build_client(connector: Connector) -> ConnectorClient:
    """The platform adapter for a stored connector (the network lives behind it)."""
    return registry.build(connector.kind, dict(connector.config or {}), connector.secret)


def _record_message(*, actor: Any | None, message: Message, action: str, **kwargs: Any) -> None:
    audit_record(
        actor=actor, agency=message.agency_id, action=action, subject_type="message", subject_id=message.pk, **kwargs
    )


# --------------------------------------------------------------------------- settings


def inbox_settings_get(*, agency: Agency | int) -> InboxSettings:
    """The agency's monitoring hours, created on first use as Monday to Friday, 09:00–17:00."""
    agency_id = getattr(agency, "pk", agency)
    settings = InboxSettings.objects.filter(agency_id=agency_id).first()
    if settings is None:
        try:
            with transaction.atomic():
                settings = InboxSettings.objects.create(
                    agency_id=agency_id,
                    workdays=list(hours.DEFAULT_WORKDAYS),
                    workday_start=dt.time(9),
                    workday_end=dt.time(17),
                )
        except IntegrityError:  # made at the same moment by another request
            settings = InboxSettings.objects.get(agency_id=agency_id)
    return settings


def _settings_snapshot(s: InboxSettings) -> dict[str, Any]:
    return {
        "timezone": s.timezone,
        "workday_start": _as_time(s.workday_start).isoformat("minutes"),
        "workday_end": _as_time(s.workday_end).isoformat("minutes"),
        "workdays": list(s.workdays or []),
        "holidays": list(s.holidays or []),
    }


@transaction.atomic
def inbox_settings_update(*, actor: User, agency: Agency, **changes: Any) -> InboxSettings:
    """Change the monitoring hours: ``timezone``, ``workday_start``, ``workday_end`` (times or
    "HH:MM"), ``workdays`` (ISO weekday numbers) and ``holidays`` (dates or "YYYY-MM-DD")."""
    _require(actor, MANAGERS, "change the inbox settings", agency)
    unknown = set(changes) - {"timezone", "workday_start", "workday_end", "workdays", "holidays"}
    if unknown:
        raise InboxValidationError(f"Unknown settings: {', '.join(sorted(unknown))}.")
    settings = inbox_settings_get(agency=agency)
    settings = InboxSettings.objects.select_for_update().get(pk=settings.pk)
    before = _settings_snapshot(settings)
    if "timezone" in changes:
        try:
            ZoneInfo(str(changes["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            raise InboxValidationError(f"{changes['timezone']!r} is not a time zone (like Pacific/Auckland).") from None
        settings.timezone = str(changes["timezone"])
    if "workday_start" in changes:
        settings.workday_start = _as_time(changes["workday_start"])
    if "workday_end" in changes:
        settings.workday_end = _as_time(changes["workday_end"])
    if _as_time(settings.workday_end) <= _as_time(settings.workday_start):
        raise InboxValidationError("The working day must end after it starts.")
    if "workdays" in changes:
        try:
            days = sorted({int(d) for d in changes["workdays"]})
        except (TypeError, ValueError):
            raise InboxValidationError("Working days are weekday numbers, 1 (Monday) to 7 (Sunday).") from None
        if not days or not set(days) <= set(range(1, 8)):
            raise InboxValidationError("Choose at least one working day, 1 (Monday) to 7 (Sunday).")
        settings.workdays = days
    if "holidays" in changes:
        out = set()
        for h in changes["holidays"] or ():
            try:
                out.add(h.isoformat() if isinstance(h, dt.date) else dt.date.fromisoformat(str(h).strip()).isoformat())
            except ValueError:
                raise InboxValidationError(f"Holiday {h!r} is not a date (YYYY-MM-DD).") from None
        settings.holidays = sorted(out)
    settings.save()
    after = _settings_snapshot(settings)
    changed = sorted(k for k in after if after[k] != before[k])
    audit_record(
        actor=actor,
        agency=agency,
        action="inbox_settings.updated",
        subject_type="inbox_settings",
        subject_id=settings.pk,
        old={k: before[k] for k in changed},
        new={k: after[k] for k in changed},
    )
    return settings


def due_for(*, channel: Channel, start: dt.datetime, settings: InboxSettings | None = None) -> dt.datetime:
    """When a message that arrived at ``start`` must be answered: the channel's target in the
    agency's business hours."""
    settings = settings or inbox_settings_get(agency=channel.agency_id)
    return hours.due_at(start=start, hours=channel.response_target_hours, **_schedule(settings))


# --------------------------------------------------------------------------- ingest


@dataclasses.dataclass(slots=True)
class _Row:
    """One new message on its way into the database, with what triage and the batch decided."""

    item: Incoming
    triage: Triage
    category: str
    action: str
    rule_code: str
    strike: bool
    respond: bool
    fingerprint: str
    thread_key: str
    reason: str
    duplicate_of_id: int | None = None
    duplicate_of_pid: str = ""


def _unique(items: Iterable[Incoming]) -> list[Incoming]:
    seen: set[str] = set()
    out = []
    for item in items:
        if not isinstance(item, Incoming):
            raise InboxValidationError(f"not a message: {item!r}")
        if len(item.platform_id) > 300:
            raise InboxValidationError(f"platform id {item.platform_id[:40]!r}… is longer than 300 characters")
        if item.platform_id in seen:
            continue
        seen.add(item.platform_id)
        out.append(_cleaned(item))
    return out


def _cleaned(item: Incoming) -> Incoming:
    """The message as the database holds it (lookups by author then match what is stored)."""
    fields = {
        "platform_id": _clean(item.platform_id, 300),
        "text": _clean(item.text, 1_000_000),
        "author": _clean(item.author, 200),
        "author_name": _clean(item.author_name, 200),
        "in_reply_to": _clean(item.in_reply_to, 300),
        "thread_id": _clean(item.thread_id, 300),
        "url": _clean(item.url, 500),
    }
    if all(getattr(item, k) == v for k, v in fields.items()):
        return item
    if not fields["platform_id"]:
        raise InboxValidationError("a message has an empty platform id")
    return dataclasses.replace(item, **fields)


def _existing(channel: Channel, pids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(pids):
        found.update(
            Message.objects.filter(channel=channel, platform_id__in=chunk).values_list("platform_id", flat=True)
        )
    return found


def _standings(agency_id: int, platform: str, authors: Sequence[str]) -> dict[str, AuthorStanding]:
    out: dict[str, AuthorStanding] = {}
    for chunk in _chunks(authors):
        for s in AuthorStanding.objects.filter(agency_id=agency_id, platform=platform, author__in=chunk):
            out[s.author] = s
    return out


def _decide(
    *,
    channel: Channel,
    fresh: Sequence[Incoming],
    triages: Sequence[Triage],
    rules: HouseRules,
    standings: Mapping[str, AuthorStanding],
    now: dt.datetime,
) -> list[_Row]:
    """Duplicates, threads, blocked authors and the channel's mode applied to each triaged message."""
    fps = sorted({t.fingerprint for i, t in zip(fresh, triages, strict=True) if t.fingerprint and _groupable(i.text)})
    authors = sorted({i.author for i in fresh if i.author})
    since = now - DUPLICATE_WINDOW
    first_by_fp: dict[str, int] = {}
    seen_pairs: set[tuple[str, str]] = set()
    # Two lists in one statement: SQLite's 999-parameter limit needs small chunks; PostgreSQL does not.
    size = 400 if connection.vendor == "sqlite" else 5000
    for chunk in _chunks(fps, size):
        recent = Message.objects.filter(channel=channel, fingerprint__in=chunk, received_at__gte=since)
        first_by_fp.update(
            recent.order_by().values("fingerprint").annotate(first=Min("id")).values_list("fingerprint", "first")
        )
        if authors:
            for a_chunk in _chunks(authors, size):
                seen_pairs.update(
                    recent.filter(author__in=a_chunk).order_by().values_list("fingerprint", "author").distinct()
                )
    fresh_pids = {i.platform_id for i in fresh}
    parents = sorted({i.in_reply_to for i in fresh if i.in_reply_to and i.in_reply_to not in fresh_pids})
    root_of: dict[str, str] = {}
    for chunk in _chunks(parents):
        for pid, key in Message.objects.filter(channel=channel, platform_id__in=chunk).values_list(
            "platform_id", "thread_key"
        ):
            root_of[pid] = key or pid
    spam_rule = _rule_for(rules, "IN-05")
    block_rule = _rule_for(rules, "IN-13")
    mode = channel.moderation_mode
    batch_first: dict[str, str] = {}
    rows = []
    for item, t in zip(fresh, triages, strict=True):
        category, action, rule_code, strike, respond = t.category, t.action, t.rule_code, t.strike, t.respond
        reason = "; ".join(t.reasons)
        fp = t.fingerprint if t.fingerprint and _groupable(item.text) else ""
        dup_id: int | None = None
        dup_pid = ""
        if fp:
            if fp in first_by_fp:
                dup_id = first_by_fp[fp]
            elif fp in batch_first:
                dup_pid = batch_first[fp]
            else:
                batch_first[fp] = item.platform_id
            repeat = bool(item.author) and (fp, item.author) in seen_pairs
            if repeat and category not in PROTECTED_CATEGORIES:
                category, respond = Category.SPAM.value, False
                if spam_rule is not None:
                    action, rule_code, strike = spam_rule.action, spam_rule.code, spam_rule.strike
                reason = "the same author sent the same words again" + (f"; {reason}" if reason else "")
            if item.author:
                seen_pairs.add((fp, item.author))
        standing = standings.get(item.author) if item.author else None
        if standing is not None and standing.blocked:
            action, rule_code, strike = Action.HIDE.value, block_rule.code if block_rule else "IN-13", False
            respond = category == Category.CRISIS
            reason = "the author is blocked" + (f" until review on {standing.review_on}" if standing.review_on else "")
        respond = respond and _mode_allows_response(mode, item.kind, category)
        if item.in_reply_to:
            root = root_of.get(item.in_reply_to) or item.thread_id or item.in_reply_to
        else:
            root = item.thread_id or item.platform_id
        root_of[item.platform_id] = root
        rows.append(
            _Row(
                item=item,
                triage=t,
                category=category,
                action=action,
                rule_code=rule_code,
                strike=strike and bool(item.author),
                respond=respond,
                fingerprint=t.fingerprint,
                thread_key=root[:300],
                reason=reason,
                duplicate_of_id=dup_id,
                duplicate_of_pid=dup_pid,
            )
        )
    return rows


def _status(row: _Row) -> str:
    if row.action == Action.HIDE:
        return Status.OPEN if row.respond else Status.NO_ACTION
    if row.action == Action.QUEUE:
        return Status.MODERATION
    return Status.OPEN if row.respond else Status.NO_ACTION


def _triage_json(t: Triage) -> dict[str, Any]:
    doc = t.as_dict()
    for key in (
        "language",
        "category",
        "sentiment",
        "pii",
        "pii_kinds",
        "priority",
        "action",
        "rule_code",
        "fingerprint",
    ):
        doc.pop(key, None)
    return doc


#: The columns ingest writes, in order (every NOT NULL column of inbox_message but the id).
_COLUMNS: Final = (
    "agency_id",
    "channel_id",
    "connector_id",
    "platform_id",
    "kind",
    "author",
    "author_name",
    "text",
    "url",
    "created_at",
    "received_at",
    "in_reply_to",
    "thread_key",
    "fingerprint",
    "duplicate_of_id",
    "language",
    "category",
    "sentiment",
    "has_pii",
    "pii_kinds",
    "priority",
    "triage",
    "triaged_with",
    "action",
    "rule_code",
    "hidden",
    "status",
    "team_id",
    "due_at",
    "reply_platform_id",
)


def _values(
    row: _Row, *, channel: Channel, connector: Connector | None, now: Any, due: Any, engine: str, adapt: _Adapt
) -> tuple[Any, ...]:
    """One message as the values of :data:`_COLUMNS`, adapted for the database."""
    item, t = row.item, row.triage
    created = item.created_at
    if created is not None and timezone.is_naive(created):
        created = created.replace(tzinfo=dt.UTC)
    return (
        channel.agency_id,
        channel.pk,
        connector.pk if connector is not None else None,
        item.platform_id,
        item.kind[:10],
        _clean(item.author, 200),
        _clean(item.author_name, 200),
        _clean(item.text, 1_000_000),
        _clean(item.url, 500),
        adapt.when(created),
        now,
        _clean(item.in_reply_to, 300),
        row.thread_key,
        row.fingerprint[:32],
        row.duplicate_of_id,
        t.language,
        row.category,
        t.sentiment,
        t.pii,
        adapt.json(list(t.pii_kinds)),
        t.priority,
        adapt.json(_triage_json(t)),
        engine,
        row.action,
        row.rule_code,
        row.action == Action.HIDE,
        _status(row),
        channel.owning_team_id,
        due if row.respond else None,
        "",
    )


@dataclasses.dataclass(frozen=True, slots=True)
class _Adapt:
    """Python values as the connection's driver takes them (what Django's fields would do)."""

    when: Any
    json: Any


def _adapter() -> _Adapt:
    json_field = Message._meta.get_field("triage")
    return _Adapt(
        when=connection.ops.adapt_datetimefield_value,
        json=lambda value: json_field.get_db_prep_save(value, connection),
    )


def _insert_messages(values: Sequence[tuple[Any, ...]]) -> dict[str, int]:
    """Insert the rows with ``ON CONFLICT DO NOTHING`` and return ``{platform id: id}`` of those
    this statement inserted: a row another ingest stored first (a concurrent poll of the same page)
    is skipped and not returned, so it is not counted, moderated or struck twice.

    Plain SQL rather than ``bulk_create``: Django's per-field preparation was most of ingest's
    database time, and ``RETURNING`` (SQLite 3.35+, PostgreSQL) tells exactly which rows were new."""
    if connection.vendor == "postgresql":
        return _insert_messages_copy(values)
    table = connection.ops.quote_name(Message._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    one = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    per_statement = max(1, min(500, (connection.features.max_query_params or 65535) // len(_COLUMNS)))
    out: dict[str, int] = {}
    with connection.cursor() as cursor:
        for chunk in _chunks(values, per_statement):
            sql = (
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))} "
                f'ON CONFLICT ("channel_id", "platform_id") DO NOTHING RETURNING "id", "platform_id"'
            )
            cursor.execute(sql, [v for row in chunk for v in row])
            out.update((pid, pk) for pk, pid in cursor.fetchall())
    return out


_STAGING = "inbox_ingest_rows"


def _insert_messages_copy(values: Sequence[tuple[Any, ...]]) -> dict[str, int]:
    """PostgreSQL: ``COPY`` the rows into a temporary staging table (one per connection, emptied
    at commit), then one ``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING``. A multi-row
    ``VALUES`` of 15,000 parameters spent more time in the driver's query parsing than in the
    database; ``COPY`` streams the rows instead."""
    q = connection.ops.quote_name
    table = q(Message._meta.db_table)
    columns = ", ".join(q(c) for c in _COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGING} ON COMMIT DELETE ROWS AS "
            f"SELECT 0::integer AS n, {columns} FROM {table} WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {_STAGING}")
        with cursor.cursor.copy(f"COPY {_STAGING} (n, {columns}) FROM STDIN") as copy:
            for n, row in enumerate(values):
                copy.write_row((n, *row))
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {_STAGING} ORDER BY n "
            f'ON CONFLICT ("channel_id", "platform_id") DO NOTHING RETURNING "id", "platform_id"'
        )
        return {pid: pk for pk, pid in cursor.fetchall()}


def _add_strikes(
    *, agency_id: int, platform: str, strikes: Sequence[tuple[str, int, str, str]], now: dt.datetime
) -> None:
    """Upsert the authors' standing and log one strike per (author, message id, rule code, reason)."""
    if not strikes:
        return
    per_author = Counter(author for author, _, _, _ in strikes)
    authors = sorted(per_author)
    AuthorStanding.objects.bulk_create(
        [AuthorStanding(agency_id=agency_id, platform=platform, author=a) for a in authors], ignore_conflicts=True
    )
    by_count: dict[int, list[str]] = defaultdict(list)
    for author, n in per_author.items():
        by_count[n].append(author)
    for n, group in by_count.items():
        for chunk in _chunks(group):
            AuthorStanding.objects.filter(agency_id=agency_id, platform=platform, author__in=chunk).update(
                strikes=F("strikes") + n
            )
    standing_ids = {s.author: s.pk for s in _standings(agency_id, platform, authors).values()}
    Strike.objects.bulk_create(
        [
            Strike(standing_id=standing_ids[a], message_id=mid, rule_code=code, reason=reason[:1000], at=now)
            for a, mid, code, reason in strikes
        ]
    )


def _digest(pids: Iterable[str]) -> str:
    h = hashlib.sha256()
    for pid in sorted(pids):
        h.update(pid.encode("utf-8") + b"\n")
    return h.hexdigest()


def ingest(
    *,
    channel: Channel,
    items: Sequence[Incoming],
    connector: Connector | None = None,
    now: dt.datetime | None = None,
    cursor: str | None = None,
    client: ConnectorClient | None = None,
) -> IngestResult:
    """Triage and store new messages for ``channel`` (see the module docstring). Messages whose
    platform id is already stored in the channel are skipped. With ``connector`` and ``cursor``,
    the connector's cursor and counters are saved in the same transaction. ``client`` is the
    platform adapter to hide automatically hidden messages with (built from ``connector`` when
    omitted and needed)."""
    now = now or timezone.now()
    batch = _unique(items)
    with transaction.atomic():
        result, hides = _store(channel=channel, batch=batch, connector=connector, now=now, cursor=cursor)
        if hides and connector is not None and connector.kind in REPLY_KINDS:
            conn_id = connector.pk
            transaction.on_commit(lambda: _apply_on_platform(conn_id, hides, kind="hide", client=client))
    return result


def _store(
    *, channel: Channel, batch: list[Incoming], connector: Connector | None, now: dt.datetime, cursor: str | None
) -> tuple[IngestResult, list[tuple[int, str, str]]]:
    pids = [i.platform_id for i in batch]
    existing = _existing(channel, pids)
    fresh = [i for i in batch if i.platform_id not in existing]
    if not fresh:
        _save_connector(connector, cursor=cursor, created=0, now=now)
        return IngestResult(created=0, duplicates=len(batch), hidden=0, queued=0, ids=[]), []

    from govsocial.inbox import TriageInput, triage_many

    rules = _rules(channel)
    platform = channel.platform
    agency_id = channel.agency_id
    standings = _standings(agency_id, platform, sorted({i.author for i in fresh if i.author}))
    inputs = [
        TriageInput(
            text=i.text,
            author=i.author,
            platform=platform,
            kind=i.kind,
            author_strikes=standings[i.author].strikes if i.author in standings else 0,
        )
        for i in fresh
    ]
    triages = triage_many(inputs, rules=rules)
    rows = _decide(channel=channel, fresh=fresh, triages=triages, rules=rules, standings=standings, now=now)
    due = due_for(channel=channel, start=now) if any(r.respond for r in rows) else None
    engine = f"{rules.pack} govsocial {govsocial.__version__}"[:300]
    adapt = _adapter()
    stamp = adapt.when(now)
    due_value = adapt.when(due) if due is not None else None

    def insert(part: Sequence[_Row]) -> dict[str, int]:
        return _insert_messages(
            [
                _values(r, channel=channel, connector=connector, now=stamp, due=due_value, engine=engine, adapt=adapt)
                for r in part
            ]
        )

    # Originals first, then the messages that repeat one of them in this batch, pointing at its id.
    ours = insert([r for r in rows if not r.duplicate_of_pid])
    followers = [r for r in rows if r.duplicate_of_pid]
    if followers:
        ids = dict(ours)
        # An original another ingest stored first (a concurrent poll of the same page) still leads.
        missing = sorted({r.duplicate_of_pid for r in followers if r.duplicate_of_pid not in ids})
        for chunk in _chunks(missing):
            ids.update(Message.objects.filter(channel=channel, platform_id__in=chunk).values_list("platform_id", "id"))
        for r in followers:
            r.duplicate_of_id = ids.get(r.duplicate_of_pid)
        ours.update(insert(followers))
    mine = [r for r in rows if r.item.platform_id in ours]
    grouped = sum(1 for r in mine if r.duplicate_of_id is not None)
    hidden = [r for r in mine if r.action == Action.HIDE]
    moderations = Moderation.objects.bulk_create(
        [
            Moderation(
                message_id=ours[r.item.platform_id],
                kind=ModerationKind.HIDE,
                rule_code=r.rule_code,
                reason=f"House rules: {r.reason}" if r.reason else "House rules",
                actor=None,
                at=now,
            )
            for r in hidden
        ]
    )
    _add_strikes(
        agency_id=agency_id,
        platform=platform,
        strikes=[(r.item.author, ours[r.item.platform_id], r.rule_code, r.reason) for r in mine if r.strike],
        now=now,
    )
    created_ids = sorted(ours.values())
    counts = Counter(_status(r) for r in mine)
    result = IngestResult(
        created=len(mine),
        duplicates=len(batch) - len(mine),
        hidden=len(hidden),
        queued=counts[Status.MODERATION],
        ids=created_ids,
        grouped=grouped,
        responses=sum(1 for r in mine if r.respond),
    )
    _save_connector(connector, cursor=cursor, created=result.created, now=now)
    events: list[dict[str, Any]] = []
    if mine:
        events.append(
            {
                "actor": None,
                "agency": agency_id,
                "action": "inbox.ingested",
                "subject_type": "channel",
                "subject_id": channel.pk,
                "new": {
                    "connector": connector.pk if connector is not None else None,
                    "created": result.created,
                    "already_stored": result.duplicates,
                    "hidden": result.hidden,
                    "queued": result.queued,
                    "to_answer": result.responses,
                    "grouped": result.grouped,
                    "first_id": created_ids[0],
                    "last_id": created_ids[-1],
                    "platform_ids_sha256": _digest(r.item.platform_id for r in mine),
                    "triaged_with": engine,
                },
            }
        )
    events += [
        {
            "actor": None,
            "agency": agency_id,
            "action": "message.hidden",
            "subject_type": "message",
            "subject_id": ours[r.item.platform_id],
            "new": {"rule_code": r.rule_code, "automatic": True, "category": r.category, "moderation": moderation.pk},
            "reason": moderation.reason,
        }
        for r, moderation in zip(hidden, moderations, strict=True)
    ]
    audit_record_many(events)
    hides = [(m.pk, ours[r.item.platform_id], r.item.platform_id) for r, m in zip(hidden, moderations, strict=True)]
    return result, hides


def _save_connector(connector: Connector | None, *, cursor: str | None, created: int, now: dt.datetime) -> None:
    if connector is None:
        return
    changes: dict[str, Any] = {"messages_seen": F("messages_seen") + created}
    if cursor is not None:
        changes["cursor"] = cursor
        connector.cursor = cursor
    if connector.kind not in POLLED_KINDS:
        # Imports and webhooks are healthy when something arrives.
        changes.update(last_polled_at=now, last_ok_at=now)
    Connector.objects.filter(pk=connector.pk).update(**changes)


def _apply_on_platform(
    connector_id: int,
    todo: Sequence[tuple[int, int, str]],
    *,
    kind: str,
    client: ConnectorClient | None = None,
    reason: str = "",
) -> None:
    """After commit: hide or report each (moderation id, message id, platform id) on the platform
    and record on the moderation row whether it worked."""
    connector = Connector.objects.filter(pk=connector_id).first()
    if connector is None:
        return
    try:
        client = client or build_client(connector)
    except ConnectorError as exc:
        Moderation.objects.filter(pk__in=[m for m, _, _ in todo]).update(platform_error=str(exc)[:1000])
        return
    applied: list[int] = []
    for moderation_id, _message_id, platform_id in todo:
        try:
            if kind == "hide":
                client.hide(platform_id)
            else:
                client.report(platform_id, reason=reason)
        except NotSupported as exc:
            error = f"{exc} Do it on the platform by hand."
        except ConnectorError as exc:
            error = str(exc)
        except Exception as exc:  # an adapter bug must not undo a committed decision
            log.exception("connector %s failed to %s %s", connector_id, kind, platform_id)
            error = f"Unexpected error from the connector ({type(exc).__name__})."
        else:
            applied.append(moderation_id)
            continue
        Moderation.objects.filter(pk=moderation_id).update(platform_error=error[:1000])
    if applied:
        Moderation.objects.filter(pk__in=applied).update(applied_on_platform=True, platform_error="")


# --------------------------------------------------------------------------- connectors


def _connector_snapshot(c: Connector) -> dict[str, Any]:
    return {
        "name": c.name,
        "kind": c.kind,
        "config": dict(c.config or {}),
        "secret_set": bool(c.secret),
        "enabled": c.enabled,
        "poll_interval_s": c.poll_interval_s,
    }


def _check_connector(kind: str, name: str, config: Any, poll_interval_s: int) -> None:
    if kind not in ConnectorKind.values:
        raise InboxValidationError(f"Unknown kind of connector {kind!r}.")
    if not name or len(name) > 200:
        raise InboxValidationError("Give the connector a name of at most 200 characters.")
    if not isinstance(config, Mapping):
        raise InboxValidationError("The connector settings must be a set of names and values.")
    if not MIN_POLL_INTERVAL_S <= int(poll_interval_s) <= MAX_POLL_INTERVAL_S:
        raise InboxValidationError(
            f"Poll every {MIN_POLL_INTERVAL_S} seconds at the most often and once a day at the least."
        )


def _check_client(kind: str, config: Mapping[str, Any], secret: str) -> None:
    """Building the adapter checks its settings (no network)."""
    if kind not in POLLED_KINDS:
        return
    try:
        registry.build(kind, dict(config), secret)
    except (ConnectorError, ValueError, TypeError, KeyError) as exc:
        raise InboxValidationError(f"The connector settings are not right: {exc}") from None


@transaction.atomic
def connector_create(
    *,
    actor: User,
    channel: Channel,
    kind: str,
    name: str,
    config: Mapping[str, Any],
    secret: str = "",
    poll_interval_s: int = 300,
) -> Connector:
    """A new source of messages for ``channel``. A webhook without a secret gets a random one
    (read it once from the returned connector's ``secret``)."""
    _require(actor, MANAGERS, "set up connectors", channel)
    name = (name or "").strip()
    _check_connector(kind, name, config, poll_interval_s)
    if kind == ConnectorKind.WEBHOOK and not secret:
        secret = secrets.token_urlsafe(32)
    _check_client(kind, config, secret)
    if Connector.objects.filter(channel=channel, name=name).exists():
        raise InboxValidationError(f"This channel already has a connector called “{name}”.")
    connector = Connector.objects.create(
        agency_id=channel.agency_id,
        channel=channel,
        kind=kind,
        name=name,
        config=dict(config),
        secret=secret,
        poll_interval_s=int(poll_interval_s),
    )
    audit_record(
        actor=actor,
        agency=channel.agency_id,
        action="connector.created",
        subject_type="connector",
        subject_id=connector.pk,
        new={**_connector_snapshot(connector), "channel": channel.pk},
    )
    return connector


@transaction.atomic
def connector_update(*, actor: User, connector: Connector, **changes: Any) -> Connector:
    """Change ``name``, ``config``, ``secret``, ``enabled`` or ``poll_interval_s``. New settings or
    credentials (or switching it back on) clear the failure count and a refused sign-in, and the
    connector is polled at the next run."""
    _require(actor, MANAGERS, "change connectors", connector)
    unknown = set(changes) - {"name", "config", "secret", "enabled", "poll_interval_s", "cursor"}
    if unknown:
        raise InboxValidationError(f"Unknown connector settings: {', '.join(sorted(unknown))}.")
    connector = Connector.objects.select_for_update().get(pk=connector.pk)
    before = _connector_snapshot(connector)
    old_secret = connector.secret
    if "name" in changes:
        connector.name = (changes["name"] or "").strip()
    if "config" in changes:
        connector.config = (
            dict(changes["config"] or {}) if isinstance(changes["config"], Mapping) else changes["config"]
        )
    if changes.get("secret"):
        connector.secret = str(changes["secret"])
    if "enabled" in changes:
        connector.enabled = bool(changes["enabled"])
    if "poll_interval_s" in changes:
        connector.poll_interval_s = int(changes["poll_interval_s"])
    if "cursor" in changes:  # start again from the beginning (de-duplication keeps it harmless)
        connector.cursor = str(changes["cursor"] or "")
    _check_connector(connector.kind, connector.name, connector.config, connector.poll_interval_s)
    if Connector.objects.filter(channel_id=connector.channel_id, name=connector.name).exclude(pk=connector.pk).exists():
        raise InboxValidationError(f"This channel already has a connector called “{connector.name}”.")
    after = _connector_snapshot(connector)
    fresh_start = (
        connector.secret != old_secret
        or after["config"] != before["config"]
        or (after["enabled"] and not before["enabled"])
    )
    if fresh_start:
        _check_client(connector.kind, connector.config, connector.secret)
        connector.auth_failed_at = None
        connector.failures = 0
        connector.last_error = ""
        connector.next_poll_at = None
    connector.save()
    changed = sorted(k for k in after if after[k] != before[k])
    audit_record(
        actor=actor,
        agency=connector.agency_id,
        action="connector.updated",
        subject_type="connector",
        subject_id=connector.pk,
        old={k: before[k] for k in changed},
        new={**{k: after[k] for k in changed}, **({"secret_changed": True} if connector.secret != old_secret else {})},
    )
    return connector


def backoff_delay(interval_s: float, failures: int, *, rng: random.Random | None = None) -> float:
    """Seconds to wait after ``failures`` consecutive failures: ``interval × 2^failures``, at most
    six hours, less up to 10 % jitter so that connectors that failed together spread out."""
    base = min(float(interval_s) * 2 ** min(max(failures, 0), 30), float(BACKOFF_CAP_S))
    return base * (1 - BACKOFF_JITTER * (rng or random).random())


def due_connectors(*, now: dt.datetime | None = None) -> list[int]:
    """Ids of the enabled polled connectors whose next poll is due, soonest first."""
    now = now or timezone.now()
    return list(
        Connector.objects.filter(enabled=True, auth_failed_at__isnull=True, kind__in=POLLED_KINDS)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .order_by(F("next_poll_at").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)
    )


def claim_connector(connector_id: int, *, now: dt.datetime | None = None, lease_s: int = 600) -> bool:
    """Take a due connector for this worker: moves its next poll ``lease_s`` ahead if it is still
    due. Two overlapping runs of the scheduler then never poll the same connector at once."""
    now = now or timezone.now()
    return bool(
        Connector.objects.filter(pk=connector_id)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .update(next_poll_at=now + dt.timedelta(seconds=lease_s))
    )


def connector_poll(
    *,
    connector: Connector,
    now: dt.datetime | None = None,
    max_pages: int = MAX_PAGES,
    client: ConnectorClient | None = None,
    rng: random.Random | None = None,
) -> PollOutcome:
    """Poll one connector now: up to ``max_pages`` pages, each stored with its cursor in one
    transaction, then the connector's health and next poll time. Never raises for the platform's
    failures: they are recorded on the connector (rate limits wait as asked, other errors back off
    exponentially, refused credentials stop polling until someone updates them)."""
    connector = Connector.objects.select_related("channel", "channel__agency").get(pk=connector.pk)
    started = now or timezone.now()
    if not connector.enabled:
        return PollOutcome(ok=False, created=0, duplicates=0, error="The connector is switched off.", next_poll_at=None)
    if connector.auth_failed_at is not None:
        return PollOutcome(
            ok=False,
            created=0,
            duplicates=0,
            error=connector.last_error or "The platform refused the credentials.",
            next_poll_at=None,
        )
    if connector.kind not in POLLED_KINDS:
        return PollOutcome(ok=True, created=0, duplicates=0, error="", next_poll_at=None)
    created = duplicates = pages = 0
    more = False
    error = ""
    updates: dict[str, Any] = {"last_polled_at": started}
    try:
        client = client or build_client(connector)
        for _ in range(max(1, max_pages)):
            page = client.poll(connector.cursor)
            result = ingest(
                channel=connector.channel,
                items=page.messages,
                connector=connector,
                cursor=page.cursor,
                now=now or timezone.now(),
                client=client,
            )
            pages += 1
            created += result.created
            duplicates += result.duplicates
            more = page.more
            if not more:
                break
    except RateLimited as exc:
        wait = max(1.0, float(exc.retry_after))
        error = f"Rate limited by the platform: {exc}"
        updates.update(last_error=error, next_poll_at=started + dt.timedelta(seconds=wait))
    except AuthFailed as exc:
        error = f"The platform refused the credentials: {exc}"
        updates.update(last_error=error, auth_failed_at=started, failures=F("failures") + 1, next_poll_at=None)
    except (ConnectorError, InboxError) as exc:
        error = str(getattr(exc, "message", exc)) or type(exc).__name__
        failures = connector.failures + 1
        delay = backoff_delay(connector.poll_interval_s, failures, rng=rng)
        updates.update(last_error=error, failures=failures, next_poll_at=started + dt.timedelta(seconds=delay))
    except Exception as exc:  # an adapter bug: recorded like a failure so the other connectors still run
        log.exception("polling connector %s failed", connector.pk)
        error = f"Unexpected error while polling ({type(exc).__name__}: {exc})"
        failures = connector.failures + 1
        delay = backoff_delay(connector.poll_interval_s, failures, rng=rng)
        updates.update(last_error=error[:2000], failures=failures, next_poll_at=started + dt.timedelta(seconds=delay))
    else:
        next_at = started if more else started + dt.timedelta(seconds=connector.poll_interval_s)
        updates.update(last_ok_at=started, last_error="", failures=0, next_poll_at=next_at)
    Connector.objects.filter(pk=connector.pk).update(**updates)
    next_poll = updates.get("next_poll_at")
    return PollOutcome(
        ok=not error, created=created, duplicates=duplicates, error=error, next_poll_at=next_poll, pages=pages
    )


def _ago(now: dt.datetime, then: dt.datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 90:
        return "just now"
    if seconds < 5400:
        return f"{round(seconds / 60)} minutes ago"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} hours ago"
    return f"{round(seconds / 86400)} days ago"


def connector_health(connector: Connector, *, now: dt.datetime | None = None) -> Health:
    """The connector's state for the channel page, in words."""
    now = now or timezone.now()
    if not connector.enabled:
        return Health(state="paused", label="Switched off", detail="Not polled until someone switches it on.")
    if connector.auth_failed_at is not None:
        return Health(
            state="auth",
            label="Sign-in refused",
            detail=(connector.last_error or "The platform refused the credentials.")
            + " Polling has stopped: update the access token or password.",
        )
    if connector.failures:
        when = f" Next try {_ago_or_in(now, connector.next_poll_at)}." if connector.next_poll_at else ""
        return Health(
            state="failing",
            label=f"Failing ({connector.failures} in a row)",
            detail=f"{connector.last_error}{when}".strip(),
        )
    if connector.last_polled_at is None and connector.last_ok_at is None:
        what = "No message received yet." if connector.kind not in POLLED_KINDS else "Not polled yet."
        return Health(state="never", label="Waiting", detail=what)
    last = connector.last_ok_at or connector.last_polled_at
    assert last is not None
    if connector.last_error:  # rate limited: healthy, waiting as the platform asked
        return Health(
            state="ok",
            label="Waiting",
            detail=f"{connector.last_error}. Next try {_ago_or_in(now, connector.next_poll_at)}."
            if connector.next_poll_at
            else connector.last_error,
        )
    verb = "Last checked" if connector.kind in POLLED_KINDS else "Last message received"
    return Health(
        state="ok", label="Working", detail=f"{verb} {_ago(now, last)}; {connector.messages_seen:,} messages so far."
    )


def _ago_or_in(now: dt.datetime, then: dt.datetime | None) -> str:
    if then is None:
        return "not scheduled"
    seconds = int((then - now).total_seconds())
    if seconds <= 60:
        return "now"
    if seconds < 5400:
        return f"in {round(seconds / 60)} minutes"
    return f"in {round(seconds / 3600)} hours"


# --------------------------------------------------------------------------- the response queue


def _lock(message: Message) -> Message:
    return (
        Message.objects.select_for_update(of=("self",))
        .select_related("channel", "channel__agency", "connector", "assignee", "team")
        .get(pk=message.pk)
    )


def _user_label(user: Any) -> str | None:
    return None if user is None else f"{user.pk}:{getattr(user, 'label', str(user))}"


def _check_assignee(message: Message, assignee: User | None, team: Team | None) -> None:
    if assignee is not None:
        if assignee.agency_id != message.agency_id or not assignee.is_active:
            raise InboxValidationError("Choose an active person of your agency.")
        if not assignee.has_role(*RESPONDERS):
            raise InboxValidationError(f"{assignee.label} does not have a role that answers messages.")
    if team is not None and team.agency_id != message.agency_id:
        raise InboxValidationError("Choose a team of your agency.")


def _assign_one(*, actor: User, message: Message, assignee: User | None, team: Team | None, how: str) -> Message:
    old = {"assignee": _user_label(message.assignee), "team": message.team_id}
    message.assignee = assignee
    if team is not None:
        message.team = team
    message.save(update_fields=["assignee", "team"])
    _record_message(
        actor=actor,
        message=message,
        action="message.assigned",
        old=old,
        new={"assignee": _user_label(assignee), "team": message.team_id, "how": how},
    )
    return message


@transaction.atomic
def message_assign(*, actor: User, message: Message, assignee: User | None = None, team: Team | None = None) -> Message:
    """Give a message to a person (and/or a team); no one and no team: unassign it. Moderators and
    comms managers assign anyone; an officer may take a message for themselves."""
    if not same_agency(actor, message):
        raise InboxPermissionError("You can only assign messages of your own agency.")
    taking = assignee is not None and assignee.pk == actor.pk and team is None
    if not has_role(actor, *ASSIGNERS) and not (taking and has_role(actor, *RESPONDERS)):
        raise InboxPermissionError("You do not have a role that can assign messages to others.")
    message = _lock(message)
    _check_assignee(message, assignee, team)
    return _assign_one(actor=actor, message=message, assignee=assignee, team=team, how="take" if taking else "manual")


def round_robin_members(team: Team) -> list[User]:
    """The team's active members who answer messages, in a fixed order (by id)."""
    members = User.objects.filter(teams=team, is_active=True, agency_id=team.agency_id).order_by("pk")
    return [u for u in members if u.has_role(*ROUND_ROBIN_ROLES)]


@transaction.atomic
def message_assign_round_robin(*, actor: User, messages: Sequence[Message], team: Team) -> list[Message]:
    """Share ``messages`` out in turn among ``team``'s members who answer messages (officers,
    moderators, comms managers), starting after whoever the team's last round-robin assignment
    went to. The pointer row is locked, so two people sharing out at once never skip anyone."""
    _require(actor, ASSIGNERS, "assign messages", team)
    members = round_robin_members(team)
    if not members:
        raise InboxValidationError(f"Nobody in {team.name} answers messages: add officers or moderators to the team.")
    RoundRobin.objects.get_or_create(team=team)
    pointer = RoundRobin.objects.select_for_update().get(team=team)
    last = pointer.last_user_id or 0
    index = next((i for i, u in enumerate(members) if u.pk > last), 0)
    out = []
    for message in sorted(messages, key=lambda m: m.pk):
        if not same_agency(actor, message):
            raise InboxPermissionError("You can only assign messages of your own agency.")
        locked = _lock(message)
        person = members[index]
        out.append(_assign_one(actor=actor, message=locked, assignee=person, team=team, how="round_robin"))
        pointer.last_user = person
        index = (index + 1) % len(members)
    pointer.save(update_fields=["last_user"])
    return out


def _needs_answer(message: Message) -> bool:
    return bool(message.triage.get("respond")) or message.category in PROTECTED_CATEGORIES


@transaction.atomic
def message_close(*, actor: User, message: Message, reason: str = "") -> Message:
    """No response needed (or none possible): take it out of the queue, with an optional reason."""
    _require(actor, RESPONDERS, "close messages", message)
    message = _lock(message)
    if message.status == Status.CLOSED:
        raise InboxStateError("This message is already closed.")
    if message.status == Status.REPLYING and _reply_in_progress(message):
        raise InboxStateError("A reply to this message is in progress: withdraw the reply draft first.")
    old = message.status
    message.status = Status.CLOSED
    message.save(update_fields=["status"])
    _record_message(
        actor=actor,
        message=message,
        action="message.closed",
        old={"status": old},
        new={"status": message.status},
        reason=(reason or "").strip(),
    )
    return message


# --------------------------------------------------------------------------- moderation


def _is_criticism(reason: str) -> bool:
    words = re.sub(r"[^\w\s]", " ", reason.lower()).split()
    return " ".join(words) in _CRITICISM


def _cited_rule(rules: HouseRules, rule_code: str, *, required: bool) -> HouseRule | None:
    code = (rule_code or "").strip().upper()
    if not code:
        if required:
            raise InboxValidationError(
                "Choose the house rule this decision applies (every hide cites a published rule)."
            )
        return None
    if code == "CRITICISM":
        raise InboxValidationError(NEVER_HIDE_RULES["IN-15"])
    try:
        return rules.get(code)
    except KeyError:
        raise InboxValidationError(
            f"{code} is not a rule of this channel’s community guidelines (rules: {', '.join(rules.codes())})."
        ) from None


def _after_commit_on_platform(message: Message, moderation: Moderation, *, kind: str, reason: str = "") -> None:
    connector = message.connector
    if connector is None or connector.kind not in REPLY_KINDS:
        return
    todo = [(moderation.pk, message.pk, message.platform_id)]
    conn_id = connector.pk
    transaction.on_commit(lambda: _apply_on_platform(conn_id, todo, kind=kind, reason=reason))


@transaction.atomic
def message_moderate(*, actor: User, message: Message, kind: str, rule_code: str, reason: str = "") -> Moderation:
    """A moderator's decision on a message: ``hide``, ``unhide``, ``leave`` (up, out of the
    moderation queue), ``report`` (to the platform) or ``escalate`` (police, legal, security: say
    which in the reason). Hiding and reporting cite a house rule of the channel's pack; see the
    module docstring for what is refused. Hides and reports reach the platform after commit
    (Mastodon and Bluesky connectors); the connector interface has no "show again", so an unhide
    is done on the platform by hand."""
    _require(actor, MODERATORS, "moderate messages", message)
    if kind not in ("hide", "unhide", "leave", "report", "escalate"):
        raise InboxValidationError(f"Unknown moderation {kind!r}: hide, unhide, leave, report or escalate.")
    message = _lock(message)
    reason = (reason or "").strip()
    rules = _rules(message.channel)
    rule = _cited_rule(rules, rule_code, required=kind in ("hide", "report"))
    code = rule.code if rule is not None else ""
    if reason and _is_criticism(reason) and kind in ("hide", "report"):
        raise InboxValidationError(NEVER_HIDE_RULES["IN-15"])
    old = {"status": message.status, "action": message.action, "rule_code": message.rule_code, "hidden": message.hidden}
    fields = ["status", "action", "rule_code", "hidden"]
    if kind == "hide":
        assert rule is not None
        for protected, refusal in NEVER_HIDE_RULES.items():
            if _serves(rule, protected):
                raise InboxValidationError(refusal)
        if message.hidden:
            raise InboxStateError("This message is already hidden.")
        if message.category in (Category.QUESTION, Category.COMPLAINT) and not _serves(rule, "IN-01") and not reason:
            raise InboxValidationError(
                "Questions and complaints are not hidden for what they ask or complain about (IN-14). Hide one only "
                "for personal information (IN-01), or write down why this one breaks the rule you chose."
            )
        message.hidden, message.action, message.rule_code = True, Action.HIDE, code
        if message.status == Status.MODERATION:
            message.status = Status.OPEN if _needs_answer(message) else Status.NO_ACTION
    elif kind == "unhide":
        if not message.hidden:
            raise InboxStateError("This message is not hidden.")
        message.hidden, message.action = False, Action.LEAVE
        message.rule_code = code
    elif kind == "leave":
        if message.hidden:
            raise InboxStateError("This message is hidden: show it again (unhide) instead.")
        message.action, message.rule_code = Action.LEAVE, code
        if message.status == Status.MODERATION:
            message.status = Status.OPEN if _needs_answer(message) else Status.NO_ACTION
    elif kind == "report":
        if message.connector is None or message.connector.kind not in REPLY_KINDS:
            # Still recorded: the moderator reports it on the platform by hand.
            pass
    elif kind == "escalate":
        if not reason:
            raise InboxValidationError("Say who this is escalated to and why (police, legal, security…).")
        message.priority = 1
        fields.append("priority")
    if message.status == Status.OPEN and message.due_at is None and _needs_answer(message):
        message.due_at = due_for(channel=message.channel, start=timezone.now())
        fields.append("due_at")
    message.save(update_fields=fields)
    moderation = Moderation.objects.create(
        message=message, kind=kind, rule_code=code, reason=reason, actor=actor, at=timezone.now()
    )
    _record_message(
        actor=actor,
        message=message,
        action=_MODERATION_EVENTS[kind],
        old=old,
        new={
            "status": message.status,
            "action": message.action,
            "rule_code": code,
            "hidden": message.hidden,
            "moderation": moderation.pk,
            "automatic": False,
        },
        reason=reason,
    )
    if kind in ("hide", "report"):
        _after_commit_on_platform(message, moderation, kind=kind, reason=reason or (rule.title if rule else ""))
    return moderation


@transaction.atomic
def messages_bulk(
    *,
    actor: User,
    message_ids: Sequence[int],
    action: str,
    assignee: User | None = None,
    team: Team | None = None,
    rule_code: str = "",
    reason: str = "",
) -> int:
    """One action on many messages of the actor's agency: ``assign``, ``round_robin``, ``close``,
    ``hide`` or ``leave``. All or nothing: a refusal names the message and nothing changes.
    Each message gets its own audit event."""
    if action not in ("assign", "round_robin", "close", "hide", "leave"):
        raise InboxValidationError(f"Unknown bulk action {action!r}.")
    ids = sorted({int(i) for i in message_ids})
    if not ids:
        raise InboxValidationError("Choose at least one message.")
    if len(ids) > MAX_BULK:
        raise InboxValidationError(f"Choose at most {MAX_BULK} messages at a time.")
    messages = list(Message.objects.filter(pk__in=ids, agency_id=getattr(actor, "agency_id", None)).order_by("pk"))
    if len(messages) != len(ids):
        raise InboxValidationError("Some of the chosen messages do not exist in your agency’s inbox.")
    if action == "round_robin":
        chosen = team or (messages[0].team if messages[0].team_id else None)
        if chosen is None:
            raise InboxValidationError("Choose the team to share the messages out in.")
        return len(message_assign_round_robin(actor=actor, messages=messages, team=chosen))
    for message in messages:
        try:
            if action == "assign":
                message_assign(actor=actor, message=message, assignee=assignee, team=team)
            elif action == "close":
                message_close(actor=actor, message=message, reason=reason)
            else:
                message_moderate(actor=actor, message=message, kind=action, rule_code=rule_code, reason=reason)
        except InboxError as exc:
            raise type(exc)(f"Message {message.pk}: {exc.message}") from None
    return len(messages)


# --------------------------------------------------------------------------- authors


def author_standing(*, message: Message) -> AuthorStanding:
    """The standing of the message's author on its platform in the agency (made on first use)."""
    if not message.author:
        raise InboxValidationError("This message has no author to record strikes or a block against.")
    standing, _ = AuthorStanding.objects.get_or_create(
        agency_id=message.agency_id, platform=message.channel.platform, author=message.author
    )
    return standing


def _standing_snapshot(s: AuthorStanding) -> dict[str, Any]:
    return {"strikes": s.strikes, "blocked": s.blocked, "review_on": s.review_on}


def _record_standing(
    *, actor: User, standing: AuthorStanding, action: str, before: dict[str, Any], reason: str, **extra: Any
) -> None:
    """The audit event of a change to an author's standing: before and after, who and where."""
    audit_record(
        actor=actor,
        agency=standing.agency_id,
        action=action,
        subject_type="author",
        subject_id=standing.pk,
        old=before,
        new={**_standing_snapshot(standing), "author": standing.author, "platform": standing.platform, **extra},
        reason=reason,
    )


@transaction.atomic
def author_strike(*, actor: User, message: Message, rule_code: str, reason: str = "") -> AuthorStanding:
    """One strike against the message's author for breaking a house rule (IN-13). The audit event
    says when the pack suggests a block (``strikes_to_block``); blocking is a separate decision."""
    _require(actor, MODERATORS, "give strikes", message)
    rules = _rules(message.channel)
    rule = _cited_rule(rules, rule_code, required=True)
    assert rule is not None
    for protected, refusal in NEVER_HIDE_RULES.items():
        if _serves(rule, protected):
            raise InboxValidationError(refusal.replace("hide a comment", "give a strike").replace("hidden", "struck"))
    reason = (reason or "").strip()
    if reason and _is_criticism(reason):
        raise InboxValidationError(NEVER_HIDE_RULES["IN-15"])
    standing = AuthorStanding.objects.select_for_update().get(pk=author_standing(message=message).pk)
    before = _standing_snapshot(standing)
    standing.strikes += 1
    standing.save(update_fields=["strikes"])
    Strike.objects.create(
        standing=standing, message=message, rule_code=rule.code, reason=reason, actor=actor, at=timezone.now()
    )
    _record_standing(
        actor=actor,
        standing=standing,
        action="author.struck",
        before=before,
        reason=reason,
        message=message.pk,
        rule_code=rule.code,
        block_suggested=standing.strikes >= rules.strikes_to_block,
    )
    return standing


@transaction.atomic
def author_block(*, actor: User, standing: AuthorStanding, reason: str, review_on: dt.date | None) -> AuthorStanding:
    """Block an author: needs a moderator, a recorded reason and a review date within a year
    (DIA-TBX-MOD-5, IN-13). Their new messages are then hidden at ingest citing IN-13. Blocking
    the account on the platform itself is done there by hand."""
    _require(actor, MODERATORS, "block authors", standing)
    reason = (reason or "").strip()
    if not reason:
        raise InboxValidationError("Give the reason for the block: it is kept on record and reviewed.")
    if _is_criticism(reason):
        raise InboxValidationError(NEVER_HIDE_RULES["IN-15"].replace("hide a comment", "block someone"))
    if not isinstance(review_on, dt.date) or isinstance(review_on, dt.datetime):
        raise InboxValidationError("Give the date the block will be reviewed.")
    today = timezone.localdate()
    if review_on <= today:
        raise InboxValidationError("The review date must be in the future.")
    if review_on > today + dt.timedelta(days=MAX_REVIEW_DAYS):
        raise InboxValidationError("Review a block within a year.")
    standing = AuthorStanding.objects.select_for_update().get(pk=standing.pk)
    if standing.blocked:
        raise InboxStateError("This author is already blocked.")
    before = _standing_snapshot(standing)
    standing.blocked = True
    standing.block_reason = reason
    standing.blocked_by = actor
    standing.blocked_at = timezone.now()
    standing.review_on = review_on
    standing.save(update_fields=["blocked", "block_reason", "blocked_by", "blocked_at", "review_on"])
    _record_standing(actor=actor, standing=standing, action="author.blocked", before=before, reason=reason)
    return standing


@transaction.atomic
def author_unblock(*, actor: User, standing: AuthorStanding, reason: str) -> AuthorStanding:
    _require(actor, MODERATORS, "unblock authors", standing)
    reason = (reason or "").strip()
    if not reason:
        raise InboxValidationError("Give the reason for lifting the block.")
    standing = AuthorStanding.objects.select_for_update().get(pk=standing.pk)
    if not standing.blocked:
        raise InboxStateError("This author is not blocked.")
    before = _standing_snapshot(standing)
    standing.blocked = False
    standing.review_on = None
    standing.save(update_fields=["blocked", "review_on"])
    _record_standing(actor=actor, standing=standing, action="author.unblocked", before=before, reason=reason)
    return standing


# --------------------------------------------------------------------------- replies


def _reply_in_progress(message: Message) -> bool:
    draft = message.reply_draft
    return draft is not None and draft.state not in (DraftState.PUBLISHED, DraftState.WITHDRAWN)


def _fill(body: str, message: Message) -> str:
    """Template placeholders: ``{author}`` (their handle) and ``{agency}``."""
    author = message.author if message.author.startswith("@") or not message.author else f"@{message.author}"
    return body.replace("{author}", author).replace("{agency}", message.channel.agency.name)


def _draft_error(exc: Exception) -> InboxError:
    from govsocial.web.drafts.services import DraftPermissionError, DraftStateError, DraftValidationError

    text = getattr(exc, "message", str(exc))
    if isinstance(exc, DraftPermissionError):
        return InboxPermissionError(text)
    if isinstance(exc, DraftStateError):
        return InboxStateError(text)
    if isinstance(exc, DraftValidationError):
        return InboxValidationError(text)
    return InboxError(text)


@transaction.atomic
def reply_start(*, actor: User, message: Message, template: ResponseTemplate | None = None, text: str = "") -> Draft:
    """Start a reply: a draft on the message's channel, reviewed in its official context with the
    message as ``reply_to``, then submitted, approved and published like any draft (WF-03). When
    it is published the inbox sends it through the message's connector (or it is posted by hand
    and its URL recorded) and marks the message answered. ``text`` wins over the template's body."""
    from govsocial.web.drafts.services import DraftError, draft_create

    if not same_agency(actor, message):
        raise InboxPermissionError("You can only reply to messages of your own agency.")
    message = _lock(message)
    if _reply_in_progress(message):
        raise InboxStateError("A reply to this message is already in progress: open its draft.")
    if template is not None and (
        template.agency_id != message.agency_id or not template.approved or not template.active
    ):
        raise InboxValidationError("Choose an approved template of your agency.")
    body = (text or "").strip() or (_fill(template.body, message) if template is not None else "")
    if not body:
        raise InboxValidationError("Write the reply or choose a template.")
    label = message.author or "a message"
    try:
        draft = draft_create(
            author=actor,
            channel=message.channel,
            text=body,
            reply_to=message.text[:MAX_TEXT],
            title=f"Reply to {label}"[:200],
        )
    except DraftError as exc:
        raise _draft_error(exc) from None
    old = {"status": message.status, "reply_draft": message.reply_draft_id}
    message.reply_draft = draft
    message.status = Status.REPLYING
    fields = ["reply_draft", "status"]
    if message.assignee_id is None:
        message.assignee = actor
        fields.append("assignee")
    message.save(update_fields=fields)
    _record_message(
        actor=actor,
        message=message,
        action="message.reply_started",
        old=old,
        new={
            "status": message.status,
            "reply_draft": draft.pk,
            "template": template.key if template is not None else "",
            "text_sha256": _sha(body),
        },
    )
    return draft


class ConnectorReplyAdapter:
    """Publishes a reply draft as a reply to the message, through the message's connector."""

    manual = False

    def __init__(self, *, message: Message, connector: Connector) -> None:
        self.message = message
        self.connector = connector
        self.name = f"inbox-{connector.kind}"[:20]

    def publish(self, channel: Any, text: str, media: Sequence[Mapping[str, Any]]) -> adapters.PublishReceipt:
        try:
            sent: SentReply = build_client(self.connector).reply(in_reply_to=self.message.platform_id, text=text)
        except NotSupported as exc:
            raise adapters.ManualPublishingRequired(f"{exc} Post it by hand, then record the live URL.") from None
        except ConnectorError as exc:
            raise adapters.PublishFailed(str(exc)) from None
        return adapters.PublishReceipt(url=sent.url, platform_id=sent.platform_id)


class InboxReplies:
    """The drafts app's publish handler for replies to inbox messages (registered in ``apps.py``)."""

    def adapter_for(self, draft: Any) -> adapters.PublishAdapter | None:
        if not getattr(draft, "reply_to", ""):
            return None
        message = Message.objects.filter(reply_draft_id=draft.pk).select_related("connector").order_by("pk").first()
        if message is None:
            return None
        connector = message.connector
        if connector is None or connector.kind not in REPLY_KINDS or not connector.enabled:
            return adapters.MANUAL
        return ConnectorReplyAdapter(message=message, connector=connector)

    def published(self, draft: Any) -> None:
        if not getattr(draft, "reply_to", ""):
            return
        for message in Message.objects.select_for_update().filter(reply_draft_id=draft.pk).order_by("pk"):
            old = {"status": message.status}
            message.status = Status.ANSWERED
            message.answered_at = draft.published_at or timezone.now()
            message.reply_platform_id = (draft.platform_post_id or "")[:300]
            message.save(update_fields=["status", "answered_at", "reply_platform_id"])
            _record_message(
                actor=draft.published_by,
                message=message,
                action="message.answered",
                old=old,
                new={
                    "status": message.status,
                    "reply_draft": draft.pk,
                    "method": draft.publish_method,
                    "url": draft.published_url,
                    "reply_platform_id": message.reply_platform_id,
                },
            )

    def withdrawn(self, draft: Any) -> None:
        """A withdrawn reply leaves its message waiting for an answer again (a new reply can start)."""
        if not getattr(draft, "reply_to", ""):
            return
        messages = Message.objects.select_for_update().filter(reply_draft_id=draft.pk, status=Status.REPLYING)
        for message in messages.order_by("pk"):
            message.status = Status.OPEN
            message.save(update_fields=["status"])
            _record_message(
                actor=None,
                message=message,
                action="message.reply_withdrawn",
                old={"status": Status.REPLYING, "reply_draft": draft.pk},
                new={"status": message.status},
            )


# --------------------------------------------------------------------------- templates


def _template_snapshot(t: ResponseTemplate) -> dict[str, Any]:
    return {
        "key": t.key,
        "title": t.title,
        "purpose": t.purpose,
        "body_sha256": _sha(t.body),
        "approved": t.approved,
        "active": t.active,
    }


def _clean_template(*, key: str, title: str, body: str, purpose: str) -> tuple[str, str, str, str]:
    key = (key or "").strip().lower()
    if not _KEY_RE.match(key):
        raise InboxValidationError("The key is lower-case letters, digits, - and _ (at most 60).")
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise InboxValidationError("Give the template a title of at most 200 characters.")
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise InboxValidationError("Write the template’s text.")
    if len(body) > MAX_TEXT:
        raise InboxValidationError(f"The template’s text must be {MAX_TEXT:,} characters or fewer.")
    if purpose not in TemplatePurpose.values:
        raise InboxValidationError(f"Unknown purpose {purpose!r}.")
    return key, title, body, purpose


@transaction.atomic
def template_create(
    *, actor: User, agency: Agency, key: str, title: str, body: str, purpose: str = TemplatePurpose.GENERAL
) -> ResponseTemplate:
    """A new response template, not yet approved (a comms manager who did not write it approves it)."""
    _require(actor, TEMPLATE_WRITERS, "write response templates", agency)
    key, title, body, purpose = _clean_template(key=key, title=title, body=body, purpose=purpose)
    if ResponseTemplate.objects.filter(agency=agency, key=key).exists():
        raise InboxValidationError(f"There is already a template with the key “{key}”.")
    template = ResponseTemplate.objects.create(
        agency=agency, key=key, title=title, body=body, purpose=purpose, updated_by=actor
    )
    audit_record(
        actor=actor,
        agency=agency,
        action="template.created",
        subject_type="template",
        subject_id=template.pk,
        new=_template_snapshot(template),
    )
    return template


@transaction.atomic
def template_update(*, actor: User, template: ResponseTemplate, **changes: Any) -> ResponseTemplate:
    """Change ``key``, ``title``, ``body``, ``purpose`` or ``active``. Any change takes the approval
    away: the changed words need approving again."""
    _require(actor, TEMPLATE_WRITERS, "change response templates", template)
    unknown = set(changes) - {"key", "title", "body", "purpose", "active"}
    if unknown:
        raise InboxValidationError(f"Unknown template fields: {', '.join(sorted(unknown))}.")
    template = ResponseTemplate.objects.select_for_update().get(pk=template.pk)
    before = _template_snapshot(template)
    key, title, body, purpose = _clean_template(
        key=changes.get("key", template.key),
        title=changes.get("title", template.title),
        body=changes.get("body", template.body),
        purpose=changes.get("purpose", template.purpose),
    )
    if key != template.key and ResponseTemplate.objects.filter(agency_id=template.agency_id, key=key).exists():
        raise InboxValidationError(f"There is already a template with the key “{key}”.")
    template.key, template.title, template.body, template.purpose = key, title, body, purpose
    if "active" in changes:
        template.active = bool(changes["active"])
    after = _template_snapshot(template)
    changed = sorted(k for k in after if after[k] != before[k])
    if not changed:
        return template
    template.approved = False
    template.approved_by = None
    template.approved_at = None
    template.updated_by = actor
    template.save()
    after = _template_snapshot(template)
    audit_record(
        actor=actor,
        agency=template.agency_id,
        action="template.updated",
        subject_type="template",
        subject_id=template.pk,
        old={k: before[k] for k in sorted({*changed, "approved"})},
        new={k: after[k] for k in sorted({*changed, "approved"})},
    )
    return template


@transaction.atomic
def template_approve(*, actor: User, template: ResponseTemplate) -> ResponseTemplate:
    """Approve the template's current words: a comms manager (or admin) who did not last edit it."""
    _require(actor, MANAGERS, "approve response templates", template)
    template = ResponseTemplate.objects.select_for_update().get(pk=template.pk)
    if template.approved:
        raise InboxStateError("This template is already approved.")
    if template.updated_by_id == actor.pk:
        raise InboxPermissionError("You wrote the current words of this template, so someone else must approve it.")
    template.approved = True
    template.approved_by = actor
    template.approved_at = timezone.now()
    template.save(update_fields=["approved", "approved_by", "approved_at"])
    audit_record(
        actor=actor,
        agency=template.agency_id,
        action="template.approved",
        subject_type="template",
        subject_id=template.pk,
        new=_template_snapshot(template),
    )
    return template
