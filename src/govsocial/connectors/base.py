"""The one interface every inbound connector implements; the network lives only behind it.

```
poll_connector() ──► connectors.build(kind, config, secret) ──► Connector.poll(cursor)
   (web layer:           │                                          └─► Page(messages, cursor, more)
    cursor, backoff,     ├─ RssConnector       feeds and comment feeds (feedparser)
    dedupe, health)      ├─ MastodonConnector  mentions and replies (Mastodon.py)
                         ├─ BlueskyConnector   mentions, replies, quotes (atproto)
                         └─ (imports and the signed webhook produce Incoming too, without polling)

ConnectorError ── RateLimited (retry_after seconds)
              ├── AuthFailed
              └── NotSupported (reply / hide / report where the platform has no such call)
```

A connector is pure with respect to the workspace: it never touches the database. It takes an opaque
cursor string and returns the messages after it and the next cursor; the caller stores the
messages and the new cursor in one transaction, so a crash between the two re-fetches a page that
de-duplication (by ``platform_id``) then ignores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "AuthFailed",
    "Connector",
    "ConnectorError",
    "Incoming",
    "NotSupported",
    "Page",
    "RateLimited",
    "SentReply",
    "build",
    "kinds",
    "register",
]

KINDS = ("mention", "reply", "quote", "comment", "item", "message")


@dataclass(frozen=True, slots=True, kw_only=True)
class Incoming:
    """One message from the public, as a connector or an import saw it.

    ``platform_id`` is unique within the platform (a status id, an at:// URI, a feed entry id);
    ``in_reply_to`` and ``thread_id`` are platform ids too (blank when unknown). ``created_at`` is
    timezone-aware or ``None``.
    """

    platform_id: str
    text: str
    author: str = ""
    author_name: str = ""
    created_at: dt.datetime | None = None
    in_reply_to: str = ""
    thread_id: str = ""
    url: str = ""
    kind: str = "mention"
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.platform_id:
            raise ValueError("a message needs a platform id")
        if self.kind not in KINDS:
            raise ValueError(f"unknown message kind {self.kind!r} (one of {', '.join(KINDS)})")


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    """What one poll returned: messages oldest first, the cursor to poll from next, and whether
    another page is waiting now."""

    messages: tuple[Incoming, ...]
    cursor: str
    more: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SentReply:
    """What the platform said when it took a reply."""

    platform_id: str
    url: str = ""


class ConnectorError(Exception):
    """The platform refused or could not be reached; the message is fit to show on the channel page."""


class RateLimited(ConnectorError):
    """The platform asked us to wait ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AuthFailed(ConnectorError):
    """The credentials were refused: polling stops until someone fixes them."""


class NotSupported(ConnectorError):
    """The platform (or this kind of connector) has no such call."""


@runtime_checkable
class Connector(Protocol):
    """Reads public messages addressed to an agency on one platform, and answers or moderates them."""

    kind: str

    def poll(self, cursor: str) -> Page:
        """Messages after ``cursor`` ("" for the first poll), oldest first, and the next cursor."""
        ...

    def reply(self, *, in_reply_to: str, text: str) -> SentReply:
        """Post ``text`` as a public reply to the message ``in_reply_to``."""
        ...

    def hide(self, platform_id: str) -> None:
        """Hide the message from public view, where the platform allows it."""
        ...

    def report(self, platform_id: str, *, reason: str) -> None:
        """Report the message to the platform's own moderators."""
        ...


Factory = Callable[[Mapping[str, Any], str], Connector]
_FACTORIES: dict[str, Factory] = {}


def register(kind: str, factory: Factory) -> None:
    """Make ``build(kind, config, secret)`` call ``factory(config, secret)``."""
    _FACTORIES[kind] = factory


def kinds() -> list[str]:
    return sorted(_FACTORIES)


def build(kind: str, config: Mapping[str, Any], secret: str = "") -> Connector:
    """A connector of ``kind`` for ``config`` (non-secret settings) and ``secret`` (token or password)."""
    if kind not in _FACTORIES:
        from govsocial.connectors import _load_builtin

        _load_builtin()
    try:
        factory = _FACTORIES[kind]
    except KeyError:
        raise ConnectorError(f"no connector of kind {kind!r} (known: {', '.join(kinds())})") from None
    return factory(config, secret)
