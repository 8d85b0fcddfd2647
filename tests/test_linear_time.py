"""Every pattern runs in linear time.

Two checks: a static one over every compiled pattern the package holds (module level and in
loaded rules) that forbids the shapes behind catastrophic backtracking (an unbounded repeat
inside another unbounded repeat), and a dynamic one that reviews megabyte-sized pathological
inputs. The dynamic test has a generous timeout as a hang guard; speed itself is measured in
``bench/``, not asserted here.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govsocial
from govsocial import Media, Post, review
from govsocial.packs import load_pack

_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None)}
# A repeat with more than this many iterations counts as unbounded for nesting purposes.
_BIG = 100


def _nested_unbounded(items: Any, inside_unbounded: bool = False) -> bool:
    for op, av in items:
        if op in _REPEATS:
            _lo, hi, sub = av
            unbounded = hi == sre_parse.MAXREPEAT or hi > _BIG
            if unbounded and inside_unbounded and _can_vary(sub):
                return True
            if _nested_unbounded(sub, inside_unbounded or unbounded):
                return True
        elif op is sre_parse.SUBPATTERN:
            if _nested_unbounded(av[-1], inside_unbounded):
                return True
        elif op is sre_parse.BRANCH:
            if any(_nested_unbounded(b, inside_unbounded) for b in av[1]):
                return True
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT) and _nested_unbounded(av[1], inside_unbounded):
            return True
    return False


def _can_vary(sub: Any) -> bool:
    return bool(list(sub))


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found: list[tuple[str, re.Pattern[str]]] = []
    for mod in pkgutil.walk_packages(govsocial.__path__, "govsocial."):
        if mod.name.startswith(("govsocial.evaluation", "govsocial.cli", "govsocial.__main__", "govsocial.web")):
            continue
        try:
            module = importlib.import_module(mod.name)
        except ImportError:
            continue
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found.append((f"{mod.name}.{name}", value))
    for pid in ("nz", "uk", "nsw"):
        for entry in load_pack(pid).entries:
            for name, value in vars(entry.rule).items() if hasattr(entry.rule, "__dict__") else ():
                if isinstance(value, re.Pattern):
                    found.append((f"{pid}:{entry.code}.{name}", value))
    return found


def test_static_check_catches_a_catastrophic_pattern() -> None:
    assert _nested_unbounded(sre_parse.parse(r"(a+)+b"))
    assert _nested_unbounded(sre_parse.parse(r"(\w+\s?)*$"))
    assert not _nested_unbounded(sre_parse.parse(r"(?:\w{1,20}\s){0,5}\w+"))


def test_no_pattern_nests_unbounded_repeats() -> None:
    patterns = _patterns()
    assert len(patterns) > 20
    bad = [name for name, pat in patterns if _nested_unbounded(sre_parse.parse(pat.pattern, pat.flags))]
    assert not bad, f"patterns with nested unbounded repeats: {bad}"


PATHOLOGICAL = [
    "a" * 1_000_000,
    "1" * 1_000_000,
    "1 " * 500_000,
    "1-" * 500_000,
    "A" * 1_000_000,
    "AB " * 333_333,
    "@" * 1_000_000,
    "#a" * 500_000,
    "http://" + "a." * 400_000,
    "x@" * 500_000,
    ". " * 500_000,
    "Mr " * 333_333,
    ":" * 1_000_000,
    "😀" * 300_000,
    "\n" * 1_000_000,
    "ā" * 1_000_000,
]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("text", PATHOLOGICAL, ids=[repr(t[:8]) for t in PATHOLOGICAL])
def test_megabyte_pathological_input_finishes(text: str) -> None:
    result = review(Post(text=text, media=(Media(alt=text[:5000]),)), "nz")
    assert result.verdict is not None


@pytest.mark.timeout(300)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.text(alphabet=st.sampled_from(list("aA1 -.@#:/_'\n$!?😀ā")), min_size=1, max_size=4000))
def test_any_text_reviews_without_error(text: str) -> None:
    if not text.strip():
        return
    result = review(text, "nz")
    for f in result.findings:
        if f.start is not None and f.field == "text":
            assert 0 <= f.start <= (f.end or f.start) <= len(text)
