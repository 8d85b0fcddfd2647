"""Generate the rule reference in ``docs/rules/`` from the rule classes and the built-in packs.

    python -m govsocial.docgen docs/rules      # write
    python -m govsocial.docgen docs/rules --check   # exit 1 if the checked-in files differ

The docstring is the documentation; this adds each built-in pack's severities and clauses.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from govsocial.clauses import clause
from govsocial.model import Context
from govsocial.packs import Pack, load_pack
from govsocial.rules.base import FAMILIES, Rule
from govsocial.rules.registry import all_rules

__all__ = ["render"]

PACKS = ("nz", "uk", "nsw")


def _sev(value: object) -> str:
    return str(value) if value else "off"


def render() -> dict[str, str]:
    """File name → Markdown for every rule, plus ``README.md`` as the index."""
    packs = [load_pack(p) for p in PACKS]
    files: dict[str, str] = {}
    index = ["# Rules", "", "Generated from the code by `python -m govsocial.docgen docs/rules`; do not edit.", ""]
    index.append("Severity per pack, official / personal. `off`: the rule does not apply in that context.")
    index.append("")
    by_family: dict[str, list[type[Rule]]] = {}
    for cls in all_rules():
        by_family.setdefault(cls.family(), []).append(cls)
    for family, title in FAMILIES.items():
        index += [
            f"## {family}: {title}",
            "",
            "| code | name | summary | " + " | ".join(PACKS) + " |",
            "|---|---|---|" + "---|" * len(PACKS),
        ]
        for cls in by_family.get(family, []):
            cells = []
            for p in packs:
                e = p.entry(cls.code)
                cells.append(
                    f"{_sev(e.severity.get(Context.OFFICIAL))} / {_sev(e.severity.get(Context.PERSONAL))}"
                    if e
                    else "not selected"
                )
            index.append(f"| [{cls.code}]({cls.code}.md) | {cls.name} | {cls.summary()} | " + " | ".join(cells) + " |")
            files[f"{cls.code}.md"] = _rule_page(cls, packs)
        index.append("")
    files["README.md"] = "\n".join(index).rstrip() + "\n"
    return files


def _rule_page(cls: type[Rule], packs: list[Pack]) -> str:
    doc = inspect.cleandoc(cls.__doc__ or "")
    summary, _, body = doc.partition("\n")
    lines = [f"# {cls.code} {cls.name}", "", summary.strip(), ""]
    catalogue = getattr(cls, "catalogue", ())
    if catalogue:
        lines += [f"Catalogue: {', '.join(catalogue)}", ""]
    lines += [body.strip(), "", "## In the built-in packs", ""]
    lines += [
        "| pack | official | personal | steps up when linked to employer | election period | guidance |",
        "|---|---|---|---|---|---|",
    ]
    for p in packs:
        e = p.entry(cls.code)
        if e is None:
            lines.append(f"| {p.id} | not selected | | | | |")
            continue
        election = ", ".join(f"{c}: {_sev(s)}" for c, s in e.election.items()) or "same"
        cites = []
        for cid in e.clauses:
            c = clause(cid)
            cites.append(f"{cid}{' (reconstructed)' if c and c.reconstructed else ''}")
        lines.append(
            f"| {p.id} | {_sev(e.severity.get(Context.OFFICIAL))} | {_sev(e.severity.get(Context.PERSONAL))} | "
            f"{'+' + str(e.linked) if e.linked else 'no'} | {election} | {', '.join(cites) or '—'} |"
        )
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path("docs/rules")
    check = "--check" in argv
    files = render()
    if check:
        stale = [
            n
            for n, text in files.items()
            if not (target / n).is_file() or (target / n).read_text(encoding="utf-8") != text
        ]
        extra = [p.name for p in target.glob("*.md") if p.name not in files] if target.is_dir() else []
        if stale or extra:
            print(f"docs/rules is out of date ({', '.join(stale + extra)}); run: python -m govsocial.docgen {target}")
            return 1
        return 0
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.md"):
        if old.name not in files:
            old.unlink()
    for name, text in files.items():
        (target / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
