"""Pure metric functions: labels (precision, recall, F1, macro-F1, macro-recall) and spans.

Conventions (the same as scikit-learn's defaults, so figures compare with published ones):

- A ratio whose denominator is zero is ``None`` ("not defined"), never a silent 0: a source with
  no positive rows has no recall, and a system that predicts nothing has no precision.
  The F-scores of a label or span set are 0.0 when precision or recall is defined and the
  other is 0.0; ``None`` only when both are undefined.
- **macro-F1** averages the F1 of every label that occurs in the gold *or* the predictions
  (a label predicted but never true scores 0; a label absent from both is left out).
- **macro-recall** averages the recall of every label that occurs in the gold (balanced
  accuracy); a label never true has no recall to average.
- **Spans** match one to one when they overlap with intersection-over-union ≥ 0.5 and, where
  ``typed``, have the same type; the pairs are taken greedily, highest IoU first. F2 weighs
  recall twice as much as precision (missing personal data costs more than a false alarm).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "IOU_THRESHOLD",
    "LabelScores",
    "Span",
    "SpanScores",
    "f_beta",
    "iou",
    "label_scores",
    "match_spans",
    "ratio",
    "span_scores",
]

IOU_THRESHOLD = 0.5

#: ``(start, end, type)``: a half-open character range and its entity type.
Span = tuple[int, int, str]


def ratio(num: float, den: float) -> float | None:
    """``num / den``, or ``None`` when ``den`` is zero."""
    return num / den if den else None


def f_beta(precision: float | None, recall: float | None, beta: float = 1.0) -> float | None:
    """The F-score with recall weighted ``beta`` times as much as precision."""
    if precision is None and recall is None:
        return None
    p = precision or 0.0
    r = recall or 0.0
    b2 = beta * beta
    den = b2 * p + r
    return (1 + b2) * p * r / den if den else 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelScores:
    """Scores of one system on one set of labelled items."""

    n: int
    accuracy: float | None
    positive: str | None
    precision: float | None
    recall: float | None
    f1: float | None
    macro_f1: float | None
    macro_recall: float | None
    per_label: dict[str, dict[str, float | None]]


def _label_prf(gold: Sequence[str], pred: Sequence[str], label: str) -> tuple[float | None, float | None, float | None]:
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
    n_pred = sum(1 for p in pred if p == label)
    n_gold = sum(1 for g in gold if g == label)
    precision = ratio(tp, n_pred)
    recall = ratio(tp, n_gold)
    return precision, recall, f_beta(precision, recall)


def label_scores(gold: Sequence[str], pred: Sequence[str], *, positive: str | None = None) -> LabelScores:
    """Label metrics of ``pred`` against ``gold`` (same length, same order)."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    gold_counts = Counter(gold)
    labels = sorted(set(gold_counts) | set(pred))
    per_label: dict[str, dict[str, float | None]] = {}
    for label in labels:
        p, r, f = _label_prf(gold, pred, label)
        per_label[label] = {"precision": p, "recall": r, "f1": f, "support": float(gold_counts.get(label, 0))}
    f1s = [v["f1"] or 0.0 for v in per_label.values()]
    recalls = [v["recall"] for v in per_label.values() if v["recall"] is not None]
    pos_p = pos_r = pos_f = None
    if positive is not None:
        pos_p, pos_r, pos_f = _label_prf(gold, pred, positive)
    correct = sum(1 for g, p in zip(gold, pred, strict=True) if g == p)
    return LabelScores(
        n=len(gold),
        accuracy=ratio(correct, len(gold)),
        positive=positive,
        precision=pos_p,
        recall=pos_r,
        f1=pos_f,
        macro_f1=sum(f1s) / len(f1s) if f1s else None,
        macro_recall=sum(recalls) / len(recalls) if recalls else None,
        per_label=per_label,
    )


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two half-open ranges (0.0 for empty or disjoint ones)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union


def match_spans(
    gold: Sequence[Span], pred: Sequence[Span], *, typed: bool = True, threshold: float = IOU_THRESHOLD
) -> list[tuple[int, int]]:
    """One-to-one matches ``(gold index, pred index)``: IoU ≥ ``threshold``, best pairs first."""
    candidates: list[tuple[float, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if typed and g[2] != p[2]:
                continue
            score = iou((g[0], g[1]), (p[0], p[1]))
            if score >= threshold and score > 0.0:
                candidates.append((score, gi, pi))
    # Highest IoU first; ties broken by position so the result does not depend on set order.
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


@dataclass(frozen=True, slots=True, kw_only=True)
class SpanScores:
    """Span counts and scores of one system on one set of items (micro-averaged over spans)."""

    n: int
    gold: int
    predicted: int
    matched: int
    precision: float | None
    recall: float | None
    f1: float | None
    f2: float | None


def span_scores(
    gold: Iterable[Sequence[Span]],
    pred: Iterable[Sequence[Span]],
    *,
    typed: bool = True,
    types: frozenset[str] | None = None,
) -> SpanScores:
    """Span metrics over items; ``types`` keeps only spans (gold and predicted) of those types."""
    n = n_gold = n_pred = n_match = 0
    for g_item, p_item in zip(gold, pred, strict=True):
        n += 1
        g = [s for s in g_item if types is None or s[2] in types]
        p = [s for s in p_item if types is None or s[2] in types]
        n_gold += len(g)
        n_pred += len(p)
        n_match += len(match_spans(g, p, typed=typed))
    precision = ratio(n_match, n_pred)
    recall = ratio(n_match, n_gold)
    return SpanScores(
        n=n,
        gold=n_gold,
        predicted=n_pred,
        matched=n_match,
        precision=precision,
        recall=recall,
        f1=f_beta(precision, recall, 1.0),
        f2=f_beta(precision, recall, 2.0),
    )
