"""The engagement inbox at scale on PostgreSQL; writes the "Inbox" section of docs/benchmarks.md.

    .venv/bin/python bench/inbox_load.py                       # ~10 min on 2 cores
    .venv/bin/python bench/inbox_load.py --messages 5000 --stored 20000 --duration 10 --no-docs   # a quick try

Two measurements, each in a fresh database ``govsocial_inbox_bench`` beside the one in
``DATABASE_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``):

1. **Ingest and triage throughput.** ``--messages`` texts sampled (fixed seed) from the labelled
   dev sets in ``../shared/data/dev`` (abuse, complaints, misinformation, crisis, sentiment and
   official posts: the mix an agency's mentions have) are sent as Celery tasks
   (``govsocial.web.inbox.tasks.ingest_items``, ``--batch`` messages each) through Redis to a real
   worker (``celery worker --pool prefork --concurrency 2``, one process per core). Each task
   triages its batch with the fast tier (language, category, sentiment, personal information,
   house rules) and stores it with the same service the connectors and imports use. The clock
   runs from the first task sent to the moment the last message is in PostgreSQL; the worker has
   already taken a warm-up batch per process, so loading the models is not counted (it is
   reported). The same batches then go through one process in-process (no broker) for
   comparison.
2. **Inbox list latency with many messages stored.** ``--stored`` messages (default 1,000,000)
   are loaded with ``COPY`` (texts from the same sample, triage fields in realistic shares), the
   tables analysed, and the app served by ``bench/web_load.py``'s pooled WSGI server; an
   open-loop generator asks for the inbox pages a moderator uses (needs a response, soonest due,
   assigned to me, the second page by cursor, all messages) at ``--rate`` requests/s for
   ``--duration`` s each. Latency runs from the scheduled send time (no coordinated omission).
   The goal is p99 < 150 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import web_load
from web_load import ROOT, log

DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Inbox"
DATA = ROOT.parent / "shared" / "data" / "dev"
SOURCES = ("abuse", "complaint", "misinformation", "crisis", "sentiment", "official_posts")
GOAL_RATE = 2000.0
GOAL_P99_MS = 150.0
REDIS_DEFAULT = "redis://127.0.0.1:6379/13"


def sample_texts(n: int, seed: int = 7) -> list[str]:
    """``n`` texts drawn evenly from the dev sets (read at run time; nothing is stored in the repository)."""
    from govsocial.datasets import read_jsonl

    rng = random.Random(seed)
    pools = []
    for name in SOURCES:
        path = DATA / f"{name}.jsonl"
        if not path.exists():
            raise SystemExit(f"{path} is missing: the benchmark samples its texts from ../shared/data/dev")
        pools.append([row.text for row in read_jsonl(path) if row.text])
    out = []
    for i in range(n):
        pool = pools[i % len(pools)]
        out.append(pool[rng.randrange(len(pool))])
    return out


def items_for(texts: list[str], prefix: str) -> list[dict[str, Any]]:
    now = dt.datetime.now(dt.UTC)
    return [
        {
            "platform_id": f"{prefix}:{i}",
            "text": text,
            "author": f"person{i % 5000}",
            "created_at": (now - dt.timedelta(seconds=i)).isoformat(),
            "kind": "reply" if i % 3 else "mention",
            "in_reply_to": f"agency-post-{i % 200}" if i % 3 else "",
        }
        for i, text in enumerate(texts)
    ]


def batches(items: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def message_count(channel_id: int) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM inbox_message WHERE channel_id = %s", [channel_id])
        return int(cursor.fetchone()[0])


def start_worker(database_url: str, redis_url: str, concurrency: int, logfile: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "govsocial.web.settings",
        "DB_CONN_MAX_AGE": "600",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "govsocial.web.celery",
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        str(concurrency),
        "--prefetch-multiplier",
        "4",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel",
        "WARNING",
    ]
    return subprocess.Popen(command, env=env, stdout=logfile.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT)


def wait_for(channel_id: int, target: int, *, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if message_count(channel_id) >= target:
            return time.perf_counter()
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"the worker stopped (exit {proc.returncode})")
        time.sleep(0.05)
    raise SystemExit(f"only {message_count(channel_id):,} of {target:,} messages stored after {timeout:.0f} s")


def make_channel(fx: Any, name: str) -> Any:
    from govsocial.web.channels.services import channel_create

    return channel_create(
        actor=None, agency=fx.agency, name=name, platform="mastodon", handle=f"@{name.lower().replace(' ', '')}"
    )


def bench_ingest(args: argparse.Namespace, fx: Any, database_url: str) -> dict[str, Any]:
    from celery import group

    from govsocial.connectors import Incoming
    from govsocial.web.celery import app as celery_app
    from govsocial.web.inbox.services import ingest
    from govsocial.web.inbox.tasks import ingest_items

    texts = sample_texts(args.messages)
    out: dict[str, Any] = {"messages": args.messages, "batch": args.batch, "concurrency": args.concurrency}

    # --- Celery worker on Redis -------------------------------------------------------------
    channel = make_channel(fx, "Celery inbox")
    celery_app.conf.broker_url = args.redis_url
    celery_app.conf.result_backend = None
    celery_app.conf.task_always_eager = False
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    worker_log = Path(args.workdir) / "inbox_worker.log"
    worker = start_worker(database_url, args.redis_url, args.concurrency, worker_log)
    try:
        warm = items_for(sample_texts(8 * args.concurrency, seed=99), "warm")
        t0 = time.perf_counter()
        for chunk in batches(warm, 4):
            ingest_items.apply_async(args=[channel.pk, None, chunk])
        wait_for(channel.pk, len(warm), timeout=300, proc=worker)
        out["worker_warmup_s"] = time.perf_counter() - t0
        log(f"worker warm ({out['worker_warmup_s']:.1f} s, models loaded)")

        items = items_for(texts, "celery")
        jobs = batches(items, args.batch)
        start = time.perf_counter()
        group(ingest_items.s(channel.pk, None, chunk) for chunk in jobs).apply_async()
        sent = time.perf_counter()
        done = wait_for(channel.pk, len(warm) + len(items), timeout=1800, proc=worker)
        out["celery_s"] = done - start
        out["celery_send_s"] = sent - start
        out["celery_rate"] = len(items) / out["celery_s"]
        log(f"celery: {len(items):,} messages in {out['celery_s']:.1f} s = {out['celery_rate']:,.0f}/s")

        # Re-sending the same batches stores nothing new (de-duplication by platform id).
        start = time.perf_counter()
        group(ingest_items.s(channel.pk, None, chunk) for chunk in jobs[:20]).apply_async()
        time.sleep(1.0)
        out["celery_after_resend"] = message_count(channel.pk)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()

    # --- one process, no broker -------------------------------------------------------------
    channel2 = make_channel(fx, "In-process inbox")
    n = min(args.messages, args.inproc_messages)
    incoming = [
        Incoming(**{**d, "created_at": dt.datetime.fromisoformat(d["created_at"])})
        for d in items_for(texts[:n], "inproc")
    ]
    ingest(channel=channel2, items=incoming[: args.batch])  # warm: models and plans
    start = time.perf_counter()
    for chunk in [incoming[i : i + args.batch] for i in range(args.batch, n, args.batch)]:
        ingest(channel=channel2, items=chunk)
    took = time.perf_counter() - start
    out["inproc_messages"] = n - args.batch
    out["inproc_s"] = took
    out["inproc_rate"] = (n - args.batch) / took
    log(f"one process: {n - args.batch:,} messages in {took:.1f} s = {out['inproc_rate']:,.0f}/s")

    from django.db.models import Count

    from govsocial.web.inbox.models import Message

    shares = Message.objects.filter(channel=channel).values("action").annotate(n=Count("id"))
    out["actions"] = {row["action"]: row["n"] for row in shares}
    return out


# --------------------------------------------------------------------------- many stored messages

CATEGORIES = (
    ("question", 0.22),
    ("complaint", 0.14),
    ("praise", 0.10),
    ("misinformation", 0.03),
    ("abuse", 0.06),
    ("crisis", 0.02),
    ("spam", 0.05),
    ("off_topic", 0.03),
    ("other", 0.35),
)


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    x = rng.random()
    for value, share in table:
        x -= share
        if x < 0:
            return value
    return table[-1][0]


def load_messages(fx: Any, n: int, texts: list[str], rng: random.Random) -> None:
    from govsocial.web.inbox.models import Message

    channels = [fx.channel] + [make_channel(fx, f"Channel {i}") for i in range(3)]
    users = [fx.officer.pk, fx.approver.pk, None, None]
    now = dt.datetime.now(dt.UTC)
    columns = [
        "agency_id",
        "channel_id",
        "platform_id",
        "kind",
        "author",
        "author_name",
        "text",
        "url",
        "created_at",
        "received_at",
        "in_reply_to",
        "thread_key",
        "fingerprint",
        "language",
        "category",
        "sentiment",
        "has_pii",
        "pii_kinds",
        "priority",
        "triage",
        "triaged_with",
        "action",
        "rule_code",
        "hidden",
        "status",
        "assignee_id",
        "due_at",
        "reply_platform_id",
    ]

    def rows() -> Any:
        for i in range(n):
            category = _pick(rng, CATEGORIES)
            received = now - dt.timedelta(seconds=(n - i) * 30)
            pii = rng.random() < 0.02
            if pii:
                action, rule, status, hidden = "hide", "IN-01", "open", True
            elif category in ("abuse", "spam"):
                action, rule, status, hidden = "hide", "IN-02" if category == "abuse" else "IN-05", "no_action", True
            elif category == "misinformation":
                action, rule, status, hidden = "queue", "IN-08", "moderation", False
            elif category in ("question", "complaint", "crisis"):
                action, rule, hidden = "leave", "", False
                status = "open" if i > n - 20_000 or rng.random() < 0.05 else "answered"
            else:
                action, rule, status, hidden = "leave", "", "no_action", False
            text = texts[i % len(texts)]
            yield (
                fx.agency.pk,
                channels[i % len(channels)].pk,
                f"stored:{i}",
                "reply",
                f"person{i % 50_000}",
                "",
                text,
                "",
                received,
                received,
                "",
                f"agency-post-{i // 40}",
                f"{hash(text) & ((1 << 64) - 1):016x}",
                "en",
                category,
                rng.choice(("negative", "neutral", "positive")),
                pii,
                json.dumps(["phone"] if pii else []),
                1 if category == "crisis" or pii else 3,
                "{}",
                "nz@bench",
                action,
                rule,
                hidden,
                status,
                users[i % len(users)] if status == "open" else None,
                received + dt.timedelta(hours=8) if status == "open" else None,
                "",
            )

    web_load.copy_rows(Message, columns, rows())
    web_load.reset_sequence(Message)


def list_paths(port: int, cookie: str) -> list[tuple[str, str]]:
    """The pages a moderator uses, including a second page reached through the list's own link."""
    paths = [
        ("inbox: needs a response", "/inbox/"),
        ("inbox: soonest due", "/inbox/?sort=due"),
        ("inbox: assigned to me", "/inbox/?assigned=me"),
        ("inbox: all messages", "/inbox/?status=all"),
    ]
    body = _get(port, "/inbox/?status=all", cookie)
    match = re.search(r'href="(\?[^"]*after=[^"]+)"', body)
    if match:
        paths.append(("inbox: second page", "/inbox/" + match.group(1).replace("&amp;", "&")))
    return paths


