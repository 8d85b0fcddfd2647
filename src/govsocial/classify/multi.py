"""Scoring several fast-tier models over many texts with one featurisation (inbox triage).

Each :class:`~govsocial.classify.classifier.FastClassifier` featurises its texts itself; a
message triaged for abuse, complaint, misinformation, crisis, sentiment and partisanship would
be tokenised six times. :class:`MultiScorer` tokenises each text once and scores every model
in the same pass::

    texts ──tokens──► word-type ids ─┬─ unigram rows, bigram rows (vectorised, uint64)
                                     └─ character n-gram rows ──► Σ weights per word type (cached)
                                              │
            weights of all models side by side (N_FEATURES × Σ columns, float32)
                                              ▼
             per text: (Σ W[word] + Σ W[bigram] + W[end] + CHAR_WEIGHT · Σ CS[word]) / norm + bias

The features are those of :func:`govsocial.classify.features.featurize` (the same rows and the
same unit-length scaling), so the probabilities equal each classifier's ``predict_proba`` up to
float rounding (a test holds them within 1e-5). A word type's character n-grams always add the
same weights, so their sum is computed once per word type and kept (``max_words`` types, then
the table starts again): a stream of messages costs about one dictionary look-up per token.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from govsocial.classify import features
from govsocial.classify.classifier import FastClassifier, TextClassifier

__all__ = ["MultiScorer", "multi_scorer"]

_U64 = (1 << 64) - 1
_MASK = np.uint64(features.N_FEATURES - 1)
_SHIFT = np.uint64(7)
_START = np.uint64(features.BIGRAM_START & _U64)
_END = np.uint64(features.BIGRAM_END & _U64)


class MultiScorer:
    """Probabilities of several fast-tier classifiers for a batch of texts (see the module docstring)."""

    def __init__(self, classifiers: Sequence[TextClassifier], *, max_words: int = 300_000) -> None:
        fast = [c for c in classifiers if isinstance(c, FastClassifier)]
        if len(fast) != len(classifiers):
            raise TypeError("MultiScorer takes fast-tier classifiers only")
        self.classifiers: tuple[FastClassifier, ...] = tuple(fast)
        self.tasks = tuple(c.task for c in fast)
        self._cols: list[tuple[int, int]] = []
        start = 0
        for c in fast:
            k = c.weight_matrix.shape[1]
            self._cols.append((start, start + k))
            start += k
        self._w = np.ascontiguousarray(np.hstack([c.weight_matrix for c in fast]).astype(np.float32))
        self._bias = np.concatenate([c.logit_bias for c in fast]).astype(np.float64)
        self._max_words = max_words
        # The word table grows while scoring: one batch at a time (web servers may use threads).
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._ids: dict[str, int] = {}
        cap = 1024
        self._uni = np.zeros(cap, dtype=np.int64)
        self._left = np.zeros(cap, dtype=np.uint64)
        self._right = np.zeros(cap, dtype=np.uint64)
        self._nchars = np.zeros(cap, dtype=np.float64)
        self._chars = np.zeros((cap, self._w.shape[1]), dtype=np.float32)

    def _grow(self, need: int) -> None:
        cap = len(self._uni)
        if need <= cap:
            return
        while cap < need:
            cap *= 2
        self._uni = np.resize(self._uni, cap)
        self._left = np.resize(self._left, cap)
        self._right = np.resize(self._right, cap)
        self._nchars = np.resize(self._nchars, cap)
        chars = np.zeros((cap, self._w.shape[1]), dtype=np.float32)
        chars[: len(self._chars)] = self._chars
        self._chars = chars

    def _add_words(self, words: list[str], first: int) -> None:
        self._grow(first + len(words))
        uni: list[int] = []
        left: list[int] = []
        right: list[int] = []
        nchars: list[int] = []
        rows: list[int] = []
        lengths: list[int] = []
        for tok in words:
            u, lft, rgt, chars = features.word_rows(tok)
            uni.append(u)
            left.append(lft & _U64)
            right.append(rgt & _U64)
            nchars.append(len(chars))
            rows.extend(chars)
            lengths.append(len(chars))
        end = first + len(words)
        self._uni[first:end] = uni
        self._left[first:end] = np.array(left, dtype=np.uint64)
        self._right[first:end] = np.array(right, dtype=np.uint64)
        self._nchars[first:end] = nchars
        lens = np.array(lengths, dtype=np.int64)
        has = lens > 0
        if rows:
            gathered = self._w[np.array(rows, dtype=np.int64)]
            offsets = np.concatenate(([0], np.cumsum(lens)[:-1]))[has]
            self._chars[first:end][has] = np.add.reduceat(gathered, offsets, axis=0)
        self._chars[first:end][~has] = 0.0

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Raw logits ``(len(texts), columns)``: each model's columns in the order of ``tasks``."""
        if isinstance(texts, str):
            raise TypeError("logits takes a sequence of texts, not one string")
        with self._lock:
            return self._logits(texts)

    def _logits(self, texts: Sequence[str]) -> np.ndarray:
        n = len(texts)
        if len(self._ids) > self._max_words:
            self._reset()
        ids_map = self._ids
        get = ids_map.get
        new: list[str] = []
        first_new = len(ids_map)
        ids: list[int] = []
        counts = np.zeros(n, dtype=np.int64)
        for i, text in enumerate(texts):
            toks = features.tokens(text)
            counts[i] = len(toks)
            for tok in toks:
                k = get(tok)
                if k is None:
                    k = ids_map[tok] = len(ids_map)
                    new.append(tok)
                ids.append(k)
        if new:
            self._add_words(new, first_new)
        out = np.tile(self._bias, (n, 1))
        if not ids:
            return out
        idx = np.array(ids, dtype=np.int64)
        nonempty = counts > 0
        ends = np.cumsum(counts)
        starts = ends - counts
        starts_ne, ends_ne = starts[nonempty], ends[nonempty]
        left = self._left[idx]
        prev = np.empty_like(left)
        prev[1:] = left[:-1]
        prev[starts_ne] = _START
        bigram = ((prev ^ self._right[idx]) >> _SHIFT) & _MASK
        end_rows = ((left[ends_ne - 1] ^ _END) >> _SHIFT) & _MASK
        w = self._w
        per_token = w[self._uni[idx]] + w[bigram.astype(np.int64)]
        per_token += np.float32(features.CHAR_WEIGHT) * self._chars[idx]
        sums = np.add.reduceat(per_token, starts_ne, axis=0).astype(np.float64) + w[end_rows.astype(np.int64)]
        n_chars = np.add.reduceat(self._nchars[idx], starts_ne)
        norm = np.sqrt(2.0 * counts[nonempty] + 1.0 + features.CHAR_WEIGHT**2 * n_chars)
        out[nonempty] += sums / norm[:, None]
        return out

    def predict_proba(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Each task's probabilities ``(len(texts), len(labels))``, as its ``predict_proba`` gives them."""
        z = self.logits(texts)
        out: dict[str, np.ndarray] = {}
        for clf, (a, b) in zip(self.classifiers, self._cols, strict=True):
            part = z[:, a] if b - a == 1 else z[:, a:b]
            out[clf.task] = clf.probs_from_logits(part) if len(texts) else np.zeros((0, len(clf.labels)))
        return out


@lru_cache(maxsize=8)
def multi_scorer(tasks: tuple[str, ...]) -> MultiScorer:
    """The shared scorer for these fast-tier tasks (built once per process)."""
    from govsocial.classify import get_classifier

    return MultiScorer([get_classifier(t, "fast") for t in tasks])
