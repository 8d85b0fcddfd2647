"""The stateless check of a post (the "check a post" page and ``POST /api/v1/reviews``), and the
plain-words presentation of a review that every page showing findings uses.

A check stores nothing: no draft, no audit event. Packs are limited to the ones the user's agency
uses (its own, its channels') and the built-in ones, so a request can never name a file path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final

import govsocial
from govsocial.clauses import clause
from govsocial.io import InputError, post_from_dict
from govsocial.model import ReviewResult
from govsocial.packs import PackError, builtin_packs
from govsocial.web.accounts.permissions import is_member

__all__ = [
    "SEVERITY_LABELS",
    "VERDICT_WORDS",
    "CheckError",
    "ClauseView",
    "Explained",
    "FindingView",
    "check_post",
    "default_pack",
    "explain",
    "pack_choices",
]

MAX_CHECK_TEXT: Final = 10_000

#: verdict → (headline in plain words, what it means, GOV.UK tag class)
VERDICT_WORDS: Final[dict[str, tuple[str, str, str]]] = {
    "ok": ("Good to go", "Nothing in this post goes against the guidance we check.", "govuk-tag--green"),
    "advise": (
        "Good to go, with advice",
        "Nothing stops this post; the advice below would make it better.",
        "govuk-tag--blue",
    ),
    "review": ("Needs a second look", "An approver must check this post before it goes out.", "govuk-tag--orange"),
    "block": (
        "Do not publish",
        "This post must not go out as it is, unless an approver overrides with a recorded reason.",
        "govuk-tag--red",
    ),
}
#: severity → (label, GOV.UK tag class)
SEVERITY_LABELS: Final[dict[str, tuple[str, str]]] = {
    "info": ("Info", "govuk-tag--grey"),
    "warn": ("Advice", "govuk-tag--yellow"),
    "high": ("High", "govuk-tag--orange"),
    "block": ("Block", "govuk-tag--red"),
}


class CheckError(ValueError):
    """A check that cannot run; the message says what to fix."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClauseView:
    id: str
    system: str = ""
    section: str = ""
    text: str = ""
    reconstructed: bool = False
    known: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class FindingView:
    code: str
    name: str
    severity: str
    severity_label: str
    severity_class: str
    message: str
    fix: str
    field: str
    clauses: tuple[ClauseView, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Explained:
    """A review in words for a page: the verdict headline and each finding with its clauses."""

    verdict: str
    headline: str
    summary: str
    tag_class: str
    findings: tuple[FindingView, ...] = ()
    pack: str = ""
    engine: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def pack_short(self) -> str:
        """``nz@2026.11.0#1a2b3c4d5e6f``: the pack reference with its hash cut to 12 characters."""
        name, _, digest = self.pack.partition("#")
        return f"{name}#{digest[:12]}" if digest else name


def _clause_view(cid: str) -> ClauseView:
    found = clause(cid)
    if found is None:
        return ClauseView(id=cid, known=False)
    return ClauseView(
        id=cid, system=found.system, section=found.section, text=found.text, reconstructed=found.reconstructed
    )


def explain(review: Mapping[str, Any] | ReviewResult | None) -> Explained | None:
    """The plain-words form of a stored review (``ReviewResult.to_dict()``) or a result."""
    if review is None:
        return None
    data = review.to_dict() if isinstance(review, ReviewResult) else dict(review)
    if not data.get("verdict"):
        return None
    verdict = str(data["verdict"])
    headline, summary, tag = VERDICT_WORDS.get(verdict, (verdict, "", "govuk-tag--grey"))
    findings = []
    counts: dict[str, int] = {}
    for f in data.get("findings", []):
        severity = str(f.get("severity", "info"))
        label, cls = SEVERITY_LABELS.get(severity, (severity, "govuk-tag--grey"))
        counts[severity] = counts.get(severity, 0) + 1
        findings.append(
            FindingView(
                code=str(f.get("code", "")),
                name=str(f.get("name", "")),
                severity=severity,
                severity_label=label,
                severity_class=cls,
                message=str(f.get("message", "")),
                fix=str(f.get("fix", "")),
                field=str(f.get("field", "text")),
                clauses=tuple(_clause_view(str(c)) for c in f.get("clauses", [])),
            )
        )
    return Explained(
        verdict=verdict,
        headline=headline,
        summary=summary,
        tag_class=tag,
        findings=tuple(findings),
        pack=str(data.get("pack", "")),
        engine=str(data.get("engine", "")),
        counts=counts,
    )


@cache
def _builtin_names() -> tuple[str, ...]:
    return tuple(builtin_packs())  # a directory listing: once per process


def default_pack(*, for_user: Any) -> str:
    agency = getattr(for_user, "agency", None)
    return str(getattr(agency, "pack", "") or "nz")


def pack_choices(*, for_user: Any) -> list[tuple[str, str]]:
    """(ref, label) of the packs a user may check against: their agency's pack first, then the
    packs of its channels, then the built-in packs."""
    from govsocial.web.channels.models import Channel

    choices: dict[str, str] = {}
    if is_member(for_user):
        agency_pack = default_pack(for_user=for_user)
        choices[agency_pack] = f"{agency_pack} (your agency’s pack)"
        for ref in (
            Channel.objects.filter(agency_id=for_user.agency_id, active=True)
            .exclude(pack="")
            .values_list("pack", flat=True)
            .distinct()
        ):
            choices.setdefault(ref, f"{ref} (a channel’s pack)")
    for name in _builtin_names():
        choices.setdefault(name, f"{name} (built in)")
    return list(choices.items())


def check_post(*, for_user: Any, document: Mapping[str, Any], pack: str | None = None) -> ReviewResult:
    """Review a post document (the shape :func:`govsocial.io.post_from_dict` reads) against
    ``pack`` (default: the agency's). Stores nothing. :class:`CheckError` for bad input."""
    allowed = dict(pack_choices(for_user=for_user))
    ref = (pack or "").strip() or default_pack(for_user=for_user)
    if ref not in allowed:
        raise CheckError(f"Unknown pack “{ref}”: choose one of {', '.join(allowed)}.")
    doc = dict(document)
    doc.pop("pack", None)
    text = doc.get("text")
    if isinstance(text, str) and len(text) > MAX_CHECK_TEXT:
        raise CheckError(f"The text must be {MAX_CHECK_TEXT:,} characters or fewer.")
    agency = getattr(for_user, "agency", None)
    if agency is not None and "author" not in doc:
        doc["author"] = {"agency": agency.name}
    try:
        post = post_from_dict(doc)
    except InputError as exc:
        raise CheckError(str(exc)) from None
    try:
        return govsocial.review(post, pack=ref)
    except (PackError, OSError) as exc:
        raise CheckError(f"The pack “{ref}” could not be loaded: {exc}") from None
