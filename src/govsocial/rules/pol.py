"""POL rules: political neutrality and election periods (catalogue XR-07, 08, 09, 11, 16, 37).

```
POL101 party-or-candidate              a party or politician is named
POL102 electioneering                  vote for / re-elect / #VoteX / party slogans / campaign donations
POL103 amplifies-partisan-source       shares, quotes or links a party, politician or campaign account or site
POL201 election-period-restraint       election period: new policy, Government achievements, paid posts
POL301 partisan-framing                official: Government or Minister + promotional superlatives or attacks
POL302 political-comment-linked-profile personal profile naming the employer + political comment
POL401 portfolio-commentary            personal: opinion on policy in the author's own portfolio
```

The political lexicon of each jurisdiction is pack data (``packs/data/politics-*.yml``): parties,
ambiguous party short names, politicians, ministers, slogans, hashtags, accounts and domains.
:class:`PoliticalLexicon` compiles it once per pack and finds mentions. Ambiguous short names
("Labour", "National", "Green", "ACT", "Reform") count only with a party cue next to them
(``Labour's``, ``Labour MP``, ``National-led``, ``vote Green``, ``Labour and National``), so
"the labour market", "national park" and "green space" never match.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any, ClassVar
from urllib.parse import urlsplit

from govsocial.model import Post, Severity
from govsocial.rules.abu import classifier_score, context_threshold, severities, word_set
from govsocial.rules.base import CheckEnv, Hit, Rule
from govsocial.rules.lexicons import trie_pattern
from govsocial.text import HASHTAG_RE, MENTION_RE, sentences, term_matcher

__all__ = [
    "AmplifiesPartisanSource",
    "ElectionPeriodRestraint",
    "Electioneering",
    "Mention",
    "PartisanFraming",
    "PartyOrCandidate",
    "PoliticalCommentLinkedProfile",
    "PoliticalLexicon",
    "PortfolioCommentary",
    "political_lexicon",
]

# --------------------------------------------------------------------------- the lexicon

_LEXICON_KEYS = (
    "parties",
    "party_short_names",
    "politicians",
    "ministers",
    "party_slogans",
    "party_hashtags",
    "partisan_accounts",
    "party_domains",
)
#: Option defaults shared by the rules that read the political lexicon.
LEXICON_OPTIONS: Mapping[str, Any] = {k: [] for k in _LEXICON_KEYS}

# Words after an ambiguous short name that make it a party ("Labour MP", "Green co-leader").
# Case-sensitive: "National Policy Statement" or "Green List" are not party cues.
_CUE_AFTER = (
    r"(?:Party|party|MPs?|MLAs?|MSPs?|MSs?|leader(?:ship)?|co-?leaders?|deputy\s{1,3}leader|candidates?|caucus"
    r"|campaign(?:ers?)?|manifesto|spokes(?:person|man|woman|people)|voters|supporters|government|ministers?|whip"
    r"|president|frontbench(?:ers?)?|backbench(?:ers?)?|councillors?|senators?|hopefuls?|activists|seats?|members"
    r"|opposition|list\s{1,3}MPs?|electorate\s{1,3}MPs?|donors|strategists|insiders|heartland|stronghold)"
)
# Minor words that need not be capitalised for a party name to count ("Green party").
_MINOR_WORDS = frozenset({"party", "the", "of", "and", "for"})
_MINISTER_TITLE_BEFORE_RE = re.compile(
    r"(?:Minister|Premier|Treasurer|Chancellor|Secretary|Attorney-General|(?<![\d:.])(?<!\d\s)PM)"
    r"(?:\s{1,3}(?:of|for)(?:\s{1,3}(?:and\s{1,3})?[A-Z&][\w'’&-]{0,30}){1,6})?[\s,:]{1,4}"
    r"(?:(?:the\s{1,3})?(?:Rt\.?\s{1,3})?Hon\.?\s{1,3}|Dr\.?\s{1,3})?\Z"
)
_MINISTER_TITLE_AFTER_RE = re.compile(
    r"[\s,(–-]{1,4}(?:the\s{1,3})?(?:(?:Deputy|Prime|First|Associate)\s{1,3})?"
    r"(?:Minister|Premier|Treasurer|Chancellor|Secretary\s{1,3}of\s{1,3}State|Attorney-General)\b"
)
_VOTE_BEFORE_RE = re.compile(
    r"\b(?:party\s{1,3}vote|vote[ds]?|voting|two\s{1,3}ticks|both\s{1,3}ticks|re-?elect|elect)\s{1,3}"
    r"(?:(?:for|against|1|one)\s{1,3})?(?:(?:the|our|my)\s{1,3})?",
    re.IGNORECASE,
)
_VOTE_PERSON_RE = re.compile(
    r"\b[Vv]ot(?:e|ing)\s{1,3}(?:for|against)\s{1,3}(?P<obj>me|us|him|her|them|our\s{1,3}(?:candidate|party|team)"
    r"|my\s{1,3}(?:candidate|party))\b"
    r"|\b[Rr]e-?elect\s{1,3}(?P<obj2>me|us|him|her|them|[A-Z][\w'’-]{1,30})"
)
_VOTE_OUT_RE = re.compile(
    r"\b(?:vote|kick|throw|boot)\s{1,3}(?:them|him|her|this\s{1,3}(?:government|lot|mob)"
    r"|the\s{1,3}(?:government|bums|lot\s{1,3}of\s{1,3}them))\s{1,3}out\b",
    re.IGNORECASE,
)
_DONATE_CAMPAIGN_RE = re.compile(
    r"\b(?:donate|donating|donation|donations|chip\s{1,3}in|contribute|give)\s{1,3}"
    r"(?:(?:[$£€]\s{0,2}\d{1,7}(?:[.,]\d{1,2})?|now|today|what\s{1,3}you\s{1,3}can)\s{1,3}){0,2}"
    r"(?:to|towards)\s{1,3}(?:the\s{1,3}|our\s{1,3}|my\s{1,3}|his\s{1,3}|her\s{1,3}|their\s{1,3})?"
    r"(?:re-?election\s{1,3}|election\s{1,3})?campaign\b",
    re.IGNORECASE,
)
_SUPPORT_PARTY_RE = re.compile(
    r"\b(?:donate|donating|chip\s{1,3}in|volunteer(?:ing)?|campaign(?:ing)?|door-?knock(?:ing)?|canvass(?:ing)?"
    r"|leaflet(?:t?ing)?|join)\s{1,3}(?:(?:\S{1,20})\s{1,3}){0,2}?(?:to|for|with)\s{1,3}(?:the\s{1,3})?",
    re.IGNORECASE,
)
# Enough findings of one kind to make the point; also keeps pathological input cheap.
_MAX_SPANS = 50
_GENERIC_DOMAIN_LABELS = frozenset({"www", "org", "com", "co", "net", "uk", "nz", "au", "ie", "wales", "gov", "govt"})
_VOTE_WORDS = frozenset({"vote", "voted", "votes", "voting", "ticks", "elect", "reelect"})
_OUT_VERBS = frozenset({"vote", "kick", "throw", "boot"})
_DONATE_WORDS = frozenset({"donate", "donating", "donation", "donations", "chip", "contribute", "give"})
_SUPPORT_WORDS = frozenset(
    {"donate", "donating", "chip", "volunteer", "volunteering", "campaign", "campaigning", "door", "doorknock"}
    | {"doorknocking", "canvass", "canvassing", "leaflet", "leafleting", "leafletting", "join"}
)
_HASHTAG_VOTE_PREFIXES = ("partyvote", "vote1", "vote4", "votefor", "vote", "twoticks", "backthe", "putlast")


_NON_ALNUM_RE = re.compile(r"[^0-9a-z]")


def _compact(term: str) -> str:
    return _NON_ALNUM_RE.sub("", _fold(term).lower())


_MACRONS = str.maketrans("āēīōūĀĒĪŌŪöÖéÉ’‘", "aeiouAEIOUoOeE''")


def _fold(text: str) -> str:
    return text.translate(_MACRONS)


def _norm(text: str) -> str:
    """Lower-cased, macrons and curly quotes folded; the same length as ``text``."""
    folded = text.translate(_MACRONS)
    low = folded.lower()
    if len(low) != len(text):  # a few characters lower-case to two ("İ"): keep those as they are
        low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in folded)
    return low


def _case_ok(found: str, entry: str) -> bool:
    """The capitalised words of a party name must be capitalised in the post ("the Greens")."""
    fw, ew = found.split(), entry.split()
    if len(fw) != len(ew):
        return True
    return all(not e[:1].isupper() or e.lower() in _MINOR_WORDS or f[:1].isupper() for f, e in zip(fw, ew, strict=True))


@dataclass(frozen=True, slots=True)
class Mention:
    """A party or politician named in a text."""

    start: int
    end: int
    #: ``party`` or ``person``.
    kind: str
    #: The lexicon entry (canonical spelling).
    label: str
    #: A person in the ``ministers`` list or named with a ministerial title.
    minister: bool = False


class PoliticalLexicon:
    """The compiled political lexicon of a pack; finds parties, politicians and electioneering."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        def strings(key: str) -> list[str]:
            value = options.get(key) or []
            if isinstance(value, str):
                value = [value]
            return [str(v).strip() for v in value if str(v).strip()]

        # Parties, politicians and slogans share one prefix-tree pattern over normalised text.
        self.terms: dict[str, tuple[str, str]] = {}
        for kind, key in (
            ("party", "parties"),
            ("person", "politicians"),
            ("person", "ministers"),
            ("slogan", "party_slogans"),
        ):
            for entry in strings(key):
                self.terms.setdefault(_norm(" ".join(entry.split())), (kind, entry))
        self.term_re: re.Pattern[str] | None = (
            re.compile(r"(?<![\w@#])" + trie_pattern(sorted(self.terms)) + r"(?!\w)") if self.terms else None
        )
        short = sorted(set(strings("party_short_names")), key=len, reverse=True)
        self.short_after: re.Pattern[str] | None = None
        self.short_before: re.Pattern[str] | None = None
        self.short_pair: re.Pattern[str] | None = None
        if short:
            alts = "|".join(re.escape(s) for s in short)
            self.short_after = re.compile(
                rf"(?<![\w@#])(?P<name>{alts})(?:['’]s(?!\w)|(?<=s)['’](?!\w)|-led\b|\s{{1,3}}{_CUE_AFTER}(?![\w-]))"
            )
            self.short_before = re.compile(
                rf"(?<![\w@#])(?:[Vv]ot(?:e|ed|es|ing)|VOTE|[Pp]arty\s{{1,3}}[Vv]ote|[Tt]wo\s{{1,3}}ticks|[Bb]oth\s{{1,3}}ticks)"
                rf"\s{{1,3}}(?:(?:for|against)\s{{1,3}})?(?:the\s{{1,3}})?(?:1\s{{1,3}}|one\s{{1,3}})?(?P<name>{alts})(?![\w-])"
            )
            self.short_pair = re.compile(
                rf"(?<![\w@#])(?P<a>{alts})\s{{1,3}}(?:and|or|&|vs\.?|versus)\s{{1,3}}(?:the\s{{1,3}})?(?P<b>{alts})(?![\w-])"
            )
        politicians = strings("politicians")
        ministers = strings("ministers")
        self.short_words = frozenset(x.lower() for x in short)
        self.minister_keys = frozenset(_norm(" ".join(m.split())) for m in ministers)
        self.minister_words = frozenset(w for m in self.minister_keys for w in re.findall(r"[a-z]{3,}", m))
        self.hashtags = frozenset(_compact(h) for h in strings("party_hashtags"))
        compact_names = {_compact(s) for s in short} | {_compact(p) for p in strings("parties")}
        compact_names |= {_compact(p) for p in politicians}
        self.hashtag_names = frozenset(n for n in compact_names if len(n) >= 2)
        self.accounts = frozenset(a.lstrip("@").split("@")[0].lower() for a in strings("partisan_accounts"))
        domains = sorted({d.lower().removeprefix("www.").strip("/") for d in strings("party_domains")}, key=len)
        # Words of the domains that are not generic suffixes ("labour" of labour.org.nz): a post
        # can only link a party site if it contains one of them.
        self.domain_words = frozenset(
            w for d in domains for w in re.split(r"[.-]", d) if w and w not in _GENERIC_DOMAIN_LABELS
        )
        self.domain_re: re.Pattern[str] | None = None
        if domains:
            alts = "|".join(re.escape(d) for d in reversed(domains))
            # Matched against lower-cased text, without IGNORECASE, which is much slower.
            self.domain_re = re.compile(rf"(?<![\w.-])(?:[a-z0-9-]{{1,63}}\.){{0,4}}(?:{alts})(?![\w-]|\.[a-z])")
        self._scan_cached = lru_cache(maxsize=64)(self._scan)

    # ----------------------------------------------------------------- mentions

    def _is_minister(self, text: str, m_start: int, m_end: int, label: str) -> bool:
        if _norm(" ".join(label.split())) in self.minister_keys:
            return True
        before = text[max(0, m_start - 90) : m_start]
        if _MINISTER_TITLE_BEFORE_RE.search(before):
            return True
        return _MINISTER_TITLE_AFTER_RE.match(text, m_end, min(len(text), m_end + 60)) is not None

    def mentions(self, text: str) -> tuple[Mention, ...]:
        """Parties and politicians named in ``text``, in order."""
        return self._scan_cached(text)[0]

    def slogans(self, text: str) -> tuple[tuple[int, int, str], ...]:
        """Party slogans in ``text``: ``(start, end, slogan)``."""
        return self._scan_cached(text)[1]

    def _scan(self, text: str) -> tuple[tuple[Mention, ...], tuple[tuple[int, int, str], ...]]:
        found: dict[int, Mention] = {}
        slogans: list[tuple[int, int, str]] = []
        if self.term_re is not None:
            for m in self.term_re.finditer(_norm(text)):
                kind, entry = self.terms[" ".join(m.group().split())]
                start, end = m.start(), m.end()
                if kind == "slogan":
                    slogans.append((start, end, entry))
                elif kind == "party":
                    if _case_ok(text[start:end], entry):
                        found[start] = Mention(start, end, "party", entry)
                else:
                    found[start] = Mention(start, end, "person", entry, self._is_minister(text, start, end, entry))
        if self.short_after is not None and not self.short_words.isdisjoint(word_set(text)):
            term_starts = sorted(found)
            term_ends = [found[k].end for k in term_starts]
            for rx, groups in (
                (self.short_after, ("name",)),
                (self.short_before, ("name",)),
                (self.short_pair, ("a", "b")),
            ):
                if rx is None:
                    continue
                for m in rx.finditer(text):
                    names = [(m.start(g), m.end(g), m.group(g)) for g in groups]
                    if len(names) == 2 and names[0][2] == names[1][2]:
                        continue
                    for s, e, name in names:
                        i = bisect_right(term_starts, s) - 1
                        if i < 0 or s >= term_ends[i]:  # not inside a full name found above
                            found.setdefault(s, Mention(s, e, "party", name))
        return tuple(sorted(found.values(), key=lambda x: x.start)), tuple(slogans)

    def may_mention_minister(self, words: frozenset[str]) -> bool:
        return not self.minister_words.isdisjoint(words)

    # ----------------------------------------------------------------- electioneering

    def electioneering(self, text: str) -> list[tuple[int, int, str, int]]:
        """Spans of electioneering: ``(start, end, what, shift)``."""
        out: list[tuple[int, int, str, int]] = []
        mentions = self.mentions(text)
        starts = [x.start for x in mentions]

        def target_at(pos: int) -> Mention | None:
            # The mention right after a cue ("vote for |the Greens" counts with or without "the").
            i = bisect_right(starts, pos) - 1
            if i >= 0 and pos - 4 <= mentions[i].start and pos < mentions[i].end:
                return mentions[i]
            return None

        words = word_set(text)
        if not _VOTE_WORDS.isdisjoint(words):
            for m in _VOTE_BEFORE_RE.finditer(text):
                target = target_at(m.end())
                if target is not None:
                    out.append((m.start(), target.end, f"asks people to vote for or against {target.label}", 0))
                    if len(out) >= _MAX_SPANS:
                        return out
            vote_starts = [o[0] for o in out]
            vote_ends = [o[1] for o in out]
            for m in _VOTE_PERSON_RE.finditer(text):
                obj = (m.group("obj") or m.group("obj2") or "").lower()
                i = bisect_right(vote_starts, m.start()) - 1
                if i >= 0 and m.start() < vote_ends[i]:
                    continue
                weak = obj in {"him", "her", "them"}
                out.append((m.start(), m.end(), "asks people to vote for or against a candidate", -1 if weak else 0))
        if "out" in words and not _OUT_VERBS.isdisjoint(words):
            for m in _VOTE_OUT_RE.finditer(text):
                out.append((m.start(), m.end(), "urges people to vote a government or candidate out", 0))
        if "campaign" in words and not _DONATE_WORDS.isdisjoint(words):
            for m in _DONATE_CAMPAIGN_RE.finditer(text):
                out.append((m.start(), m.end(), "asks for campaign donations", 0))
        if mentions and not _SUPPORT_WORDS.isdisjoint(words):
            for m in _SUPPORT_PARTY_RE.finditer(text):
                target = target_at(m.end())
                if target is not None:
                    out.append((m.start(), target.end, f"asks people to support {target.label}", 0))
        for start, end, slogan in self.slogans(text)[:_MAX_SPANS]:
            out.append((start, end, f"uses the slogan “{slogan}”", 0))
        if "#" in text:
            for m in HASHTAG_RE.finditer(text):
                if self._campaign_hashtag(m.group(1)):
                    out.append((m.start(), m.end(), f"uses the campaign hashtag {m.group()}", 0))
        return out[:_MAX_SPANS]

    def _campaign_hashtag(self, tag: str) -> bool:
        key = _compact(tag)
        if key in self.hashtags:
            return True
        for prefix in _HASHTAG_VOTE_PREFIXES:
            if key.startswith(prefix) and key[len(prefix) :] in self.hashtag_names:
                return True
        return False

    # ----------------------------------------------------------------- accounts and sites

    def party_sites(self, text: str) -> Iterator[re.Match[str]]:
        """Links or bare domains of party and campaign sites in ``text``."""
        if self.domain_re is None or "." not in text or self.domain_words.isdisjoint(word_set(text)):
            return iter(())
        return self.domain_re.finditer(text.lower())

    def partisan_handle(self, handle: str) -> bool:
        return handle.lstrip("@").split("@")[0].lower() in self.accounts

    def partisan_target(self, value: str) -> bool:
        """Whether an amplified handle, link or domain belongs to a party or campaign."""
        value = value.strip()
        if not value:
            return False
        if value.startswith("@") or ("." not in value and "/" not in value):
            return self.partisan_handle(value)
        if self.domain_re is None:
            return False
        host = urlsplit(value if "//" in value else "//" + value).hostname or value.lower()
        return (
            self.domain_re.fullmatch(host.removeprefix("www.")) is not None
            or self.domain_re.search(value.lower()) is not None
        )


