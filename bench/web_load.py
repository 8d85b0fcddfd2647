"""Load test of the agency workspace on PostgreSQL; writes the "Workspace" section of docs/benchmarks.md.

    .venv/bin/python bench/web_load.py                      # ~10-15 min on 2 cores
    .venv/bin/python bench/web_load.py --drafts 2000 --events 20000 --duration 10 --no-docs   # a quick try

Steps (each timed):

1. a fresh database ``govsocial_bench`` next to the one in ``DATABASE_URL`` (default
   ``postgresql://postgres@127.0.0.1:5432/postgres``; it is dropped and created again), migrated;
2. one agency with an officer, an approver, a channel and an API token, made through the services;
3. ``--drafts`` drafts (default 100,000) in every state, each with one or two revisions carrying a
   real review (from a few fictional posts reviewed by the engine), loaded with ``COPY``;
4. ``--events`` audit events (default 1,000,000) about those drafts, hash-chained in bulk with the
   application's own :func:`govsocial.web.audit.services.compute_hash` (the same function
   ``audit_record`` uses) and loaded with ``COPY``; the chain head is set, so
   :func:`~govsocial.web.audit.services.verify_chain` passes, and it is run and timed;
5. the app served in a subprocess by a multi-threaded WSGI server (gunicorn is not installed):
   by default (``--server pool``) wsgiref's ``WSGIServer`` in ``--processes`` forked processes (default:
   one per CPU, since Python threads share a core) sharing the listening socket, each handing
   connections to a bounded pool of ``--threads`` threads (like gunicorn's gthread workers), each
   thread keeping its database connection;
   or (``--server django``) ``govsocial serve``, Django's threaded server (wsgiref +
   ``socketserver.ThreadingMixIn``: a new thread, and so a new database connection, per request,
   unbounded). The API rate limit is raised (``GOVSOCIAL_API_RATE``) so the generator is not
   throttled;
6. an open-loop load generator on loopback (asyncio, fixed-rate schedule, a new connection per
   request): ``--rate`` requests/s (default 50) for ``--duration`` seconds (default 60) at
   ``GET /drafts/`` (signed in as the officer: session cookie) and then at
   ``POST /api/v1/reviews`` (bearer token; a stateless check of a post); before those, the drafts
   list at the lower ``--list-rates`` (default 10 and 20/s, 30 s each) to show what it sustains.
   Latency runs from the *scheduled* send time to the end of the response, so a stalled server cannot hide queueing
   (no coordinated omission). p50/p90/p99, errors (non-2xx, timeouts) and the rate achieved are
   reported; the goal is p99 < 150 ms.

Everything runs on one machine: the generator competes with the server and the database for the
same cores, as a small deployment would. The load average is recorded beside the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Workspace"
GOAL_P99_MS = 150.0

# Fictional posts (nothing from the labelled data): most are fine, some have findings.
POSTS = (
    "Our offices are open 9am to 5pm on weekdays. Closed on public holidays.",
    "Kia ora! Renewing an example permit is now online. It takes about 10 minutes: examples.govt.nz/permits",
    "Thank you to everyone who came to our open day in Ōtautahi Christchurch. Photos are on our website.",
    "Applications for our graduate programme close on 30 June. Come and work on services that matter.",
    "Roadworks on Example Road start Monday. Expect delays of up to 10 minutes between 9am and 3pm.",
    "Our contact centre is open 8am to 6pm on weekdays. Call 0800 000 000, or email help@examples.govt.nz.",
    "Please call Jane Citizen on 021 555 0199 about her case.",
    "We are updating our website on Saturday night. Some services will be unavailable for two hours.",
    "Have your say on the draft regional plan. Consultation closes on 14 March: examples.govt.nz/plan",
    "Storm warning: secure loose items and check on your neighbours. Updates at examples.govt.nz/storm",
    "The password is hunter2 for the admin account",
    "New playground at Example Park opens this Friday. Bring the whānau!",
    "Sorry for the wait on our phone lines today. We are working to answer calls faster.",
    "Our annual report is out. Read how we spent every dollar: examples.govt.nz/annual-report",
    "Free flu vaccinations for people over 65 at our clinics this month.",
    "Library hours change from 1 July: open until 8pm on Thursdays.",
)
STATES = (
    ("draft", 0.35),
    ("awaiting_approval", 0.10),
    ("returned", 0.05),
    ("ready", 0.10),
    ("scheduled", 0.05),
    ("published", 0.30),
    ("withdrawn", 0.05),
)


# --------------------------------------------------------------------------- set-up


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Timer:
    laps: dict[str, float] = field(default_factory=dict)

    def lap(self, name: str, start: float) -> float:
        took = time.perf_counter() - start
        self.laps[name] = took
        log(f"{name}: {took:.1f} s")
        return took


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def recreate_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit(f"unsafe database name: {name!r}")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "govsocial.web.settings"
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


@dataclass
class Fixture:
    agency: Any
    officer: Any
    approver: Any
    channel: Any
    token: str
    session_cookie: str


def make_fixture() -> Fixture:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from govsocial.web.accounts.services import agency_create, api_token_create, team_create, user_create
    from govsocial.web.channels.services import channel_create

    agency = agency_create(actor=None, name="Benchmark Agency", slug="bench", pack="nz")
    team = team_create(actor=None, agency=agency, name="Digital")
    officer = user_create(
        actor=None,
        agency=agency,
        username="officer",
        password=None,
        display_name="Bench officer",
        roles=["officer"],
        teams=[team],
    )
    approver = user_create(
        actor=None,
        agency=agency,
        username="approver",
        password=None,
        display_name="Bench approver",
        roles=["approver"],
        teams=[team],
    )
    channel = channel_create(
        actor=None,
        agency=agency,
        name="Main X account",
        platform="x",
        handle="@BenchAgency",
        owning_team=team,
        publishers=[approver],
    )
    _token, key = api_token_create(user=officer, name="bench")
    session = SessionStore()
    session[SESSION_KEY] = str(officer.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session.create()
    assert session.session_key is not None
    return Fixture(
        agency=agency,
        officer=officer,
        approver=approver,
        channel=channel,
        token=key,
        session_cookie=session.session_key,
    )


def reviews() -> list[dict[str, Any]]:
    """One real review per post, in the shape revisions keep."""
    import govsocial
    from govsocial.io import post_from_dict

    out = []
    for text in POSTS:
        result = govsocial.review(post_from_dict({"text": text, "context": "official", "platform": "x"}), pack="nz")
        out.append(
            {
                "text": text,
                "review": result.to_dict(),
                "verdict": str(result.verdict),
                "worst": str(result.worst) if result.worst else "",
                "pack_ref": result.pack,
                "engine": result.engine,
            }
        )
    return out


def copy_rows(model: Any, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    """COPY rows into a model's table (columns by name); returns the count."""
    from django.db import connection

    table = model._meta.db_table
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with raw.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def reset_sequence(model: Any) -> None:
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
        )


