"""The public data model: what goes into a review and what comes out.

```
Post ──► review() ──► ReviewResult
 ├─ text, context, platform            ├─ verdict   (ok < advise < review < block)
 ├─ media: Media(kind, alt, captions)  ├─ findings: Finding(code, severity, message, fix, span, clauses)
 ├─ author: Author(agency, roles)      ├─ pack      ("nz@2026.11.0#<sha256>")
 └─ profile_bio, reply_to, election…   └─ engine    (engine version)
```

Everything here is a frozen dataclass or a ``StrEnum`` so results can be cached, compared,
hashed and serialised without surprises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from enum import StrEnum
from typing import Any

__all__ = [
    "Author",
    "Context",
    "Finding",
    "Media",
    "MediaKind",
    "Platform",
    "Post",
    "ReviewResult",
    "Severity",
    "Verdict",
]


class Context(StrEnum):
    """The capacity a post is made in."""

    OFFICIAL = "official"
    PERSONAL = "personal"


class Platform(StrEnum):
    X = "x"
    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    LINKEDIN = "linkedin"
    THREADS = "threads"


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"


class Severity(StrEnum):
    """How serious a finding is: ``info`` < ``warn`` < ``high`` < ``block``."""

    INFO = "info"
    WARN = "warn"
    HIGH = "high"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def shifted(self, steps: int) -> Severity:
        """The severity ``steps`` places up (positive) or down (negative), clamped."""
        order = list(Severity)
        return order[max(0, min(len(order) - 1, self.rank + steps))]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}


class Verdict(StrEnum):
    """The overall answer, from the worst finding.

    ``info`` nudges leave a post ``ok``: they are advice, not a problem.
    """

    OK = "ok"
    ADVISE = "advise"
    REVIEW = "review"
    BLOCK = "block"

    @classmethod
    def from_worst(cls, worst: Severity | None) -> Verdict:
        if worst is None or worst is Severity.INFO:
            return cls.OK
        return {Severity.WARN: cls.ADVISE, Severity.HIGH: cls.REVIEW, Severity.BLOCK: cls.BLOCK}[worst]


@dataclass(frozen=True, slots=True, kw_only=True)
class Media:
    """An attachment. ``alt`` is the alternative text; ``captions`` says whether a video has them."""

    kind: MediaKind = MediaKind.IMAGE
    alt: str | None = None
    captions: bool | None = None
    transcript: bool | None = None
    decorative: bool = False
    filename: str | None = None

    def __post_init__(self) -> None:
        # Accept plain strings from callers ("image"), as the JSON input does.
        if not isinstance(self.kind, MediaKind):
            object.__setattr__(self, "kind", MediaKind(self.kind))


@dataclass(frozen=True, slots=True, kw_only=True)
class Author:
    """Who is posting: their agency and roles (``officer``, ``approver``, ``spokesperson``...)."""

    name: str | None = None
    agency: str | None = None
    roles: frozenset[str] = frozenset()
    portfolio: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.roles, frozenset):
            object.__setattr__(self, "roles", frozenset(self.roles))
        if not isinstance(self.portfolio, tuple):
            object.__setattr__(self, "portfolio", tuple(self.portfolio))

    def has_role(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)


@dataclass(frozen=True, slots=True, kw_only=True)
class Post:
    """A draft post or reply.

    ``election_period`` is ``None`` to take it from the pack's calendar for ``date``
    (today when ``date`` is unset), or a bool to state it.
    ``amplifies`` lists accounts or links the post shares, quotes or reposts.
    """

    text: str
    context: Context = Context.OFFICIAL
    platform: Platform | None = None
    media: tuple[Media, ...] = ()
    author: Author | None = None
    profile_bio: str | None = None
    reply_to: str | None = None
    election_period: bool | None = None
    date: dt.date | None = None
    amplifies: tuple[str, ...] = ()
    paid: bool = False

    def __post_init__(self) -> None:
        # Accept plain strings and lists from callers, so `Post(text=..., platform="x")` works.
        if not isinstance(self.context, Context):
            object.__setattr__(self, "context", Context(self.context))
        if self.platform is not None and not isinstance(self.platform, Platform):
            object.__setattr__(self, "platform", Platform(self.platform))
        if not isinstance(self.media, tuple):
            object.__setattr__(self, "media", tuple(self.media))
        if not isinstance(self.amplifies, tuple):
            object.__setattr__(self, "amplifies", tuple(self.amplifies))


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One problem found in a post, with the guidance clauses behind it and a fix."""

    code: str
    name: str
    severity: Severity
    message: str
    fix: str
    start: int | None = None
    end: int | None = None
    field: str = "text"
    clauses: tuple[str, ...] = ()
    evidence: Mapping[str, Any] = dc_field(default_factory=dict)

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": str(self.severity),
            "message": self.message,
            "fix": self.fix,
            "start": self.start,
            "end": self.end,
            "field": self.field,
            "clauses": list(self.clauses),
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewResult:
    """The outcome of a review: verdict, findings (worst first), and what produced them."""

    verdict: Verdict
    findings: tuple[Finding, ...]
    pack: str
    engine: str
    context: Context
    language: str = "en"

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": str(self.verdict),
            "findings": [f.to_dict() for f in self.findings],
            "pack": self.pack,
            "engine": self.engine,
            "context": str(self.context),
            "language": self.language,
        }