@lru_cache(maxsize=32)
def _lexicon_for(key: tuple[tuple[str, tuple[str, ...]], ...]) -> PoliticalLexicon:
    return PoliticalLexicon({k: list(v) for k, v in key})


def political_lexicon(options: Mapping[str, Any]) -> PoliticalLexicon:
    """The compiled lexicon for a pack's options (shared by every rule of the pack)."""
    key = tuple((k, _as_tuple(options.get(k))) for k in _LEXICON_KEYS)
    return _lexicon_for(key)


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _fields(post: Post) -> Iterator[tuple[str, str]]:
    yield "text", post.text
    for i, m in enumerate(post.media):
        if m.alt:
            yield f"media[{i}].alt", m.alt


# --------------------------------------------------------------------------- shared phrase lists


def _wordlist(words: str) -> frozenset[str]:
    return frozenset(words.split())


# The Government or a Minister as the subject of a sentence.
_GOV_SUBJECT_RE = re.compile(
    r"\b(?:(?i:the|this|our|his|her|a|new)\s{1,3}(?:coalition\s{1,3}|new\s{1,3}|current\s{1,3}|Labour\s{1,3}|National\s{1,3}"
    r"|Conservative\s{1,3}|Labor\s{1,3}|Liberal\s{1,3})?(?:[Gg]overnment|[Gg]ovt|Minister|Premier|Treasurer|Chancellor)"
    r"|(?:Prime|Deputy\s{1,3}Prime|First|Associate)\s{1,3}Minister|Minister\s{1,3}(?:of|for)\s{1,3}[A-Z]\w{1,30}"
    r"|Government(?:['’]s)?|Premier\s{1,3}[A-Z]\w{1,30}|(?<![\d:.])(?<!\d\s)PM\b|Minister\s{1,3}@?[A-Z]\w{1,30}"
    r"|Secretary\s{1,3}of\s{1,3}State|HM\s{1,3}Government|Cabinet)"
)
_GOV_WORDS = _wordlist("government govt minister ministers premier treasurer chancellor pm secretary cabinet")
# Promotional framing: superlatives about the Government's work, or digs at its predecessors.
_PROMO_RE = re.compile(
    r"\b(?:bold(?:ly)?|historic|landmark|record[- ](?:investment|funding|spend(?:ing)?|levels?\s{1,3}of\s{1,3}\w{1,20}"
    r"|number\s{1,3}of|amounts?\s{1,3}of)|deliver(?:ing|s|ed)?\s{1,3}(?:for\s{1,3}(?:you|New\s{1,3}Zealanders|Kiwis|Britain"
    r"|the\s{1,3}British\s{1,3}people|NSW|families|hard-?working\s{1,3}\w{1,20}|everyone|our\s{1,3}communities)"
    r"|on\s{1,3}(?:(?:our|its|his|her|their|the|every)\s{1,3})?(?:promises?|commitments?|pledges?))"
    r"|finally|unlike\s{1,3}(?:the\s{1,3})?(?:previous|last|former|opposition|those\s{1,3}opposite)"
    r"|(?:previous|last|former)\s{1,3}(?:\w{1,12}\s{1,3})?government['’]?s?\s{1,3}(?:failures?|failed|mess|neglect|chaos|inaction|waste|incompetence)"
    r"|(?:failed|neglected|ignored|let\s{1,3}down)\s{1,3}(?:for\s{1,3}years\s{1,3})?by\s{1,3}the\s{1,3}(?:previous|last|former)"
    r"|(?:the\s{1,3})?mess\s{1,3}(?:left|inherited)|inherited\s{1,3}(?:a|the|this)\s{1,3}mess|fix(?:ing)?\s{1,3}the\s{1,3}mess"
    r"|game[- ]?chang(?:er|ing)|unprecedented\s{1,3}investment|massive\s{1,3}(?:investment|boost)"
    r"|(?:strong|decisive|visionary|dynamic|inspiring|bold)\s{1,3}leadership|under\s{1,3}the\s{1,3}(?:\w{1,15}\s{1,3}){0,2}leadership\s{1,3}of"
    r"|promises?\s{1,3}(?:kept|delivered)|keep(?:s|ing)?\s{1,3}(?:our|its|his|her|their)\s{1,3}promises?|as\s{1,3}promised"
    r"|getting\s{1,3}(?:things|it)\s{1,3}done|thanks\s{1,3}to\s{1,3}(?:the\s{1,3})?(?:Government|government|Minister|Prime\s{1,3}Minister|Premier)"
    r"|tireless(?:ly)?|hard-?working\s{1,3}(?:Minister|Government|government|Premier|Prime\s{1,3}Minister)|proud\s{1,3}record)\b",
    re.IGNORECASE,
)
_PROMO_WORDS = _wordlist(
    """bold boldly historic landmark record deliver delivering delivers delivered finally unlike previous last former
    failed neglected ignored mess inherited game gamechanger unprecedented massive leadership promise promises kept
    promised getting thanks tireless tirelessly hardworking hard proud"""
)
# Attacks on the opposition or critics: partisan on an official account whoever the subject is.
_ATTACK_RE = re.compile(
    r"\b(?:(?:the\s{1,3})?[Oo]pposition(?:['’]s)?\s{1,3}(?:lies|scaremongering|fear-?mongering|failures?|chaos|mess|hypocrisy"
    r"|spin|misinformation|nonsense|(?:is|are|was|were)\s{1,3}(?:lying|wrong|desperate|clueless))"
    r"|(?:Labour|National|Tory|Tories|Conservative|Conservatives|Labor|Liberal|Liberals|Greens?|Reform)(?:['’]s?)?\s{1,3}"
    r"(?:mess|chaos|failures?|failed|lies|waste|reckless|incompetence|scaremongering)"
    r"|reckless\s{1,3}(?:Labour|National|Tory|Tories|Conservative|Labor|Liberal|Greens?|opposition|Opposition))\b"
)
_ATTACK_WORDS = _wordlist(
    "opposition labour national tory tories conservative conservatives labor liberal liberals green greens reform reckless"
)
# Digs at critics, partisan when the Government or a Minister is the subject.
_CRITICS_RE = re.compile(
    r"\b(?:scaremongering|fear-?mongering|doom-?mongers?|naysayers|critics\s{1,3}(?:are|were|have\s{1,3}been)\s{1,3}"
    r"(?:wrong|lying|desperate|proven\s{1,3}wrong))\b",
    re.IGNORECASE,
)
# Evaluative or opinion language (about a policy, a party or the Government).
_EVAL_RE = re.compile(
    r"\b(?:disaster(?:ous)?|(?:a|an\s{1,3}absolute|a\s{1,3}complete|a\s{1,3}total)\s{1,3}(?:mess|joke|failure|shambles)"
    r"|shambles|shambolic|farce|farcical|terrible|awful|appalling|disgrace(?:ful)?|shameful|failing\s{1,3}(?:us|everyone|people)"
    r"|got\s{1,3}(?:it|this|that)\s{1,3}(?:so\s{1,3}|completely\s{1,3}|badly\s{1,3}|all\s{1,3})?wrong"
    r"|(?:is|are|was|were)\s{1,3}(?:completely\s{1,3}|just\s{1,3}|so\s{1,3}|dead\s{1,3}|totally\s{1,3})?wrong"
    r"|stupid|idiotic|ridiculous|absurd|insane|crazy|useless|incompetent|pointless|(?:a\s{1,3})?waste\s{1,3}of\s{1,3}(?:money|time)"
    r"|makes\s{1,3}no\s{1,3}sense|bad\s{1,3}idea|short-?sighted|cruel|heartless|reckless|outrageous|madness|hopeless|clueless"
    r"|(?:should|must|needs?\s{1,3}to)\s{1,3}(?:be\s{1,3}scrapped|be\s{1,3}reversed|resign|go|be\s{1,3}sacked|step\s{1,3}down)"
    r"|brilliant|fantastic|great\s{1,3}(?:policy|move|decision|idea|call|job|work)|excellent\s{1,3}(?:policy|decision|move)"
    r"|about\s{1,3}time|long\s{1,3}overdue|I\s{1,3}(?:strongly\s{1,3})?(?:disagree|agree|oppose|support)\b"
    r"|can['’]?t\s{1,3}believe|so\s{1,3}proud\s{1,3}of\s{1,3}(?:the|this|our)\s{1,3}(?:government|Government|party))\b",
    re.IGNORECASE,
)
# A reference to government policy (for opinions about it).
_GOV_POLICY_RE = re.compile(
    r"\b(?:government|govt|gov|Minister|minister|Prime\s{1,3}Minister|PM|Premier|Cabinet|cabinet|policy|policies"
    r"|Budget|budget|legislation|law\s{1,3}change|reforms?|coalition)\b"
)
_GOV_POLICY_WORDS = _wordlist(
    "government govt gov minister prime pm premier cabinet policy policies budget legislation law reform reforms coalition"
)
_EVAL_WORDS = _wordlist(
    """disaster disastrous mess joke failure shambles shambolic farce farcical terrible awful appalling disgrace
    disgraceful shameful failing wrong stupid idiotic ridiculous absurd insane crazy useless incompetent pointless
    waste sense idea sighted shortsighted cruel heartless reckless outrageous madness hopeless clueless scrapped
    reversed resign go sacked step brilliant fantastic great excellent time overdue disagree agree oppose support
    believe proud"""
)
# Business-as-usual information that continues in an election period (NZPSC-ELEC-9, UK-ELEC-4).
_ESSENTIAL_RE = re.compile(
    r"\b(?:emergenc(?:y|ies)|civil\s{1,3}defen[cs]e|evacuat\w{0,6}|state\s{1,3}of\s{1,3}(?:emergency|disaster)|boil\s{1,3}water"
    r"|outages?|road\s{1,3}clos\w{0,5}|closures?|weather\s{1,3}warnings?|(?:red|orange|amber)\s{1,3}warnings?|tsunami|earthquake"
    r"|flood(?:s|ing)?|fire\s{1,3}danger|bush\s{1,3}fire|bushfire|wildfire|public\s{1,3}health\s{1,3}(?:alert|warning|advice)"
    r"|essential\s{1,3}(?:information|services?|update)|safety\s{1,3}(?:alert|warning|advice)|product\s{1,3}recall"
    r"|#essential\w{0,20}|disruptions?|delays?|cancell?ed)\b",
    re.IGNORECASE,
)
_NEW_POLICY_RE = re.compile(
    r"\b(?:(?:announc|unveil|launch|introduc)(?:e|es|ed|ing)\s{1,3}(?:(?:a|an|the|our|its|their|new|\$?[\d.,]{1,12}"
    r"(?:\s{0,2}(?:m|bn|million|billion))?|\w{1,20})\s{1,3}){0,4}(?:policy|policies|scheme|programme|program|initiative"
    r"|funding|package|plan|strategy|legislation|bill|law|reforms?|investment|fund|grants?|changes)"
    r"|new\s{1,3}(?:\w{1,20}\s{1,3}){0,2}(?:policy|policies|scheme|programme|program|initiative|funding|package|law"
    r"|legislation|strategy|fund|investment)|will\s{1,3}(?:introduce|legislate|establish|roll\s{1,3}out)"
    r"|[$£]\s{0,2}\d[\d.,]{0,12}\s{0,2}(?:m|bn|million|billion)\b)",
    re.IGNORECASE,
)
_ESSENTIAL_WORDS = _wordlist(
    """emergency emergencies civil evacuate evacuated evacuating evacuation evacuations state boil outage outages
    road closure closures weather warning warnings tsunami earthquake flood floods flooding fire bush bushfire
    wildfire public essential safety product recall disruption disruptions delay delays cancelled canceled"""
)
_NEW_POLICY_WORDS = _wordlist(
    """announce announces announced announcing unveil unveils unveiled unveiling launch launches launched launching
    introduce introduces introduced introducing new will"""
)
_ACHIEVEMENT_RE = re.compile(
    r"\b(?:delivered|achieved|secured|opened|built|invested|funded|record|milestone|success(?:ful(?:ly)?)?|proud|completed"
    r"|kept|promised|committed)\b",
    re.IGNORECASE,
)