def _state_for(rng: random.Random) -> str:
    x = rng.random()
    for state, share in STATES:
        if x < share:
            return state
        x -= share
    return "draft"


@dataclass
class DraftRow:
    id: int
    state: str
    created_at: dt.datetime
    revisions: int


def load_drafts(fx: Fixture, n: int, rng: random.Random) -> list[DraftRow]:
    """``n`` drafts of the fixture's agency with their revisions (30% have two)."""
    from govsocial.web.drafts.models import Draft, Revision

    samples = reviews()
    now = dt.datetime.now(dt.UTC)
    start_id = (Draft.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    drafts: list[DraftRow] = []
    draft_columns = [
        "id", "agency_id", "channel_id", "author_id", "title", "state", "reply_to", "scheduled_at", "published_at",
        "published_url", "published_by_id", "created_at", "updated_at", "approval_reason", "submitted_at",
        "platform_post_id", "publish_method", "publish_reminder_at",
    ]  # fmt: skip
    known = set(draft_columns)
    missing = [f.column for f in Draft._meta.concrete_fields if f.column not in known]
    if missing:
        raise SystemExit(f"drafts_draft has columns this benchmark does not fill yet: {missing}")

    def draft_rows() -> Iterator[tuple[Any, ...]]:
        for i in range(n):
            pk = start_id + i
            state = _state_for(rng)
            created = now - dt.timedelta(seconds=rng.uniform(0, 365 * 86400))
            updated = created + dt.timedelta(seconds=rng.uniform(0, 3 * 86400))
            submitted = updated if state not in ("draft",) else None
            scheduled = now + dt.timedelta(days=rng.uniform(1, 30)) if state == "scheduled" else None
            published = updated if state == "published" else None
            drafts.append(DraftRow(pk, state, created, 2 if rng.random() < 0.3 else 1))
            yield (
                pk, fx.agency.pk, fx.channel.pk, fx.officer.pk, f"Draft {pk}", state, "", scheduled, published,
                f"https://x.example/BenchAgency/status/{pk}" if published else "",
                fx.approver.pk if published else None, created, updated,
                "high" if state == "awaiting_approval" else "", submitted, "", "manual" if published else "", None,
            )  # fmt: skip

    copy_rows(Draft, draft_columns, draft_rows())
    reset_sequence(Draft)

    revision_columns = [
        "draft_id", "number", "text", "media", "created_by_id", "created_at", "verdict", "worst", "review", "pack_ref", "engine",
    ]  # fmt: skip
    missing = [f.column for f in Revision._meta.concrete_fields if f.column not in {*revision_columns, "id"}]
    if missing:
        raise SystemExit(f"drafts_revision has columns this benchmark does not fill yet: {missing}")
    encoded = [(s, json.dumps(s["review"], ensure_ascii=False)) for s in samples]

    def revision_rows() -> Iterator[tuple[Any, ...]]:
        for d in drafts:
            for number in range(1, d.revisions + 1):
                s, review = encoded[(d.id + number) % len(encoded)]
                yield (
                    d.id, number, s["text"], "[]", fx.officer.pk, d.created_at + dt.timedelta(minutes=number),
                    s["verdict"], s["worst"], review, s["pack_ref"], s["engine"],
                )  # fmt: skip

    copy_rows(Revision, revision_columns, revision_rows())
    reset_sequence(Revision)
    return drafts


LIFECYCLE = {
    "draft": ("draft.created", "draft.reviewed"),
    "awaiting_approval": ("draft.created", "draft.reviewed", "draft.submitted"),
    "returned": ("draft.created", "draft.reviewed", "draft.submitted", "draft.returned"),
    "ready": ("draft.created", "draft.reviewed", "draft.submitted", "draft.approved"),
    "scheduled": ("draft.created", "draft.reviewed", "draft.submitted", "draft.approved"),
    "published": ("draft.created", "draft.reviewed", "draft.submitted", "draft.approved", "draft.published"),
    "withdrawn": ("draft.created", "draft.reviewed", "draft.withdrawn"),
}


def load_audit_events(fx: Fixture, drafts: list[DraftRow], n: int) -> tuple[int, str]:
    """``n`` events continuing the chain already in the database; returns the new head."""
    from django.db import connection, transaction

    from govsocial.web.audit.models import AuditEvent, ChainHead
    from govsocial.web.audit.services import GENESIS, compute_hash

    head = ChainHead.objects.filter(id=1).first()
    seq, prev = (head.seq, head.hash) if head else (0, GENESIS)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=365)
    columns = [
        "seq", "created_at", "actor_id", "actor_label", "agency_id", "action", "subject_type", "subject_id",
        "old", "new", "reason", "prev_hash", "hash",
    ]  # fmt: skip
    actors = {"officer": (fx.officer.pk, fx.officer.label), "approver": (fx.approver.pk, fx.approver.label)}

    def events() -> Iterator[tuple[Any, ...]]:
        nonlocal seq, prev
        made = 0
        rounds = 0
        while made < n:
            for d in drafts:
                for action in LIFECYCLE[d.state] if rounds == 0 else ("draft.updated", "draft.reviewed"):
                    if made >= n:
                        return
                    seq += 1
                    who = "approver" if action in ("draft.approved", "draft.returned", "draft.published") else "officer"
                    actor_id, label = actors[who]
                    new = (
                        {"state": d.state, "revision": 1 + rounds}
                        if action != "draft.reviewed"
                        else {"revision": 1 + rounds, "verdict": "ok", "codes": []}
                    )
                    event = AuditEvent(
                        seq=seq,
                        created_at=start + dt.timedelta(microseconds=seq * 1000),
                        actor_id=actor_id,
                        actor_label=label,
                        agency_id=fx.agency.pk,
                        action=action,
                        subject_type="draft",
                        subject_id=str(d.id),
                        old=None,
                        new=new,
                        reason="",
                        prev_hash=prev,
                    )
                    digest = compute_hash(prev, event)
                    made += 1
                    yield (
                        seq, event.created_at, actor_id, label, fx.agency.pk, action, "draft", event.subject_id,
                        None, json.dumps(new), "", prev, digest,
                    )  # fmt: skip
                    prev = digest
            rounds += 1

    with transaction.atomic():
        copy_rows(AuditEvent, columns, events())
        # The chain head is a plain table: set it to the last event written.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_chainhead (id, seq, hash) VALUES (1, %s, %s) ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash",
                [seq, prev],
            )
    reset_sequence(AuditEvent)
    return seq, prev


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # a steady state: statistics and the visibility map (index-only scans)


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_pool(port: int, threads: int, processes: int) -> None:
    """The ``--server pool`` process: wsgiref's WSGIServer handing each connection to a bounded
    pool of threads (like gunicorn's gthread worker), in ``processes`` forked copies sharing one
    listening socket (like gunicorn's workers: Python threads share one core because of the GIL).
    Database connections are bounded (processes × threads) and kept between requests."""
    import signal
    from concurrent.futures import ThreadPoolExecutor
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

    import django
    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    django.setup()
    application = get_wsgi_application()

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    class PoolServer(WSGIServer):
        request_queue_size = 512

        def start_pool(self) -> None:
            self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="wsgi")

        def process_request(self, request: Any, client_address: Any) -> None:
            self.pool.submit(self._handle, request, client_address)

        def _handle(self, request: Any, client_address: Any) -> None:
            try:
                self.finish_request(request, client_address)
            except Exception:  # a broken request must not kill the worker thread
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

    server = PoolServer(("127.0.0.1", port), Quiet)
    server.set_app(application)
    connections.close_all()  # each process opens its own
    children: list[int] = []
    for _ in range(max(1, processes) - 1):
        pid = os.fork()
        if pid == 0:
            children = []
            break
        children.append(pid)

    def stop(signum: int, frame: Any) -> None:
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    server.start_pool()
    if children or processes <= 1:
        print(f"serving on 127.0.0.1:{port}: {processes} process(es) x {threads} threads", flush=True)
    server.serve_forever()


