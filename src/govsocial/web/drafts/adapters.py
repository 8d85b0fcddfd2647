"""Publishing adapters: the one place where the network may live.

```
draft_publish() ──► adapters.adapter_for(channel) ──► PublishAdapter.publish(channel, text, media)
                        │                                   └─► PublishReceipt(url, platform_id)
                        └─ no adapter registered for the platform: ManualAdapter
                           (someone posts by hand and records the live URL)
```

An adapter is anything with a ``name``, a ``manual`` flag and a ``publish`` method (a typed
:class:`PublishAdapter` protocol). Network adapters (Mastodon, Bluesky) register themselves by
platform with :func:`register_adapter`; none ship yet, so every platform is published by hand.
Adapters raise :class:`PublishFailed` with a message fit to show the user.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "MANUAL",
    "ManualAdapter",
    "ManualPublishingRequired",
    "PublishAdapter",
    "PublishFailed",
    "PublishReceipt",
    "adapter_for",
    "override_adapter",
    "register_adapter",
    "registered_platforms",
    "unregister_adapter",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishReceipt:
    """What a platform said when it took the post: where it lives and its id there."""

    url: str
    platform_id: str = ""


class PublishFailed(Exception):
    """The platform refused or could not be reached; the message is shown to the user."""


class ManualPublishingRequired(PublishFailed):
    """No adapter publishes to this platform: post it by hand and record the live URL."""


@runtime_checkable
class PublishAdapter(Protocol):
    """Publishes a post's text and media to one platform for a channel."""

    name: str
    manual: bool

    def publish(self, channel: Any, text: str, media: Sequence[Mapping[str, Any]]) -> PublishReceipt:
        """Post it and return the receipt; raise :class:`PublishFailed` when it did not go out."""
        ...


class ManualAdapter:
    """ "Publish by hand": a person posts it on the platform and records the live URL."""

    name = "manual"
    manual = True

    def publish(self, channel: Any, text: str, media: Sequence[Mapping[str, Any]]) -> PublishReceipt:
        raise ManualPublishingRequired(
            "This channel is published by hand: post it on the platform, then record the live URL."
        )


MANUAL = ManualAdapter()

_REGISTRY: dict[str, PublishAdapter] = {}


def register_adapter(platform: str, adapter: PublishAdapter) -> None:
    """Use ``adapter`` for every channel on ``platform`` (a :class:`~govsocial.web.channels.models.Platform` value)."""
    if not isinstance(adapter, PublishAdapter):
        raise TypeError(f"{adapter!r} is not a PublishAdapter")
    _REGISTRY[str(platform)] = adapter


def unregister_adapter(platform: str) -> None:
    _REGISTRY.pop(str(platform), None)


def registered_platforms() -> list[str]:
    return sorted(_REGISTRY)


def adapter_for(channel: Any) -> PublishAdapter:
    """The adapter that publishes to ``channel``: the one registered for its platform, else :data:`MANUAL`."""
    return _REGISTRY.get(str(getattr(channel, "platform", "")), MANUAL)


@contextmanager
def override_adapter(platform: str, adapter: PublishAdapter) -> Iterator[PublishAdapter]:
    """Register ``adapter`` for ``platform`` for the duration of a ``with`` block (tests, dry runs)."""
    before = _REGISTRY.get(str(platform))
    register_adapter(platform, adapter)
    try:
        yield adapter
    finally:
        if before is None:
            unregister_adapter(platform)
        else:
            _REGISTRY[str(platform)] = before
