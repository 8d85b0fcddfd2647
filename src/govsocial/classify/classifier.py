"""Loading shipped (or retrained) weights and scoring texts with them.

Model files are ``<task>.<tier>.npz`` (no pickles) in the first of these folders that has
one: ``$GOVSOCIAL_MODEL_DIR`` (an agency's own retrained models), then the package's
``models/`` folder. Each holds a JSON ``meta`` entry (labels, tier, feature version,
decision threshold, held-out figures) and the arrays below.

- **fast**: ``weights`` (float16, ``(2**HASH_BITS, cols)``: one column for binary tasks, the
  logit of the positive label; one per label otherwise) and ``bias``.
  The raw logit ``z`` is the dot product of the post's hashed features with the weights.
- **accurate**: ``coef`` (float32, ``(384 [+ fast logits], k)``) and ``bias`` over the
  sentence embedding, optionally followed by the fast tier's raw logits (stacking).

Both then share the output layer: binary tasks map ``z`` through Platt scaling
(``calib = [a, b]``, ``p = sigmoid(a·z + b)``, fitted on out-of-fold predictions) and decide
with ``threshold``; multi-class tasks add per-label ``offsets`` (tuned on out-of-fold
predictions for the task's metric) before the softmax, and decide by the largest probability.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from govsocial.classify import features
from govsocial.classify.tasks import TaskSpec, task_spec
from govsocial.errors import UsageError

__all__ = [
    "MODEL_DIR",
    "TIERS",
    "AccurateClassifier",
    "FastClassifier",
    "ModelNotFoundError",
    "TextClassifier",
    "load_classifier",
    "model_dirs",
    "model_path",
]

MODEL_DIR = Path(__file__).parent / "models"
TIERS = ("fast", "accurate")
#: Bumped when the file layout changes.
FORMAT_VERSION = 1


class ModelNotFoundError(UsageError):
    """No weights for a task and tier: the message names the command that creates them."""


def model_dirs() -> list[Path]:
    """Folders searched for model files, first match wins."""
    dirs = []
    env = os.environ.get("GOVSOCIAL_MODEL_DIR")
    if env:
        dirs.append(Path(env))
    dirs.append(MODEL_DIR)
    return dirs


def model_path(task: str, tier: str, directory: Path | None = None) -> Path:
    return (directory or MODEL_DIR) / f"{task}.{tier}.npz"


def check_tier(tier: str) -> None:
    if tier not in TIERS:
        raise UsageError(f"unknown tier {tier!r}; tiers: {', '.join(TIERS)}")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 0.5 * (1.0 + np.tanh(0.5 * x))  # overflow-free logistic
    return out


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


def read_meta(data: Any) -> dict[str, Any]:
    meta: dict[str, Any] = json.loads(str(data["meta"]))
    return meta


class TextClassifier:
    """A trained classifier for one task and tier (see the module docstring)."""

    task: str
    tier: str
    labels: tuple[str, ...]
    positive: str | None
    #: Probability of ``positive`` from which ``predict`` says ``positive`` (binary tasks).
    threshold: float | None
    meta: dict[str, Any]

    def __init__(self, spec: TaskSpec, tier: str, meta: dict[str, Any], data: Any) -> None:
        self.spec = spec
        self.task = spec.name
        self.tier = tier
        self.meta = meta
        self.labels = tuple(meta["labels"])
        if self.labels != spec.labels:
            raise UsageError(f"model for task {spec.name!r} has labels {self.labels}, expected {spec.labels}")
        self.positive = spec.positive
        self._binary = len(self.labels) == 2
        self.bias = np.asarray(data["bias"], dtype=np.float64)
        if self._binary:
            calib = np.asarray(data["calib"], dtype=np.float64)
            self._a, self._b = float(calib[0]), float(calib[1])
            self.threshold = float(meta["threshold"])
            self.offsets = np.zeros(0)
        else:
            self._a, self._b = 1.0, 0.0
            self.threshold = None
            self.offsets = np.asarray(data["offsets"], dtype=np.float64)
        score_label = spec.score_label
        self._score_col = self.labels.index(score_label) if score_label else -1

    # -- subclasses provide raw logits: (n,) for binary tasks, (n, k) otherwise
    def logits(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def probs_from_logits(self, z: np.ndarray) -> np.ndarray:
        if self._binary:
            p = _sigmoid(self._a * z + self._b)
            return np.stack([p, 1.0 - p], axis=1)
        return _softmax(z + self.offsets)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities ``(len(texts), len(labels))``, columns in the order of ``labels``."""
        if isinstance(texts, str):
            raise TypeError("predict_proba takes a sequence of texts, not one string")
        if not len(texts):
            return np.zeros((0, len(self.labels)))
        return self.probs_from_logits(self.logits(texts))

    def decide(self, proba: np.ndarray) -> list[str]:
        if self._binary:
            assert self.threshold is not None
            pos, neg = self.labels
            return [pos if p >= self.threshold else neg for p in proba[:, 0]]
        return [self.labels[i] for i in proba.argmax(axis=1)]

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The decided label of each text (threshold or largest probability)."""
        return self.decide(self.predict_proba(texts))

    def score(self, text: str) -> float:
        """Probability of the task's score label (``positive``; ``negative`` for sentiment)."""
        if self._score_col < 0:
            raise UsageError(f"task {self.task!r} has {len(self.labels)} labels and no single score; use predict_proba")
        return float(self.predict_proba([text])[0, self._score_col])

    def __repr__(self) -> str:
        return f"<{type(self).__name__} task={self.task!r} labels={self.labels!r}>"


