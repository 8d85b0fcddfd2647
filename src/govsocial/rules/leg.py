"""LEG: defamation, suppression and contempt, endorsement, copyright.

```
LEG1xx defamation          LEG101 defamation-risk: identifiable target + allegation
LEG2xx suppression         LEG201 suppressed-name (pack option suppressed_names)
       and contempt        LEG202 active-case-comment: active case + named person + comment on guilt
LEG3xx endorsement         LEG301 commercial-endorsement: brand + endorsement wording, codes, affiliate links
LEG4xx copyright           LEG401 unattributed-content: long quotation or stock image without credit
```

Targets (who an allegation is about) come from the ``people`` detector when it is installed
(``Signal(kind="person")``), @handles, capitalised multi-word names and organisation names
("Acme Ltd", "Northside Council"). Every pattern is bounded and compiled once; a cheap word-set
prefilter keeps the regexes off the posts that cannot match.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from functools import lru_cache
from itertools import islice
from typing import Any, ClassVar

from govsocial.detectors.base import DETECTORS
from govsocial.model import Context, Post, Severity
from govsocial.rules.base import CheckEnv, Hit, Rule
from govsocial.text import MENTION_RE, TermMatcher, mask, sentences, url_spans

__all__ = [
    "ActiveCaseComment",
    "CommercialEndorsement",
    "DefamationRisk",
    "SuppressedName",
    "UnattributedContent",
]

_Severities = Mapping[Context, Severity | None]
# Candidates examined per post: bounds the work on pathological input.
_MAX_CANDIDATES = 50

_HIGH_BOTH: _Severities = {Context.OFFICIAL: Severity.HIGH, Context.PERSONAL: Severity.HIGH}
_BLOCK_HIGH: _Severities = {Context.OFFICIAL: Severity.BLOCK, Context.PERSONAL: Severity.HIGH}
_HIGH_WARN: _Severities = {Context.OFFICIAL: Severity.HIGH, Context.PERSONAL: Severity.WARN}
_HIGH_INFO: _Severities = {Context.OFFICIAL: Severity.HIGH, Context.PERSONAL: Severity.INFO}
_WARN_INFO: _Severities = {Context.OFFICIAL: Severity.WARN, Context.PERSONAL: Severity.INFO}

# Lower-case ASCII words and numbers ("bit.ly" gives "bit" and "ly"): the prefilter vocabulary.
_WORD_RE = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=64)
def _words(text: str) -> frozenset[str]:
    """Lower-case words of ``text``: the prefilter that keeps regexes off most posts."""
    return frozenset(_WORD_RE.findall(text.lower()))


def _wordlist(text: str) -> frozenset[str]:
    """A word list written as text (easier to read and edit than a list of strings)."""
    return frozenset(text.split())


def _has(text: str, keys: frozenset[str]) -> bool:
    return not keys.isdisjoint(_words(text))


def _sentence_at(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence span holding ``pos`` (``spans`` sorted, as ``sentences`` returns them)."""
    k = bisect_left(spans, (pos + 1, -1)) - 1
    if k >= 0 and spans[k][0] <= pos < spans[k][1]:
        return spans[k]
    return pos, pos


# --------------------------------------------------------------------------- targets

# Two to four capitalised words ("Jane Smith", "Hemi Te Awa"), optionally with an initial.
_NAME_RE = re.compile(
    r"\b[A-Z][a-zāēīōū'’-]{1,30}(?:[ \t]{1,2}(?:[A-Z]\.[ \t]{0,2})?(?:(?:van|de|der|von|te|ter|al|bin)[ \t]{1,2})?"
    r"[A-Z][a-zāēīōū'’-]{1,30}){1,3}\b"
)
_ORG_RE = re.compile(
    r"\b(?:[A-Z][\w&'’-]{0,30}[ \t]{1,2}){1,4}(?:Ltd|Limited|Inc|Corp|Corporation|Council|Ministry|Department|Agency|"
    r"Company|Co|Group|Bank|Trust|Board|Authority|Commission|Hospital|University|School|Church|Party)\b"
)
_TOKEN_RE = re.compile(r"\S{1,40}")
_CAP_WORD_RE = re.compile(r"\b[A-Z][a-zāēīōū'’-]{1,30}\b|\b[A-Z]{2,6}\b")
# Capitalised words that are not names of anyone in particular.
_NOT_TARGETS = _wordlist(
    """
    he she they it this that these those there here everyone someone anyone nobody everybody somebody we i you who
    what which our their his her its the a an and but or if so then when while all some many most people scammers
    fraudsters criminals thieves offenders politicians police government ministers officials staff residents
    customers users landlords drivers lawyers bankers companies banks councils today yesterday tomorrow monday
    tuesday wednesday thursday friday saturday sunday january february march april may june july august september
    october november december covid rt via update news breaking please note warning alert
    """
)
_SINGULAR_AFTER_RE = re.compile(r"[ \t]{1,3}(?:is|was|has|had)\b")
_LEADING_NOT_NAME = _NOT_TARGETS | _wordlist(
    "corrupt crooked lying fraudulent dodgy shonky thieving criminal disgraced convicted alleged accused"
)
_GAP_WORDS = _wordlist(
    """
    really clearly obviously also just definitely literally basically honestly actually simply always still himself
    herself themselves itself openly again now certainly truly undoubtedly totally completely utterly you
    was were is has had have been being allegedly reportedly
    """
)


