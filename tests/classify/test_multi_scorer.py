"""Scoring several fast models with one featurisation gives what each model gives alone."""

from __future__ import annotations

import numpy as np
import pytest

from govsocial.classify import get_classifier
from govsocial.classify.multi import MultiScorer, multi_scorer

TASKS = ("abuse", "complaint", "misinformation", "partisan", "crisis", "sentiment")
TEXTS = [
    "When will the pool reopen after the repairs?",
    "@council the bins were not collected AGAIN this week!!! Sooooo annoying https://example.org/x",
    "",
    "   ",
    "!",
    "Kia ora koutou, ngā mihi nui",
    "Thanks team 🙂 #ThankYou #Community",
    "Open 9am to 5pm on weekdays; call 0800 123 456",
    "a",
]


def test_when_many_models_score_together_then_each_matches_its_own_predict_proba() -> None:
    scorer = MultiScorer([get_classifier(t) for t in TASKS])
    together = scorer.predict_proba(TEXTS)
    for task in TASKS:
        alone = get_classifier(task).predict_proba(TEXTS)
        assert together[task].shape == alone.shape
        assert np.allclose(together[task], alone, atol=1e-5), task


def test_when_the_word_table_fills_up_then_it_starts_again_with_the_same_results() -> None:
    small = MultiScorer([get_classifier("abuse"), get_classifier("sentiment")], max_words=5)
    first = small.predict_proba(TEXTS)
    again = small.predict_proba(list(reversed(TEXTS)))
    for task in ("abuse", "sentiment"):
        assert np.allclose(first[task], again[task][::-1], atol=1e-6)


def test_when_no_texts_are_given_then_shapes_are_empty() -> None:
    out = multi_scorer(("abuse", "crisis")).predict_proba([])
    assert out["abuse"].shape == (0, 2)
    assert out["crisis"].shape == (0, 10)


def test_when_one_string_is_given_then_it_is_refused() -> None:
    with pytest.raises(TypeError):
        multi_scorer(("abuse",)).logits("one text")  # type: ignore[arg-type]
