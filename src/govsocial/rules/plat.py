"""PLAT: platform limits.

```
PLAT101 too-long · PLAT102 too-many-hashtags · PLAT103 too-many-media · PLAT104 alt-text-too-long
```

These rules run only when ``post.platform`` is set. The limits and the way each platform
counts (X's weighted length, Bluesky graphemes, Mastodon's 23-character links) live in
:mod:`govsocial.platforms`; a pack may override a figure with the ``platform_limits`` option,
for example ``{x: {max_length: 25000}}`` for an X Premium account.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from govsocial.model import Context, Post, Severity
from govsocial.platforms import Limits, alt_length, limits_for, media_problem, post_length
from govsocial.rules.base import CheckEnv, Hit, Rule
from govsocial.text import HASHTAG_RE

__all__ = ["AltTextTooLong", "TooLong", "TooManyHashtags", "TooManyMedia"]

_SEVERITY = MappingProxyType({Context.OFFICIAL: Severity.HIGH, Context.PERSONAL: Severity.HIGH})


class _PlatformRule(Rule):
    options: ClassVar[Mapping[str, Any]] = {"platform_limits": {}}

    def setup(self) -> None:
        overrides = self.config.get("platform_limits") or {}
        self.overrides: Mapping[str, Any] = overrides if isinstance(overrides, Mapping) else {}

    def limits(self, post: Post) -> Limits | None:
        if post.platform is None:
            return None
        return limits_for(post.platform, self.overrides)


class TooLong(_PlatformRule):
    """Post longer than the platform allows.

    ## What it does
    When the post names its ``platform``, counts the text the way that platform does and flags
    it when it is over the limit: X 280 weighted characters (every link 23, CJK and emoji 2),
    Bluesky 300, Mastodon 500 (links 23), Threads 500, LinkedIn 3,000, Instagram 2,200,
    Facebook 63,206.

    ## Why is this bad?
    The platform refuses the post or cuts it off, often after approval, and the edited version
    has not been checked. Splitting the message or linking to the full text keeps it whole.

    ## Example
        Applications for the community resilience grant are now open. The grant supports local
        groups that help people prepare for emergencies and recover from them, from floods and
        storms to long power cuts. Groups can apply for up to $20,000 for equipment, training
        and volunteer costs. Applications close at 5pm on 31 March. Read the guidelines and
        apply online today.
    Use instead:
        Applications for the community resilience grant are now open: up to $20,000 for local
        groups that help people prepare for emergencies. Apply by 31 March:
        https://www.dia.govt.nz/community-resilience-grant

    ## Options
    - ``platform_limits``: overrides per platform, for example ``{x: {max_length: 25000}}``.

    ## References
    developer.x.com "Counting characters"; Bluesky post lexicon (300 graphemes);
    docs.joinmastodon.org "Posting".
    """

    code = "PLAT101"
    name = "too-long"
    default_severity = _SEVERITY
    fix = "Shorten the post, split it into a thread, or link to the full text."
    example_post: ClassVar[Mapping[str, Any]] = {"platform": "x"}

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        limits = self.limits(post)
        if limits is None:
            return
        length = post_length(post.text, post.platform)  # type: ignore[arg-type]
        if length > limits.max_length:
            yield Hit(
                message=f"{length:,} of {limits.max_length:,} {limits.unit} on {limits.label}.",
                start=0,
                end=len(post.text),
                evidence={"length": length, "limit": limits.max_length, "platform": limits.label},
            )


class TooManyHashtags(_PlatformRule):
    """More hashtags than the platform allows or advises.

    ## What it does
    Counts the hashtags of a post that names its ``platform``. Over a hard limit (Instagram
    rejects more than 30) it is a finding at the pack's severity. Over a platform's own advice
    (X advises no more than 2; Threads turns only the first into a topic tag) it is a nudge,
    two steps lower.

    ## Why is this bad?
    Instagram rejects a caption with more than 30 hashtags; Threads ignores extra tags. Many
    hashtags also make a post hard to read and noisy for screen-reader users, each read as
    "hashtag ...".

    ## Example
        Winter is coming: get your flu jab. #flu #winter #health #vaccine #StaySafe
    Use instead:
        Winter is coming: get your flu jab. #FluJab

    ## Options
    - ``platform_limits``: for example ``{x: {hashtag_advice: 3}}``.
    """

    code = "PLAT102"
    name = "too-many-hashtags"
    default_severity = _SEVERITY
    fix = "Keep the one or two hashtags that matter most."
    example_post: ClassVar[Mapping[str, Any]] = {"platform": "x"}

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        limits = self.limits(post)
        if limits is None or (limits.max_hashtags is None and limits.hashtag_advice is None) or "#" not in post.text:
            return
        tags = list(HASHTAG_RE.finditer(post.text))
        if limits.max_hashtags is not None and len(tags) > limits.max_hashtags:
            extra = tags[limits.max_hashtags]
            yield Hit(
                message=f"{len(tags)} hashtags: {limits.label} allows {limits.max_hashtags}.",
                start=extra.start(),
                end=tags[-1].end(),
                evidence={"count": len(tags), "limit": limits.max_hashtags},
            )
        elif limits.hashtag_advice is not None and len(tags) > limits.hashtag_advice:
            yield Hit(
                message=f"{len(tags)} hashtags: {limits.label} advises no more than {limits.hashtag_advice}.",
                start=tags[limits.hashtag_advice].start(),
                end=tags[-1].end(),
                shift=-2,
                evidence={"count": len(tags), "advice": limits.hashtag_advice},
            )


class TooManyMedia(_PlatformRule):
    """More attachments than the platform takes in one post.

    ## What it does
    For a post that names its ``platform``, flags more attachments than it allows (X, Bluesky
    and Mastodon 4; Instagram, Threads and LinkedIn 20), more than one video, or images and a
    video together where the platform does not mix them (X, Bluesky, Mastodon, LinkedIn).

    ## Why is this bad?
    The platform refuses the post or drops attachments, so what goes out is not what was
    approved.

    ## Example
        Photos from today's open day.
    Use instead:
        Photos from today's open day.

    ## Options
    - ``platform_limits``: for example ``{facebook: {max_media: 10}}``.
    """

    code = "PLAT103"
    name = "too-many-media"
    default_severity = _SEVERITY
    fix = "Remove attachments, or split them over several posts."
    example_post: ClassVar[Mapping[str, Any]] = {
        "platform": "x",
        "media": [{"kind": "image", "alt": f"Open day photo {i}: visitors at the stands."} for i in range(1, 6)],
    }
    example_fixed_post: ClassVar[Mapping[str, Any]] = {
        "media": [{"kind": "image", "alt": f"Open day photo {i}: visitors at the stands."} for i in range(1, 5)]
    }

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        limits = self.limits(post)
        if limits is None or not post.media:
            return
        problem = media_problem(post.media, limits)
        if problem is not None:
            yield Hit(message=f"{problem[0].upper()}{problem[1:]}.", field="media", evidence={"count": len(post.media)})


class AltTextTooLong(_PlatformRule):
    """Alt text longer than the platform allows.

    ## What it does
    For a post that names its ``platform``, flags an image description over the platform's
    limit: X 1,000 characters, Mastodon 1,500, Bluesky 2,000.

    ## Why is this bad?
    The platform cuts the description off or refuses it; a long description is also tiring to
    listen to. Put the detail in the post or on a web page and keep the alt text to what the
    image shows.

    ## Example
        Our new opening hours.
    Use instead:
        Our new opening hours.

    ## Options
    - ``platform_limits``: for example ``{x: {max_alt: 1000}}``.
    """

    code = "PLAT104"
    name = "alt-text-too-long"
    default_severity = _SEVERITY
    fix = "Shorten the alt text to what the image shows; put the detail in the post or a linked page."
    example_post: ClassVar[Mapping[str, Any]] = {
        "platform": "x",
        "media": [{"kind": "image", "alt": "Opening hours poster. " * 60}],
    }
    example_fixed_post: ClassVar[Mapping[str, Any]] = {
        "media": [{"kind": "image", "alt": "Poster: open 9am to 5pm on weekdays, 10am to 2pm on Saturdays."}]
    }

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        limits = self.limits(post)
        if limits is None or limits.max_alt is None:
            return
        for i, m in enumerate(post.media):
            if not m.alt or len(m.alt) <= limits.max_alt:
                continue
            length = alt_length(m.alt, post.platform)  # type: ignore[arg-type]
            if length > limits.max_alt:
                yield Hit(
                    message=f"Alt text of {length:,} characters: {limits.label} allows {limits.max_alt:,}.",
                    field=f"media[{i}].alt",
                    evidence={"length": length, "limit": limits.max_alt, "media": i},
                )
