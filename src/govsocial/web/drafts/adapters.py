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

Other apps may take part in publishing particular drafts without the drafts app knowing them: a
:class:`PublishHandler` registered with :func:`register_publish_handler` may supply the adapter
for a draft (:func:`adapter_for_draft`; the inbox sends a reply through the connector of the
message it answers) and hears about every publication inside its transaction
(:func:`notify_published`; the inbox marks the message answered).
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
    "PublishHandler",
    "PublishReceipt",
    "adapter_for",
    "adapter_for_draft",
    "notify_published",
    "notify_withdrawn",
    "override_adapter",
    "register_adapter",
    "register_publish_handler",
    "registered_platforms",
    "unregister_adapter",
    "unregister_publish_handler",
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


# --------------------------------------------------------------------------- publish handlers


@runtime_checkable
class PublishHandler(Protocol):
    """Another app's part in publishing a draft (registered by that app when Django starts)."""

    def adapter_for(self, draft: Any) -> PublishAdapter | None:
        """The adapter that must publish ``draft``, or ``None`` to leave it to the channel's."""
        ...

    def published(self, draft: Any) -> None:
        """``draft`` has just been published; runs inside the publishing transaction."""
        ...

    def withdrawn(self, draft: Any) -> None:
        """``draft`` has just been withdrawn; runs inside the withdrawing transaction."""
        ...


_HANDLERS: dict[str, PublishHandler] = {}


def register_publish_handler(name: str, handler: PublishHandler) -> None:
    """Consult ``handler`` for every draft published from now on (registering a name again replaces it)."""
    if not isinstance(handler, PublishHandler):
        raise TypeError(f"{handler!r} is not a PublishHandler")
    _HANDLERS[name] = handler


def unregister_publish_handler(name: str) -> None:
    _HANDLERS.pop(name, None)


def adapter_for_draft(draft: Any) -> PublishAdapter:
    """The adapter a registered handler supplies for ``draft``, else :func:`adapter_for` its channel."""
    for handler in _HANDLERS.values():
        adapter = handler.adapter_for(draft)
        if adapter is not None:
            return adapter
    return adapter_for(draft.channel)


def notify_published(draft: Any) -> None:
    """Tell every registered handler that ``draft`` was published."""
    for handler in _HANDLERS.values():
        handler.published(draft)


def notify_withdrawn(draft: Any) -> None:
    """Tell every registered handler that ``draft`` was withdrawn."""
    for handler in _HANDLERS.values():
        handler.withdrawn(draft)
