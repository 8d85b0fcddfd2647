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
