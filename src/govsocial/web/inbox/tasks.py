"""Background work for the inbox: polling connectors and ingesting batches of messages.

```
beat, every 60 s ─► poll_due_connectors ─► claim each due connector ─► poll_connector(id) ─► connector_poll
webhook, bulk senders, benchmarks ─────────────────────────────────► ingest_items(channel, connector, dicts)
```

Celery tasks on Redis when ``REDIS_URL`` is set; without it Celery runs them eagerly in the calling
process (the same code path). Without Celery beat, ``govsocial inbox poll`` from cron does what
``poll_due_connectors`` does.

Crash safety: the tasks acknowledge late (``acks_late``) and are re-queued when their worker dies
(``reject_on_worker_lost``); a task that was cut off is delivered again, and ingest is idempotent
(unique platform id per channel, the cursor committed with the messages), so every message ends up
stored exactly once. Redis hands an unacknowledged task to another worker after the broker's
visibility timeout (see :mod:`govsocial.web.celery`).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from celery import shared_task
from django.utils import timezone

from govsocial.connectors import Incoming
from govsocial.web.celery import app as celery_app  # the configured app: eager without Redis
from govsocial.web.channels.models import Channel
from govsocial.web.inbox.models import Connector
from govsocial.web.inbox.services import (
    PollOutcome,
    claim_connector,
    connector_poll,
    due_connectors,
    ingest,
)

__all__ = [
    "celery_app",
    "incoming_from_dict",
    "incoming_to_dict",
    "ingest_items",
    "poll_command",
    "poll_connector",
    "poll_due",
    "poll_due_connectors",
]

_FIELDS = ("platform_id", "text", "author", "author_name", "in_reply_to", "thread_id", "url", "kind")


def incoming_to_dict(item: Incoming) -> dict[str, Any]:
    """A message as JSON for a task argument (``created_at`` as ISO 8601)."""
    doc: dict[str, Any] = {k: getattr(item, k) for k in _FIELDS if getattr(item, k)}
    if item.created_at is not None:
        doc["created_at"] = item.created_at.isoformat()
    return doc


def incoming_from_dict(doc: Mapping[str, Any]) -> Incoming:
    """The inverse of :func:`incoming_to_dict`; ``id`` is accepted for ``platform_id``."""
    created = doc.get("created_at")
    when: dt.datetime | None = None
    if isinstance(created, str) and created:
        when = dt.datetime.fromisoformat(created)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
    elif isinstance(created, dt.datetime):
        when = created
    values = {k: str(doc.get(k) or "") for k in _FIELDS if k != "platform_id"}
    values["kind"] = values["kind"] or "mention"
    return Incoming(platform_id=str(doc.get("platform_id") or doc.get("id") or ""), created_at=when, **values)


@shared_task(
    name="govsocial.web.inbox.tasks.ingest_items",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def ingest_items(channel_id: int, connector_id: int | None, items: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Triage and store one batch for a channel (one transaction). Re-running it stores nothing new."""
    channel = Channel.objects.select_related("agency").get(pk=channel_id)
    connector = Connector.objects.filter(pk=connector_id).first() if connector_id else None
    result = ingest(channel=channel, items=[incoming_from_dict(d) for d in items], connector=connector)
    return {"created": result.created, "duplicates": result.duplicates, "hidden": result.hidden}


@shared_task(
    name="govsocial.web.inbox.tasks.poll_connector",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def poll_connector(connector_id: int) -> dict[str, Any]:
    """Poll one connector now (its health and next poll time are recorded; platform errors never raise)."""
    connector = Connector.objects.filter(pk=connector_id).first()
    if connector is None:
        return {"ok": False, "error": "no such connector"}
    outcome = connector_poll(connector=connector)
    return {"ok": outcome.ok, "created": outcome.created, "error": outcome.error}


def poll_due(*, now: dt.datetime | None = None, names: Sequence[str] = ()) -> list[tuple[Connector, PollOutcome]]:
    """Poll every due connector in this process (``names``: only those, due or not). For cron."""
    now = now or timezone.now()
    if names:
        chosen = list(Connector.objects.filter(name__in=names).select_related("channel").order_by("pk"))
    else:
        chosen = [
            c
            for pk in due_connectors(now=now)
            if claim_connector(pk, now=now)
            for c in Connector.objects.filter(pk=pk).select_related("channel")
        ]
    return [(c, connector_poll(connector=c)) for c in chosen]


@shared_task(name="govsocial.web.inbox.tasks.poll_due_connectors", ignore_result=True)
def poll_due_connectors() -> dict[str, int]:
    """Celery beat entry (every minute): one ``poll_connector`` task per due connector, each
    claimed first so that overlapping runs never poll a connector twice at once."""
    queued = 0
    for pk in due_connectors():
        if claim_connector(pk):
            poll_connector.delay(pk)
            queued += 1
    return {"queued": queued}


def poll_command(*, names: Sequence[str] = (), out: TextIO | None = None) -> int:
    """``govsocial inbox poll [--connector NAME]``: one line per connector; exit 1 when one failed."""
    out = out or sys.stdout
    if names:
        known = set(Connector.objects.filter(name__in=names).values_list("name", flat=True))
        missing = [n for n in names if n not in known]
        if missing:
            from govsocial.errors import UsageError

            raise UsageError(f"no connector called {missing[0]!r} (see the channel pages)")
    failed = 0
    results = poll_due(names=names)
    for connector, outcome in results:
        if outcome.ok:
            out.write(f"{connector.name}: {outcome.created} new, {outcome.duplicates} already there\n")
        else:
            failed += 1
            out.write(f"{connector.name}: failed: {outcome.error}\n")
    if not results:
        out.write("inbox poll: no connector is due\n")
    return 1 if failed else 0