def _gap_ok(gap: str) -> bool:
    """Whether the text between a target and its allegation keeps the target as the subject."""
    g = gap.strip()
    if not g:
        return True
    if (g.startswith(",") and g.endswith(",")) or (g.startswith("(") and g.endswith(")")):
        return len(g) <= 60 and not any(ch in g[1:-1] for ch in ".!?")
    if g in {"'s", "’s"}:
        return True
    return all(w in _GAP_WORDS for w in g.lower().replace(",", " ").split()) and len(g) <= 40


def _targets(post: Post, env: CheckEnv, text: str) -> list[tuple[int, int, str]]:
    """Identifiable people and organisations in ``text``: (start, end, how)."""
    out: list[tuple[int, int, str]] = []
    if "people" in DETECTORS:
        out += [(s.start, s.end, "name") for s in env.signals("people") if s.kind == "person" and s.field == "text"]
    out += [(m.start(), m.end(), "handle") for m in MENTION_RE.finditer(text)]
    out += [(m.start(), m.end(), "organisation") for m in _ORG_RE.finditer(text)]
    for m in _NAME_RE.finditer(text):
        # Drop leading words that are not part of a name ("The", "Corrupt"): what is left is
        # the name, if it still has two words (one word is left to _single_word_targets).
        tokens = [(t.start(), t.group(0)) for t in _TOKEN_RE.finditer(m.group(0))]
        while tokens and tokens[0][1].lower() in _LEADING_NOT_NAME:
            tokens.pop(0)
        if len(tokens) >= 2:
            out.append((m.start() + tokens[0][0], m.end(), "name"))
    return out


def _single_word_targets(text: str, sent_starts: set[int]) -> list[tuple[int, int, str]]:
    """Capitalised single words ("Smith", "ACME") that are not common words. A sentence's first
    word counts only before a singular "is"/"was" ("Smith is a fraud"), since plural common nouns
    open sentences too ("Scammers are criminals")."""
    out = []
    for m in _CAP_WORD_RE.finditer(text):
        word = m.group(0)
        if word.lower() in _LEADING_NOT_NAME:
            continue
        if m.start() in sent_starts and not _SINGULAR_AFTER_RE.match(text, m.end()):
            continue
        out.append((m.start(), m.end(), "name"))
    return out


# --------------------------------------------------------------------------- LEG101

