"""SEC: protective markings, unreleased material, safety of people, credentials and links.

```
SEC1xx protective markings     SEC101 protective-marking (detector "markings")
                               SEC102 sensitivity-cue (lower-case words + corroborating context)
SEC2xx unreleased material     SEC201 embargoed-material · SEC202 cabinet-or-budget-material
                               SEC203 internal-document-reference
SEC3xx safety of people        SEC301 advance-movements
SEC4xx credentials             SEC401 credential-or-secret · SEC402 internal-address
SEC5xx links                   SEC501 shortened-link · SEC502 insecure-link
```

Every pattern is compiled once at import (or in ``setup()`` for pack options) and bounded, so
the family runs in linear time. Rules scan the post text and, where a leak could hide there,
the media alt texts (field ``media[i].alt``).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import lru_cache
from itertools import islice
from typing import Any, ClassVar

from govsocial.model import Context, Post, Severity
from govsocial.rules.base import CheckEnv, Hit, Rule
from govsocial.text import TermMatcher, mask, sentences, url_spans

__all__ = [
    "AdvanceMovements",
    "CabinetOrBudgetMaterial",
    "CredentialOrSecret",
    "EmbargoedMaterial",
    "InsecureLink",
    "InternalAddress",
    "InternalDocumentReference",
    "ProtectiveMarking",
    "SensitivityCue",
    "ShortenedLink",
]

# Candidates examined per field: bounds the work on pathological input (a megabyte of "secret").
_MAX_CANDIDATES = 50
_MAX_HITS = 10

_BLOCK_BOTH = {Context.OFFICIAL: Severity.BLOCK, Context.PERSONAL: Severity.BLOCK}
_BLOCK_HIGH: Mapping[Context, Severity | None] = {Context.OFFICIAL: Severity.BLOCK, Context.PERSONAL: Severity.HIGH}
_HIGH_BOTH = {Context.OFFICIAL: Severity.HIGH, Context.PERSONAL: Severity.HIGH}
_WARN_INFO = {Context.OFFICIAL: Severity.WARN, Context.PERSONAL: Severity.INFO}

_SCHEMES = {"nz": "NZ", "uk": "UK", "au": "Australian", "nsw": "NSW", "intl": "security"}
_POSITIONS = {
    "line": "on a line of its own",
    "brackets": "in brackets",
    "label": "after a classification label",
    "line-start": "at the start of a line",
    "line-start-hard": "at the start of a line",
    "line-end": "at the end of a line",
    "parenthesis": "in brackets",
    "email": "as an email subject marker",
    "inline": "in the text",
}


@lru_cache(maxsize=64)
def _lower(text: str) -> str:
    """The lower-cased text, shared by the rules of this family for the same post."""
    return text.lower()


# Lower-case ASCII words and numbers ("bit.ly" gives "bit" and "ly"): the prefilter vocabulary.
_WORD_RE = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=64)
def _words(text: str) -> frozenset[str]:
    """The post's lower-case words: the cheap prefilter of every rule here (regexes run only
    on text that holds one of a rule's key words)."""
    return frozenset(_WORD_RE.findall(_lower(text)))


def _wordlist(text: str) -> frozenset[str]:
    """A word list written as text (easier to read and edit than a list of strings)."""
    return frozenset(text.split())


def _has(text: str, keys: frozenset[str]) -> bool:
    return not keys.isdisjoint(_words(text))


def _contains(text: str, keys: tuple[str, ...]) -> bool:
    return any(k in text for k in keys)


def _fields(post: Post) -> Iterator[tuple[str, str]]:
    """The text a person wrote for the post: its text, then each media alt text."""
    yield "text", post.text
    for i, media in enumerate(post.media):
        if media.alt:
            yield f"media[{i}].alt", media.alt


def _sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    for s, e in sentences(text):
        if s <= start < e or s < end <= e:
            return s, e
    return start, end


# --------------------------------------------------------------------------- SEC1xx markings


