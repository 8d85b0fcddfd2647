"""House rules are pack data: published codes, inheritance through ``extends``, and errors that
name the file and line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govsocial.clauses import known_clause
from govsocial.inbox import HouseRules, load_house_rules
from govsocial.packs import PackError, load_pack

CODES = [f"IN-{n:02d}" for n in range(1, 16)]


@pytest.mark.parametrize("pack", ["nz", "uk", "nsw"])
def test_when_a_built_in_pack_is_loaded_then_every_inbound_rule_is_published(pack: str) -> None:
    rules = load_house_rules(pack)
    assert rules.codes() == CODES
    assert rules.pack == load_pack(pack).ref
    assert (rules.strikes_to_block, rules.block_review_days) == (3, 90)
    for rule in rules.rules:
        assert rule.title and rule.text.endswith(".")
        assert rule.action in ("hide", "queue", "leave")
        assert rule.code in rule.serves
        assert all(known_clause(c) for c in rule.serves)
    assert rules.get("IN-01").action == "hide"
    assert rules.get("IN-14").action == rules.get("IN-15").action == "leave"


def test_when_jurisdictions_differ_then_their_packs_say_so() -> None:
    nz, uk, nsw = (load_house_rules(p) for p in ("nz", "uk", "nsw"))
    assert (nz.political_scope, uk.political_scope, nsw.political_scope) == (
        "electioneering",
        "electioneering",
        "parties",
    )
    assert "NSW-CG-3" in nsw.get("IN-07").serves
    assert "DIA-TBX-RULES-7" in nz.get("IN-07").serves
    assert "UKHO-2" in uk.get("IN-10").serves
    assert (nz.get("IN-10").action, uk.get("IN-10").action) == ("queue", "hide")


def test_when_a_code_is_unknown_then_get_raises_key_error() -> None:
    with pytest.raises(KeyError):
        load_house_rules("nz").get("IN-99")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_when_a_child_overrides_one_field_then_the_rest_is_inherited(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "agency.yml",
        "id: agency\nextends: nsw\nhouse_rules:\n  strikes_to_block: 5\n  thresholds: {abuse: 0.8}\n"
        "  rules:\n    IN-05:\n      action: queue\n    IN-16:\n      title: Animals\n"
        "      text: Please keep pets out of the photos you share.\n      action: leave\n",
    )
    child, parent = load_house_rules(path), load_house_rules("nsw")
    assert isinstance(child, HouseRules)
    assert (child.strikes_to_block, child.block_review_days) == (5, 90)
    assert child.political_scope == "parties"  # inherited from nsw
    assert child.threshold("abuse") == 0.8
    assert child.threshold("misinformation") == parent.threshold("misinformation")
    assert child.get("IN-05").action == "queue"
    assert child.get("IN-05").title == parent.get("IN-05").title
    assert child.get("IN-05").serves == parent.get("IN-05").serves
    assert child.get("IN-07") == parent.get("IN-07")
    assert child.codes() == [*CODES, "IN-16"]
    assert child.pack.startswith("agency@") and child.pack != parent.pack


def test_when_a_pack_file_changes_then_its_house_rules_are_read_again(tmp_path: Path) -> None:
    path = _write(tmp_path, "agency.yml", "id: agency\nextends: nz\n")
    first = load_house_rules(path)
    assert load_house_rules(path) is first
    path.write_text(
        "id: agency\nextends: nz\nhouse_rules:\n  block_review_days: 30\n",
        encoding="utf-8",
    )
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    second = load_house_rules(path)
    assert second.block_review_days == 30
    assert second.pack != first.pack


# (file text, line of the problem, words the message must contain)
ERRORS = {
    "unknown_setting": ("id: a\nextends: nz\nhouse_rules:\n  strikes: 3\n", 4, "unknown key 'strikes'"),
    "unknown_rule_field": (
        "id: a\nextends: nz\nhouse_rules:\n  rules:\n    IN-03:\n      acton: hide\n",
        6,
        "unknown key 'acton'",
    ),
    "bad_action": (
        "id: a\nextends: nz\nhouse_rules:\n  rules:\n    IN-03:\n      strike: true\n      action: delete\n",
        7,
        "action must be one of hide, queue, leave",
    ),
    "criticism_hidden": (
        "id: a\nextends: nz\nhouse_rules:\n  rules:\n    IN-15:\n      action: hide\n",
        6,
        "IN-15: action must be leave",
    ),
    "questions_hidden": (
        "id: a\nextends: nz\nhouse_rules:\n  rules:\n    IN-14: {action: queue}\n",
        5,
        "IN-14: action must be leave",
    ),
    "bad_strikes": ("id: a\nextends: nz\nhouse_rules:\n  strikes_to_block: 0\n", 4, "strikes_to_block must be"),
    "bad_review_days": ("id: a\nextends: nz\nhouse_rules:\n  block_review_days: soon\n", 4, "block_review_days"),
    "bad_scope": ("id: a\nextends: nz\nhouse_rules:\n  political_scope: all\n", 4, "political_scope must be one of"),
    "unknown_bar": (
        "id: a\nextends: nz\nhouse_rules:\n  thresholds:\n    toxicity: 0.5\n",
        5,
        "unknown bar 'toxicity'",
    ),
    "bar_out_of_range": (
        "id: a\nextends: nz\nhouse_rules:\n  thresholds:\n    abuse: 1.5\n",
        5,
        "must be a probability",
    ),
    "unknown_clause": (
        "id: a\nextends: nz\nhouse_rules:\n  rules:\n    IN-03:\n      serves: [IN-03, NZPSC-OFF-99]\n",
        6,
        "unknown guidance clause 'NZPSC-OFF-99'",
    ),
    "new_rule_without_text": (
        "id: a\nextends: nz\nhouse_rules:\n  rules:\n    IN-16:\n      title: Animals\n      action: leave\n",
        5,
        "house rule IN-16 needs text",
    ),
    "bad_code": (
        "id: a\nextends: nz\nhouse_rules:\n  rules:\n    rule one: {action: hide}\n",
        5,
        "must look like IN-01",
    ),
    "strike_not_boolean": (
        "id: a\nextends: nz\nhouse_rules:\n  rules:\n    IN-03:\n      strike: sometimes\n",
        6,
        "strike must be true or false",
    ),
    "rules_not_a_mapping": ("id: a\nextends: nz\nhouse_rules:\n  rules: [IN-01]\n", 4, "must be a mapping"),
}


@pytest.mark.parametrize(("text", "line", "words"), list(ERRORS.values()), ids=list(ERRORS))
def test_when_house_rules_are_wrong_then_the_error_names_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = _write(tmp_path, "pack.yml", text)
    with pytest.raises(PackError) as info:
        load_house_rules(path)
    assert info.value.line == line, str(info.value)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert words in str(info.value)


def test_when_a_pack_has_no_house_rules_then_the_inbox_says_how_to_get_them(tmp_path: Path) -> None:
    path = _write(tmp_path, "standalone.yml", "id: standalone\nrules:\n  PRIV101: {official: warn}\n")
    assert load_pack(path).house_rules == {}
    with pytest.raises(PackError, match="extend a built-in pack"):
        load_house_rules(path)


def test_when_house_rules_are_used_as_a_cache_key_then_equal_packs_hash_alike() -> None:
    cache = {load_house_rules("nz"): "nz"}
    assert cache[load_house_rules("nz")] == "nz"
    assert load_house_rules("uk") not in cache