_INTENSIFIER = (
    r"(?:a|an|such[ \t]{1,3}an?|just[ \t]{1,3}an?|nothing[ \t]{1,3}but[ \t]{1,3}an?|the[ \t]{1,3}biggest|"
    r"an?[ \t]{1,3}(?:total|complete|known|proven|real|massive|big|lying|corrupt|notorious|serial|absolute|utter)|"
    r"so|totally|completely|utterly|clearly|obviously|blatantly|thoroughly|deeply|grossly|a[ \t]{1,3}bunch[ \t]{1,3}of|"
    r"bloody|nothing[ \t]{1,3}but)"
)
_ALLEGATION_NOUN = (
    r"(?:fraud|frauds|fraudster|fraudsters|liar|liars|crook|crooks|crooked|thief|thieves|scammer|scammers|"
    r"scam[ \t]{1,3}artists?|con[ \t]{1,3}(?:artist|man|men)|conman|criminal|criminals|cheat|cheats|swindler|swindlers|"
    r"embezzler|corrupt|dishonest|incompetent|negligent|bent|shonky|on[ \t]{1,3}the[ \t]{1,3}take|paedophile|"
    r"pedophile|rapist|abuser|bully|money[ \t]{1,3}launderer|tax[ \t]{1,3}cheat|lying)"
)
_COPULA_RE = re.compile(
    rf"\b(?:is|are|was|were|'s|’s|has[ \t]{{1,3}}been|have[ \t]{{1,3}}been|remains?)[ \t]{{1,3}}"
    rf"(?:{_INTENSIFIER}[ \t]{{1,3}}){{0,2}}{_ALLEGATION_NOUN}\b",
    re.IGNORECASE,
)
_VERBAL_RE = re.compile(
    r"\b(?:stole|steals|stealing[ \t]{1,3}from|has[ \t]{1,3}stolen|have[ \t]{1,3}stolen|rorted|rorting|rorts|embezzled|"
    r"embezzles|embezzling|defrauded|defrauds|defrauding|lied[ \t]{1,3}(?:to|about|under)|lies[ \t]{1,3}(?:to|about)|"
    r"(?:is|are|keeps?)[ \t]{1,3}lying|took[ \t]{1,3}(?:a[ \t]{1,3})?bribes?|takes[ \t]{1,3}bribes|bribed|scammed|"
    r"ripped[ \t]{1,3}(?:us|people|everyone|customers|ratepayers|taxpayers)?[ \t]{0,3}off|"
    r"cooked[ \t]{1,3}the[ \t]{1,3}books|"
    r"falsified|fiddled[ \t]{1,3}the|committed[ \t]{1,3}fraud|covered[ \t]{1,3}up[ \t]{1,3}the|pocketed|"
    r"lin(?:ed|ing)[ \t]{1,3}(?:his|her|their)[ \t]{1,3}(?:own[ \t]{1,3})?pockets|misused[ \t]{1,3}(?:public|taxpayer)|"
    r"abused[ \t]{1,3}(?:his|her|their)[ \t]{1,3}(?:position|power|office))\b",
    re.IGNORECASE,
)
_PRENOMINAL_RE = re.compile(
    r"\b(?:corrupt|crooked|lying|fraudulent|dodgy|shonky|thieving|criminal|"
    r"disgraced[ \t]{1,3}fraudster)[ \t]{1,3}(?=[@A-Z])",
    re.IGNORECASE,
)
# "convicted of fraud": an allegation, but a matter of court record (one step lower).
_REPORTED_RE = re.compile(
    r"\b(?:convicted[ \t]{1,3}of|found[ \t]{1,3}guilty[ \t]{1,3}of|pleaded[ \t]{1,3}guilty[ \t]{1,3}to|"
    r"pled[ \t]{1,3}guilty"
    r"[ \t]{1,3}to|sentenced[ \t]{1,3}(?:to|for)|jailed[ \t]{1,3}for)\b",
    re.IGNORECASE,
)
_ALLEGATION_KEYS = _wordlist(
    """
    fraud frauds fraudster fraudsters liar liars crook crooks crooked thief thieves scammer scammers scam con conman
    criminal criminals cheat cheats swindler swindlers embezzler corrupt dishonest incompetent negligent bent shonky
    take paedophile pedophile rapist abuser bully launderer lying stole steals stealing stolen rorted rorting rorts
    embezzled embezzles embezzling defrauded defrauds defrauding lied lies bribe bribes bribed scammed ripped cooked
    falsified fiddled committed covered pocketed lined lining misused abused fraudulent dodgy thieving convicted
    guilty sentenced jailed pled
    """
)