class FastClassifier(TextClassifier):
    """Hashed word and character n-grams, linear weights; numpy only."""

    def __init__(self, spec: TaskSpec, meta: dict[str, Any], data: Any) -> None:
        super().__init__(spec, "fast", meta, data)
        if meta.get("feature_version") != features.FEATURE_VERSION or meta.get("hash_bits") != features.HASH_BITS:
            raise UsageError(
                f"the fast model for {spec.name!r} was trained with other features; retrain it: "
                f"{train_command(spec.name, 'fast')}"
            )
        dense = np.asarray(data["weights"], dtype=np.float32)
        if dense.ndim != 2 or dense.shape[0] != features.N_FEATURES:
            raise UsageError(f"the fast model for {spec.name!r} has weights of shape {dense.shape}")
        # Binary tasks keep one contiguous vector: the single-text path is one gather and a dot.
        self._w: np.ndarray = np.ascontiguousarray(dense[:, 0]) if self._binary else dense
        self._b0 = float(self.bias[0]) if self._binary else 0.0

    @property
    def weight_matrix(self) -> np.ndarray:
        """The weights as ``(N_FEATURES, columns)`` float32 (a view; one column for binary tasks)."""
        w: np.ndarray = self._w[:, None] if self._binary else self._w
        return w

    @property
    def logit_bias(self) -> np.ndarray:
        """What :meth:`logits` adds to the features' dot product: ``(columns,)``."""
        return np.array([self._b0]) if self._binary else self.bias

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        indptr, idx, vals = features.batch_rows(texts)
        n = len(texts)
        seg = np.repeat(np.arange(n), np.diff(indptr))
        if self._binary:
            z: np.ndarray = np.bincount(seg, weights=self._w[idx] * vals, minlength=n) + self._b0
            return z
        contrib = self._w[idx] * vals[:, None]
        out = np.empty((n, self._w.shape[1]))
        for j in range(self._w.shape[1]):
            out[:, j] = np.bincount(seg, weights=contrib[:, j], minlength=n)
        return out + self.bias

    def score(self, text: str) -> float:
        if not self._binary:
            return super().score(text)
        rows, vals = features.featurize(text)
        z = float(np.dot(self._w[rows], vals)) + self._b0
        x = self._a * z + self._b
        p = 1.0 / (1.0 + math.exp(-x)) if x > -700 else 0.0
        return p if self._score_col == 0 else 1.0 - p


class AccurateClassifier(TextClassifier):
    """A logistic-regression head over all-MiniLM-L6-v2 sentence embeddings (torch, lazily)."""

    def __init__(self, spec: TaskSpec, meta: dict[str, Any], data: Any, fast: TextClassifier | None = None) -> None:
        super().__init__(spec, "accurate", meta, data)
        self.coef = np.asarray(data["coef"], dtype=np.float64)
        self.uses_fast = bool(meta.get("uses_fast", False))
        if self.uses_fast and fast is None:
            raise UsageError(f"the accurate model for {spec.name!r} needs its fast model beside it")
        self._fast = fast if self.uses_fast else None
        #: Training turns this on to reuse embeddings of its data; scoring never writes texts to disk.
        self.use_embedding_cache = False

    def inputs(self, texts: Sequence[str]) -> np.ndarray:
        from govsocial.classify.embed import embed

        # No disk cache by default: drafts and incoming messages must not be written anywhere.
        x = embed(texts, use_cache=self.use_embedding_cache).astype(np.float64)
        if self._fast is not None:
            fz = self._fast.logits(texts)
            x = np.hstack([x, fz.reshape(len(texts), -1)])
        return x

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        z = self.inputs(texts) @ self.coef + self.bias
        out: np.ndarray = z[:, 0] if self._binary else z
        return out


def train_command(task: str, tier: str) -> str:
    tier_opt = "" if tier == "fast" else f" --tier {tier}"
    return f"govsocial train --task {task} --data ../shared/data/dev/{task}.jsonl{tier_opt}"


def load_classifier(task: str, tier: str = "fast", directory: Path | None = None) -> TextClassifier:
    """Read a model file (not cached; see ``get_classifier``)."""
    spec = task_spec(task)
    check_tier(tier)
    candidates = [model_path(task, tier, directory)] if directory else [model_path(task, tier, d) for d in model_dirs()]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise ModelNotFoundError(
            f"no {tier} model for task {task!r} (looked for {', '.join(str(p) for p in candidates)}); "
            f"create it with: {train_command(task, tier)}"
        )
    try:
        with np.load(path, allow_pickle=False) as npz:
            data = {k: npz[k] for k in npz.files}
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: not a readable model file ({exc})") from None
    meta = read_meta(data)
    if meta.get("format") != FORMAT_VERSION or meta.get("task") != task or meta.get("tier") != tier:
        raise UsageError(f"{path}: not a {tier} model for {task!r} in format {FORMAT_VERSION}")
    if tier == "fast":
        return FastClassifier(spec, meta, data)
    fast = load_classifier(task, "fast", path.parent) if meta.get("uses_fast") else None
    return AccurateClassifier(spec, meta, data, fast=fast)
