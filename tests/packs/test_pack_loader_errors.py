"""A pack that cannot be loaded says which file, which line and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from govsocial.packs import PackError, load_pack


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> PackError:
    with pytest.raises(PackError) as info:
        load_pack(path)
    return info.value


# (file text, line of the problem, words the message must contain)
CASES = {
    "unknown_top_level_key": ("id: a\nextends: nz\nrulez:\n  PRIV101: {official: warn}\n", 3, "unknown key 'rulez'"),
    "unknown_rule_code": (
        "id: a\nextends: nz\nrules:\n  PRIV101: {official: warn}\n  FOO999:\n    official: warn\n",
        5,
        "unknown rule code 'FOO999'",
    ),
    "unknown_key_in_rule": ("id: a\nextends: nz\nrules:\n  PRIV101:\n    oficial: warn\n", 5, "unknown key 'oficial'"),
    "rule_not_a_mapping": ("id: a\nextends: nz\nrules:\n  PRIV101: warn\n", 4, "must be a mapping"),
    "bad_severity": (
        "id: a\nextends: nz\nrules:\n  PRIV101:\n    clauses: [XR-04]\n    official: loud\n",
        6,
        "severity must be one of",
    ),
    "bad_election_severity": (
        "id: a\nextends: nz\nrules:\n  POL101:\n    election: {official: urgent}\n",
        5,
        "rules.POL101.election.official",
    ),
    "unknown_election_context": (
        "id: a\nextends: nz\nrules:\n  POL101:\n    election: {work: block}\n",
        5,
        "unknown context 'work'",
    ),
    "bad_linked_steps": (
        "id: a\nextends: nz\nrules:\n  POL101:\n    official: high\n    linked: 7\n",
        6,
        "linked must be 0 to 3",
    ),
    "unknown_clause": (
        "id: a\nextends: nz\nrules:\n  PRIV101:\n    official: block\n    clauses: [XR-04, NZPSC-OFF-99]\n",
        6,
        "unknown guidance clause 'NZPSC-OFF-99'",
    ),
    "bad_election_date": (
        "id: a\nextends: nz\noptions:\n  election_periods:\n  - {name: ok, start: 2026-01-01, end: 2026-01-31}\n"
        "  - {name: bad, start: 2026-02-30, end: 2026-03-10}\n",
        6,
        "YYYY-MM-DD",
    ),
    "election_period_ends_before_it_starts": (
        "id: a\nextends: nz\noptions:\n  election_periods:\n  - {name: backwards, start: 2026-03-10, end: 2026-03-01}\n",
        5,
        "ends before it starts",
    ),
    "election_period_without_end": (
        "id: a\nextends: nz\noptions:\n  election_periods:\n  - {name: open, start: 2026-03-10}\n",
        5,
        "needs start and end",
    ),
    "data_rule_clashes_with_built_in_code": (
        "id: a\nextends: nz\ndata_rules:\n  STY101:\n    type: existence\n    name: my-words\n    tokens: [synergy]\n",
        4,
        "clashes with a built-in rule",
    ),
    "data_rule_code_badly_formed": (
        "id: a\nextends: nz\ndata_rules:\n  WORDS1:\n    type: existence\n    name: my-words\n    tokens: [synergy]\n",
        4,
        "family and three digits",
    ),
    "data_rule_without_terms": (
        "id: a\nextends: nz\ndata_rules:\n  STY901:\n    type: substitution\n    name: my-words\n",
        4,
        "needs swap",
    ),
    "invalid_yaml": (
        "id: a\nextends: nz\noptions:\n  agency_names: [Ministry of Examples\nrules: {}\n",
        5,
        "not valid YAML",
    ),
    "id_badly_formed": ("id: My Agency\nextends: nz\n", 1, "id must be"),
    "extends_unknown_built_in": ("id: a\nextends: nzz\n", 2, "unknown pack 'nzz'"),
    "extends_missing_file": ("id: a\nextends: missing-parent.yml\n", 2, "no such pack file"),
    "include_missing_file": (
        "id: a\nextends: nz\ninclude_options: [missing-staff.yml]\n",
        3,
        "no such included options file",
    ),
}


@pytest.mark.parametrize(("text", "line", "words"), CASES.values(), ids=CASES.keys())
def test_when_a_pack_is_invalid_then_the_error_names_file_line_and_problem(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = _write(tmp_path, "agency.yml", text)
    error = _error(path)
    assert error.source == str(path)
    assert error.line == line, str(error)
    assert words in error.problem
    assert str(error).startswith(f"{path}:{line}: ")


def test_when_a_pack_file_is_not_utf8_then_the_error_names_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    path = _write(tmp_path, "agency.yml", "id: a\nextends: nz\ntitle: Minist\xe8re\n".encode("latin-1"))
    error = _error(path)
    assert (error.source, error.line) == (str(path), 3)
    assert "not UTF-8" in error.problem


def test_when_an_included_options_file_is_not_utf8_then_the_error_names_that_file(tmp_path: Path) -> None:
    _write(tmp_path, "staff.yml", "staff_names: [Ren\xe9 Example]\n".encode("latin-1"))
    path = _write(tmp_path, "agency.yml", "id: a\nextends: nz\ninclude_options: [staff.yml]\n")
    error = _error(path)
    assert (error.source, error.line) == (str(tmp_path / "staff.yml"), 1)


def test_when_an_included_options_file_is_invalid_yaml_then_the_error_names_that_file_and_line(tmp_path: Path) -> None:
    _write(tmp_path, "staff.yml", "staff_names:\n- Alex Sample\n- [unclosed\n")
    path = _write(tmp_path, "agency.yml", "id: a\nextends: nz\ninclude_options: [staff.yml]\n")
    error = _error(path)
    assert error.source == str(tmp_path / "staff.yml")
    assert error.line is not None and "not valid YAML" in error.problem


def test_when_a_pack_extends_itself_then_the_loop_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "loop.yml", "id: loop\nextends: loop.yml\n")
    error = _error(path)
    assert (error.source, error.line) == (str(path), 2)
    assert "loops back" in error.problem


def test_when_two_packs_extend_each_other_then_the_loop_is_reported(tmp_path: Path) -> None:
    _write(tmp_path, "b.yml", "id: b\ntitle: B\nextends: a.yml\n")
    path = _write(tmp_path, "a.yml", "id: a\nextends: b.yml\n")
    error = _error(path)
    assert error.source == str(path) and error.line == 2
    assert "loops back to 'a'" in error.problem


def test_when_a_parent_pack_is_invalid_then_the_error_names_the_parent_file(tmp_path: Path) -> None:
    parent = _write(tmp_path, "parent.yml", "id: parent\nextends: nz\nrules:\n  PRIV101: {official: loud}\n")
    path = _write(tmp_path, "child.yml", "id: child\nextends: parent.yml\n")
    error = _error(path)
    assert (error.source, error.line) == (str(parent), 4)


def test_when_a_rule_option_is_not_declared_by_the_rule_then_it_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "agency.yml", "id: a\nextends: nz\nrules:\n  STY201:\n    options: {no_such_option: 1}\n")
    error = _error(path)
    assert error.line == 5 and "no_such_option" in error.problem


def test_when_a_pack_has_no_id_then_it_is_rejected(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "agency.yml", "extends: nz\ntitle: No id\n"))
    assert error.line == 1 and "no id" in error.problem


def test_when_a_pack_file_is_empty_then_it_is_rejected(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "agency.yml", "# nothing yet\n"))
    assert "empty" in error.problem


def test_when_a_pack_file_does_not_exist_then_the_error_names_it(tmp_path: Path) -> None:
    error = _error(tmp_path / "nowhere.yml")
    assert error.source == str(tmp_path / "nowhere.yml")
    assert "no such pack file" in error.problem


def test_when_a_built_in_pack_name_is_unknown_then_the_error_lists_the_built_in_packs() -> None:
    with pytest.raises(PackError, match=r"built-in packs: .*nz"):
        load_pack("atlantis")
