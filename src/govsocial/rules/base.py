"""Rules: one concern each, pure functions of a post and its signals.

A rule is a small class with a ``code`` (family + three digits), a kebab-case ``name``, the
catalogue items it implements (``XR-..``), default severities per context, and a ``check``
method that yields :class:`Hit` objects. The engine turns hits into findings: it adds the
code, name, the severity set by the pack for the post's context, and the pack's clauses.

The class docstring is the user's documentation, under fixed headings checked by a test::

    One-line summary.

    ## What it does
    ## Why is this bad?
    ## Example
        a bad post
    Use instead:
        a good post

Rules do no I/O and read no clock: everything they need arrives in :class:`CheckEnv`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import TYPE_CHECKING, Any, ClassVar

from govsocial.model import Context, Post, Severity

if TYPE_CHECKING:
    from govsocial.detectors.base import Signal

__all__ = ["FAMILIES", "CheckEnv", "Hit", "Rule"]

FAMILIES: Mapping[str, str] = {
    "PRIV": "Personal information",
    "SEC": "Protective markings, unreleased material, credentials, safety of people",
    "POL": "Political neutrality and election periods",
    "ABU": "Abuse, harassment, hate, profanity",
    "LEG": "Defamation, suppression and contempt, endorsement, copyright",
    "AUTH": "Speaking with or without authority",
    "ACC": "Accessibility",
    "STY": "Plain language and tone",
    "PLAT": "Platform limits",
}

CODE_RE = re.compile(r"^(PRIV|SEC|POL|ABU|LEG|AUTH|ACC|STY|PLAT)[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z0-9]{1,40}(?:-[a-z0-9]{1,40}){0,12}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """What a rule found. ``shift`` moves the pack's severity up or down (for example -1
    when a detector is less sure); ``fix`` replaces the rule's default fix."""

    message: str
    start: int | None = None
    end: int | None = None
    field: str = "text"
    fix: str | None = None
    shift: int = 0
    evidence: Mapping[str, Any] = dc_field(default_factory=dict)


class CheckEnv:
    """What a rule may read besides the post: signals, pack options, the period.

    Signals and classifier scores are computed lazily and cached for the post, so a
    detector runs once however many rules read it.
    """

    __slots__ = ("_cache", "_scores", "election", "language", "linked_to_employer", "options", "post")

    def __init__(
        self,
        *,
        post: Post,
        options: Mapping[str, Any],
        election: bool,
        linked_to_employer: bool,
        language: str = "en",
    ) -> None:
        self.post = post
        self.options = options
        self.election = election
        self.linked_to_employer = linked_to_employer
        self.language = language
        self._cache: dict[str, list[Signal]] = {}
        self._scores: dict[tuple[str, str], float] = {}

    @property
    def context(self) -> Context:
        return self.post.context

    @property
    def is_official(self) -> bool:
        return self.post.context is Context.OFFICIAL

    def signals(self, name: str) -> list[Signal]:
        """The signals of detector ``name`` for this post (run on first request)."""
        found = self._cache.get(name)
        if found is None:
            from govsocial.detectors.base import DETECTORS

            found = DETECTORS[name](self.post)
            self._cache[name] = found
        return found

    def score(self, task: str, field_name: str = "text") -> float:
        """A classifier's probability for ``task`` on a field of the post (cached)."""
        key = (task, field_name)
        value = self._scores.get(key)
        if value is None:
            from govsocial.classify import score_text

            text = self.post.text if field_name == "text" else (getattr(self.post, field_name) or "")
            value = score_text(task, text)
            self._scores[key] = value
        return value

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


class Rule:
    """Base class of every rule. Subclasses set the class attributes and ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    #: Catalogue items of the guidance digest this rule implements (``XR-03``...).
    catalogue: ClassVar[tuple[str, ...]] = ()
    #: Severity per context when a pack does not say; ``None``: the rule does not apply there.
    default_severity: ClassVar[Mapping[Context, Severity | None]] = {
        Context.OFFICIAL: Severity.WARN,
        Context.PERSONAL: Severity.INFO,
    }
    #: The one-line fix shown when a hit does not give its own.
    fix: ClassVar[str] = ""
    #: Skip this rule when the post is not in English (te reo Māori text is never "hard words").
    english_only: ClassVar[bool] = False
    #: Extra post fields for the docstring example (media, platform, reply_to, context...).
    example_post: ClassVar[Mapping[str, Any]] = {}
    #: Fields that differ for the ``Use instead:`` example (for example alt text added).
    example_fixed_post: ClassVar[Mapping[str, Any]] = {}
    #: Option names this rule reads, with defaults (documented under ``## Options``).
    options: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        merged = dict(self.options)
        if options:
            merged.update(options)
        self.config: Mapping[str, Any] = merged
        self.setup()

    def setup(self) -> None:
        """Pre-compute from ``self.config`` (term lists, patterns) once per loaded pack."""

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:  # pragma: no cover - abstract
        raise NotImplementedError
        yield

    @classmethod
    def family(cls) -> str:
        return cls.code.rstrip("0123456789")

    @classmethod
    def summary(cls) -> str:
        doc = (cls.__doc__ or "").strip()
        return doc.splitlines()[0].strip() if doc else ""
