"""Hashed text features for the fast tier (numpy only; no vocabulary is stored).

Structure::

    text ──normalise──► tokens ──┬─ word unigrams  ("w" namespace)
                                 ├─ word bigrams   (pair of unigram hashes, mixed)
                                 └─ char 2–5-grams inside ``<word>`` ("c" namespace)
                                          │
                        CRC-32 → row in 2**HASH_BITS ─► (rows, values), unit length

- **Normalising**: lower case; links → ``httpurl``; @handles → ``@user``; HTML entities of
  tweets (``&amp;``) decoded; runs of digits → ``0``; a character repeated three or more
  times → twice (``soooo`` → ``soo``, ``!!!!`` → ``!!``); curly apostrophes → ``'``.
- **Tokens**: words (letters, digits, ``_ ' *``; a leading ``#`` kept), and every other
  non-space character alone (emoji and punctuation are tokens of their own).
- **Hashing**: ``zlib.crc32`` (stable across processes and machines, unlike ``hash()``).
  The rows of a word type (its unigram and char n-grams) are computed once and kept in a
  bounded dictionary, so a typical post costs one dictionary look-up per token.

The same :func:`featurize` builds the training matrix and scores posts, so training and
inference cannot drift apart. :func:`word_rows` and the ``BIGRAM_*`` markers expose the same
rows per word type, for scoring many models over many texts at once
(:mod:`govsocial.classify.multi`; a test checks that both score alike). Bump
:data:`FEATURE_VERSION` whenever the output changes: weights trained for another version are
refused at load time.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

__all__ = [
    "BIGRAM_END",
    "BIGRAM_START",
    "CHAR_WEIGHT",
    "FEATURE_VERSION",
    "HASH_BITS",
    "N_FEATURES",
    "batch_rows",
    "featurize",
    "normalise",
    "tokens",
    "word_rows",
]

FEATURE_VERSION = 2
HASH_BITS = 18
N_FEATURES = 1 << HASH_BITS
_MASK = N_FEATURES - 1
_CHAR_MIN, _CHAR_MAX = 2, 5
#: Long tokens (hashes of links, glued hashtags) add little beyond their first characters.
_CHAR_SPAN = 24
#: Character n-grams are many and individually weak: scaled down next to the word features.
_CHAR_WEIGHT = 0.5

_URL = re.compile(r"(?:https?://|www\.)\S{1,400}|\bhttps?\b:?/*|\burl\b", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@\w{1,40}")
_ENTITY = re.compile(r"&(amp|lt|gt|quot|#39|apos);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "#39": "'", "apos": "'"}
_DIGITS = re.compile(r"\d{1,40}")
_HAS_DIGIT = re.compile(r"\d")
_REPEAT = re.compile(r"(.)\1{2,40}")
_HAS_REPEAT = re.compile(r"(.)\1\1")
_TOKEN = re.compile(r"#?[\w'*]{1,60}|[^\w\s]")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"'})


def normalise(text: str) -> str:
    """The text as the features see it (see the module docstring)."""
    # Each pass runs only when its trigger character is there: most posts skip most passes.
    if "&" in text:
        text = _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)
    text = text.lower()
    if "http" in text or "www" in text or "url" in text:
        text = _URL.sub(" httpurl ", text)
    if "@" in text:
        text = _MENTION.sub(" @user ", text)
    if "`" in text or not text.isascii():  # the other quotes mapped are not ASCII
        text = text.translate(_QUOTES)
    if _HAS_DIGIT.search(text):
        text = _DIGITS.sub("0", text)
    # Searching for a run is about three times cheaper than substituting, and most posts have none.
    return _REPEAT.sub(r"\1\1", text) if _HAS_REPEAT.search(text) else text


def tokens(text: str) -> list[str]:
    """Tokens of the normalised text; ``@user`` stays one token."""
    norm = normalise(text)
    if "@" not in norm:
        found: list[str] = _TOKEN.findall(norm)
        return found
    out: list[str] = []
    pending_at = False
    for tok in _TOKEN.findall(norm):
        if tok == "@":
            pending_at = True
            continue
        if pending_at:
            pending_at = False
            if tok == "user":
                out.append("@user")
                continue
            out.append("@")
        out.append(tok)
    if pending_at:
        out.append("@")
    return out


def _h(s: str) -> int:
    return zlib.crc32(s.encode("utf-8")) & _MASK


# Bigram rows mix the 32-bit hashes of two words: ((left(a) ^ right(b)) >> 7) & mask, with
# left(a) = a·0x9E3779B1 and right(b) = (b + 0x7F4A7C15)·0x85EBCA6B precomputed per word type.
_LEFT_MUL, _RIGHT_ADD, _RIGHT_MUL = 0x9E3779B1, 0x7F4A7C15, 0x85EBCA6B
_START = 0x2545F491 * _LEFT_MUL  # start-of-post marker, so the first word has a bigram too
_END = (0x68E31DA4 + _RIGHT_ADD) * _RIGHT_MUL  # end-of-post marker

#: word type → (unigram row, left bigram part, right bigram part, char n-gram rows)
_WORDS: dict[str, tuple[int, int, int, tuple[int, ...]]] = {}
_WORDS_MAX = 400_000


def _word(tok: str) -> tuple[int, int, int, tuple[int, ...]]:
    raw = zlib.crc32(("w\x1f" + tok).encode("utf-8"))
    chars: tuple[int, ...] = ()
    core = tok.lstrip("#")
    if len(core) > 1 and (core[0].isalnum() or core[0] == "_"):
        padded = "<" + core[:_CHAR_SPAN] + ">"
        chars = tuple(
            _h("c\x1f" + padded[i : i + n]) for n in range(_CHAR_MIN, _CHAR_MAX + 1) for i in range(len(padded) - n + 1)
        )
    if len(_WORDS) >= _WORDS_MAX:
        _WORDS.clear()
    got = (raw & _MASK, raw * _LEFT_MUL, (raw + _RIGHT_ADD) * _RIGHT_MUL, chars)
    _WORDS[tok] = got
    return got


#: Weight of a character n-gram next to a word or bigram (before scaling to unit length).
CHAR_WEIGHT = _CHAR_WEIGHT
#: Left bigram part of the start-of-post marker and right part of the end-of-post marker.
BIGRAM_START = _START
BIGRAM_END = _END


def word_rows(tok: str) -> tuple[int, int, int, tuple[int, ...]]:
    """``(unigram row, left bigram part, right bigram part, character n-gram rows)`` of a token.

    The bigram of tokens ``a b`` is row ``((left(a) ^ right(b)) >> 7) & (N_FEATURES - 1)``; only
    bits 7 to ``6 + HASH_BITS`` of the parts matter, so they may be reduced modulo ``2**64``.
    The first token pairs with :data:`BIGRAM_START`, the last with :data:`BIGRAM_END`.
    """
    return _WORDS.get(tok) or _word(tok)


_EMPTY = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


@lru_cache(maxsize=8192)
def featurize(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows (int32, repeats allowed: a row's value is the sum) and values (float32).

    Words and bigrams weigh 1 per occurrence and character n-grams ``_CHAR_WEIGHT``; the
    vector is scaled to unit length as if no row repeated (repeats are rare in short posts,
    and skipping the aggregation halves the cost).
    """
    toks = tokens(text)
    if not toks:
        return _EMPTY
    words = _WORDS
    full: list[int] = []  # word and bigram rows (weight 1)
    part: list[int] = []  # character n-gram rows (weight _CHAR_WEIGHT)
    left = _START
    for tok in toks:
        got = words.get(tok) or _word(tok)
        full.append(got[0])
        full.append(((left ^ got[2]) >> 7) & _MASK)
        part.extend(got[3])
        left = got[1]
    full.append(((left ^ _END) >> 7) & _MASK)
    n_full = len(full)
    full.extend(part)
    norm = math.sqrt(n_full + _CHAR_WEIGHT * _CHAR_WEIGHT * len(part))
    vals = np.full(len(full), _CHAR_WEIGHT / norm, dtype=np.float32)
    vals[:n_full] = 1.0 / norm
    return np.array(full, dtype=np.int32), vals


def batch_rows(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR parts of the feature matrix for ``texts``: ``(indptr, indices, values)``."""
    parts = [featurize(t) for t in texts]
    indptr = np.zeros(len(parts) + 1, dtype=np.int64)
    if parts:
        np.cumsum([len(r) for r, _ in parts], out=indptr[1:])
        indices = np.concatenate([r for r, _ in parts]) if indptr[-1] else np.zeros(0, dtype=np.int32)
        values = np.concatenate([v for _, v in parts]) if indptr[-1] else np.zeros(0, dtype=np.float32)
    else:
        indices, values = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    return indptr, indices, values
