"""How a pack extends its parent: lists extend, mappings merge, reset_options replaces, disable drops."""

from __future__ import annotations

from pathlib import Path

from govsocial.model import Context, Severity
from govsocial.packs import Pack, load_pack


def _load(tmp_path: Path, text: str, name: str = "agency.yml") -> Pack:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_pack(path)


def test_when_a_child_sets_a_list_option_then_it_extends_the_parents_list(tmp_path: Path) -> None:
    pack = _load(tmp_path, "id: a\nextends: nz\noptions:\n  known_acronyms: [MES, IRD]\n")
    nz = load_pack("nz").options["known_acronyms"]
    assert pack.options["known_acronyms"] == [*nz, "MES"]  # IRD is already there: not repeated


def test_when_a_child_resets_an_option_then_its_list_replaces_the_parents(tmp_path: Path) -> None:
    pack = _load(tmp_path, "id: a\nextends: nz\nreset_options: [known_acronyms]\noptions:\n  known_acronyms: [MES]\n")
    assert pack.options["known_acronyms"] == ["MES"]


def test_when_a_child_sets_a_scalar_option_then_it_replaces_the_parents(tmp_path: Path) -> None:
    pack = _load(tmp_path, "id: a\nextends: nsw\noptions:\n  reading_grade_target: 7\n")
    assert pack.options["reading_grade_target"] == 7


def test_when_both_set_a_mapping_option_then_keys_merge(tmp_path: Path) -> None:
    (tmp_path / "parent.yml").write_text(
        "id: parent\nextends: nz\noptions:\n  house: {tone: warm, sign_off: Ngā mihi}\n", encoding="utf-8"
    )
    pack = _load(tmp_path, "id: a\nextends: parent.yml\noptions:\n  house: {tone: plain}\n")
    assert pack.options["house"] == {"tone": "plain", "sign_off": "Ngā mihi"}


def test_included_options_merge_before_the_packs_own_options(tmp_path: Path) -> None:
    (tmp_path / "people.yml").write_text("staff_names: [Alex Sample]\nreading_grade_target: 6\n", encoding="utf-8")
    pack = _load(
        tmp_path,
        "id: a\nextends: nz\ninclude_options: [people.yml]\noptions:\n"
        "  staff_names: [Mere Placeholder]\n  reading_grade_target: 8\n",
    )
    assert pack.options["staff_names"] == ["Alex Sample", "Mere Placeholder"]
    assert pack.options["reading_grade_target"] == 8


def test_when_a_rule_entry_names_one_key_then_the_others_are_inherited(tmp_path: Path) -> None:
    pack = _load(tmp_path, "id: a\nextends: nz\nrules:\n  PRIV101: {personal: high}\n")
    entry, nz = pack.entry("PRIV101"), load_pack("nz").entry("PRIV101")
    assert entry is not None and nz is not None
    assert entry.severity[Context.PERSONAL] is Severity.HIGH
    assert entry.severity[Context.OFFICIAL] is nz.severity[Context.OFFICIAL]
    assert entry.clauses == nz.clauses and entry.linked == nz.linked


def test_when_a_rule_entry_gives_clauses_then_they_replace_the_parents(tmp_path: Path) -> None:
    pack = _load(tmp_path, "id: a\nextends: nz\nrules:\n  PRIV101: {clauses: [XR-04]}\n")
    entry = pack.entry("PRIV101")
    assert entry is not None and entry.clauses == ("XR-04",)


def test_election_severities_merge_by_context(tmp_path: Path) -> None:
    pack = _load(tmp_path, "id: a\nextends: nz\nrules:\n  POL102:\n    election: {official: high}\n")
    entry = pack.entry("POL102")
    assert entry is not None
    assert entry.election[Context.OFFICIAL] is Severity.HIGH
    assert entry.election[Context.PERSONAL] is Severity.HIGH  # inherited from base


def test_when_a_rule_is_set_off_then_it_does_not_run_in_that_context(tmp_path: Path) -> None:
    pack = _load(tmp_path, "id: a\nextends: nz\nrules:\n  STY101: {official: 'off'}\n")
    entry = pack.entry("STY101")
    assert entry is not None
    assert entry.severity_for(Context.OFFICIAL, election=False, linked=False) is None


def test_disable_drops_inherited_rules_by_code_prefix_or_family(tmp_path: Path) -> None:
    pack = _load(tmp_path, "id: a\nextends: nz\ndisable: [STY403, ACC4, PLAT]\n")
    codes = {e.code for e in pack.entries}
    assert "STY403" not in codes
    assert not {c for c in codes if c.startswith(("ACC4", "PLAT"))}
    assert {"STY402", "ACC301", "PRIV101"} <= codes


def test_disable_keeps_rules_the_same_pack_selects(tmp_path: Path) -> None:
    pack = _load(tmp_path, "id: a\nextends: nz\ndisable: [ACC]\nrules:\n  ACC101: {official: block}\n")
    assert [e.code for e in pack.entries if e.code.startswith("ACC")] == ["ACC101"]


def test_a_grandchild_inherits_through_the_chain(tmp_path: Path) -> None:
    (tmp_path / "ministry.yml").write_text(
        "id: ministry\nextends: nz\noptions:\n  agency_names: [Ministry of Examples]\n"
        "rules:\n  ACC101: {official: block}\n",
        encoding="utf-8",
    )
    pack = _load(tmp_path, "id: regional-office\nextends: ministry.yml\noptions:\n  agency_names: [Examples North]\n")
    assert pack.extends == ("base", "nz", "ministry")
    assert pack.options["agency_names"] == ["Ministry of Examples", "Examples North"]
    entry = pack.entry("ACC101")
    assert entry is not None and entry.severity[Context.OFFICIAL] is Severity.BLOCK


def test_a_child_data_rule_replaces_the_parents_definition_of_that_code(tmp_path: Path) -> None:
    pack = _load(
        tmp_path,
        "id: a\nextends: nz\ndata_rules:\n  STY201:\n    type: existence\n    name: jargon\n    tokens: [synergy]\n",
    )
    entry = pack.entry("STY201")
    assert entry is not None
    assert entry.rule.spec["tokens"] == ["synergy"]  # type: ignore[attr-defined]
    assert entry.clauses == load_pack("nz").entry("STY201").clauses  # type: ignore[union-attr]
