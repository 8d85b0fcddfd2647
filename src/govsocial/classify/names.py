"""Names of people in short posts: a hashed-feature sequence tagger.

Structure::

    text ─tokenize─► tokens ─features (hashed; summed per word type, cached)─► scores (O, B, I)
                                                                                 │
                                                  transition scores (4 × 3) ─────┴─► Viterbi ─► spans

- **Tokens**: links, @handles, #hashtags, words (inner ``' ’ . -`` kept), single symbols.
  @handles and links are never names (forced to ``O``). A hashtag is one token and may be a
  name (``#JohnSmith``, as the training data marks them); the span then starts at ``#``.
- **Tags**: IO with B only where a name directly follows another (``I`` may open a name).
  Tried against strict BIO on three validation splits: same F1, better on greetings.
- **Features** are strings hashed with CRC-32 into ``2**HASH_BITS`` rows of a weight table
  (no vocabulary ships, only hashed rows): the word, its shape and affixes, the words and
  shapes around it, membership of a given-name / surname gazetteer (``names.gazetteer.txt``,
  compiled from public-domain and MIT-licensed lists, see the model card), a capitalisation
  profile (how often the word is capitalised inside sentences of unlabelled posts, stored by
  hash), whether the post shouts (all capitals) or is all lower case, and sentence position.
  At run time the weights are summed per feature group and cached (per word type, word pair,
  neighbourhood shape), so a typical post costs a few dictionary look-ups per token.
- **Learning**: averaged structured perceptron (Collins 2002) with a fixed seed and order;
  about one post in six also appears in capitals. :func:`train_names` reproduces
  ``names.bin`` byte for byte.
- **Scores**: a span's score is a logistic function of the smallest margin of its tokens
  over ``O``, scaled so that a typical training name scores about 0.73; 0.5 is the boundary.

Public API: :func:`tokenize`, :class:`NameTagger` (``.spans(text)``), :func:`get_tagger`,
:func:`train_names`, :func:`evaluate`, :func:`match_spans`, :func:`compile_gazetteer`.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import struct
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "GAZETTEER_PATH",
    "MODEL_PATH",
    "NameTagger",
    "compile_gazetteer",
    "evaluate",
    "get_tagger",
    "is_given_name",
    "match_spans",
    "tokenize",
    "train_names",
]

MODEL_DIR = Path(__file__).parent / "models"
MODEL_PATH = MODEL_DIR / "names.bin"
GAZETTEER_PATH = MODEL_DIR / "names.gazetteer.txt"

#: Bumped when features change: weights trained for another version are refused.
FEATURE_VERSION = 1
HASH_BITS = 19
EPOCHS = 12
_MAGIC = b"GSNAMES1"

TAG_O, TAG_B, TAG_I = 0, 1, 2
_NEG = -1e9

_TOKEN_RE = re.compile(
    r"(?:https?://|www\.)[^\s]{1,2000}"
    r"|[@#]\w{1,140}"
    r"|\w{1,100}(?:['’.\-]\w{1,100}){0,8}"
    r"|[^\w\s]"
)
_CAMEL_RE = re.compile(r"[A-Z][a-z]{1,30}")
_SENT_END = frozenset({".", "!", "?", ":", ";", '"', "“", "”", "|", "(", ")", "-", "–", "—", "…"})


def tokenize(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the tokens of ``text``."""
    return [m.span() for m in _TOKEN_RE.finditer(text)]


# --- gazetteer ---------------------------------------------------------------------------


@cache
def _gazetteer() -> dict[str, str]:
    """Lower-cased name → ``"F"`` (given name), ``"L"`` (surname) or ``"FL"``."""
    gaz: dict[str, str] = {}
    with GAZETTEER_PATH.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or "\t" not in line:
                continue
            name, flags = line.rstrip("\n").split("\t", 1)
            gaz[name] = flags
    return gaz


# --- features ----------------------------------------------------------------------------


def _kind(tok: str) -> str:
    c = tok[0]
    if c == "@" and len(tok) > 1:
        return "@"
    if c == "#" and len(tok) > 1:
        return "#"
    if tok.startswith(("http://", "https://", "www.")):
        return "url"
    if c.isalpha():
        return "w"
    if c.isdigit() or c == "_":
        return "d"
    return "p"


def _case(word: str) -> str:
    """``U`` capitals, ``L`` lower case, ``T`` title case, ``M`` mixed, ``N`` no letters."""
    letters = "".join(filter(str.isalpha, word))
    if not letters:
        return "N"
    if letters.isupper():
        return "U" if len(letters) > 1 else "T"
    if letters.islower():
        return "L"
    if letters[0].isupper() and letters[1:].islower():
        return "T"
    return "M"


def _shapes(word: str) -> tuple[str, str]:
    """(short, long) shapes: ``Xx`` / ``Xxx`` for "Aroha"; long keeps runs of up to two."""
    long: list[str] = []
    for ch in word[:24]:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if len(long) > 1 and long[-1] == c and long[-2] == c:
            continue
        long.append(c)
    short = [c for k, c in enumerate(long) if k == 0 or long[k - 1] != c]
    return "".join(short), "".join(long)


