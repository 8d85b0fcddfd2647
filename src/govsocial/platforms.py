"""What each platform allows: text length (counted the platform's way), hashtags, media, alt text.

```
PLATFORMS[Platform.X] ──► Limits(max_length=280, unit="weighted characters", max_media=4, ...)
post_length(text, platform) ──► X: weighted length (twitter-text v3: links 23, CJK/emoji 2)
                                Bluesky: graphemes, links shortened as the Bluesky app shows them
                                Mastodon: graphemes, links 23, @user@server counts as @user
                                others: graphemes
alt_length(alt, platform)   ──► graphemes
```

The figures are the platforms' published limits for standard accounts as known in 2026; each
carries its source in a comment. Where a platform publishes no limit the value is ``None`` and no
rule checks it. Limits change: packs may override them with the ``platform_limits`` option of
the PLAT rules (see :func:`limits_for`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import regex

from govsocial.model import Media, MediaKind, Platform
from govsocial.text import MENTION_RE, url_spans

__all__ = [
    "PLATFORMS",
    "Limits",
    "alt_length",
    "graphemes",
    "limits_for",
    "link_spans",
    "media_problem",
    "post_length",
    "x_weighted_length",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """One platform's limits. ``None``: the platform publishes no limit (not checked)."""

    label: str
    max_length: int
    #: How ``max_length`` is counted, for messages ("weighted characters", "characters").
    unit: str = "characters"
    #: A hard limit: the platform rejects the post (Instagram).
    max_hashtags: int | None = None
    #: The platform's own advice, not a limit; a finding about it is a nudge.
    hashtag_advice: int | None = None
    max_media: int | None = None
    max_videos: int | None = None
    #: Whether images and a video may go in the same post.
    mixed_media: bool = True
    max_alt: int | None = None


PLATFORMS: Mapping[Platform, Limits] = {
    # X: 280 weighted characters for standard (non-Premium) accounts; every link counts 23
    # (t.co); CJK and emoji count 2. twitter-text config v3 and "Counting characters",
    # developer.x.com/en/docs/counting-characters. Premium accounts may post up to 25,000: set
    # the option platform_limits: {x: {max_length: 25000}} for them.
    # Media: up to 4 images, or 1 video or GIF, not both (help.x.com "How to post images or GIFs").
    # Alt text ("image description"): up to 1,000 characters (help.x.com "How to make images accessible").
    # Hashtags: X advises no more than 2 per post (help.x.com "How to use hashtags").
    Platform.X: Limits(
        label="X",
        max_length=280,
        unit="weighted characters",
        hashtag_advice=2,
        max_media=4,
        max_videos=1,
        mixed_media=False,
        max_alt=1000,
    ),
    # Bluesky: 300 graphemes (app.bsky.feed.post lexicon, text maxGraphemes 300); the Bluesky app
    # shows links as host + first 13 characters of the path + "..." and counts that.
    # Media: 4 images or 1 video. Alt text: 2,000 characters in the app (raised from 1,000 in 2024).
    Platform.BLUESKY: Limits(
        label="Bluesky",
        max_length=300,
        unit="characters",
        max_media=4,
        max_videos=1,
        mixed_media=False,
        max_alt=2000,
    ),
    # Mastodon: 500 characters by default (servers may allow more), every link counts 23 and a
    # mention @user@server counts as @user (docs.joinmastodon.org/user/posting, and
    # StatusLengthValidator). 4 attachments, a video or audio alone (MediaAttachment);
    # media description (alt) up to 1,500 characters.
    Platform.MASTODON: Limits(
        label="Mastodon",
        max_length=500,
        max_media=4,
        max_videos=1,
        mixed_media=False,
        max_alt=1500,
    ),
    # Threads: 500 characters; one topic tag per post (later hashtags stay plain text, so this is
    # advice rather than a rejection); a carousel of up to 20 photos and videos (Threads help
    # centre, 2024).
    Platform.THREADS: Limits(label="Threads", max_length=500, hashtag_advice=1, max_media=20),
    # Facebook: 63,206 characters for a post; no published cap on photos per post.
    Platform.FACEBOOK: Limits(label="Facebook", max_length=63_206),
    # LinkedIn: 3,000 characters for a post; up to 20 images, or 1 video, not both
    # (LinkedIn help "Share photos or videos on LinkedIn").
    Platform.LINKEDIN: Limits(label="LinkedIn", max_length=3000, max_media=20, max_videos=1, mixed_media=False),
    # Instagram: captions up to 2,200 characters and 30 hashtags (a post with more fails);
    # carousels up to 20 photos and videos (since 2024; Instagram help centre).
    Platform.INSTAGRAM: Limits(label="Instagram", max_length=2200, max_hashtags=30, max_media=20),
}


def limits_for(platform: Platform, overrides: Mapping[str, Any] | None = None) -> Limits:
    """The limits of ``platform``, with a pack's ``platform_limits`` overrides applied
    (``{"x": {"max_length": 25000}}``)."""
    base = PLATFORMS[platform]
    if not overrides:
        return base
    changes = overrides.get(str(platform)) or overrides.get(platform.name.lower())
    if not changes:
        return base
    allowed = {k: v for k, v in dict(changes).items() if k in Limits.__dataclass_fields__ and k != "label"}
    return replace(base, **allowed)


