"""Data rules of the built-in packs and the example agency pack: examples fire, fixes don't,
codes stay out of the registry's way, and ordinary words in real posts are left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from govsocial import review
from govsocial.model import Context, Post
from govsocial.packs import load_pack
from govsocial.rules.data import DataRule
from govsocial.rules.registry import CODES

EXAMPLE_PACK = str(Path(__file__).resolve().parents[2] / "examples" / "agency-pack.yml")
PACKS = ("nz", "uk", "nsw", EXAMPLE_PACK)
#: Built-in jurisdiction data rules use STY210-STY219; STY201 is base; 9xx is left to agencies.
BUILT_IN_DATA_CODES = {"nz": {"STY201", "STY210"}, "uk": {"STY201", "STY213"}, "nsw": {"STY201", "STY216", "STY217"}}


def _examples() -> list[object]:
    params: list[object] = []
    for ref in PACKS:
        label = "agency" if ref == EXAMPLE_PACK else ref
        for entry in load_pack(ref).entries:
            if not isinstance(entry.rule, DataRule):
                continue
            for kind in ("bad", "good"):
                for i, text in enumerate(entry.rule.examples[kind]):
                    params.append(pytest.param(ref, entry.code, kind, text, id=f"{label}-{entry.code}-{kind}{i}"))
    return params


@pytest.mark.parametrize(("ref", "code", "kind", "text"), _examples())
def test_data_rule_bad_example_fires_and_good_example_does_not(ref: str, code: str, kind: str, text: str) -> None:
    result = review(Post(text=text, context=Context.OFFICIAL), load_pack(ref), select=[code])
    fired = code in result.codes()
    assert fired if kind == "bad" else not fired, [f.message for f in result.findings]


@pytest.mark.parametrize("ref", PACKS)
def test_each_data_rule_has_bad_and_good_examples(ref: str) -> None:
    for entry in load_pack(ref).entries:
        if isinstance(entry.rule, DataRule):
            assert entry.rule.examples["bad"] and entry.rule.examples["good"], entry.code


@pytest.mark.parametrize("pid", ["nz", "uk", "nsw"])
def test_built_in_data_rules_use_their_reserved_codes(pid: str) -> None:
    codes = {e.code for e in load_pack(pid).entries if isinstance(e.rule, DataRule)}
    assert codes == BUILT_IN_DATA_CODES[pid]
    assert not codes & set(CODES)


def test_jurisdiction_data_rule_codes_differ_between_jurisdictions() -> None:
    own = [codes - {"STY201"} for codes in BUILT_IN_DATA_CODES.values()]
    assert not (own[0] & own[1]) and not (own[0] & own[2]) and not (own[1] & own[2])


@pytest.mark.parametrize("ref", PACKS)
def test_no_term_is_in_two_data_rules_of_one_pack(ref: str) -> None:
    seen: dict[str, str] = {}
    for entry in load_pack(ref).entries:
        if not isinstance(entry.rule, DataRule):
            continue
        spec = entry.rule.spec
        for term in list(spec.get("swap") or {}) + list(spec.get("tokens") or []):
            key = " ".join(term.lower().split())
            assert key not in seen, f"{term!r} is in {seen[key]} and {entry.code}"
            seen[key] = entry.code


@pytest.mark.parametrize("pid", ["nz", "uk", "nsw"])
def test_substitutions_offer_a_different_plain_word(pid: str) -> None:
    for entry in load_pack(pid).entries:
        if isinstance(entry.rule, DataRule) and entry.rule.kind == "substitution":
            for bad, good in entry.rule.spec["swap"].items():
                assert good.strip() and good.lower() != bad.lower(), (entry.code, bad)


ORDINARY = [
    ("nz", "Kia ora koutou! Whānau can register for the hui at the marae on Saturday."),
    ("nz", "Matariki celebrations start this week: thank you for all your mahi."),
    ("nz", "The Labour market statistics for the June quarter are out now."),
    ("nz", "Our new office is fit and ready for visitors from Monday."),
    ("uk", "The key to the meeting room is at reception."),
    ("uk", "Your new licence will be delivered within 10 working days."),
    ("uk", "Drive carefully on the A9 this weekend: roads are icy."),
    ("uk", "We will deliver the leaflets to every home in the area."),
    ("uk", "Foster carers can apply for the new allowance from April."),
    ("nsw", "Fire and Rescue NSW crews attended the blaze in Parramatta."),
    ("nsw", "About 300 people attended the community meeting."),
    ("nsw", "Chairman Smith opened the forum."),
]


@pytest.mark.parametrize(("pid", "text"), ORDINARY)
def test_when_a_post_uses_ordinary_words_then_no_data_rule_fires(pid: str, text: str) -> None:
    pack = load_pack(pid)
    codes = [e.code for e in pack.entries if isinstance(e.rule, DataRule)]
    assert review(Post(text=text), pack, select=codes).findings == ()


@pytest.mark.parametrize("pid", ["nz", "uk", "nsw"])
def test_data_rule_findings_are_advice_on_official_posts_and_at_most_a_nudge_on_personal_ones(pid: str) -> None:
    for entry in load_pack(pid).entries:
        if isinstance(entry.rule, DataRule):
            official = entry.severity[Context.OFFICIAL]
            assert official is not None
            assert official.rank <= 1, entry.code  # info or warn
            personal = entry.severity[Context.PERSONAL]
            assert personal is None or personal.rank == 0, entry.code
