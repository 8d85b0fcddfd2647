"""ACC: accessibility.

```
ACC1xx images          ACC101 image-without-alt-text · ACC102 alt-text-not-meaningful
ACC2xx video, audio    ACC201 video-without-captions · ACC202 audio-without-transcript
ACC3xx hashtags        ACC301 hashtag-not-camel-case · ACC302 hashtags-in-sentence
ACC4xx emoji, capitals ACC401 emoji-overuse · ACC402 text-emoticon · ACC403 all-caps
```

Media rules read ``post.media``; their findings point at the field ``media[i].alt`` (or
``media[i]``). Text rules avoid te reo Māori false alarms: Māori words are never split as
hashtags nor taken for acronyms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, ClassVar

from govsocial.detectors.language import english_tier, is_maori_word, segment
from govsocial.model import Context, MediaKind, Post, Severity
from govsocial.rules.base import CheckEnv, Hit, Rule
from govsocial.rules.sty import COMMON_ACRONYMS
from govsocial.text import HASHTAG_RE, MENTION_RE, url_spans

__all__ = [
    "AllCaps",
    "AltTextNotMeaningful",
    "AudioWithoutTranscript",
    "EmojiOveruse",
    "HashtagNotCamelCase",
    "HashtagsInSentence",
    "ImageWithoutAltText",
    "TextEmoticon",
    "VideoWithoutCaptions",
]

_HIGH_INFO = MappingProxyType({Context.OFFICIAL: Severity.HIGH, Context.PERSONAL: Severity.INFO})
_INFO_OFF = MappingProxyType({Context.OFFICIAL: Severity.INFO, Context.PERSONAL: None})
_WARN_INFO = MappingProxyType({Context.OFFICIAL: Severity.WARN, Context.PERSONAL: Severity.INFO})


def _which(kind: str, i: int, total: int) -> str:
    """Name an attachment: "The image" when there is one of its kind, else "Image 2"."""
    return f"The {kind}" if total == 1 else f"{kind.capitalize()} {i + 1}"


# --------------------------------------------------------------------------- ACC1xx images


class ImageWithoutAltText(Rule):
    """Image with no alt text.

    ## What it does
    Flags each image whose alternative text (``alt``) is missing or blank, unless the image is
    marked ``decorative``.

    ## Why is this bad?
    People who use screen readers hear nothing, or a file name, where the image should be.
    Important images need a text alternative that gives their meaning; only decorative images
    may have none (NSW-A11Y-3, DIA-A11Y-6, NZSIC-F).

    ## Example
        Our new opening hours from Monday.
    Use instead:
        Our new opening hours from Monday.
    """

    code = "ACC101"
    name = "image-without-alt-text"
    catalogue = ("XR-19",)
    default_severity = _HIGH_INFO
    fix = "Describe what the image shows in its alt text (or mark it decorative)."
    example_post: ClassVar[Mapping[str, Any]] = {"media": [{"kind": "image", "alt": ""}]}
    example_fixed_post: ClassVar[Mapping[str, Any]] = {
        "media": [{"kind": "image", "alt": "Poster: open Monday to Friday 9am to 5pm, Saturday 10am to 2pm."}]
    }

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        images = [(i, m) for i, m in enumerate(post.media) if m.kind is MediaKind.IMAGE]
        for n, (i, m) in enumerate(images):
            if m.decorative or (m.alt is not None and m.alt.strip()):
                continue
            yield Hit(
                message=f"{_which('image', n, len(images))} has no alt text.",
                field=f"media[{i}].alt",
                evidence={"media": i},
            )


_FILENAME_RE = re.compile(
    r"[\w ().,-]{0,200}\.(?:jpe?g|png|gif|webp|heic|heif|tiff?|bmp|svg|avif)"
    r"|(?:img|dsc|dscn|dscf|pxl|screenshot|screen shot|photo|image|pic)[ _-]?[\d_ -]{1,30}\d(?:[ _-]?\(\d{1,3}\))?",
    re.IGNORECASE,
)
_REDUNDANT_PREFIX_RE = re.compile(
    r"(?:an? )?(?:image|photo|photograph|picture|pic|graphic) (?:of|showing|shows)\b", re.IGNORECASE
)
_PLACEHOLDERS = frozenset(
    {
        "image",
        "photo",
        "picture",
        "pic",
        "img",
        "graphic",
        "photograph",
        "alt",
        "alt text",
        "untitled",
        "placeholder",
        "screenshot",
        "logo",
        "banner",
        "poster",
        "icon",
        "image description",
        "no description",
        "description",
        "attachment",
        "media",
        "an image",
        "a photo",
        "a picture",
    }
)
_WORD_RE = re.compile(r"[^\W_]{1,60}")


def _norm(text: str) -> str:
    return " ".join(_WORD_RE.findall(text.lower()))


class AltTextNotMeaningful(Rule):
    """Alt text that does not describe the image.

    ## What it does
    Flags alt text that is a file name (``IMG_1234.jpg``, ``image.png``, the media's own file
    name), a placeholder ("image", "photo", "logo"), a single word, or a copy of the post's
    text. Alt text that starts with "image of", "photo of" or "picture of" but goes on to
    describe the image is a nudge (two steps lower): the screen reader already says "image".

    ## Why is this bad?
    A screen reader reads the alt text in place of the image. A file name or "photo" tells the
    listener nothing, and repeating the post makes them hear it twice while the image's own
    content stays hidden (NSW-A11Y-3, DIA-A11Y-6).

    ## Example
        Our team at the Matariki celebration in Wellington.
    Use instead:
        Our team at the Matariki celebration in Wellington.

    ## Known false positives
    A one-word alt for an image that shows only that word (a logo or a title card).
    """

    code = "ACC102"
    name = "alt-text-not-meaningful"
    catalogue = ("XR-19",)
    default_severity = _HIGH_INFO
    fix = "Say what the image shows and why it matters, in a sentence."
    example_post: ClassVar[Mapping[str, Any]] = {"media": [{"kind": "image", "alt": "IMG_1234.jpg"}]}
    example_fixed_post: ClassVar[Mapping[str, Any]] = {
        "media": [
            {"kind": "image", "alt": "Twelve staff in front of a lit-up Matariki star display at the waterfront."}
        ]
    }

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        images = [(i, m) for i, m in enumerate(post.media) if m.kind is MediaKind.IMAGE]
        post_norm: str | None = None
        for n, (i, m) in enumerate(images):
            alt = (m.alt or "").strip()
            if not alt or m.decorative:
                continue
            which = _which("image", n, len(images))
            shift = 0
            low = alt.lower().rstrip(".")
            words = _WORD_RE.findall(low)
            if _FILENAME_RE.fullmatch(alt) or (
                m.filename and low in {m.filename.lower(), m.filename.lower().rsplit(".", 1)[0]}
            ):
                reason = "is a file name"
            elif low in _PLACEHOLDERS:
                reason = f"is just “{alt}”"
            elif len(words) <= 1:
                reason = "is a single word"
            else:
                if post_norm is None:
                    post_norm = _norm(post.text)
                alt_norm = " ".join(words)
                if len(words) >= 3 and (alt_norm == post_norm or (len(words) >= 5 and alt_norm in post_norm)):
                    reason = "repeats the post's text"
                else:
                    prefix = _REDUNDANT_PREFIX_RE.match(alt)
                    if prefix is None:
                        continue
                    rest = _WORD_RE.findall(alt[prefix.end() :])
                    reason = f"starts with “{prefix.group()}”"
                    shift = -2 if len(rest) >= 3 else 0
            yield Hit(
                message=f"{which}'s alt text {reason}.",
                field=f"media[{i}].alt",
                shift=shift,
                evidence={"media": i},
            )


# --------------------------------------------------------------------------- ACC2xx video, audio


class VideoWithoutCaptions(Rule):
    """Video without captions.

    ## What it does
    Flags each video whose ``captions`` flag is not true (unknown counts as missing). Burned-in
    (open) captions count: set ``captions: true`` for them.

    ## Why is this bad?
    Deaf and hard-of-hearing people, and the many who watch with the sound off, miss everything
    that is said. Government video must be captioned (NSW-A11Y-14, DIA-A11Y-7).

    ## Example
        Watch: how to apply for the winter energy payment.
    Use instead:
        Watch: how to apply for the winter energy payment.
    """

    code = "ACC201"
    name = "video-without-captions"
    catalogue = ("XR-20",)
    default_severity = _HIGH_INFO
    fix = "Add captions (a caption file, or captions burned into the video)."
    example_post: ClassVar[Mapping[str, Any]] = {"media": [{"kind": "video"}]}
    example_fixed_post: ClassVar[Mapping[str, Any]] = {"media": [{"kind": "video", "captions": True}]}

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        videos = [(i, m) for i, m in enumerate(post.media) if m.kind is MediaKind.VIDEO]
        for n, (i, m) in enumerate(videos):
            if m.captions is not True:
                yield Hit(
                    message=f"{_which('video', n, len(videos))} has no captions.",
                    field=f"media[{i}]",
                    evidence={"media": i},
                )


class AudioWithoutTranscript(Rule):
    """Audio without a transcript.

    ## What it does
    Flags each audio attachment whose ``transcript`` flag is not true.

    ## Why is this bad?
    People who cannot hear the audio need the words in text; a transcript also helps people
    who read faster than they listen, and search engines (NSW-A11Y-14, DIA-A11Y-7).

    ## Example
        Listen: our chief executive on this year's flood recovery.
    Use instead:
        Listen: our chief executive on this year's flood recovery.
    """

    code = "ACC202"
    name = "audio-without-transcript"
    catalogue = ("XR-20",)
    default_severity = _HIGH_INFO
    fix = "Publish a transcript and link to it in the post."
    example_post: ClassVar[Mapping[str, Any]] = {"media": [{"kind": "audio"}]}
    example_fixed_post: ClassVar[Mapping[str, Any]] = {"media": [{"kind": "audio", "transcript": True}]}

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        clips = [(i, m) for i, m in enumerate(post.media) if m.kind is MediaKind.AUDIO]
        for n, (i, m) in enumerate(clips):
            if m.transcript is not True:
                yield Hit(
                    message=f"{_which('audio clip', n, len(clips))} has no transcript.",
                    field=f"media[{i}]",
                    evidence={"media": i},
                )


# --------------------------------------------------------------------------- ACC3xx hashtags

# A hashtag's existing case chunks: "NZSchoolsreopen" -> NZ, Schoolsreopen; digits apart.
_CASE_CHUNK_RE = re.compile(r"[A-Z]{2,30}(?=[A-Z][a-z])|[A-Z]?[a-z]{1,140}|[A-Z]{1,140}|\d{1,140}|[^\W\d_]{1,140}")


def _camel(chunk: str) -> str:
    return chunk[:1].upper() + chunk[1:]


def camel_case_suggestion(tag: str) -> str | None:
    """The CamelCase form of a hashtag body whose words run together, or ``None`` when it is
    fine as it is: ``"covid19vaccineupdate"`` -> ``"Covid19VaccineUpdate"``."""
    chunks = _CASE_CHUNK_RE.findall(tag)
    if not chunks:
        return None
    out: list[str] = []
    split_any = False
    for chunk in chunks:
        if not chunk.isalpha() or not chunk.isascii():
            out.append(chunk)
            continue
        if len(chunk) < 6 or (chunk.isupper() and len(chunk) <= 5):
            out.append(_camel(chunk.lower()) if chunk.islower() and len(chunks) > 1 else chunk)
            continue
        if is_maori_word(chunk):
            return None
        words = segment(chunk.lower())
        if words is None or len(words) < 2:
            out.append(_camel(chunk.lower()) if (chunk.islower() or chunk.isupper()) and len(chunks) > 1 else chunk)
            continue
        if any(is_maori_word(w) for w in words):
            return None
        split_any = True
        out.extend(_camel(w) for w in words)
    if not split_any:
        return None
    return "".join(out)


_MACRONS = frozenset("āēīōūĀĒĪŌŪ")
_LONG_RUN_RE = re.compile(r"[a-z]{8,140}|[A-Z]{6,140}")


def _has_long_run(tag: str) -> bool:
    """Mixed-case tags with a long lower-case or capital run may still hide several words
    (``#NZSchoolsreopen``)."""
    return _LONG_RUN_RE.search(tag) is not None


class HashtagNotCamelCase(Rule):
    """Multi-word hashtag not written in CamelCase.

    ## What it does
    Flags a hashtag made of two or more English words written all in lower case or all in
    capitals (``#covid19vaccineupdate``, ``#STAYHOME``) and suggests the CamelCase form
    (``#Covid19VaccineUpdate``). The words are found with a shipped English word list. Single
    words, acronyms of up to five letters, te reo Māori words and the pack's own
    ``agency_hashtags`` are left alone, and so are posts that are not in English.

    ## Why is this bad?
    Screen readers read a run-together hashtag as one long made-up word; capitalising each
    word makes them read the words, and helps everyone else read it too (NSW-A11Y-10,
    DIA-A11Y-9).

    ## Example
        Get your booster before winter #covidvaccineupdate
    Use instead:
        Get your booster before winter #CovidVaccineUpdate

    ## Options
    - ``agency_hashtags`` (pack option): registered tags to leave as they are.

    ## Known false positives
    Names that happen to split into English words (#metformin -> "met form in").
    """

    code = "ACC301"
    name = "hashtag-not-camel-case"
    catalogue = ("XR-21",)
    default_severity = _WARN_INFO
    fix = "Capitalise each word of the hashtag."
    english_only = True

    def setup(self) -> None:
        self.allowed = frozenset(str(t).lstrip("#").lower() for t in self.config.get("agency_hashtags", []) or [])

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        if "#" not in post.text:
            return
        seen: set[str] = set()
        for m in HASHTAG_RE.finditer(post.text):
            tag = m.group(1)
            if tag in seen or tag.lower() in self.allowed or "_" in tag or not _MACRONS.isdisjoint(tag):
                continue
            seen.add(tag)
            if not (tag.islower() or tag.isupper()) and not _has_long_run(tag):
                continue
            suggestion = camel_case_suggestion(tag)
            if suggestion is None or suggestion == tag:
                continue
            yield Hit(
                message=f"#{tag} is hard to read aloud: write #{suggestion}.",
                start=m.start(),
                end=m.end(),
                fix=f"Write #{suggestion}.",
                evidence={"suggestion": f"#{suggestion}"},
            )


_TAG_OR_MENTION_RE = re.compile(rf"{HASHTAG_RE.pattern}|{MENTION_RE.pattern}")


def _word_before(text: str, pos: int) -> bool:
    """A prose word (or number) ends just before ``pos``, on the same line and in the same sentence."""
    before = text[max(0, pos - 60) : pos]
    stripped = before.rstrip()
    if stripped == before or "\n" in before[len(stripped) :]:
        return False
    tokens = stripped.split()
    if not tokens:
        return False
    last = tokens[-1].removesuffix(",")
    return bool(last) and last[0] not in "#@" and "/" not in last and last[-1].isalnum()


def _word_after(text: str, pos: int) -> bool:
    """A prose word starts just after ``pos``, on the same line."""
    after = text[pos : pos + 60]
    stripped = after.lstrip()
    if stripped == after or not stripped or "\n" in after[: len(after) - len(stripped)]:
        return False
    return stripped[0].isalpha()


class HashtagsInSentence(Rule):
    """Hashtags or @mentions in the middle of a sentence.

    ## What it does
    Flags a hashtag or @mention that sits between words of a sentence ("Join #TeamNZ at the
    park") rather than at the start or end of the post. One finding per post, at the first one.

    ## Why is this bad?
    Screen readers say "hashtag" or "at" before each one, which breaks up the sentence; guidance
    asks to put hashtags and mentions at the end where possible (NSW-A11Y-11).

    ## Example
        Come along to #MatarikiFestival this weekend with the whole whānau.
    Use instead:
        Come along to the Matariki festival this weekend with the whole whānau. #MatarikiFestival
    """

    code = "ACC302"
    name = "hashtags-in-sentence"
    catalogue = ("XR-23",)
    default_severity = _INFO_OFF
    fix = "Move hashtags and mentions to the end of the post."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        if "#" not in text and "@" not in text:
            return
        inside = []
        for m in _TAG_OR_MENTION_RE.finditer(text):
            if _word_before(text, m.start()) and _word_after(text, m.end()):
                inside.append(m)
        if inside:
            first = inside[0]
            what = "hashtag" if first.group()[0] == "#" else "mention"
            more = f" (and {len(inside) - 1} more)" if len(inside) > 1 else ""
            yield Hit(
                message=f"The {what} {first.group()} interrupts a sentence{more}.",
                start=first.start(),
                end=first.end(),
                evidence={"count": len(inside)},
            )


# --------------------------------------------------------------------------- ACC4xx emoji, capitals

# Characters that may be emoji; the ``emoji`` package is asked only when two or more appear.
_EMOJI_CANDIDATE_RE = re.compile(
    "[\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2\u25aa-\u27bf\u2934\u2935\u2b05-\u2b55"
    "\u3030\u303d\u3297\u3299\U0001f000-\U0001faff]"
)
_TEXT_SYMBOLS = frozenset({"©", "®", "™"})


class EmojiOveruse(Rule):
    """Too many emoji, repeated emoji, or emoji used as bullets.

    ## What it does
    Flags a post with more than ``max_emoji`` emoji (default 3), a run of three or more of the
    same emoji (🎉🎉🎉), or two or more lines that start with an emoji (emoji as bullet points).

    ## Why is this bad?
    Screen readers read every emoji's full name ("party popper party popper party popper"), so
    many emoji make a post long and confusing to listen to; emoji bullets are read before every
    line (NSW-A11Y-12, DIA-A11Y-9).

    ## Example
        🎉🎉🎉 The new library is open! 📚😀👍
    Use instead:
        The new library is open! 📚

    ## Options
    - ``max_emoji`` (default 3).
    """

    code = "ACC401"
    name = "emoji-overuse"
    catalogue = ("XR-22",)
    default_severity = _WARN_INFO
    fix = "Use one or two emoji at most, at the end, and never as bullets or in runs."
    options: ClassVar[Mapping[str, Any]] = {"max_emoji": 3}

    def setup(self) -> None:
        self.max_emoji = int(self.config.get("max_emoji", 3))

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        if text.isascii():
            return
        text = text[:10_000]
        if len(_EMOJI_CANDIDATE_RE.findall(text)) < 2:
            return
        import emoji

        found = [e for e in emoji.emoji_list(text) if e["emoji"] not in _TEXT_SYMBOLS]
        if len(found) > self.max_emoji:
            yield Hit(
                message=f"{len(found)} emoji: screen readers read out each one (keep to {self.max_emoji}).",
                start=found[0]["match_start"],
                end=found[-1]["match_end"],
                evidence={"count": len(found)},
            )
        run = _longest_run(text, found)
        if run is not None:
            start, end, count, what = run
            yield Hit(message=f"{what} repeated {count} times in a row.", start=start, end=end)
        bullets = _emoji_bullets(text, found)
        if len(bullets) >= 2:
            yield Hit(
                message=f"Emoji used as bullets on {len(bullets)} lines.",
                start=bullets[0][0],
                end=bullets[0][1],
                evidence={"lines": len(bullets)},
            )


def _longest_run(text: str, found: Sequence[Mapping[str, Any]]) -> tuple[int, int, int, str] | None:
    best: tuple[int, int, int, str] | None = None
    i = 0
    while i < len(found):
        j = i
        while (
            j + 1 < len(found)
            and found[j + 1]["emoji"] == found[i]["emoji"]
            and not text[found[j]["match_end"] : found[j + 1]["match_start"]].strip()
        ):
            j += 1
        count = j - i + 1
        if count >= 3 and (best is None or count > best[2]):
            best = (found[i]["match_start"], found[j]["match_end"], count, found[i]["emoji"])
        i = j + 1
    return best


def _emoji_bullets(text: str, found: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
    out = []
    for e in found:
        start = e["match_start"]
        line_start = text.rfind("\n", 0, start) + 1
        if not text[line_start:start].strip() and text[e["match_end"] : e["match_end"] + 3].strip():
            out.append((start, e["match_end"]))
    return out


_EMOTICON_RE = re.compile(
    r"(?<![\w:;=/<>^)(-])"
    r"(?:[:;=][-o^']?[)(\]\[DPpO|\\/*]|[:;]['’]-?[()]|<3(?![\d%.,]|\s{0,2}(?:hours?|days?|weeks?|months?|years?|mins?|minutes?|km|kg|m)\b)"
    r"|\^[_.]?\^|-_-|[oO]_[oO]|T_T|xD|¯\\{1,2}_\(ツ\)_/¯|\(ツ\))"
    r"(?![\w/])"
)


class TextEmoticon(Rule):
    """Text emoticon such as :-) or ¯\\_(ツ)_/¯.

    ## What it does
    Flags emoticons typed with punctuation: ``:-)``, ``:)``, ``;)``, ``:(``, ``:D``, ``:P``,
    ``<3``, ``^_^``, ``¯\\_(ツ)_/¯``. Times (10:30), ratios and links are not emoticons.

    ## Why is this bad?
    Screen readers read them as punctuation ("colon dash right parenthesis"); use words, or a
    single emoji, which has a spoken name (NSW-A11Y-12).

    ## Example
        Thanks for your patience while the site was down :-)
    Use instead:
        Thanks for your patience while the site was down.
    """

    code = "ACC402"
    name = "text-emoticon"
    catalogue = ("XR-22",)
    default_severity = _WARN_INFO
    fix = "Use words (or one emoji) instead of the emoticon."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        if not any(c in text for c in ":;=<^_ツ"):
            return
        urls: list[tuple[int, int]] | None = None
        for m in _EMOTICON_RE.finditer(text):
            if urls is None:
                urls = url_spans(text)
            if any(s <= m.start() < e for s, e in urls):
                continue
            yield Hit(message=f"The emoticon “{m.group()}” is read aloud as punctuation.", start=m.start(), end=m.end())
            return


_CAPS_WORD_RE = re.compile(r"\b[A-Z]{2,40}\b")
_CAPS_TOKEN_RE = re.compile(r"(?<![\w#@/.])[^\W\d_][\w'’]{0,40}")
# Two-letter words that count as shouting in a run of capitals ("STAY AT HOME").
_SHOUT_SHORT = frozenset(
    [
        "AN",
        "AS",
        "AT",
        "BE",
        "BY",
        "DO",
        "GO",
        "IF",
        "IN",
        "IS",
        "ME",
        "MY",
        "NO",
        "OF",
        "ON",
        "OR",
        "SO",
        "TO",
        "UP",
        "WE",
    ]
)


class AllCaps(Rule):
    """Shouting in capital letters.

    ## What it does
    Flags three or more words in a row written in capitals ("PLEASE READ THIS NOW"), or a post
    of five or more words where most letters are capitals. Acronyms (NZ, COVID, NSW, short
    all-capital tokens that are not words) and the pack's ``known_acronyms`` do not count.

    ## Why is this bad?
    Capitals read as shouting, are harder to read (word shapes disappear) and some screen
    readers spell them out letter by letter (NSW-A11Y-15, UKCS-P2).

    ## Example
        IMPORTANT NOTICE: ALL LIBRARIES ARE CLOSED TODAY.
    Use instead:
        Important: all libraries are closed today.

    ## Options
    - ``known_acronyms`` (default ``[]``): acronyms that are never shouting.
    """

    code = "ACC403"
    name = "all-caps"
    catalogue = ("XR-35",)
    default_severity = _WARN_INFO
    fix = "Write in sentence case; use capitals only for acronyms."
    options: ClassVar[Mapping[str, Any]] = {"known_acronyms": []}

    def setup(self) -> None:
        self.known = COMMON_ACRONYMS | frozenset(str(a).upper() for a in self.config.get("known_acronyms", []) or [])

    def _shout(self, token: str) -> bool:
        """A capitalised word that is shouting rather than an acronym."""
        word = token.rstrip("'’")
        if word.endswith(("'S", "’S")):
            word = word[:-2]
        if word in self.known or not word.isalpha():
            return False
        if len(word) == 2:
            return word in _SHOUT_SHORT
        if len(word) <= 2:
            return False
        tier = english_tier(word)
        return (tier is not None and (len(word) >= 4 or tier <= 2)) or len(word) >= 6

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text[:20_000]
        caps = _CAPS_WORD_RE.findall(text)
        if len(caps) < 3 and sum(map(len, caps)) < 12:
            return  # neither a run of three capitalised words nor a mostly-capitals post is possible
        run_start = run_end = -1
        run_shout = run_long = 0
        upper_letters = lower_letters = words = 0
        for m in _CAPS_TOKEN_RE.finditer(text):
            token = m.group()
            words += 1
            if token.isupper():
                if self._shout(token):
                    if run_start < 0:
                        run_start = m.start()
                    run_end = m.end()
                    run_shout += 1
                    run_long += len(token) >= 3
                    upper_letters += len(token)
                continue
            if run_shout >= 3 and run_long >= 2:
                yield self._run_hit(text, run_start, run_end, run_shout)
                return
            run_start, run_shout, run_long = -1, 0, 0
            lower_letters += sum(1 for ch in token if ch.isalpha())
        if run_shout >= 3 and run_long >= 2:
            yield self._run_hit(text, run_start, run_end, run_shout)
            return
        if words >= 5 and upper_letters > lower_letters and upper_letters >= 12:
            yield Hit(
                message="Most of the post is in capitals.",
                start=0,
                end=len(post.text),
                evidence={"upper_letters": upper_letters, "lower_letters": lower_letters},
            )

    @staticmethod
    def _run_hit(text: str, start: int, end: int, count: int) -> Hit:
        return Hit(
            message=f"{count} words in a row in capitals read as shouting.",
            start=start,
            end=end,
            evidence={"words": count},
        )