class DefamationRisk(Rule):
    """An identifiable person or organisation is accused of crime, dishonesty, incompetence or
    misconduct.

    ## What it does
    Finds an allegation ("is a fraud", "corrupt", "liar", "stole", "scammer", "rorted",
    "embezzled", "is incompetent") whose subject is identifiable: a name found by the `people`
    detector, an @handle, a capitalised name, or an organisation ("Acme Ltd"). Statements of
    court record ("was convicted of fraud in 2019") fire one step lower. Allegations about
    nobody in particular ("scammers are criminals") do not fire.

    ## Why is this bad?
    A public allegation about an identifiable person or business can be defamatory, and on an
    official account the agency is the publisher. Even true allegations need care and legal
    advice.

    ## Example
        Jane Smith is a fraud and everyone should know it.

    Use instead:
        We have received a complaint and are looking into it.

    ## Known false positives
    Quoting a court judgment or a news report; naming a convicted person in a Police update.
    """

    code = "LEG101"
    name = "defamation-risk"
    catalogue = ("XR-14",)
    default_severity = _HIGH_BOTH
    fix = "Remove the allegation, or stick to facts on the public record and get legal advice."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        if not _has(text, _ALLEGATION_KEYS):
            return
        spans = sentences(text)
        allegations: list[tuple[int, int, str, int]] = []
        for rx, kind in ((_COPULA_RE, "copula"), (_VERBAL_RE, "verbal"), (_REPORTED_RE, "reported")):
            shift = -1 if kind == "reported" else 0
            allegations += [(m.start(), m.end(), kind, shift) for m in islice(rx.finditer(text), _MAX_CANDIDATES)]
        prenominal = [(m.start(), m.end()) for m in islice(_PRENOMINAL_RE.finditer(text), _MAX_CANDIDATES)]
        if not allegations and not prenominal:
            return
        targets = _targets(post, env, text)
        targets += _single_word_targets(text, {s for s, _ in spans})
        targets.sort(key=lambda t: (t[1], t[0]))
        ends = [t[1] for t in targets]
        reply = bool(post.reply_to) or text.lstrip().startswith("@")
        for start, end, kind, shift in sorted(allegations):
            s_start, _ = _sentence_at(spans, start)
            near = targets[bisect_left(ends, start - 60) : bisect_right(ends, start)]
            subject = self._subject(text, near, s_start, start, reply)
            if subject is None:
                continue
            if kind != "reported" and _REPORTED_RE.search(text, s_start, start):
                shift = -1
            yield self._hit(text, subject, start, end, shift)
            return
        for start, end in prenominal:
            near = targets[bisect_left(ends, end) : bisect_right(ends, end + 80)]
            follow = sorted((t for t in near if t[0] == end), key=lambda t: t[1] - t[0])
            if follow:
                yield self._hit(text, follow[-1], start, end, 0)
                return

    @staticmethod
    def _subject(
        text: str, targets: list[tuple[int, int, str]], s_start: int, start: int, reply: bool
    ) -> tuple[int, int, str] | None:
        best = None
        for t in targets:
            near = s_start <= t[0] and t[1] <= start and start - t[1] <= 60 and _gap_ok(text[t[1] : start])
            if near and (best is None or t[1] > best[1]):
                best = t
        if best is None and reply:
            before = text[s_start:start].strip().lower()
            if before.endswith(("you", "you're", "you’re", "you are")):
                return (start, start, "the person you reply to")
        return best

    @staticmethod
    def _hit(text: str, target: tuple[int, int, str], start: int, end: int, shift: int) -> Hit:
        s, e, how = target
        who = "an @handle" if how == "handle" else "an organisation" if how == "organisation" else how
        if how == "name":
            who = f"a named person ({mask(text[s:e])})"
        allegation = " ".join(text[start:end].split())[:40]
        return Hit(
            message=f"Alleges “{allegation}” about {who}.",
            start=min(s, start),
            end=max(e, end),
            shift=shift,
            evidence={"target": how, "reported": shift < 0},
        )


# --------------------------------------------------------------------------- LEG2xx


class SuppressedName(Rule):
    """A name (or detail) covered by a court suppression order appears in the post.

    ## What it does
    Matches the names in the pack option `suppressed_names` as whole words, ignoring case and
    macrons, in the post text and image alt text. Agencies keep the list from the court's
    suppression notices.

    ## Why is this bad?
    Breaching a suppression order is contempt of court and can be an offence; it can also
    prejudice a trial or identify a victim.

    ## Example
        Update on the case against Jordan Withheld.

    Use instead:
        Update on the case before the District Court.

    (The example runs with the agency pack `examples/agency-pack.yml`, whose suppression list
    holds that invented name.)

    ## Options
    - `suppressed_names` (pack option): names and details under suppression.

    ## Known false positives
    Someone else with the same name; check and override with a reason.
    """

    code = "LEG201"
    name = "suppressed-name"
    catalogue = ("XR-32",)
    default_severity = _BLOCK_HIGH
    fix = "Remove the name or detail: it is subject to a court suppression order."
    # The docstring example needs a suppression list: the example agency pack has one.
    example_post: ClassVar[Mapping[str, Any]] = {"pack": "examples/agency-pack.yml"}

    def setup(self) -> None:
        names = tuple(str(n) for n in self.config.get("suppressed_names") or () if str(n).strip())
        self.matcher = TermMatcher(names, fold_macrons=True)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        if not self.matcher:
            return
        fields = [("text", post.text)] + [(f"media[{i}].alt", m.alt) for i, m in enumerate(post.media) if m.alt]
        for field_name, text in fields:
            for tm in self.matcher.finditer(text):
                yield Hit(
                    message=f"Names someone under a suppression order ({mask(tm.term)}).",
                    start=tm.start,
                    end=tm.end,
                    field=field_name,
                )


