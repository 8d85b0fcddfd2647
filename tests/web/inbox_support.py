"""Helpers for the inbox tests: a fake platform adapter, message builders and texts whose triage is clear.

- :class:`FakeClient` implements the :class:`govsocial.connectors.Connector` protocol from a script
  of pages (or errors) and records every reply, hide and report, so a test can count calls.
- :func:`incoming` builds an :class:`~govsocial.connectors.Incoming` with defaults.
- :func:`use_client` makes :func:`govsocial.web.inbox.services.build_client` return a given fake
  for the duration of a test (``monkeypatch``), so replies and hides go to it.
- ``TEXTS``: invented messages the triage decides without doubt (a question, personal information,
  a threat, spam, praise...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest

from govsocial.connectors import ConnectorError, Incoming, NotSupported, Page, SentReply

TEXTS = {
    "question": "When does the pool reopen?",
    "complaint": "I've been on hold with your contact centre for 45 minutes. This is the third time this week. Not good enough.",
    "phone": "My phone is 021 555 0123, can someone call me about my permit application please?",
    "threat": "I will find you and hurt you, you piece of scum.",
    "spam": "Make $5000 a week from home!!! Click here bit.ly/not-a-real-link",
    "praise": "Thanks to the team at the Hamilton office, they sorted my application in ten minutes. Great service!",
    "insult": "You lot are useless idiots, absolute clowns running this place.",
    "campaign": "Keep the Example Street office open! Our community needs local services.",
    "criticism": "Honestly this new policy is a mistake and the ministry should rethink it.",
}


def incoming(pid: str, text: str | None = None, **kw: Any) -> Incoming:
    return Incoming(platform_id=pid, text=text if text is not None else TEXTS["question"], **kw)


@dataclass
class FakeClient:
    """A scripted platform: ``pages`` are returned (or raised) in order by ``poll``."""

    pages: list[Page | Exception] = field(default_factory=list)
    kind: str = "mastodon"
    can_hide: bool = True
    can_reply: bool = True
    fail_reply: str = ""
    polled: list[str] = field(default_factory=list)
    replies: list[tuple[str, str]] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    reported: list[tuple[str, str]] = field(default_factory=list)

    def poll(self, cursor: str) -> Page:
        self.polled.append(cursor)
        if not self.pages:
            return Page(messages=(), cursor=cursor)
        step = self.pages.pop(0)
        if isinstance(step, Exception):
            raise step
        return step

    def reply(self, *, in_reply_to: str, text: str) -> SentReply:
        if not self.can_reply:
            raise NotSupported("This platform takes no replies through its API.")
        if self.fail_reply:
            raise ConnectorError(self.fail_reply)
        self.replies.append((in_reply_to, text))
        n = len(self.replies)
        return SentReply(platform_id=f"reply-{n}", url=f"https://social.example/@agency/reply-{n}")

    def hide(self, platform_id: str) -> None:
        if not self.can_hide:
            raise NotSupported("This platform cannot hide replies.")
        self.hidden.append(platform_id)

    def report(self, platform_id: str, *, reason: str) -> None:
        self.reported.append((platform_id, reason))


def page(items: Iterable[Incoming], cursor: str, *, more: bool = False) -> Page:
    return Page(messages=tuple(items), cursor=cursor, more=more)


def use_client(monkeypatch: pytest.MonkeyPatch, client: FakeClient) -> FakeClient:
    from govsocial.web.inbox import services

    monkeypatch.setattr(services, "build_client", lambda connector: client)
    return client


def at(text: str) -> dt.datetime:
    """An aware time in Pacific/Auckland from ``YYYY-MM-DD HH:MM``."""
    from zoneinfo import ZoneInfo

    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Pacific/Auckland"))
