"""The documented interface of govsocial.classify, on the shipped fast models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from govsocial.classify import TASKS, get_classifier, score_text
from govsocial.classify.classifier import ModelNotFoundError, load_classifier
from govsocial.errors import UsageError

FINE_POST = "Our libraries are open from 9am to 5pm."
BINARY = [t for t, spec in TASKS.items() if spec.binary]


@pytest.mark.parametrize("task", list(TASKS))
def test_when_shipped_fast_model_scores_texts_then_shapes_and_labels_match(task: str) -> None:
    clf = get_classifier(task)
    texts = [FINE_POST, "", "This is the worst service ever!!! @someone http://example.org"]
    proba = clf.predict_proba(texts)
    assert clf.task == task
    assert clf.labels == TASKS[task].labels
    assert proba.shape == (3, len(clf.labels))
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert np.all((proba >= 0) & (proba <= 1))
    predicted = clf.predict(texts)
    assert len(predicted) == 3
    assert set(predicted) <= set(clf.labels)
    assert clf.predict_proba([]).shape == (0, len(clf.labels))


@pytest.mark.parametrize("task", BINARY)
def test_when_task_is_binary_then_positive_label_and_threshold_are_set(task: str) -> None:
    clf = get_classifier(task)
    assert clf.positive == clf.labels[0]
    assert clf.threshold is not None
    assert 0.0 < clf.threshold < 1.0


@pytest.mark.parametrize("task", BINARY)
def test_when_one_text_is_scored_then_it_equals_the_batch_probability(task: str) -> None:
    text = "Nobody answers the phone at your office, it is a disgrace"
    single = score_text(task, text)
    batch = get_classifier(task).predict_proba([text, FINE_POST])[0, 0]
    assert single == pytest.approx(float(batch), abs=1e-6)


def test_when_classifier_is_asked_twice_then_it_is_the_same_object() -> None:
    assert get_classifier("abuse") is get_classifier("abuse", "fast")


def test_when_post_is_plainly_fine_then_abuse_probability_is_low() -> None:
    assert score_text("abuse", FINE_POST) < 0.2
    assert get_classifier("abuse").predict([FINE_POST]) == ["ok"]


def test_when_sentiment_is_scored_then_it_is_the_probability_of_negative() -> None:
    clf = get_classifier("sentiment")
    text = "I love the new cycle lanes, thank you!"
    assert score_text("sentiment", text) == pytest.approx(float(clf.predict_proba([text])[0, 0]), abs=1e-6)


def test_when_task_is_unknown_then_usage_error_names_the_tasks() -> None:
    with pytest.raises(UsageError, match=r"unknown task 'x'; tasks: abuse, partisan"):
        get_classifier("x")
    with pytest.raises(UsageError, match=r"unknown task 'x'"):
        score_text("x", "text")


def test_when_tier_is_unknown_then_usage_error_names_the_tiers() -> None:
    with pytest.raises(UsageError, match=r"unknown tier 'slow'; tiers: fast, accurate"):
        get_classifier("abuse", "slow")


def test_when_task_has_no_single_score_then_score_text_says_so() -> None:
    with pytest.raises(UsageError, match="predict_proba"):
        score_text("crisis", "Bridge closed after the flood")


def test_when_model_file_is_missing_then_error_names_the_train_command(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"govsocial train --task abuse --data \S*abuse\.jsonl"):
        load_classifier("abuse", "fast", tmp_path)
    with pytest.raises(ModelNotFoundError, match=r"--tier accurate"):
        load_classifier("crisis", "accurate", tmp_path)


def test_when_model_dir_is_set_then_it_is_searched_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVSOCIAL_MODEL_DIR", str(tmp_path))
    clf = load_classifier("complaint", "fast")  # not in tmp_path: falls back to the shipped one
    assert clf.task == "complaint"


def test_when_one_string_is_passed_to_predict_proba_then_type_error() -> None:
    with pytest.raises(TypeError):
        get_classifier("abuse").predict_proba("a single string")  # type: ignore[arg-type]