_ACTIVE_CASE_RE = re.compile(
    r"\b(?:accused|on[ \t]{1,3}trial|charged[ \t]{1,3}with|(?:has|have)[ \t]{1,3}been[ \t]{1,3}charged|"
    r"was[ \t]{1,3}charged|"
    r"alleged(?:ly)?|defendant|appear(?:s|ed|ing)?[ \t]{1,3}(?:in|at|"
    r"before)[ \t]{1,3}(?:the[ \t]{1,3})?(?:[A-Z]\w{1,20}"
    r"[ \t]{1,3})?[Cc]ourt|due[ \t]{1,3}in[ \t]{1,3}court|will[ \t]{1,3}appear|remanded|awaiting[ \t]{1,3}trial|"
    r"murder[ \t]{1,3}trial|the[ \t]{1,3}trial|jury|court[ \t]{1,3}case|arrested|pleaded[ \t]{1,3}not[ \t]{1,3}guilty|"
    r"denies[ \t]{1,3}the[ \t]{1,3}charges?|bail)\b",
    re.IGNORECASE,
)
_GUILT_RE = re.compile(
    r"\b(?:is|was|are|were|'s|’s|definitely|clearly|obviously|totally|surely|blatantly)[ \t]{1,3}(?:(?:so|definitely|"
    r"clearly|obviously|totally|100%|absolutely)[ \t]{1,3})?guilty\b|\bguilty[ \t]{1,3}as[ \t]{1,3}(?:sin|hell)\b"
    r"|\b(?:he|she|they)[ \t]{1,3}(?:obviously|clearly|definitely|totally)?[ \t]{0,3}did[ \t]{1,3}it\b"
    r"|\b(?:is|was|'s|’s)[ \t]{1,3}(?:a|an|the)[ \t]{1,3}(?:monster|murderer|killer|rapist|paedophile|pedophile|animal|"
    r"thug|"
    r"predator|abuser|criminal|thief|crook|scumbag|scum|psycho|evil)\b|\b(?:monster|scumbag|scum)\b"
    r"|\bshould[ \t]{1,3}(?:be[ \t]{1,3}(?:locked[ \t]{1,3}up|jailed|hanged|hung|put[ \t]{1,3}away|in[ \t]{1,3}jail|"
    r"behind[ \t]{1,3}bars)|rot|never[ \t]{1,3}(?:see|get)[ \t]{1,3}out)\b|\block[ \t]{1,3}(?:him|her|"
    r"them)[ \t]{1,3}up\b"
    r"|\bthrow[ \t]{1,3}away[ \t]{1,3}the[ \t]{1,3}key\b|\brot[ \t]{1,3}in[ \t]{1,3}(?:jail|prison|hell)\b"
    r"|\bhope[ \t]{1,3}(?:he|she|they)[ \t]{1,3}(?:gets?|rots?|burns?|fries|hangs?)\b"
    r"|\bwe[ \t]{1,3}all[ \t]{1,3}know[ \t]{1,3}(?:he|she|they)[ \t]{1,3}did\b",
    re.IGNORECASE,
)
_ACTIVE_KEYS = _wordlist(
    """
    accused trial charged alleged allegedly defendant court appear appears appeared appearing remanded jury arrested
    guilty denies bail
    """
)
_GUILT_KEYS = _wordlist(
    "guilty did monster murderer killer rapist paedophile pedophile animal thug predator abuser "
    "criminal thief crook scumbag scum psycho evil should lock throw rot hope know"
)


class ActiveCaseComment(Rule):
    """Comment on the guilt of a named person in an active court case (contempt risk).

    ## What it does
    Fires when a post about an active case ("accused", "on trial", "charged with", "alleged",
    "defendant", "appears in court") names a person (a name, @handle or capitalised name) and
    comments on guilt or character ("guilty", "did it", "monster", "should be locked up").
    A factual update ("A 34-year-old man has been charged and will appear in court") does not
    fire.

    ## Why is this bad?
    Comment that could prejudice a fair trial is contempt of court (sub judice); on an official
    account it can derail a prosecution.

    ## Example
        John Smith is on trial next week and he is so guilty.

    Use instead:
        A man has been charged and will appear in the District Court next week.

    ## Known false positives
    Reporting a verdict after the case has ended (the case is no longer active).
    """

    code = "LEG202"
    name = "active-case-comment"
    catalogue = ("XR-32",)
    default_severity = _HIGH_WARN
    fix = "Remove the comment on guilt; stick to facts the court or Police have released."

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        if not (_has(text, _ACTIVE_KEYS) and _has(text, _GUILT_KEYS)):
            return
        case = _ACTIVE_CASE_RE.search(text)
        if case is None:
            return
        guilt = _GUILT_RE.search(text)
        if guilt is None:
            return
        named = _targets(post, env, text)
        if not named:
            return
        yield Hit(
            message=(
                f"Comments on guilt (“{' '.join(guilt.group(0).split())[:30]}”) in an active case about a named person."
            ),
            start=guilt.start(),
            end=guilt.end(),
            evidence={"case_cue": " ".join(case.group(0).lower().split())},
        )