class ProtectiveMarking(Rule):
    """A protective marking (security classification, endorsement or caveat) is in the post.

    ## What it does
    Finds the protective markings of New Zealand (PSR: `IN-CONFIDENCE`, `SENSITIVE`,
    `RESTRICTED`, `CONFIDENTIAL`, `SECRET`, `TOP SECRET`, endorsements such as
    `SENSITIVE - BUDGET`, `NZEO`), the UK (`OFFICIAL-SENSITIVE`, `UK EYES ONLY`, legacy
    `PROTECT`), Australia (`OFFICIAL: Sensitive`, `PROTECTED`, `AUSTEO`, `[SEC=...]` email
    markers) and NSW (`OFFICIAL: Sensitive – NSW Cabinet`), in the text and in image alt text.
    Upper-case words count only in marking positions: alone on a line, in brackets, after
    "Classification:", or in a compound form. A bare `OFFICIAL` header is a weak signal (one step
    lower); a `WORD:` prefix before ordinary prose is weaker still (two steps lower).

    ## Why is this bad?
    A marking in a draft is a strong sign that protected material was pasted in. Releasing it
    is an unauthorised disclosure under every code of conduct the packs serve.

    ## Example
        SENSITIVE - BUDGET
        New funding for school lunches starts in July.

    Use instead:
        New funding for school lunches starts in July.

    ## Known false positives
    A post that talks about markings (training on the classification system) quotes them;
    override with a reason. Playful capitals next to `!`, `?` or an emoji ("TOP SECRET 🤫")
    and shouting inside a sentence ("RESTRICTED ACCESS to the park") are not markings.

    ## References
    - NZ Protective Security Requirements, classification system and endorsements
    - UK Government Security Classifications Policy; Australian PSPF; NSW Information
      Classification, Labelling and Handling Guidelines
    """

    code = "SEC101"
    name = "protective-marking"
    catalogue = ("XR-01",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the marking and check that no protected material was pasted in."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        for sig in env.signals("markings"):
            if sig.kind != "marking":
                continue
            ev = sig.evidence
            shift = 0 if sig.score >= 0.8 else -1 if sig.score >= 0.5 else -2
            scheme = _SCHEMES.get(str(ev.get("scheme")), "security")
            where = _POSITIONS.get(str(ev.get("position")), "in the text")
            place = " in the image description" if sig.field != "text" else ""
            yield Hit(
                message=f"{scheme} protective marking “{ev.get('marking')}” {where}{place}.",
                start=sig.start,
                end=sig.end,
                field=sig.field,
                shift=shift,
                evidence=dict(ev),
            )


_SENSITIVE_WORD_RE = re.compile(
    r"\b(?:strictly[ \t]{1,3})?(?:commercial[ -]in[ -]confidence|in[ -]confidence|for[ \t]{1,3}official[ \t]{1,3}use"
    r"[ \t]{1,3}only|confidential|sensitive|restricted|classified|protected|secret)\b",
    re.IGNORECASE,
)
_SENSITIVE_KEYS = frozenset(
    {"confidential", "confidence", "sensitive", "restricted", "classified", "protected", "secret", "official"}
)
_CORROBORATE_RE = re.compile(
    r"\b(?:this|the[ \t]{1,3}attached|attached|the[ \t]{1,3}enclosed)[ \t]{1,3}(?:document|doc|paper|briefing|report|"
    r"memo|"
    r"email|e-mail|slides?|deck|draft|file|letter|advice|minutes?|material|information|info|data|spreadsheet|"
    r"presentation)[ \t]{1,3}(?:is|are|was|were|remains?)\b"
    r"|\bnot[ \t]{1,3}for[ \t]{1,3}(?:public[ \t]{1,3}|external[ \t]{1,3})?(?:release|distribution|circulation|"
    r"publication)\b"
    r"|\bdo[ \t]{1,3}not[ \t]{1,3}(?:forward|share|distribute|circulate|copy|release|publish)\b"
    r"|\b(?:for[ \t]{1,3})?internal[ \t]{1,3}(?:use[ \t]{1,3}|circulation[ \t]{1,3})?only\b"
    r"|\bnot[ \t]{1,3}to[ \t]{1,3}be[ \t]{1,3}(?:shared|released|published|distributed|forwarded|circulated)\b"
    r"|\b(?:marked|classified|stamped|labelled|labeled)[ \t]{1,3}(?:as[ \t]{1,3})?(?:strictly[ \t]{1,3})?"
    r"(?=confidential|sensitive|restricted|in[ -]confidence|secret|protected|for[ \t]official)",
    re.IGNORECASE,
)


class SensitivityCue(Rule):
    """A sensitivity word ("confidential", "sensitive", "restricted") with context that says
    the material itself is protected.

    ## What it does
    Looks for the ordinary words "confidential", "sensitive", "restricted", "classified",
    "in confidence", "for official use only" and "secret" and fires only when the same sentence
    (or the one next to it) corroborates that a document is protected: "this document is",
    "not for release", "do not forward", "internal use only", "marked".

    ## Why is this bad?
    Staff often paste from an email or document whose protective status is written in words
    rather than as a formal marking. The lower-case words alone are everyday English, so they
    never fire without the corroborating context.

    ## Example
        This document is confidential, but here are the key points of the new roster.

    Use instead:
        Here are the key points of the new roster, published on our website today.

    ## Known false positives
    A post quoting a handling instruction in order to explain it (training material).
    """

    code = "SEC102"
    name = "sensitivity-cue"
    catalogue = ("XR-01",)
    default_severity = _HIGH_BOTH
    fix = "Check whether the material has been approved for release; if not, remove it."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        marked: list[tuple[str, int, int]] | None = None
        for field_name, text in _fields(post):
            # No corroborating wording anywhere (one pass): nothing to find.
            if not _has(text, _SENSITIVE_KEYS) or not _CORROBORATE_RE.search(text):
                continue
            if marked is None:
                marked = [(s.field, s.start, s.end) for s in env.signals("markings")]
            for n, m in enumerate(_SENSITIVE_WORD_RE.finditer(text)):
                if n >= _MAX_CANDIDATES:
                    break
                if any(f == field_name and m.start() < e and s < m.end() for f, s, e in marked):
                    continue
                if not _CORROBORATE_RE.search(text, max(0, m.start() - 160), m.end() + 160):
                    continue
                yield Hit(
                    message=f"“{m.group(0).lower()}” with wording that says the material is not for release.",
                    start=m.start(),
                    end=m.end(),
                    field=field_name,
                    evidence={"word": m.group(0).lower()},
                )
                break


# --------------------------------------------------------------------------- SEC2xx unreleased

_EMBARGO_CUES: tuple[tuple[str, frozenset[str], re.Pattern[str]], ...] = (
    (
        "an embargo",
        frozenset({"embargo", "embargoed"}),
        re.compile(
            r"\bembargoed\b|\bunder[ \t]{1,3}(?:an[ \t]{1,3})?embargo\b|\bembargo[ \t]{1,3}(?:until|till|lifts|ends|"
            r"expires|time)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "a not-for-publication note",
        frozenset({"publication", "release", "distribution", "circulation", "broadcast"}),
        re.compile(
            r"\bnot[ \t]{1,3}for[ \t]{1,3}(?:public[ \t]{1,3}|external[ \t]{1,3})?(?:publication|release|distribution|"
            r"circulation|broadcast)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "a do-not-circulate note",
        frozenset({"circulate", "distribute", "forward"}),
        re.compile(
            r"\bdo[ \t]{1,3}not[ \t]{1,3}(?:circulate|distribute|forward)\b|\bdon[’']?t[ \t]{1,3}(?:circulate|"
            r"forward)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "an internal-only note",
        frozenset({"internal"}),
        re.compile(
            r"\b(?:for[ \t]{1,3})?internal[ \t]{1,3}(?:use[ \t]{1,3}|circulation[ \t]{1,3}|eyes[ \t]{1,3})?only\b"
            r"|\binternal[ \t]{1,3}draft\b",
            re.IGNORECASE,
        ),
    ),
    (
        "a DRAFT watermark",
        frozenset({"draft"}),
        re.compile(
            r"^[ \t*_=~-]{0,5}DRAFT(?:[ \t]{1,3}(?:ONLY|COPY|VERSION|v?\d{1,2}(?:\.\d{1,2})?))?[ \t*_=~.-]{0,5}$", re.M
        ),
    ),
    (
        "a keep-it-quiet cue",
        frozenset({"wraps", "hush", "record", "keep", "didn", "supposed", "shouldn"}),
        re.compile(
            r"\bunder[ \t]{1,3}wraps\b|\bhush[- ]hush\b|\boff[ \t]{1,3}the[ \t]{1,3}record\b"
            r"|\bkeep[ \t]{1,3}(?:this|it)[ \t]{1,3}(?:quiet|between[ \t]{1,3}us|to[ \t]{1,3}yoursel(?:f|ves))\b"
            r"|\byou[ \t]{1,3}didn[’']?t[ \t]{1,3}hear[ \t]{1,3}(?:it|this)[ \t]{1,3}from[ \t]{1,3}me\b"
            r"|\b(?:not[ \t]{1,3}supposed[ \t]{1,3}to|shouldn[’']?t[ \t]{1,3}(?:really[ \t]{1,3})?(?:be[ \t]{1,3})?)"
            r"[ \t]{0,3}(?:say(?:ing)?|shar(?:e|ing)|tell(?:ing)?|post(?:ing)?)(?:[ \t]{1,3}(?:this|it|that))?\b",
            re.IGNORECASE,
        ),
    ),
    (
        "a leak",
        frozenset({"leak", "leaked", "leaking"}),
        re.compile(
            r"\bleak(?:ed|ing)[ \t]{1,3}(?:[\w’'-]{1,20}[ \t]{1,3}){0,2}(?:documents?|docs?|reports?|memos?|emails?|"
            r"papers?|"
            r"briefings?|plans?|drafts?|minutes|letters?|footage|figures|advice|budget)\b"
            r"|\b(?:documents?|reports?|memos?|emails?|papers?|briefings?|plans?|drafts?|minutes|letters?|advice)"
            r"[ \t]{1,3}(?:[\w’'-]{1,20}[ \t]{1,3})?(?:was|were|has[ \t]{1,3}been|have[ \t]{1,3}been|got|"
            r"had[ \t]{1,3}been)"
            r"[ \t]{1,3}leaked\b|\bleaked[ \t]{1,3}to[ \t]{1,3}(?:me|us)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "a pre-announcement cue",
        frozenset({"preannouncement", "announcement", "announced", "released", "public", "confidential"}),
        re.compile(
            r"\bpre-?announcement\b|\bbefore[ \t]{1,3}(?:it[’']s|it[ \t]{1,3}is|they[’']re|they[ \t]{1,3}are)[ \t]{1,3}"
            r"(?:officially[ \t]{1,3})?(?:announced|released|public)\b|\bconfidential[ \t]{1,3}(?:briefing|draft|"
            r"report|"
            r"advice|paper|memo)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "tracked changes",
        frozenset({"deleted", "inserted", "formatted", "commented"}),
        re.compile(r"^(?:Deleted|Inserted|Formatted|Commented[ \t]{1,3}\[[A-Z]{1,4}\d{1,3}\]):", re.M),
    ),
)


class EmbargoedMaterial(Rule):
    """Embargoed, unreleased or internal material: "embargoed until", "not for publication",
    "internal only", "leaked", "under wraps".

    ## What it does
    Looks for the cues that material has not been released: embargo wording, "not for
    publication/release", "do not circulate", "internal only", a `DRAFT` watermark line,
    tracked-changes artefacts ("Deleted:", "Formatted:"), "leaked" documents, "under wraps",
    "off the record" and "before it's announced". Scans the text and image alt text.

    ## Why is this bad?
    Publishing material before its release time, or material meant for internal use, breaches
    the duty of confidentiality and can pre-empt Ministers and Parliament. Screenshots and
    pasted drafts are the common way it happens.

    ## Example
        Embargoed until 5am Thursday: new bus routes for the east.

    Use instead:
        New bus routes for the east start on Thursday.

    ## Known false positives
    News about an embargo on trade goods ("an arms embargo") does not fire; a post reporting
    that a third party's documents leaked does, and needs a second look.
    """

    code = "SEC201"
    name = "embargoed-material"
    catalogue = ("XR-02",)
    default_severity = _HIGH_BOTH
    fix = "Wait until the material is released, then post the public version."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        for field_name, text in _fields(post):
            seen: set[str] = set()
            for what, keys, rx in _EMBARGO_CUES:
                if not _has(text, keys):
                    continue
                m = rx.search(text)
                if m is None or what in seen:
                    continue
                seen.add(what)
                yield Hit(
                    message=f"Looks like unreleased material: {what} (“{' '.join(m.group(0).split())[:40]}”).",
                    start=m.start(),
                    end=m.end(),
                    field=field_name,
                    evidence={"cue": what},
                )


# Words that say a document has been published (proactive release, OIA), so mentioning it is fine.
_RELEASED_RE = re.compile(
    r"\b(?:proactive(?:ly)?[ \t]{1,3}releas\w{0,3}|releas(?:ed|ing)|published|publish|now[ \t]{1,3}available|available"
    r"[ \t]{1,3}(?:on|at|here|online|from)|read[ \t]{1,3}(?:the|it|them|more|our)|you[ \t]{1,3}can[ \t]{1,3}(?:read|"
    r"find|"
    r"view|download)|OIA|Official[ \t]{1,3}Information[ \t]{1,3}Act|archives?|declassified)\b",
    re.IGNORECASE,
)
_CABINET_DOC_RE = re.compile(
    r"\bCabinet[ \t]{1,3}(?:committee[ \t]{1,3})?(?:papers?|minutes?|submissions?|memos?|memorand(?:um|a)|documents?|"
    r"material|decision[ \t]{1,3}(?:documents?|papers?|minutes?))\b",
    re.IGNORECASE,
)
_CABINET_DECIDED_RE = re.compile(
    r"\bCabinet[ \t]{1,3}(?:has[ \t]{1,3}|have[ \t]{1,3})?(?:already[ \t]{1,3})?(?:decided|agreed|approved|"
    r"signed[ \t]{1,3}off)\b",
    re.IGNORECASE,
)
_NOT_YET_ANNOUNCED_RE = re.compile(
    r"\b(?:will|to|is[ \t]{1,3}going[ \t]{1,3}to)[ \t]{1,3}be[ \t]{1,3}announced\b|\b(?:yet|"
    r"not)[ \t]{1,3}(?:yet[ \t]{1,3})?"
    r"(?:been[ \t]{1,3})?(?:announced|public)\b|\bbefore[ \t]{1,3}(?:it[’']s|it[ \t]{1,3}is|the)[ \t]{1,3}"
    r"(?:officially[ \t]{1,3})?announce|"
    r"\bahead[ \t]{1,3}of[ \t]{1,3}(?:the[ \t]{1,3})?(?:official[ \t]{1,3})?announcement\b"
    r"|\bheads[- ]up\b|\bsneak[ \t]{1,3}peek\b|\bcan[’']?t[ \t]{1,3}say[ \t]{1,3}more\b",
    re.IGNORECASE,
)
# Budget material before Budget day. Case-sensitive: "Budget" the event, not "budget" the word.
_BUDGET_STRONG_RE = re.compile(
    r"\b(?:Budget|BUDGET)[ \t-]{1,3}(?:sensitive|secrets?|lock[ -]?up|bids?|documents?|papers?|initiatives?[ \t]{1,3}"
    r"(?:list|paper))\b|\bpre-?Budget[ \t]{1,3}(?:secrets?|leaks?|papers?|documents?|briefings?)\b"
    r"|\bbefore[ \t]{1,3}Budget[ \t]{1,3}day\b"
)
_BUDGET_FUTURE_RE = re.compile(
    r"\bBudget(?:[ \t]{1,2}20\d\d)?[ \t]{1,3}(?:will|is[ \t]{1,3}(?:going|set|expected|likely)[ \t]{1,3}to|would)"
    r"[ \t]{1,3}(?:include|fund|contain|provide|deliver|allocate|cut|raise|increase|introduce|invest|"
    r"set[ \t]{1,3}aside|"
    r"put|boost|slash|scrap|axe|have)\b"
    r"|\b(?:next|upcoming|coming|next[ \t]{1,3}(?:week|month|year)[’']s|this[ \t]{1,3}year[’']s)[ \t]{1,3}Budget"
    r"[ \t]{1,3}(?:will|is[ \t]{1,3}set[ \t]{1,3}to)\b"
)
_MONEY_RE = re.compile(r"[$£€]\s?\d|\b\d{1,4}(?:[.,]\d{1,3})?[ \t]{0,2}(?:m|bn|million|billion|%)\b|\bfunding\b", re.I)


class CabinetOrBudgetMaterial(Rule):
    """Cabinet papers or minutes, Cabinet decisions not yet announced, or Budget content before
    Budget day.

    ## What it does
    Fires on mentions of Cabinet papers, minutes and submissions (unless the post says they were
    proactively released or published), on "Cabinet has agreed..." together with a not-yet-
    announced cue, and on Budget-sensitive material ("Budget bid", "Budget lock-up", "Budget
    secrets"). Forward-looking Budget content ("Budget 2026 will fund $40m for...") fires one
    step lower, because Ministers also say this after Budget day. Past and public statements
    ("the Budget was announced yesterday", "Budget 2024 is now law") do not fire.

    ## Why is this bad?
    Cabinet material and Budget measures are protected until the Government announces them;
    early disclosure can breach Cabinet confidentiality and market-sensitive Budget secrecy.

    ## Example
        Cabinet has agreed to the new speed limits, it will be announced next week.

    Use instead:
        Cabinet agreed today to new speed limits. Read the decision on our website.

    ## Known false positives
    A Minister's own pre-Budget announcement, posted at the approved time.
    """

    code = "SEC202"
    name = "cabinet-or-budget-material"
    catalogue = ("XR-02",)
    default_severity = _HIGH_BOTH
    fix = "Check that the Cabinet or Budget material has been announced before posting it."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        for field_name, text in _fields(post):
            if "abinet" not in text and "ABINET" not in text and "udget" not in text and "UDGET" not in text:
                continue
            released = _RELEASED_RE.search(text) is not None
            m = _CABINET_DOC_RE.search(text)
            if m and not released:
                yield Hit(
                    message="Mentions Cabinet papers or minutes that do not look released.",
                    start=m.start(),
                    end=m.end(),
                    field=field_name,
                    evidence={"cue": "cabinet-document"},
                )
            m = _CABINET_DECIDED_RE.search(text)
            if m and _NOT_YET_ANNOUNCED_RE.search(text):
                yield Hit(
                    message="Reports a Cabinet decision that has not been announced yet.",
                    start=m.start(),
                    end=m.end(),
                    field=field_name,
                    evidence={"cue": "cabinet-decision"},
                )
            m = _BUDGET_STRONG_RE.search(text)
            if m and not released:
                yield Hit(
                    message="Mentions Budget-sensitive material before it is public.",
                    start=m.start(),
                    end=m.end(),
                    field=field_name,
                    evidence={"cue": "budget-sensitive"},
                )
                continue
            m = _BUDGET_FUTURE_RE.search(text)
            if m:
                s, e = _sentence_of(text, m.start(), m.end())
                if _MONEY_RE.search(text, s, e):
                    yield Hit(
                        message="Says what a coming Budget will contain: check it has been announced.",
                        start=m.start(),
                        end=m.end(),
                        field=field_name,
                        shift=-1,
                        evidence={"cue": "budget-future"},
                    )


_DOC_REFS: tuple[tuple[str, frozenset[str], re.Pattern[str]], ...] = (
    (
        "a Cabinet committee reference",
        frozenset({"min", "sub"}),
        re.compile(r"\b[A-Z]{2,4}-\d{2}-(?:MIN|SUB|Min|Sub)-\d{1,4}\b"),
    ),
    (
        "a Cabinet committee reference",
        frozenset({"cab", "cbc", "swc"}),
        re.compile(r"\b(?:CAB|CBC|SWC)[ \t]{0,2}\([ \t]{0,2}\d{2}[ \t]{0,2}\)[ \t]{0,2}\d{1,4}\b"),
    ),
    (
        "a briefing number",
        frozenset({"bri", "rep"}),
        re.compile(r"\bBRI[- ]?\d{3,6}\b|\bREP/\d{2}/\d{1,2}/\d{1,5}\b|\bT20\d\d/\d{2,5}\b"),
    ),
    ("an aide-memoire", frozenset({"aide"}), re.compile(r"\baide[- ]m[eé]moire\b", re.IGNORECASE)),
    (
        "a Ministerial briefing",
        frozenset({"ministerial", "briefing"}),
        re.compile(
            r"\bMinisterial[ \t]{1,3}(?:briefing|submission|memo)s?\b|\bbriefing[ \t]{1,3}(?:note[ \t]{1,3})?(?:to|for)"
            r"[ \t]{1,3}(?:the[ \t]{1,3})?(?:Associate[ \t]{1,3})?Minister\b(?![ \t]{1,3}(?:of|for)[ \t]{1,3}\w)",
            re.IGNORECASE,
        ),
    ),
    (
        "an internal document",
        frozenset({"internal"}),
        re.compile(
            r"\binternal[ \t]{1,3}(?:memo|memorandum|e-?mail|briefing|report|document|minutes)s?\b", re.IGNORECASE
        ),
    ),
)
_DOC_KEYS = frozenset(k for _, keys, _ in _DOC_REFS for k in keys)
_INCOMING_RE = re.compile(r"\bincoming[ \t]{1,3}Ministers?\b", re.IGNORECASE)


class InternalDocumentReference(Rule):
    """References to internal documents: Cabinet committee numbers, briefing numbers,
    aide-memoires, Ministerial briefings, internal memos.

    ## What it does
    Finds NZ Cabinet committee references (`CAB-24-MIN-0123`, `SWC-23-SUB-0045`,
    `CAB (19) 123`), briefing numbers (`BRI-1234`, `REP/24/3/123`, Treasury `T2024/1234`),
    "aide-memoire", "Ministerial briefing" and "internal memo". A post that says the document
    was released or published (proactive release, OIA response) does not fire, nor does a
    Briefing to the Incoming Minister, which is published.

    ## Why is this bad?
    Internal references suggest the post is drawn from advice to Ministers that has not been
    released, and they tell outsiders what to ask for.

    ## Example
        Our aide-memoire says the new clinic will open in March.

    Use instead:
        The new clinic opens in March.

    ## Known false positives
    A post pointing to a document on a release page without saying "released" or "published".
    """

    code = "SEC203"
    name = "internal-document-reference"
    catalogue = ("XR-02",)
    default_severity = _HIGH_BOTH
    fix = "Remove the internal reference, or link to the released document."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        for field_name, text in _fields(post):
            if not (_has(text, _DOC_KEYS) or "T20" in text) or _RELEASED_RE.search(text):
                continue
            seen: set[str] = set()
            for what, keys, rx in _DOC_REFS:
                if what in seen or not (_has(text, keys) or (what == "a briefing number" and "T20" in text)):
                    continue
                for m in rx.finditer(text):
                    if what == "a Ministerial briefing" and _INCOMING_RE.search(text, m.start(), m.end() + 30):
                        continue
                    seen.add(what)
                    yield Hit(
                        message=f"Refers to {what}: this looks drawn from unreleased internal advice.",
                        start=m.start(),
                        end=m.end(),
                        field=field_name,
                        evidence={"cue": what},
                    )
                    break


# --------------------------------------------------------------------------- SEC3xx safety

_VIP_RE = re.compile(
    r"\b(?:(?:Deputy|Associate|Acting)[ \t]{1,3})?(?:Prime[ \t]{1,3}Minister|Minister|Premier|Governor[- ]General|"
    r"Secretary[ \t]{1,3}of[ \t]{1,3}State|Chief[ \t]{1,3}Executive|Director[- ]General|Commissioner)s?\b|\b(?-i:PM|"
    r"DPM)\b",
    re.IGNORECASE,
)
_VIP_KEYS = frozenset(
    {"minister", "ministers", "premier", "governor", "secretary", "executive", "director", "commissioner", "dpm"}
)
_MOVE_KEYS = frozenset(
    {"will", "visiting", "travelling", "traveling", "arriving", "arrives", "heading", "touring", "coming", "due"}
    | {"lands", "visits"}
)
_MOVE_RE = re.compile(
    r"\b(?:will[ \t]{1,3}(?:also[ \t]{1,3})?(?:be[ \t]{1,3}(?:at|in|visiting|travell?ing|arriving|attending|touring|"
    r"heading|"
    r"coming|in[ \t]{1,3}town|on[ \t]{1,3}site)|visit|travel|arrive|attend|tour|open|officially[ \t]{1,3}open|land|"
    r"drop[ \t]{1,3}(?:in|by)|stop[ \t]{1,3}(?:by|in)|meet|speak[ \t]{1,3}at|head[ \t]{1,3}to)"
    r"|(?:is|are)[ \t]{1,3}(?:visiting|travell?ing|arriving|heading|touring|coming[ \t]{1,3}to|due[ \t]{1,3}(?:at|in|"
    r"to))"
    r"|arrives|lands[ \t]{1,3}(?:at|in)|visits)\b",
    re.IGNORECASE,
)
_DAYS = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}"
_WHEN_RE = re.compile(
    rf"\b\d{{1,2}}(?:[:.]\d{{2}})?[ \t]{{0,2}}(?:am|pm|a\.m\.|p\.m\.)|\b\d{{1,2}}[:.]\d{{2}}\b|\b(?:noon|midday|"
    rf"tomorrow|"
    rf"tonight|this[ \t]{{1,3}}(?:morning|afternoon|evening|weekend)|later[ \t]{{1,3}}today|next[ \t]{{1,3}}(?:week|"
    rf"{_DAYS})|"
    rf"{_DAYS}|\d{{1,2}}(?:st|nd|rd|th)?[ \t]{{1,3}}{_MONTHS}|{_MONTHS}[ \t]{{1,3}}\d{{1,2}}(?:st|nd|rd|th)?)\b",
    re.IGNORECASE,
)
_PUBLIC_EVENT_CUES = (
    "join us",
    "public event",
    "all welcome",
    "everyone welcome",
    "everyone is welcome",
    "open to the public",
    "come along",
    "livestream",
    "live stream",
    "watch live",
    "tune in",
    "streamed",
    "media briefing",
    "press conference",
    "media conference",
    "media stand-up",
    "stand-up",
    "update",
    "register",
    "tickets",
    "rsvp",
    "public meeting",
    "public hui",
)


class AdvanceMovements(Rule):
    """Advance notice of where a Minister, senior official or named staff member will be.

    ## What it does
    Fires when a Minister, Prime Minister, Premier, Governor-General, chief executive or
    commissioner (or a name in the pack's `ministers`, `spokespeople` or `staff_names`) is the
    subject of a future movement ("will be at", "will visit", "is travelling to", "arrives")
    with a time in the same sentence ("2pm", "tomorrow", "on Friday"). Past events ("opened the
    school today") do not fire. Publicly advertised events ("join us", "livestream", "media
    briefing") do not fire while `public_events_ok` is true. Named staff fire one step lower.

    ## Why is this bad?
    Advance movements of Ministers and staff help people who mean them harm. Security staff
    decide what is announced and when.

    ## Example
        The Minister will be at Smith St school at 2pm tomorrow.

    Use instead:
        The Minister opened the new classrooms at Smith St school today.

    ## Options
    - `public_events_ok` (default true): a post with a public-event cue is an announced event.
    - `public_event_cues`: the phrases that mark a public event.

    ## Known false positives
    An agency announcing a public visit without any of the public-event phrases.
    """

    code = "SEC301"
    name = "advance-movements"
    catalogue = ("XR-33",)
    default_severity = _BLOCK_HIGH
    fix = "Post about the visit after it happens, or check the timing with the security or events team."
    options: ClassVar[dict[str, Any]] = {"public_events_ok": True, "public_event_cues": list(_PUBLIC_EVENT_CUES)}

    def setup(self) -> None:
        self.public_ok = bool(self.config.get("public_events_ok", True))
        self.public = TermMatcher(tuple(self.config.get("public_event_cues") or ()))
        vips = [*self.config.get("ministers", ()), *self.config.get("spokespeople", ())]
        self.names = TermMatcher(tuple(str(n) for n in vips if n))
        self.staff = TermMatcher(tuple(str(n) for n in self.config.get("staff_names", ()) if n))

    def _subjects(self, text: str, s: int, e: int) -> Iterator[tuple[int, int, int]]:
        chunk = text[s:e]
        for m in _VIP_RE.finditer(chunk):
            yield s + m.start(), s + m.end(), 0
        for tm in self.names.finditer(chunk):
            yield s + tm.start, s + tm.end, 0
        for tm in self.staff.finditer(chunk):
            yield s + tm.start, s + tm.end, -1

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        if not (_has(text, _VIP_KEYS) or "PM" in text or self.names or self.staff) or not _has(text, _MOVE_KEYS):
            return
        if _MOVE_RE.search(text) is None:
            return
        if self.public_ok and self.public.search(text):
            return
        for s, e in sentences(text):
            move = _MOVE_RE.search(text, s, e)
            if move is None:
                continue
            subjects = [sub for sub in self._subjects(text, s, move.start()) if move.start() - sub[1] <= 80]
            if not subjects or not _WHEN_RE.search(text, move.start(), e):
                continue
            start, _, shift = subjects[-1]
            yield Hit(
                message="Gives advance notice of where and when a Minister or official will be.",
                start=start,
                end=e,
                shift=shift,
                evidence={"verb": " ".join(move.group(0).lower().split())},
            )
            return


# --------------------------------------------------------------------------- SEC4xx credentials

_SECRET_PATTERNS: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    ("an AWS access key", ("AKIA", "ASIA"), re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    (
        "a GitHub token",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b|\bgithub_pat_[A-Za-z0-9_]{22,255}\b"),
    ),
    ("a Slack token", ("xox",), re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,200}")),
    (
        "a Slack webhook",
        ("hooks.slack",),
        re.compile(r"hooks\.slack\.com/services/T[A-Za-z0-9]{6,12}/[A-Za-z0-9/]{10,80}"),
    ),
    ("a Google API key", ("AIza",), re.compile(r"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])")),
    ("a Stripe key", ("_live_", "_test_"), re.compile(r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,99}\b")),
    (
        "a JSON web token",
        ("eyJ",),
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{8,2000}"),
    ),
    ("a private key", ("PRIVATE KEY",), re.compile(r"-----BEGIN[ A-Z]{0,20} PRIVATE KEY(?: BLOCK)?-----")),
    ("a bearer token", ("earer",), re.compile(r"\b[Bb]earer[ \t]{1,3}[A-Za-z0-9._~+/-]{20,2000}={0,3}")),
    (
        "a basic-auth header",
        ("uthorization", "UTHORIZATION"),
        re.compile(r"\bAuthorization:[ \t]{0,3}Basic[ \t]{1,3}[A-Za-z0-9+/]{12,500}={0,3}", re.IGNORECASE),
    ),
)
_SECRET_KEYS = (
    "Authorization",
    "AUTHORIZATION",
    "AKIA",
    "ASIA",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "xox",
    "hooks.slack",
    "AIza",
    "_live_",
    "_test_",
    "eyJ",
    "PRIVATE KEY",
)
_PASSWORD_KEYS = frozenset({"password", "passwd", "pwd", "passcode", "passphrase", "pass", "wifi", "fi"})
_TOKEN_KEYS = frozenset(
    {"key", "apikey", "token", "secret", "credential", "credentials", "password", "auth", "client", "access"}
)
_SECRET_WORDS = frozenset({"bearer", "authorization", "sig", *_PASSWORD_KEYS, *_TOKEN_KEYS})
_PASSWORD_RE = re.compile(
    r"\b(?P<k>password|passwd|pwd|passcode|passphrase|pass[ \t]{1,2}word|wi-?fi[ \t]{1,2}(?:password|code|key))"
    r"(?P<sep>[ \t]{0,3}(?:[:=]|is)[ \t]{0,3})(?P<v>[^\s,;]{4,64})",
    re.IGNORECASE,
)
_PASSWORD_STOPWORDS = _wordlist(
    """
    required incorrect wrong invalid case-sensitive case sensitive not never your you the a an reset expired changed
    protected secure strong weak needed missing forgotten forgot incorrectly please change update here below above
    manager managers policy policies field must should will can only private personal same different set sent
    locked protection help tips guidance hint hints the-same optional mandatory safe unsafe compromised stolen leaked
    hidden visible one two long short easy hard simple strength characters letters numbers"""
)
_URL_PARAM_RE = re.compile(
    r"[?&](?P<k>pwd|password|passwd|token|access_token|api_?key|client_secret|secret|sig|auth|X-Amz-Signature|"
    r"X-Amz-Credential)=(?P<v>[^&\s#]{6,500})",
    re.IGNORECASE,
)
_TOKEN_RE = re.compile(r"(?<![\w+/=-])[A-Za-z0-9_+/=-]{32,512}(?![\w+/=-])")
_TOKEN_CONTEXT_RE = re.compile(
    r"\b(?:api[ _-]?key|apikey|access[ _-]?key|secret|token|credentials?|password|auth|client[ _-]?id|key)\b",
    re.IGNORECASE,
)


def _entropy(value: str) -> float:
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _looks_like_password(value: str, sep: str) -> bool:
    v = value.strip("\"'“”‘’.()[]<>")
    if len(v) < 4 or v.lower() in _PASSWORD_STOPWORDS or v.startswith(("http", "www.", "*", "•", "#", "@")):
        return False
    if set(v) <= {"*", "x", "X", "•", "."}:
        return False
    has_digit = any(ch.isdigit() for ch in v)
    has_symbol = any(not ch.isalnum() for ch in v)
    mixed = any(ch.isupper() for ch in v[1:]) and any(ch.islower() for ch in v)
    if "is" in sep.lower():
        return has_digit or has_symbol or mixed
    return has_digit or has_symbol or mixed or len(v) >= 8


class CredentialOrSecret(Rule):
    """A password, API key, access token or private key is in the post.

    ## What it does
    Finds well-known credential formats (AWS `AKIA...` keys, GitHub `ghp_` tokens, Slack `xox?-`
    tokens and webhooks, Google `AIza` keys, Stripe keys, JSON web tokens, private-key headers,
    bearer and basic-auth headers), passwords written out ("password: Hunter2!", `pwd=...` in a
    link) and long high-entropy tokens (32+ characters) next to a word such as "key", "token" or
    "secret". Ordinary words do not fire: "a secret recipe", "visit the password reset page".
    A meeting passcode in a Zoom or Teams link fires one step lower.

    ## Why is this bad?
    A credential in a public post can be used within minutes to take over an account or a
    system. Screenshots and pasted snippets are the usual source.

    ## Example
        Team, the new shared inbox password: Kauri2026!

    Use instead:
        Team, the new shared inbox password is in the password manager.

    ## Known false positives
    A public Wi-Fi code for an event, posted on purpose.
    """

    code = "SEC401"
    name = "credential-or-secret"
    catalogue = ("XR-34",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the credential and change (rotate) it now: it must be treated as exposed."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        for field_name, text in _fields(post):
            yield from self._check_text(text, field_name)

    def _check_text(self, text: str, field_name: str) -> list[Hit]:
        if not (_contains(text, _SECRET_KEYS) or _has(text, _SECRET_WORDS)):
            return []
        hits: list[Hit] = []

        def overlaps(s: int, e: int) -> bool:
            return any(s < (h.end or 0) and (h.start or 0) < e for h in hits)

        def add(what: str, s: int, e: int, value: str, shift: int = 0) -> bool:
            hits.append(
                Hit(
                    message=f"Looks like {what} ({mask(value[-24:], visible=2)}).",
                    start=s,
                    end=e,
                    field=field_name,
                    shift=shift,
                    evidence={"kind": what},
                )
            )
            return len(hits) >= _MAX_HITS

        for what, keys, rx in _SECRET_PATTERNS:
            if not _contains(text, keys):
                continue
            for m in islice(rx.finditer(text), _MAX_HITS):
                if add(what, m.start(), m.end(), m.group(0)):
                    return hits
        for m in islice(_URL_PARAM_RE.finditer(text), _MAX_CANDIDATES) if "=" in text else ():
            if overlaps(m.start(), m.end()):
                continue
            host = text[max(0, m.start() - 200) : m.start()].lower()
            meeting = m.group("k").lower() == "pwd" and ("zoom.us" in host or "teams." in host or "webex" in host)
            what = "a meeting passcode in a link" if meeting else "a credential in a link"
            if add(what, m.start("v"), m.end("v"), m.group("v"), -1 if meeting else 0):
                return hits
        for m in islice(_PASSWORD_RE.finditer(text), _MAX_CANDIDATES) if _has(text, _PASSWORD_KEYS) else ():
            if overlaps(m.start(), m.end()) or not _looks_like_password(m.group("v"), m.group("sep")):
                continue
            wifi = "wi" in m.group("k").lower()
            if add("a Wi-Fi password" if wifi else "a password", m.start("v"), m.end("v"), m.group("v")):
                return hits
        if len(text) < 32 or not _has(text, _TOKEN_KEYS):
            return hits
        links = url_spans(text)
        link_starts = [ls for ls, _ in links]
        for m in islice(_TOKEN_RE.finditer(text), _MAX_CANDIDATES):
            s, e = m.start(), m.end()
            k = bisect_right(link_starts, s) - 1
            if overlaps(s, e) or (k >= 0 and s < links[k][1]):
                continue  # tokens inside links are paths and IDs; secrets in links are query parameters
            value = m.group(0)
            if not (any(ch.isdigit() for ch in value) and any(ch.isalpha() for ch in value)) or _entropy(value) < 3.5:
                continue
            if _TOKEN_CONTEXT_RE.search(text, max(0, s - 40), s) and add("a secret token", s, e, value):
                return hits
        return hits


_PRIVATE_IP_RE = re.compile(
    r"(?<![\d.])(?:10\.\d{1,3}\.\d{1,3}\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3}|"
    r"192\.168\.\d{1,3}\.\d{1,3})"
    r"(?![\d]|\.\d)"
)
_INTERNAL_HOST_RE = re.compile(
    r"(?<![\w.@-])(?:[a-z0-9][a-z0-9-]{0,62}\.){1,8}(?:local|internal|corp|intranet|lan|localdomain|home\.arpa)\b"
    r"(?![.-]\w)",
    re.IGNORECASE,
)
_INTERNAL_URL_RE = re.compile(
    r"\bhttps?://(?:localhost|127\.0\.0\.1|(?:intranet|sharepoint|internal|wiki|confluence|jira|hub)\.[\w.-]{1,200}"
    r"|[\w-]{1,63}(?:-my)?\.sharepoint\.com)\b",
    re.IGNORECASE,
)
_HOST_CONTEXT_RE = re.compile(
    r"\b(?:server|host|hostname|intranet|vpn|connect|log[ \t]?in|portal|printer|share|drive|ssh|rdp|url|link|site|"
    r"browse|go[ \t]to|open|visit|ping|dns)\b|://|\\\\|@",
    re.IGNORECASE,
)


def _plausible_host(text: str, start: int, host: str) -> bool:
    """``printer01.local`` or ``wiki.corp.internal``, not a missing space ("only.local DA")."""
    labels = host.split(".")
    if len(labels) >= 3 or any(ch.isdigit() or ch == "-" for ch in labels[0]):
        return True
    return bool(_HOST_CONTEXT_RE.search(text, max(0, start - 40), start))


_UNC_RE = re.compile(r"\\\\[A-Za-z0-9._$-]{1,63}\\[A-Za-z0-9._$ -]{1,80}")
_FILE_URL_RE = re.compile(r"\bfile:/{2,3}[^\s]{1,500}", re.IGNORECASE)
_DRIVE_PATH_RE = re.compile(r"(?<![\w])[A-Z]:\\[^\s\\]{1,80}\\")
_INTERNAL_KEYS = frozenset(
    {"10", "172", "192", "local", "internal", "corp", "intranet", "lan", "localdomain", "arpa", "localhost", "127"}
    | {"sharepoint", "wiki", "confluence", "jira", "hub", "file"}
)
_VERSION_BEFORE_RE = re.compile(r"(?:version|ver|v)[ \t.]{0,2}\Z", re.IGNORECASE)


class InternalAddress(Rule):
    """An internal network address: private IP, intranet host name or link, file share path.

    ## What it does
    Finds private IPv4 addresses (10/8, 172.16/12, 192.168/16), host names ending `.local`,
    `.internal`, `.corp`, `.intranet`, `.lan`, intranet and SharePoint links, `localhost`,
    Windows share paths (`\\\\server\\share`, `H:\\Policy\\`) and `file://` links, in the text
    and image alt text.

    ## Why is this bad?
    Internal addresses map the agency's network for attackers and show that the post was
    drafted from an internal system. Nobody outside can open them anyway.

    ## Example
        The new forms are on \\\\fileserver01\\Comms\\Forms for everyone.

    Use instead:
        The new forms are on our website for everyone.

    ## Known false positives
    Technical guidance that explains private address ranges.
    """

    code = "SEC402"
    name = "internal-address"
    catalogue = ("XR-34",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the internal address and link to a public page instead."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        for field_name, text in _fields(post):
            if not (_has(text, _INTERNAL_KEYS) or "\\\\" in text or ":\\" in text):
                continue
            found: list[tuple[int, int, str]] = []
            for m in islice(_PRIVATE_IP_RE.finditer(text), _MAX_CANDIDATES):
                octets = m.group(0).split(".")
                version = _VERSION_BEFORE_RE.search(text, max(0, m.start() - 12), m.start())
                if all(int(o) <= 255 for o in octets) and not version:
                    found.append((m.start(), m.end(), "a private IP address"))
            for what, rx in (
                ("an internal link", _INTERNAL_URL_RE),
                ("an internal host name", _INTERNAL_HOST_RE),
                ("a network share path", _UNC_RE),
                ("a file:// link", _FILE_URL_RE),
                ("a network drive path", _DRIVE_PATH_RE),
            ):
                for m in islice(rx.finditer(text), _MAX_CANDIDATES):
                    if rx is _INTERNAL_HOST_RE and not _plausible_host(text, m.start(), m.group(0)):
                        continue
                    if not any(m.start() < e and s < m.end() for s, e, _ in found):
                        found.append((m.start(), m.end(), what))
            for s, e, what in found[:_MAX_HITS]:
                yield Hit(message=f"Contains {what}.", start=s, end=e, field=field_name, evidence={"kind": what})


# --------------------------------------------------------------------------- SEC5xx links

_SHORTENERS = (
    "bit.ly",
    "bitly.com",
    "tinyurl.com",
    "ow.ly",
    "buff.ly",
    "goo.gl",
    "is.gd",
    "v.gd",
    "t.ly",
    "tiny.cc",
    "rebrand.ly",
    "cutt.ly",
    "shorturl.at",
    "rb.gy",
    "s.id",
    "bl.ink",
    "snip.ly",
    "dlvr.it",
    "ift.tt",
    "j.mp",
    "trib.al",
    "po.st",
    "amzn.to",
    "wp.me",
    "shor.by",
    "tr.im",
    "qr.net",
    "soo.gd",
    "clck.ru",
)
_PLATFORM_WRAPPERS = ("t.co", "lnkd.in")
_HOST_RE = re.compile(r"(?:https?://)?(?:www\.)?([^/\s:?#]{1,253})", re.IGNORECASE)


# Labels too common as words to prefilter on ("is" of is.gd): the other label is used.
_COMMON_LABELS = frozenset({"is", "s", "t", "v", "j", "to", "me", "by", "at", "it", "com", "net", "id", "co", "org"})


def _gate_label(domain: str) -> str:
    labels = [label for label in domain.split(".") if label]
    return next((label for label in labels if label not in _COMMON_LABELS), labels[0] if labels else domain)


# A host name that ends in a top-level domain: not a truncated "http://t." or "http://…".
_FULL_HOST_RE = re.compile(r"[a-z0-9-]\.[a-z]{2,24}$|^\d{1,3}(?:\.\d{1,3}){3}$")


def _host(url: str) -> str:
    m = _HOST_RE.match(url)
    return m.group(1).lower().rstrip(".") if m else ""


class ShortenedLink(Rule):
    """A link shortener (bit.ly, tinyurl, ow.ly, buff.ly...) hides where the link goes.

    ## What it does
    Finds links on known shortener domains, with or without `https://`. The wrappers that
    platforms add to every link (`t.co`, `lnkd.in`) do not fire.

    ## Why is this bad?
    People cannot see where a shortened link goes, so they cannot tell an official site from a
    scam; shorteners also break when the service closes. Use the full government address.

    ## Example
        Apply for the grant at bit.ly/3xYzAbc today.

    Use instead:
        Apply for the grant at https://www.example.govt.nz/grants today.

    ## Options
    - `link_shorteners`: shortener domains (add your agency's branded shortener to allow it
      by removing it here, or add others).
    """

    code = "SEC501"
    name = "shortened-link"
    catalogue = ("XR-27",)
    default_severity = _WARN_INFO
    fix = "Use the full address of the page, preferably on a government domain."
    options: ClassVar[dict[str, Any]] = {"link_shorteners": list(_SHORTENERS)}

    def setup(self) -> None:
        domains = sorted({str(d).lower() for d in self.config.get("link_shorteners") or ()}, key=len, reverse=True)
        domains = [d for d in domains if d not in _PLATFORM_WRAPPERS]
        self.gate = frozenset(_gate_label(d) for d in domains)
        self.pattern: re.Pattern[str] | None = None
        if domains:
            body = "|".join(re.escape(d) for d in domains)
            self.pattern = re.compile(rf"(?<![\w.@/-])(?:https?://)?(?:www\.)?(?:{body})/[\w-]{{1,64}}", re.IGNORECASE)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        if self.pattern is None:
            return
        if "/" not in post.text or not _has(post.text, self.gate):
            return
        for m in self.pattern.finditer(post.text):
            yield Hit(
                message=f"Shortened link ({_host(m.group(0))}) hides where it goes.",
                start=m.start(),
                end=m.end(),
                evidence={"host": _host(m.group(0))},
            )


class InsecureLink(Rule):
    """A link uses `http://` instead of `https://`.

    ## What it does
    Finds links that start with `http://`. Platform wrappers (`http://t.co/...` in older
    posts) and `localhost` do not fire.

    ## Why is this bad?
    Plain `http` links can be intercepted or redirected, and browsers warn people away from
    them. Government sites support `https`.

    ## Example
        Read the report at http://www.example.govt.nz/report

    Use instead:
        Read the report at https://www.example.govt.nz/report
    """

    code = "SEC502"
    name = "insecure-link"
    catalogue = ("XR-27",)
    default_severity = _WARN_INFO
    fix = "Change the link to https:// (check that the page opens)."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        if "http://" not in _lower(post.text):
            return
        for s, e in url_spans(post.text):
            url = post.text[s:e]
            if not url.lower().startswith("http://"):
                continue
            host = _host(url)
            if host in _PLATFORM_WRAPPERS or host in {"localhost", "127.0.0.1"} or not _FULL_HOST_RE.search(host):
                continue
            if post.text[e : e + 3] in {"...", " ..", "…"} or post.text[e : e + 4] == " ...":
                continue  # a link cut short by a platform's "…": the real one is elsewhere
            yield Hit(message=f"Insecure http:// link to {host}.", start=s, end=e, evidence={"host": host})
