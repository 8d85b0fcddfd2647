"""The evaluation tasks: what each one runs, on which rows, and how it is scored.

```
Task ──► load_items(task, path, split) ──► [Item]
           │
System ──► run_system(system, items) ──► SystemRun (predictions in item order, seconds per source, memory)
           │
score_run(task, items, run) ──► SystemResult (per source and overall: LabelScores | SpanScores | FlagScores)
```

A :class:`System` is anything with a ``name``, a ``load()`` and a ``predict(texts)``: govsocial's
own detectors and classifiers (:func:`govsocial_system`) or a baseline
(:mod:`govsocial.evaluation.baselines`). Predictions are labels (``str``) for label tasks, span
lists for span tasks and tuples of flagging rule codes for ``official_posts``.
"""

from __future__ import annotations

import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from govsocial.datasets import Item, is_test, read_jsonl, source_of
from govsocial.errors import UsageError
from govsocial.evaluation.metrics import LabelScores, Span, SpanScores, label_scores, ratio, span_scores
from govsocial.model import Finding, Severity

__all__ = [
    "FLAG_FAMILIES",
    "MEMORY_METHOD",
    "PII_TYPES",
    "TASKS",
    "FlagScores",
    "Scores",
    "Split",
    "System",
    "SystemResult",
    "SystemRun",
    "Task",
    "flagging_codes",
    "get_task",
    "govsocial_system",
    "load_items",
    "peak_rss_mib",
    "run_system",
    "score_run",
]

Kind = Literal["label", "spans", "flag"]
Split = Literal["all", "test", "train"]

#: The personal types of the pii data that govsocial detects; the others (GPE, ORGANIZATION,
#: DATE_TIME, TITLE, NRP, AGE, ZIP_CODE, DOMAIN_NAME) are not personal information on their own.
PII_TYPES = frozenset(
    {
        "PERSON",
        "STREET_ADDRESS",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
        "CREDIT_CARD",
        "IBAN_CODE",
        "US_SSN",
        "IP_ADDRESS",
        "US_DRIVER_LICENSE",
    }
)
#: A review "flags" an official post when a finding of these families is ``high`` or ``block``.
FLAG_FAMILIES = frozenset({"PRIV", "SEC", "POL", "ABU", "LEG", "AUTH"})
MEMORY_METHOD = "peak resident set size of the whole process (resource.getrusage ru_maxrss), after each system ran"


@dataclass(frozen=True, slots=True, kw_only=True)
class Task:
    name: str
    kind: Kind
    description: str
    labels: tuple[str, ...] = ()
    positive: str | None = None
    span_types: frozenset[str] | None = None
    prediction_key: str = "label"


TASKS: dict[str, Task] = {
    t.name: t
    for t in (
        Task(
            name="abuse",
            kind="label",
            labels=("abusive", "ok"),
            positive="abusive",
            description="the classifier behind the ABU rules",
        ),
        Task(
            name="partisan",
            kind="label",
            labels=("partisan", "neutral"),
            positive="partisan",
            description="the classifier behind POL partisan framing",
        ),
        Task(
            name="complaint",
            kind="label",
            labels=("complaint", "other"),
            positive="complaint",
            description="inbox triage: is it a complaint",
        ),
        Task(
            name="misinformation",
            kind="label",
            labels=("misinformation", "ok"),
            positive="misinformation",
            description="false or misleading health claims",
        ),
        Task(
            name="crisis",
            kind="label",
            labels=(
                "caution_and_advice",
                "displaced_people_and_evacuations",
                "infrastructure_and_utility_damage",
                "injured_or_dead_people",
                "missing_or_found_people",
                "not_humanitarian",
                "other_relevant_information",
                "requests_or_urgent_needs",
                "rescue_volunteering_or_donation_effort",
                "sympathy_and_support",
            ),
            positive="requests_or_urgent_needs",
            description="ten humanitarian classes (positive class: requests or urgent needs, the inbox priority)",
        ),
        Task(
            name="sentiment",
            kind="label",
            labels=("negative", "neutral", "positive"),
            positive="negative",
            description="sentiment (positive class: negative, for mishap detection)",
        ),
        Task(
            name="names",
            kind="spans",
            span_types=frozenset({"PERSON"}),
            prediction_key="spans",
            description="names of people (the PRIV rules' people detector)",
        ),
        Task(
            name="pii",
            kind="spans",
            span_types=PII_TYPES,
            prediction_key="spans",
            description="personal information spans (all PRIV detectors)",
        ),
        Task(
            name="official_posts",
            kind="flag",
            prediction_key="flagged",
            description="full review, pack nz, context official",
        ),
    )
}


def get_task(name: str) -> Task:
    try:
        return TASKS[name]
    except KeyError:
        raise UsageError(f"unknown task {name!r}; tasks: {', '.join(TASKS)}") from None