# --------------------------------------------------------------------------- LEG3xx

_BRANDS = (
    "Amazon",
    "Nike",
    "Adidas",
    "Coca-Cola",
    "Pepsi",
    "McDonald's",
    "McDonalds",
    "KFC",
    "Burger King",
    "Starbucks",
    "Netflix",
    "Spotify",
    "Tesla",
    "Samsung",
    "iPhone",
    "iPad",
    "PlayStation",
    "Xbox",
    "Red Bull",
    "Heineken",
    "Countdown",
    "Woolworths",
    "Pak'nSave",
    "PAK'nSAVE",
    "Bunnings",
    "Mitre 10",
    "The Warehouse",
    "Kmart",
    "Coles",
    "Aldi",
    "Tesco",
    "Sainsbury's",
    "Asda",
    "JB Hi-Fi",
    "Harvey Norman",
    "Noel Leeming",
    "Briscoes",
    "Temu",
    "Shein",
)
_STRONG_ENDORSE_RE = re.compile(
    r"\buse[ \t]{1,3}(?:my|our|the)?[ \t]{0,3}code[ \t:]{1,3}[A-Z0-9]{3,20}\b|\b(?:promo|discount|coupon|voucher|"
    r"referral)"
    r"[ \t]{1,3}code\b|(?<![\w#])#(?:ad|sponsored|spon|gifted|paidpartnership|affiliate)\b|"
    r"\bpaid[ \t]{1,3}partnership\b"
    r"|\bsponsored[ \t]{1,3}(?:post|content|by)\b|\baffiliate[ \t]{1,3}links?\b",
    re.IGNORECASE,
)
_WEAK_ENDORSE_RE = re.compile(
    r"\b(?:best|(?<!panic[ -])buy(?:ing)?|purchase|discount|deals?|on[ \t]{1,3}sale|sale|shop|shopping|recommend|love|"
    r"loving|"
    r"favourite|favorite|grab|get[ \t]{1,3}yours|order[ \t]{1,3}now|check[ \t]{1,3}out|cheapest|must-have|bargain)\b"
    r"|\b\d{1,2}[ \t]{0,2}%[ \t]{0,2}off\b",
    re.IGNORECASE,
)
# Reported speech ("buy only what you need", a store manager said) is not an endorsement.
_ANY_QUOTE_RE = re.compile(r"“[^“”]{1,2000}”|\"[^\"\n]{1,2000}\"")
_TRADEMARK_RE = re.compile(r"[\w)][™®]")
_AFFILIATE_RE = re.compile(
    r"[?&](?P<k>aff|aff_id|affid|affiliate|affiliate_id|partnerid|irclickid|clickid|tag|ref|ref_id|"
    r"referrer)=(?P<v>[^&\s#]{1,80})",
    re.IGNORECASE,
)
_GOV_HOST_RE = re.compile(
    r"(?:^|\.)(?:govt\.nz|gov\.uk|gov\.au|gov|mil|nhs\.uk|police\.uk|parliament\.nz|parliament\.uk|mil\.nz|health\.nz)$"
)
_HOST_RE = re.compile(r"(?:https?://)?(?:www\.)?([^/\s:?#]{1,253})", re.IGNORECASE)
_ENDORSE_KEYS = _wordlist(
    """
    code ad sponsored spon gifted paidpartnership affiliate paid best buy buying purchase discount deal deals sale shop
    shopping recommend love loving favourite favorite grab yours order check cheapest must bargain off
    """
)


