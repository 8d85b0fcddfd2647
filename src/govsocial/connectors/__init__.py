"""Inbound connectors: feeds, Mastodon, Bluesky, file imports and a signed webhook.

See :mod:`govsocial.connectors.base` for the interface. Connector modules import their platform
library only when built, so ``import govsocial.connectors`` stays cheap.
"""

from __future__ import annotations

import importlib

from govsocial.connectors.base import (
    AuthFailed,
    Connector,
    ConnectorError,
    Incoming,
    NotSupported,
    Page,
    RateLimited,
    SentReply,
    build,
    kinds,
    register,
)

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

_BUILTIN = ("govsocial.connectors.rss", "govsocial.connectors.mastodon", "govsocial.connectors.bluesky")


def _load_builtin() -> None:
    """Import the built-in connector modules; each registers its kind."""
    for name in _BUILTIN:
        importlib.import_module(name)