class _Sentences:
    """The sentences of a text, to find the one around a position quickly."""

    __slots__ = ("ends", "spans", "starts", "text_len")

    def __init__(self, text: str) -> None:
        self.spans = sentences(text)
        self.starts = [s for s, _ in self.spans]
        self.ends = [e for _, e in self.spans]
        self.text_len = len(text)

    def of(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.starts, pos) - 1
        if i >= 0 and pos < self.ends[i]:
            return self.spans[i]
        return 0, self.text_len


# --------------------------------------------------------------------------- rules


class _PolRule(Rule):
    options: ClassVar[Mapping[str, Any]] = LEXICON_OPTIONS

    def setup(self) -> None:
        self.lexicon = political_lexicon(self.config)


class PartyOrCandidate(_PolRule):
    """A political party or politician is named.

    ## What it does
    Finds the names of parties and politicians from the pack's political lexicon in the
    post and in image alt text. Ambiguous short names ("Labour", "National", "Green",
    "ACT", "Reform") count only next to a party cue ("Labour's", "Labour MP",
    "National-led", "vote Green"), so "the labour market" or "a national park" are fine.
    On official accounts a Minister named in their ministerial role ("the Minister of
    Health, Hon Jane Doe", or anyone in the ``ministers`` list) is routine government
    business and is not reported, and another politician named in a post that names no
    party is reported one step lower (often it is factual: who said what).

    ## Why is this bad?
    Official accounts must stay politically neutral (XR-07): naming a party or candidate
    needs a second look so that the post cannot read as support or opposition. On a
    personal account it is only a nudge, stronger when the profile names the employer.

    ## Example
        Great to see the Labour Party leader at the library opening today.

    Use instead:
        Great to see so many people at the library opening today.

    ## Options
    The pack's political lexicon: ``parties``, ``party_short_names``, ``politicians``,
    ``ministers`` (see ``packs/data/politics-nz.yml``).

    ## Known false positives
    A politician who shares a name with someone else. Add ministers to ``ministers``.
    """

    code = "POL101"
    name = "party-or-candidate"
    catalogue = ("XR-07",)
    default_severity = severities(Severity.HIGH, Severity.INFO)
    fix = "Remove the party or politician, or have the post checked for political neutrality."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        seen: set[str] = set()
        fields = list(_fields(post))
        parties = any(m.kind == "party" for _, text in fields for m in self.lexicon.mentions(text))
        for field, text in fields:
            for m in self.lexicon.mentions(text):
                if m.minister and env.is_official:
                    continue
                if m.label.lower() in seen:
                    continue
                seen.add(m.label.lower())
                what = "a political party" if m.kind == "party" else "a politician"
                # A politician named on an official account is often factual (who said what);
                # a party is the stronger signal, so a name alone is one step lower there.
                weaker = env.is_official and m.kind == "person" and not parties
                yield Hit(
                    message=f"Names {what}: {text[m.start : m.end]}.",
                    start=m.start,
                    end=m.end,
                    field=field,
                    shift=-1 if weaker else 0,
                    evidence={"kind": m.kind, "entry": m.label},
                )