def load_items(task: Task, path: str | Path, split: Split = "all") -> list[Item]:
    """The rows of ``path`` for ``task`` in the ``split`` (``test``: held out by hash of id)."""
    if split not in ("all", "test", "train"):
        raise UsageError(f"unknown split {split!r}; splits: all, test, train")
    need = {"label": "label", "spans": "spans", "flag": None}[task.kind]
    items: list[Item] = []
    for item in read_jsonl(path, need=need):
        if task.kind == "label" and task.labels and item.label not in task.labels:
            raise UsageError(f"{path}: id {item.id!r}: label {item.label!r} is not one of {', '.join(task.labels)}")
        if split == "all" or is_test(item.id) == (split == "test"):
            items.append(item)
    if not items:
        raise UsageError(f"{path}: no rows to evaluate (split {split})")
    return items


class System(Protocol):
    """Something that predicts for a task: govsocial itself or a baseline."""

    name: str

    def load(self) -> None:
        """Load models (timed apart from prediction)."""

    def predict(self, texts: Sequence[str]) -> list[Any]:
        """One prediction per text, in order."""


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@dataclass(slots=True, kw_only=True)
class SystemRun:
    name: str
    predictions: list[Any] = field(default_factory=list)
    seconds: float = 0.0
    seconds_by_source: dict[str, float] = field(default_factory=dict)
    load_seconds: float = 0.0
    peak_rss_mib: float = 0.0
    error: str | None = None


def run_system(system: System, items: Sequence[Item], *, batch: int = 1000) -> SystemRun:
    """Predict every item, source by source (for per-source speed), keeping the item order."""
    run = SystemRun(name=system.name)
    t0 = time.perf_counter()
    system.load()
    run.load_seconds = time.perf_counter() - t0
    by_source: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        by_source.setdefault(source_of(item), []).append(i)
    predictions: list[Any] = [None] * len(items)
    for source, indices in by_source.items():
        start = time.perf_counter()
        for b in range(0, len(indices), batch):
            chunk = indices[b : b + batch]
            out = system.predict([items[i].text for i in chunk])
            if len(out) != len(chunk):
                raise RuntimeError(f"{system.name} returned {len(out)} predictions for {len(chunk)} texts")
            for i, p in zip(chunk, out, strict=True):
                predictions[i] = p
        run.seconds_by_source[source] = time.perf_counter() - start
    run.seconds = sum(run.seconds_by_source.values())
    run.predictions = predictions
    run.peak_rss_mib = peak_rss_mib()
    return run


@dataclass(frozen=True, slots=True, kw_only=True)
class FlagScores:
    """Share of (all-ok) official posts that a review flags ``high`` or ``block``."""

    n: int
    flagged: int
    flag_rate: float | None
    codes: dict[str, int]


Scores = LabelScores | SpanScores | FlagScores


@dataclass(frozen=True, slots=True, kw_only=True)
class SystemResult:
    """One system's figures: per source (and sub-part), overall, per span type (span tasks) and speed."""

    name: str
    overall: Scores | None = None
    by_source: dict[str, Scores] = field(default_factory=dict)
    #: Sub-parts of sources (``humaid:kerala_floods_2018``), when the data names them.
    by_part: dict[str, Scores] = field(default_factory=dict)
    by_type: dict[str, SpanScores] = field(default_factory=dict)
    items_per_second: float | None = None
    items_per_second_by_source: dict[str, float | None] = field(default_factory=dict)
    load_seconds: float | None = None
    peak_rss_mib: float | None = None
    note: str | None = None
    error: str | None = None


def _score(task: Task, items: Sequence[Item], predictions: Sequence[Any]) -> Scores:
    if task.kind == "label":
        return label_scores([str(i.label) for i in items], [str(p) for p in predictions], positive=task.positive)
    if task.kind == "spans":
        gold: list[Sequence[Span]] = [i.spans or () for i in items]
        return span_scores(gold, predictions, types=task.span_types)
    codes: Counter[str] = Counter()
    flagged = 0
    for p in predictions:
        if p:
            flagged += 1
            codes.update(set(p))
    return FlagScores(
        n=len(items), flagged=flagged, flag_rate=ratio(flagged, len(items)), codes=dict(codes.most_common())
    )


def score_run(task: Task, items: Sequence[Item], run: SystemRun, *, note: str | None = None) -> SystemResult:
    """Score a run per source and overall (and per span type for span tasks)."""
    if run.error is not None:
        return SystemResult(name=run.name, error=run.error, note=note)
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        groups.setdefault(source_of(item), []).append(i)
    by_source = {
        source: _score(task, [items[i] for i in idx], [run.predictions[i] for i in idx])
        for source, idx in sorted(groups.items())
    }
    parts: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        if ":" in item.source:
            parts.setdefault(item.source, []).append(i)
    by_part = {
        part: _score(task, [items[i] for i in idx], [run.predictions[i] for i in idx])
        for part, idx in sorted(parts.items())
    }
    by_type: dict[str, SpanScores] = {}
    if task.kind == "spans" and task.span_types and len(task.span_types) > 1:
        seen = {s[2] for i in items for s in (i.spans or ())} | {s[2] for p in run.predictions for s in p}
        for t in sorted(seen & task.span_types):
            by_type[t] = span_scores([i.spans or () for i in items], run.predictions, types=frozenset({t}))
    return SystemResult(
        name=run.name,
        overall=_score(task, items, run.predictions),
        by_source=by_source,
        by_part=by_part,
        by_type=by_type,
        items_per_second=ratio(len(items), run.seconds),
        items_per_second_by_source={
            s: ratio(len(groups[s]), run.seconds_by_source.get(s, 0.0)) for s in sorted(groups)
        },
        load_seconds=run.load_seconds,
        peak_rss_mib=run.peak_rss_mib,
        note=note,
    )


