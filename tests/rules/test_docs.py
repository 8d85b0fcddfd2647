"""Rule documentation is checked against behaviour: headings present, examples fire, fixes don't."""

from __future__ import annotations

import re

import pytest

from govsocial import Post, review
from govsocial.model import Context
from govsocial.packs import load_pack
from govsocial.rules.base import CODE_RE, NAME_RE
from govsocial.rules.data import DataRule
from govsocial.rules.registry import CODES, all_rules

REQUIRED = ("## What it does", "## Why is this bad?", "## Example")
RULES = all_rules()


def _example_blocks(doc: str) -> tuple[str, str]:
    """The bad example and its ``Use instead:`` fix from a rule docstring."""
    section = doc.split("## Example", 1)[1]
    section = re.split(r"\n\s*## ", section, maxsplit=1)[0]
    bad, _, good = section.partition("Use instead:")
    return _dedent_block(bad), _dedent_block(good)


def _dedent_block(block: str) -> str:
    lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
    return " ".join(lines)


def _context_for(cls: type) -> Context:
    sev = cls.default_severity  # type: ignore[attr-defined]
    return Context.OFFICIAL if sev.get(Context.OFFICIAL) is not None else Context.PERSONAL


def test_codes_and_names_are_well_formed_and_unique() -> None:
    names = [cls.name for cls in RULES]
    assert len(set(names)) == len(names)
    for cls in RULES:
        assert CODE_RE.match(cls.code) and NAME_RE.match(cls.name), cls


@pytest.mark.parametrize("cls", RULES, ids=[c.code for c in RULES])
def test_docstring_has_the_fixed_headings(cls: type) -> None:
    doc = cls.__doc__ or ""
    assert doc.strip().splitlines()[0].strip(), "summary line"
    for heading in REQUIRED:
        assert heading in doc, f"{cls.__name__} lacks {heading}"
    assert "Use instead:" in doc
    assert cls.fix, f"{cls.__name__} has no default fix"  # type: ignore[attr-defined]


@pytest.mark.parametrize("cls", RULES, ids=[c.code for c in RULES])
def test_docstring_example_fires_and_fix_does_not(cls: type) -> None:
    bad, good = _example_blocks(cls.__doc__ or "")
    meta = getattr(cls, "example_post", {}) or {}
    context = meta.get("context", _context_for(cls))
    from govsocial.io import post_from_dict

    bad_post = post_from_dict({**meta, "text": bad, "context": str(context)})
    good_post = post_from_dict(
        {**meta, **getattr(cls, "example_fixed_post", {}), "text": good, "context": str(context)}
    )
    pack = load_pack(meta.get("pack", "nz"))
    assert cls.code in review(bad_post, pack).codes(), f"example does not fire: {bad!r}"
    assert cls.code not in review(good_post, pack).codes(), f"fixed example fires: {good!r}"


def test_data_rule_examples_fire_and_fixes_do_not() -> None:
    pack = load_pack("nz")
    checked = 0
    for entry in pack.entries:
        rule = entry.rule
        if not isinstance(rule, DataRule):
            continue
        for text in rule.examples["bad"]:
            assert entry.code in review(Post(text=text), pack).codes(), text
            checked += 1
        for text in rule.examples["good"]:
            assert entry.code not in review(Post(text=text), pack).codes(), text
    assert checked, "the built-in packs define data rules with examples"


def test_registry_has_every_built_in_code_in_each_pack() -> None:
    for pid in ("nz", "uk", "nsw"):
        codes = {e.code for e in load_pack(pid).entries}
        assert set(CODES) <= codes, set(CODES) - codes
