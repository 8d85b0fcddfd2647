"""Labelled JSON Lines data for training and evaluation, and the deterministic split.

Shapes (see the data README)::

    {"id": "...", "text": "...", "label": "abusive", "source": "olid"}
    {"id": "...", "text": "...", "spans": [{"start": 4, "end": 15, "type": "PERSON"}], "source": "btc"}

The split is by a hash of ``id``: the same row is always in the same part, whatever the file
order, so training never sees the rows that evaluation reports on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govsocial.errors import UsageError

__all__ = ["TEST_SHARE", "Item", "is_test", "read_jsonl", "source_of"]

#: Share of rows held out for evaluation (by hash of id).
TEST_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    text: str
    source: str
    label: str | None = None
    spans: tuple[tuple[int, int, str], ...] | None = None
    extra: dict[str, Any] | None = None


def is_test(item_id: str, share: float = TEST_SHARE) -> bool:
    """Whether a row belongs to the held-out part (stable across runs and machines)."""
    digest = hashlib.sha256(item_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def source_of(item: Item) -> str:
    """The dataset a row comes from, without the sub-part (``humaid:event`` → ``humaid``)."""
    return item.source.split(":", 1)[0]


def read_jsonl(path: str | Path, *, need: str | None = None) -> Iterator[Item]:
    """Rows of a JSONL file; ``need`` is ``"label"`` or ``"spans"``. Bad lines raise UsageError."""
    p = Path(path)
    try:
        handle = p.open("rb")
    except FileNotFoundError:
        raise UsageError(f"{p}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{p}: cannot read ({exc.strerror})") from None
    with handle:
        seen: set[str] = set()
        for n, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                doc = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                raise UsageError(f"{p}:{n}: not UTF-8 text") from None
            except json.JSONDecodeError as exc:
                raise UsageError(f"{p}:{n}: malformed JSON ({exc.msg})") from None
            if not isinstance(doc, dict):
                raise UsageError(f"{p}:{n}: each line must be a JSON object")
            item_id, text = doc.get("id"), doc.get("text")
            if not isinstance(item_id, str) or not item_id:
                raise UsageError(f"{p}:{n}: missing or empty id")
            if not isinstance(text, str):
                raise UsageError(f"{p}:{n}: missing text")
            if item_id in seen:
                raise UsageError(f"{p}:{n}: id {item_id!r} appears twice")
            seen.add(item_id)
            label = doc.get("label")
            spans_doc = doc.get("spans")
            if need == "label" and not isinstance(label, str):
                raise UsageError(f"{p}:{n}: missing label")
            spans = None
            if spans_doc is not None or need == "spans":
                if not isinstance(spans_doc, list):
                    raise UsageError(f"{p}:{n}: spans must be a list")
                try:
                    spans = tuple((int(s["start"]), int(s["end"]), str(s["type"])) for s in spans_doc)
                except (KeyError, TypeError, ValueError):
                    raise UsageError(f"{p}:{n}: each span needs start, end and type") from None
            extra = {k: v for k, v in doc.items() if k not in {"id", "text", "label", "spans", "source"}}
            yield Item(
                id=item_id,
                text=text,
                source=str(doc.get("source", "unknown")),
                label=label if isinstance(label, str) else None,
                spans=spans,
                extra=extra or None,
            )
