"""docs/coverage.md accounts for every item of the outbound catalogue, and agrees with the rules."""

from __future__ import annotations

import re
from pathlib import Path

from govsocial.rules.registry import all_rules

DOC = Path(__file__).resolve().parents[1] / "docs" / "coverage.md"


def test_every_catalogue_item_is_covered_or_listed_as_a_gap() -> None:
    text = DOC.read_text(encoding="utf-8")
    covered = {x for cls in all_rules() for x in cls.catalogue}
    gaps = set(re.findall(r"^- \*\*(XR-\d\d)\*\*", text.split("## Not covered", 1)[1].split("##", 1)[0], re.M))
    for i in range(1, 41):
        item = f"XR-{i:02d}"
        assert item in covered or item in gaps, f"{item} is neither implemented nor listed as a gap"
        assert f"| {item} |" in text


def test_rows_name_the_rules_that_implement_each_item() -> None:
    text = DOC.read_text(encoding="utf-8")
    for cls in all_rules():
        for item in cls.catalogue:
            row = next(line for line in text.splitlines() if line.startswith(f"| {item} |"))
            assert cls.code in row, (item, cls.code)
