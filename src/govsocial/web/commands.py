"""The web workspace's command-line entry points, called by :mod:`govsocial.cli`.

``govsocial.cli`` imports this module only inside the web subcommands, so the engine's commands
never load Django. Each function returns the exit status: 0 done, 1 (``audit verify``) the chain is
broken, 2 usage or set-up problems (raised as :class:`~govsocial.errors.UsageError`).
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from govsocial.errors import UsageError

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def setup(*, host: str | None = None) -> None:
    """Configure Django from the environment (``govsocial.web.settings``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsocial.web.settings")
    if (
        host
        and host not in LOOPBACK
        and host not in ("0.0.0.0", "::")
        and os.environ.get("GOVSOCIAL_ENV") != "production"
    ):
        # Serving on a named address: let requests for it in (development settings only).
        os.environ.setdefault("ALLOWED_HOSTS", ",".join(["localhost", "127.0.0.1", "[::1]", host]))
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise UsageError(f"the web workspace is not configured: {exc}") from None


def migrate(*, verbosity: int = 0, out: TextIO | None = None) -> int:
    """Bring the configured database up to date (creates the SQLite file when needed)."""
    from django.core.management import call_command
    from django.db import DatabaseError

    out = out or sys.stdout
    try:
        call_command("migrate", interactive=False, verbosity=verbosity, stdout=out)
    except DatabaseError as exc:
        raise UsageError(f"cannot migrate the database: {exc}") from None
    return 0


def migrate_command(out: TextIO | None = None) -> int:
    setup()
    out = out or sys.stdout
    migrate(verbosity=1, out=out)
    out.write("The database is up to date.\n")
    return 0


def demo_command(out: TextIO | None = None) -> int:
    setup()
    from govsocial.web.demo import load_demo, print_logins

    out = out or sys.stdout
    migrate()
    result = load_demo()
    print_logins(result, out)
    return 0


def audit_verify_command(out: TextIO | None = None, err: TextIO | None = None) -> int:
    setup()
    from django.db import DatabaseError

    from govsocial.web.audit.services import verify_chain

    out, err = out or sys.stdout, err or sys.stderr
    try:
        count, broken = verify_chain()
    except DatabaseError as exc:
        raise UsageError(f"cannot read the audit log (run `govsocial migrate` first?): {exc}") from None
    if broken is not None:
        err.write(
            f"audit chain broken after checking {count} event{'' if count == 1 else 's'}: first broken link: {broken}\n"
        )
        return 1
    out.write(f"audit chain intact: {count} event{'' if count == 1 else 's'} checked\n")
    return 0


def serve_command(*, host: str, port: int, demo: bool, out: TextIO | None = None) -> int:
    """Migrate, optionally load the demo agency, and serve with Django's threaded WSGI server."""
    setup(host=host)
    import socketserver

    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
    from django.core.wsgi import get_wsgi_application

    out = out or sys.stdout
    migrate()
    if demo:
        from govsocial.web.demo import load_demo, print_logins

        print_logins(load_demo(), out)
    application = get_wsgi_application()
    shown = f"[{host}]" if ":" in host else host
    # What django.core.servers.basehttp.run does, split so the address is printed once it is bound.
    server_class = type("ThreadedWSGIServer", (socketserver.ThreadingMixIn, WSGIServer), {"daemon_threads": True})
    try:
        httpd = server_class((host, port), WSGIRequestHandler, ipv6=":" in host)
    except OSError as exc:
        raise UsageError(f"cannot serve on {shown}:{port}: {exc.strerror or exc}") from None
    httpd.set_app(application)
    out.write(f"govsocial is running at http://{shown}:{port}/ (Ctrl+C to stop)\n")
    out.flush()
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        out.write("govsocial stopped\n")
    finally:
        httpd.server_close()
    return 0


# --------------------------------------------------------------------------- channels and the inbox


def _database_error(exc: Exception) -> UsageError:
    return UsageError(f"cannot read the workspace database (run `govsocial migrate` first?): {exc}")


def _channel_named(name: str) -> object:
    """The channel called ``name`` (or with that handle or id); a usage error when none or several."""
    from django.db.models import Q

    from govsocial.web.channels.models import Channel

    wanted = name.strip()
    if not wanted:
        raise UsageError("--channel needs a channel name (see `govsocial channels list`)")
    query = Q(name__iexact=wanted) | Q(handle__iexact=wanted)
    if wanted.isdigit():
        query |= Q(pk=int(wanted))
    found = list(Channel.objects.filter(query).select_related("agency")[:3])
    if not found:
        raise UsageError(f"no channel called {wanted!r} (see `govsocial channels list`)")
    if len(found) > 1:
        raise UsageError(
            f"several channels are called {wanted!r}: give the channel's id from `govsocial channels list`"
        )
    return found[0]


def channels_list_command(*, fmt: str = "human", out: TextIO | None = None) -> int:
    """``govsocial channels list``: every channel with its agency, platform, pack and inbox settings."""
    setup()
    import json

    from django.db import DatabaseError

    from govsocial.web.channels.models import Channel

    out = out or sys.stdout
    try:
        channels = list(Channel.objects.select_related("agency", "owning_team").order_by("agency__name", "name", "pk"))
    except DatabaseError as exc:
        raise _database_error(exc) from None
    rows = [
        {
            "id": c.pk,
            "name": c.name,
            "agency": c.agency.slug,
            "platform": c.platform,
            "handle": c.handle,
            "context": c.context,
            "pack": c.pack_ref,
            "team": c.owning_team.name if c.owning_team else None,
            "moderation_mode": c.moderation_mode,
            "response_target_hours": c.response_target_hours,
            "active": c.active,
        }
        for c in channels
    ]
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not rows:
        out.write("No channels yet: add one in the workspace (Channels), or load the demo with `govsocial demo`.\n")
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        state = "" if r["active"] else "  (inactive)"
        out.write(
            f"{r['id']:>4}  {r['name']:<{width}}  {r['platform']:<9} {r['handle']}  [{r['agency']}, pack {r['pack']}]{state}\n"
        )
    return 0


IMPORT_BATCH = 500


def _bar(stream: TextIO, done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done >= total:
        stream.write("\n")
    stream.flush()


def inbox_import_command(
    *,
    channel: str,
    path: str,
    fmt: str | None = None,
    mapping: str = "",
    progress: bool | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """``govsocial inbox import``: read and check the whole file first (a bad row stores nothing),
    then triage and store it in batches, de-duplicated by id; prints ``N new, M already there``."""
    from govsocial.connectors.files import ImportFormatError, parse_mapping, read_messages

    out, err = out or sys.stdout, err or sys.stderr
    try:
        columns = parse_mapping(mapping) if mapping else None
        items = list(read_messages(path, fmt=fmt, mapping=columns))
    except ImportFormatError as exc:
        raise UsageError(str(exc)) from None
    for number, item in enumerate(items, start=1):
        if len(item.platform_id) > 300:
            raise UsageError(f"{path}: message {number}: the id is longer than 300 characters")
    if not items:
        raise UsageError(f"{path}: no messages in the file")
    setup()
    from django.db import DatabaseError

    from govsocial.web.inbox.services import InboxError, ingest

    try:
        target = _channel_named(channel)
    except DatabaseError as exc:
        raise _database_error(exc) from None
    show = err.isatty() if progress is None else progress
    created = already = hidden = queued = answer = 0
    done = 0
    if show:
        _bar(err, 0, len(items))
    try:
        for start in range(0, len(items), IMPORT_BATCH):
            chunk = items[start : start + IMPORT_BATCH]
            result = ingest(channel=target, items=chunk)  # type: ignore[arg-type]
            created += result.created
            already += result.duplicates
            hidden += result.hidden
            queued += result.queued
            answer += result.responses
            done += len(chunk)
            if show:
                _bar(err, done, len(items))
    except InboxError as exc:
        raise UsageError(
            f"{path}: {exc.message} ({done} messages stored before this; importing again skips them)"
        ) from None
    except DatabaseError as exc:
        raise _database_error(exc) from None
    except KeyboardInterrupt:
        err.write(f"\ngovsocial: interrupted after {done} of {len(items)} messages; import again to finish\n")
        return 130
    out.write(f"{created} new, {already} already there\n")
    if created:
        out.write(f"{answer} to answer, {queued} for a moderator, {hidden} hidden by the house rules\n")
    return 0


EXPORT_FIELDS = (
    "id",
    "platform_id",
    "channel",
    "author",
    "text",
    "created_at",
    "received_at",
    "category",
    "sentiment",
    "language",
    "pii",
    "pii_kinds",
    "priority",
    "action",
    "rule_code",
    "status",
    "assignee",
    "due_at",
    "answered_at",
)


def _iso(value: object) -> str | None:
    import datetime as dt

    return value.isoformat() if isinstance(value, dt.datetime) else None


def inbox_export_command(
    *, statuses: list[str] | None = None, channel: str | None = None, fmt: str = "jsonl", out: TextIO | None = None
) -> int:
    """``govsocial inbox export``: every message (of the chosen statuses and channel) with its
    triage, oldest first, streamed as JSON Lines (or one JSON array)."""
    setup()
    import json

    from django.db import DatabaseError

    from govsocial.web.inbox.models import Message, Status

    out = out or sys.stdout
    wanted = [s.strip() for value in statuses or () for s in value.split(",") if s.strip()]
    for s in wanted:
        if s not in Status.values:
            raise UsageError(f"unknown status {s!r}: use {', '.join(Status.values)}")
    try:
        qs = Message.objects.select_related("channel", "assignee").order_by("pk")
        if wanted:
            qs = qs.filter(status__in=wanted)
        if channel:
            qs = qs.filter(channel=_channel_named(channel))
        first = True
        if fmt == "json":
            out.write("[")
        for m in qs.iterator(chunk_size=2000):
            doc = {
                "id": m.pk,
                "platform_id": m.platform_id,
                "channel": m.channel.name,
                "author": m.author,
                "text": m.text,
                "created_at": _iso(m.created_at),
                "received_at": _iso(m.received_at),
                "category": m.category,
                "sentiment": m.sentiment,
                "language": m.language,
                "pii": m.has_pii,
                "pii_kinds": list(m.pii_kinds or []),
                "priority": m.priority,
                "action": m.action,
                "rule_code": m.rule_code,
                "status": m.status,
                "assignee": m.assignee.username if m.assignee else None,
                "due_at": _iso(m.due_at),
                "answered_at": _iso(m.answered_at),
            }
            line = json.dumps(doc, ensure_ascii=False)
            if fmt == "json":
                out.write(("\n" if first else ",\n") + line)
            else:
                out.write(line + "\n")
            first = False
        if fmt == "json":
            out.write("\n]\n" if not first else "]\n")
    except DatabaseError as exc:
        raise _database_error(exc) from None
    out.flush()
    return 0


def inbox_poll_command(*, names: list[str] | None = None, out: TextIO | None = None) -> int:
    """``govsocial inbox poll``: poll the due connectors (or the named ones) in this process."""
    setup()
    from django.db import DatabaseError

    from govsocial.web.inbox.tasks import poll_command

    try:
        return poll_command(names=names or (), out=out)
    except DatabaseError as exc:
        raise _database_error(exc) from None
