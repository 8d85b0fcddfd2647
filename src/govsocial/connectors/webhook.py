"""The signed webhook: anything else that can POST JSON delivers messages with an HMAC signature.

```
sender:   body = JSON ─► header X-Govsocial-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
                          of f"{t}.".encode() + body, keyed with the connector's secret
receiver: verify(secret, body, header) ─► SignatureError (missing, malformed, too old, bad signature)
          parse(body) ─► list[Incoming] ─► PayloadError (not JSON, wrong shape, a bad message)
```

The timestamp is signed with the body, so a captured request cannot be replayed after the
tolerance (five minutes by default). Several ``v1=`` values may be sent while a secret is being
rotated; one matching is enough. The body is one message object, an array of them, or
``{"messages": [...]}``; a message has the fields of an import line (``id`` and ``text`` at least;
see :mod:`govsocial.connectors.files`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from govsocial.connectors._records import RecordError, incoming_from_record
from govsocial.connectors.base import Incoming

__all__ = ["HEADER", "MAX_MESSAGES", "PayloadError", "SignatureError", "parse", "sign", "verify"]

HEADER = "X-Govsocial-Signature"
MAX_MESSAGES = 1000


class SignatureError(ValueError):
    """The request is not signed with the connector's secret; the text says why."""


class PayloadError(ValueError):
    """The body is not messages; the text says why."""


def _digest(secret: str, body: bytes, timestamp: int) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int) -> str:
    """The ``X-Govsocial-Signature`` header value for ``body`` sent at ``timestamp``."""
    if not secret:
        raise ValueError("a webhook secret is needed to sign")
    return f"t={timestamp},v1={_digest(secret, body, timestamp)}"


def verify(secret: str, body: bytes, header: str | None, *, now: int | None = None, tolerance: int = 300) -> None:
    """Return if ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds; else SignatureError."""
    if not secret:
        raise SignatureError("the connector has no webhook secret")
    if not header or not header.strip():
        raise SignatureError(f"missing {HEADER} header")
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            raise SignatureError(f"malformed {HEADER} header: expected t=<seconds>,v1=<hex>")
        if key == "t":
            if not (value.isascii() and value.isdigit()):
                raise SignatureError(f"malformed {HEADER} header: t is not a number of seconds")
            timestamp = int(value)
        elif key == "v1":
            signatures.append(value.lower())
    if timestamp is None or not signatures:
        raise SignatureError(f"malformed {HEADER} header: expected t=<seconds>,v1=<hex>")
    expected = _digest(secret, body, timestamp)
    # compare_digest on every candidate: the time taken must not reveal how much of one matched.
    matched = [hmac.compare_digest(expected, candidate) for candidate in signatures]
    if not any(matched):
        raise SignatureError("bad signature: the body was not signed with this connector's secret")
    age = (int(time.time()) if now is None else now) - timestamp
    if age > tolerance:
        raise SignatureError(f"timestamp too old: signed {age} s ago, more than {tolerance} s")
    if age < -tolerance:
        raise SignatureError(f"timestamp is {-age} s in the future; check the sender's clock")


def parse(body: bytes) -> list[Incoming]:
    """The messages a verified body carries, in order."""
    try:
        data: Any = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise PayloadError("body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise PayloadError(f"body is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if isinstance(data, dict) and "messages" in data:
        data = data["messages"]
        if not isinstance(data, list):
            raise PayloadError('"messages" must be an array of message objects')
    elif isinstance(data, dict):
        data = [data]
    elif not isinstance(data, list):
        raise PayloadError('expected a message object, an array of them, or {"messages": [...]}')
    if len(data) > MAX_MESSAGES:
        raise PayloadError(f"too many messages ({len(data)}); send at most {MAX_MESSAGES} a request")
    messages: list[Incoming] = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise PayloadError(f"message {number}: expected a JSON object")
        try:
            messages.append(incoming_from_record(item))
        except RecordError as exc:
            raise PayloadError(f"message {number}: {exc}") from None
    return messages
