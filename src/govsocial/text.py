"""Text helpers shared by detectors and rules: tokens, links, hashtags, term lists, masking.

Every pattern here runs in linear time: no nested unbounded repeats, bounded look-arounds.
``tests/test_linear_time.py`` checks the compiled patterns of the whole package for that shape.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "HASHTAG_RE",
    "MENTION_RE",
    "URL_RE",
    "WORD_RE",
    "TermMatch",
    "TermMatcher",
    "mask",
    "near",
    "normalise",
    "sentences",
    "words",
]

# A URL: scheme or www., then non-space characters; trailing punctuation is trimmed by url_spans.
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"']{1,2000}", re.IGNORECASE)
HASHTAG_RE = re.compile(r"(?<![\w#&])#(\w{1,140})")
MENTION_RE = re.compile(r"(?<![\w@])@(\w{1,64}(?:@[\w.-]{1,253})?)")
# Words: letters (with macrons and apostrophes inside), digits allowed after the first letter.
WORD_RE = re.compile(r"[^\W\d_](?:[\w'’-]{0,60}\w)?")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"')\]]{0,3}\s+|\n{1,}")


def normalise(text: str) -> str:
    """NFKC-normalised text (full-width digits become ASCII, ligatures split)."""
    return unicodedata.normalize("NFKC", text)


def url_spans(text: str) -> list[tuple[int, int]]:
    """Spans of links, without trailing punctuation that belongs to the sentence."""
    spans = []
    for m in URL_RE.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:!?)]}'\"":
            end -= 1
        spans.append((m.start(), end))
    return spans


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) over ``text``, split at . ! ? and line breaks."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def near(text: str, start: int, end: int, window: int = 40) -> str:
    """The text around a span, lower-cased, for context-word checks."""
    return text[max(0, start - window) : min(len(text), end + window)].lower()


def mask(value: str, visible: int = 4) -> str:
    """Hide all but the last ``visible`` alphanumerics, keeping separators: ``***-***-7209``."""
    alnum = sum(ch.isalnum() for ch in value)
    keep = min(visible, max(0, alnum // 3))
    out = []
    seen = 0
    for ch in value:
        if ch.isalnum():
            seen += 1
            out.append(ch if seen > alnum - keep else "*")
        else:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class TermMatch:
    start: int
    end: int
    term: str
    #: The canonical entry the match came from (for substitutions, the key).
    entry: str


class TermMatcher:
    """Find whole-word, case-insensitive occurrences of a list of terms in one pass.

    Terms may contain spaces (matched as any run of whitespace) and are tried longest first,
    so "Labour Party" wins over "Labour". Matching is on word boundaries, which keeps
    "secret" from matching in "secretary". Macrons are significant (``Māori`` ≠ ``Maori``)
    unless ``fold_macrons`` is set.
    """

    def __init__(self, terms: Iterable[str], *, case_sensitive: bool = False, fold_macrons: bool = False) -> None:
        self.fold_macrons = fold_macrons
        self._canon: dict[str, str] = {}
        for term in terms:
            term = term.strip()
            if not term:
                continue
            key = self._key(term, case_sensitive)
            self._canon.setdefault(key, term)
        self.case_sensitive = case_sensitive
        self.pattern: re.Pattern[str] | None = None
        if self._canon:
            alternatives = sorted(self._canon.values(), key=len, reverse=True)
            body = "|".join(self._term_pattern(t) for t in alternatives)
            flags = 0 if case_sensitive else re.IGNORECASE
            self.pattern = re.compile(rf"(?<![\w@#])(?:{body})(?![\w])", flags)

    def _key(self, term: str, case_sensitive: bool | None = None) -> str:
        cs = self.case_sensitive if case_sensitive is None else case_sensitive
        key = " ".join(term.split())
        if self.fold_macrons:
            key = _fold(key)
        return key if cs else key.lower()

    def _term_pattern(self, term: str) -> str:
        parts = [re.escape(_fold(p) if self.fold_macrons else p) for p in term.split()]
        return r"\s{1,5}".join(parts)

    def __bool__(self) -> bool:
        return self.pattern is not None

    def finditer(self, text: str) -> Iterator[TermMatch]:
        if self.pattern is None:
            return
        haystack = _fold(text) if self.fold_macrons else text
        for m in self.pattern.finditer(haystack):
            found = text[m.start() : m.end()]
            entry = self._canon.get(self._key(found), found)
            yield TermMatch(m.start(), m.end(), found, entry)

    def search(self, text: str) -> TermMatch | None:
        return next(self.finditer(text), None)


_MACRONS = str.maketrans("āēīōūĀĒĪŌŪ", "aeiouAEIOU")


def _fold(text: str) -> str:
    # Same length as the input, so spans found in the folded text index the original.
    return text.translate(_MACRONS)


@lru_cache(maxsize=256)
def term_matcher(terms: tuple[str, ...], case_sensitive: bool = False) -> TermMatcher:
    """A cached matcher for a tuple of terms (packs pass the same tuples for every post)."""
    return TermMatcher(terms, case_sensitive=case_sensitive)