def start_server(
    database_url: str, port: int, logfile: Path, *, kind: str, threads: int, processes: int
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "govsocial.web.settings",
        "GOVSOCIAL_API_RATE": "1000000/m",
        "LOG_LEVEL": "WARNING",
        # A thread per request (django) cannot keep connections; pooled threads can.
        "DB_CONN_MAX_AGE": "0" if kind == "django" else "300",
    }
    for name in ("REDIS_URL", "GOVSOCIAL_ENV", "GOVSOCIAL_DEBUG"):
        env.pop(name, None)
    if kind == "django":
        command = [sys.executable, "-m", "govsocial.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    else:
        command = [
            sys.executable,
            __file__,
            "--serve-pool",
            str(port),
            "--threads",
            str(threads),
            "--processes",
            str(processes),
        ]
    out = logfile.open("wb")
    proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped (exit {proc.returncode}); see {logfile}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if b" 200 " in s.recv(64):
                    return proc
        except OSError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not answer /healthz within 120 s")


# --------------------------------------------------------------------------- load generator


@dataclass
class Sample:
    scheduled: float
    started: float
    finished: float
    status: int
    error: str = ""


async def _one(host: str, port: int, request: bytes, scheduled: float, timeout: float) -> Sample:
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        writer.write(request)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
        writer.close()
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
        return Sample(scheduled, started, loop.time(), status, "" if status else "no HTTP status")
    except (OSError, TimeoutError, ValueError, IndexError) as exc:
        return Sample(scheduled, started, loop.time(), 0, type(exc).__name__)


async def _run(
    host: str, port: int, make: Callable[[int], bytes], rate: float, duration: float, timeout: float
) -> list[Sample]:
    loop = asyncio.get_running_loop()
    count = int(rate * duration)
    t0 = loop.time() + 0.2
    tasks = []
    for i in range(count):
        when = t0 + i / rate
        delay = when - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(_one(host, port, make(i), when, timeout)))
    return list(await asyncio.gather(*tasks))