def _get(port: int, path: str, cookie: str) -> str:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(web_load.http_get(path, cookie)(0))
        chunks = []
        while data := s.recv(65536):
            chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace")


def bench_list(args: argparse.Namespace, fx: Any, database_url: str) -> list[dict[str, Any]]:
    rng = random.Random(11)
    texts = sample_texts(5000, seed=3)
    start = time.perf_counter()
    load_messages(fx, args.stored, texts, rng)
    log(f"loaded {args.stored:,} messages in {time.perf_counter() - start:.0f} s")
    web_load.analyze()
    port = web_load.free_port()
    server = web_load.start_server(
        database_url, port, Path(args.workdir) / "inbox_server.log", kind="pool", threads=4, processes=2
    )
    results = []
    try:
        for name, path in list_paths(port, fx.session_cookie):
            make = web_load.http_get(path, fx.session_cookie)
            alone = web_load.sequential(port, make, 30)
            web_load.drive(port, make, args.rate, min(args.duration, 5.0))  # warm-up
            samples = web_load.drive(port, make, args.rate, args.duration)
            r = web_load.summarise(name, samples, args.duration)
            r.update(
                path=path,
                rate=args.rate,
                duration=args.duration,
                alone_p50_ms=web_load.percentile(alone, 50),
                alone_p90_ms=web_load.percentile(alone, 90),
            )
            log(f"{name}: p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, errors {r['errors']}")
            results.append(r)
            web_load.wait_until_idle(port)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def render(
    args: argparse.Namespace, info: dict[str, Any], ingest: dict[str, Any] | None, lists: list[dict[str, Any]]
) -> str:
    lines = [
        SECTION,
        "",
        "The engagement inbox on PostgreSQL (`bench/inbox_load.py`; its docstring gives the method).",
        "",
        f"- Command: `python bench/inbox_load.py` with `--messages {args.messages} --stored {args.stored} --rate {args.rate:g} "
        f"--duration {args.duration:g}`",
        f"- Machine: {info['nproc']} CPUs ({info['cpu']}), Python {info['python']}, PostgreSQL {info['postgresql']}, "
        f"Redis broker; load average before {info['loadavg'][0]:.2f} / {info['loadavg'][1]:.2f} / {info['loadavg'][2]:.2f}",
        f"- Date: {info['date']}",
        "",
    ]
    if ingest:
        met = "met" if ingest["celery_rate"] >= GOAL_RATE else "**not met**"
        lines += [
            "### Ingest and triage",
            "",
            f"Texts sampled from `../shared/data/dev` ({', '.join(SOURCES)}), {ingest['messages']:,} messages in tasks of "
            f"{ingest['batch']} through Redis; fast tier.",
            "",
            "| path | messages | seconds | messages/s | goal ≥ 2,000/s |",
            "|---|---:|---:|---:|---|",
            f"| Celery worker, prefork × {ingest['concurrency']} (one per core) | {ingest['messages']:,} | {ingest['celery_s']:.1f} | "
            f"{ingest['celery_rate']:,.0f} | {met} |",
            f"| one process, in-process (no broker) | {ingest['inproc_messages']:,} | {ingest['inproc_s']:.1f} | "
            f"{ingest['inproc_rate']:,.0f} | – |",
            "",
            f"The worker's warm-up (loading the classifiers and packs in each process) took {ingest['worker_warmup_s']:.1f} s and is not "
            f"counted. Sending the first 20 batches again stored nothing new ({ingest['celery_after_resend']:,} messages after the "
            f"resend). House-rule actions over the batch: "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(ingest["actions"].items()))
            + ".",
            "",
        ]
    if lists:
        lines += [
            "### Inbox list",
            "",
            f"{args.stored:,} messages stored in one agency (four channels); pages signed in as an officer; server: 2 processes × 4 "
            f"threads (`web_load.py`'s pool); {args.rate:g} requests/s for {args.duration:g} s per page after a warm-up.",
            "",
            "| page | requests | errors | achieved req/s | p50 ms | p90 ms | p99 ms | max ms | alone p50 ms | goal p99 < 150 ms |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in lists:
            verdict = "met" if r["p99_ms"] < GOAL_P99_MS and r["errors"] == 0 else "**not met**"
            lines.append(
                f"| {r['name']} (`{r['path']}`) | {r['requests']:,} | {r['errors']} | {r['achieved_rps']:.1f} | {r['p50_ms']:.1f} | "
                f"{r['p90_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.1f} | {r['alone_p50_ms']:.1f} | {verdict} |"
            )
        lines.append("")
    return "\n".join(lines)


def write_docs(section: str, path: Path = DOCS) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    text = pattern.sub("", text).rstrip() + "\n\n" + section.rstrip() + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--db-name", default="govsocial_inbox_bench")
    parser.add_argument("--redis-url", default=REDIS_DEFAULT)
    parser.add_argument("--messages", type=int, default=60_000, help="messages ingested through the worker")
    parser.add_argument("--inproc-messages", type=int, default=10_000, help="messages ingested in one process")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--stored", type=int, default=1_000_000, help="messages stored for the list test")
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--skip", choices=("ingest", "list"), action="append", default=[])
    parser.add_argument("--workdir", default="/tmp")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    database_url = web_load.with_database(args.database_url, args.db_name)
    web_load.recreate_database(args.database_url, args.db_name)
    web_load.django_setup(database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    fx = web_load.make_fixture()
    info = web_load.machine()
    ingest = None if "ingest" in args.skip else bench_ingest(args, fx, database_url)
    lists = [] if "list" in args.skip else bench_list(args, fx, database_url)
    section = render(args, info, ingest, lists)
    print(section)
    if args.json:
        args.json.write_text(json.dumps({"ingest": ingest, "list": lists, "machine": info}, indent=2, default=str))
    if not args.no_docs:
        write_docs(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
