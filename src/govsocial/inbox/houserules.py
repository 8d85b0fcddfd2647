"""House rules: the inbox moderation rules a pack publishes (``house_rules:`` in the pack YAML).

A pack's ``house_rules`` section (validated by :mod:`govsocial.packs.loader`, inherited through
``extends``: a child overrides the scalar settings, single classifier bars and single fields
of a rule by its code) becomes a :class:`HouseRules`::

    load_house_rules("nz") ──► load_pack("nz") ──► pack.house_rules ──► HouseRules
                                                   pack.options (political lexicon, staff,
                                                   suppressed names, agency handles...)

Codes are those of the agency's published community guidelines; the built-in packs use the
catalogue codes IN-01..IN-15 (guidance digest, section 9.3), each with a plain title, one
sentence for the published guidelines, the action the triage takes (``hide``, ``queue`` for a
moderator, ``leave``), whether it earns the author a strike, and the guidance it serves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from govsocial.packs import PackError, load_pack

__all__ = ["DEFAULT_THRESHOLDS", "ENGINE_CODES", "HouseRule", "HouseRules", "load_house_rules"]

#: The codes the triage cites; a pack used by the inbox must define each of them.
ENGINE_CODES = tuple(f"IN-{n:02d}" for n in range(1, 16))

#: Classifier bars when a pack does not set them (``house_rules.thresholds``); see the triage.
DEFAULT_THRESHOLDS: Mapping[str, float] = MappingProxyType(
    {
        "abuse": 0.75,
        "abuse_alone": 0.92,
        "complaint": 0.65,
        "complaint_protect": 0.3,
        "crisis": 0.85,
        "misinformation": 0.9,
        "partisan": 0.9,
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class HouseRule:
    """One published house rule."""

    code: str
    title: str
    text: str
    action: str
    strike: bool
    serves: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class HouseRules:
    """The house rules of one pack, with the settings the triage reads.

    Hashable (a cache key): ``pack`` names the exact pack content, options included.
    """

    pack: str
    rules: tuple[HouseRule, ...]
    strikes_to_block: int
    block_review_days: int
    #: What IN-07 covers: ``electioneering`` (and political bias) or ``parties`` (and personalities).
    political_scope: str = "electioneering"
    #: Classifier bars (see :data:`DEFAULT_THRESHOLDS`).
    thresholds: Mapping[str, float] = field(default_factory=lambda: DEFAULT_THRESHOLDS, hash=False)
    #: The pack's options: political lexicon, staff and suppressed names, agency handles...
    options: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    def get(self, code: str) -> HouseRule:
        """The rule with this code; ``KeyError`` when the pack has none."""
        for rule in self.rules:
            if rule.code == code:
                return rule
        raise KeyError(code)

    def codes(self) -> list[str]:
        return [r.code for r in self.rules]

    def threshold(self, name: str) -> float:
        return float(self.thresholds.get(name, DEFAULT_THRESHOLDS[name]))


def house_rules_from_pack(pack: Any) -> HouseRules:
    """:class:`HouseRules` of a loaded pack; :class:`PackError` when it lacks the engine's codes."""
    data = pack.house_rules
    missing = [c for c in ENGINE_CODES if c not in (data.get("rules") or {})]
    if missing:
        raise PackError(
            pack.source,
            None,
            f"pack {pack.id!r} has no house rules {', '.join(missing)}: extend a built-in pack (nz, uk, nsw) "
            "or add them under house_rules",
        )
    rules = tuple(
        HouseRule(
            code=code,
            title=spec["title"],
            text=spec["text"],
            action=spec["action"],
            strike=bool(spec["strike"]),
            serves=tuple(spec["serves"]),
        )
        for code, spec in data["rules"].items()
    )
    return HouseRules(
        pack=pack.ref,
        rules=rules,
        strikes_to_block=int(data["strikes_to_block"]),
        block_review_days=int(data["block_review_days"]),
        political_scope=str(data["political_scope"]),
        thresholds=MappingProxyType({**DEFAULT_THRESHOLDS, **data.get("thresholds", {})}),
        options=MappingProxyType(dict(pack.options)),
    )


_CACHE: dict[tuple[str, str], HouseRules] = {}
_CACHE_MAX = 64


def load_house_rules(pack_ref: str | Path) -> HouseRules:
    """The house rules of a pack (``"nz"``, ``"uk"``, ``"nsw"`` or a pack file), cached per pack.

    An edited pack file is read again (as :func:`govsocial.packs.load_pack` does): the cache is
    keyed by the pack's ``id@version#sha256``. Errors are :class:`govsocial.packs.PackError`
    naming the file and line.
    """
    pack = load_pack(pack_ref)
    key = (pack.source, pack.ref)
    hit = _CACHE.get(key)
    if hit is None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        hit = _CACHE[key] = house_rules_from_pack(pack)
    return hit
