"""Text classifiers behind the judgement rules and inbox triage.

Interface (stable; rules and the evaluation command use only this):

- ``score_text(task, text) -> float``: probability of the task's positive label with the
  default (fast) tier, for rules (``abuse``, ``partisan``...); for ``sentiment`` the
  probability of ``negative``. Compare it with ``get_classifier(task).threshold`` (the
  decision point chosen on validation predictions) or a stricter bar of your own.
- ``get_classifier(task, tier="fast") -> TextClassifier`` (cached) with ``task``, ``labels``,
  ``positive`` (binary tasks), ``threshold``, ``predict_proba(texts) -> numpy array
  (n, len(labels))`` and ``predict(texts) -> list[str]``.

Tasks: ``abuse``, ``partisan``, ``complaint``, ``misinformation``, ``crisis``, ``sentiment``.
Tiers: ``fast`` (hashed n-grams, numpy only, shipped) and ``accurate`` (all-MiniLM-L6-v2
sentence embeddings; needs the ``accurate`` extra, imports torch only when first used).

Layout::

    tasks.py       labels, positive label, metric and training settings per task
    features.py    text normalisation and hashed n-gram features (fast tier)
    embed.py       sentence embeddings and their training cache (accurate tier, lazy torch)
    classifier.py  model files → TextClassifier (FastClassifier, AccurateClassifier)
    multi.py       MultiScorer: several fast models over a batch with one featurisation (inbox)
    training.py    ``govsocial train``: cross-validated fitting, thresholds, model cards
    models/        <task>.<tier>.npz weights and <task>.md model cards
"""

from __future__ import annotations

from functools import lru_cache

from govsocial.classify.classifier import ModelNotFoundError, TextClassifier, check_tier, load_classifier
from govsocial.classify.tasks import TASKS, task_spec

__all__ = ["TASKS", "ModelNotFoundError", "TextClassifier", "get_classifier", "score_text"]


@lru_cache(maxsize=32)
def _cached(task: str, tier: str) -> TextClassifier:
    return load_classifier(task, tier)


def get_classifier(task: str, tier: str = "fast") -> TextClassifier:
    """The trained classifier for ``task`` (loaded once per process)."""
    task_spec(task)  # unknown task → UsageError naming the tasks
    check_tier(tier)
    return _cached(task, tier)


@lru_cache(maxsize=65536)
def _score(task: str, text: str) -> float:
    return _cached(task, "fast").score(text)


def score_text(task: str, text: str) -> float:
    """Fast-tier probability of ``task``'s positive label (``negative`` for sentiment) for one text."""
    if task not in TASKS:
        task_spec(task)
    return _score(task, text)
