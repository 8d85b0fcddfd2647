"""Rendering review results: human, JSON, JSON Lines and SARIF 2.1.0."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import IO, Any

from govsocial import __version__
from govsocial.clauses import clause
from govsocial.model import ReviewResult, Severity, Verdict

__all__ = ["render_human", "result_json", "sarif"]

_COLOURS = {
    Severity.INFO: "36",
    Severity.WARN: "33",
    Severity.HIGH: "35",
    Severity.BLOCK: "31",
}
_VERDICT_TEXT = {
    Verdict.OK: "ok: good to go",
    Verdict.ADVISE: "advise: fine to post, with suggestions",
    Verdict.REVIEW: "review: needs a second look before it goes out",
    Verdict.BLOCK: "block: do not publish as it stands",
}
_VERDICT_COLOUR = {Verdict.OK: "32", Verdict.ADVISE: "33", Verdict.REVIEW: "35", Verdict.BLOCK: "31"}


def use_colour(stream: IO[str]) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _c(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def result_json(result: ReviewResult, *, include_evidence: bool = False) -> dict[str, Any]:
    """The JSON contract: verdict, findings (code, name, severity, message, fix, start, end, clauses), pack, engine."""
    doc = result.to_dict()
    if not include_evidence:
        for f in doc["findings"]:
            f.pop("evidence", None)
    return doc


def render_human(
    result: ReviewResult, text: str, *, colour: bool = False, label: str | None = None, footer: bool = True
) -> str:
    """A short, readable report: the verdict first, then each finding with its fix and clauses."""
    out = []
    head = _c(_VERDICT_TEXT[result.verdict], _VERDICT_COLOUR[result.verdict], colour)
    prefix = f"{label}: " if label else ""
    n = len(result.findings)
    out.append(f"{prefix}{head}" + (f"  ({n} finding{'s' if n != 1 else ''})" if n else ""))
    for f in result.findings:
        where = ""
        if f.start is not None and f.field == "text":
            line, col = _line_col(text, f.start)
            where = f" {line}:{col}"
        elif f.field != "text":
            where = f" {f.field}"
        sev = _c(f"{f.severity:<5}", _COLOURS[f.severity], colour)
        out.append(f"  {f.code:<7} {sev}{where}  {f.message}")
        if f.fix:
            out.append(f"          fix: {f.fix}")
        if f.clauses:
            titles = []
            for cid in f.clauses:
                c = clause(cid)
                titles.append(f"{cid}{' [reconstructed]' if c and c.reconstructed else ''}")
            out.append(f"          guidance: {', '.join(titles)}")
    if footer:
        out.append(_c(f"  pack {result.pack.split('#')[0]} · {result.context} · {result.engine}", "2", colour))
    return "\n".join(out)


def render_summary(results: Sequence[ReviewResult], *, colour: bool = False) -> str:
    """One closing line for a batch: counts per verdict, and the pack and engine."""
    counts = dict.fromkeys(Verdict, 0)
    for r in results:
        counts[r.verdict] += 1
    parts = [_c(f"{n} {v}", _VERDICT_COLOUR[v], colour) for v, n in counts.items() if n]
    first = results[0]
    tail = _c(f"pack {first.pack.split('#')[0]} · {first.engine}", "2", colour)
    return f"{len(results)} posts: {', '.join(parts)}  ({tail})"


def sarif(results: Sequence[tuple[str, str, ReviewResult]]) -> dict[str, Any]:
    """A SARIF 2.1.0 log: ``results`` holds (artifact name, text, result) per reviewed post."""
    from govsocial.rules.registry import CODES, get_rule

    rules_seen: dict[str, dict[str, Any]] = {}
    out_results = []
    level = {Severity.INFO: "note", Severity.WARN: "warning", Severity.HIGH: "error", Severity.BLOCK: "error"}
    for artifact, text, result in results:
        for f in result.findings:
            if f.code not in rules_seen:
                summary = get_rule(f.code).summary() if f.code in CODES else f.name
                rules_seen[f.code] = {
                    "id": f.code,
                    "name": f.name,
                    "shortDescription": {"text": summary or f.name},
                    "help": {"text": f"govsocial rule {f.code}"},
                    "properties": {"clauses": list(f.clauses)},
                }
            entry: dict[str, Any] = {
                "ruleId": f.code,
                "level": level[f.severity],
                "message": {"text": f"{f.message} Fix: {f.fix}" if f.fix else f.message},
                "properties": {"severity": str(f.severity), "clauses": list(f.clauses), "verdict": str(result.verdict)},
            }
            location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": artifact}}}
            if f.start is not None and f.end is not None and f.field == "text":
                line, col = _line_col(text, f.start)
                location["physicalLocation"]["region"] = {
                    "startLine": line,
                    "startColumn": col,
                    "charOffset": f.start,
                    "charLength": f.end - f.start,
                }
            entry["locations"] = [location]
            out_results.append(entry)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "govsocial",
                        "version": __version__,
                        "rules": list(rules_seen.values()),
                    }
                },
                "results": out_results,
            }
        ],
    }


def dumps(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False)
