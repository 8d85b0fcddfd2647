"""Errors that the command line reports as one clear line and exit status 2."""

from __future__ import annotations

__all__ = ["UsageError"]


class UsageError(Exception):
    """Bad input or usage: unknown task or pack, unreadable or malformed file."""