def _gaz_flags(word: str, gaz: dict[str, str]) -> str:
    low = word.lower().rstrip("'’")
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    return gaz.get(low, "-")


def _concat_name(body: str, gaz: dict[str, str]) -> str:
    """``"FL"`` when ``body`` is a given name glued to a surname (``johnsmith``, ``JohnSmith``)."""
    parts = _CAMEL_RE.findall(body)
    if len(parts) >= 2 and "".join(parts) == body:
        first, last = gaz.get(parts[0].lower(), ""), gaz.get(parts[-1].lower(), "")
        return "C" + ("F" if "F" in first else "-") + ("L" if "L" in last else "-")
    low = body.lower()
    if not (6 <= len(low) <= 24) or not low.isalpha():
        return ""
    for k in range(3, len(low) - 2):
        if "F" in gaz.get(low[:k], "") and "L" in gaz.get(low[k:], ""):
            return "GFL"
    return ""


# --- capitalisation profile ----------------------------------------------------------------
#
# How often a word is written with a capital inside a sentence, in a corpus of unlabelled
# posts: names keep their capital, ordinary words do not, whatever the post's own casing.
# Stored by a 24-bit hash of the lower-cased word (no vocabulary ships), as a code: 0 unknown
# (seen fewer than 3 times), else 1 + 2 * (tenths capitalised, 0..9) + (1 if seen 30+ times).

_PROFILE_MIN = 3
_PROFILE_FREQ = 30
_PROFILE_CODES = ("u", *(f"{r}{f}" for r in range(10) for f in "rf"))


def _profile_key(low: str) -> int:
    return zlib.crc32(low.encode("utf-8")) & 0xFFFFFF


def _shouting(text: str) -> bool:
    letters = sum(c.isalpha() for c in text)
    return letters > 0 and sum(c.isupper() for c in text) > 0.5 * letters


def _profile_count(texts: Iterable[str]) -> dict[int, list[int]]:
    """Per hashed word: [times seen inside a sentence, times capitalised there]."""
    counts: dict[int, list[int]] = {}
    for text in texts:
        if _shouting(text):
            continue
        prev: tuple[int, int] | None = None
        for s, e in tokenize(text):
            word = text[s:e]
            initial = prev is None or text[prev[0]] in _SENT_END or "\n" in text[prev[1] : s]
            prev = (s, e)
            if initial or not word[0].isalpha():
                continue
            c = counts.setdefault(_profile_key(word.lower()), [0, 0])
            c[0] += 1
            if word[0].isupper() and not word.isupper():
                c[1] += 1
    return counts


