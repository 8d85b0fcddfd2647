"""AUTH rules: speaking with or without authority (catalogue XR-10, 12, 15, 18).

```
AUTH101 unauthorised-commitment              "we guarantee", "you will receive $500", "your claim has been approved"
AUTH102 unauthorised-announcement            "effective immediately", "we are announcing", "new funding of $"
AUTH201 missing-personal-capacity            personal post about own agency without "views my own"
AUTH202 workplace-grievance                  personal post: employer + complaint about manager, colleagues, pay
AUTH301 personal-voice-on-official-account   official post that reads like a personal one (wrong account?)
AUTH302 official-voice-on-personal-account   personal post that reads like an official one (wrong account?)
```

AUTH101/102 yield to the author's role: authors with a role in ``announcer_roles`` may commit
and announce. The phrase lists are written so that routine operational notices ("we will be
closed on Monday", "we'll reply within 2 working days", "we will post updates") pass.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from govsocial.model import Post, Severity
from govsocial.rules.abu import profanity_hits, severities, word_set
from govsocial.rules.base import CheckEnv, Hit, Rule
from govsocial.text import HASHTAG_RE, MENTION_RE, TermMatcher, sentences, term_matcher

__all__ = [
    "MissingPersonalCapacity",
    "OfficialVoiceOnPersonalAccount",
    "PersonalVoiceOnOfficialAccount",
    "UnauthorisedAnnouncement",
    "UnauthorisedCommitment",
    "WorkplaceGrievance",
]

_DEFAULT_ROLES = ("spokesperson", "announcer", "approver", "can_commit")


def _wordlist(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value if str(v).strip())


# --------------------------------------------------------------------------- the agency


class _Agency:
    """The author's agency as the pack and the post describe it: names, handles, hashtags, domains."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.names = _strings(options.get("agency_names"))
        self.handles = frozenset(h.lstrip("@").lower() for h in _strings(options.get("agency_handles")))
        self.hashtags = frozenset(h.lstrip("#").lower() for h in _strings(options.get("agency_hashtags")))
        self.domains = tuple(d.lower().removeprefix("www.") for d in _strings(options.get("agency_domains")))

    def matcher(self, post: Post) -> TermMatcher:
        names = self.names
        if post.author and post.author.agency:
            names = (*names, post.author.agency)
        return term_matcher(names)

    def mentions(self, post: Post, text: str) -> list[tuple[int, int, str]]:
        """Spans of ``text`` that name the agency (name, @handle, #hashtag or web domain)."""
        out = [(m.start, m.end, m.entry) for m in self.matcher(post).finditer(text)]
        if self.handles and "@" in text:
            out += [
                (m.start(), m.end(), m.group()) for m in MENTION_RE.finditer(text) if m.group(1).lower() in self.handles
            ]
        if self.hashtags and "#" in text:
            out += [
                (m.start(), m.end(), m.group())
                for m in HASHTAG_RE.finditer(text)
                if m.group(1).lower() in self.hashtags
            ]
        if self.domains:
            low = text.lower()
            for d in self.domains:
                i = low.find(d)
                if i >= 0:
                    out.append((i, i + len(d), d))
        return sorted(out)


# "we at the Ministry", "my team at DOC", "I work for the Council".
_WORKPLACE_RE = re.compile(
    r"\b(?:(?:[Ww]e|[Uu]s)\s{1,3}(?:here\s{1,3})?at\s{1,3}(?:the\s{1,3})?[A-Z][\w&'’-]{1,40}"
    r"|[Mm]y\s{1,3}(?:team|colleagues|workmates|co-?workers|employer|department|ministry|agency|office|unit)\s{1,3}(?:at|in)\s{1,3}(?:the\s{1,3})?[A-Z][\w&'’-]{1,40}"
    r"|I\s{1,3}work\s{1,3}(?:at|for|in)\s{1,3}(?:the\s{1,3})?[A-Z][\w&'’-]{1,40})"
)
_DISCLAIMER_RE = re.compile(
    r"\b(?:(?:views?|opinions?|thoughts|tweets|posts|words)\s{1,3}(?:are\s{1,3}|expressed\s{1,3}(?:here\s{1,3})?(?:are\s{1,3})?)?(?:my\s{1,3})?own"
    r"|(?:my|own)\s{1,3}(?:own\s{1,3})?(?:views|opinions)|personal\s{1,3}(?:capacity|views?|account|opinions?)"
    r"|not\s{1,3}(?:speaking\s{1,3})?on\s{1,3}behalf\s{1,3}of|(?:do|does|don['’]?t|doesn['’]?t)\s{1,3}(?:not\s{1,3})?(?:necessarily\s{1,3})?"
    r"(?:represent|reflect)|not\s{1,3}(?:necessarily\s{1,3})?(?:the\s{1,3})?views\s{1,3}of|speaking\s{1,3}for\s{1,3}myself"
    r"|in\s{1,3}a\s{1,3}personal\s{1,3}capacity)\b",
    re.IGNORECASE,
)


