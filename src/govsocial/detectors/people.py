"""Names of people in a post (``people`` detector).

Two parts, joined::

    text ─► NameTagger (classify/names.py, trained) ─► strip a leading title ("Mr Jones" → "Jones") ─┐
        └─► cue patterns: title + Name ("Mrs Patel"), greeting + known given name ("Kia ora Mere,") ─┤
                                                                                                     ▼
                  union (a cue on a tagged name raises its score) ─► drop spans made only of place,
                  te reo Māori or calendar words ─► Signals

The tagger finds most names; the cue patterns add the salutations of replies that tweets
rarely use, and the stoplist keeps places ("Visit Wellington"), months, weekdays and common
te reo Māori words ("Kia ora koutou", "Matariki") from being read as names.

@handles are never names. A hashtag may be (``#JohnSmith``): its signal says so in
``evidence["hashtag"]`` so that rules can weigh it.

Signals: ``Signal(kind="person", start, end, score, value=<the name>, evidence={"method":
"tagger" | "cue", "hashtag": bool, "title": "Mr" (when one preceded the name), "cue":
"title" | "greeting" (when a cue found or confirmed it)})``. ``value`` holds personal data:
rules must not echo it (use :func:`govsocial.text.mask`).
"""

from __future__ import annotations

import re
from array import array
from typing import Any

from govsocial.detectors.base import Signal, detector
from govsocial.model import Post

__all__ = ["people", "person_spans"]

# Words that are never a name on their own here (lower case, macrons folded): places that
# official posts name often, the calendar, and common te reo Māori words that take capitals.
_NOT_NAMES_LIST = """
    aotearoa zealand new nz wellington auckland tamaki makaurau christchurch otautahi dunedin
    otepoti tauranga rotorua whanganui wanaka queenstown invercargill gisborne whangarei
    taupo kapiti porirua hutt canterbury otago waikato northland southland taranaki
    australia sydney melbourne brisbane canberra adelaide hobart nsw queensland victoria
    tasmania england london manchester birmingham leeds glasgow edinburgh cardiff belfast
    scotland wales britain uk
    january february march april june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    kia ora koutou katoa tena koe korua morena nga mihi nui whanau matariki te reo whatu
    hauora iwi hapu marae kaupapa tikanga whakatau haere mai tatou ratou matou pai rawa
    tangata whenua kaumatua rangatahi tamariki mokopuna pakeha wairua
    covid parliament government ministry council police
"""
_NOT_NAMES = frozenset(_NOT_NAMES_LIST.split())
# "Mr Speaker", "Madam Deputy Speaker": a title before an office is no name.
_OFFICES_LIST = "speaker deputy president chair chairman chairperson mayor minister prime justice"
_OFFICES = frozenset(_OFFICES_LIST.split())
_FOLD = str.maketrans("āēīōūĀĒĪŌŪ", "aeiouAEIOU")
_WORD_RE = re.compile(r"[^\W\d_]{1,40}")

_LEADING_TITLE_RE = re.compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame)(?:[ \t]{0,2}\.)?[ \t]{1,3}", re.IGNORECASE)
_TITLE_CUE_RE = re.compile(
    r"(?<![\w@#])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Prof)\.?[ \t]{1,3}"
    r"([A-Z][a-zāēīōū'’-]{1,30}(?:[ \t][A-Z][a-zāēīōū'’-]{1,30})?)"
)
_GREETING_CUE_RE = re.compile(
    r"(?:^|(?<=[\s.!?]))(?:[Tt]hanks|[Tt]hank you|[Hh]i|[Hh]ello|[Hh]ey|[Dd]ear|[Kk]ia ora|[Tt][eē]n[aā] koe|"
    r"[Mm][oō]rena|[Ss]orry)[ \t,]{1,3}([A-Z][a-zāēīōū'’-]{1,30})(?=[ \t]{0,2}[,.!?:]|$)"
)


def _only_stopwords(value: str) -> bool:
    words = _WORD_RE.findall(value.translate(_FOLD).lower())
    return not words or all(w in _NOT_NAMES for w in words)


def _cue_spans(text: str) -> list[tuple[int, int, float, str]]:
    from govsocial.classify.names import is_given_name

    out: list[tuple[int, int, float, str]] = []
    for m in _TITLE_CUE_RE.finditer(text):
        if m.group(1).split()[0].lower() not in _OFFICES:
            out.append((m.start(1), m.end(1), 0.8, "title"))
    for m in _GREETING_CUE_RE.finditer(text):
        if is_given_name(m.group(1)):
            out.append((m.start(1), m.end(1), 0.7, "greeting"))
    return out


def _spans(text: str) -> list[tuple[int, int, float, dict[str, object]]]:
    from govsocial.classify.names import get_tagger

    found: list[list[Any]] = []
    for s, e, score in get_tagger().spans(text):
        evidence: dict[str, object] = {"method": "tagger"}
        # "Mr Jones" → "Jones": the title is kept as evidence, the value is the name.
        title = _LEADING_TITLE_RE.match(text, s, e)
        if title and title.end() < e:
            evidence["title"] = text[s : title.end()].rstrip(". ")
            s = title.end()
        found.append([s, e, score, evidence])
    cues = _cue_spans(text)
    if cues:
        # A cue confirms the tagger's name (raising its score) or adds one it missed. The
        # owner map (character → 1 + index of the span covering it) keeps this linear.
        owner = array("l", bytes(len(text) * array("l").itemsize))
        for k, (fs, fe, _, _) in enumerate(found):
            owner[fs:fe] = array("l", [k + 1]) * (fe - fs)
        for s, e, score, cue in cues:
            hit = next((owner[c] for c in range(s, e) if owner[c]), 0)
            if hit:
                span = found[hit - 1]
                span[2] = max(span[2], score)
                span[3]["cue"] = cue
            else:
                found.append([s, e, score, {"method": "cue", "cue": cue}])
    out = []
    for s, e, score, evidence in sorted(found, key=lambda f: int(f[0])):
        value = text[s:e]
        if _only_stopwords(value):
            continue
        out.append((s, e, score, {**evidence, "hashtag": value.startswith("#")}))
    return out


def person_spans(text: str) -> list[tuple[int, int, float]]:
    """``(start, end, score)`` of the names of people in ``text``, in order."""
    return [(s, e, score) for s, e, score, _ in _spans(text)]


@detector("people")
def people(post: Post) -> list[Signal]:
    return [
        Signal(kind="person", start=s, end=e, score=score, value=post.text[s:e], evidence=evidence)
        for s, e, score, evidence in _spans(post.text)
    ]