def _profile_table(counts: dict[int, list[int]]) -> dict[int, int]:
    return {
        key: 1 + 2 * min(9, (10 * cap) // seen) + (1 if seen >= _PROFILE_FREQ else 0)
        for key, (seen, cap) in counts.items()
        if seen >= _PROFILE_MIN
    }


@dataclass(frozen=True, slots=True)
class _Type:
    """What one word type contributes: its own features and those it lends its neighbours."""

    kind: str
    case: str
    short: str
    gaz: str
    own: tuple[str, ...]
    prev1: tuple[str, ...]  # applied to the token after this one
    next1: tuple[str, ...]  # applied to the token before this one
    prev2: tuple[str, ...]
    next2: tuple[str, ...]


def _make_type(tok: str, gaz: dict[str, str], profile: dict[int, int]) -> _Type:
    kind = _kind(tok)
    body = tok[1:] if kind in {"@", "#"} else tok
    low = body.lower()
    case = _case(body)
    cap = _PROFILE_CODES[profile.get(_profile_key(low), 0)] if kind in {"w", "#"} else "-"
    short_shape, long = _shapes(body)
    short = kind + ":" + (short_shape if kind in {"w", "#", "d"} else "")
    flags = _gaz_flags(body, gaz) if kind in {"w", "#"} else "-"
    if kind in {"url", "@"}:
        low = kind
    own = [
        "w=" + low,
        "k=" + kind,
        "s=" + short,
        "S=" + long,
        "c=" + case,
        "g=" + flags,
        "gc=" + flags + case,
        "gk=" + flags + kind,
    ]
    if kind in {"w", "#"}:
        own += ["p1=" + low[:1], "p2=" + low[:2], "p3=" + low[:3], "x2=" + low[-2:], "x3=" + low[-3:], "x4=" + low[-4:]]
        own.append("n=" + str(min(len(body), 12)))
        # Glued names ("johnsmith", "#JohnSmith") are written in lower or mixed case.
        concat = _concat_name(body, gaz)
        if concat:
            own += ["cat=" + concat, "catk=" + concat + kind]
        if "." in body:
            own.append("dot")
        if body.endswith(("'s", "’s")):
            own.append("poss")
        own += ["cr=" + cap, "crc=" + cap + case, "crg=" + cap + flags]
    prev1 = ["pw=" + low, "ps=" + short, "pg=" + flags + case, "pcr=" + cap]
    next1 = ["nw=" + low, "ns=" + short, "ng=" + flags + case, "ncr=" + cap]
    prev2 = ["ppw=" + low, "pps=" + short]
    next2 = ["nnw=" + low, "nns=" + short]
    return _Type(kind, case, short, flags, tuple(own), tuple(prev1), tuple(next1), tuple(prev2), tuple(next2))


_BOS = _Type("bos", "N", "<s>", "-", (), ("pw=<s>", "ps=<s>"), (), ("ppw=<s>",), ())
_EOS = _Type("eos", "N", "</s>", "-", (), (), ("nw=</s>", "ns=</s>"), (), ("nnw=</s>",))


def _regime(types: Sequence[_Type]) -> str:
    """``U`` when the post shouts, ``L`` when it is all lower case, else ``N``."""
    cases = [t.case for t in types if t.kind == "w"]
    if len(cases) < 3:
        return "N"
    upper = sum(c == "U" for c in cases)
    lower = sum(c == "L" for c in cases)
    if upper >= 0.6 * len(cases):
        return "U"
    if lower == len(cases):
        return "L"
    return "N"


def _starts(text: str, spans: Sequence[tuple[int, int]], types: Sequence[_Type]) -> list[str]:
    """Per token: ``S`` first of the text or of a line, ``P`` after sentence punctuation, else ``-``."""
    out: list[str] = []
    for i in range(len(types)):
        if i == 0:
            out.append("S")
        elif types[i - 1].kind == "p" and text[spans[i - 1][0]] in _SENT_END:
            out.append("P")
        elif "\n" in text[spans[i - 1][1] : spans[i][0]]:
            out.append("S")
        else:
            out.append("-")
    return out


# Features that depend on more than one word type or on the position, in three groups that
# inference caches separately: the token with its position and the post's casing; a word
# pair; the shapes of a token and its neighbours.


def _live_token(t: _Type, start: str, regime: str) -> list[str]:
    w0 = t.own[0]
    return [
        "bias",
        "st=" + start + t.case,
        "stw=" + start + w0,
        "rg=" + regime + t.case,
        "rgs=" + regime + t.short,
        "rgg=" + regime + t.gaz + t.kind,
    ]


def _live_pair(left: _Type, right: _Type) -> tuple[list[str], list[str]]:
    """(features of ``left`` given the next word, features of ``right`` given the previous)."""
    lw = left.own[0] if left.own else "<s>"
    rw = right.own[0] if right.own else "</s>"
    return ["w0n=" + lw + "|" + rw], ["pw0=" + lw + "|" + rw]


def _live_shape(prev: _Type, t: _Type, nxt: _Type) -> list[str]:
    return [
        "sss=" + prev.short + "|" + t.short + "|" + nxt.short,
        "ggg=" + prev.gaz + prev.case + "|" + t.gaz + t.case + "|" + nxt.gaz + nxt.case,
    ]


def _live(types: Sequence[_Type], starts: Sequence[str], i: int, regime: str) -> list[str]:
    t = types[i]
    prev = types[i - 1] if i > 0 else _BOS
    nxt = types[i + 1] if i + 1 < len(types) else _EOS
    return [
        *_live_token(t, starts[i], regime),
        *_live_pair(prev, t)[1],
        *_live_pair(t, nxt)[0],
        *_live_shape(prev, t, nxt),
    ]


def _h(feature: str, mask: int) -> int:
    return zlib.crc32(feature.encode("utf-8")) & mask


_Hashed = tuple[tuple[int, ...], ...]


def _hashed(t: _Type, mask: int) -> _Hashed:
    return tuple(tuple(_h(f, mask) for f in part) for part in (t.own, t.prev1, t.next1, t.prev2, t.next2))


def _token_features(
    text: str, spans: Sequence[tuple[int, int]], types: Sequence[_Type], hashed: Sequence[_Hashed], mask: int
) -> list[list[int]]:
    """Hashed feature rows of each token (the training side of :meth:`NameTagger.emissions`)."""
    regime = _regime(types)
    starts = _starts(text, spans, types)
    n = len(types)
    bos, eos = _hashed(_BOS, mask), _hashed(_EOS, mask)
    out: list[list[int]] = []
    for i in range(n):
        feats = list(hashed[i][0])
        feats += (hashed[i - 1] if i > 0 else bos)[1]
        feats += (hashed[i + 1] if i + 1 < n else eos)[2]
        feats += (hashed[i - 2] if i > 1 else bos)[3]
        feats += (hashed[i + 2] if i + 2 < n else eos)[4]
        feats += [_h(f, mask) for f in _live(types, starts, i, regime)]
        out.append(feats)
    return out


def _forced_o(t: _Type) -> bool:
    return t.kind in {"@", "url"}


# --- decoding ----------------------------------------------------------------------------

# Transition rows: previous tag START, O, B, I; columns: O, B, I (all allowed: IO tagging).


def _viterbi(
    emissions: Sequence[Sequence[float]], trans: Sequence[Sequence[float]], forced: Sequence[bool]
) -> list[int]:
    n = len(emissions)
    if n == 0:
        return []
    (s_o, s_b, s_i), (oo, ob, oi), (bo, bb, bi), (io, ib, ii) = trans
    e = emissions[0]
    po, pb, pi = s_o + e[0], s_b + e[1], s_i + e[2]
    if forced[0]:
        pb = pi = _NEG
    back: list[tuple[int, int, int]] = []
    for k in range(1, n):
        e = emissions[k]
        # best previous tag for O
        a, b, c = po + oo, pb + bo, pi + io
        if a >= b and a >= c:
            bo_arg, vo = 0, a
        elif b >= c:
            bo_arg, vo = 1, b
        else:
            bo_arg, vo = 2, c
        a, b, c = po + ob, pb + bb, pi + ib
        if a >= b and a >= c:
            bb_arg, vb = 0, a
        elif b >= c:
            bb_arg, vb = 1, b
        else:
            bb_arg, vb = 2, c
        a, b, c = po + oi, pb + bi, pi + ii
        if a >= b and a >= c:
            bi_arg, vi = 0, a
        elif b >= c:
            bi_arg, vi = 1, b
        else:
            bi_arg, vi = 2, c
        back.append((bo_arg, bb_arg, bi_arg))
        po = vo + e[0]
        if forced[k]:
            pb = pi = _NEG
        else:
            pb, pi = vb + e[1], vi + e[2]
    tag = 0 if po >= pb and po >= pi else (1 if pb >= pi else 2)
    tags = [tag]
    for ptr in reversed(back):
        tag = ptr[tag]
        tags.append(tag)
    tags.reverse()
    return tags


def _tags_to_spans(tags: Sequence[int]) -> list[tuple[int, int]]:
    """Token index ranges ``[i, j)`` of the B/I runs."""
    out: list[tuple[int, int]] = []
    start = -1
    for i, tag in enumerate(tags):
        if tag == TAG_B or (tag == TAG_I and start < 0):
            if start >= 0:
                out.append((start, i))
            start = i
        elif tag == TAG_O and start >= 0:
            out.append((start, i))
            start = -1
    if start >= 0:
        out.append((start, len(tags)))
    return out


# --- the tagger --------------------------------------------------------------------------


_Vec = tuple[float, float, float]
#: A word type and its summed weights: own, as previous, as next, as second previous, as
#: second next; its shape signature; own plus position-and-casing sums, filled on demand
#: (index: start * 3 + regime).
_Entry = tuple[_Type, _Vec, _Vec, _Vec, _Vec, _Vec, str, list[_Vec | None]]
_START_INDEX = {"S": 0, "P": 1, "-": 2}
_REGIME_INDEX = {"N": 0, "U": 1, "L": 2}


class NameTagger:
    """Tag the names of people in a text: ``NameTagger.load().spans(text)``."""

    _CACHE_MAX = 100_000

    def __init__(self, header: dict[str, Any], weights: array[float], profile: dict[int, int]) -> None:
        self.header = header
        self.w = weights
        self.profile = profile
        self.trans: list[list[float]] = header["transitions"]
        self.mask = (1 << int(header["hash_bits"])) - 1
        self.temperature = float(header["temperature"])
        # Caches of summed weights: per word type, per (type, position, casing), per word
        # pair, per neighbourhood shape. Cleared whole when full (results do not change).
        self._types: dict[str, _Entry] = {}
        self._pairs: dict[tuple[str, str], tuple[_Vec, _Vec]] = {}
        self._shapes: dict[tuple[str, str, str], _Vec] = {}
        self._edge = (self._sum(_BOS.prev1), self._sum(_EOS.next1), self._sum(_BOS.prev2), self._sum(_EOS.next2))

    @classmethod
    def load(cls, path: str | Path = MODEL_PATH) -> NameTagger:
        header, weights, profile = _read_model(Path(path))
        return cls(header, weights, profile)

    def _sum(self, feats: Iterable[str]) -> _Vec:
        w, mask, crc = self.w, self.mask, zlib.crc32
        o = b = i = 0.0
        for f in feats:
            r = (crc(f.encode()) & mask) * 3
            o += w[r]
            b += w[r + 1]
            i += w[r + 2]
        return (o, b, i)

    def _type(self, tok: str) -> _Entry:
        t = _make_type(tok, _gazetteer(), self.profile)
        variants: list[_Vec | None] = [None] * 9
        entry: _Entry = (
            t,
            self._sum(t.own),
            self._sum(t.prev1),
            self._sum(t.next1),
            self._sum(t.prev2),
            self._sum(t.next2),
            f"{t.short}\x1f{t.gaz}\x1f{t.case}",
            variants,
        )
        if len(self._types) >= self._CACHE_MAX:
            self._types.clear()
        self._types[tok] = entry
        return entry

    def _own_live(self, entry: _Entry, start: str, regime: str) -> _Vec:
        """The word's own features plus its position and casing features, kept in the entry."""
        own = entry[1]
        lv = self._sum(_live_token(entry[0], start, regime))
        vec = (own[0] + lv[0], own[1] + lv[1], own[2] + lv[2])
        entry[7][_START_INDEX[start] * 3 + _REGIME_INDEX[regime]] = vec
        return vec

    def _pair(self, key: tuple[str, str], lt: _Type, rt: _Type) -> tuple[_Vec, _Vec]:
        to_left, to_right = _live_pair(lt, rt)
        hit = (self._sum(to_left), self._sum(to_right))
        if len(self._pairs) >= self._CACHE_MAX:
            self._pairs.clear()
        self._pairs[key] = hit
        return hit

    def _shape3(self, key: tuple[str, str, str], prev: _Type, t: _Type, nxt: _Type) -> _Vec:
        hit = self._sum(_live_shape(prev, t, nxt))
        if len(self._shapes) >= self._CACHE_MAX:
            self._shapes.clear()
        self._shapes[key] = hit
        return hit

    def emissions(self, text: str, spans: Sequence[tuple[int, int]]) -> tuple[list[_Type], list[list[float]]]:
        """Word types and per-token scores for O, B, I: sums of feature groups cached by key."""
        toks = [text[s:e] for s, e in spans]
        get_type = self._types.get
        entries = [get_type(tok) or self._type(tok) for tok in toks]
        types = [e[0] for e in entries]
        regime = _regime(types)
        starts = _starts(text, spans, types)
        n = len(entries)
        edge = self._edge
        get_pair, get_shape = self._pairs.get, self._shapes.get
        variant = _REGIME_INDEX[regime]
        # Word pairs k-1|k for k in 0..n; the text's edges are "" (no token is empty).
        pairs: list[tuple[_Vec, _Vec]] = []
        for k in range(n + 1):
            left = toks[k - 1] if k > 0 else ""
            right = toks[k] if k < n else ""
            pkey = (left, right)
            pairs.append(
                get_pair(pkey) or self._pair(pkey, types[k - 1] if k > 0 else _BOS, types[k] if k < n else _EOS)
            )
        out: list[list[float]] = []
        for i in range(n):
            entry = entries[i]
            t = entry[0]
            p1 = entries[i - 1][2] if i > 0 else edge[0]
            n1 = entries[i + 1][3] if i + 1 < n else edge[1]
            p2 = entries[i - 2][4] if i > 1 else edge[2]
            n2 = entries[i + 2][5] if i + 2 < n else edge[3]
            start = starts[i]
            own = entry[7][_START_INDEX[start] * 3 + variant] or self._own_live(entry, start, regime)
            skey = (
                entries[i - 1][6] if i > 0 else "<s>",
                entries[i][6],
                entries[i + 1][6] if i + 1 < n else "</s>",
            )
            sh = get_shape(skey) or self._shape3(
                skey, types[i - 1] if i > 0 else _BOS, t, types[i + 1] if i + 1 < n else _EOS
            )
            pl, pr = pairs[i][1], pairs[i + 1][0]
            out.append(
                [
                    own[0] + p1[0] + n1[0] + p2[0] + n2[0] + pl[0] + pr[0] + sh[0],
                    own[1] + p1[1] + n1[1] + p2[1] + n2[1] + pl[1] + pr[1] + sh[1],
                    own[2] + p1[2] + n1[2] + p2[2] + n2[2] + pl[2] + pr[2] + sh[2],
                ]
            )
        return types, out

    def spans(self, text: str) -> list[tuple[int, int, float]]:
        """``(start, end, score)`` of each name of a person in ``text``; score in 0..1."""
        spans = tokenize(text)
        if not spans:
            return []
        types, em = self.emissions(text, spans)
        tags = _viterbi(em, self.trans, [_forced_o(t) for t in types])
        out: list[tuple[int, int, float]] = []
        for i, j in _tags_to_spans(tags):
            margin = min(max(em[k][1], em[k][2]) - em[k][0] for k in range(i, j))
            score = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, margin / self.temperature))))
            out.append((spans[i][0], spans[j - 1][1], round(score, 3)))
        return out