_WORKPLACE_WORDS = frozenset({"at", "work", "in"})


def _workplace(text: str) -> re.Match[str] | None:
    """ "we at X", "my team at X", "I work for X" (cheap word check first)."""
    words = word_set(text)
    if _WORKPLACE_WORDS.isdisjoint(words) or {"we", "us", "my", "work"}.isdisjoint(words):
        return None
    return _WORKPLACE_RE.search(text)


def _disclaimed(post: Post) -> bool:
    return bool(_DISCLAIMER_RE.search(post.text) or (post.profile_bio and _DISCLAIMER_RE.search(post.profile_bio)))


def _has_role(post: Post, roles: tuple[str, ...]) -> bool:
    return bool(post.author and post.author.has_role(*roles))


# --------------------------------------------------------------------------- commitments and announcements

_MONEY = r"(?:[$£€]\s{0,2}\d[\d,.]{0,14}(?:\s{0,2}(?:m|bn|k|million|billion))?|\d[\d,.]{0,14}\s{0,2}(?:dollars|pounds))"
_MONEY_RE = re.compile(_MONEY, re.IGNORECASE)
_WE_WILL = r"(?:[Ww]e|I)(?:['’]ll|\s{1,3}will|\s{1,3}(?:are|am)\s{1,3}going\s{1,3}to|['’](?:re|m)\s{1,3}going\s{1,3}to)\s{1,3}(?:now\s{1,3}|also\s{1,3}|personally\s{1,3}|definitely\s{1,3})?"
# Promises that are commitments whatever follows.
_COMMIT_STRONG_RE = re.compile(
    r"\b(?:[Ww]e|I)\s{1,3}(?:can\s{1,3})?(?:promise|guarantee|pledge|vow)\b"
    r"|\b(?:[Ww]e|I)['’](?:re|m)\s{1,3}(?:promising|guaranteeing)\b|\b(?:[Ww]e|I)\s{1,3}(?:are|am)\s{1,3}(?:promising|guaranteeing)\b"
    rf"|\b{_WE_WILL}(?:pay|refund|reimburse|compensate|waive|guarantee|cover\s{{1,3}}(?:the|all|your)\s{{1,3}}costs?|give\s{{1,3}}(?:you|every|all|each|everyone))\b"
    r"|\b(?:you|[Yy]ou)(?:['’]ll|\s{1,3}will)\s{1,3}(?:definitely\s{1,3}|also\s{1,3})?(?:be\s{1,3}(?:paid|refunded|reimbursed|compensated|approved|entitled)"
    r"|(?:receive|get)\s{1,3}(?:a\s{1,3}|an\s{1,3}|the\s{1,3}|your\s{1,3}|full\s{1,3})?(?:full\s{1,3})?(?:refund|compensation|payment|grant|subsidy|rebate|allowance"
    r"|bonus|voucher|back\s{1,3}pay|reimbursement|settlement|" + _MONEY + r"))"
    r"|\b(?:[Yy]our)\s{1,3}(?:application|claim|request|grant|payment|refund|visa|permit|consent|appeal|complaint)\s{1,3}"
    r"(?:has|have)\s{1,3}(?:now\s{1,3})?been\s{1,3}(?:approved|accepted|granted|upheld)"
    r"|\b(?:[Ww]e|I)(?:\s{1,3}have|['’]ve)\s{1,3}(?:now\s{1,3})?approved\b"
    r"|\b(?:is|are)\s{1,3}(?:100%\s{1,3})?guaranteed\s{1,3}(?:to|a|an|for)\b"
)
# "We will build / cut / provide ..." commit only with money, a deadline or "every/all/free".
_COMMIT_WEAK_RE = re.compile(
    rf"\b{_WE_WILL}(?:build|deliver|provide|fund|double|halve|increase|cut|reduce|scrap|abolish|introduce|extend|freeze|cap"
    r"|fix|resolve|ensure|make\s{1,3}sure|waive|cover|hire|employ|create|open)\b"
)
_STRENGTHENER_RE = re.compile(
    _MONEY
    + r"|\b(?:every|everyone|all|free|by\s{1,3}(?:the\s{1,3}end\s{1,3}of\s{1,3})?(?:\d{1,2}\s{1,3})?(?:January|February|March|April|May|June"
    r"|July|August|September|October|November|December|next\s{1,3}\w{1,10}|Christmas|20\d\d)|within\s{1,3}\d{1,3}\s{1,3}(?:days|weeks|months))\b",
    re.IGNORECASE,
)
# Objects that make "we will provide/extend/open..." routine service information.
_ROUTINE_RE = re.compile(
    r"\b(?:updates?|information|info|details|news|advice|guidance|more|further|a\s{1,3}reply|a\s{1,3}response|the\s{1,3}(?:doors|office|offices|service)"
    r"|our\s{1,3}(?:doors|offices?|hours)|opening\s{1,3}hours|you\s{1,3}(?:posted|updated|informed))\b",
    re.IGNORECASE,
)
_ANNOUNCE_RES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\b(?:effective\s{1,3}(?:immediately|from\s{1,3}today)|with\s{1,3}immediate\s{1,3}effect)\b", re.IGNORECASE
        ),
        "a change that takes effect now",
    ),
    (
        re.compile(
            r"\b(?:(?:we|I)(?:\s{1,3}(?:are|am)|['’](?:re|m))\s{1,3}(?:(?:very\s{1,3}|so\s{1,3})?(?:pleased|proud|delighted|excited|thrilled|happy)\s{1,3}to\s{1,3})?announc(?:e|ing)"
            r"|(?:today\s{1,3})?(?:we|I)\s{1,3}(?:can\s{1,3})?(?:now\s{1,3})?(?:officially\s{1,3})?announce|announcing\s{1,3}(?:today|our|the|a)\b)",
            re.IGNORECASE,
        ),
        "an announcement",
    ),
    (
        re.compile(
            rf"\bnew\s{{1,3}}funding\s{{1,3}}of\s{{1,3}}{_MONEY}|{_MONEY}\s{{1,3}}(?:in\s{{1,3}})?(?:new|additional|extra)\s{{1,3}}(?:funding|investment)\b",
            re.IGNORECASE,
        ),
        "new funding",
    ),
    (
        re.compile(
            r"\b(?:we(?:\s{1,3}are|['’]re)\s{1,3}(?:proud\s{1,3}to\s{1,3}be\s{1,3}|excited\s{1,3}to\s{1,3}be\s{1,3})?launching|(?:we\s{1,3}have|we['’]ve)\s{1,3}(?:just\s{1,3}|today\s{1,3})?launched"
            r"|today\s{1,3}we\s{1,3}(?:launch|launched)|launching\s{1,3}today)\b",
            re.IGNORECASE,
        ),
        "a launch",
    ),
    (
        re.compile(
            r"\bfrom\s{1,3}today\b[^.!?\n]{0,120}\bwill\b|\b(?:comes?|came)\s{1,3}into\s{1,3}(?:force|effect)\s{1,3}(?:today|immediately)\b",
            re.IGNORECASE,
        ),
        "a change from today",
    ),
)
_ANNOUNCE_WORDS = _wordlist(
    "effective immediate announce announcing funding launching launched launch today force effect"
)
_COMMIT_WORDS = _wordlist(
    "promise guarantee pledge vow promising guaranteeing guaranteed will ll going approved paid refunded receive get"
)


