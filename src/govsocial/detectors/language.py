"""Language of a post: English, te reo Māori, or other.

Stage one is cheap and decides most posts: a post with no macron and no common Māori word is
English. Only posts with Māori cues go to ``lingua`` (restricted to the languages that matter),
so rules that only make sense in English can skip Māori text.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from govsocial.detectors.base import Signal, detector
from govsocial.model import Post

__all__ = ["detect_language", "maori_word_share"]

# Frequent function and greeting words of te reo Māori (macron-less spellings included).
_MAORI_WORDS = frozenset(
    """
    kia ora koutou katoa tēnā tena koe korua kōrua mōrena morena ngā nga te o ki i kei ko he e
    me mā ma mō mo nō no tō to tōku toku tāku taku ā a anō ano rā ra nei nā na hoki ai
    whānau whanau aroha mātou matou tātou tatou rātou ratou mai atu ana ake tonu hui kai
    haere rā nau mai whakatau whakapapa iwi hapū hapu marae tangata kaupapa tikanga mahi
    pai rawa nui noa ngāi ngai tahi rua toru whā wha waru iwa tekau kōrero korero wiki
    """.split()
)
_TOKEN_RE = re.compile(r"[^\W\d_]{1,40}")
_MACRON_RE = re.compile(r"[āēīōūĀĒĪŌŪ]")


def maori_word_share(text: str) -> float:
    """Share of the words of ``text`` that are common te reo Māori words."""
    tokens = _TOKEN_RE.findall(text.lower())
    if not tokens:
        return 0.0
    # Short English function words ("a", "i", "to", "no") are also Māori: count only the
    # tokens of two or more letters that are not common English words.
    hits = sum(1 for t in tokens if t in _MAORI_WORDS and t not in _ENGLISH_OVERLAP)
    return hits / len(tokens)


_ENGLISH_OVERLAP = frozenset({"a", "i", "e", "o", "to", "no", "me", "he", "ma", "na", "nei", "mai", "ana", "ai", "pai", "nui", "rua", "tonu", "kai", "mahi"})


@cache
def _lingua() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return (
        LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.MAORI)
        .with_minimum_relative_distance(0.1)
        .build()
    )


@lru_cache(maxsize=4096)
def detect_language(text: str) -> str:
    """``"en"``, ``"mi"`` (te reo Māori) or ``"other"``; mixed posts count as English
    unless most of their words are Māori."""
    share = maori_word_share(text)
    if share < 0.15 and not _MACRON_RE.search(text):
        return "en"
    if share < 0.15:
        return "en"
    detected = _lingua().detect_language_of(text)
    if detected is None:
        return "en"
    name = detected.name
    if name == "MAORI" and share >= 0.3:
        return "mi"
    return "en" if name == "ENGLISH" or share < 0.3 else "mi"


@detector("language")
def language_signals(post: Post) -> list[Signal]:
    lang = detect_language(post.text)
    return [Signal(kind="language", start=0, end=len(post.text), evidence={"language": lang})]