@cache
def get_tagger() -> NameTagger:
    """The shipped tagger, loaded on first use."""
    return NameTagger.load()


# --- model file --------------------------------------------------------------------------
#
# MAGIC, uint32 header length, JSON header (sorted keys), then zlib of: weight rows (uint32,
# delta-coded), their O/B/I weights (float16), profile keys (uint32, delta-coded), profile
# codes (uint8). No timestamps, so the same training writes the same bytes.


def _deltas(keys: Sequence[int]) -> bytes:
    out = array("I", bytes(4 * len(keys)))
    prev = 0
    for k, key in enumerate(keys):
        out[k] = key - prev
        prev = key
    return out.tobytes()


def _undelta(raw: bytes) -> list[int]:
    deltas = array("I")
    deltas.frombytes(raw)
    out: list[int] = []
    total = 0
    for d in deltas:
        total += d
        out.append(total)
    return out


def _write_model(
    path: Path, header: dict[str, Any], rows: Sequence[int], values: bytes, profile: dict[int, int]
) -> bytes:
    keys = sorted(profile)
    body = zlib.compress(_deltas(rows) + values + _deltas(keys) + bytes(profile[k] for k in keys), 9)
    head = json.dumps({**header, "rows": len(rows), "profile": len(keys)}, sort_keys=True, separators=(",", ":"))
    blob = _MAGIC + struct.pack("<I", len(head)) + head.encode() + body
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(blob)
    return blob