class Electioneering(_PolRule):
    """Electioneering: asking people to vote for or against a party or candidate.

    ## What it does
    Reports "vote for / vote against / re-elect" aimed at a party, politician or "me/us",
    "party vote Green", "two ticks National", "Vote 1 Labor", "vote them out", campaign
    hashtags (``#VoteLabour``), party slogans, and requests to donate to or volunteer for a
    campaign or party. Neutral electoral information ("make sure you are enrolled to vote",
    "find out who you can vote for") is not electioneering.

    ## Why is this bad?
    Agency accounts and resources must never be used for electioneering (XR-07,
    NZPSC-ELEC-4, UK-ELEC-3, NSW-CARE-2). On a personal account it is allowed but risky for
    a public servant, more so in the election period or on a profile that names the employer.

    ## Example
        Get out there on Saturday and party vote Green! #VoteGreen

    Use instead:
        Voting places are open on Saturday from 9am to 7pm. Bring your EasyVote card.
    """

    code = "POL102"
    name = "electioneering"
    catalogue = ("XR-07",)
    default_severity = severities(Severity.BLOCK, Severity.WARN)
    fix = "Remove the electioneering: public servants must not campaign in an official capacity."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        for field, text in _fields(post):
            for start, end, what, shift in self.lexicon.electioneering(text):
                yield Hit(message=f"Electioneering: the post {what}.", start=start, end=end, field=field, shift=shift)


