"""Rendering an evaluation :class:`Report` as plain-text tables or as JSON.

The JSON form has the same figures as the tables (``null`` where a figure is not defined,
such as the recall of a source with no positive rows) and is stable for scripts::

    {"task": "abuse", "data": "...", "split": "test", "items": 9584, "sources": {"olid": 2650, ...},
     "positive": "abusive", "memory_method": "...", "notes": [...],
     "systems": [{"name": "govsocial fast", "overall": {...}, "by_source": {...},
                  "items_per_second": ..., "load_seconds": ..., "peak_rss_mib": ..., "error": null}, ...]}
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from govsocial.evaluation.metrics import LabelScores, SpanScores
from govsocial.evaluation.tasks import MEMORY_METHOD, FlagScores, Scores, SystemResult, Task

__all__ = ["Report", "render", "render_human", "render_json", "to_dict"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    task: Task
    data: str
    split: str
    items: int
    sources: dict[str, int]
    systems: list[SystemResult]
    #: Rows per sub-part of a source (``humaid:kerala_floods_2018``), when the data names them.
    parts: dict[str, int] = field(default_factory=dict)
    memory_method: str = MEMORY_METHOD
    notes: list[str] = field(default_factory=list)


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _rate(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        # First two columns (source, system) left-aligned, figures right-aligned.
        return "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _cells(scores: Scores) -> list[str]:
    if isinstance(scores, LabelScores):
        return [
            f"{scores.n:,}",
            _num(scores.precision),
            _num(scores.recall),
            _num(scores.f1),
            _num(scores.macro_f1),
            _num(scores.macro_recall),
        ]
    if isinstance(scores, SpanScores):
        return [
            f"{scores.n:,}",
            f"{scores.gold:,}",
            f"{scores.predicted:,}",
            _num(scores.precision),
            _num(scores.recall),
            _num(scores.f1),
            _num(scores.f2),
        ]
    return [
        f"{scores.n:,}",
        f"{scores.flagged:,}",
        _num(None if scores.flag_rate is None else 100 * scores.flag_rate, 2),
    ]


def _header(task: Task) -> list[str]:
    if task.kind == "label":
        return ["source", "system", "n", "P", "R", "F1", "macro-F1", "macro-R", "items/s"]
    if task.kind == "spans":
        return ["source", "system", "n", "gold", "pred", "P", "R", "F1", "F2", "items/s"]
    return ["source", "system", "n", "flagged", "flag %", "items/s"]


def render_human(report: Report) -> str:
    task = report.task
    out = [
        f"govsocial eval: {task.name} ({task.description})",
        f"data: {report.data}; split: {report.split}; {report.items:,} items from "
        + ", ".join(f"{s} ({n:,})" for s, n in sorted(report.sources.items())),
    ]
    if task.kind == "label" and task.positive:
        out.append(f"P, R and F1 are for the positive class {task.positive!r}; macro-F1 and macro-R over labels")
    if task.kind == "spans":
        out.append(
            "a match is an overlap with IoU >= 0.5 and the same type; types: "
            + ", ".join(sorted(task.span_types or ()))
        )
    if task.kind == "flag":
        out.append("flagged: a finding of severity high or block in PRIV, SEC, POL, ABU, LEG or AUTH")
    out.append("")
    rows: list[list[str]] = []
    groups: list[tuple[str, str]] = []
    for source in sorted(report.sources):
        groups.append((source, "source"))
        groups += [(part, "part") for part in sorted(report.parts) if part.split(":", 1)[0] == source]
    for group, level in [*groups, ("overall", "overall")]:
        for sys in report.systems:
            if sys.error is not None:
                continue
            if level == "overall":
                scores, speed = sys.overall, sys.items_per_second
            elif level == "source":
                scores, speed = sys.by_source.get(group), sys.items_per_second_by_source.get(group)
            else:
                scores, speed = sys.by_part.get(group), None
            if scores is None:
                continue
            label = f"  {group.split(':', 1)[1]}" if level == "part" else group
            rows.append([label, sys.name, *_cells(scores), "" if level == "part" else _rate(speed)])
    out.extend(_table(_header(task), rows))
    typed = [(sys.name, t, s) for sys in report.systems for t, s in sys.by_type.items()]
    if typed:
        out += ["", "by type (all sources):"]
        type_rows = [[t, name, *_cells(s)[1:], ""] for name, t, s in sorted(typed, key=lambda x: (x[1], x[0]))]
        out.extend(_table(["type", "system", "gold", "pred", "P", "R", "F1", "F2", ""], type_rows))
    for sys in report.systems:
        if isinstance(sys.overall, FlagScores) and sys.overall.codes:
            out += [
                "",
                f"{sys.name}: posts flagged per rule code: "
                + ", ".join(f"{c} {n}" for c, n in sys.overall.codes.items()),
            ]
    out += ["", "speed and memory:"]
    for sys in report.systems:
        if sys.error is not None:
            out.append(f"  {sys.name}: not run: {sys.error}")
            continue
        out.append(
            f"  {sys.name}: {_rate(sys.items_per_second)} items/s (load {_num(sys.load_seconds, 2)} s), "
            f"peak memory {_num(sys.peak_rss_mib, 0)} MiB" + (f"; {sys.note}" if sys.note else "")
        )
    out.append(f"  memory: {report.memory_method}")
    for note in report.notes:
        out.append(f"note: {note}")
    return "\n".join(out) + "\n"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = sorted(value) if isinstance(value, frozenset | set) else value
        return [_plain(v) for v in items]
    if isinstance(value, float):
        return round(value, 6)
    return value


def to_dict(report: Report) -> dict[str, Any]:
    task = report.task
    return {
        "task": task.name,
        "description": task.description,
        "data": report.data,
        "split": report.split,
        "items": report.items,
        "sources": dict(sorted(report.sources.items())),
        "parts": dict(sorted(report.parts.items())),
        "positive": task.positive,
        "span_types": sorted(task.span_types) if task.span_types else None,
        "iou_threshold": 0.5 if task.kind == "spans" else None,
        "memory_method": report.memory_method,
        "notes": list(report.notes),
        "systems": [_plain(s) for s in report.systems],
    }


def render_json(report: Report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"


def render(report: Report, fmt: str) -> str:
    return render_json(report) if fmt == "json" else render_human(report)
