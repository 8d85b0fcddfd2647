"""Which baselines each task gets, and how a missing baseline package is reported."""

from __future__ import annotations

import pytest

from govsocial.datasets import Item
from govsocial.evaluation import baselines
from govsocial.evaluation.tasks import PII_TYPES, get_task


def _train() -> list[Item]:
    return [Item(id=f"t{i}", text=f"text {i}", source="gen", label="abusive" if i % 2 else "ok") for i in range(10)]


def _names(found: list[object]) -> list[str]:
    return [str(getattr(b, "name", "")) for b in found]


def test_abuse_gets_profanity_check_and_tfidf_on_held_out_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(baselines, "_importable", lambda module: True)
    found = baselines.baselines_for(get_task("abuse"), _train(), held_out=True)
    assert _names(found) == ["alt-profanity-check", "TF-IDF + LR"]
    assert isinstance(found[1], baselines.TfidfLogisticBaseline)
    assert found[1].train_rows == 10


def test_sentiment_gets_vader_and_tfidf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(baselines, "_importable", lambda module: True)
    found = baselines.baselines_for(get_task("sentiment"), _train(), held_out=True)
    assert _names(found) == ["VADER", "TF-IDF + LR"]


def test_span_tasks_get_presidio_limited_to_the_task_types(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(baselines, "_importable", lambda module: True)
    (names,) = baselines.baselines_for(get_task("names"), [], held_out=True)
    assert isinstance(names, baselines.PresidioBaseline)
    assert names.entities == ["PERSON"]
    (pii,) = baselines.baselines_for(get_task("pii"), [], held_out=True)
    assert isinstance(pii, baselines.PresidioBaseline)
    assert pii.entities == sorted(PII_TYPES)


def test_official_posts_has_no_baseline() -> None:
    assert baselines.baselines_for(get_task("official_posts"), [], held_out=True) == []


def test_when_packages_are_missing_then_baselines_are_unavailable_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(baselines, "_importable", lambda module: False)
    found = baselines.baselines_for(get_task("abuse"), _train(), held_out=True)
    assert all(isinstance(b, baselines.Unavailable) for b in found)
    assert "requirements/bench.txt" in found[0].reason  # type: ignore[union-attr]
    (presidio,) = baselines.baselines_for(get_task("pii"), [], held_out=True)
    assert isinstance(presidio, baselines.Unavailable)


def test_when_not_held_out_then_tfidf_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(baselines, "_importable", lambda module: True)
    (tfidf,) = baselines.baselines_for(get_task("partisan"), _train(), held_out=False)
    assert isinstance(tfidf, baselines.Unavailable)
    assert "--split test" in tfidf.reason


def test_when_training_rows_have_one_label_then_tfidf_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(baselines, "_importable", lambda module: True)
    one = [Item(id="a", text="x", source="s", label="ok")]
    (tfidf,) = baselines.baselines_for(get_task("partisan"), one, held_out=True)
    assert isinstance(tfidf, baselines.Unavailable)


def test_vader_maps_compound_scores_to_three_labels() -> None:
    pytest.importorskip("vaderSentiment")
    vader = baselines.VaderBaseline()
    vader.load()
    assert vader.predict(["I love this, wonderful!", "This is terrible and awful.", "The meeting is at noon."]) == [
        "positive",
        "negative",
        "neutral",
    ]


def test_tfidf_learns_generated_words() -> None:
    pytest.importorskip("sklearn")
    train = [
        Item(
            id=f"t{i}",
            text=f"{'awful nasty' if i % 2 else 'lovely sunny'} day {i}",
            source="g",
            label="abusive" if i % 2 else "ok",
        )
        for i in range(40)
    ]
    model = baselines.TfidfLogisticBaseline(train)
    model.load()
    assert model.predict(["an awful nasty thing", "a lovely sunny walk"]) == ["abusive", "ok"]