# "Until we can guarantee...", "we cannot promise": not a commitment.
_CONDITIONAL_RE = re.compile(
    r"\b(?:until|unless|if|when|whether|once|not|never|cannot|can['’]?t|won['’]?t)\s{1,3}(?:\w{1,12}\s{1,3})?\Z",
    re.IGNORECASE,
)


def _conditional(text: str, start: int) -> bool:
    return _CONDITIONAL_RE.search(text[max(0, start - 30) : start]) is not None


class UnauthorisedCommitment(Rule):
    """A promise or commitment made without the authority to make it.

    ## What it does
    Reports promises and commitments: "we guarantee", "I promise", "we will refund / pay /
    compensate", "you will receive $500", "your application has been approved", and "we
    will build / cut / provide" with an amount of money, a deadline or "every/all/free".
    Authors with a role in ``announcer_roles`` may commit; routine service statements
    ("we will be closed on Monday", "we'll reply within 2 working days", "we will post
    updates") are not commitments. On personal accounts only posts that name the agency
    are checked.

    ## Why is this bad?
    A commitment made on social media binds the agency in the public's eyes; only people
    with the authority to commit may make one, after it is approved (XR-12,
    NZSSC-09-OFF-3, UKCS-CODE-6, GDS-TIP-4).

    ## Example
        Don't worry, we guarantee you will receive a full refund of $250 by Friday.

    Use instead:
        Thanks for letting us know. We'll look into your refund and reply within 2 working days.

    ## Options
    - ``announcer_roles``: roles that may commit and announce (default ``spokesperson``,
      ``announcer``, ``approver``, ``can_commit``).
    """

    code = "AUTH101"
    name = "unauthorised-commitment"
    catalogue = ("XR-12",)
    default_severity = severities(Severity.HIGH, Severity.WARN)
    fix = "Remove the commitment, or route the post to someone with authority to make it."
    english_only = True
    options: ClassVar[Mapping[str, Any]] = {"announcer_roles": list(_DEFAULT_ROLES)}

    def setup(self) -> None:
        self.roles = _strings(self.config.get("announcer_roles")) or _DEFAULT_ROLES
        self.agency = _Agency(self.config)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        if _COMMIT_WORDS.isdisjoint(word_set(text)) or _has_role(post, self.roles):
            return
        if not env.is_official and not (self.agency.mentions(post, text) or _workplace(text)):
            return
        m = next((x for x in _COMMIT_STRONG_RE.finditer(text) if not _conditional(text, x.start())), None)
        if m:
            yield Hit(
                message=f"Makes a commitment (“{m.group().strip()}”) without authority to commit.",
                start=m.start(),
                end=m.end(),
            )
            return
        for m in _COMMIT_WEAK_RE.finditer(text):
            end = text.find(".", m.end())
            clause = text[m.end() : end if end != -1 else len(text)]
            if _ROUTINE_RE.match(clause.lstrip()) or not _STRENGTHENER_RE.search(clause):
                continue
            yield Hit(
                message=f"Makes a commitment (“{m.group().strip()}…”) without authority to commit.",
                start=m.start(),
                end=m.end(),
            )
            return


