"""Triage of incoming messages: language, category, sentiment, personal information, priority
and the house-rule moderation decision, for a batch at a time (fast tier, numpy only).

```
items ─┬─ MultiScorer (one featurisation, six fast models) ─► abuse, complaint, misinformation,
       │                                                      partisan, crisis classes, sentiment
       ├─ language (cues, lingua when unsure) ────────────► en │ mi │ other
       ├─ PRIV detectors (contact, identifiers) ───────────► pii kinds (never the values)
       ├─ ABU rules: threats, hate, insults; profanity lexicon
       ├─ cheap patterns: urgency, spam and promotion, questions, thanks, off-topic chatter
       └─ pack options: political lexicon, staff and suppressed names, agency handles
                      │
          category (decision order below) + house-rule hits (IN-xx) ─► action, rule, respond,
                                                                       strike, escalate,
                                                                       template, priority
```

## Category: the decision order, and why

1. **crisis**: explicit danger or self-harm words ("trapped", "kill myself", "send help"), or
   the crisis model's urgent classes (requests or urgent needs, injured, missing people) above
   the ``crisis`` bar together with a call for help. First, because a life may be at stake:
   nothing else about the message matters as much.
2. **abuse** when it is a **threat**: a threat is never a legitimate question or complaint.
3. **spam** with a promotion signal (a crypto pitch, advertising, a request for donations) and
   one more spam signal (a WhatsApp number, hashtag stuffing...): spam dressed as a question is
   still spam.
4. **question** when it explicitly asks for information ("how do I", "where can I", "when will").
5. **complaint** when the complaint model says so (its own decision threshold) and the message
   is negative, or the model is sure (``complaint`` bar): the model learnt complaints to
   companies and, on its own, reads half of all news-like statements as complaints.
6. **question** for any other question (a question mark, an interrogative opening).
7. **abuse**: hate (slurs, dehumanising phrases), insults aimed at people, the abuse model
   above the ``abuse`` bar with swearing at someone, or above ``abuse_alone`` on its own.
8. **spam** with one promotion signal or two weaker ones (asking people to message the author
   elsewhere, hashtag or mention stuffing, many links, a long run of one letter); one weak
   signal alone ("please DM me" to the agency) is no spam.
9. **misinformation**: the misinformation model above its (high) bar, for health and science
   claims only (vaccines, viruses, cures, 5G...): the model learnt COVID-19 claims of 2020 and
   rates almost any other text as misinformation.
10. **praise**: thanks or praise words without negative sentiment, or clearly positive sentiment.
11. **off_topic**: only clear chatter ("first!", "follow back"); the engine cannot see the post
    being answered, so anything subtler is **other**.

Questions and complaints come before abuse so that a rude question stays a question: it must
be answered, and a person decides whether it is also abusive.

## Moderation: house rules and their precedence

Each concern found is a hit on a house rule (IN-01 personal information, IN-02 abuse, IN-03
swearing, IN-04 suppressed names, IN-05 spam and off-topic, IN-06 promotion and donations,
IN-07 party politics, IN-08 misinformation, IN-10 staff named, IN-11 harmful links, IN-12
impersonation). The pack gives each rule its action; the most severe action wins (hide, then
queue, then leave), then:

- **Personal information is orthogonal to category and always wins**: the message is hidden
  (IN-01), answered with the "take it offline" template (the crisis template when it is a
  crisis), and ``respond`` is true, even when it is a question or complaint: the question still
  enters the response queue, answered privately (NZPSC-OFF-6, DIA-TBX-RULES-4).
- **Legitimate questions and complaints are never hidden** (IN-14) except for personal
  information: when one trips another hide rule (swearing, abuse, spam...), the action becomes
  ``queue`` (a moderator decides) and ``respond`` stays true. A message the complaint model
  rates at or above ``complaint_protect`` counts as a possible complaint for this purpose.
  The exceptions are what no question makes legitimate: threats (hidden, referred to the
  Police), names under a court suppression order (IN-04, hidden, referred for legal advice)
  and impersonation of the agency (IN-12, hidden, reported to the platform).
- **Criticism alone is never a reason to hide** (IN-15): negative sentiment, and complaints
  about the agency, a Minister or the government, are left up; the left message cites IN-14
  (question or complaint) or IN-15 (critical). Criticism words addressed to the agency
  ("useless", "incompetent") are not insults; insult nouns ("idiot", "scum") are.
- **Classifiers alone never hide**: the abuse model without a word-list signal queues (IN-02),
  misinformation queues (IN-08, a person decides between a correction and hiding), and party
  politics needs the lexicon (IN-07: ``electioneering`` scope, electioneering or party plus
  partisan framing; ``parties`` scope, any party or non-ministerial politician named; a
  Minister named in office is the government, whose criticism IN-15 protects).
- **Crisis messages are left up** and answered (template "crisis", priority 1, escalated as
  ``emergency``) unless they carry personal information or a threat.
- A strike is earned only when the message is actually hidden under a rule with
  ``strike: true``; the strike that reaches ``strikes_to_block`` sets ``suggest_block`` (IN-13).

Swearing alone (strong or medium words; mild ones such as "bloody" are left) is IN-03 without a
strike; swearing at someone with a high abuse score is IN-02.

Priority: 1 crisis, threat or personal information; 2 misinformation, or a question or
complaint with clearly negative sentiment (probability 0.5 or more); 3 other questions and
complaints, abuse and other queued messages; 4 praise, spam, off-topic and everything else.

Speed: the classifiers share one featurisation (:class:`govsocial.classify.multi.MultiScorer`),
and the patterns run on the case-folded text only when one of their trigger words is present;
``bench/triage_speed.py`` prints messages per second and the cost of each stage.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from govsocial.detectors.contact import find_contact, normalise_phone
from govsocial.detectors.identifiers import KINDS as IDENTIFIER_KINDS
from govsocial.detectors.identifiers import find_identifiers
from govsocial.errors import UsageError
from govsocial.inbox.houserules import DEFAULT_THRESHOLDS, HouseRule, HouseRules
from govsocial.inbox.language import detect_language
from govsocial.model import Post
from govsocial.rules.abu import AbusiveLanguage, HateSpeech, Threat, profanity_hits
from govsocial.rules.base import CheckEnv
from govsocial.rules.pol import political_lexicon
from govsocial.text import URL_RE, TermMatcher

__all__ = [
    "CATEGORIES",
    "ENGINE_VERSION",
    "Triage",
    "TriageInput",
    "fingerprint",
    "triage_many",
    "triage_one",
]

#: Bumped when a change to this module can change a triage for the same text and pack.
ENGINE_VERSION = "inbox-triage/1"

CATEGORIES = (
    "question",
    "complaint",
    "praise",
    "misinformation",
    "abuse",
    "crisis",
    "spam",
    "off_topic",
    "other",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class TriageInput:
    """One incoming message as the triage sees it."""

    text: str
    author: str = ""
    #: The channel's platform value ("mastodon", "bluesky", "x"...).
    platform: str = ""
    #: ``Incoming.kind`` (mention, reply, quote, comment...).
    kind: str = "mention"
    #: The author's current strikes (for the IN-13 block suggestion).
    author_strikes: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Triage:
    """What the triage decided for one message (see the module docstring)."""

    language: str
    category: str
    sentiment: str
    pii: bool
    pii_kinds: tuple[str, ...]
    priority: int
    action: str
    rule_code: str
    respond: bool
    strike: bool
    escalate: str
    template: str
    fingerprint: str
    scores: dict[str, float]
    reasons: tuple[str, ...]
    #: This strike brings the author to the pack's ``strikes_to_block`` (IN-13).
    suggest_block: bool = False

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form (tuples become lists)."""
        return {
            "language": self.language,
            "category": self.category,
            "sentiment": self.sentiment,
            "pii": self.pii,
            "pii_kinds": list(self.pii_kinds),
            "priority": self.priority,
            "action": self.action,
            "rule_code": self.rule_code,
            "respond": self.respond,
            "strike": self.strike,
            "escalate": self.escalate,
            "template": self.template,
            "fingerprint": self.fingerprint,
            "scores": dict(self.scores),
            "reasons": list(self.reasons),
            "suggest_block": self.suggest_block,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Triage:
        """The inverse of :meth:`as_dict`."""
        return cls(
            language=str(data["language"]),
            category=str(data["category"]),
            sentiment=str(data["sentiment"]),
            pii=bool(data["pii"]),
            pii_kinds=tuple(data["pii_kinds"]),
            priority=int(data["priority"]),
            action=str(data["action"]),
            rule_code=str(data["rule_code"]),
            respond=bool(data["respond"]),
            strike=bool(data["strike"]),
            escalate=str(data["escalate"]),
            template=str(data["template"]),
            fingerprint=str(data["fingerprint"]),
            scores={str(k): float(v) for k, v in data["scores"].items()},
            reasons=tuple(data["reasons"]),
            suggest_block=bool(data.get("suggest_block", False)),
        )


# --------------------------------------------------------------------------- fingerprint

_FP_DROP_RE = re.compile(r"(?:https?://|www\.)\S{0,2000}|(?<![\w@])@\w{1,64}(?:@[\w.-]{1,253})?")
_FP_NONWORD_RE = re.compile(r"[\W_]+")


def fingerprint(text: str) -> str:
    """32 hex characters of the normalised text: the same words from anyone match.

    Normalising: NFKC, case folded, links and @handles dropped, punctuation, emoji and runs of
    white space reduced to single spaces. A text that is nothing but links and handles keeps
    them (so two different bare links do not group together).
    """
    norm = (text if text.isascii() else unicodedata.normalize("NFKC", text)).casefold()
    bare = _FP_DROP_RE.sub(" ", norm) if ("@" in norm or "http" in norm or "www" in norm) else norm
    words = _FP_NONWORD_RE.sub(" ", bare).strip()
    if not words:
        words = " ".join(norm.split())
    return hashlib.blake2b(words.encode("utf-8"), digest_size=16).hexdigest()


# --------------------------------------------------------------------------- patterns


def _words(text: str) -> frozenset[str]:
    """A set of words written as one white-space separated string (easier to read and edit)."""
    return frozenset(text.split())


# Patterns run on the case-folded text (without IGNORECASE, which is several times slower), and
# only when one of their trigger words is in the message: most messages skip most patterns.


class _Msg:
    """One message's text, case-folded text and set of words (letters and digits, macrons folded)."""

    __slots__ = ("low", "post", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        self.low = text.casefold()
        self.words = frozenset(_WORD_RE.findall(_fold(self.low)))
        self.post = Post(text=text)


class _Pattern:
    """A lower-case pattern that runs only when one of ``triggers`` (words) is in the message."""

    __slots__ = ("rx", "triggers")

    def __init__(self, pattern: str, triggers: str) -> None:
        self.rx = re.compile(pattern)
        self.triggers = _words(triggers)

    def search(self, m: _Msg) -> re.Match[str] | None:
        if self.triggers.isdisjoint(m.words):
            return None
        return self.rx.search(m.low)


def _fold(low: str) -> str:
    """Accents and macrons removed (``ngā`` → ``nga``), for word look-ups."""
    if low.isascii():
        return low
    # Combining marks (and emoji, which hold no letters) fall away in the ASCII encoding.
    return unicodedata.normalize("NFKD", low).encode("ascii", "ignore").decode("ascii")


_WORD_RE = re.compile(r"[a-z0-9]{1,30}")

# Self-harm, or danger to life: crisis whatever the classifier says. First person where the
# words are also used about others ("suicide bomber", "stranded passengers" in the news).
_DANGER = _Pattern(
    r"\b(?:(?:i|i['’]m|i\s{1,3}am|we|we['’]re|we\s{1,3}are)\s{1,3}(?:(?:so|really|feeling|getting|being)\s{1,3}){0,2}"
    r"(?:suicidal|trapped|stranded|drowning|surrounded\s{1,3}by\s{1,3}(?:water|fire|flames))"
    r"|(?:i|i['’]m|i\s{1,3}am|i['’]ll)\s{1,3}(?:(?:going|gonna|want|wanna|about|thinking|planning)\s{1,3}(?:to\s{1,3}|of\s{1,3}|about\s{1,3})?)?"
    r"(?:kill(?:ing)?\s{1,3}my\s?self|end(?:ing)?\s{1,3}(?:it\s{1,3}all|my\s{1,3}life)|commit(?:ting)?\s{1,3}suicide"
    r"|tak(?:e|ing)\s{1,3}my\s{1,3}(?:own\s{1,3})?life|hurt(?:ing)?\s{1,3}my\s?self)"
    r"|(?:having|have|had|get|getting)\s{1,3}suicidal\s{1,3}thoughts|i\s{1,3}(?:just\s{1,3})?want\s{1,3}to\s{1,3}die"
    r"|(?:don['’]?t|do\s{1,3}not)\s{1,3}want\s{1,3}to\s{1,3}(?:live|be\s{1,3}alive)|self[-\s]?harm(?:ing)?"
    r"|(?:trapped|stuck)\s{1,3}(?:on|in)\s{1,3}(?:the|our|my)\s{1,3}(?:roof|attic|car|house|building)"
    r"|can['’]?t\s{1,3}breathe|(?:is|isn['’]t|not)\s{1,3}breathing|unconscious|water\s{1,3}(?:is\s{1,3})?rising"
    r"|(?:our|my)\s{1,3}(?:house|home|building|car)\s{1,3}(?:is\s{1,3})?on\s{1,3}fire"
    r"|(?:my|our)\s{1,3}(?:son|daughter|child|kid|baby|mum|mom|mother|dad|father|nan|granny|grandma|grandad|grandfather"
    r"|grandmother|wife|husband|partner|brother|sister)\s{1,3}(?:is|has\s{1,3}been|has\s{1,3}gone|went)\s{1,3}missing"
    r"|send\s{1,3}help|need\s{1,3}(?:an?\s{1,3})?(?:ambulance|rescue|rescuing)|(?:please|pls)\s{1,3}rescue"
    r"|this\s{1,3}is\s{1,3}an\s{1,3}emergency|it['’]?s\s{1,3}an\s{1,3}emergency)\b",
    "suicidal trapped stranded drowning surrounded kill killing end ending commit committing take taking hurt hurting die live alive harm selfharm stuck breathe breathing unconscious rising fire missing send ambulance rescue rescuing emergency",
)
# Calls for help that need the crisis model beside them: "help!" about a form is not a crisis.
_HELP = _Pattern(
    r"(?<![#\w])(?:help\s{0,2}!|help\s{1,3}(?:us|me)\s{1,3}(?:please|now|quick)|(?:please|pls|someone)\s{1,3}help"
    r"|need\s{1,3}(?:urgent|immediate|emergency)\s{1,3}help|need\s{1,3}help\s{1,3}(?:urgently|now|asap|immediately)"
    r"|urgent(?:ly)?\s{1,3}need|sos\b|mayday\b|no\s{1,3}(?:food|water|power)\s{1,3}(?:for|since))",
    "help sos mayday urgent urgently food water power",
)
# Waiting and being let down, in the words people complain with: with the complaint model at
# least at the "possible complaint" bar, these make a complaint even when the sentiment model
# reads the message as neutral ("Still waiting for my refund, it has been 6 weeks").
_COMPLAINT_CUE = _Pattern(
    r"\b(?:still\s{1,3}(?:waiting|not|no|haven['’]?t|hasn['’]?t|can['’]?t|nothing)|waiting\s{1,3}(?:for|since|on)"
    r"|(?:no\s?one|nobody)\s{1,3}(?:has\s{1,3})?(?:replied|answered|responded|got\s{1,3}back|called|rung)"
    r"|(?:on\s{1,3}hold|been\s{1,3}waiting)|not\s{1,3}good\s{1,3}enough|(?:weeks|months)\s{1,3}(?:now|later|ago)"
    r"|(?:hasn['’]?t|has\s{1,3}not|haven['’]?t|have\s{1,3}not|never)\s{1,3}(?:been\s{1,3})?(?:arrived|come|collected"
    r"|fixed|replied|answered|paid|processed|returned)|disappointed|unacceptable|fed\s{1,3}up|sick\s{1,3}of)\b",
    "still waiting nobody noone no hold been good weeks months hasn hasnt has haven havent have never disappointed unacceptable fed sick",
)
_CRISIS_CLASSES = ("requests_or_urgent_needs", "injured_or_dead_people", "missing_or_found_people")

# Matched at the start of each sentence (after @handles and a greeting), which is much cheaper
# than searching the whole text for a sentence start.
_SENTENCE_SPLIT_RE = re.compile(r"[.!?\n]+")
_QUESTION_STRONG_RE = re.compile(
    r"\s{0,3}(?:@\w{1,64}\s{1,3}){0,8}(?:(?:hi|hello|kia\s{1,3}ora|hey|morena)\b[,!.\s]{0,3})?(?:how\s{1,3}(?:do|can|long|much|soon)\s{1,3}\w|"
    r"where\s{1,3}(?:can|do|should|is|are)\s{1,3}\w|when\s{1,3}(?:will|does|do|is|are|can)\s{1,3}\w|"
    r"what\s{1,3}(?:time|is\s{1,3}the|are\s{1,3}the|do\s{1,3}i|should\s{1,3}i)\b|"
    r"(?:can|could|may|should|do|does|will)\s{1,3}(?:i|we|you|anyone|someone)\s{1,3}\w|"
    r"is\s{1,3}(?:there|it\s{1,3}(?:possible|true|safe|ok))\b|are\s{1,3}there\b|"
    r"(?:does|do)\s{1,3}anyone\s{1,3}know|any\s{1,3}(?:update|news|word)\s{1,3}on\b|i\s{1,3}(?:was|am)\s{1,3}wondering)",
)
_LEADING_HANDLES_RE = re.compile(r"^(?:\s{0,3}@\w{1,64})+")
_QUESTION_MARK_RE = re.compile(r"\?(?!\S*(?:=|&|/))")
_QUESTION_OPEN_RE = re.compile(
    r"^\s{0,3}(?:how|what|when|where|why|who|which|can|could|will|would|is|are|do|does|did|should|may|has|have)\s"
)

# Spam and promotion: each pattern is one independent signal.
_CRYPTO = _Pattern(
    r"\b(?:bitcoin|btc|crypto(?:currency|currencies)?|forex|binary\s{1,3}options?|airdrop|nft\s{1,3}drop"
    r"|passive\s{1,3}income|double\s{1,3}your\s{1,3}(?:money|investment|bitcoin)|investment\s{1,3}(?:plan|opportunit\w+|platform)"
    r"|trading\s{1,3}(?:expert|account|platform|signals)|recover\s{1,3}(?:your\s{1,3})?(?:lost|stolen)\s{1,3}(?:funds|money|crypto)"
    r"|(?:earn|make)\s{1,3}[$£€]?\d[\d,]{0,8}k?\s{0,3}(?:a|per|every)\s{1,3}(?:day|week|month)"
    r"|work\s{1,3}from\s{1,3}home\s{1,3}(?:and|to)\s{1,3}(?:earn|make))\b",
    "bitcoin btc crypto cryptocurrency cryptocurrencies forex binary airdrop nft passive double investment trading recover earn make work",
)
_CONTACT_PITCH = _Pattern(
    r"\b(?:dm\s{1,3}me|inbox\s{1,3}me|message\s{1,3}me\s{1,3}(?:on|via)|(?:whats\s?app|telegram|wickr|signal)\s{0,3}(?:me|:|\+|on\b|number)"
    r"|contact\s{1,3}(?:him|her|them)\s{1,3}(?:on|via)|link\s{1,3}in\s{1,3}(?:my\s{1,3})?bio|check\s{1,3}out\s{1,3}my"
    r"|follow\s{1,3}(?:me|my\s{1,3}page)|subscribe\s{1,3}to\s{1,3}my|visit\s{1,3}my\s{1,3}(?:website|site|shop|store|page))\b",
    "dm inbox message whatsapp whats telegram wickr signal contact link check follow subscribe visit",
)
_COMMERCE = _Pattern(
    r"\b(?:buy\s{1,3}now|order\s{1,3}now|shop\s{1,3}now|promo\s{1,3}code|discount\s{1,3}code|use\s{1,3}(?:my\s{1,3})?code"
    r"|\d{1,2}\s{0,2}%\s{1,3}off|free\s{1,3}shipping|limited\s{1,3}(?:time\s{1,3})?offer|best\s{1,3}prices?"
    r"|cheap\s{1,3}(?:pills|meds|viagra|followers|likes)|buy\s{1,3}(?:followers|likes|views)"
    r"|win\s{1,3}a\s{1,3}free|online\s{1,3}casino|betting\s{1,3}tips|loans?\s{1,3}approved|guaranteed\s{1,3}(?:profit|returns|loan))\b",
    "buy order shop promo discount use off free limited best cheap win online betting loan loans guaranteed",
)
_DONATION = _Pattern(
    r"\b(?:gofundme|go\s{1,3}fund\s{1,3}me|givealittle|just\s?giving|paypal\.me|cash\s?app|venmo"
    r"|(?:please\s{1,3})?donate\s{1,3}(?:now|here|to\s{1,3}(?:my|our|me))|support\s{1,3}my\s{1,3}(?:fundraiser|campaign|page))\b",
    "gofundme go givealittle justgiving just paypal cash cashapp venmo donate support",
)
# The misinformation model learnt COVID-19 health claims of 2020 and calls most other text
# "misinformation" (it never saw it): it is asked only about health and science claims.
_HEALTH_WORDS = _words(
    """vaccine vaccines vaccinated vaccination vaccinations vax vaxx vaxxed unvaccinated antivax jab jabs covid
    covid19 coronavirus corona virus viruses pandemic plandemic epidemic outbreak 5g mask masks cure cures cured
    immunity immune ivermectin hydroxychloroquine bleach chemtrails chemtrail fluoride autism microchip microchips
    hoax bioweapon cancer garlic vitamin injection booster boosters mrna dna pfizer moderna astrazeneca
    infection infections infected contagious quarantine lockdown lockdowns measles polio flu influenza
    pharma pharmaceutical medicine medicines drug drugs remedy remedies herbal toxins toxic detox symptoms
    disease diseases doctors cdc depopulation sterility infertility spike"""
)
_HASHTAG_RE = re.compile(r"(?<![\w#&])#\w")
_MENTION_RE = re.compile(r"(?<![\w@])@\w")

_THANKS = _Pattern(
    r"\b(?:thank(?:s|\s{1,3}you|\s{1,3}u)|thx|ty|cheers|much\s{1,3}appreciated|appreciate\s{1,3}(?:it|this|you|the)"
    r"|great\s{1,3}(?:work|job|service|news|initiative|idea|post|team)|well\s{1,3}done|good\s{1,3}(?:job|work|on\s{1,3}you)"
    r"|awesome|brilliant|fantastic|amazing|excellent|love\s{1,3}(?:this|it|that)|legends?|kudos|bravo|ka\s{1,3}pai"
    r"|kia\s{1,3}kaha|ngā\s{1,3}mihi|nga\s{1,3}mihi|so\s{1,3}helpful|very\s{1,3}helpful)\b",
    "thank thanks thx ty cheers much appreciate great well good awesome brilliant fantastic amazing excellent love legend legends kudos bravo ka kia nga so very",
)
_OFF_TOPIC = _Pattern(
    r"(?:^\s{0,3}first\s{0,3}!*\s{0,3}$|\bfirst\s{1,3}comment\b|\bfollow\s{1,3}back\b|\bf4f\b|\bfollow\s?4\s?follow\b"
    r"|\b(?:off[-\s]topic|unrelated|not\s{1,3}related)\s{1,3}but\b|\bwho(?:['’]s|\s{1,3}is)\s{1,3}(?:here|watching)\s{1,3}(?:in|from)\b)",
    "first follow f4f follow4follow off topic unrelated related who whos",
)
# Insult nouns aimed at people. Criticism adjectives ("useless", "incompetent") addressed to an
# agency are criticism (IN-15), not abuse, so an insult needs one of these.
_INSULT_NOUNS = _words("""idiot idiots moron morons imbecile imbeciles cretin cretins halfwit halfwits dimwit dimwits nitwit nitwits
    loser losers clown clowns muppet muppets numpty numpties scumbag scumbags scum lowlife lowlifes freak freaks
    degenerate degenerates parasite parasites pig pigs waste shut""")
# Whom criticism is aimed at: a negative message naming one of these is criticism (IN-15).
_CRITICISED = _words(
    """you your youre ur u government govt minister ministers ministry council councillors councils mayor mp mps
    premier pm department agency agencies officials politicians cabinet parliament service services policy
    policies decision decisions rules law laws tax taxes staff"""
)
# Swearing with a high abuse score is abuse (IN-02) when it is aimed at someone, else swearing (IN-03).
_PERSON_WORDS = _words("you your youre ur u ya yall he she they them him her his their minister mayor staff people")
_DIGIT_RE = re.compile(r"\d")
_EMAIL_HINT_RE = re.compile(r"@[\w-]{1,253}\.\w")
_HASHTAG_WORD_RE = re.compile(r"(?<![\w#&])#(\w{1,140})")
# Electioneering without a name ("vote them out", "re-elect her", "donate to the campaign").
_VOTE_WORDS = _words("vote votes voted voting elect reelect re campaign ticks")
_VOTE_TAG_PREFIXES = ("vote", "partyvote", "twoticks", "backthe", "putlast")
_SUSPICIOUS_LINK_RE = re.compile(
    r"(?:https?://|www\.)(?:[^/\s@]{1,100}@|\d{1,3}(?:\.\d{1,3}){3}(?:[:/]|\s|$)|[^/\s]{0,100}xn--)"
)

_CONTACT_PII = {
    "email": "email address",
    "phone": "phone number",
    "address": "street address",
    "dob": "date of birth",
    "case_number": "case or claim number",
}
#: Identifier kinds that are not personal information (public registers) or not the author's.
_NOT_PII = frozenset({"au_abn", "ip_address"})
_PII_MIN_SCORE = 0.7

_TASKS = ("abuse", "complaint", "misinformation", "partisan", "crisis", "sentiment")
_CLEARLY_NEGATIVE = 0.5
_ACTION_RANK = {"leave": 0, "queue": 1, "hide": 2}
# Among hits with the same action, the rule cited first (the most serious concern).
_CODE_ORDER = ("IN-01", "IN-02", "IN-04", "IN-12", "IN-11", "IN-06", "IN-05", "IN-03", "IN-07", "IN-10", "IN-08")


# --------------------------------------------------------------------------- per-pack data


@dataclass(frozen=True, slots=True)
class _PackData:
    """What the triage compiles from a pack's options once."""

    lexicon: Any
    #: A party, politician or slogan can only be named when one of these words is in a message.
    politics_words: frozenset[str]
    hashtags: frozenset[str]
    staff: TermMatcher
    suppressed: TermMatcher
    handles: frozenset[str]
    name_keys: tuple[str, ...]
    numbers: frozenset[str]
    domains: tuple[str, ...]
    addresses: tuple[str, ...]
    #: The house rules' classifier bars and rules by code, looked up once per message.
    bars: Mapping[str, float]
    by_code: Mapping[str, HouseRule]


def _compact(value: str) -> str:
    return re.sub(r"[^0-9a-z]", "", value.casefold())


def _strings(options: Mapping[str, Any], key: str) -> list[str]:
    value = options.get(key) or []
    if isinstance(value, str):
        value = [value]
    return [str(v).strip() for v in value if str(v).strip()]


_PACK_DATA: dict[str, _PackData] = {}


def _pack_data(rules: HouseRules) -> _PackData:
    hit = _PACK_DATA.get(rules.pack)
    if hit is not None:
        return hit
    opts = rules.options
    spokes = {" ".join(s.casefold().split()) for s in _strings(opts, "spokespeople")}
    staff = [s for s in _strings(opts, "staff_names") if " ".join(s.casefold().split()) not in spokes]
    numbers = set()
    for n in _strings(opts, "agency_numbers"):
        e164 = normalise_phone(n)
        numbers.add(e164 or re.sub(r"\D", "", n))
    handles = frozenset(_compact(h.lstrip("@").split("@")[0]) for h in _strings(opts, "agency_handles"))
    names = tuple(k for k in {_compact(n) for n in _strings(opts, "agency_names")} | set(handles) if len(k) >= 5)
    key_words = set(_VOTE_WORDS)
    for key in ("parties", "party_short_names", "politicians", "ministers", "party_slogans"):
        for term in _strings(opts, key):
            found = _WORD_RE.findall(_fold(term.casefold()))
            if found:
                # Every word of a term must be in a message that names it: the longest is the rarest.
                key_words.add(max(found, key=len))
    data = _PackData(
        lexicon=political_lexicon(opts),
        politics_words=frozenset(key_words),
        hashtags=frozenset(_compact(h) for h in _strings(opts, "party_hashtags")),
        staff=TermMatcher(staff, fold_macrons=True),
        suppressed=TermMatcher(_strings(opts, "suppressed_names"), fold_macrons=True),
        handles=handles,
        name_keys=names,
        numbers=frozenset(numbers),
        domains=tuple(d.casefold().removeprefix("www.") for d in _strings(opts, "agency_domains")),
        addresses=tuple(" ".join(a.casefold().split()) for a in _strings(opts, "agency_addresses")),
        bars={name: rules.threshold(name) for name in DEFAULT_THRESHOLDS},
        by_code={r.code: r for r in rules.rules},
    )
    if len(_PACK_DATA) > 64:
        _PACK_DATA.clear()
    _PACK_DATA[rules.pack] = data
    return data


# --------------------------------------------------------------------------- classifiers


@lru_cache(maxsize=1)
def _scorer() -> tuple[Any, tuple[str, ...]]:
    """The shared fast-tier scorer over the tasks whose models are installed."""
    from govsocial.classify import get_classifier
    from govsocial.classify.multi import multi_scorer

    available = []
    for task in _TASKS:
        try:
            get_classifier(task)
        except UsageError:  # a slim install without this model: triage without it
            continue
        available.append(task)
    return multi_scorer(tuple(available)), tuple(available)


@lru_cache(maxsize=8)
def _labels(task: str) -> tuple[str, ...]:
    from govsocial.classify import get_classifier

    return get_classifier(task).labels


@lru_cache(maxsize=8)
def _decision(task: str) -> float:
    from govsocial.classify import get_classifier

    threshold = get_classifier(task).threshold
    return 0.5 if threshold is None else float(threshold)


def _scores(texts: Sequence[str]) -> list[dict[str, float]]:
    scorer, tasks = _scorer()
    n = len(texts)
    out: list[dict[str, float]] = [{} for _ in range(n)]
    if not n or not tasks:
        return out
    probs = scorer.predict_proba(texts)
    columns: dict[str, np.ndarray] = {}
    for task in ("abuse", "complaint", "misinformation", "partisan"):
        if task in probs:
            columns[task] = probs[task][:, 0]
    if "crisis" in probs:
        labels = _labels("crisis")
        cols = [labels.index(c) for c in _CRISIS_CLASSES]
        columns["crisis"] = probs["crisis"][:, cols].sum(axis=1)
    if "sentiment" in probs:
        for j, label in enumerate(_labels("sentiment")):
            columns[label] = probs["sentiment"][:, j]
    names = list(columns)
    matrix = np.round(np.stack([columns[k] for k in names], axis=1), 3).tolist()
    for i in range(n):
        out[i] = dict(zip(names, matrix[i], strict=True))
    return out


# --------------------------------------------------------------------------- signals


class _Env(CheckEnv):
    """A rule environment whose classifier scores are already known (no second scoring)."""

    __slots__ = ("_given",)

    def __init__(self, post: Post, given: Mapping[str, float]) -> None:
        super().__init__(post=post, options={}, election=False, linked_to_employer=False)
        self._given = given

    def score(self, task: str, field_name: str = "text") -> float:
        return float(self._given.get(task, 0.0))


# Only the insult patterns of ABU101 are wanted here: its classifier part is switched off.
_INSULTS = AbusiveLanguage({"threshold": 2.0, "prefilter": True})
_HATE = HateSpeech()
_THREAT = Threat()


@dataclass(slots=True)
class _Hit:
    code: str
    reason: str
    cap: str = "hide"  # the most this concern may do, whatever the pack says
    escalate: str = ""
    protectable: bool = True  # a question or complaint turns its hide into a queue


@dataclass(slots=True)
class _Found:
    pii: list[str] = field(default_factory=list)
    pii_reasons: list[str] = field(default_factory=list)
    threat: str = ""
    hate: str = ""
    insult: bool = False
    swear: str = ""


def _pii(m: _Msg, pack: _PackData, found: _Found) -> None:
    text = m.text
    has_digit = _DIGIT_RE.search(text) is not None
    if not has_digit and _EMAIL_HINT_RE.search(text) is None:
        return  # no digit and no "@name.domain": no contact detail (an @handle is none)
    post = m.post
    for sig in find_contact(post):
        kind = sig.kind
        if kind not in _CONTACT_PII or sig.score < _PII_MIN_SCORE:
            continue
        ev = sig.evidence
        if kind == "phone":
            if ev.get("non_personal"):
                continue
            e164 = ev.get("e164") or normalise_phone(sig.value) or re.sub(r"\D", "", sig.value)
            if e164 in pack.numbers:
                continue
        elif kind == "email":
            domain = str(ev.get("domain", "")).casefold()
            if ev.get("role") or ev.get("government") or any(domain.endswith(d) for d in pack.domains if d):
                continue
        elif kind == "address":
            value = " ".join(sig.value.casefold().split())
            if any(a and (a in value or value in a) for a in pack.addresses):
                continue
        if kind not in found.pii:
            found.pii.append(kind)
            found.pii_reasons.append(_CONTACT_PII[kind])
    if not has_digit:  # every identifier has digits
        return
    for sig in find_identifiers(post):
        if sig.kind in _NOT_PII or sig.score < _PII_MIN_SCORE or sig.evidence.get("test_reserved"):
            continue
        if sig.kind not in found.pii:
            found.pii.append(sig.kind)
            found.pii_reasons.append(IDENTIFIER_KINDS.get(sig.kind, sig.kind.replace("_", " ")))


def _abuse_words(m: _Msg, scores: Mapping[str, float], found: _Found) -> None:
    text, post = m.text, m.post
    env = _Env(post, scores)
    for hit in _THREAT.check(post, env):
        found.threat = hit.message.removeprefix("The post ").rstrip(".")
        break
    for hit in _HATE.check(post, env):
        found.hate = hit.message.rstrip(".")
        break
    # Only insults with an insult noun count (see _INSULT_NOUNS): without one, nothing to look for.
    if not _INSULT_NOUNS.isdisjoint(m.words):
        for hit in _INSULTS.check(post, env):
            span = text[hit.start or 0 : hit.end or len(text)].casefold()
            if not _INSULT_NOUNS.isdisjoint(_WORD_RE.findall(span)):
                found.insult = True
                break
    for word in profanity_hits(text):
        if word.tier != "mild":  # "bloody", "crap": common in complaints, left up
            found.swear = word.tier
            break


def _spam_signals(m: _Msg) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(code, reason)`` per independent signal: promotion (IN-06), then the weaker spam signs (IN-05)."""
    text = m.text
    strong: list[tuple[str, str]] = []
    weak: list[tuple[str, str]] = []
    if _CRYPTO.search(m):
        strong.append(("IN-06", "investment or crypto pitch"))
    if _COMMERCE.search(m):
        strong.append(("IN-06", "advertising"))
    if _DONATION.search(m):
        strong.append(("IN-06", "asks for money or donations"))
    if _CONTACT_PITCH.search(m):
        weak.append(("IN-05", "asks people to contact or follow the author elsewhere"))
    # str.count first: most messages have far fewer than ten "#" or "@" and skip the patterns.
    if text.count("#") >= 10 or text.count("@") >= 10:
        tags = len(_HASHTAG_RE.findall(text)) if text.count("#") >= 10 else 0
        handles = len(_MENTION_RE.findall(text)) if text.count("@") >= 10 else 0
        words = len(m.words)
        # Agencies tag partners and campaigns; stuffing is when tags outnumber the words around them.
        if tags >= 10 and 2 * tags >= words:
            weak.append(("IN-05", "hashtag stuffing"))
        if handles >= 10 and 2 * handles >= words:
            weak.append(("IN-05", "mass mentions"))
    if any(len(set(w)) == 1 for w in [w for w in m.words if len(w) >= 10]):
        weak.append(("IN-05", "long run of one repeated letter"))
    if text.count("http") + text.count("www") >= 4 and len(URL_RE.findall(text)) >= 4:
        weak.append(("IN-05", "many links"))
    return strong, weak


def _is_question(m: _Msg) -> tuple[bool, bool]:
    """(explicitly asks for information, is a question at all)."""
    low = m.low
    match = _QUESTION_STRONG_RE.match
    if any(match(piece) for piece in _SENTENCE_SPLIT_RE.split(low)):
        return True, True
    if "?" in low:
        bare = URL_RE.sub(" ", low) if ("http" in low or "www" in low) else low
        if _QUESTION_MARK_RE.search(bare):
            return False, True
    return False, _QUESTION_OPEN_RE.match(_LEADING_HANDLES_RE.sub("", low)) is not None


def _politics(m: _Msg, rules: HouseRules, pack: _PackData, partisan: float) -> str:
    """Why IN-07 applies, or ``""``."""
    if pack.politics_words.isdisjoint(m.words) and not (
        "#" in m.text and any(_campaign_tag(t, pack) for t in _HASHTAG_WORD_RE.findall(m.low))
    ):
        return ""  # no word of any party, politician, slogan or vote: nothing to find
    text = m.text
    lex = pack.lexicon
    electioneering = lex.electioneering(text)
    if electioneering:
        return f"electioneering: {electioneering[0][2]}"
    mentions = lex.mentions(text)
    if not mentions:
        return ""
    if rules.political_scope == "parties":
        for x in mentions:
            if x.kind == "party":
                return f"names the party {x.label} (this page is not political)"
            if not x.minister:
                return f"names the politician {x.label} (this page is not political)"
        return ""
    bar = pack.bars["partisan"]
    if partisan >= bar and any(x.kind == "party" for x in mentions):
        return f"party-political bias (partisan score {partisan:.2f} ≥ {bar:.2f})"
    return ""


def _campaign_tag(tag: str, pack: _PackData) -> bool:
    key = _compact(tag)
    return key in pack.hashtags or key.startswith(_VOTE_TAG_PREFIXES)


def _impersonates(author: str, pack: _PackData) -> bool:
    if not author or not pack.name_keys:
        return False
    key = _compact(author.lstrip("@").split("@")[0])
    if not key or key in pack.handles:
        return False
    return any(name in key for name in pack.name_keys)


# --------------------------------------------------------------------------- deciding


def _one(item: TriageInput, scores: dict[str, float], rules: HouseRules, pack: _PackData) -> Triage:
    text = item.text
    m = _Msg(text)
    found = _Found()
    reasons: list[str] = []
    hits: list[_Hit] = []

    language = detect_language(text)
    sentiment = "neutral"
    if "negative" in scores:
        neg, neu, pos = scores["negative"], scores["neutral"], scores["positive"]
        sentiment = "negative" if neg >= neu and neg >= pos else ("positive" if pos > neu else "neutral")
    abuse = scores.get("abuse", 0.0)
    complaint_p = scores.get("complaint", 0.0)
    misinformation = scores.get("misinformation", 0.0)
    crisis_p = scores.get("crisis", 0.0)

    _pii(m, pack, found)
    _abuse_words(m, scores, found)
    strong_spam, weak_spam = _spam_signals(m)
    spam = strong_spam + weak_spam if (strong_spam or len(weak_spam) >= 2) else []
    explicit_q, any_q = _is_question(m)

    # -- crisis
    danger = _DANGER.search(m)
    help_call = _HELP.search(m) if danger is None else None
    crisis_bar = pack.bars["crisis"]
    crisis = danger is not None or (help_call is not None and crisis_p >= crisis_bar)
    if danger is not None:
        reasons.append(f"urgent: “{danger.group(0).strip()}”")
    elif crisis:
        reasons.append(f"urgent need (crisis score {crisis_p:.2f} ≥ {crisis_bar:.2f}) and a call for help")

    # -- abuse
    abuse_bar = pack.bars["abuse"]
    alone_bar = pack.bars["abuse_alone"]
    if found.threat:
        hits.append(_Hit("IN-02", found.threat, escalate="police", protectable=False))
    if found.hate:
        hits.append(_Hit("IN-02", found.hate))
    if found.insult:
        hits.append(_Hit("IN-02", "insults a person"))
    elif abuse >= abuse_bar and found.swear and not _PERSON_WORDS.isdisjoint(m.words):
        hits.append(_Hit("IN-02", f"abuse score {abuse:.2f} ≥ {abuse_bar:.2f} with swearing at a person"))
    elif abuse >= alone_bar and not found.hate:
        hits.append(_Hit("IN-02", f"abuse score {abuse:.2f} ≥ {alone_bar:.2f} (classifier only)", cap="queue"))
    abusive = bool(hits)
    if found.swear:
        hits.append(_Hit("IN-03", f"swearing ({found.swear})"))

    # -- spam and promotion
    for code, why in spam:
        hits.append(_Hit(code, why))
    if ("http" in m.low or "www" in m.low) and _SUSPICIOUS_LINK_RE.search(m.low):
        hits.append(
            _Hit("IN-11", "link to a raw IP address, a disguised host or an internationalised look-alike domain")
        )

    # -- category (decision order in the module docstring)
    complaint_bar = _decision("complaint") if "complaint" in scores else 1.1
    misinfo_bar = pack.bars["misinformation"]
    claim = misinformation >= misinfo_bar and not _HEALTH_WORDS.isdisjoint(m.words)
    if crisis:
        category = "crisis"
    elif found.threat:
        category = "abuse"
    elif strong_spam and len(spam) >= 2:
        category = "spam"
    elif explicit_q:
        category = "question"
    elif complaint_p >= complaint_bar and (sentiment == "negative" or complaint_p >= pack.bars["complaint"]):
        category = "complaint"
    elif complaint_p >= pack.bars["complaint_protect"] and _COMPLAINT_CUE.search(m) is not None:
        category = "complaint"
        reasons.append(f"complaint words and complaint score {complaint_p:.2f}")
    elif any_q:
        category = "question"
    elif abusive:
        category = "abuse"
    elif spam:
        category = "spam"
    elif claim:
        category = "misinformation"
    elif (sentiment != "negative" and _THANKS.search(m)) or scores.get("positive", 0.0) >= 0.8:
        category = "praise"
    elif _OFF_TOPIC.search(m):
        category = "off_topic"
        hits.append(_Hit("IN-05", "off-topic chatter", cap="queue"))
    else:
        category = "other"

    # -- the remaining house-rule concerns
    if claim:
        hits.append(_Hit("IN-08", f"misinformation score {misinformation:.2f} ≥ {misinfo_bar:.2f}"))
    political = _politics(m, rules, pack, scores.get("partisan", 0.0))
    if political:
        hits.append(_Hit("IN-07", political))
    if pack.staff:
        staff = pack.staff.search(text)
        if staff is not None and not _is_author(staff.entry, item.author):
            hits.append(_Hit("IN-10", "names a member of staff"))
    if pack.suppressed and pack.suppressed.search(text) is not None:
        hits.append(_Hit("IN-04", "names someone under a court suppression order", escalate="legal", protectable=False))
    if _impersonates(item.author, pack):
        hits.append(
            _Hit(
                "IN-12", "the author's name looks like the agency's own account", escalate="platform", protectable=False
            )
        )
    if found.pii:
        hits.append(_Hit("IN-01", "personal information: " + ", ".join(found.pii_reasons), protectable=False))

    # -- action: the most severe hit, after the protections (module docstring)
    protect_bar = pack.bars["complaint_protect"]
    legit = category in ("question", "complaint") or (category != "spam" and (any_q or complaint_p >= protect_bar))
    action, rule_code, escalate, chosen = "leave", "", "", None
    best = (-1, 0)
    for hit in hits:
        act = pack.by_code[hit.code].action
        if _ACTION_RANK[act] > _ACTION_RANK[hit.cap]:
            act = hit.cap
        note = ""
        if hit.protectable and crisis and act != "leave":
            act, note = "leave", "; left up: an urgent message is answered first"
        elif hit.protectable and legit and act == "hide":
            act, note = "queue", "; a question or complaint is never hidden for this: a moderator decides"
        reasons.append(f"{hit.code}: {hit.reason}{note}")
        rank = (_ACTION_RANK[act], -_CODE_ORDER.index(hit.code) if hit.code in _CODE_ORDER else -99)
        if act != "leave" and rank > best:
            best, action, rule_code, chosen = rank, act, hit.code, hit
        if hit.escalate and not escalate and act != "leave":
            escalate = hit.escalate
    if found.threat:
        escalate = "police"
    elif crisis and escalate != "police":
        escalate = "emergency"

    if rule_code == "" and category != "crisis":
        if category in ("question", "complaint"):
            rule_code = "IN-14"
        elif (sentiment == "negative" or complaint_p >= protect_bar) and not _CRITICISED.isdisjoint(m.words):
            rule_code = "IN-15"
    strike = action == "hide" and chosen is not None and pack.by_code[chosen.code].strike
    suggest_block = strike and item.author_strikes + 1 >= rules.strikes_to_block
    if suggest_block:
        reasons.append(
            f"IN-13: strike {item.author_strikes + 1} of {rules.strikes_to_block}; a block may be due "
            f"(with a recorded reason and a review in {rules.block_review_days} days)"
        )

    pii = bool(found.pii)
    misinfo_hit = any(h.code == "IN-08" for h in hits)
    respond = pii or crisis or category in ("question", "complaint", "misinformation")
    if crisis:
        template = "crisis"
    elif pii:
        template = "take_offline"
    elif misinfo_hit and respond:
        template = "correction"
    elif category == "complaint":
        template = "complaint"
    elif category == "question":
        template = "general"
    elif action == "hide" and category not in ("spam",) and rule_code not in ("IN-05", "IN-06", "IN-11", "IN-12"):
        template = "removal_notice"
    else:
        template = ""

    if crisis or found.threat or pii:
        priority = 1
    elif category == "misinformation" or (
        # Clearly negative: the sentiment model's decision leans negative on many plain questions.
        category in ("question", "complaint") and scores.get("negative", 0.0) >= _CLEARLY_NEGATIVE
    ):
        priority = 2
    elif category in ("question", "complaint", "abuse") or (action == "queue" and category != "off_topic"):
        priority = 3
    else:
        priority = 4

    if category in ("question", "complaint"):
        reasons.append(f"IN-14: a {category} enters the response queue")
    if rule_code == "IN-15":
        reasons.append("IN-15: criticism is never a reason to hide")
    return Triage(
        language=language,
        category=category,
        sentiment=sentiment,
        pii=pii,
        pii_kinds=tuple(found.pii),
        priority=priority,
        action=action,
        rule_code=rule_code,
        respond=respond,
        strike=strike,
        escalate=escalate,
        template=template,
        fingerprint=fingerprint(text),
        scores=scores,
        reasons=tuple(reasons),
        suggest_block=suggest_block,
    )


def _is_author(name: str, author: str) -> bool:
    """Whether a staff name found is the author's own (people may sign their own messages)."""
    return bool(author) and _compact(name) == _compact(author)


def triage_many(items: Sequence[TriageInput], *, rules: HouseRules) -> list[Triage]:
    """Triage a batch: one result per item, in order (classifiers run once over the batch)."""
    if not items:
        return []
    pack = _pack_data(rules)
    texts = [it.text for it in items]
    all_scores = _scores(texts)
    return [_one(it, sc, rules, pack) for it, sc in zip(items, all_scores, strict=True)]


def triage_one(item: TriageInput | str, *, rules: HouseRules) -> Triage:
    """Triage one message (a batch of one; use :func:`triage_many` for throughput)."""
    if isinstance(item, str):
        item = TriageInput(text=item)
    return triage_many([item], rules=rules)[0]
