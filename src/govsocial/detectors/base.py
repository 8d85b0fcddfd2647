"""Detectors find things in a post and know nothing of policy.

A detector is a function ``(post) -> list[Signal]`` registered under a name with
:func:`detector`. The engine runs each detector at most once per post, on first use by a
rule (see :class:`govsocial.engine.Signals`). A :class:`Signal` says what was found, where,
how sure the detector is, and why (pattern, context word, check-digit result), so a rule
can explain itself without echoing the personal data it found.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from govsocial.model import Post

__all__ = ["DETECTORS", "Detector", "Signal", "detector"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Signal:
    """Something a detector found.

    ``kind`` names the entity (``nz_ird``, ``email``, ``phone``, ``marking``...); ``start`` and
    ``end`` index ``field`` (``text``, ``profile_bio``, ``reply_to`` or ``media[i].alt``);
    ``score`` is the detector's confidence in 0..1; ``evidence`` explains it.
    ``value`` holds the matched text for rules to compare against allowlists; rules must
    never put it in a message (use :func:`govsocial.text.mask`).
    """

    kind: str
    start: int
    end: int
    score: float = 1.0
    value: str = ""
    field: str = "text"
    evidence: Mapping[str, Any] = dc_field(default_factory=dict)


Detector = Callable[[Post], list[Signal]]

DETECTORS: dict[str, Detector] = {}


def detector(name: str) -> Callable[[Detector], Detector]:
    """Register a detector under ``name``; rules ask for its signals by that name."""

    def register(fn: Detector) -> Detector:
        if name in DETECTORS:
            raise ValueError(f"detector {name!r} is registered twice")
        DETECTORS[name] = fn
        return fn

    return register