class UnauthorisedAnnouncement(Rule):
    """An announcement made without the authority to make it.

    ## What it does
    Reports announcement language: "effective immediately", "we are pleased to announce",
    "today we announce", "new funding of $…", "$5 million in new funding", "we're
    launching", "from today … will". Authors with a role in ``announcer_roles`` may
    announce. On personal accounts only posts that name the agency are checked.

    ## Why is this bad?
    Announcements are for people with authority, and significant ones go to Parliament or
    the Minister first (XR-12, UKCS-GCN-3). An unapproved announcement can pre-empt a
    decision or embarrass the Minister.

    ## Example
        Effective immediately, all parking permits are free for residents.

    Use instead:
        Residents' parking permits are explained on our website: https://www.example.govt.nz/parking

    ## Options
    - ``announcer_roles``: roles that may commit and announce (default ``spokesperson``,
      ``announcer``, ``approver``, ``can_commit``).

    ## Known false positives
    Repeating an announcement already made by the Minister: give the author the
    ``announcer`` role or acknowledge the finding.
    """

    code = "AUTH102"
    name = "unauthorised-announcement"
    catalogue = ("XR-12",)
    default_severity = severities(Severity.HIGH, Severity.WARN)
    fix = "Route the announcement to an approver or spokesperson before it goes out."
    english_only = True
    options: ClassVar[Mapping[str, Any]] = {"announcer_roles": list(_DEFAULT_ROLES)}

    def setup(self) -> None:
        self.roles = _strings(self.config.get("announcer_roles")) or _DEFAULT_ROLES
        self.agency = _Agency(self.config)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        if _ANNOUNCE_WORDS.isdisjoint(word_set(text)) or _has_role(post, self.roles):
            return
        if not env.is_official and not (self.agency.mentions(post, text) or _workplace(text)):
            return
        for rx, what in _ANNOUNCE_RES:
            m = rx.search(text)
            if m:
                yield Hit(
                    message=f"Reads as {what} (“{m.group().strip()[:60]}”) without authority to announce.",
                    start=m.start(),
                    end=m.end(),
                )
                return