def drive(port: int, make: Callable[[int], bytes], rate: float, duration: float, timeout: float = 10.0) -> list[Sample]:
    return asyncio.run(_run("127.0.0.1", port, make, rate, duration, timeout))


def sequential(port: int, make: Callable[[int], bytes], n: int) -> list[float]:
    """Latencies (ms) of ``n`` requests sent one after another: the cost of one request with no
    queueing, for comparison with the loaded figures."""

    async def run() -> list[float]:
        loop = asyncio.get_running_loop()
        out = []
        for i in range(n):
            sample = await _one("127.0.0.1", port, make(i), loop.time(), 10.0)
            if 200 <= sample.status < 300:
                out.append((sample.finished - sample.started) * 1000)
        return out

    return asyncio.run(run())


def wait_until_idle(port: int, *, seconds: float = 120.0) -> None:
    """Wait until the server answers /healthz quickly again (a backlog from an overloaded phase
    would otherwise weigh on the next one)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.settimeout(2)
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if b" 200 " in s.recv(64) and time.monotonic() - started < 0.05:
                    return
        except OSError:
            pass
        time.sleep(0.5)


def http_get(path: str, cookie: str) -> Callable[[int], bytes]:
    raw = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid={cookie}\r\nConnection: close\r\n\r\n".encode()
    return lambda i: raw


def http_post_review(token: str) -> Callable[[int], bytes]:
    bodies = [json.dumps({"text": text, "context": "official", "platform": "x"}).encode() for text in POSTS]

    def make(i: int) -> bytes:
        body = bodies[i % len(bodies)]
        head = (
            f"POST /api/v1/reviews HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        return head.encode() + body

    return make


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summarise(name: str, samples: list[Sample], duration: float) -> dict[str, Any]:
    ok = [s for s in samples if 200 <= s.status < 300]
    latency = [(s.finished - s.scheduled) * 1000 for s in ok]
    service = [(s.finished - s.started) * 1000 for s in ok]
    lateness = [(s.started - s.scheduled) * 1000 for s in samples]
    errors: dict[str, int] = {}
    for s in samples:
        if not 200 <= s.status < 300:
            key = s.error or f"HTTP {s.status}"
            errors[key] = errors.get(key, 0) + 1
    span = (max(s.finished for s in samples) - min(s.scheduled for s in samples)) if samples else duration
    return {
        "name": name,
        "requests": len(samples),
        "ok": len(ok),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "achieved_rps": len(ok) / span if span > 0 else 0.0,
        "p50_ms": percentile(latency, 50),
        "p90_ms": percentile(latency, 90),
        "p99_ms": percentile(latency, 99),
        "max_ms": max(latency) if latency else float("nan"),
        "mean_ms": statistics.fmean(latency) if latency else float("nan"),
        "service_p50_ms": percentile(service, 50),
        "service_p99_ms": percentile(service, 99),
        "client_late_p99_ms": percentile(lateness, 99),
    }


# --------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    pg = "unknown"
    try:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg = str(cursor.fetchone()[0])
    except Exception:  # the version is only reported
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "postgresql": pg,
        "loadavg": os.getloadavg(),
        # UTC: Django has set the process's time zone to the agency's by now.
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
    }


def render(
    args: argparse.Namespace, timer: Timer, results: list[dict[str, Any]], info: dict[str, Any], verify: tuple[int, str]
) -> str:
    command = "python bench/web_load.py" + "".join(
        f" --{k.replace('_', '-')} {v}"
        for k, v in (("drafts", args.drafts), ("events", args.events), ("rate", args.rate), ("duration", args.duration))
        if v != DEFAULTS[k]
    )
    lines = [
        SECTION,
        "",
        "The agency workspace under load on PostgreSQL (`bench/web_load.py`; see its docstring for the method).",
        "",
        f"- Command: `{command}` (`DATABASE_URL` = the PostgreSQL server; a database `{args.db_name}` is made for the run)",
        f"- Machine: {info['nproc']} CPUs ({info['cpu']}), Python {info['python']}, PostgreSQL {info['postgresql']}; "
        f"load average before the load phases {info['loadavg'][0]:.2f} / {info['loadavg'][1]:.2f} / {info['loadavg'][2]:.2f}",
        f"- Date: {info['date']}",
        f"- Data: {args.drafts:,} drafts ({timer.laps.get('revisions', 0):,.0f} revisions) and {args.events:,} hash-chained audit events "
        f"in one agency; loading took {timer.laps['drafts']:.0f} s (drafts and revisions) and {timer.laps['events']:.0f} s (events, COPY)",
        f"- `verify_chain` over the whole log: {verify[0]:,} events in {timer.laps.get('verify', float('nan')):.0f} s ({verify[1]})",
        f"- Server: {SERVERS[args.server].format(threads=args.threads, processes=args.processes)}; API rate limit raised. "
        "Client: open-loop asyncio generator on loopback, a new connection per request",
        f"- Load: {args.rate:g} requests/s for {args.duration:g} s per endpoint (the drafts list first at "
        f"{', '.join(f'{r:g}' for r in args.list_rates) or 'no'} requests/s for {args.extra_duration:g} s each, to see what it sustains), "
        "each after a warm-up; latency from the scheduled send time",
        "",
        "| endpoint | offered req/s × s | requests | errors | achieved req/s | p50 ms | p90 ms | p99 ms | max ms | goal p99 < 150 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        verdict = "met" if r["p99_ms"] < GOAL_P99_MS and r["errors"] == 0 else "**not met**"
        lines.append(
            f"| {r['name']} | {r['rate']:g} × {r['duration']:g} | {r['requests']:,} | {r['errors']} | {r['achieved_rps']:.1f} | {r['p50_ms']:.1f} | {r['p90_ms']:.1f} | "
            f"{r['p99_ms']:.1f} | {r['max_ms']:.1f} | {verdict} |"
        )
    lines.append("")
    for r in results:
        if r["error_kinds"]:
            lines.append(
                f"Errors at {r['name']}: " + ", ".join(f"{k} × {v}" for k, v in sorted(r["error_kinds"].items())) + "."
            )
    lines.append(
        "One request at a time (no load, 40 requests) p50/p90: "
        + "; ".join(
            f"{r['name']} {r['alone_p50_ms']:.1f} / {r['alone_p90_ms']:.1f} ms"
            for r in results
            if r["rate"] == args.rate
        )
        + "."
    )
    lines.append(
        "Service time under load (connection opened to response read) p50/p99: "
        + "; ".join(
            f"{r['name']} at {r['rate']:g}/s {r['service_p50_ms']:.1f} / {r['service_p99_ms']:.1f} ms" for r in results
        )
        + ". The generator's own lateness p99: "
        + "; ".join(f"{r['name']} at {r['rate']:g}/s {r['client_late_p99_ms']:.1f} ms" for r in results)
        + "."
    )
    lines.append("")
    return "\n".join(lines)


def write_docs(section: str, path: Path = DOCS) -> None:
    """Put the section at the end of the file, replacing an earlier "## Workspace" section only."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    text = pattern.sub("", text).rstrip() + "\n\n" + section.rstrip() + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