class AmplifiesPartisanSource(_PolRule):
    """Sharing, quoting or linking a party, politician or campaign.

    ## What it does
    Checks what the post amplifies (``amplifies``: reposted or quoted handles and links),
    handles mentioned in the text (including ``RT @handle``) and links in the text against
    the pack's ``partisan_accounts`` and ``party_domains``.

    ## Why is this bad?
    Official accounts must not spread messages from party-political or partisan accounts,
    including by retweeting them (XR-09, UKCS-GCN-1). On personal accounts it is a warning.

    ## Example
        Worth a read: https://www.labour.org.nz/housing

    Use instead:
        Worth a read: https://www.hud.govt.nz/housing

    ## Options
    ``partisan_accounts`` and ``party_domains`` in the pack's political lexicon.
    """

    code = "POL103"
    name = "amplifies-partisan-source"
    catalogue = ("XR-09",)
    default_severity = severities(Severity.BLOCK, Severity.WARN)
    fix = "Do not share or link party or campaign material; link the official source instead."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        lex = self.lexicon
        targets = [t.strip() for t in post.amplifies if lex.partisan_target(t)]
        if targets:
            shown = ", ".join(t[:80] for t in targets[:3])
            yield Hit(
                message=f"Amplifies a partisan source: {shown}.",
                field="amplifies",
                evidence={"targets": [t[:200] for t in targets]},
            )
        for field, text in _fields(post):
            if lex.accounts and "@" in text:
                for m in MENTION_RE.finditer(text):
                    if lex.partisan_handle(m.group(1)):
                        yield Hit(
                            message=f"Mentions or reposts a partisan account: {m.group()}.",
                            start=m.start(),
                            end=m.end(),
                            field=field,
                        )
            for m in islice(lex.party_sites(text), _MAX_SPANS):
                yield Hit(
                    message=f"Links to a party or campaign site: {m.group()}.",
                    start=m.start(),
                    end=m.end(),
                    field=field,
                )