class MissingPersonalCapacity(Rule):
    """Own agency discussed on a personal account without saying the views are personal.

    ## What it does
    On personal accounts, reports posts that name the author's agency (the pack's
    ``agency_names``, ``agency_handles``, ``agency_hashtags``, ``agency_domains`` or the
    author's ``agency``) or say "we at …", "my team at …", "I work for …", when neither the
    post nor the profile says the views are personal ("views my own", "personal capacity",
    "not on behalf of").

    ## Why is this bad?
    Readers may take what you say about your agency as the agency's position. Make clear
    that you speak for yourself (XR-10, NZSSC-09-PERS-4, NZPSC-PERS-2, NSW-PERS-4).

    ## Example
        Proud of my team at the Ministry of Health for getting the new clinics open.

    Use instead:
        Proud of my team at the Ministry of Health for getting the new clinics open. Views my own.
    """

    code = "AUTH201"
    name = "missing-personal-capacity"
    catalogue = ("XR-10",)
    default_severity = severities(None, Severity.WARN)
    fix = "Add that the views are your own (in the post or your profile), e.g. “Views my own.”"
    example_post: ClassVar[Mapping[str, Any]] = {"context": "personal"}

    def setup(self) -> None:
        self.agency = _Agency(self.config)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        found = self.agency.mentions(post, text)
        if found:
            start, end, what = found[0]
        else:
            m = _workplace(text)
            if m is None:
                return
            start, end, what = m.start(), m.end(), m.group()
        if _disclaimed(post):
            return
        yield Hit(
            message=f"Talks about your agency ({what[:60]}) without saying the views are your own.",
            start=start,
            end=end,
        )


