"""The guidance clauses that packs cite: ID → system, section, paraphrase, provenance.

Generated from the guidance digest by ``tools/build_clauses.py``. Clauses marked
``reconstructed`` were not checked against the original text: show them as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

__all__ = ["Clause", "clause", "clauses", "known_clause"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Clause:
    id: str
    system: str
    section: str
    text: str
    provenance: str

    @property
    def reconstructed(self) -> bool:
        return self.provenance in ("reconstructed", "mixed")


@cache
def clauses() -> dict[str, Clause]:
    raw = yaml.load(
        resources.files("govsocial.packs").joinpath("clauses.yml").read_text(encoding="utf-8"),
        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
    )
    return {cid: Clause(id=cid, **fields) for cid, fields in raw.items()}


def known_clause(cid: str) -> bool:
    return cid in clauses()


def clause(cid: str) -> Clause | None:
    return clauses().get(cid)