class CommercialEndorsement(Rule):
    """A brand or product is promoted: endorsement wording, discount codes, affiliate links,
    sponsorship.

    ## What it does
    Fires on discount and promo codes ("use code SAVE20"), sponsorship and advertising tags
    (`#ad`, `#sponsored`, "paid partnership"), affiliate parameters in links (`aff=`, Amazon
    `tag=`; `ref=` one step lower) outside government domains, and on a brand (from the
    `brands` option, or marked ™/®) in the same sentence as endorsement words ("best", "buy",
    "discount", "20% off"). Public-service wording without a brand ("buy a fishing licence
    online", "the best way to stay safe") does not fire.

    ## Why is this bad?
    Public servants must not use their position to endorse commercial products; it breaches
    impartiality and can look like a conflict of interest.

    ## Example
        Use code GOVT20 for 20% off at our favourite cafe!

    Use instead:
        Our cafe in the foyer is open from 8am.

    ## Options
    - `brands`: brand and product names to watch (extend with local ones).

    ## Known false positives
    A partnership the agency has approved (a sponsored public event); override with a reason.
    """

    code = "LEG301"
    name = "commercial-endorsement"
    catalogue = ("XR-28",)
    default_severity = _HIGH_INFO
    fix = "Remove the product promotion, code or affiliate link."
    options: ClassVar[dict[str, Any]] = {"brands": list(_BRANDS)}

    def setup(self) -> None:
        self.brands = TermMatcher(tuple(str(b) for b in self.config.get("brands") or ()))
        own = {str(d).lower().removeprefix("www.") for d in self.config.get("agency_domains") or ()}
        self.own_domains = frozenset(own)

    def _official_host(self, host: str) -> bool:
        return bool(_GOV_HOST_RE.search(host)) or any(host == d or host.endswith("." + d) for d in self.own_domains)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        if "=" in text:
            for s, e in url_spans(text):
                url = text[s:e]
                m = _AFFILIATE_RE.search(url)
                if m is None:
                    continue
                hm = _HOST_RE.match(url)
                host = hm.group(1).lower().removeprefix("www.") if hm else ""
                if self._official_host(host):
                    continue
                key = m.group("k").lower()
                if key == "tag" and not ("amazon." in host or re.fullmatch(r"[\w-]{1,60}-2[0-2]", m.group("v"))):
                    continue
                weak = key in {"ref", "ref_id", "referrer"}
                yield Hit(
                    message=f"Link to {host} carries an affiliate or referral parameter ({key}=).",
                    start=s,
                    end=e,
                    shift=-1 if weak else 0,
                    evidence={"kind": "affiliate-link", "host": host},
                )
                return
        if not _has(text, _ENDORSE_KEYS) and "amzn.to" not in text:
            return
        m = _STRONG_ENDORSE_RE.search(text)
        if m is not None:
            yield Hit(
                message=f"Promotional wording (“{' '.join(m.group(0).split())[:30]}”) on a public-service post.",
                start=m.start(),
                end=m.end(),
                evidence={"kind": "promotion"},
            )
            return
        if "amzn.to/" in text:
            i = text.index("amzn.to/")
            yield Hit(
                message="Amazon short link, often an affiliate link.",
                start=i,
                end=i + 8,
                evidence={"kind": "affiliate-link"},
            )
            return
        brands = [(tm.start, tm.end, tm.entry) for tm in islice(self.brands.finditer(text), _MAX_CANDIDATES)]
        brands += [
            (m.start(), m.end(), "a trademarked product") for m in islice(_TRADEMARK_RE.finditer(text), _MAX_CANDIDATES)
        ]
        if not brands:
            return
        spans = sentences(text)
        quoted = [(m.start(), m.end()) for m in islice(_ANY_QUOTE_RE.finditer(text), _MAX_CANDIDATES)]
        for bs, be, brand in brands:
            s, e = _sentence_at(spans, bs)
            w = next(
                (
                    w
                    for w in _WEAK_ENDORSE_RE.finditer(text, s, e)
                    if not any(qs <= w.start() < qe for qs, qe in quoted)
                ),
                None,
            )
            if w is None:
                continue
            yield Hit(
                message=f"Endorses {brand} (“{' '.join(w.group(0).split())}”): public servants must stay impartial.",
                start=min(bs, w.start()),
                end=max(be, w.end()),
                evidence={"kind": "brand", "brand": brand},
            )
            return


# --------------------------------------------------------------------------- LEG4xx

