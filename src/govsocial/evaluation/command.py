"""``govsocial eval``: run a task on labelled JSONL, write predictions, report the figures.

:func:`evaluate` is the library entry point (``bench/quality.py`` uses it); :func:`eval_main` is
what the command line calls. Every evaluated item gets exactly one prediction, written in the
input order when ``--predictions`` is given::

    {"id": "...", "label": "abusive"}                                   # label tasks
    {"id": "...", "spans": [{"start": 4, "end": 15, "type": "PERSON"}]}  # names, pii
    {"id": "...", "flagged": false}                                     # official_posts
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, cast

from govsocial.datasets import Item, source_of
from govsocial.errors import UsageError
from govsocial.evaluation.baselines import Unavailable, baselines_for
from govsocial.evaluation.report import Report, render
from govsocial.evaluation.tasks import (
    Split,
    System,
    SystemResult,
    SystemRun,
    Task,
    get_task,
    govsocial_system,
    load_items,
    run_system,
    score_run,
)

__all__ = ["eval_main", "evaluate", "prediction_record", "sample", "write_predictions"]


def sample(items: Sequence[Item], limit: int | None) -> list[Item]:
    """At most ``limit`` items, chosen by a hash of id (stable; keeps the sources' mix), in input order."""
    if limit is None or len(items) <= limit:
        return list(items)
    ranked = sorted(range(len(items)), key=lambda i: hashlib.sha256(b"sample:" + items[i].id.encode()).digest())
    keep = set(ranked[:limit])
    return [item for i, item in enumerate(items) if i in keep]


def prediction_record(task: Task, item: Item, prediction: Any) -> dict[str, Any]:
    if task.kind == "label":
        return {"id": item.id, "label": prediction}
    if task.kind == "spans":
        return {"id": item.id, "spans": [{"start": s, "end": e, "type": t} for s, e, t in prediction]}
    return {"id": item.id, "flagged": bool(prediction)}


def write_predictions(path: str | Path, task: Task, items: Sequence[Item], run: SystemRun) -> None:
    p = Path(path)
    try:
        with p.open("w", encoding="utf-8") as out:
            for item, prediction in zip(items, run.predictions, strict=True):
                out.write(json.dumps(prediction_record(task, item, prediction), ensure_ascii=False) + "\n")
    except OSError as exc:
        raise UsageError(f"{p}: cannot write predictions ({exc.strerror})") from None


def _run_own(task: Task, items: Sequence[Item], tier: str, embedding_cache: bool = False) -> SystemRun:
    system = govsocial_system(task, tier, embedding_cache=embedding_cache)
    try:
        return run_system(system, items)
    except (ImportError, OSError) as exc:
        what = f"the {tier} tier" if task.kind == "label" else "govsocial's detectors"
        raise UsageError(f"task {task.name}: {what} cannot run here ({exc})") from None


def _run_baseline(system: System | Unavailable, items: Sequence[Item]) -> SystemRun:
    if isinstance(system, Unavailable):
        return SystemRun(name=system.name, error=system.reason)
    try:
        return run_system(system, items)
    except (ImportError, OSError) as exc:
        return SystemRun(name=system.name, error=f"could not run ({exc})")


def evaluate(
    task_name: str,
    data: str | Path,
    *,
    tiers: Sequence[str] = ("fast",),
    baseline: bool = False,
    split: Split = "all",
    limit: int | None = None,
    optional_tiers: Sequence[str] = (),
    embedding_cache: bool = False,
) -> tuple[Report, list[Item], SystemRun]:
    """Evaluate govsocial (each tier in ``tiers``) and optionally the baselines on the same rows.

    Returns the report, the evaluated items and the run of the first tier that ran (for predictions).
    A tier in ``optional_tiers`` that cannot run is reported as not run instead of an error, as
    long as some tier runs.
    ``limit`` keeps a stable hash sample of that many rows (say so when you publish figures).
    ``embedding_cache`` lets the accurate tier reuse cached embeddings (its items/s is then not its speed).
    """
    task = get_task(task_name)
    all_items = load_items(task, data, split)
    items = sample(all_items, limit)
    notes: list[str] = []
    if limit is not None and len(items) < len(all_items):
        notes.append(f"a stable sample of {len(items):,} of the {len(all_items):,} rows (by hash of id)")
    if task.name == "pii":
        notes.append(
            "only the personal types are scored (gold and predicted); GPE, ORGANIZATION, DATE_TIME, TITLE, NRP, "
            "AGE, ZIP_CODE and DOMAIN_NAME are not personal information on their own"
        )
    results: list[SystemResult] = []
    first: SystemRun | None = None
    label_task = task.kind == "label"
    for tier in tiers if label_task else tiers[:1]:
        try:
            run = _run_own(task, items, tier, embedding_cache and tier == "accurate")
        except UsageError as exc:
            if tier not in optional_tiers:
                raise
            run = SystemRun(name=f"govsocial {tier}", error=str(exc))
        if label_task is False:
            run.name = "govsocial"
        if first is None and run.error is None:
            first = run
        note = None
        if embedding_cache and tier == "accurate" and run.error is None:
            note = "embeddings cached on disk between runs, so its items/s is not its speed"
        results.append(score_run(task, items, run, note=note))
    if first is None:
        raise UsageError(f"task {task.name}: " + "; ".join(str(r.error) for r in results))
    if baseline:
        train: list[Item] = []
        if split == "test" and label_task:
            train = load_items(task, data, "train")
        for system in baselines_for(task, train, held_out=split == "test"):
            train_rows: int | None = getattr(system, "train_rows", None)
            note = f"trained on the {train_rows:,} rows of this file outside the split" if train_rows else None
            results.append(score_run(task, items, _run_baseline(system, items), note=note))
    report = Report(
        task=task,
        data=str(data),
        split=split,
        items=len(items),
        sources=dict(Counter(source_of(i) for i in items)),
        parts=dict(Counter(i.source for i in items if ":" in i.source)),
        systems=results,
        notes=notes,
    )
    return report, items, first


def eval_main(
    task: str,
    data: str,
    fmt: str = "human",
    predictions: str | None = None,
    tier: str = "fast",
    baseline: bool = False,
    split: str = "all",
    *,
    stdout: IO[str] | None = None,
) -> int:
    """``govsocial eval``: print the report; write one prediction per item to ``predictions``."""
    if fmt not in ("human", "json"):
        raise UsageError(f"unknown format {fmt!r}; formats: human, json")
    if split not in ("all", "test", "train"):
        raise UsageError(f"unknown split {split!r}; splits: all, test, train")
    report, items, run = evaluate(task, data, tiers=(tier,), baseline=baseline, split=cast(Split, split))
    if predictions:
        write_predictions(predictions, report.task, items, run)
    (stdout or sys.stdout).write(render(report, fmt))
    return 0
