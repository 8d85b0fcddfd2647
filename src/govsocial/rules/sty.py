"""STY: plain language and tone.

```
STY1xx readability   STY101 reading-grade · STY102 long-sentence
STY2xx words         STY201 jargon (a data rule in base.yml) · STY202 unexpanded-acronym
STY3xx tone          STY301 dismissive-reply · STY302 unprofessional-tone · STY303 humour-on-sensitive-topic
STY4xx sources       STY401 unsupported-claim · STY402 missing-official-link · STY403 channel-shift-backwards
```

Readability, sentence length and acronyms are English-only (``english_only``): a post in te reo
Māori is never "hard to read" by an English formula, and Māori words inside an English post are
left out of the counts (:mod:`govsocial.readability`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, ClassVar
from urllib.parse import urlsplit

from govsocial.detectors.language import english_tier
from govsocial.model import Context, Post, Severity
from govsocial.platforms import link_spans
from govsocial.readability import readability, sentence_spans
from govsocial.rules.base import CheckEnv, Hit, Rule
from govsocial.text import TermMatcher, url_spans

__all__ = [
    "COMMON_ACRONYMS",
    "GOVERNMENT_DOMAINS",
    "ChannelShiftBackwards",
    "DismissiveReply",
    "HumourOnSensitiveTopic",
    "LongSentence",
    "MissingOfficialLink",
    "ReadingGrade",
    "UnexpandedAcronym",
    "UnprofessionalTone",
    "UnsupportedClaim",
    "is_reply",
]


def _words(text: str) -> frozenset[str]:
    """A set of words written as one white-space separated string (easier to read and edit)."""
    return frozenset(text.split())


_HIGH_INFO = MappingProxyType({Context.OFFICIAL: Severity.HIGH, Context.PERSONAL: Severity.INFO})
_INFO_INFO = MappingProxyType({Context.OFFICIAL: Severity.INFO, Context.PERSONAL: Severity.INFO})
_INFO_OFF = MappingProxyType({Context.OFFICIAL: Severity.INFO, Context.PERSONAL: None})
_WARN_INFO = MappingProxyType({Context.OFFICIAL: Severity.WARN, Context.PERSONAL: Severity.INFO})
_WARN_OFF = MappingProxyType({Context.OFFICIAL: Severity.WARN, Context.PERSONAL: None})

#: Acronyms most readers know; packs add their own with ``known_acronyms``.
COMMON_ACRONYMS = _words(
    """
    NZ UK US USA EU UN AU NSW ACT QLD VIC WA SA NT TAS UAE COVID FAQ FAQS GP GPS ID PDF URL AM PM TV
    OK CEO DIY ATM PIN SMS NHS CPR ASAP RSVP BBQ IT HR MP MPS NGO ICU PPE RAT RATS PCR UV DVD CD USB
    WIFI LGBT LGBTQ HIV AIDS DNA PHD RT DM DMS BC AD ANZAC NATO WHO FBI BBC ABC SUV GST VAT PAYE ACC
    IRD KIWISAVER ETA UTC NZST NZDT AEST AEDT GMT BST ASB TXT LOL OMG FYI
    """
)

#: Domain suffixes of government (and public health) websites.
GOVERNMENT_DOMAINS = (
    "govt.nz",
    "parliament.nz",
    "health.nz",
    "mil.nz",
    "gov.uk",
    "nhs.uk",
    "police.uk",
    "parliament.uk",
    "gov.scot",
    "gov.wales",
    "llyw.cymru",
    "gov.au",
    "gov",
    "mil",
    "gc.ca",
    "canada.ca",
    "gov.ie",
    "europa.eu",
    "who.int",
)

# Link shorteners hide the target: a post linking through one gets the benefit of the doubt.
_SHORTENERS = _words(
    """
    t.co bit.ly buff.ly ow.ly tinyurl.com goo.gl trib.al lnkd.in fb.me is.gd dlvr.it rebrand.ly
    shorturl.at tiny.cc cutt.ly spr.ly social.gov.uk
    """
)


_STRIP = ".,;:!?\"'()[]{}<>…“”‘’*–—/\\|~+=^`"


def _word_set(text: str) -> set[str]:
    """Lower-case words of ``text`` (white-space split, punctuation stripped): a cheap prefilter
    before a rule runs its full matcher, since a scan of a big alternation costs far more."""
    return {w.strip(_STRIP) for w in text.lower().split()}


def _has_any(lower: str, keys: tuple[str, ...]) -> bool:
    return any(k in lower for k in keys)


def is_reply(post: Post) -> bool:
    """A reply: ``reply_to`` is set, or the text starts with an @mention."""
    return bool(post.reply_to) or post.text.lstrip().startswith("@")


def _hosts(text: str) -> list[str]:
    hosts = []
    for start, end in link_spans(text):
        link = text[start:end]
        try:
            host = urlsplit(link if "://" in link else "https://" + link).hostname or ""
        except ValueError:
            host = ""
        hosts.append(host.lower().removeprefix("www."))
    return hosts


def _with_curly(phrases: Iterable[str]) -> list[str]:
    out = []
    for p in phrases:
        out.append(p)
        if "'" in p:
            out.append(p.replace("'", "’"))
    return out


# --------------------------------------------------------------------------- STY1xx readability


class ReadingGrade(Rule):
    """Post reads above the target reading grade.

    ## What it does
    Works out the Flesch–Kincaid grade of an English post of 20 words or more (links, handles,
    hashtags, numbers and te reo Māori words left out) and flags it when the grade is above the
    pack's ``reading_grade_target``. Within three grades of the target the finding is a nudge
    (one step lower), and so is a grade raised only by a sentence longer than
    ``max_sentence_words`` (STY102 reports that sentence); otherwise it is the pack's severity.

    ## Why is this bad?
    Government posts must be easy to understand for everyone, including people with lower
    literacy, people reading in a second language and people in a hurry (NSW-A11Y-8, NSW-A11Y-15,
    DIA-A11Y-8). Grade 9 is about reading age 14.

    ## Example
        Notwithstanding the aforementioned considerations, individuals experiencing
        respiratory symptoms are strongly encouraged to undertake comprehensive diagnostic
        evaluation at their earliest convenience, irrespective of vaccination status or
        previous infection history.
    Use instead:
        If you have a cough, a sore throat or a runny nose, get a test as soon as you can.
        Do this even if you have had your vaccines or had COVID before.

    ## Options
    - ``reading_grade_target`` (pack option, default 9): the highest acceptable grade.
    - ``min_words`` (default 20): shorter posts are not graded (the formula is unreliable).
    - ``reading_grade_margin`` (default 3): grades up to this far above the target are a nudge.

    ## Known false positives
    Long names of places, medicines or organisations raise the grade; so do lists without
    full stops, which read as one long sentence.

    ## References
    Flesch–Kincaid grade level (Kincaid et al., 1975); NSW Government accessibility guidance.
    """

    code = "STY101"
    name = "reading-grade"
    catalogue = ("XR-24",)
    default_severity = _WARN_INFO
    fix = "Use shorter sentences and everyday words."
    english_only = True
    options: ClassVar[Mapping[str, Any]] = {"reading_grade_target": 9, "min_words": 20, "reading_grade_margin": 3}

    def setup(self) -> None:
        self.target = float(self.config.get("reading_grade_target", 9))
        self.min_words = int(self.config.get("min_words", 20))
        self.margin = float(self.config.get("reading_grade_margin", 3))
        self.max_sentence = int(self.config.get("max_sentence_words", 25))

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        r = readability(post.text)
        if r.words < self.min_words or r.grade <= self.target:
            return
        long_words = r.syllables / r.words > 1.6
        cause = "long sentences" if r.words_per_sentence > 20 else "long words"
        if r.words_per_sentence > 20 and long_words:
            cause = "long sentences and long words"
        # Near the target, or high only because of a sentence STY102 already reports: a nudge.
        nudge = r.grade <= self.target + self.margin or (not long_words and r.longest_sentence > self.max_sentence)
        yield Hit(
            message=f"Reading grade {r.grade:g} is above the target of {self.target:g} ({cause}).",
            start=0,
            end=len(post.text),
            shift=-1 if nudge else 0,
            evidence={"grade": r.grade, "target": self.target, "words": r.words, "sentences": r.sentences},
        )


class LongSentence(Rule):
    """Sentence longer than the pack's maximum.

    ## What it does
    Flags each sentence of an English post with more words than ``max_sentence_words``
    (default 25). Links, handles, hashtags and te reo Māori words are not counted; numbers are.
    A sentence at most ``long_sentence_margin`` words over the limit is a nudge (one step
    lower); a longer one gets the pack's severity.

    ## Why is this bad?
    Long sentences are hard to follow, on small screens and with screen readers most of all.
    Plain-language guidance asks for short sentences (NSW-A11Y-15, DIA-A11Y-8).

    ## Example
        Applications for the community resilience grant, which supports local groups that help
        people prepare for and recover from emergencies such as floods and storms, are open
        until the end of March and you can apply online or by post.
    Use instead:
        Applications for the community resilience grant are open until the end of March. The
        grant helps local groups prepare for emergencies and recover from them. Apply online
        or by post.

    ## Options
    - ``max_sentence_words`` (pack option, default 25).
    - ``long_sentence_margin`` (default 10).

    ## Known false positives
    Lists written without full stops or line breaks count as one sentence.
    """

    code = "STY102"
    name = "long-sentence"
    catalogue = ("XR-24",)
    default_severity = _WARN_INFO
    fix = "Split the sentence in two."
    english_only = True
    options: ClassVar[Mapping[str, Any]] = {"max_sentence_words": 25, "long_sentence_margin": 10}

    def setup(self) -> None:
        self.max_words = int(self.config.get("max_sentence_words", 25))
        self.margin = int(self.config.get("long_sentence_margin", 10))

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        for s in sentence_spans(post.text):
            if s.words > self.max_words:
                yield Hit(
                    message=f"Sentence of {s.words} words (aim for {self.max_words} or fewer).",
                    start=s.start,
                    end=s.end,
                    shift=-1 if s.words <= self.max_words + self.margin else 0,
                    evidence={"words": s.words, "max": self.max_words},
                )


# --------------------------------------------------------------------------- STY2xx words

_ACRONYM_RE = re.compile(r"(?<![\w#@$/.&'’-])([A-Z][A-Z&]{1,5})(s?)(?:['’]s)?(?![\w'’-]|\.\w)")
_ROMAN_RE = re.compile(r"[IVX]{1,5}")


class UnexpandedAcronym(Rule):
    """Acronym used without saying what it stands for.

    ## What it does
    Flags an all-capitals word of 2 to 6 letters (``ICU``, ``MBIE``, ``PHO``) that is not a common
    acronym, not an everyday word in capitals, not one of the pack's ``known_acronyms`` or agency
    names, and not expanded in the post as "Full Name (ABC)" or "ABC (Full Name)". Each acronym
    is reported once.

    ## Why is this bad?
    Readers outside government rarely know its abbreviations; screen readers spell them out
    letter by letter. Guidance asks to expand acronyms or avoid them (NSW-A11Y-9, DIA-A11Y-8).

    ## Example
        Talk to your PHO about the new WFF rates.
    Use instead:
        Talk to your doctor about the new Working for Families rates.

    ## Options
    - ``known_acronyms`` (default ``[]``): acronyms the agency's audience knows.

    ## Known false positives
    Acronyms explained in an earlier post of a thread, and brand names written in capitals.
    """

    code = "STY202"
    name = "unexpanded-acronym"
    catalogue = ("XR-24",)
    default_severity = _INFO_OFF
    fix = "Write the name in full the first time, with the acronym in brackets, or leave it out."
    english_only = True
    options: ClassVar[Mapping[str, Any]] = {"known_acronyms": []}

    def setup(self) -> None:
        known = set(COMMON_ACRONYMS)
        known.update(str(a).upper() for a in self.config.get("known_acronyms", []) or [])
        for key in ("agency_names", "agency_handles", "agency_hashtags", "parties"):
            for value in self.config.get(key, []) or []:
                for token in re.findall(r"[A-Z][A-Z&]{1,5}", str(value)):
                    known.add(token)
        self.known = frozenset(known)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        seen: set[str] = set()
        urls: list[tuple[int, int]] | None = None
        for m in _ACRONYM_RE.finditer(text):
            acronym = m.group(1)
            if acronym in seen or acronym in self.known or (acronym + m.group(2)).upper() in self.known:
                continue
            seen.add(acronym)
            if "&" in acronym and len(acronym.replace("&", "")) < 2:
                continue
            tier = english_tier(acronym)
            if (tier is not None and tier <= 2) or _ROMAN_RE.fullmatch(acronym):
                continue
            if f"({acronym})" in text or f"{acronym} (" in text:
                continue
            if urls is None:
                urls = url_spans(text)
            if any(s <= m.start() < e for s, e in urls):
                continue
            yield Hit(
                message=f"“{acronym}” is not explained in the post.",
                start=m.start(1),
                end=m.end(1),
                evidence={"acronym": acronym},
            )


# --------------------------------------------------------------------------- STY3xx tone

_DISMISSIVE = (
    "as we already said",
    "as we've already said",
    "as we have already said",
    "as we said before",
    "as we've said before",
    "as previously stated",
    "as stated above",
    "as already stated",
    "as mentioned before",
    "as we've already told you",
    "like we said",
    "read the website",
    "read our website",
    "read the faq",
    "read the faqs",
    "if you had read",
    "if you'd read",
    "try reading",
    "learn to read",
    "read it again",
    "just google it",
    "google it",
    "obviously you",
    "you obviously",
    "calm down",
    "chill out",
    "that's not our problem",
    "not our problem",
    "not our fault",
    "not our job",
    "do your research",
    "do your own research",
    "good luck with that",
    "deal with it",
    "it's not hard",
    "it's not rocket science",
    "we've told you",
    "we have told you",
    "for the last time",
    "stop asking",
    "as anyone can see",
    "clearly you",
    "you should have known",
    "nobody cares",
    "sort yourself out",
)


# "Obviously" opening a sentence talks down to the reader; "numbers are obviously important" does not.
_OBVIOUSLY_RE = re.compile(
    r"(?:^|[.!?]\s{1,3}|^@\w{1,30}\s{1,3})(obviously|clearly),?(?=\s)", re.IGNORECASE | re.MULTILINE
)


class DismissiveReply(Rule):
    """Reply that sounds dismissive, rude or sarcastic.

    ## What it does
    In a reply (``reply_to`` is set or the text starts with an @mention), flags phrases that
    talk down to the person: "as we already said", "read the website", "calm down", "that's not
    our problem", "do your research", "good luck with that", and "Obviously" or "Clearly" opening
    a sentence.

    ## Why is this bad?
    An official account speaks for the agency: replies must stay courteous and helpful even
    when the question has been asked before or the person is angry (UKCS-P2, NZSIC-F,
    DIA-MISHAP-DURING-4). Dismissive replies are screenshotted and shared.

    ## Example
        @kiri_h As we already said, read the website. The form is obviously on the home page.
    Use instead:
        @kiri_h Sorry for the trouble. The form is on our home page, under "Apply": https://www.msd.govt.nz/apply

    ## Known false positives
    "Obviously" said of the agency itself ("we obviously want everyone safe").
    """

    code = "STY301"
    name = "dismissive-reply"
    catalogue = ("XR-35",)
    default_severity = _WARN_OFF
    fix = "Answer politely and point to the help without blaming the person."
    example_post: ClassVar[Mapping[str, Any]] = {"reply_to": "Where is the application form?"}

    def setup(self) -> None:
        self.matcher = TermMatcher(_with_curly(_DISMISSIVE))

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        if not is_reply(post):
            return
        spans = set()
        for m in self.matcher.finditer(post.text):
            spans.add(m.start)
            yield Hit(message=f"“{m.term}” sounds dismissive in a reply.", start=m.start, end=m.end)
        for o in _OBVIOUSLY_RE.finditer(post.text):
            if o.start(1) not in spans:
                yield Hit(message=f"“{o.group(1)}” sounds dismissive in a reply.", start=o.start(1), end=o.end(1))


_SLANG = (
    "lol",
    "lmao",
    "lmfao",
    "rofl",
    "omg",
    "omfg",
    "gonna",
    "wanna",
    "gotta",
    "kinda",
    "sorta",
    "dunno",
    "ya",
    "y'all",
    "yall",
    "nah",
    "yup",
    "bruh",
    "bro",
    "fam",
    "dude",
    "tbh",
    "smh",
    "imo",
    "imho",
    "idk",
    "ikr",
    "btw",
    "plz",
    "pls",
    "thx",
    "cuz",
    "coz",
    "gotcha",
    "totes",
    "sus",
    "yeet",
    "bae",
    "ur",
)
_PUNCT_RUN_RE = re.compile(r"[!?]{2,20}")


class UnprofessionalTone(Rule):
    """Slang or exclamation runs on an official account.

    ## What it does
    Flags internet slang ("lol", "omg", "gonna", "ya", "tbh") and runs of exclamation marks
    ("!!", "!!!", "??!!") in posts from official accounts. Shouting in capitals is ACC403.

    ## Why is this bad?
    Official channels speak for the agency and must stay professional and courteous (UKCS-P2,
    NZSIC-F, UKCS-GCN-4). A friendly tone is welcome; slang and excited punctuation undermine
    trust, and screen readers read "exclamation mark" for each one.

    ## Example
        OMG the new library is gonna be amazing!!!
    Use instead:
        The new library opens on Saturday. We think you'll love it!
    """

    code = "STY302"
    name = "unprofessional-tone"
    catalogue = ("XR-35",)
    default_severity = _WARN_OFF
    fix = "Use plain, friendly words and one exclamation mark at most."

    def setup(self) -> None:
        self.matcher = TermMatcher(_with_curly(_SLANG))
        self.slang = frozenset(_with_curly(_SLANG))

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        found = 0
        matches = self.matcher.finditer(text) if not self.slang.isdisjoint(_word_set(text)) else iter(())
        for m in matches:
            if m.term.istitle() and text[: m.start].rstrip()[-1:] not in ("", ".", "!", "?", "\n", ":"):
                continue  # a capitalised word mid-sentence is a name ("Imo" the state, "Bro" a surname)
            yield Hit(message=f"“{m.term}” is slang on an official account.", start=m.start, end=m.end)
            found += 1
            if found >= 5:
                break
        if "!!" in text or "?!" in text or "!?" in text:
            for p in _PUNCT_RUN_RE.finditer(text):
                run = p.group()
                if run.count("!") >= 2 or (len(run) >= 3 and "!" in run):
                    yield Hit(message=f"“{run}”: use one exclamation mark at most.", start=p.start(), end=p.end())
                    break


_LAUGHTER_RE = re.compile("[😂🤣😆😹😝😜🙃😏🤪😛💀]")
_HUMOUR = (
    "lol",
    "lmao",
    "lmfao",
    "rofl",
    "jk",
    "just kidding",
    "only joking",
    "just joking",
    "said no one ever",
    "said nobody ever",
    "that moment when",
    "how it started",
    "how it's going",
    "plot twist",
    "the audacity",
    "tag yourself",
    "main character",
    "i can't even",
)
# Substrings every humour cue contains: most posts have none, and skip the matchers.
_HUMOUR_KEYS = (
    "lol",
    "lmao",
    "lmfao",
    "rofl",
    "jk",
    "kidding",
    "joking",
    "said no",
    "moment when",
    "how it",
    "plot twist",
    "audacity",
    "tag yourself",
    "main character",
    "even",
    "haha",
    "hehe",
    "ahah",
)
_HAHA_RE = re.compile(r"(?<![\w])(?:a?ha(?:ha){1,10}h?|he(?:he){1,10}|lo{1,5}l)(?![\w])", re.IGNORECASE)
_SENSITIVE = (
    "death",
    "deaths",
    "dead",
    "die",
    "died",
    "dies",
    "dying",
    "killed",
    "fatal",
    "fatality",
    "fatalities",
    "funeral",
    "passed away",
    "tragedy",
    "tragic",
    "disaster",
    "earthquake",
    "flood",
    "floods",
    "flooding",
    "cyclone",
    "hurricane",
    "tornado",
    "tsunami",
    "bushfire",
    "wildfire",
    "house fire",
    "evacuate",
    "evacuation",
    "victim",
    "victims",
    "injured",
    "injuries",
    "poverty",
    "homeless",
    "homelessness",
    "hardship",
    "food bank",
    "starving",
    "hunger",
    "suicide",
    "self-harm",
    "cancer",
    "disease",
    "illness",
    "pandemic",
    "overdose",
    "mental health",
    "crime",
    "murder",
    "assault",
    "rape",
    "abuse",
    "violence",
    "shooting",
    "stabbing",
    "terror",
    "terrorist",
    "terrorism",
    "religion",
    "religious",
    "church",
    "mosque",
    "temple",
    "synagogue",
    "prayer",
    "prayers",
    "muslim",
    "jewish",
    "christian",
    "hindu",
    "sikh",
    "buddhist",
)


class HumourOnSensitiveTopic(Rule):
    """Joke, laughter or meme next to a sensitive topic.

    ## What it does
    Flags a post that has a humour cue (laughing emoji such as 😂 or 🤣, "lol", "haha",
    "jk", meme phrases like "said no one ever" or "this is fine") together with a sensitive
    topic: death, disaster, poverty, illness, crime or religion.

    ## Why is this bad?
    Jokes and sarcasm about deaths, disasters or people's hardship on an official account are
    a classic social media mishap: they read as mockery of the people affected (DIA-MISHAP-TYPE-8,
    UKCS-GCN-4).

    ## Example
        Flood update: the river has burst its banks again 😂 stay dry out there lol
    Use instead:
        Flood update: the river has burst its banks. Stay away from flood water and follow
        advice from Civil Defence.

    ## Known false positives
    A cue word used literally ("the funeral service was full of laughter and love").
    """

    code = "STY303"
    name = "humour-on-sensitive-topic"
    catalogue = ("XR-17",)
    default_severity = _HIGH_INFO
    fix = "Drop the joke: keep posts about loss, harm or hardship plain and kind."

    def setup(self) -> None:
        self.humour = TermMatcher(_with_curly(_HUMOUR))
        self.sensitive = TermMatcher(_SENSITIVE)

    def _humour_cue(self, text: str) -> tuple[int, int, str] | None:
        if not text.isascii():
            e = _LAUGHTER_RE.search(text)
            if e:
                return e.start(), e.end(), e.group()
        if not _has_any(text.lower(), _HUMOUR_KEYS):
            return None
        m = _HAHA_RE.search(text)
        if m:
            return m.start(), m.end(), m.group()
        t = self.humour.search(text)
        if t:
            return t.start, t.end, t.term
        return None

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        cue = self._humour_cue(text)
        if cue is None:
            return
        topic = self.sensitive.search(text)
        if topic is None:
            return
        start, end, what = cue
        yield Hit(
            message=f"Humour (“{what}”) next to a sensitive topic (“{topic.term}”).",
            start=start,
            end=end,
            evidence={"topic": topic.entry},
        )


# --------------------------------------------------------------------------- STY4xx sources

_STAT_RE = re.compile(
    r"(?<![\w.,])(?:"
    r"\d{1,3}(?:[.,]\d{1,2})?\s?(?:%|per ?cent\b)"
    r"|\d{1,3} (?:in|out of) (?:every )?\d{1,5}\b"
    r"|\d[\d,.]{0,14}\s(?:more |new |fewer |extra |additional |confirmed |active )?"
    r"(?:cases|deaths|people|patients|tests|vaccinations|doses|households|homes|jobs|students|"
    r"children|families|hospitalisations|hospitalizations|infections|crimes|offences|million|billion)\b"
    r")",
    re.IGNORECASE,
)
_DIGIT_RE = re.compile(r"\d")
_CLAIM_KEYS = (
    "safe",
    "side effect",
    "risk",
    "guarantee",
    "proven",
    "works",
    "fails",
    "cure",
    "effective",
    "show",
    "agree",
    "settled",
)
_CLAIMS = (
    "100% safe",
    "100% effective",
    "completely safe",
    "totally safe",
    "perfectly safe",
    "absolutely safe",
    "entirely safe",
    "no side effects",
    "no risk",
    "zero risk",
    "risk-free",
    "risk free",
    "guaranteed",
    "clinically proven",
    "proven to",
    "always works",
    "never fails",
    "cures",
    "will cure",
    "fully effective",
    "studies show",
    "research shows",
    "experts agree",
    "scientists agree",
    "everyone agrees",
    "the science is settled",
)


class UnsupportedClaim(Rule):
    """Statistic or absolute claim with no source link.

    ## What it does
    Flags a post with a statistic (a percentage, "1 in 5", "1,200 new cases") or an absolute
    claim ("100% safe", "no side effects", "studies show") when the post has no link.

    ## Why is this bad?
    Official posts must be accurate and checkable (UKCS-P1, GDS14-5, UKCSC-2). A source link
    lets people check the figure and stops a number spreading without its context.

    ## Example
        The vaccine is 100% safe and 95% of people have no side effects.
    Use instead:
        The vaccine is safe and most people have only mild side effects. See the data:
        https://www.health.govt.nz/vaccine-safety

    ## Known false positives
    Figures whose source is named in words ("Stats NZ figures show...") rather than linked.
    """

    code = "STY401"
    name = "unsupported-claim"
    catalogue = ("XR-30",)
    default_severity = _INFO_INFO
    fix = "Link to the source of the figure, or soften the claim."

    def setup(self) -> None:
        self.claims = TermMatcher(_CLAIMS)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        claim = self.claims.search(text) if _has_any(text.lower(), _CLAIM_KEYS) else None
        stat = _STAT_RE.search(text) if _DIGIT_RE.search(text) else None
        if claim is None and stat is None:
            return
        if link_spans(text):
            return
        if claim is not None:
            yield Hit(message=f"Absolute claim “{claim.term}” with no source link.", start=claim.start, end=claim.end)
        elif stat is not None:
            yield Hit(message=f"Figure “{stat.group()}” with no source link.", start=stat.start(), end=stat.end())


_ANNOUNCE_KEYS = (
    "apply",
    "eligib",
    "entitle",
    "rule",
    "changes to",
    "more",
    "details",
    "regist",
    "sign up",
    "book ",
    "claim",
    "check if",
    "check whether",
    "available",
)
# Phrases that announce a service, entitlement or rule change. "Find out more" and its kin count
# only when they point somewhere ("find out more: ...", "learn more on our website"), not in
# "more information to come" or "as we learn more about the virus".
_ANNOUNCES_RE = re.compile(
    r"\b(?:(?<!still )(?<!also )(?<!rules )(?<!that )(?<!which )(?<!they )"
    r"apply (?:now|today|online|here|by|for|at|through|via|before)\b|to apply\b"
    r"|how to (?:apply|claim|register|book)\b|applications? (?:are |is )?(?:now )?open\b"
    r"|eligib(?:le|ility)\b|entitle(?:d|ments?) to\b"
    r"|new rules?\b|rule changes?\b|changes to (?:the )?(?:rules|law|scheme|payments?)\b"
    r"|(?<!we )(?<!they )(?:find out more|learn more|more info(?:rmation)?|full details|for (?:more )?details)"
    r"(?:\s{0,3}(?::|\b(?:at|on|here|via|online|from|in our|on our|about (?:how|what|who|when|where|your|the))\b)|\s{0,3}$)"
    r"|register (?:now|today|online|for|your)\b|registrations? (?:are |is )?(?:now )?open\b"
    r"|sign up (?:now|today|online|for|here|at)\b|book (?:now|online|your)\b|claim (?:your|now|it)\b"
    r"|check (?:if|whether) you\b|you (?:can|could) (?:now |still )?(?:apply|claim)\b"
    r"|(?:payments?|grants?|subsid(?:y|ies)|benefits?|allowances?|rebates?) (?:is |are |will be |now )?available\b)",
    re.IGNORECASE,
)


class MissingOfficialLink(Rule):
    """Service or entitlement information with no link to a government website.

    ## What it does
    Flags an official post that tells people about a service, entitlement or rule ("apply",
    "eligible", "new rules", "find out more", "register now") and has no link to a government
    website: the pack's ``agency_domains`` or a government domain (``.govt.nz``, ``.gov.uk``,
    ``.gov.au``, ``.nsw.gov.au``, ``.gov``, ``nhs.uk``...). A post whose only links go to other
    sites gets a nudge one step lower; a link through a shortener (t.co, bit.ly) is given the
    benefit of the doubt.

    ## Why is this bad?
    Not everyone has an account on the platform, and a platform must not be the only place
    government information lives: the official version belongs on a government website, and
    posts should link to it (DIA-A11Y-4, DIA-A11Y-5, NSW-P1).

    ## Example
        Applications for the winter energy payment are now open. Find out more on our website.
    Use instead:
        Applications for the winter energy payment are now open. Find out more:
        https://www.workandincome.govt.nz/winter-energy

    ## Options
    - ``agency_domains`` (pack option): the agency's own websites, counted as official.

    ## Known false positives
    Posts that point to a website by name only ("search MyMSD").
    """

    code = "STY402"
    name = "missing-official-link"
    catalogue = ("XR-26",)
    default_severity = _WARN_OFF
    fix = "Add a link to the page on the agency's website."

    def setup(self) -> None:
        own = [str(d).lower().removeprefix("www.").strip("/") for d in self.config.get("agency_domains", []) or []]
        self.domains = tuple(own) + GOVERNMENT_DOMAINS

    def _official(self, host: str) -> bool:
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        if not _has_any(text.lower(), _ANNOUNCE_KEYS):
            return
        m = _ANNOUNCES_RE.search(text)
        if m is None:
            return
        hosts = _hosts(text)
        if any(self._official(h) or h in _SHORTENERS for h in hosts):
            return
        if hosts:
            yield Hit(
                message="Service information links only to a non-government site.",
                start=m.start(),
                end=m.end(),
                shift=-1,
            )
            return
        yield Hit(
            message=f"“{m.group()}” but no link to a government website.",
            start=m.start(),
            end=m.end(),
        )


_OFFLINE_ONLY = (
    "call us on",
    "call us at",
    "call us",
    "phone us on",
    "phone us at",
    "phone us",
    "ring us on",
    "ring us",
    "give us a call",
    "give us a ring",
    "call our contact centre",
    "call our call centre",
    "call our helpline",
    "call the helpline",
    "call our team",
    "visit our office",
    "visit our offices",
    "visit us in person",
    "visit a branch",
    "visit your local office",
    "visit your nearest office",
    "visit your local service centre",
    "come into our office",
    "come in to our office",
    "come into a branch",
    "pop into",
    "pop in to",
    "in person at",
    "in person only",
)
_EMERGENCY_RE = re.compile(r"\b(?:111|999|000|911|112)\b")


class ChannelShiftBackwards(Rule):
    """Reply sends people to the phone or an office with no online option.

    ## What it does
    In a reply, flags directions to phone or visit in person ("call us on", "visit our office")
    when the reply has no link. Emergency numbers (111, 999, 000, 911, 112) are left alone.

    ## Why is this bad?
    Someone who asked online usually wants to finish online. Sending them to a phone queue or
    an office when a digital route exists is a step backwards for them and costs more to serve
    (GDS-TIP-7).

    ## Example
        @sam_t For your rates rebate, call us on 0800 555 0100 or visit our office.
    Use instead:
        @sam_t You can apply for the rates rebate online: https://www.council.govt.nz/rebate
        You can also call us on 0800 555 0100.
    """

    code = "STY403"
    name = "channel-shift-backwards"
    catalogue = ("XR-39",)
    default_severity = _INFO_OFF
    fix = "Give the online way first (a link), then the phone number for those who need it."
    example_post: ClassVar[Mapping[str, Any]] = {"reply_to": "How do I apply for a rates rebate?"}

    def setup(self) -> None:
        self.matcher = TermMatcher(_OFFLINE_ONLY)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        if not is_reply(post):
            return
        m = self.matcher.search(post.text)
        if m is None or link_spans(post.text):
            return
        if _EMERGENCY_RE.search(post.text[m.end : m.end + 20]):
            return
        yield Hit(message=f"“{m.term}” with no online option.", start=m.start, end=m.end)
