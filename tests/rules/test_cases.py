"""Every rule's YAML cases: ``fail_*`` cases must produce the rule's code, ``pass_*`` must not.

A case file ``tests/rules/cases/<CODE>.yml``::

    pack: nz                  # optional, default nz
    cases:
      fail_valid_ird_on_official_post:
        text: "My IRD number is 49-091-850"
        context: official     # optional (default official); any Post field may be given
        severity: block       # optional: the expected severity of the finding
      pass_ird_with_wrong_check_digit:
        text: "Reference 49-091-851"
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from govsocial import review
from govsocial.io import post_from_dict
from govsocial.rules.registry import CODES

CASES_DIR = Path(__file__).parent / "cases"


def _load() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        code = path.stem
        for name, case in (doc.get("cases") or {}).items():
            params.append(pytest.param(code, doc.get("pack", "nz"), name, case, id=f"{code}-{name}"))
    return params


def test_every_rule_has_a_case_file_with_pass_and_fail_cases() -> None:
    missing = []
    for code in CODES:
        path = CASES_DIR / f"{code}.yml"
        if not path.exists():
            missing.append(code)
            continue
        names = list(yaml.safe_load(path.read_text(encoding="utf-8")).get("cases") or {})
        if not any(n.startswith("pass_") for n in names) or not any(n.startswith("fail_") for n in names):
            missing.append(code)
    assert not missing, f"rules without pass and fail cases: {missing}"


@pytest.mark.parametrize(("code", "pack", "name", "case"), _load())
def test_case(code: str, pack: str, name: str, case: dict[str, Any]) -> None:
    case = dict(case)
    expected = case.pop("severity", None)
    case_pack = case.pop("pack", pack)
    post = post_from_dict(case)
    result = review(post, pack=case_pack)
    found = [f for f in result.findings if f.code == code]
    if name.startswith("fail_"):
        assert found, f"{code} did not fire; findings: {[(f.code, f.message) for f in result.findings]}"
        if expected:
            assert str(found[0].severity) == expected
    else:
        assert name.startswith("pass_"), "case names start with pass_ or fail_"
        assert not found, f"{code} fired: {[f.message for f in found]}"