# Employer references for grievances (besides the agency's own names).
_EMPLOYER_RE = re.compile(
    r"\b(?:my|our)\s{1,3}(?:boss|bosses|manager|managers|employer|workplace|work|job|department|ministry|agency|office"
    r"|team\s{1,3}leader|supervisor|colleagues|co-?workers|workmates|CEO|chief\s{1,3}executive|director|HR|management|union)\b"
    r"|\b(?:at|from)\s{1,3}work\b|\bthe\s{1,3}(?:management|bosses|higher-?ups|senior\s{1,3}leadership|leadership\s{1,3}team)\b",
    re.IGNORECASE,
)
_GRIEVANCE_RE = re.compile(
    r"\b(?:hate|hates|useless|incompetent|toxic|clueless|idiots?|pathetic|(?:is|are)\s{1,3}a\s{1,3}joke|worst|terrible|awful"
    r"|bull(?:y|ies|ying)|bullied|lazy|rubbish|sick\s{1,3}(?:of|and\s{1,3}tired)|fed\s{1,3}up|can['’]?t\s{1,3}stand|underpaid"
    r"|overworked|under-?valued|unappreciated|pay\s{1,3}(?:freeze|cut)|no\s{1,3}pay\s{1,3}rise"
    r"|doesn['’]?t\s{1,3}care|don['’]?t\s{1,3}care|micro-?manag\w{0,6}|disgrace(?:ful)?|shambles|hopeless|burn(?:ed|t)\s{1,3}out"
    r"|exploit\w{0,6}|treat(?:s|ed)?\s{1,3}(?:us|me|staff)\s{1,3}like|morale\s{1,3}is|nightmare|miserable|soul-?destroying"
    r"|can['’]?t\s{1,3}wait\s{1,3}to\s{1,3}(?:quit|leave)|unfair|disrespect\w{0,4}|cowards?|liars?)\b",
    re.IGNORECASE,
)
_GRIEVANCE_WORDS = _wordlist(
    """hate hates useless incompetent toxic clueless idiot idiots pathetic joke worst terrible awful bully bullies
    bullying bullied lazy rubbish sick fed stand underpaid overworked undervalued under valued unappreciated pay
    care micromanaging micromanage micromanagement micromanager disgrace disgraceful shambles hopeless burned burnt
    exploit exploited exploiting exploitation treat treats treated morale nightmare miserable soul destroying
    quit leave unfair disrespect disrespectful disrespected coward cowards liar liars"""
)


class WorkplaceGrievance(Rule):
    """Complaining in public about your employer, manager, colleagues, pay or conditions.

    ## What it does
    On personal accounts, reports sentences that refer to the employer (the agency's
    names, or "my manager", "my boss", "my colleagues", "at work", "management") together
    with negative words about them ("useless", "toxic", "underpaid", "sick of", "a joke").

    ## Why is this bad?
    Disparaging your employer or colleagues in public breaches the codes of conduct and
    can bring the agency into disrepute; grievances have proper channels (XR-15,
    NZPSC-PERS-6, UKHO-5).

    ## Example
        My manager is useless and the pay at work is a joke.

    Use instead:
        Long week, looking forward to the weekend.
    """

    code = "AUTH202"
    name = "workplace-grievance"
    catalogue = ("XR-15",)
    default_severity = severities(None, Severity.WARN)
    fix = "Take workplace concerns to your manager, HR or union rather than posting them."
    english_only = True
    example_post: ClassVar[Mapping[str, Any]] = {"context": "personal"}

    def setup(self) -> None:
        self.agency = _Agency(self.config)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        if _GRIEVANCE_WORDS.isdisjoint(word_set(text)):
            return
        refs = [s for s, _, _ in self.agency.mentions(post, text)]
        refs += [m.start() for m in _EMPLOYER_RE.finditer(text)]
        if not refs:
            return
        spans = sentences(text)
        starts = [s for s, _ in spans]
        checked: set[int] = set()
        for pos in sorted(refs):
            i = bisect_right(starts, pos) - 1
            if i in checked:
                continue
            checked.add(i)
            left, right = spans[i] if i >= 0 and pos < spans[i][1] else (0, len(text))
            if _GRIEVANCE_RE.search(text, left, right):
                yield Hit(message="Complains in public about your workplace.", start=left, end=right)
                return