def _read_model(path: Path) -> tuple[dict[str, Any], array[float], dict[int, int]]:
    blob = path.read_bytes()
    if not blob.startswith(_MAGIC):
        raise ValueError(f"{path}: not a names model")
    (hlen,) = struct.unpack_from("<I", blob, len(_MAGIC))
    start = len(_MAGIC) + 4
    header: dict[str, Any] = json.loads(blob[start : start + hlen])
    if header.get("feature_version") != FEATURE_VERSION:
        raise ValueError(f"{path}: trained for feature version {header.get('feature_version')}, need {FEATURE_VERSION}")
    body = zlib.decompress(blob[start + hlen :])
    n, m = int(header["rows"]), int(header["profile"])
    rows = _undelta(body[: 4 * n])
    at = 4 * n
    vals = struct.unpack_from(f"<{3 * n}e", body, at)
    at += 6 * n
    keys = _undelta(body[at : at + 4 * m])
    at += 4 * m
    profile = dict(zip(keys, body[at : at + m], strict=True))
    weights = array("f", bytes(4 * 3 * (1 << int(header["hash_bits"]))))
    for k, row in enumerate(rows):
        weights[3 * row] = vals[3 * k]
        weights[3 * row + 1] = vals[3 * k + 1]
        weights[3 * row + 2] = vals[3 * k + 2]
    return header, weights, profile


