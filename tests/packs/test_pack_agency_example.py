"""The example agency pack (examples/agency-pack.yml) loads and its overrides apply."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from govsocial import review
from govsocial.model import Context, Post, Severity
from govsocial.packs import Pack, load_pack
from govsocial.rules.data import DataRule
from govsocial.rules.registry import CODES

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "agency-pack.yml"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(EXAMPLE)


def test_example_pack_loads_and_extends_nz(pack: Pack) -> None:
    assert pack.id == "ministry-of-example-services"
    assert pack.extends == ("base", "nz")
    assert pack.jurisdiction == "nz"
    assert pack.ref.startswith("ministry-of-example-services@2026.11.1#")


def test_agency_options_are_set(pack: Pack) -> None:
    assert "Ministry of Example Services" in pack.options["agency_names"]
    assert "example.govt.nz" in pack.options["agency_domains"]
    assert pack.options["agency_addresses"] == ["1 Example Street, Wellington 6011"]
    assert len(pack.options["agency_numbers"]) == 2
    assert pack.options["case_number_formats"] == ["MES-[0-9]{6}"]


def test_included_people_and_suppression_lists_are_merged(pack: Pack) -> None:
    assert "Alex Sample" in pack.options["staff_names"]
    assert "Aroha Tauira" in pack.options["spokespeople"]
    assert pack.options["suppressed_names"] == ["Jordan Withheld", "Casey Notnamed"]


def test_lists_extend_the_parents_lists(pack: Pack) -> None:
    nz = load_pack("nz")
    acronyms = pack.options["known_acronyms"]
    assert set(nz.options["known_acronyms"]) <= set(acronyms)
    assert "MES" in acronyms
    names = [p["name"] for p in pack.options["election_periods"]]
    assert [p["name"] for p in nz.options["election_periods"]] == names[: len(nz.options["election_periods"])]
    assert "Example electorate by-election (illustrative)" in names


def test_agency_election_period_switches_on_election_mode(pack: Pack) -> None:
    assert pack.in_election(dt.date(2026, 5, 20))
    assert not load_pack("nz").in_election(dt.date(2026, 5, 20))


def test_severity_override_applies_and_keeps_the_parents_clauses(pack: Pack) -> None:
    entry, nz_entry = pack.entry("ACC101"), load_pack("nz").entry("ACC101")
    assert entry is not None and nz_entry is not None
    assert entry.severity[Context.OFFICIAL] is Severity.BLOCK
    assert entry.severity[Context.PERSONAL] is nz_entry.severity[Context.PERSONAL]
    assert entry.clauses == nz_entry.clauses


def test_disabled_rule_is_gone_and_every_other_rule_remains(pack: Pack) -> None:
    codes = {e.code for e in pack.entries}
    assert "STY403" not in codes
    assert set(CODES) - {"STY403"} <= codes


def test_custom_data_rule_is_selected_with_its_clause(pack: Pack) -> None:
    entry = pack.entry("STY901")
    assert entry is not None and isinstance(entry.rule, DataRule)
    assert entry.clauses == ("DIA-A11Y-8",)
    assert entry.severity[Context.OFFICIAL] is Severity.WARN
    assert entry.severity[Context.PERSONAL] is None


def test_custom_data_rule_flags_vague_link_text_on_an_official_post(pack: Pack) -> None:
    post = Post(text="Read the new guide, click here: https://example.govt.nz/guide")
    result = review(post, pack, select=["STY901"])
    (finding,) = result.findings
    assert finding.severity is Severity.WARN
    assert "click here" in finding.message
    assert result.pack == pack.ref


def test_custom_data_rule_is_silent_on_a_personal_post(pack: Pack) -> None:
    post = Post(text="Click here for my holiday photos", context=Context.PERSONAL)
    assert review(post, pack, select=["STY901"]).findings == ()
