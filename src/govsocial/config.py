"""Settings for the command line from ``govsocial.toml`` or ``[tool.govsocial]`` in ``pyproject.toml``.

The nearest file up from the working directory wins; command-line options override it::

    [tool.govsocial]
    pack = "packs/my-agency.yml"   # relative to the file that names it
    context = "official"
    platform = "x"
    fail_on = "high"
    format = "human"
    select = ["PRIV", "SEC"]
    ignore = ["STY202"]
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from govsocial.errors import UsageError

__all__ = ["KEYS", "load_config"]

KEYS = {"pack", "context", "platform", "fail_on", "format", "select", "ignore"}


def _find(start: Path) -> tuple[Path, dict[str, Any]] | None:
    for folder in (start, *start.parents):
        own = folder / "govsocial.toml"
        if own.is_file():
            return own, _read(own)
        project = folder / "pyproject.toml"
        if project.is_file():
            data = _read(project).get("tool", {}).get("govsocial")
            if data is not None:
                return project, data
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the settings file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None


def load_config(start: Path | None = None) -> dict[str, Any]:
    """The settings that apply in ``start`` (default: the working directory), validated."""
    found = _find((start or Path.cwd()).resolve())
    if found is None:
        return {}
    path, data = found
    if not isinstance(data, dict):
        raise UsageError(f"{path}: the govsocial settings must be a table")
    unknown = set(data) - KEYS
    if unknown:
        raise UsageError(
            f"{path}: unknown govsocial setting(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(KEYS))}"
        )
    out = dict(data)
    pack = out.get("pack")
    if isinstance(pack, str) and (pack.endswith((".yml", ".yaml")) or "/" in pack):
        out["pack"] = str((path.parent / pack).resolve())
    for key in ("select", "ignore"):
        if key in out and isinstance(out[key], str):
            out[key] = [out[key]]
    return out
