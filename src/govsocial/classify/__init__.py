"""Text classifiers behind the judgement rules and inbox triage.

Interface (stable; rules and the evaluation command use only this):

- ``score_text(task, text) -> float``: probability of the task's positive label with the
  default (fast) tier, for rules (``abuse``, ``partisan``...).
- ``get_classifier(task, tier="fast") -> TextClassifier`` with ``labels`` and
  ``predict_proba(texts) -> numpy array (n, len(labels))`` and ``predict(texts) -> list[str]``.
"""
