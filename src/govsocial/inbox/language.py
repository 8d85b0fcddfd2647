"""Language of an incoming message: ``"en"``, ``"mi"`` (te reo Māori) or ``"other"``.

Cheap signals first; the ``lingua`` detector only when they leave it open::

    text ─ links, @handles, #hashtags dropped ─ words of letters
      ├─ no words ─────────────────────────────────────────────────► "en"
      ├─ mostly non-Latin letters ─────────────────────────────────► "other"
      ├─ Māori cues (macrons, common words) ≥ English words
      │  and ≥ 30 % of the words ──► lingua (restricted set) ─► "mi" │ "en" │ "other"
      ├─ 4+ words, under half of them English ──► lingua ──────────► "en" │ "mi" │ "other"
      └─ otherwise ────────────────────────────────────────────────► "en"

Short and mixed messages stay English unless the signal is clear: "Kia ora, when does the
pool open?" is English (a greeting in an English message), "Kia ora koutou, ngā mihi nui"
is te reo Māori. ``lingua`` is restricted to English, te reo Māori and a handful of
languages people write to New Zealand, UK and Australian agencies in (Welsh, Spanish,
French, German, Portuguese, Italian, Dutch, Indonesian, Tagalog, Vietnamese), so it is
both faster and less easily confused; it answers "other" only with a confidence of 0.6 or
more. On the dev data about one message in forty reaches lingua; the usual one costs a
regular expression and some set look-ups (``bench/triage_speed.py`` prints the figure).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from govsocial.detectors.language import MAORI_WORDS, english_words

__all__ = ["detect_language", "detect_languages"]


def _words(text: str) -> frozenset[str]:
    """A set of words written as one white-space separated string (easier to read and edit)."""
    return frozenset(text.split())


# Māori words that are also English words or too short to tell: never a cue by themselves.
_NOT_CUES = _words(
    "a i e o to no me he ma mo na ta pa ra wa ka ko ai ana ono tau mano kiwi tane papa koro hui pai rawa "
    "nui tino kai mana mahi haka utu hoki atu ake iwi"
)
#: Words that point to te reo Māori: the common-word list without the ambiguous ones.
_CUES = frozenset(w for w in MAORI_WORDS if w not in _NOT_CUES) | _words(
    "kia ora ngā nga mō kei whānau whanau tēnā tena koutou kōrua mōrena mihi kōrero"
)
# Some ambiguous words still count when a clear cue is beside them ("kia ora" makes "ora" and
# "kia" cues already; "nui" after "ngā mihi").
_SOFT = _words("nui hui pai rawa tino kai mana mahi iwi")
_MACRONS = frozenset("āēīōū")

_DROP_RE = re.compile(r"(?:https?://|www\.)\S{0,2000}|[@#][\w.@-]{0,140}")
_WORD_RE = re.compile(r"[^\W\d_]{1,40}")
_NON_LATIN_RE = re.compile(r"[^\x00-\u024f\u1e00-\u1eff]")

# English function words rarely written in the other languages lingua is asked about.
_FUNCTION_WORDS = _words(
    "the and of to is are you your for with this that have what when where will can please thanks my our "
    "we it be from not they been has how why who"
)
#: Lingua's confidence needed to call a message another language.
_OTHER_CONFIDENCE = 0.6


@cache
def _lingua() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.ENGLISH,
        Language.MAORI,
        Language.WELSH,
        Language.SPANISH,
        Language.FRENCH,
        Language.GERMAN,
        Language.PORTUGUESE,
        Language.ITALIAN,
        Language.DUTCH,
        Language.INDONESIAN,
        Language.TAGALOG,
        Language.VIETNAMESE,
    ).build()


def _ask_lingua(sample: str, *, leaning: str) -> str:
    """Lingua's answer among en / mi / other; ``leaning`` when it is not confident."""
    from lingua import Language

    values = _lingua().compute_language_confidence_values(sample)
    if not values:
        return leaning
    top = values[0]
    if top.language == Language.ENGLISH:
        return "en"
    if top.language == Language.MAORI:
        return "mi" if top.value >= 0.5 else leaning
    return "other" if top.value >= _OTHER_CONFIDENCE else leaning


@lru_cache(maxsize=8192)
def detect_language(text: str) -> str:
    """``"en"``, ``"mi"`` or ``"other"`` (see the module docstring)."""
    low = text[:2000].lower()
    bare = _DROP_RE.sub(" ", low) if ("@" in low or "#" in low or "http" in low or "www" in low) else low
    words = _WORD_RE.findall(bare)
    if not words:
        return "en"
    ascii_only = bare.isascii()
    if not ascii_only:
        letters = "".join(words)
        if _NON_LATIN_RE.subn("", letters)[1] > len(letters) / 2:
            return "other"
    # Distinct words, counted with set operations (C speed): repeats matter little here.
    distinct = set(words)
    clear_words = distinct & _CUES
    if not ascii_only:
        clear_words |= {w for w in distinct if not w.isascii() and not _MACRONS.isdisjoint(w)}
    soft = (distinct & _SOFT) - clear_words
    maori = len(clear_words) + len(soft)
    english = len((distinct - clear_words - soft) & english_words().keys())
    clear = bool(clear_words)
    n = len(distinct)
    if clear and maori >= english and maori >= 0.3 * n:
        return _ask_lingua(" ".join(words), leaning="mi" if maori > english else "en")
    if n >= 5 and english < 0.3 * n:
        said = _ask_lingua(" ".join(words), leaning="en")
        # Lists of names and places ("new cases of Lagos-150 Oyo-43 ...") are English sentences.
        if said == "other" and len(_FUNCTION_WORDS.intersection(words)) >= 2:
            return "en"
        return said
    return "en"


def detect_languages(texts: Sequence[str]) -> list[str]:
    """:func:`detect_language` of each text."""
    return [detect_language(t) for t in texts]
