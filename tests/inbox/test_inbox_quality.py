"""Triage quality on the dev data: promises that must hold and floors that catch regressions.

The dev data lives beside the repository (``../shared/data/dev``) and is read at run time only.
Without it the tests skip, except in CI (``CI=true``), where a missing file fails the build.
Labelled tasks use held-out rows only (``govsocial.datasets.is_test``); official posts are all
fine, so every row is used. Floors sit below the measured figures (in brackets) by a margin.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from govsocial.datasets import is_test
from govsocial.inbox import Triage, TriageInput, load_house_rules, triage_many

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dev"


def _rows(task: str, *, held_out: bool = True) -> list[dict[str, str]]:
    path = DEV / f"{task}.jsonl"
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing in CI")
        pytest.skip(f"{path} not present")
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [r for r in rows if not held_out or is_test(r["id"])]


def _triaged(rows: list[dict[str, str]], pack: str = "nz") -> Iterator[tuple[dict[str, str], Triage]]:
    rules = load_house_rules(pack)
    results: list[Triage] = []
    for i in range(0, len(rows), 1000):
        results.extend(triage_many([TriageInput(text=r["text"]) for r in rows[i : i + 1000]], rules=rules))
    return zip(rows, results, strict=True)


def test_when_complaints_are_triaged_then_none_is_hidden_except_for_personal_information() -> None:
    hidden = [
        r["text"][:80]
        for r, t in _triaged(_rows("complaint"))
        if r["label"] == "complaint" and t.action == "hide" and not t.pii
    ]
    assert hidden == []


@pytest.mark.parametrize("pack", ["nz", "nsw"])
def test_when_agency_posts_are_triaged_then_almost_none_is_hidden(pack: str) -> None:
    pairs = list(_triaged(_rows("official_posts", held_out=False), pack))
    hidden = sum(t.action == "hide" for _, t in pairs) / len(pairs)
    assert hidden < 0.02  # (0.006)
    assert sum(t.category == "crisis" for _, t in pairs) / len(pairs) < 0.01  # (0.0)


def test_when_abusive_messages_are_triaged_then_most_reach_a_moderator_and_few_others_are_hidden() -> None:
    pairs = list(_triaged(_rows("abuse")))
    abusive = [t for r, t in pairs if r["label"] == "abusive"]
    fine = [t for r, t in pairs if r["label"] == "ok"]
    assert sum(t.action != "leave" for t in abusive) / len(abusive) >= 0.70  # (0.79)
    assert sum(t.action == "hide" for t in fine) / len(fine) <= 0.07  # (0.04)


def test_when_health_claims_are_triaged_then_misinformation_is_queued_and_facts_are_not() -> None:
    pairs = list(_triaged(_rows("misinformation")))
    flagged = [any(x.startswith("IN-08") for x in t.reasons) for _, t in pairs]
    false_claims = [f for (r, _), f in zip(pairs, flagged, strict=True) if r["label"] == "misinformation"]
    facts = [f for (r, _), f in zip(pairs, flagged, strict=True) if r["label"] == "ok"]
    assert sum(false_claims) / len(false_claims) >= 0.70  # (0.80)
    assert sum(facts) / len(facts) <= 0.02  # (0.004)
    assert all(t.action != "hide" or t.rule_code != "IN-08" for _, t in pairs)