# The bodies exclude the opening mark too, so a run of unclosed quotes cannot backtrack far.
_QUOTE_RE = re.compile(r"“(?P<a>[^“”]{60,2000})”|\"(?P<b>[^\"\n]{60,2000})\"|«(?P<c>[^«»]{60,2000})»")
_ATTRIBUTION_RE = re.compile(
    r"\b(?:said|says|saying|told|tells|wrote|writes|written[ \t]{1,3}by|explains?|explained|according[ \t]{1,3}to|via|"
    r"source|sources|credit|credits|courtesy|h/t|hat[ \t]{1,3}tip|quote[ \t]{1,3}from|quoted|added|adds|stated|states|"
    r"noted|notes|announced|commented|reports?|reported|found|asked|replied|warned|warns|urged|urges|insisted|"
    r"argued|argues|posted|shared|tweeted|statement|spokesperson|spokesman|spokeswoman|continued|recalls|recalled|"
    r"remarked|declared|promised|admitted|told[ \t]{1,3}us|in[ \t]{1,3}(?:his|her|their)[ \t]{1,3}words|"
    r"from[ \t]{1,3}the)\b"
    r"|©|\(c\)|\bphoto:|\bimage:|(?<![\w@])RT[ \t]{1,2}@",
    re.IGNORECASE,
)
# A name, @handle or dash-signature right after the closing quote, or "Name:" right before it.
# A name, @handle or dash-signature right after the closing quote ("” — Mayor Jane Smith",
# "” Health Secretary Jo Bloggs"), or an @handle or "Name:" right before the opening one.
_QUOTE_TAIL_RE = re.compile(
    r"[ \t,.]{0,3}(?:[-–—~][ \t]{0,3}[@A-Z]|\([ \t]{0,2}[@A-Z]|@\w|"
    r"[A-Z][a-z]{1,20}(?:[ \t]{1,2}[a-z]{1,15}){0,2}[ \t]{1,2}[A-Z@])"
)
_QUOTE_HEAD_RE = re.compile(r"(?:@\w{1,30}[ \t]{0,2}:?|[A-Z][\w'’.-]{1,30}[ \t]{0,2}:)[ \t]{0,3}\Z")
_STOCK_RE = re.compile(
    r"shutterstock|getty|gettyimages|istock|istockphoto|adobestock|adobe[-_ ]stock|stock\.adobe|alamy|dreamstime|"
    r"depositphotos|123rf|bigstock|stocksy|pond5",
    re.IGNORECASE,
)
_CREDIT_RE = re.compile(
    r"©|\(c\)|\bcredit|\bphoto(?:graph)?[ \t]{0,2}(?::|by)|\bimage[ \t]{0,2}(?::|by)|\bcourtesy|\blicen[cs]ed|\bvia\b|"
    r"shutterstock|getty|istock|adobe[ \t]{1,2}stock|alamy|dreamstime|depositphotos|123rf",
    re.IGNORECASE,
)


def _word_count(text: str) -> int:
    return len(text.split())


class UnattributedContent(Rule):
    """Third-party content without attribution: a long quotation with no source, or a stock
    image with no credit.

    ## What it does
    Fires on a quotation of 20 words or more (in “curly” or "straight" quotes) when nothing in
    the post attributes it: no "said", "says", "via", "source:", "credit", "©", "photo:", no
    name or @handle after a dash or before a colon. Also fires on media whose `filename` says it
    comes from a stock library (Shutterstock, Getty Images, iStock, Adobe Stock, Alamy...) when
    neither the text nor the alt text credits it.

    ## Why is this bad?
    Reusing others' words or images without attribution or a licence can breach copyright and
    the platforms' terms, and misleads readers about who said what.

    ## Example
        "Our communities are strongest when we look after one another, check in on our neighbours,
        and make sure nobody is left behind this winter."

    Use instead:
        "Our communities are strongest when we look after one another, check in on our neighbours,
        and make sure nobody is left behind this winter," said the Mayor.

    ## Known false positives
    The agency quoting its own published material; a stock image licensed without a credit
    requirement (say so in the alt text or a credit).
    """

    code = "LEG401"
    name = "unattributed-content"
    catalogue = ("XR-29",)
    default_severity = _WARN_INFO
    fix = "Say who said or made it (and check you may reuse it), or use your own words or images."
    options: ClassVar[dict[str, Any]] = {"min_quote_words": 20}

    def setup(self) -> None:
        self.min_words = int(self.config.get("min_quote_words", 20))

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        if ("“" in text or '"' in text or "«" in text) and not _ATTRIBUTION_RE.search(text):
            for m in islice(_QUOTE_RE.finditer(text), _MAX_CANDIDATES):
                body = m.group("a") or m.group("b") or m.group("c") or ""
                if _word_count(body) < self.min_words:
                    continue
                if _QUOTE_TAIL_RE.match(text, m.end()) or _QUOTE_HEAD_RE.search(text, 0, m.start()):
                    continue
                yield Hit(
                    message=f"Quotes {_word_count(body)} words without saying who said or wrote them.",
                    start=m.start(),
                    end=m.end(),
                    evidence={"kind": "quotation", "words": _word_count(body)},
                )
                break
        for i, media in enumerate(post.media):
            if not media.filename or not _STOCK_RE.search(media.filename):
                continue
            if _CREDIT_RE.search(text) or (media.alt and _CREDIT_RE.search(media.alt)):
                continue
            library = _STOCK_RE.search(media.filename)
            source = library.group(0) if library else "stock"
            yield Hit(
                message=f"Image {i + 1} looks like a stock photo ({source}) with no credit.",
                field=f"media[{i}]",
                fix="Credit the image as its licence requires (for example “Photo: Shutterstock”), or use your own.",
                evidence={"kind": "stock-image"},
            )