SERVERS = {
    "pool": "wsgiref's `WSGIServer` in {processes} forked processes sharing the socket, each with a pool of {threads} threads "
    "(`--server pool`, like gunicorn's gthread workers; gunicorn is not installed), database connections kept per thread "
    "(`DB_CONN_MAX_AGE=300`)",
    "django": "`govsocial serve` (`--server django`: Django's threaded WSGI server, wsgiref + `ThreadingMixIn`, a new "
    "thread and database connection per request, `DB_CONN_MAX_AGE=0`)",
}
DEFAULTS = {"drafts": 100_000, "events": 1_000_000, "rate": 50.0, "duration": 60.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--db-name", default="govsocial_bench")
    parser.add_argument("--drafts", type=int, default=DEFAULTS["drafts"])
    parser.add_argument("--events", type=int, default=DEFAULTS["events"])
    parser.add_argument("--rate", type=float, default=DEFAULTS["rate"], help="requests per second per endpoint")
    parser.add_argument("--duration", type=float, default=DEFAULTS["duration"], help="seconds per endpoint")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of load before measuring each endpoint")
    parser.add_argument(
        "--list-rates",
        type=lambda text: [float(x) for x in text.split(",") if x.strip()],
        default=[10.0, 20.0],
        help="lower rates for the drafts list first, to find what it sustains (comma-separated; empty: none)",
    )
    parser.add_argument("--extra-duration", type=float, default=30.0, help="seconds of each --list-rates phase")
    parser.add_argument("--no-verify", action="store_true", help="skip re-walking the audit chain")
    parser.add_argument("--no-docs", action="store_true", help=f"do not write the section of {DOCS.relative_to(ROOT)}")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument(
        "--server",
        choices=("pool", "django"),
        default="pool",
        help="pool: wsgiref with a bounded thread pool (default); django: `govsocial serve` (a thread per request)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per process of the pool server")
    parser.add_argument(
        "--processes", type=int, default=os.cpu_count() or 1, help="processes of the pool server (default: CPUs)"
    )
    parser.add_argument("--serve-pool", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_pool:
        serve_pool(args.serve_pool, args.threads, args.processes)
        return 0
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("the benchmark needs PostgreSQL: set DATABASE_URL or --database-url to postgresql://...")

    timer = Timer()
    rng = random.Random(20260101)
    bench_url = with_database(args.database_url, args.db_name)
    t = time.perf_counter()
    recreate_database(args.database_url, args.db_name)
    django_setup(bench_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    timer.lap("migrate", t)

    fx = make_fixture()
    t = time.perf_counter()
    drafts = load_drafts(fx, args.drafts, rng)
    timer.lap("drafts", t)
    timer.laps["revisions"] = float(sum(d.revisions for d in drafts))
    t = time.perf_counter()
    load_audit_events(fx, drafts, args.events)
    timer.lap("events", t)
    t = time.perf_counter()
    analyze()
    timer.lap("analyze", t)

    verify: tuple[int, str] = (0, "not run")
    if not args.no_verify:
        from govsocial.web.audit.services import verify_chain

        t = time.perf_counter()
        count, broken = verify_chain()
        timer.lap("verify", t)
        verify = (count, "intact" if broken is None else f"BROKEN: {broken}")
        if broken is not None:
            log(f"the chain does not verify: {broken}")

    from django.db import connections

    info = machine()
    connections.close_all()
    port = free_port()
    logfile = Path(os.environ.get("TMPDIR", "/tmp")) / "govsocial-web-load-server.log"
    server = start_server(bench_url, port, logfile, kind=args.server, threads=args.threads, processes=args.processes)
    results = []
    try:
        list_page = http_get("/drafts/", fx.session_cookie)
        phases: list[tuple[str, Callable[[int], bytes], float, float]] = [
            ("GET /drafts/ (signed in)", list_page, rate, args.extra_duration)
            for rate in args.list_rates
            if rate != args.rate
        ]
        phases += [
            ("GET /drafts/ (signed in)", list_page, args.rate, args.duration),
            ("POST /api/v1/reviews", http_post_review(fx.token), args.rate, args.duration),
        ]
        alone: dict[str, list[float]] = {}
        for name, make, rate, duration in phases:
            wait_until_idle(port)
            if args.warmup > 0:
                drive(port, make, rate, args.warmup)
            if name not in alone:
                wait_until_idle(port)
                alone[name] = sequential(port, make, 40)
            log(f"{name}: {rate:g}/s for {duration:g} s")
            samples = drive(port, make, rate, duration)
            summary = summarise(name, samples, duration)
            summary["rate"] = rate
            summary["duration"] = duration
            summary["alone_p50_ms"] = percentile(alone[name], 50)
            summary["alone_p90_ms"] = percentile(alone[name], 90)
            results.append(summary)
            log(
                f"{name} at {rate:g}/s: p50 {summary['p50_ms']:.1f} ms, p90 {summary['p90_ms']:.1f} ms, "
                f"p99 {summary['p99_ms']:.1f} ms, errors {summary['errors']}, {summary['achieved_rps']:.1f} req/s"
            )
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    section = render(args, timer, results, info, verify)
    print(section)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": info, "laps": timer.laps, "results": results, "verify": verify}, indent=2, default=str
            )
        )
    if not args.no_docs:
        write_docs(section)
        log(f"wrote the {SECTION!r} section of {DOCS}")
    if not args.keep:
        from django.db import connections as conns

        conns.close_all()
        import psycopg
        from psycopg import sql

        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(args.db_name)))
    return 0 if all(r["errors"] == 0 for r in results if r["rate"] == args.rate) else 1


if __name__ == "__main__":
    sys.exit(main())
