"""The one writer of audit events, and the chain verifier."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from govsocial.web.audit.models import AuditEvent, ChainHead

GENESIS = "0" * 64


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(_jsonable(fields), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _event_fields(e: AuditEvent) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "created_at": e.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": e.actor_id,
        "actor_label": e.actor_label,
        "agency_id": e.agency_id,
        "action": e.action,
        "subject_type": e.subject_type,
        "subject_id": e.subject_id,
        "old": e.old,
        "new": e.new,
        "reason": e.reason,
    }


def compute_hash(prev_hash: str, e: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(_event_fields(e))).hexdigest()


def audit_record(
    *,
    actor: Any | None,
    action: str,
    subject_type: str,
    subject_id: Any,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str = "",
    agency: Any | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction, so the event and the change it
    records commit or roll back together. ``agency`` defaults to the actor's agency; pass it for
    events without a person behind them (scheduled publishing)."""
    head = _lock_head("audit_record")
    event = _chained(
        head,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        old=old,
        new=new,
        reason=reason,
        agency=agency,
        at=timezone.now(),
    )
    event.save(_append=True)
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


def audit_record_many(events: Sequence[Mapping[str, Any]]) -> list[AuditEvent]:
    """Append several events in order, each exactly as :func:`audit_record` would with the same
    keyword arguments, under one lock of the chain head and with one insert (for batch work such
    as an inbox ingest that hides many messages at once). Same transaction rule as audit_record."""
    if not events:
        return []
    head = _lock_head("audit_record_many")
    at = timezone.now()
    out = []
    for fields in events:
        event = _chained(head, at=at, **fields)
        out.append(event)
        head.seq, head.hash = event.seq, event.hash
    AuditEvent.objects.bulk_create(out)
    head.save(update_fields=["seq", "hash"])
    return out


def _lock_head(caller: str) -> ChainHead:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{caller} must be called inside transaction.atomic()")
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    if connection.vendor == "sqlite":
        # SQLite has no row locks; the write lock taken by this UPDATE serialises appenders.
        ChainHead.objects.filter(id=1).update(seq=head.seq)
    return head


def _chained(
    head: ChainHead,
    *,
    actor: Any | None,
    action: str,
    subject_type: str,
    subject_id: Any,
    at: dt.datetime,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str = "",
    agency: Any | None = None,
) -> AuditEvent:
    """The next event after ``head``, with its hash (not saved)."""
    event = AuditEvent(
        seq=head.seq + 1,
        created_at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "label", "") or ("system" if actor is None else str(actor)),
        agency_id=getattr(agency, "pk", agency) if agency is not None else getattr(actor, "agency_id", None),
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        old=_jsonable(old) if old is not None else None,
        new=_jsonable(new) if new is not None else None,
        reason=reason,
        prev_hash=head.hash,
    )
    event.hash = compute_hash(head.hash, event)
    return event


@dataclass(frozen=True)
class Break:
    """The first broken link of the chain: where, and what is wrong."""

    seq: int
    problem: str

    def __str__(self) -> str:
        return f"event {self.seq}: {self.problem}"


def verify_chain(events: Iterable[AuditEvent] | None = None) -> tuple[int, Break | None]:
    """Re-walk the chain in sequence order. Returns (events checked, first break or None).

    Detects a modified event (its hash no longer matches its content), a deleted event (a gap in
    the sequence or a prev_hash that does not match), a reordered chain (prev_hash mismatch), and a
    truncated tail (the chain head is ahead of the last event).
    """
    rows: Iterator[AuditEvent] = (
        iter(events) if events is not None else AuditEvent.objects.order_by("seq").iterator(chunk_size=5000)
    )
    prev_hash = GENESIS
    expected_seq = 1
    count = 0
    for e in rows:
        count += 1
        if e.seq != expected_seq:
            return count, Break(expected_seq, f"missing (next event found is {e.seq}): an event was deleted")
        if e.prev_hash != prev_hash:
            return count, Break(e.seq, "does not link to the event before it: events were removed or reordered")
        if compute_hash(prev_hash, e) != e.hash:
            return count, Break(e.seq, "its content does not match its hash: the event was modified")
        prev_hash = e.hash
        expected_seq += 1
    head = ChainHead.objects.filter(id=1).first() if events is None else None
    if head is not None and head.seq != expected_seq - 1:
        return count, Break(
            expected_seq, f"missing: the chain head records {head.seq} events but {expected_seq - 1} remain"
        )
    if head is not None and head.seq and head.hash != prev_hash:
        return count, Break(head.seq, "the last event does not match the chain head: the tail was changed")
    return count, None