class ElectionPeriodRestraint(Rule):
    """In the election period: new policy, Government achievements or paid posts.

    ## What it does
    Only in the pre-election, election or caretaker period (the pack's calendar, or the
    post's ``election_period``), reports official posts that announce new policy or
    funding, promote achievements of the Government or a Minister, or are paid or
    boosted. Posts with essential or emergency information (outages, road closures,
    weather warnings, civil defence) are not held back; a paid essential post is a warning.

    ## Why is this bad?
    In the election period government communications show restraint: new initiatives wait,
    material must not promote the Government, and advertising is restricted (XR-08,
    NZPSC-ELEC-7/8, UK-ELEC-2/4, NSW-CARE-3/4). These posts need an approver's decision.

    ## Example
        The Government has announced a new $40 million fund for regional roads.

    Use instead:
        State Highway 2 is closed at Mangamahu because of flooding. Use the detour via Fordell.

    ## Known false positives
    Routine notices of programmes that were announced before the period began.
    """

    code = "POL201"
    name = "election-period-restraint"
    catalogue = ("XR-08",)
    default_severity = severities(Severity.HIGH, None)
    fix = "Hold the post for approval in the election period, or limit it to essential factual information."
    english_only = True
    example_post: ClassVar[Mapping[str, Any]] = {"election_period": True}

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        if not env.election:
            return
        text = post.text
        words = word_set(text)
        essential = not _ESSENTIAL_WORDS.isdisjoint(words) and _ESSENTIAL_RE.search(text) is not None
        if post.paid:
            yield Hit(
                message="Paid or boosted post in the election period.",
                shift=-1 if essential else 0,
                evidence={"paid": True, "essential": essential},
            )
        if essential:
            return
        m = (
            _NEW_POLICY_RE.search(text)
            if (not _NEW_POLICY_WORDS.isdisjoint(words) or "$" in text or "£" in text)
            else None
        )
        if m:
            yield Hit(message="Announces new policy or funding in the election period.", start=m.start(), end=m.end())
        if _GOV_WORDS.isdisjoint(words):
            return
        sents = _Sentences(text)
        checked: set[tuple[int, int]] = set()
        for g in _GOV_SUBJECT_RE.finditer(text):
            s, e = sents.of(g.start())
            if (s, e) in checked:
                continue
            checked.add((s, e))
            a = _ACHIEVEMENT_RE.search(text, s, e)
            if a:
                yield Hit(
                    message="Promotes achievements of the Government or a Minister in the election period.",
                    start=s,
                    end=e,
                )
                return