# --- training ----------------------------------------------------------------------------

#: Unlabelled posts for the capitalisation profile, next to the training file when present:
#: (file, sources whose licence allows it). Held-out rows (``is_test``) are never read.
DEFAULT_CORPUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("abuse.jsonl", ("davidson", "hateval")),
    ("misinformation.jsonl", ("constraint",)),
    ("sentiment.jsonl", ("semeval2017",)),
)


@dataclass(slots=True)
class _Example:
    feats: list[list[int]]
    gold: list[int]
    forced: list[bool]


def _example(
    text: str,
    gold_spans: Iterable[tuple[int, int]],
    mask: int,
    cache: dict[str, tuple[_Type, _Hashed]],
    profile: dict[int, int],
) -> _Example:
    spans = tokenize(text)
    cached: list[tuple[_Type, _Hashed]] = []
    for s, e in spans:
        tok = text[s:e]
        hit = cache.get(tok)
        if hit is None:
            t = _make_type(tok, _gazetteer(), profile)
            hit = cache[tok] = (t, _hashed(t, mask))
        cached.append(hit)
    types = [c[0] for c in cached]
    gold = [TAG_O] * len(spans)
    for gs, ge in sorted(gold_spans):
        inside = [k for k, (s, e) in enumerate(spans) if s < ge and e > gs]
        for n, k in enumerate(inside):
            # IO tagging: B only where a name directly follows another name.
            gold[k] = TAG_B if n == 0 and k > 0 and gold[k - 1] != TAG_O else TAG_I
    forced = [_forced_o(t) for t in types]
    gold = [TAG_O if f else g for g, f in zip(gold, forced, strict=True)]
    return _Example(_token_features(text, spans, types, [c[1] for c in cached], mask), gold, forced)


