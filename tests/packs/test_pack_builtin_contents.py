"""The built-in packs: each selects every rule, cites only known clauses of its own guidance
systems, keeps the catalogue's severities (or a documented difference) and ships a calendar."""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from govsocial.clauses import clause, known_clause
from govsocial.model import Context, Severity
from govsocial.packs import Pack, PackError, builtin_packs, load_pack
from govsocial.rules.data import DataRule
from govsocial.rules.registry import CODES

JURISDICTIONS = ("nz", "uk", "nsw")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "packs.md"

#: The guidance systems each pack may cite, besides the cross-cutting XR-* and PII-GEN-* items.
OWN_SYSTEMS = {
    "nz": ("NZPSC-", "NZSSC-", "NZSIC-", "DIA-", "SEC-NZ-", "PII-NZ-"),
    "uk": ("UKCS-", "UKCSC-", "GDS-", "GDS14-", "UKHO-", "UK-ELEC-", "SEC-UK-", "PII-UK-"),
    "nsw": ("NSW-", "SEC-NSW-", "SEC-AU-", "PII-AU-"),
}
CROSS_CUTTING = ("XR-", "PII-GEN-")
#: Platform limits are facts about platforms, not guidance: they may cite nothing.
NO_CLAUSE_NEEDED = {"PLAT101", "PLAT102", "PLAT103"}