class PartisanFraming(Rule):
    """Partisan framing of the Government or a Minister on an official account.

    ## What it does
    Reports sentences where the Government or a Minister is praised in promotional terms
    ("bold", "historic", "record investment", "delivering for you", "finally", "unlike the
    previous government", "under the leadership of") and attacks on the opposition or on
    critics ("Labour's mess", "the Opposition's scaremongering"). When a text classifier
    for partisan language is installed, a post about the Government that it scores above
    ``threshold`` is also reported.

    ## Why is this bad?
    Government communications must be impartial: Ministers' views may be represented only
    as they relate to government business, without party framing or attacks (XR-37,
    UKCS-GCN-2/4, NZPSC-ELEC-7, NSW-CARE-4). In the election period this blocks.

    ## Example
        The Minister's bold, record investment is finally delivering for you.

    Use instead:
        The Minister announced $20 million for school buildings. Find out what it means for your school.

    ## Options
    - ``threshold``: the ``partisan`` classifier score that counts, a number or a mapping per
      context (default ``{official: 0.9}``); the classifier is only consulted when the
      Government or a Minister is mentioned.
    - ``use_classifier``: set to ``false`` to use the phrase lists only.
    """

    code = "POL301"
    name = "partisan-framing"
    catalogue = ("XR-37",)
    default_severity = severities(Severity.HIGH, None)
    fix = "State the facts neutrally: no praise of the Government or Minister, no digs at others."
    english_only = True
    options: ClassVar[Mapping[str, Any]] = {**LEXICON_OPTIONS, "threshold": {"official": 0.9}, "use_classifier": True}

    def setup(self) -> None:
        self.lexicon = political_lexicon(self.config)

    def _gov_spans(self, text: str, words: frozenset[str]) -> list[tuple[int, int]]:
        spans = (
            [(m.start(), m.end()) for m in _GOV_SUBJECT_RE.finditer(text)] if not _GOV_WORDS.isdisjoint(words) else []
        )
        if self.lexicon.may_mention_minister(words):
            spans += [(m.start, m.end) for m in self.lexicon.mentions(text) if m.minister]
        return spans

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        words = word_set(text)
        found = False
        if not _ATTACK_WORDS.isdisjoint(words):
            for m in islice(_ATTACK_RE.finditer(text), _MAX_SPANS):
                found = True
                yield Hit(message="Attacks the opposition or another party.", start=m.start(), end=m.end())
        gov = self._gov_spans(text, words)
        if not gov:
            return
        sents = _Sentences(text)
        gov_sentences = {sents.of(s) for s, _ in gov}
        check_promo = not _PROMO_WORDS.isdisjoint(words)
        for s, e in sorted(gov_sentences)[:_MAX_SPANS]:
            cues = list(_PROMO_RE.finditer(text, s, e)) if check_promo else []
            if cues:
                found = True
                quoted = ", ".join(f"“{m.group()}”" for m in cues[:3])
                yield Hit(
                    message=f"Promotes the Government or a Minister ({quoted}).",
                    start=cues[0].start(),
                    end=cues[-1].end(),
                )
            for m in _CRITICS_RE.finditer(text, s, e):
                found = True
                yield Hit(message=f"Dismisses critics (“{m.group()}”).", start=m.start(), end=m.end())
        if found or not self.config.get("use_classifier", True):
            return
        threshold = context_threshold(self.config.get("threshold"), post.context, 0.9)
        score = classifier_score(env, "partisan")
        if score >= threshold:
            yield Hit(
                message=f"Reads as partisan about the Government (classifier score {score:.2f}).",
                start=0,
                end=len(text),
                evidence={"classifier": "partisan", "score": round(score, 3), "threshold": threshold},
            )