# Personal voice: slang, personal life, first-person opinions.
# Chat slang counts in lower case or capitals ("lol", "LOL"), not as a capitalised name ("Imo" State).
_SLANG = ("lol", "lmao", "lmfao", "rofl", "omg", "omfg", "wtf", "ffs", "smh", "tbh", "ngl", "imo", "imho", "brb")
_SLANG_TITLE_OK = ("Lol", "Lmao", "Omg", "Wtf", "Ffs")
_SLANG_RE = re.compile(
    r"\b(?:"
    + "|".join([*_SLANG, *(w.upper() for w in _SLANG), *_SLANG_TITLE_OK])
    + r"|(?i:haha(?:ha){0,10}|hehe(?:he){0,10}))\b"
)
_PERSONAL_STRONG_RE = re.compile(
    r"\b(?:my\s{1,3}(?:mates?|missus|hubby|wife|husband|partner|girlfriend|boyfriend|gf|bf|kids|mum|mam|mom|dad|weekend|flatmates?)"
    r"|hung\s{0,2}over|(?:my|a\s{1,3}(?:massive|huge|bad|wicked|shocking))\s{1,3}hangover|I\s{1,3}reckon|date\s{1,3}night|can['’]?t\s{1,3}wait\s{1,3}(?:for|til|till|until)\s{1,3}(?:the\s{1,3})?(?:weekend|friday|tonight)"
    r"|(?:cheers|thanks|ta|see\s{1,3}(?:you|ya))\s{1,3}(?:mate|bro|babe|hun|love|bud|buddy|cuz)|oops,?\s{1,3}wrong\s{1,3}account|wrong\s{1,3}account)\b",
    re.IGNORECASE,
)
_PERSONAL_WEAK_RE = re.compile(
    r"\b(?:I\s{1,3}(?:personally\s{1,3})?(?:think|feel|believe|guess|suppose)|personally,|in\s{1,3}my\s{1,3}(?:humble\s{1,3})?opinion"
    r"|I['’]m\s{1,3}(?:so\s{1,3}|really\s{1,3})?(?:tired|bored|hungry|knackered|gutted|stoked)|my\s{1,3}(?:flat|house|car|dog|cat|birthday))\b"
)
_PERSONAL_WORDS = _wordlist(
    """lol lmao lmfao rofl omg omfg wtf ffs smh tbh ngl imo imho brb haha hahaha hahahaha hehe my hung hungover
    hangover reckon date wait cheers thanks ta see oops wrong think feel believe guess suppose personally opinion
    tired bored hungry knackered gutted stoked"""
)
_QUOTED_RE = re.compile(r"“[^”\n]{0,400}”|\"[^\"\n]{0,400}\"|‘[^’\n]{0,300}’|(?<!\w)'[^'\n]{0,300}'(?!\w)")
# A sentence that reports someone's words is not the account's own voice.
_ATTRIBUTION_RE = re.compile(
    r"\b(?:said|says|say|told|explains?|explained|according\s{1,3}to|writes|wrote|added|adds)\b", re.IGNORECASE
)


def _unquoted(text: str) -> str:
    """``text`` with quoted passages blanked (same length, so spans still index ``text``)."""
    if not any(q in text for q in "“\"‘'"):
        return text
    return _QUOTED_RE.sub(lambda m: " " * len(m.group()), text)


class PersonalVoiceOnOfficialAccount(Rule):
    """An official post that reads like a personal one: is this the right account?

    ## What it does
    On official accounts, reports personal voice: chat slang ("lol", "omg", "tbh"),
    personal life ("my weekend", "my mate", "hungover"), friendly sign-offs to a friend
    ("cheers mate"), strong profanity, and, one step lower, first-person opinions ("I
    think", "in my opinion"). Quoted words and reported speech ("'I'm proud,' said the
    Minister") are the speaker's, not the account's, and are skipped.

    ## Why is this bad?
    Posting a personal message from the agency's account is a classic mishap (XR-18,
    DIA-MISHAP-TYPE-7): check that you are on the right account before you publish.

    ## Example
        lol my mate just sent me this, what a weekend

    Use instead:
        Our weekend market is on this Saturday from 9am.
    """

    code = "AUTH301"
    name = "personal-voice-on-official-account"
    catalogue = ("XR-18",)
    default_severity = severities(Severity.HIGH, None)
    fix = "Check that you are posting from the right account."
    english_only = True

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        personal_cue = not _PERSONAL_WORDS.isdisjoint(word_set(text))
        bare = _unquoted(text)
        if personal_cue:
            m = _SLANG_RE.search(bare) or _PERSONAL_STRONG_RE.search(bare)
            if m and not self._reported(bare, m.start()):
                yield Hit(
                    message=f"Reads like a personal post (“{m.group()}”): is this the right account?",
                    start=m.start(),
                    end=m.end(),
                )
                return
        strong = [h for h in profanity_hits(bare) if h.tier == "strong"]
        if strong:
            yield Hit(
                message="Strong profanity reads like a personal post: is this the right account?",
                start=strong[0].start,
                end=strong[0].end,
            )
            return
        if personal_cue:
            m = _PERSONAL_WEAK_RE.search(bare)
            if m and not self._reported(bare, m.start()):
                yield Hit(
                    message=f"First-person opinion (“{m.group()}”) reads like a personal post: is this the right account?",
                    start=m.start(),
                    end=m.end(),
                    shift=-1,
                )

    @staticmethod
    def _reported(text: str, pos: int) -> bool:
        left = max(text.rfind(ch, 0, pos) for ch in ".!?\n") + 1
        right = min((i for i in (text.find(ch, pos) for ch in ".!?\n") if i != -1), default=len(text))
        return _ATTRIBUTION_RE.search(text, left, right) is not None


