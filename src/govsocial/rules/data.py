"""Rules written as data, in the style of Vale: ``existence``, ``substitution``, ``occurrence``.

Comms staff can add these to a pack without Python::

    data_rules:
      STY901:
        type: substitution          # existence | substitution | occurrence
        name: our-house-style
        summary: Words our style guide replaces
        message: Say "{good}" instead of "{bad}".
        fix: Use the house word.
        swap: {utilise: use, "going forward": from now on}
        severity: {official: warn, personal: info}
        examples:
          bad: ["We will utilise the new system."]
          good: ["We will use the new system."]

- ``existence``: ``tokens`` (words or phrases) that should not appear; ``message`` may use ``{match}``.
- ``substitution``: ``swap`` maps a term to its replacement; ``message`` may use ``{bad}`` and ``{good}``.
- ``occurrence``: ``tokens`` counted; more than ``max`` occurrences is a finding.

Examples are tested like a rule's docstring: every ``bad`` must fire and every ``good`` must not.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from govsocial.model import Context, Post, Severity
from govsocial.rules.base import NAME_RE, CheckEnv, Hit, Rule
from govsocial.text import TermMatcher

__all__ = ["DataRule", "make_data_rule"]

_TYPES = {"existence", "substitution", "occurrence"}
_KEYS = {
    "type",
    "name",
    "summary",
    "message",
    "fix",
    "swap",
    "tokens",
    "max",
    "severity",
    "examples",
    "catalogue",
    "case_sensitive",
}


class DataRule(Rule):
    """Base of rules built from pack data."""

    kind: ClassVar[str]
    spec: ClassVar[Mapping[str, Any]]
    examples: ClassVar[Mapping[str, list[str]]] = {}

    def setup(self) -> None:
        terms = list(self.spec.get("swap", {}) or {}) or list(self.spec.get("tokens", []) or [])
        self.matcher = TermMatcher(terms, case_sensitive=bool(self.spec.get("case_sensitive", False)))
        self.swap = {k.lower(): v for k, v in (self.spec.get("swap", {}) or {}).items()}

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        matches = list(self.matcher.finditer(post.text))
        template = str(self.spec.get("message", "Avoid “{match}”."))
        if self.kind == "occurrence":
            limit = int(self.spec.get("max", 0))
            if len(matches) > limit:
                yield Hit(
                    message=template.format(count=len(matches), max=limit),
                    start=matches[limit].start,
                    end=matches[-1].end,
                )
            return
        for m in matches:
            good = self.swap.get(" ".join(m.entry.split()).lower(), "")
            yield Hit(
                message=template.format(match=m.term, bad=m.term, good=good),
                start=m.start,
                end=m.end,
                evidence={"term": m.entry, **({"replacement": good} if good else {})},
            )


def make_data_rule(code: str, spec: Any) -> type[Rule]:
    """Build a rule class from a pack's data-rule mapping; ``ValueError`` says what is wrong."""
    if not isinstance(spec, dict):
        raise ValueError("must be a mapping")
    unknown = set(spec) - _KEYS
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(sorted(unknown))}")
    kind = spec.get("type")
    if kind not in _TYPES:
        raise ValueError(f"type must be one of {', '.join(sorted(_TYPES))}")
    name = spec.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ValueError("name must be kebab-case, such as house-style-words")
    if kind == "substitution":
        swap = spec.get("swap")
        if (
            not isinstance(swap, dict)
            or not swap
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in swap.items())
        ):
            raise ValueError("a substitution rule needs swap: a mapping of term to replacement")
    else:
        tokens = spec.get("tokens")
        if not isinstance(tokens, list) or not tokens or not all(isinstance(t, str) for t in tokens):
            raise ValueError(f"an {kind} rule needs tokens: a list of words or phrases")
        if kind == "occurrence" and not isinstance(spec.get("max"), int):
            raise ValueError("an occurrence rule needs max: the number of occurrences allowed")
    severity = spec.get("severity", {}) or {}
    if not isinstance(severity, dict):
        raise ValueError("severity must map official/personal to a severity")
    defaults: dict[Context, Severity | None] = {Context.OFFICIAL: Severity.WARN, Context.PERSONAL: Severity.INFO}
    for ctx_name, value in severity.items():
        try:
            defaults[Context(ctx_name)] = None if value in (None, "off") else Severity(value)
        except ValueError:
            raise ValueError(f"severity.{ctx_name}: {value!r} is not a context and severity") from None
    examples = spec.get("examples", {}) or {}
    summary = str(spec.get("summary", name.replace("-", " ").capitalize()))
    doc = f"{summary}.\n\n## What it does\n\nA {kind} rule defined in the pack.\n"
    attrs: dict[str, Any] = {
        "code": code,
        "name": name,
        "kind": kind,
        "spec": dict(spec),
        "fix": str(spec.get("fix", "Reword this part.")),
        "default_severity": defaults,
        "examples": {"bad": list(examples.get("bad", [])), "good": list(examples.get("good", []))},
        "catalogue": tuple(spec.get("catalogue", ())),
        "__doc__": doc,
        "__module__": __name__,
    }
    return type(f"DataRule_{code}", (DataRule,), attrs)