def _variants(text: str, spans: list[tuple[int, int]], key: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """The text, plus an all-capitals copy of about one in six posts (teaches shouting posts)."""
    out = [(text, spans)]
    upper = text.upper()
    if hashlib.sha256(("upper:" + key).encode()).digest()[0] < 43 and len(upper) == len(text):
        out.append((upper, spans))
    return out


def _examples(items: Iterable[Any], mask: int, profile: dict[int, int], *, augment: bool) -> list[_Example]:
    cache: dict[str, tuple[_Type, _Hashed]] = {}
    out: list[_Example] = []
    for item in items:
        spans = [(s, e) for s, e, kind in (item.spans or ()) if kind == "PERSON"]
        variants = _variants(item.text, spans, item.id) if augment else [(item.text, spans)]
        for text, sp in variants:
            out.append(_example(text, sp, mask, cache, profile))
    return out


def _fit(examples: Sequence[_Example], bits: int, epochs: int, seed: int) -> tuple[Any, Any]:
    """Averaged structured perceptron; returns (weights (2**bits, 3), transitions (4, 3))."""
    import numpy as np

    size = 1 << bits
    w = np.zeros((size, 3), dtype=np.float64)
    u = np.zeros((size, 3), dtype=np.float64)
    t = np.zeros((4, 3), dtype=np.float64)
    tu = np.zeros((4, 3), dtype=np.float64)
    flat = []
    for ex in examples:
        idx = np.fromiter((f for fs in ex.feats for f in fs), dtype=np.int64)
        starts = np.cumsum([0] + [len(fs) for fs in ex.feats[:-1]], dtype=np.int64)
        flat.append((idx, starts))
    order = list(range(len(examples)))
    rng = random.Random(seed)
    c = 1.0
    for _ in range(epochs):
        rng.shuffle(order)
        for n in order:
            ex = examples[n]
            if not ex.gold:
                continue
            idx, starts = flat[n]
            em = np.add.reduceat(w[idx], starts, axis=0).tolist()
            pred = _viterbi(em, t.tolist(), ex.forced)
            if pred != ex.gold:
                prev_g = prev_p = -1
                for k, (g, p) in enumerate(zip(ex.gold, pred, strict=True)):
                    if g != p:
                        rows = np.asarray(ex.feats[k], dtype=np.int64)
                        # Column views: ufunc.at adds repeated rows (hash collisions) in place.
                        np.add.at(w[:, g], rows, 1.0)
                        np.add.at(w[:, p], rows, -1.0)
                        np.add.at(u[:, g], rows, c)
                        np.add.at(u[:, p], rows, -c)
                    if g != p or prev_g != prev_p:
                        t[prev_g + 1, g] += 1.0
                        t[prev_p + 1, p] -= 1.0
                        tu[prev_g + 1, g] += c
                        tu[prev_p + 1, p] -= c
                    prev_g, prev_p = g, p
            c += 1.0
    return w - u / c, t - tu / c


def _corpus_texts(data: Path, corpus: Sequence[str | Path] | None) -> tuple[list[str], list[str]]:
    """Texts of the non-test rows of the corpus files, and the names of the files read."""
    from govsocial.datasets import is_test, read_jsonl, source_of

    plan: list[tuple[Path, tuple[str, ...] | None]]
    if corpus is None:
        plan = [(data.parent / name, sources) for name, sources in DEFAULT_CORPUS if (data.parent / name).exists()]
    else:
        plan = [(Path(p), None) for p in corpus]
    texts: list[str] = []
    used: list[str] = []
    for path, sources in plan:
        used.append(path.name)
        for item in read_jsonl(path):
            if not is_test(item.id) and (sources is None or source_of(item) in sources):
                texts.append(item.text)
    return texts, used


def train_names(
    data: str | Path,
    out: str | Path | None = None,
    seed: int = 0,
    *,
    epochs: int = EPOCHS,
    corpus: Sequence[str | Path] | None = None,
) -> dict[str, Any]:
    """Train the tagger on the non-test rows of ``data`` (a names JSONL file) and report.

    ``out`` is the weights file to write (``*.bin``; any other path is a directory that gets
    ``names.bin``); ``None`` writes the shipped ``classify/models/names.bin``. ``corpus`` lists JSONL files of unlabelled posts for
    the capitalisation profile (default: :data:`DEFAULT_CORPUS` beside ``data``, where present;
    ``[]`` for none); the non-test texts of ``data`` are always part of it. Returns figures per
    source on the held-out rows of ``data`` (``is_test``), the weights file and its SHA-256.
    """
    import numpy as np

    from govsocial.datasets import is_test, read_jsonl

    data = Path(data)
    items = list(read_jsonl(data, need="spans"))
    train = [it for it in items if not is_test(it.id)]
    test = [it for it in items if is_test(it.id)]
    extra, corpus_files = _corpus_texts(data, corpus)
    profile = _profile_table(_profile_count([it.text for it in train] + extra))
    mask = (1 << HASH_BITS) - 1
    examples = _examples(train, mask, profile, augment=True)
    w, t = _fit(examples, HASH_BITS, epochs, seed)
    w16 = w.astype("<f2")
    rows = np.nonzero(np.any(w16 != 0, axis=1))[0]
    # Score temperature: the median margin over O of the name tokens of the training rows, so
    # a typical name scores about 0.73 and a name at the decision boundary 0.5.
    w32 = w16.astype(np.float32)
    margins: list[float] = []
    for ex in examples:
        for fs, g in zip(ex.feats, ex.gold, strict=True):
            if g != TAG_O:
                o, b, i = w32[fs].sum(axis=0).tolist()
                margins.append(max(b, i) - o)
    margins.sort()
    temperature = round(margins[len(margins) // 2], 4) if margins else 1.0
    header = {
        "feature_version": FEATURE_VERSION,
        "hash_bits": HASH_BITS,
        "epochs": epochs,
        "seed": seed,
        "tags": ["O", "B-PERSON", "I-PERSON"],
        "transitions": [[round(float(x), 4) for x in r] for r in t],
        "temperature": temperature,
        "train_rows": len(train),
        "corpus": corpus_files,
    }
    target = Path(out) if out is not None else MODEL_PATH
    if target.is_dir() or target.suffix != ".bin":
        target = target / "names.bin"
    blob = _write_model(target, header, rows.tolist(), w16[rows].tobytes(), profile)
    tagger = NameTagger.load(target)
    return {
        "task": "names",
        "model": str(target),
        "sha256": hashlib.sha256(blob).hexdigest(),
        "bytes": len(blob),
        "train_rows": len(train),
        "test_rows": len(test),
        "corpus": corpus_files,
        "seed": seed,
        "epochs": epochs,
        "metrics": evaluate(tagger.spans, test),
    }


# --- evaluation --------------------------------------------------------------------------


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def match_spans(pred: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]], threshold: float = 0.5) -> int:
    """Number of one-to-one matches with IoU ≥ ``threshold`` (best pairs first)."""
    pairs = sorted(
        ((_iou(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold) if _iou(p, g) >= threshold),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return len(used_p)


def evaluate(find: Any, items: Iterable[Any]) -> dict[str, dict[str, float]]:
    """Span precision, recall and F1 (IoU ≥ 0.5) per source and overall (``"all"``)."""
    counts: dict[str, list[int]] = {}
    for item in items:
        gold = [(s, e) for s, e, kind in (item.spans or ()) if kind == "PERSON"]
        pred = [(s, e) for s, e, *_ in find(item.text)]
        tp = match_spans(pred, gold)
        for key in (item.source.split(":", 1)[0], "all"):
            c = counts.setdefault(key, [0, 0, 0, 0])
            c[0] += tp
            c[1] += len(pred)
            c[2] += len(gold)
            c[3] += 1
    report: dict[str, dict[str, float]] = {}
    for key, (tp, npred, ngold, rows) in sorted(counts.items()):
        p = tp / npred if npred else 0.0
        r = tp / ngold if ngold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        report[key] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "gold": ngold, "rows": rows}
    return report


# --- gazetteer compilation (offline, once) -----------------------------------------------

# Common given names and surnames of Aotearoa and the Pacific, compiled by the govsocial
# authors (names are facts; no third-party list was copied). Lower case, macrons kept.
_OWN_GIVEN_TEXT = """
    aroha anahera ariana awhina hemi hēmi hine hinewai huia kahu kauri kiri manaia mereana mere
    moana nikau nīkau ngaire paora pita rangi rawiri rāwiri rewi ropata tama tamati tāmati tane tāne
    tui tūi wiremu hohepa hōhepa mikaere matiu ariki atawhai keri kura mahina maia marama pania
    parekura ruia tipene whetu tia kaia anaru hone hōne piripi hana miriama ataahua kahurangi ihaia
    mākere sione losa tevita mele sina malia ioane siaosi lupe salote viliami sefo tavita iosefa
    tasi fetu ana sela siale losaline semisi akanesi litia vailea tomasi epeli jone seru aisea
    viliame makereta lagi
"""
_OWN_GIVEN = tuple(_OWN_GIVEN_TEXT.split())
_OWN_SURNAMES_TEXT = """
    ngata parata tamihana henare hēnare rangihau tapsell waititi takerei karaka paewai kereama
    manuera ruatapu wihongi tuhiwai horomona rata parore tipoki whaanga hohaia herangi rewiti
    poutama tawhiri latu fifita taufa vaifale faleolo tuilagi fonoti tuiasosopo mulitalo fuimaono
    leota tupou vaipulu tuipulotu havili naufahu sopoaga taumalolo
"""
_OWN_SURNAMES = tuple(_OWN_SURNAMES_TEXT.split())


def compile_gazetteer(
    census_dir: str | Path, faker_dir: str | Path, out: str | Path = GAZETTEER_PATH, *, surnames: int = 20000
) -> int:
    """Write the gazetteer from the ``names`` 0.3.0 sdist (US Census 1990 lists, public domain)
    and the ``faker`` wheel (MIT) unpacked in ``census_dir`` and ``faker_dir``; returns its size.
    """
    import importlib
    import pkgutil
    import sys

    latin = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-žḀ-ỿ][A-Za-zÀ-ÖØ-öø-ÿĀ-žḀ-ỿ'’-]{1,29}$")
    first: set[str] = set()
    last: set[str] = set()

    def add(bucket: set[str], name: object) -> None:
        for part in str(name).split():
            if latin.match(part):
                bucket.add(part.lower())

    census = Path(census_dir)
    for fn in ("dist.male.first", "dist.female.first"):
        for line in (census / fn).read_text().splitlines():
            add(first, line.split()[0])
    for n, line in enumerate((census / "dist.all.last").read_text().splitlines()):
        if n >= surnames:
            break
        add(last, line.split()[0])
    sys.path.insert(0, str(faker_dir))
    try:
        providers = importlib.import_module("faker.providers.person")
        for m in sorted(pkgutil.iter_modules(providers.__path__), key=lambda m: m.name):
            provider = importlib.import_module(f"faker.providers.person.{m.name}").Provider
            for attr, bucket in (
                ("first_names", first),
                ("first_names_male", first),
                ("first_names_female", first),
                ("first_names_nonbinary", first),
                ("last_names", last),
                ("last_names_male", last),
                ("last_names_female", last),
            ):
                value = getattr(provider, attr, None)
                if value and not isinstance(value, property):
                    for name in value:
                        add(bucket, name)
    finally:
        sys.path.remove(str(faker_dir))
    first.update(_OWN_GIVEN)
    last.update(_OWN_SURNAMES)
    lines = [
        "# Given names (F) and surnames (L), lower case. Compiled by govsocial.classify.names.compile_gazetteer",
        "# from: US Census 1990 name lists (public domain) as packaged in `names` 0.3.0 (MIT);",
        "# Faker person providers (MIT, (c) 2012 Daniele Faraglia); names of Aotearoa and the Pacific",
        "# listed by the govsocial authors. See names.md.",
    ]
    lines += [f"{k}\t{'F' if k in first else ''}{'L' if k in last else ''}" for k in sorted(first | last)]
    Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(first | last)


def is_given_name(word: str) -> bool:
    """Whether ``word`` is in the gazetteer's given names (case-insensitive)."""
    return "F" in _gazetteer().get(word.lower(), "")