_OFFICIAL_VOICE_RE = re.compile(
    r"\b(?:we(?:\s{1,3}are|['’]re)\s{1,3}(?:very\s{1,3})?(?:pleased|delighted|proud|excited|happy|thrilled)\s{1,3}to\s{1,3}(?:announce|confirm|launch|share\s{1,3}that)"
    r"|(?:the|our)\s{1,3}(?:Ministry|Department|Agency|Council|Authority|Service|Commission)\s{1,3}(?:is|are)\s{1,3}(?:pleased|delighted|proud|committed)"
    r"|on\s{1,3}behalf\s{1,3}of\s{1,3}(?:the\s{1,3})?(?:Ministry|Department|Agency|Council|Authority|Service|Commission|Government)"
    r"|media\s{1,3}release|press\s{1,3}release:|for\s{1,3}(?:more|further)\s{1,3}information,?\s{1,3}(?:please\s{1,3})?(?:visit|see|go\s{1,3}to|call)\s{1,3}our"
    r"|our\s{1,3}(?:offices|contact\s{1,3}cent(?:re|er)|call\s{1,3}cent(?:re|er)|service\s{1,3}cent(?:re|er)s?)\s{1,3}(?:are|is|will\s{1,3}be)\s{1,3}(?:open|closed)"
    r"|visit\s{1,3}our\s{1,3}website|call\s{1,3}us\s{1,3}on\s{1,3}0800)\b",
    re.IGNORECASE,
)


_OFFICIAL_VOICE_WORDS = _wordlist(
    "pleased delighted proud excited happy thrilled behalf release information offices contact call service website"
)


class OfficialVoiceOnPersonalAccount(Rule):
    """A personal post that reads like an official one: is this the right account?

    ## What it does
    On personal accounts, reports the agency's official hashtags (``agency_hashtags``) and
    official templates: "we are pleased to announce", "the Ministry is pleased", "on
    behalf of the Department", "media release", "our offices will be closed", "visit our
    website".

    ## Why is this bad?
    An official message posted from a personal account confuses readers and may be an
    unapproved announcement or a wrong-account mishap (XR-18, DIA-MISHAP-TYPE-7).

    ## Example
        We are pleased to announce that our offices will be closed on Monday for the public holiday.

    Use instead:
        Looking forward to the long weekend!
    """

    code = "AUTH302"
    name = "official-voice-on-personal-account"
    catalogue = ("XR-18",)
    default_severity = severities(None, Severity.WARN)
    fix = "Check that you are posting from the right account; official news goes on the agency's account."
    example_post: ClassVar[Mapping[str, Any]] = {"context": "personal"}

    def setup(self) -> None:
        self.agency = _Agency(self.config)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        if self.agency.hashtags and "#" in text:
            for m in HASHTAG_RE.finditer(text):
                if m.group(1).lower() in self.agency.hashtags:
                    yield Hit(
                        message=f"Uses the agency's official hashtag {m.group()}: is this the right account?",
                        start=m.start(),
                        end=m.end(),
                    )
                    return
        found = None if _OFFICIAL_VOICE_WORDS.isdisjoint(word_set(text)) else _OFFICIAL_VOICE_RE.search(text)
        if found:
            yield Hit(
                message=f"Reads like an official post (“{found.group()}”): is this the right account?",
                start=found.start(),
                end=found.end(),
            )
