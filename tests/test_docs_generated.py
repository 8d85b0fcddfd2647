"""The rule reference in docs/rules is generated from the code and must be up to date."""

from __future__ import annotations

from pathlib import Path

from govsocial.docgen import render

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"


def test_docs_rules_match_the_code() -> None:
    files = render()
    stale = [
        n for n, text in files.items() if not (DOCS / n).is_file() or (DOCS / n).read_text(encoding="utf-8") != text
    ]
    assert not stale, f"run `python -m govsocial.docgen docs/rules`; stale: {stale[:10]}"
    extra = {p.name for p in DOCS.glob("*.md")} - set(files)
    assert not extra, f"docs for rules that no longer exist: {sorted(extra)}"


def test_every_rule_page_has_the_fixed_headings() -> None:
    for name, text in render().items():
        if name != "README.md":
            assert "## What it does" in text and "## Why is this bad?" in text and "## Example" in text, name