class PoliticalCommentLinkedProfile(_PolRule):
    """Political comment on a personal profile that names the employer.

    ## What it does
    On a personal account whose profile names the agency (``profile_bio`` matches the pack's
    agency names or the author's agency), reports electioneering, opinions about a party or
    politician, and opinions about government policy.

    ## Why is this bad?
    When the profile links you to your agency, your political comments can be read as the
    agency's and call your impartiality into question (XR-11, NZPSC-PERS-3, UKCSC-4).

    ## Example
        This government is a disaster and the Minister should resign.

    Use instead:
        Lovely walk on the coast this morning.

    ## Known false positives
    Opinions on topics far from your work. The finding asks you to consider the link to
    your employer; consider removing it from your profile.
    """

    code = "POL302"
    name = "political-comment-linked-profile"
    catalogue = ("XR-11",)
    default_severity = severities(None, Severity.HIGH)
    fix = "Keep political views off profiles that name your employer, or remove the employer from the profile."
    english_only = True
    example_post: ClassVar[Mapping[str, Any]] = {
        "context": "personal",
        "profile_bio": "Policy analyst at the Ministry for the Environment.",
        "author": {"agency": "Ministry for the Environment"},
    }

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        if not env.linked_to_employer:
            return
        text = post.text
        for start, end, what, _shift in self.lexicon.electioneering(text):
            yield Hit(
                message=f"Electioneering on a profile that names your employer: the post {what}.", start=start, end=end
            )
            return
        words = word_set(text)
        if _EVAL_WORDS.isdisjoint(words):
            return
        sents = _Sentences(text)
        seen: set[tuple[int, int]] = set()
        for m in self.lexicon.mentions(text):
            s, e = sents.of(m.start)
            if (s, e) in seen:
                continue
            seen.add((s, e))
            if _EVAL_RE.search(text, s, e):
                yield Hit(message="Political opinion on a profile that names your employer.", start=s, end=e)
                return
        if _GOV_POLICY_WORDS.isdisjoint(words):
            return
        for g in _GOV_POLICY_RE.finditer(text):
            s, e = sents.of(g.start())
            if (s, e) in seen:
                continue
            seen.add((s, e))
            if _EVAL_RE.search(text, s, e):
                yield Hit(message="Opinion on government policy on a profile that names your employer.", start=s, end=e)
                return


class PortfolioCommentary(Rule):
    """Personal opinions about policy in the author's own work area.

    ## What it does
    On personal accounts, reports evaluative or opinion language ("this policy is a
    disaster", "the government got it wrong", "should be scrapped") about a topic in the
    author's portfolio (``author.portfolio``, or the pack option ``portfolio_terms``), or
    about the Government, in a post that mentions that topic.

    ## Why is this bad?
    Public servants should not comment publicly on government policy they work on: it
    undermines the trust of Ministers and the public in their impartial advice (XR-16,
    NZSSC-09-PERS-5, GDS14-7, UKHO-5).

    ## Example
        The new benefit sanctions are a disaster and the government got it wrong.

    Use instead:
        Proud of my team for getting through a busy week.

    ## Options
    ``portfolio_terms``: pack-wide policy topics staff work on (each author's ``portfolio``
    adds to them).
    """

    code = "POL401"
    name = "portfolio-commentary"
    catalogue = ("XR-16",)
    default_severity = severities(None, Severity.WARN)
    fix = "Leave out opinions about policy in your own work area."
    english_only = True
    options: ClassVar[Mapping[str, Any]] = {"portfolio_terms": []}
    example_post: ClassVar[Mapping[str, Any]] = {
        "context": "personal",
        "author": {"agency": "Ministry of Social Development", "portfolio": ["benefit sanctions"]},
    }

    def setup(self) -> None:
        self.terms = _as_tuple(self.config.get("portfolio_terms"))

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        terms = self.terms + (post.author.portfolio if post.author else ())
        if not terms:
            return
        text = post.text
        if _EVAL_WORDS.isdisjoint(word_set(text)):
            return
        found = list(term_matcher(tuple(terms)).finditer(text))
        if not found:
            return
        sents = _Sentences(text)
        candidates = {sents.of(t.start) for t in found}
        candidates |= {sents.of(g.start()) for g in _GOV_POLICY_RE.finditer(text)}
        for s, e in sorted(candidates):
            m = _EVAL_RE.search(text, s, e)
            if m:
                yield Hit(
                    message=f"Opinion on policy in your portfolio ({found[0].entry}).",
                    start=s,
                    end=e,
                    evidence={"portfolio": found[0].entry},
                )
                return