# --------------------------------------------------------------------------- govsocial's own systems


class _LabelSystem:
    def __init__(self, task: str, tier: str, *, embedding_cache: bool = False) -> None:
        self.task = task
        self.tier = tier
        self.name = f"govsocial {tier}"
        self.embedding_cache = embedding_cache
        self._clf: Any = None

    def load(self) -> None:
        from govsocial.classify import get_classifier

        self._clf = get_classifier(self.task, self.tier)
        if self.embedding_cache and hasattr(self._clf, "use_embedding_cache"):
            # Opt-in for labelled files already on disk: reuse the accurate tier's embeddings between runs.
            self._clf.use_embedding_cache = True

    def predict(self, texts: Sequence[str]) -> list[Any]:
        return [str(label) for label in self._clf.predict(list(texts))]


def _as_span(found: Any, kind: str) -> Span:
    if isinstance(found, tuple):
        return (int(found[0]), int(found[1]), kind)
    return (int(found.start), int(found.end), kind)


class _NamesSystem:
    name = "govsocial"

    def __init__(self) -> None:
        self._spans: Callable[[str], Sequence[Any]] | None = None

    def load(self) -> None:
        from govsocial.detectors.people import person_spans

        self._spans = person_spans
        person_spans("Warm-up text with Dr Jane Doe.")

    def predict(self, texts: Sequence[str]) -> list[Any]:
        assert self._spans is not None
        return [sorted({_as_span(s, "PERSON") for s in self._spans(t)}) for t in texts]


class _PiiSystem:
    """Every personal-information detector of the PRIV family, mapped to the pii types."""

    name = "govsocial"
    DETECTORS = ("identifiers", "contact", "people")

    def __init__(self) -> None:
        self._detectors: list[tuple[str, Callable[[Any], Sequence[Any]]]] = []
        self._types: dict[str, str] = {}

    def load(self) -> None:
        from govsocial.detectors import DETECTORS, load_all

        load_all()
        self._detectors = [(n, DETECTORS[n]) for n in self.DETECTORS if n in DETECTORS]
        try:
            from govsocial.detectors.contact import PII_TYPES as kinds
        except ImportError:
            kinds = {}
        self._types = dict(kinds)

    def predict(self, texts: Sequence[str]) -> list[Any]:
        from govsocial.model import Post

        out: list[Any] = []
        for text in texts:
            post = Post(text=text)
            spans: set[Span] = set()
            for name, fn in self._detectors:
                for sig in fn(post):
                    if getattr(sig, "field", "text") != "text":
                        continue
                    kind = self._types.get(sig.kind) or ("PERSON" if name == "people" else None)
                    if kind in PII_TYPES:
                        spans.add((sig.start, sig.end, kind))
            out.append(sorted(spans))
        return out


def flagging_codes(findings: Iterable[Finding]) -> tuple[str, ...]:
    """The codes of the findings that flag an official post: ``high`` or ``block`` in FLAG_FAMILIES."""
    high = Severity.HIGH.rank
    return tuple(
        sorted({f.code for f in findings if f.severity.rank >= high and f.code.rstrip("0123456789") in FLAG_FAMILIES})
    )


class _ReviewSystem:
    """A full review (pack nz, official context); the prediction is the flagging codes."""

    name = "govsocial"

    def __init__(self, pack: str = "nz") -> None:
        self.pack = pack
        self._loaded: Any = None

    def load(self) -> None:
        from govsocial import load_pack, review

        self._loaded = load_pack(self.pack)
        review("Warm-up: our offices open at 9am.", self._loaded, "official")

    def predict(self, texts: Sequence[str]) -> list[Any]:
        from govsocial import Context, review

        return [flagging_codes(review(text, self._loaded, Context.OFFICIAL).findings) for text in texts]


def govsocial_system(task: Task, tier: str = "fast", *, embedding_cache: bool = False) -> System:
    """govsocial's own system for ``task`` (``tier`` only matters for the classifiers).

    ``embedding_cache`` lets the accurate tier keep the embeddings of the evaluated texts in its
    on-disk cache (off by default: scoring never writes texts' embeddings anywhere).
    """
    if tier not in ("fast", "accurate"):
        raise UsageError(f"unknown tier {tier!r}; tiers: fast, accurate")
    if task.kind == "label":
        return _LabelSystem(task.name, tier, embedding_cache=embedding_cache)
    if task.name == "names":
        return _NamesSystem()
    if task.name == "pii":
        return _PiiSystem()
    return _ReviewSystem()
