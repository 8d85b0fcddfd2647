"""Protective markings (security classifications, endorsements, caveats, DLMs) in a post.

Detector ``markings`` scans the post text and every media alt text (``media[i].alt``) and
yields ``Signal(kind="marking")`` with ``evidence = {scheme, marking, position, pattern}``:

```
text                             why                                     pattern      position    score
"SENSITIVE - BUDGET"             head SENSITIVE (nz) + endorsement       compound     (any)       1.0
"TOP SECRET//NZEO"               a caveat no prose uses                  distinctive  (any)       1.0
"OFFICIAL: Sensitive – NSW ..."  exact mixed-case AU/NSW form            distinctive  (any)       1.0
"[SEC=OFFICIAL:Sensitive]"       email protective marker                 email-marker email       1.0
"SECRET" alone on a line         ambiguous head in a marking position    position     line        0.9
"OFFICIAL" alone on a line       the default tier: weak                  official     line        0.5
"RESTRICTED: draft plan ..."     ambiguous head as a prefix to prose     position     line-start  0.3
"SECRET garden tour", "secret"   shouting or ordinary prose              (no signal)
```

Why positions matter: the upper-case words SECRET, RESTRICTED, CONFIDENTIAL, SENSITIVE,
PROTECTED and PROTECT are also ordinary shouting ("RESTRICTED ACCESS to the park",
"PROTECT yourself"). A real marking stands alone (a header or footer line), sits in brackets,
follows a label such as "Classification:", or comes in a compound or caveat form that prose
never uses (``SENSITIVE - BUDGET``, ``UK EYES ONLY``, ``IN-CONFIDENCE``). A marking next to
``!``, ``?`` or an emoji is playful, not a pasted document. ``UNCLASSIFIED`` and
``UNOFFICIAL`` are never signals; the lower-case words are left to rules that need
corroborating context (SEC102).

Scores: 1.0 distinctive form; 0.9 ambiguous word in a strong marking position; 0.5 weak
(``OFFICIAL`` header, ambiguous word at the end of a line after a separator); 0.3 weakest
(``WORD:`` prefix before prose, parenthesised inside prose).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from govsocial.detectors.base import Signal, detector
from govsocial.model import Post

__all__ = ["MarkingMatch", "find_markings", "marking_signals"]

# Classification heads: literal text -> (scheme, distinctive). Distinctive forms are markings
# wherever they appear; the others need a marking position.
_HEADS: dict[str, tuple[str, bool]] = {
    "COSMIC TOP SECRET": ("intl", True),
    "NATO SECRET": ("intl", True),
    "NATO CONFIDENTIAL": ("intl", True),
    "NATO RESTRICTED": ("intl", True),
    "TRÈS SECRET UE": ("intl", True),
    "TRES SECRET UE": ("intl", True),
    "EU TOP SECRET": ("intl", True),
    "SECRET UE": ("intl", True),
    "EU SECRET": ("intl", True),
    "CONFIDENTIEL UE": ("intl", True),
    "EU CONFIDENTIAL": ("intl", True),
    "RESTREINT UE": ("intl", True),
    "EU RESTRICTED": ("intl", True),
    "HIGHLY PROTECTED": ("au", True),
    "IN-CONFIDENCE": ("nz", True),
    "IN CONFIDENCE": ("nz", False),
    "FOR OFFICIAL USE ONLY": ("au", True),
    "For Official Use Only": ("au", True),
    "FOUO": ("au", True),
    "TOP SECRET": ("intl", False),
    "SECRET": ("intl", False),
    "CONFIDENTIAL": ("intl", False),
    "RESTRICTED": ("intl", False),
    "SENSITIVE": ("nz", False),
    "PROTECTED": ("au", False),
    "PROTECT": ("uk", False),
    "OFFICIAL": ("uk", False),
}
# Heads written as patterns (separator and case variants).
_HEAD_PATTERNS: tuple[tuple[str, str, str, bool], ...] = (
    # (regex, canonical spelling or "" for the text as found, scheme, distinctive)
    (r"OFFICIAL:[ \t]{0,2}Sensitive", "OFFICIAL: Sensitive", "au", True),
    (r"OFFICIAL:[ \t]{0,2}SENSITIVE", "OFFICIAL: Sensitive", "au", True),
    (r"OFFICIAL[ \t]{0,2}[-–—][ \t]{0,2}SENSITIVE", "OFFICIAL-SENSITIVE", "uk", True),
    (r"OFFICIAL[ \t]SENSITIVE", "OFFICIAL-SENSITIVE", "uk", True),
    (r"Official[ \t]{0,2}[-–—][ \t]{0,2}Sensitive", "OFFICIAL-SENSITIVE", "uk", True),
    (r"(?:STAFF|COMMERCIAL|AUDIT|MEDICAL|CABINET|HONOURS|POLICY|CLIENT)-IN-CONFIDENCE", "", "au", True),
    (
        r"SENSITIVE:[ \t]{0,2}(?:NSW[ \t]CABINET|LAW[ \t]ENFORCEMENT|HEALTH[ \t]INFORMATION|NSW[ \t]GOVERNMENT|LEGAL|"
        r"PERSONAL)",
        "",
        "nsw",
        True,
    ),
    (r"Sensitive:[ \t]{0,2}(?:Personal|Legal|Cabinet)", "", "au", True),
)

_COUNTRY = r"(?:AUS|CAN|GBR|NZL|USA|FVEY|NATO|UK|US|NZ|EU)"
_EYES = (
    r"(?:NEW[ \t]ZEALAND|AUSTRALIAN|UK|US|NZ|AUS|CAN|GBR|USA|NZL|FVEY|FIVE)"
    r"(?:[ \t]{0,2}/[ \t]{0,2}(?:UK|US|NZ|AUS|CAN|GBR|USA|NZL))?[ \t]{1,2}EYES[ \t]{1,2}ONLY"
)
_REL = rf"REL(?:EASABLE)?[ \t]{{1,2}}TO[ \t]{{1,2}}{_COUNTRY}(?:[ \t]{{0,2}}[,/][ \t]{{0,2}}{_COUNTRY}){{0,8}}"

# Qualifiers (endorsements, caveats, descriptors) that follow a head: regex -> (scheme, distinctive).
_QUALIFIERS: tuple[tuple[str, str, bool], ...] = (
    (_EYES, "intl", True),
    (_REL, "intl", True),
    (r"NZEO", "nz", True),
    (r"AUSTEO", "au", True),
    (r"AGAO", "au", True),
    (r"LOCSEN", "uk", True),
    (r"ACCOUNTABLE[ \t]MATERIAL", "nz", True),
    (r"DEPARTMENT[ \t]USE[ \t]ONLY", "nz", True),
    (r"SPECIAL[ \t]HANDLING[ \t]REQUIRED", "nz", True),
    (r"EMBARGOED[ \t]FOR[ \t]RELEASE", "nz", True),
    (r"NATIONAL[ \t]CABINET", "au", False),
    (r"NSW[ \t]CABINET", "nsw", False),
    (r"NSW[ \t]GOVERNMENT", "nsw", False),
    (r"LAW[ \t]ENFORCEMENT", "nsw", False),
    (r"HEALTH[ \t]INFORMATION", "nsw", False),
    (r"LEGAL[ \t]PRIVILEGE", "nz", False),
    (r"BUDGET", "nz", False),
    (r"CABINET", "intl", False),
    (r"APPOINTMENTS", "nz", False),
    (r"HONOURS", "nz", False),
    (r"COMMERCIAL", "intl", False),
    (r"EVALUATIVE", "nz", False),
    (r"MEDICAL", "nz", False),
    (r"POLICY", "intl", False),
    (r"STAFF", "nz", False),
    (r"PERSONAL", "intl", False),
    (r"LEGAL", "intl", False),
    # Mixed-case NSW DLM tails after "OFFICIAL: Sensitive –".
    (r"NSW[ \t]Cabinet", "nsw", True),
    (r"NSW[ \t]Government", "nsw", True),
    (r"Law[ \t]Enforcement", "nsw", True),
    (r"Health[ \t]Information", "nsw", True),
    (r"Legal[ \t]privilege", "au", False),
    (r"Personal[ \t]privacy", "au", False),
    (r"Legislative[ \t]secrecy", "au", False),
    (r"Personal", "nsw", False),
    (r"Legal", "nsw", False),
)
# Caveats that are markings on their own, without a head.
_STANDALONE: tuple[tuple[str, str], ...] = (
    (_EYES, "intl"),
    (_REL, "intl"),
    (r"NZEO", "nz"),
    (r"AUSTEO", "au"),
    (r"AGAO", "au"),
    (r"ACCOUNTABLE[ \t]MATERIAL", "nz"),
    (r"DEPARTMENT[ \t]USE[ \t]ONLY", "nz"),
    (r"SPECIAL[ \t]HANDLING[ \t]REQUIRED", "nz"),
    (r"EMBARGOED[ \t]FOR[ \t]RELEASE", "nz"),
)


def _literal(text: str) -> str:
    return r"[ \t]".join(re.escape(part) for part in text.split(" "))


def _head_alternation() -> str:
    parts = [(len(k), _literal(k)) for k in _HEADS]
    parts += [(len(canon) + 10, rx) for rx, canon, _, _ in _HEAD_PATTERNS]
    return "|".join(f"(?:{rx})" for _, rx in sorted(parts, key=lambda p: -p[0]))


# A head, not glued to other word characters or hyphens (keeps IN-CONFIDENCE out of
# STAFF-IN-CONFIDENCE and OFFICIAL out of UNOFFICIAL).
_HEAD_RE = re.compile(rf"(?<![\w-])(?:{_head_alternation()})(?![\w-])")
_QUAL_BODY = "|".join(f"(?:{rx})" for rx, _, _ in _QUALIFIERS)
# One qualifier after the expression so far: a separator (or an opening bracket), then the qualifier.
_QUAL_RE = re.compile(
    rf"(?P<sep>[ \t]{{0,2}}(?://|[-–—:|/,;])[ \t]{{0,2}}|[ \t]{{0,2}}[\[(]|"
    rf"[ \t]{{1,2}})(?P<q>{_QUAL_BODY})(?P<close>[\])])?(?![\w-])"
)
_QUAL_LOOKUP = [(re.compile(rf"(?:{rx})\Z"), scheme, distinct) for rx, scheme, distinct in _QUALIFIERS]
_STANDALONE_RE = re.compile(rf"(?<![\w-])(?:{'|'.join(f'(?:{rx})' for rx, _ in _STANDALONE)})(?![\w-])")
_STANDALONE_LOOKUP = [(re.compile(rf"(?:{rx})\Z"), scheme) for rx, scheme in _STANDALONE]
_HEAD_LOOKUP = [(re.compile(rf"(?:{rx})\Z"), canon, scheme, distinct) for rx, canon, scheme, distinct in _HEAD_PATTERNS]
# Email protective markers pasted from a subject line: [SEC=OFFICIAL:Sensitive, ACCESS=...].
_EMAIL_RE = re.compile(r"\[(?:SEC|DLM)[ \t]{0,2}=[ \t]{0,2}(?P<v>[^\]\n]{1,120})\]?", re.IGNORECASE)
# "Classification: secret" (any case) after a label.
_LABEL_VALUE_RE = re.compile(
    r"\b(?:security[ \t]{1,2}classification|protective[ \t]{1,2}marking|security[ \t]{1,2}marking|classification|dlm)"
    r"[ \t]{0,2}[:=][ \t]{0,2}(?P<v>top[ \t]{1,2}secret|secret|restricted|confidential|sensitive|in[- ]confidence|"
    r"protected|official(?:[ \t]{0,2}[-–][ \t]{0,2}sensitive)?)(?![\w-])",
    re.IGNORECASE,
)
_LABEL_BEFORE_RE = re.compile(
    r"(?:classification|classified|protective[ \t]{1,2}marking|security[ \t]{1,2}marking|marking|dlm|caveat|handling)"
    r"[ \t]{0,3}[:=\-–][ \t]{0,3}\Z",
    re.IGNORECASE,
)
# The expression runs on into more shouting ("RESTRICTED - STAFF ONLY", "SECRET PLANS").
_CAPS_AFTER_RE = re.compile(r"[ \t]{1,2}[A-Z][A-Z'’]{1,30}\b")
_CAPS_BEFORE_RE = re.compile(r"\b[A-Z][A-Z'’]{1,30}[ \t]{1,2}\Z")
# Cheap prefilter: substring tests that every marking form above contains at least one of
# (case as written). Most posts contain none, and the regexes never run on them.
_PREFILTER = (
    "SECRET",
    "RESTRICTED",
    "CONFIDENTIAL",
    "SENSITIVE",
    "Sensitive",
    "PROTECT",
    "OFFICIAL",
    "Official",
    "CONFIDENCE",
    "FOUO",
    "NZEO",
    "AUSTEO",
    "AGAO",
    "EYES",
    "REL",
    "RESTREINT",
    "CONFIDENTIEL",
    "ACCOUNTABLE",
    "DEPARTMENT",
    "HANDLING",
    "EMBARGOED",
)
_PREFILTER_LOWER = ("classification", "marking", "dlm", "sec=", "sec =")
_NEVER = frozenset({"UNCLASSIFIED", "UNOFFICIAL", "NOT PROTECTIVELY MARKED"})

_LINE_WINDOW = 200
_MAX_MARKINGS = 50
# Heads examined per text: a real post has a handful; a megabyte of "RESTRICTED" stops here.
_MAX_HEADS = 500
_DECORATION = " \t*_=~#>•·.-–—|"
_LINE_SEPARATORS = ("//", ":", " - ", " – ", " — ", "|")


@dataclass(frozen=True, slots=True)
class MarkingMatch:
    """A marking found in one field."""

    start: int
    end: int
    marking: str
    scheme: str
    position: str
    score: float
    pattern: str


# Pictographs and symbols (☀..➿ and the emoji planes): a marking beside one is a teaser.
_EMOJI_RE = re.compile("[\u2600-\u27bf\U0001f000-\U0001faff]")


def _playful(before: str, after: str) -> bool:
    """``!`` or ``?`` right after the marking, or an emoji on its line: a teaser, not a document."""
    if after.lstrip(" \t")[:1] in {"!", "?"}:
        return True
    return bool(_EMOJI_RE.search(before) or _EMOJI_RE.search(after))


def _head_info(found: str) -> tuple[str, str, bool]:
    if found in _HEADS:
        scheme, distinct = _HEADS[found]
        return found, scheme, distinct
    normal = " ".join(found.split())
    if normal in _HEADS:
        scheme, distinct = _HEADS[normal]
        return normal, scheme, distinct
    for rx, canon, scheme, distinct in _HEAD_LOOKUP:
        if rx.match(found):
            return canon or normal, scheme, distinct
    return normal, "intl", False  # pragma: no cover - every alternative is listed


def _caveat_scheme(found: str, default: str) -> str:
    """The scheme of an EYES ONLY caveat from its country ("UK EYES ONLY" is British)."""
    head = found.split("EYES", 1)[0] if "EYES" in found else ""
    for country, scheme in (("NEW ZEALAND", "nz"), ("NZ", "nz"), ("AUS", "au"), ("UK", "uk"), ("GBR", "uk")):
        if country in head:
            return scheme
    return default


def _qual_info(found: str) -> tuple[str, bool]:
    for rx, scheme, distinct in _QUAL_LOOKUP:
        if rx.match(found):
            return _caveat_scheme(found, scheme), distinct
    return "intl", False  # pragma: no cover


def _position(text: str, start: int, end: int) -> tuple[str, str, str]:
    """Where the expression sits on its line: ``line``, ``brackets``, ``label``, ``line-start``,
    ``line-end``, ``parenthesis`` or ``inline``; with the text before and after it on the line."""
    # Look at most _LINE_WINDOW characters either way: a longer line is prose, and the bound
    # keeps many markings on one huge line linear.
    lo = max(0, start - _LINE_WINDOW)
    line_start = text.rfind("\n", lo, start) + 1 or (lo if lo else 0)
    hi = min(len(text), end + _LINE_WINDOW)
    line_end = text.find("\n", end, hi)
    if line_end == -1:
        line_end = hi
    before = text[line_start:start]
    after = text[end:line_end]
    bare_before = before.strip(_DECORATION)
    bare_after = after.strip(_DECORATION)
    head = before.rstrip("[( \t")
    if head[-1:] in {":", "=", "-", "–"} and _LABEL_BEFORE_RE.search(head[-40:]):
        return "label", before, after
    if not bare_before and not bare_after:
        return "line", before, after
    b, a = before.rstrip(" \t"), after.lstrip(" \t")
    if b.endswith("[") and a.startswith("]"):
        return "brackets", before, after
    if b.endswith("(") and a.startswith(")"):
        at_edge = not b[:-1].strip(_DECORATION) or not a[1:].strip(_DECORATION)
        return ("brackets" if at_edge else "parenthesis"), before, after
    if not bare_before and a.startswith(_LINE_SEPARATORS):
        return ("line-start-hard" if a.startswith("//") else "line-start"), before, after
    if not bare_after and (b.endswith(("//", "|")) or before.endswith((" - ", " – ", " — "))):
        return "line-end", before, after
    return "inline", before, after


_POSITION_SCORE = {
    "line": 0.9,
    "brackets": 0.9,
    "label": 0.9,
    "line-start-hard": 0.9,
    "line-end": 0.5,
    "line-start": 0.3,
    "parenthesis": 0.3,
}


def find_markings(text: str) -> list[MarkingMatch]:
    """Markings in one piece of text, in order; a span found by an earlier phase (email marker,
    head with qualifiers, standalone caveat, labelled value) is not found again by a later one."""
    if not text or not (any(k in text for k in _PREFILTER) or any(k in text.lower() for k in _PREFILTER_LOWER)):
        return []
    found: list[MarkingMatch] = []

    def overlaps(s: int, e: int) -> bool:
        return any(s < m.end and m.start < e for m in found)

    for phase in (_email_markers, _head_markings, _standalone_caveats, _label_values):
        for m in phase(text, overlaps):
            found.append(m)
            if len(found) >= _MAX_MARKINGS:
                return sorted(found, key=lambda m: m.start)
    return sorted(found, key=lambda m: m.start)


_Overlaps = Callable[[int, int], bool]


def _email_markers(text: str, overlaps: _Overlaps) -> Iterator[MarkingMatch]:
    for m in _EMAIL_RE.finditer(text):
        value = " ".join(m.group("v").split()).upper()
        first = re.split(r"[,;]", value, maxsplit=1)[0].strip()
        if first in _NEVER:
            continue
        weak = first.startswith("OFFICIAL") and "SENSITIVE" not in first
        marking = f"[{m.group(0)[1:4].upper()}={first[:40]}]"
        yield MarkingMatch(m.start(), m.end(), marking, "au", "email", 0.5 if weak else 1.0, "email-marker")


def _head_markings(text: str, overlaps: _Overlaps) -> Iterator[MarkingMatch]:
    pos = 0
    for _ in range(_MAX_HEADS):
        hm = _HEAD_RE.search(text, pos)
        if hm is None:
            return
        start, end = hm.start(), hm.end()
        pos = end
        if overlaps(start, end):
            continue
        canon, scheme, distinct = _head_info(hm.group(0))
        quals: list[tuple[str, str, bool, str]] = []
        while len(quals) < 6:
            qm = _QUAL_RE.match(text, end)
            if qm is None:
                break
            sep = qm.group("sep")
            if ("[" in sep or "(" in sep) and not qm.group("close"):
                break
            q = qm.group("q")
            if not q.isupper() and canon != "OFFICIAL: Sensitive":
                break  # mixed-case tails belong only to the AU/NSW "OFFICIAL: Sensitive" form
            q_scheme, q_distinct = _qual_info(q)
            quals.append((" ".join(q.split()), q_scheme, q_distinct, sep.strip()))
            end = qm.end()
        pos = max(pos, end)
        hard_compound = any(sep for _, _, _, sep in quals)
        distinct_qual = any(d for _, _, d, _ in quals)
        for _, q_scheme, _, _ in quals:
            if q_scheme == "nsw" or (scheme == "intl" and q_scheme != "intl"):
                scheme = q_scheme
        parts = [canon]
        for q, _, _, sep in quals:
            if sep in {"[", "("}:
                parts.append(f"[{q}]")
            elif sep in {":", ",", ";"}:
                parts[-1] += sep
                parts.append(q)
            else:
                parts.append(f"{sep} {q}" if sep else q)
        marking = " ".join(parts)
        position, before, after = _position(text, start, end)
        shouty = bool(_CAPS_AFTER_RE.match(text, end)) or bool(_CAPS_BEFORE_RE.search(text, max(0, start - 40), start))
        if distinct or distinct_qual:
            score, pattern = 1.0, "distinctive"
        elif canon == "OFFICIAL":
            score, pattern = (
                (0.5 if position in {"line", "brackets", "label"} else 0.3 if position == "line-start" else 0.0),
                "official",
            )
        elif hard_compound and not shouty:
            score, pattern = 1.0, "compound"
        else:
            score, pattern = _POSITION_SCORE.get(position, 0.0), "position"
            if shouty and position not in {"line", "label", "brackets"}:
                score = 0.0
        if 0.0 < score < 1.0 and _playful(before, after):
            score = 0.0
        if score <= 0.0:
            continue
        yield MarkingMatch(start, end, marking, scheme, position, score, pattern)


def _standalone_caveats(text: str, overlaps: _Overlaps) -> Iterator[MarkingMatch]:
    for m in _STANDALONE_RE.finditer(text):
        if overlaps(m.start(), m.end()):
            continue
        scheme = next((s for rx, s in _STANDALONE_LOOKUP if rx.match(m.group(0))), "intl")
        scheme = _caveat_scheme(m.group(0), scheme)
        position, _, _ = _position(text, m.start(), m.end())
        yield MarkingMatch(m.start(), m.end(), " ".join(m.group(0).split()), scheme, position, 1.0, "caveat")


def _label_values(text: str, overlaps: _Overlaps) -> Iterator[MarkingMatch]:
    for m in _LABEL_VALUE_RE.finditer(text):
        s, e = m.start("v"), m.end("v")
        if overlaps(s, e):
            continue
        value = " ".join(m.group("v").split()).upper()
        score = 0.5 if value == "OFFICIAL" else 0.9
        scheme = "nz" if value in {"SENSITIVE", "IN-CONFIDENCE", "IN CONFIDENCE"} else "intl"
        yield MarkingMatch(s, e, value, scheme, "label", score, "label")


@detector("markings")
def marking_signals(post: Post) -> list[Signal]:
    """Protective markings in the post text and in each media item's alt text."""
    fields = [("text", post.text)]
    fields += [(f"media[{i}].alt", media.alt) for i, media in enumerate(post.media) if media.alt]
    signals: list[Signal] = []
    for field_name, text in fields:
        for m in find_markings(text):
            signals.append(
                Signal(
                    kind="marking",
                    start=m.start,
                    end=m.end,
                    score=m.score,
                    value=text[m.start : m.end],
                    field=field_name,
                    evidence={"scheme": m.scheme, "marking": m.marking, "position": m.position, "pattern": m.pattern},
                )
            )
    return signals
