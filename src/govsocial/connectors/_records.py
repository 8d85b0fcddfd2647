"""One flat record (an import row, a JSON object, a webhook message) made into an :class:`Incoming`.

Imports and the webhook share the field set: ``id`` and ``text`` are required; ``author``,
``author_name``, ``created_at``, ``in_reply_to``, ``url``, ``thread_id`` and ``kind`` are
optional. ``created_at`` is ISO 8601 (a naive time is taken as UTC) or Unix seconds. Problems
raise :class:`RecordError` with a short reason; the caller adds where the record came from.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from govsocial.connectors.base import KINDS, Incoming

__all__ = ["DEFAULT_KIND", "FIELDS", "RecordError", "incoming_from_record", "parse_time"]

FIELDS = ("id", "text", "author", "author_name", "created_at", "in_reply_to", "url", "thread_id", "kind")
REQUIRED = ("id", "text")
# Imports and webhooks carry messages of no particular platform shape.
DEFAULT_KIND = "message"


class RecordError(ValueError):
    """A record that cannot become a message; the text is the reason, without the location."""


def parse_time(value: Any) -> dt.datetime | None:
    """An aware datetime from ISO 8601 text or Unix seconds; ``None`` for blank; RecordError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RecordError(f"created_at {value!r} is not a date")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise RecordError(f"created_at {value!r} is not a date")
        try:
            return dt.datetime.fromtimestamp(value, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            raise RecordError(f"created_at {value!r} is out of range") from None
    if not isinstance(value, str):
        raise RecordError(f"created_at {value!r} is not a date")
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise RecordError(f"created_at {value!r} is not an ISO 8601 date (like 2025-03-01T09:30:00Z)") from None
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed


def _text_field(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RecordError(f"{key} must be text, not {type(value).__name__}")
    return str(value).strip()


def incoming_from_record(record: Mapping[str, Any], *, default_kind: str = DEFAULT_KIND) -> Incoming:
    """The message a record describes (keys are our field names, already mapped)."""
    platform_id = _text_field(record, "id")
    if not platform_id:
        raise RecordError("no id")
    text_value = record.get("text")
    if text_value is not None and not isinstance(text_value, str):
        raise RecordError(f"text must be text, not {type(text_value).__name__}")
    text = (text_value or "").strip()
    if not text:
        raise RecordError("no text")
    kind = _text_field(record, "kind") or default_kind
    if kind not in KINDS:
        raise RecordError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    return Incoming(
        platform_id=platform_id,
        text=text,
        author=_text_field(record, "author"),
        author_name=_text_field(record, "author_name"),
        created_at=parse_time(record.get("created_at")),
        in_reply_to=_text_field(record, "in_reply_to"),
        thread_id=_text_field(record, "thread_id"),
        url=_text_field(record, "url"),
        kind=kind,
    )