# --------------------------------------------------------------------------- counting

_GRAPHEME_RE = regex.compile(r"\X")
# Bare domains that X turns into t.co links (twitter-text links any valid TLD; these are the ones
# that matter for public-sector posts). Bounded repeats keep the pattern linear.
_BARE_DOMAIN_RE = re.compile(
    r"(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,8}"
    r"(?:com|org|net|edu|gov|int|info|io|co|nz|uk|au|ca|ie|us|app|dev|scot|wales|eu)"
    r"(?:/[^\s<>\"']{0,2000})?(?![\w-])",
    re.IGNORECASE,
)
# twitter-text v3: code points in these ranges weigh 1, all others 2 (config/v3.json).
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_X_URL = 23
_EMOJI_MARK_RE = regex.compile(r"[\p{Emoji_Presentation}\uFE0F\u20E3\p{Regional_Indicator}]")


def graphemes(text: str) -> int:
    """User-perceived characters (extended grapheme clusters): an emoji with a skin tone, a flag
    or "e" + combining accent counts 1."""
    if text.isascii() and "\r\n" not in text:
        return len(text)
    return len(_GRAPHEME_RE.findall(text))


def _x_code_point_weight(cp: int) -> int:
    for lo, hi in _X_LIGHT:
        if lo <= cp <= hi:
            return 1
    return 2


def link_spans(text: str) -> list[tuple[int, int]]:
    """Spans of links: ``http(s)://`` and ``www.`` URLs, and bare domains such as ``msd.govt.nz``
    (X and most apps turn those into links too)."""
    spans = url_spans(text)
    for m in _BARE_DOMAIN_RE.finditer(text):
        if not any(s <= m.start() < e for s, e in spans):
            end = m.end()
            while end > m.start() and text[end - 1] in ".,;:!?)]}'\"":
                end -= 1
            spans.append((m.start(), end))
    return sorted(spans)


def x_weighted_length(text: str) -> int:
    """The length X counts (twitter-text v3): text NFC-normalised, each link 23, each emoji
    sequence 2, code points in the Latin and general-punctuation ranges 1, all others 2."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    pos = 0
    for start, end in link_spans(text):
        total += _x_plain_weight(text[pos:start]) + _X_URL
        pos = end
    return total + _x_plain_weight(text[pos:])


def _x_plain_weight(chunk: str) -> int:
    if chunk.isascii():
        return len(chunk)
    total = 0
    for cluster in _GRAPHEME_RE.findall(chunk):
        if _EMOJI_MARK_RE.search(cluster):
            total += 2
        else:
            total += sum(_x_code_point_weight(ord(ch)) for ch in cluster)
    return total


def _bluesky_short_url(url: str) -> str:
    # As the Bluesky app displays (and counts) a link: host, then the path cut to 13 characters
    # and "..." when it is longer than 15 (social-app, lib/strings/url-helpers toShortUrl).
    try:
        parts = urlsplit(url if "://" in url else "https://" + url)
    except ValueError:
        return url
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return url
    path = ("" if parts.path == "/" else parts.path) + (f"?{parts.query}" if parts.query else "")
    path += f"#{parts.fragment}" if parts.fragment else ""
    if len(path) > 15:
        return parts.netloc + path[:13] + "..."
    return parts.netloc + path


def _replace_spans(text: str, spans: list[tuple[int, int]], repl: Any) -> str:
    out = []
    pos = 0
    for start, end in spans:
        out.append(text[pos:start])
        out.append(repl(text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def post_length(text: str, platform: Platform) -> int:
    """The length of ``text`` as ``platform`` counts it against :attr:`Limits.max_length`."""
    if platform is Platform.X:
        return x_weighted_length(text)
    if platform is Platform.BLUESKY:
        return graphemes(_replace_spans(text, url_spans(text), _bluesky_short_url))
    if platform is Platform.MASTODON:
        counted = _replace_spans(text, url_spans(text), lambda _url: "x" * _X_URL)
        counted = MENTION_RE.sub(lambda m: "@" + m.group(1).split("@", 1)[0], counted)
        return graphemes(counted)
    return graphemes(text)


def alt_length(alt: str, platform: Platform) -> int:
    """The length of an image description as the platforms count it (characters as seen)."""
    return graphemes(alt)


def media_problem(media: tuple[Media, ...], limits: Limits) -> str | None:
    """Why ``media`` cannot go in one post on the platform, or ``None`` if it can."""
    if not media:
        return None
    videos = sum(1 for m in media if m.kind in (MediaKind.VIDEO, MediaKind.AUDIO))
    images = len(media) - videos
    if limits.max_media is not None and len(media) > limits.max_media:
        return f"{len(media)} attachments: {limits.label} allows {limits.max_media}"
    if limits.max_videos is not None and videos > limits.max_videos:
        return f"{videos} videos or audio files: {limits.label} allows {limits.max_videos} per post"
    if not limits.mixed_media and videos and images:
        return f"images and a video together: {limits.label} takes up to {limits.max_media or 'several'} images or one video"
    return None
