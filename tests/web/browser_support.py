"""Helpers for the browser tests: Debian's Chromium driven by Playwright, axe-core, screenshots.

- :func:`chromium_path` finds ``/usr/bin/chromium``, installing the Debian package when it is
  missing (``apt-get install -y chromium``; root in CI). No browser is ever downloaded by
  Playwright.
- :func:`launch` starts it headless with the flags that keep it quiet and offline.
- :func:`axe_source` reads ``axe.min.js`` from ``frontend/node_modules/axe-core`` (a dev
  dependency of the front end) or from ``.cache/npm``, installing it there with npm when absent.
- :func:`axe_violations` injects axe into a page and returns its serious and critical violations;
  :func:`describe_violations` prints them for people.
- :func:`screenshot` saves a PNG under ``artifacts/screenshots/`` (git-ignored).
- :func:`clear_audit_log` empties the audit log before a ``transactional_db`` test's flush (the
  SQLite append-only triggers refuse the flush's DELETE).

When something cannot be had (no Chromium, no axe-core), the test fails when ``CI=true`` and is
skipped otherwise.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, NoReturn

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "artifacts" / "screenshots"
NPM_CACHE = REPO / ".cache" / "npm"
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
SERIOUS = ("serious", "critical")


def unavailable(reason: str) -> NoReturn:
    """Fail in CI, skip elsewhere."""
    if IN_CI:
        pytest.fail(reason + " (CI=true: the browser tests must run)")
    pytest.skip(reason)


def chromium_path() -> str:
    """``/usr/bin/chromium``, installed from the Debian archive when missing."""
    if CHROMIUM.exists():
        return str(CHROMIUM)
    apt = shutil.which("apt-get")
    if apt is None:
        unavailable("Chromium is not installed and there is no apt-get to install it")
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None:
        unavailable("Chromium is not installed and installing it needs root")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in ([*prefix, apt, "update"], [*prefix, apt, "install", "-y", "--no-install-recommends", "chromium"]):
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
        if done.returncode != 0:
            unavailable(f"could not install Chromium ({' '.join(command)}): {done.stderr.strip()[-500:]}")
    if not CHROMIUM.exists():
        unavailable("apt-get installed chromium but /usr/bin/chromium is missing")
    return str(CHROMIUM)


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, through Playwright (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)


def _axe_version() -> str:
    package = json.loads((REPO / "frontend" / "package.json").read_text(encoding="utf-8"))
    version = str(package.get("devDependencies", {}).get("axe-core", "")).strip()
    return version if re.fullmatch(r"\d+\.\d+\.\d+", version) else "latest"


def axe_source() -> str:
    """The text of ``axe.min.js``: the front end's copy, else ``.cache/npm`` (installed with npm)."""
    for folder in (REPO / "frontend" / "node_modules" / "axe-core", NPM_CACHE / "node_modules" / "axe-core"):
        script = folder / "axe.min.js"
        if script.exists():
            return script.read_text(encoding="utf-8")
    npm = shutil.which("npm")
    if npm is None:
        unavailable("axe-core is not installed and npm is not available to install it")
    NPM_CACHE.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefix", str(NPM_CACHE), f"axe-core@{_axe_version()}"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    script = NPM_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if done.returncode != 0 or not script.exists():
        unavailable(f"could not install axe-core with npm: {done.stderr.strip()[-500:]}")
    return script.read_text(encoding="utf-8")


def axe_violations(page: Any, source: str, *, impacts: tuple[str, ...] = SERIOUS) -> list[dict[str, Any]]:
    """Run axe on the page as it is now; the violations of the given impacts."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 300),
                                          summary: (n.failureSummary || "").slice(0, 400)})),
            }));
        }"""
    )
    return [v for v in result if v.get("impact") in impacts]


def describe_violations(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{where}: {len(violations)} serious or critical accessibility violation(s)"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"      at {node['target']}: {node['html']}")
            for text in node["summary"].splitlines():
                lines.append(f"         {text}")
        if len(v["nodes"]) > 5:
            lines.append(f"      ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def screenshot(page: Any, name: str) -> Path:
    """A full-page PNG under ``artifacts/screenshots/`` (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^a-z0-9_.-]+", "-", name.lower()).strip("-") + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


def clear_audit_log() -> None:
    """Empty the audit log so a ``transactional_db`` test's database can be flushed.

    pytest-django empties the tables with DELETE on SQLite, which the append-only triggers
    refuse; they are dropped for the moment and put back. (PostgreSQL flushes with TRUNCATE,
    which its row trigger does not see, so nothing is needed there.)"""
    import importlib

    from django.db import connection

    if connection.vendor != "sqlite":
        return
    migration = importlib.import_module("govsocial.web.audit.migrations.0001_initial")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
        cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_delete")
        cursor.execute("DELETE FROM audit_auditevent")
        cursor.execute("DELETE FROM audit_chainhead")
        for sql in migration.SQLITE_TRIGGER:
            cursor.execute(sql)
