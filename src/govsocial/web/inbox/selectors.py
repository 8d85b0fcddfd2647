"""Reads of the inbox, limited to the asking user's agency (another agency's messages do not exist here).

The list is built for a million stored messages: keyset pagination on the columns of a model
index, never ``OFFSET`` and never an exact ``COUNT(*)``.

```
sort "recent": ORDER BY received_at DESC, id DESC   index (agency, status, -received_at, -id)
                                                     or (agency, -received_at, -id) for "all"
sort "due":    ORDER BY due_at ASC, id ASC          index (agency, status, due_at, id)
next page:     WHERE received_at <= t AND (received_at < t OR id < n)   (the ``<=`` is the index
               condition that starts the scan at the cursor; the OR settles ties)
counts:        SELECT COUNT(*) FROM (SELECT id … LIMIT 1000)   capped, read by the index
```

The cursor is opaque to callers (``r:`` or ``d:`` + the sort key and id, base64url); a malformed
one raises ``ValueError``.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from collections.abc import Callable, Collection
from typing import Any, Final

from django.db.models import Q, QuerySet
from django.utils import timezone

from govsocial.web.accounts.permissions import is_member
from govsocial.web.inbox.models import Connector, Message, ResponseTemplate, Status

__all__ = [
    "COUNT_CAP",
    "LIST_FIELDS",
    "MessageFilters",
    "MessagePage",
    "connector_list",
    "inbox_counts",
    "message_duplicates",
    "message_get",
    "message_list",
    "message_thread",
    "template_list",
]

#: Counts stop here: a tab shows "999+" rather than make the database count a million rows.
COUNT_CAP: Final = 1000
MAX_LIMIT: Final = 200
#: Statuses that still need an answer (and can be overdue).
WAITING: Final = (Status.OPEN.value, Status.REPLYING.value)
#: What a row of the list shows; everything else stays in the database.
LIST_FIELDS: Final = (
    "id",
    "agency_id",
    "channel_id",
    "connector_id",
    "platform_id",
    "kind",
    "author",
    "author_name",
    "text",
    "url",
    "received_at",
    "category",
    "sentiment",
    "language",
    "has_pii",
    "priority",
    "action",
    "rule_code",
    "hidden",
    "status",
    "team_id",
    "assignee_id",
    "due_at",
    "answered_at",
    "duplicate_of_id",
    "thread_key",
    "reply_draft_id",
    "channel__id",
    "channel__name",
    "channel__platform",
    "channel__handle",
    "team__id",
    "team__name",
    "assignee__id",
    "assignee__username",
    "assignee__display_name",
    "assignee__first_name",
    "assignee__last_name",
)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class MessageFilters:
    """What the list shows. ``status``: a :class:`Status` value, ``"hidden"`` (hidden messages,
    any status) or ``None`` (all). ``assignee``: ``"me"``, ``"none"`` (nobody yet), a user id or
    ``None``. ``overdue``: waiting for an answer past its due time. ``q``: text or author contains.
    ``sort``: ``"recent"`` (newest first) or ``"due"`` (soonest due first; only messages with a due
    time)."""

    status: str | None = None
    category: str | None = None
    channel_id: int | None = None
    assignee: str | int | None = None
    overdue: bool = False
    q: str = ""
    sort: str = "recent"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class MessagePage:
    items: list[Message]
    next_cursor: str | None
    has_more: bool


def _scope(for_user: Any) -> QuerySet[Message]:
    if not is_member(for_user):
        return Message.objects.none()
    return Message.objects.filter(agency_id=for_user.agency_id)


def _encode(prefix: str, key: dt.datetime, pk: int) -> str:
    raw = f"{prefix}|{key.astimezone(dt.UTC).isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(cursor: str, prefix: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        kind, key, pk = raw.split("|")
        when = dt.datetime.fromisoformat(key)
        number = int(pk)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"not an inbox cursor: {cursor[:40]!r}") from exc
    if kind != prefix or when.tzinfo is None:
        raise ValueError("the cursor belongs to another ordering of the list")
    return when, number


def _filtered(qs: QuerySet[Message], f: MessageFilters, for_user: Any, now: dt.datetime) -> QuerySet[Message]:
    if f.status == "hidden":
        qs = qs.filter(hidden=True)
    elif f.status:
        qs = qs.filter(status=f.status) if f.status in Status.values else qs.none()
    if f.category:
        qs = qs.filter(category=f.category)
    if f.channel_id:
        qs = qs.filter(channel_id=f.channel_id)
    if f.assignee == "me":
        qs = qs.filter(assignee_id=for_user.pk)
    elif f.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif f.assignee not in (None, ""):
        try:
            qs = qs.filter(assignee_id=int(f.assignee))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            qs = qs.none()
    if f.overdue:
        qs = qs.filter(due_at__lt=now)
        if not f.status:
            qs = qs.filter(status__in=WAITING)
    if q := (f.q or "").strip():
        qs = qs.filter(Q(text__icontains=q) | Q(author__icontains=q) | Q(author_name__icontains=q))
    return qs


def message_list(
    *, for_user: Any, filters: MessageFilters | None = None, after: str | None = None, limit: int = 50
) -> MessagePage:
    """One page of the inbox for ``for_user`` (their agency only), newest first or soonest due
    first, from the opaque cursor ``after`` (``None``: the first page)."""
    f = filters or MessageFilters()
    limit = max(1, min(int(limit), MAX_LIMIT))
    now = timezone.now()
    qs = _filtered(_scope(for_user), f, for_user, now)
    if f.sort == "due":
        qs = qs.filter(due_at__isnull=False)
        if after:
            when, pk = _decode(after, "d")
            qs = qs.filter(due_at__gte=when).filter(Q(due_at__gt=when) | Q(pk__gt=pk))
        qs = qs.order_by("due_at", "id")
    else:
        if after:
            when, pk = _decode(after, "r")
            qs = qs.filter(received_at__lte=when).filter(Q(received_at__lt=when) | Q(pk__lt=pk))
        qs = qs.order_by("-received_at", "-id")
    rows = list(qs.select_related("channel", "assignee", "team").only(*LIST_FIELDS)[: limit + 1])
    has_more = len(rows) > limit
    items = rows[:limit]
    cursor = None
    if has_more and items:
        last = items[-1]
        cursor = (
            _encode("d", last.due_at, last.pk)
            if f.sort == "due" and last.due_at
            else _encode("r", last.received_at, last.pk)
        )
    return MessagePage(items=items, next_cursor=cursor, has_more=has_more)


def message_get(*, for_user: Any, pk: int) -> Message:
    """One message of the user's agency with what its page shows; ``Message.DoesNotExist``
    otherwise (views turn it into a 404)."""
    return (
        _scope(for_user)
        .select_related("channel", "channel__agency", "connector", "assignee", "team", "reply_draft", "duplicate_of")
        .get(pk=pk)
    )


def message_thread(*, message: Message, limit: int = 100) -> list[Message]:
    """The messages of the same thread in the channel (this one included), oldest first."""
    if not message.thread_key:
        return [message]
    return list(
        Message.objects.filter(channel_id=message.channel_id, thread_key=message.thread_key)
        .select_related("assignee")
        .order_by("received_at", "id")[:limit]
    )


def message_duplicates(*, message: Message, limit: int = 20) -> list[Message]:
    """The group of messages with the same words (the first one and those pointing at it), oldest first."""
    root = message.duplicate_of_id or message.pk
    return list(
        Message.objects.filter(channel_id=message.channel_id)
        .filter(Q(pk=root) | Q(duplicate_of_id=root))
        .order_by("received_at", "id")[:limit]
    )


def _capped(qs: QuerySet[Message]) -> int:
    return qs.order_by()[:COUNT_CAP].count()


def inbox_counts(*, for_user: Any, only: Collection[str] | None = None) -> dict[str, int]:
    """Messages per tab, each capped at :data:`COUNT_CAP`: ``open``, ``moderation``, ``replying``,
    ``answered``, ``hidden``, ``overdue`` (waiting past due), ``mine`` (waiting, assigned to the
    user) and ``unassigned`` (needing a response, nobody assigned). ``only``: just these keys (each
    count is a query; a page asks for the ones it shows)."""
    if not is_member(for_user):
        return {}
    base = _scope(for_user)
    now = timezone.now()
    counters: dict[str, Callable[[], int]] = {
        "open": lambda: _capped(base.filter(status=Status.OPEN)),
        "moderation": lambda: _capped(base.filter(status=Status.MODERATION)),
        "replying": lambda: _capped(base.filter(status=Status.REPLYING)),
        "answered": lambda: _capped(base.filter(status=Status.ANSWERED)),
        "hidden": lambda: _capped(base.filter(hidden=True)),
        "overdue": lambda: min(COUNT_CAP, sum(_capped(base.filter(status=s, due_at__lt=now)) for s in WAITING)),
        "mine": lambda: min(COUNT_CAP, sum(_capped(base.filter(assignee_id=for_user.pk, status=s)) for s in WAITING)),
        "unassigned": lambda: _capped(base.filter(status=Status.OPEN, assignee__isnull=True)),
    }
    return {key: count() for key, count in counters.items() if only is None or key in only}


def template_list(*, for_user: Any, approved_only: bool = False) -> QuerySet[ResponseTemplate]:
    """The agency's response templates by title; ``approved_only``: approved and active ones."""
    if not is_member(for_user):
        return ResponseTemplate.objects.none()
    qs = ResponseTemplate.objects.filter(agency_id=for_user.agency_id).select_related("approved_by", "updated_by")
    if approved_only:
        qs = qs.filter(approved=True, active=True)
    return qs.order_by("title", "pk")


def connector_list(*, for_user: Any, channel: Any = None) -> QuerySet[Connector]:
    """The agency's connectors (of one channel when given), by channel and name."""
    if not is_member(for_user):
        return Connector.objects.none()
    qs = Connector.objects.filter(agency_id=for_user.agency_id).select_related("channel")
    if channel is not None:
        qs = qs.filter(channel_id=getattr(channel, "pk", channel))
    return qs.order_by("channel__name", "name", "pk")
