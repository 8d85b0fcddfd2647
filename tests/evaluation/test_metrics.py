"""Label and span metrics on small hand-computed examples."""

from __future__ import annotations

import pytest

from govsocial.evaluation.metrics import f_beta, iou, label_scores, match_spans, span_scores


def test_when_binary_labels_then_positive_class_precision_recall_f1_are_hand_computed() -> None:
    gold = ["abusive", "abusive", "abusive", "ok", "ok"]
    pred = ["abusive", "ok", "abusive", "abusive", "ok"]
    s = label_scores(gold, pred, positive="abusive")
    # TP 2, FP 1, FN 1.
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(2 / 3)
    # ok: TP 1, FP 1, FN 1 -> F1 0.5; macro = (2/3 + 1/2) / 2.
    assert s.macro_f1 == pytest.approx((2 / 3 + 0.5) / 2)
    assert s.macro_recall == pytest.approx((2 / 3 + 1 / 2) / 2)
    assert s.accuracy == pytest.approx(3 / 5)
    assert s.n == 5


def test_when_a_label_is_absent_from_gold_and_predictions_then_macro_f1_leaves_it_out() -> None:
    # "positive" never occurs: it must not drag macro-F1 down.
    s = label_scores(["negative", "neutral"], ["negative", "neutral"], positive="negative")
    assert s.macro_f1 == pytest.approx(1.0)
    assert set(s.per_label) == {"negative", "neutral"}


def test_when_a_label_is_predicted_but_never_true_then_it_counts_zero_in_macro_f1_not_in_macro_recall() -> None:
    s = label_scores(["a", "a", "b"], ["a", "c", "b"])
    # a: P 1, R 1/2, F1 2/3; b: F1 1; c: F1 0 (never true).
    assert s.macro_f1 == pytest.approx((2 / 3 + 1 + 0) / 3)
    # recall averages only labels that occur in gold: (1/2 + 1) / 2.
    assert s.macro_recall == pytest.approx(0.75)
    assert s.per_label["c"]["recall"] is None


def test_when_the_positive_class_is_never_true_nor_predicted_then_its_scores_are_undefined() -> None:
    s = label_scores(["ok", "ok"], ["ok", "ok"], positive="abusive")
    assert s.precision is None
    assert s.recall is None
    assert s.f1 is None


def test_when_positive_is_never_predicted_then_precision_is_undefined_and_f1_zero() -> None:
    s = label_scores(["abusive", "ok"], ["ok", "ok"], positive="abusive")
    assert s.precision is None
    assert s.recall == 0.0
    assert s.f1 == 0.0


def test_when_lengths_differ_then_value_error() -> None:
    with pytest.raises(ValueError, match="2 gold labels but 1"):
        label_scores(["a", "b"], ["a"])


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 10), (0, 10), 1.0),
        ((0, 10), (5, 15), 5 / 15),
        ((0, 10), (0, 5), 0.5),
        ((0, 10), (10, 20), 0.0),  # touching, no overlap
        ((0, 0), (0, 10), 0.0),  # empty span
        ((3, 7), (0, 10), 0.4),
    ],
)
def test_iou_of_ranges(a: tuple[int, int], b: tuple[int, int], expected: float) -> None:
    assert iou(a, b) == pytest.approx(expected)


def test_when_iou_is_exactly_one_half_then_spans_match() -> None:
    assert match_spans([(0, 10, "PERSON")], [(0, 5, "PERSON")]) == [(0, 0)]


def test_when_iou_is_just_below_one_half_then_spans_do_not_match() -> None:
    assert match_spans([(0, 10, "PERSON")], [(0, 4, "PERSON")]) == []


def test_when_types_differ_then_no_match_unless_untyped() -> None:
    assert match_spans([(0, 10, "PERSON")], [(0, 10, "EMAIL_ADDRESS")]) == []
    assert match_spans([(0, 10, "PERSON")], [(0, 10, "EMAIL_ADDRESS")], typed=False) == [(0, 0)]


def test_when_two_predictions_overlap_one_gold_span_then_only_the_best_matches() -> None:
    gold = [(0, 10, "PERSON")]
    pred = [(0, 6, "PERSON"), (0, 9, "PERSON")]
    assert match_spans(gold, pred) == [(0, 1)]
    s = span_scores([gold], [pred])
    assert (s.matched, s.predicted, s.gold) == (1, 2, 1)
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(1.0)


def test_when_one_prediction_covers_two_gold_spans_then_it_matches_at_most_one() -> None:
    gold = [(0, 4, "PERSON"), (5, 9, "PERSON")]
    pred = [(0, 9, "PERSON")]
    # IoU with each gold span is 4/9 < 0.5: no match at all.
    assert match_spans(gold, pred) == []
    # A prediction close to the first gold span matches it alone.
    assert match_spans(gold, [(0, 5, "PERSON")]) == [(0, 0)]


def test_span_scores_f1_and_f2_are_hand_computed() -> None:
    gold = [[(0, 5, "PERSON"), (10, 15, "PERSON")], [(0, 3, "PERSON")], []]
    pred = [[(0, 5, "PERSON")], [], [(2, 6, "PERSON")]]
    s = span_scores(gold, pred)
    # matched 1 of gold 3; predicted 2: P 1/2, R 1/3.
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(1 / 3)
    assert s.f1 == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))
    assert s.f2 == pytest.approx(5 * 0.5 * (1 / 3) / (4 * 0.5 + 1 / 3))
    assert s.n == 3


def test_when_types_are_given_then_other_types_are_ignored_on_both_sides() -> None:
    gold = [[(0, 5, "PERSON"), (10, 20, "GPE")]]
    pred = [[(0, 5, "PERSON"), (30, 40, "ORGANIZATION")]]
    s = span_scores(gold, pred, types=frozenset({"PERSON"}))
    assert (s.gold, s.predicted, s.matched) == (1, 1, 1)


def test_when_nothing_is_gold_or_predicted_then_span_scores_are_undefined() -> None:
    s = span_scores([[]], [[]])
    assert s.precision is None
    assert s.recall is None
    assert s.f1 is None
    assert s.f2 is None


def test_f_beta_weighs_recall_by_beta() -> None:
    assert f_beta(1.0, 0.5, 1.0) == pytest.approx(2 / 3)
    assert f_beta(1.0, 0.5, 2.0) == pytest.approx(5 * 0.5 / (4 + 0.5))
    assert f_beta(0.0, 0.0) == 0.0
    assert f_beta(None, 0.0) == 0.0