def _base_yml() -> dict[str, Any]:
    text = resources.files("govsocial.packs").joinpath("data", "base.yml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _xr(clauses: tuple[str, ...] | list[str]) -> set[str]:
    return {c for c in clauses if c.startswith("XR-")}


@pytest.fixture(params=JURISDICTIONS)
def pack(request: pytest.FixtureRequest) -> Pack:
    return load_pack(request.param)


def test_builtin_packs_are_the_three_jurisdictions_and_not_the_abstract_base() -> None:
    names = builtin_packs()
    assert set(JURISDICTIONS) <= set(names)
    assert "base" not in names
    assert not [n for n in names if n.startswith("politics-")]


def test_when_the_abstract_base_is_loaded_directly_then_it_is_refused() -> None:
    with pytest.raises(PackError, match="base for other packs"):
        load_pack("base")


def test_each_jurisdiction_pack_extends_base_and_names_its_jurisdiction(pack: Pack) -> None:
    assert pack.extends == ("base",)
    assert pack.jurisdiction == pack.id
    assert pack.title and pack.description


def test_each_jurisdiction_pack_selects_every_registry_code(pack: Pack) -> None:
    codes = {e.code for e in pack.entries}
    assert set(CODES) <= codes, sorted(set(CODES) - codes)


def test_each_rule_cites_only_known_clauses(pack: Pack) -> None:
    unknown = {(e.code, c) for e in pack.entries for c in e.clauses if not known_clause(c)}
    assert not unknown


def test_each_rule_cites_only_its_own_systems_and_the_cross_cutting_items(pack: Pack) -> None:
    allowed = OWN_SYSTEMS[pack.id] + CROSS_CUTTING
    foreign = {(e.code, c) for e in pack.entries for c in e.clauses if not c.startswith(allowed)}
    assert not foreign, sorted(foreign)


def test_no_rule_cites_a_source_workflow_or_inbound_id(pack: Pack) -> None:
    wrong = {(e.code, c) for e in pack.entries for c in e.clauses if "-SRC" in c or c.startswith(("WF-", "IN-"))}
    assert not wrong


def test_each_rule_except_platform_limits_cites_at_least_one_clause(pack: Pack) -> None:
    bare = {e.code for e in pack.entries if not e.clauses} - NO_CLAUSE_NEEDED
    assert not bare


def test_each_rule_cites_the_same_catalogue_items_as_base(pack: Pack) -> None:
    base_rules = _base_yml()["rules"]
    for entry in pack.entries:
        if entry.code in base_rules:
            assert _xr(entry.clauses) == _xr(base_rules[entry.code]["clauses"]), entry.code


def test_most_rules_cite_a_clause_of_the_jurisdictions_own_guidance(pack: Pack) -> None:
    own = [e for e in pack.entries if any(c.startswith(OWN_SYSTEMS[pack.id]) for c in e.clauses)]
    # The UK sources of the digest say nothing on accessibility; the others cover nearly all rules.
    assert len(own) / len(pack.entries) >= (0.6 if pack.id == "uk" else 0.7)


@pytest.mark.parametrize(
    ("pid", "code", "expected"),
    [
        ("nz", "POL102", "NZPSC-ELEC-11"),
        ("nz", "PRIV201", "PII-NZ-IRD"),
        ("nz", "SEC101", "SEC-NZ-1"),
        ("nz", "ACC101", "DIA-A11Y-6"),
        ("nz", "POL201", "NZPSC-ELEC-1"),
        ("uk", "POL103", "UKCS-GCN-1"),
        ("uk", "PRIV221", "PII-UK-NINO"),
        ("uk", "SEC101", "SEC-UK-2"),
        ("uk", "PRIV405", "UKCS-CODE-3"),
        ("uk", "STY403", "GDS-TIP-7"),
        ("nsw", "POL201", "NSW-CARE-1"),
        ("nsw", "PRIV211", "PII-AU-TFN"),
        ("nsw", "SEC101", "SEC-NSW-1"),
        ("nsw", "ACC301", "NSW-A11Y-10"),
        ("nsw", "STY202", "NSW-A11Y-9"),
    ],
)
def test_rule_cites_the_clause_that_asks_for_it(pid: str, code: str, expected: str) -> None:
    entry = load_pack(pid).entry(code)
    assert entry is not None
    assert expected in entry.clauses


# --------------------------------------------------------------------------- severities

#: Catalogue severities (digest 9.2) per code: official, personal, linked. Where base.yml
#: deliberately differs the expected value is the base one; docs/packs.md lists each difference.
SEVERITIES: list[tuple[str, str | None, str | None, int]] = [
    ("PRIV101", "block", "warn", 1),
    ("PRIV103", "high", "warn", 1),
    ("PRIV201", "block", "block", 0),
    ("PRIV213", "info", "info", 0),
    ("PRIV301", "block", "block", 0),
    ("PRIV402", "high", "warn", 1),
    ("PRIV405", None, "warn", 0),
    ("SEC101", "block", "block", 0),
    ("SEC201", "high", "high", 0),
    ("SEC301", "block", "high", 0),
    ("SEC401", "block", "block", 0),
    ("SEC501", "warn", "info", 0),
    ("POL101", "high", "info", 1),
    ("POL102", "block", "warn", 1),
    ("POL103", "block", "warn", 1),
    ("POL201", "high", None, 0),
    ("POL302", None, "high", 0),
    ("POL401", None, "warn", 1),
    ("ABU101", "high", "warn", 0),
    ("ABU104", "block", "high", 0),
    ("LEG201", "block", "high", 0),
    ("AUTH101", "high", "warn", 0),
    ("AUTH201", None, "warn", 0),
    ("ACC101", "high", "info", 0),
    ("ACC302", "info", None, 0),
    ("STY202", "info", None, 0),
    ("STY402", "warn", None, 0),
]


@pytest.mark.parametrize(("code", "official", "personal", "linked"), SEVERITIES, ids=[s[0] for s in SEVERITIES])
def test_severities_follow_the_catalogue_in_every_pack(
    code: str, official: str | None, personal: str | None, linked: int
) -> None:
    for pid in JURISDICTIONS:
        entry = load_pack(pid).entry(code)
        assert entry is not None
        assert entry.severity[Context.OFFICIAL] == (Severity(official) if official else None), (pid, code)
        assert entry.severity[Context.PERSONAL] == (Severity(personal) if personal else None), (pid, code)
        assert entry.linked == linked, (pid, code)


def test_when_a_personal_profile_names_the_employer_then_a_marked_rule_steps_up() -> None:
    entry = load_pack("nz").entry("PRIV101")
    assert entry is not None
    assert entry.severity_for(Context.PERSONAL, election=False, linked=False) is Severity.WARN
    assert entry.severity_for(Context.PERSONAL, election=False, linked=True) is Severity.HIGH


def test_in_election_mode_partisan_framing_on_an_official_account_is_blocked(pack: Pack) -> None:
    entry = pack.entry("POL301")
    assert entry is not None
    assert entry.severity_for(Context.OFFICIAL, election=False, linked=False) is Severity.HIGH
    assert entry.severity_for(Context.OFFICIAL, election=True, linked=False) is Severity.BLOCK


def test_in_nz_election_mode_personal_electioneering_is_high() -> None:
    entry = load_pack("nz").entry("POL102")
    assert entry is not None
    assert entry.severity_for(Context.PERSONAL, election=False, linked=False) is Severity.WARN
    assert entry.severity_for(Context.PERSONAL, election=True, linked=False) is Severity.HIGH


def test_nsw_is_stricter_than_nz_and_uk_on_party_mentions_in_the_caretaker_period() -> None:
    nsw = load_pack("nsw").entry("POL101")
    assert nsw is not None
    assert nsw.severity_for(Context.OFFICIAL, election=True, linked=False) is Severity.BLOCK
    assert nsw.severity_for(Context.PERSONAL, election=True, linked=False) is Severity.WARN
    assert nsw.severity_for(Context.OFFICIAL, election=False, linked=False) is Severity.HIGH
    for pid in ("nz", "uk"):
        other = load_pack(pid).entry("POL101")
        assert other is not None
        assert other.severity_for(Context.OFFICIAL, election=True, linked=False) is Severity.HIGH


# --------------------------------------------------------------------------- options


def test_each_pack_has_a_reading_grade_target_and_sentence_limit(pack: Pack) -> None:
    assert isinstance(pack.options["reading_grade_target"], int)
    assert 5 <= pack.options["reading_grade_target"] <= 12
    assert pack.options["max_sentence_words"] == 25


def test_nsw_reading_grade_target_is_within_reading_age_12_to_14() -> None:
    assert 7 <= load_pack("nsw").options["reading_grade_target"] <= 9


def test_known_acronyms_extend_the_base_list_with_the_jurisdictions_own(pack: Pack) -> None:
    acronyms = pack.options["known_acronyms"]
    assert "COVID" in acronyms  # from base
    assert {"nz": "IRD", "uk": "NHS", "nsw": "NSW"}[pack.id] in acronyms
    assert len(acronyms) == len(set(acronyms))


def test_agency_placeholders_are_empty_in_built_in_packs(pack: Pack) -> None:
    for key in ("agency_names", "agency_handles", "agency_domains", "agency_numbers", "agency_addresses"):
        assert pack.options[key] == [], key


def test_election_periods_are_dated_and_in_order(pack: Pack) -> None:
    for period in pack.options["election_periods"]:
        assert period["name"]
        assert isinstance(period["start"], dt.date) and isinstance(period["end"], dt.date)
        assert period["start"] <= period["end"]


def test_uk_ships_no_election_period_because_none_is_fixed() -> None:
    assert load_pack("uk").options["election_periods"] == []


def test_nsw_2027_caretaker_period_runs_from_a_friday_to_the_fourth_saturday_in_march() -> None:
    (period,) = [p for p in load_pack("nsw").options["election_periods"] if "2027" in p["name"]]
    start, end = period["start"], period["end"]
    assert start.weekday() == 4 and end.weekday() == 5
    assert end.month == 3 and 22 <= end.day <= 28  # the fourth Saturday
    assert (end - start).days == 22


def test_nz_pre_election_period_is_three_months_before_the_election() -> None:
    for period in load_pack("nz").options["election_periods"]:
        start, end = period["start"], period["end"]
        assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == 3
        assert start.day == end.day


@pytest.mark.parametrize(
    ("pid", "day", "expected"),
    [
        ("nsw", dt.date(2027, 3, 10), True),
        ("nsw", dt.date(2027, 3, 4), False),
        ("nz", dt.date(2023, 9, 1), True),
        ("nz", dt.date(2023, 10, 15), False),
        ("uk", dt.date(2027, 3, 10), False),
    ],
)
def test_pack_is_in_election_mode_only_inside_its_periods(pid: str, day: dt.date, expected: bool) -> None:
    assert load_pack(pid).in_election(day) is expected


# --------------------------------------------------------------------------- documentation


def _cautioned(cid: str) -> bool:
    c = clause(cid)
    assert c is not None
    return c.reconstructed


def test_section_level_markers_make_their_rows_reconstructed() -> None:
    # These digest sections mark all their items [R] in the heading or the line under it.
    for cid in ("DIA-TBX-RULES-4", "DIA-TBX-LEGAL-3", "DIA-MISHAP-DURING-4", "UKCSC-1"):
        c = clause(cid)
        assert c is not None
        assert c.reconstructed, cid


def test_docs_list_every_reconstructed_clause_the_built_in_packs_cite() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    cited = {c for pid in JURISDICTIONS for e in load_pack(pid).entries for c in e.clauses if _cautioned(c)}
    missing = sorted(c for c in cited if not re.search(rf"`{re.escape(c)}`", docs))
    assert not missing


def test_docs_name_every_built_in_data_rule() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for pid in JURISDICTIONS:
        for entry in load_pack(pid).entries:
            if isinstance(entry.rule, DataRule):
                assert f"`{entry.code}`" in docs and entry.rule.name in docs, entry.code


def test_no_rule_rests_on_a_reconstructed_clause_alone(pack: Pack) -> None:
    for entry in pack.entries:
        if any(_cautioned(c) for c in entry.clauses):
            assert _xr(entry.clauses) or any(not _cautioned(c) for c in entry.clauses), entry.code


def test_in_uk_election_mode_staff_commentary_on_their_own_policy_area_is_high() -> None:
    uk, nz = load_pack("uk").entry("POL401"), load_pack("nz").entry("POL401")
    assert uk is not None and nz is not None
    assert uk.severity_for(Context.PERSONAL, election=False, linked=False) is Severity.WARN
    assert uk.severity_for(Context.PERSONAL, election=True, linked=False) is Severity.HIGH
    assert nz.severity_for(Context.PERSONAL, election=True, linked=False) is Severity.WARN
