"""A loaded pack carries ``id@version#sha256`` of its resolved content; loads are cached until
a file the pack was built from changes."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from govsocial.packs import load_pack

REF_RE = re.compile(r"^[a-z0-9][a-z0-9-]*@[^@#\s]+#[0-9a-f]{64}$")

AGENCY = """\
id: my-agency
version: 2026.11.0
extends: {parent}
include_options: [staff.yml]
options:
  agency_names: [Ministry of Examples]
"""


def _write(path: Path, text: str) -> None:
    """Write and move the modification time on, so a rewrite within one clock tick still shows."""
    old = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns <= old:
        os.utime(path, ns=(old + 1_000_000, old + 1_000_000))


@pytest.fixture
def agency(tmp_path: Path) -> Path:
    _write(tmp_path / "staff.yml", "staff_names: [Alex Sample]\n")
    path = tmp_path / "agency.yml"
    _write(path, AGENCY.format(parent="nz"))
    return path


@pytest.mark.parametrize("pid", ["nz", "uk", "nsw"])
def test_built_in_pack_ref_is_id_at_version_hash_sha256(pid: str) -> None:
    pack = load_pack(pid)
    assert REF_RE.match(pack.ref), pack.ref
    assert pack.ref == f"{pid}@{pack.version}#{pack.sha256}"


def test_built_in_packs_have_different_refs() -> None:
    refs = {load_pack(pid).ref for pid in ("nz", "uk", "nsw")}
    assert len(refs) == 3


def test_agency_pack_ref_has_the_same_form(agency: Path) -> None:
    assert REF_RE.match(load_pack(agency).ref)
    assert load_pack(agency).ref.startswith("my-agency@2026.11.0#")


def test_when_the_same_pack_is_loaded_twice_then_the_cached_pack_is_returned(agency: Path) -> None:
    assert load_pack(agency) is load_pack(agency)
    assert load_pack(str(agency)) is load_pack(agency)
    assert load_pack("nz") is load_pack("nz")


def test_when_a_loaded_pack_is_passed_then_it_is_used_as_is(agency: Path) -> None:
    pack = load_pack(agency)
    assert load_pack(pack) is pack


def test_when_the_pack_file_changes_then_it_is_reloaded_with_a_new_ref(agency: Path) -> None:
    before = load_pack(agency)
    _write(agency, AGENCY.format(parent="nz") + "  agency_handles: ['@MinExamples']\n")
    after = load_pack(agency)
    assert after is not before
    assert after.options["agency_handles"] == ["@MinExamples"]
    assert after.ref != before.ref


def test_when_only_a_comment_changes_then_the_pack_reloads_but_its_ref_stays(agency: Path) -> None:
    before = load_pack(agency)
    _write(agency, "# Reviewed by the comms team.\n" + AGENCY.format(parent="nz"))
    after = load_pack(agency)
    assert after is not before
    assert after.ref == before.ref


def test_when_an_included_options_file_changes_then_the_pack_is_reloaded(agency: Path) -> None:
    before = load_pack(agency)
    _write(agency.parent / "staff.yml", "staff_names: [Alex Sample, Mere Placeholder]\n")
    after = load_pack(agency)
    assert after.options["staff_names"] == ["Alex Sample", "Mere Placeholder"]
    assert after.ref != before.ref


def test_when_a_parent_pack_file_changes_then_the_child_is_reloaded(tmp_path: Path) -> None:
    parent = tmp_path / "parent.yml"
    _write(parent, "id: parent\nextends: nz\noptions:\n  agency_names: [Parent Agency]\n")
    _write(tmp_path / "staff.yml", "staff_names: []\n")
    child = tmp_path / "agency.yml"
    _write(child, AGENCY.format(parent="parent.yml"))
    before = load_pack(child)
    assert before.extends == ("base", "nz", "parent")
    _write(parent, "id: parent\nextends: nz\noptions:\n  agency_names: [Parent Agency, Parent]\n")
    after = load_pack(child)
    assert "Parent" in after.options["agency_names"]
    assert after.ref != before.ref


def test_when_the_version_changes_then_the_ref_changes(agency: Path) -> None:
    before = load_pack(agency).ref
    _write(agency, AGENCY.format(parent="nz").replace("2026.11.0", "2026.12.0"))
    after = load_pack(agency).ref
    assert after.startswith("my-agency@2026.12.0#")
    assert after.split("#")[1] != before.split("#")[1]


def test_when_a_severity_changes_then_the_hash_changes(agency: Path) -> None:
    before = load_pack(agency).sha256
    _write(agency, AGENCY.format(parent="nz") + "rules:\n  ACC101: {official: block}\n")
    assert load_pack(agency).sha256 != before


def test_two_files_with_the_same_content_have_the_same_ref(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        _write(tmp_path / folder / "staff.yml", "staff_names: [Alex Sample]\n")
        _write(tmp_path / folder / "agency.yml", AGENCY.format(parent="nz"))
    assert load_pack(tmp_path / "one" / "agency.yml").ref == load_pack(tmp_path / "two" / "agency.yml").ref
