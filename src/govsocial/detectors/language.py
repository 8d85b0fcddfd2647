"""Language of a post (English, te reo Māori, other) and the word knowledge behind it.

```
detect_language(text)
 ├─ strip links, @mentions, #hashtags; letters-only tokens
 ├─ mostly non-Latin script ─────────────────────────────► "other"
 ├─ cheap cues: Māori words (list, macrons) vs English words (SCOWL list)
 │    Māori cues ≥ English words ──► lingua (English vs Māori only) ──► "mi" | "en"
 ├─ few English words among many tokens ──────────────────► "other"
 └─ otherwise ────────────────────────────────────────────► "en"
```

``lingua`` is asked only when the cheap cues point to Māori, so the usual English post costs a
tokenisation and some set look-ups. A greeting in an English post ("Kia ora koutou, ...") keeps the
post English; rules that only make sense for English (readability, sentence length, acronyms,
hashtag word splitting) skip posts that are not ``"en"``.

The same module answers word questions for those rules:

- :func:`is_maori_word`: a te reo Māori word (a macron, a common word, or the shape of a Māori
  place name). Such words are never "hard words", misspellings or acronyms.
- :func:`english_tier` / :func:`is_english_word`: whether a word is in the shipped English word
  list (``govsocial/data/en_words.txt.gz``, from SCOWL; tier 1 is the most common words).
- :func:`segment`: split a run of letters such as ``vaccineupdate`` into English words.
"""

from __future__ import annotations

import gzip
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from govsocial.detectors.base import Signal, detector
from govsocial.model import Post

__all__ = [
    "MAORI_WORDS",
    "detect_language",
    "english_tier",
    "english_words",
    "is_english_word",
    "is_maori_word",
    "maori_word_share",
    "segment",
]


def _words(text: str) -> frozenset[str]:
    """A set of words written as one white-space separated string (easier to read and edit)."""
    return frozenset(text.split())


# Common te reo Māori words seen in New Zealand public-sector posts: greetings and sign-offs,
# people and kinship, places and nature, concepts and values, days and months, numbers and
# function words. Spellings without macrons are added automatically below.
_MAORI_TEXT = """
kia ora koutou katoa kōrua korua tēnā koe mōrena ata mārie pō mārie hei konā rā kite anō āpōpō
nau mai haere whakatau mihi mihimihi ngā nui aroha nāku noa nā mā mō nō tō tōku tāku tā tāu tōu
ā anō rā nei hoki ai ake tonu atu ana kei ko he ki te o i e me
whānau whanaunga hapū iwi marae hui hākari kai karakia waiata haka pōwhiri pōhiri whakataukī
whakatauākī kaupapa tikanga mātauranga taonga mana mauri wairua manaakitanga whanaungatanga
kaitiakitanga kotahitanga rangatiratanga tino rangatira ariki kaumātua kuia koroua koro tamariki
tamaiti rangatahi mokopuna pēpi tāne wahine wāhine tangata tāngata whenua hapori kāinga whare
wharenui wharekai wharekura kura kōhanga reo wānanga ako akoranga kaiako tauira mahi kaimahi
kaiārahi kaiwhakahaere tohunga tautoko pānui pūrongo hauora oranga ora pūtea moni rohe tāone
taone motu moana maunga awa roto wai waka wairere ngahere puke pā papa rangi ranginui papatūānuku
tangaroa tāne tāwhirimātea rongo tūmatauenga haumia whetū marama rā raumati ngahuru makariri kōanga
aotearoa matariki puanga waitangi tiriti māori pākehā tauiwi kiwi pounamu pōneke tāmaki
whakapapa tūpuna tupuna tīpuna tipuna tuakana teina pou tohu tapu noa utu koha hongi hariru
kōrero korero kapa kīwaha pātai whakaaro whakamārama whakapai whakanui whakamaumahara
mānawatia manawa ngākau pai rawa tino ka kia kaha kino hōu hou tawhito kaupeka
rāhina rātū rāapa rāpare rāmere rāhoroi rātapu kohitātea huitanguru poutūterangi paengawhāwhā
haratua pipiri hōngongoi hereturikōkā mahuru whiringa ā-nuku ā-rangi hakihea
tahi rua toru whā rima ono whitu waru iwa tekau rau mano
wiki tau marama hāora meneti inanahi āianei ināianei
ngāi ngāti ngati tahu waikato tainui tūhoe te arawa kahungunu raukawa porou whātua whatua
kāore kaore ehara ēnei ērā tēnei tērā taua aua koia ano hoki anake katoa ētahi tētahi
"""
_MACRON_FOLD = str.maketrans("āēīōūĀĒĪŌŪ", "aeiouAEIOU")


def _maori_words() -> frozenset[str]:
    words = set()
    for w in _MAORI_TEXT.split():
        for part in w.split("-"):
            if part:
                words.add(part)
                words.add(part.translate(_MACRON_FOLD))
    return frozenset(words)


#: Common te reo Māori words, with and without macrons.
MAORI_WORDS = _maori_words()

# Words that are Māori but also everyday English (or too short to tell): never a Māori cue by
# themselves, and still counted as English words in readability.
_OVERLAP = _words(
    """
    a i e o to no me he ma mo na ta pa ra wa ka ko ki ono ana tau mano ai kiwi tane papa koro
    """
)
_MACRONS = frozenset("āēīōūĀĒĪŌŪ")
# The shape of a Māori word: syllables of an optional consonant (wh, ng or one of h k m n p r t w)
# and a vowel. English rarely fits this for words of five letters or more that are not in the
# English list, so it recognises place names the list lacks (Whanganui, Paraparaumu...).
_MAORI_SHAPE_RE = re.compile(r"(?:(?:wh|ng|[hkmnprtw])?[aeiouāēīōū]){2,30}", re.IGNORECASE)

# Recent or compound words SCOWL lacks; tier 2 so they split hashtags like #covidupdate.
_EXTRA_ENGLISH = _words(
    """
    covid coronavirus lockdown lockdowns wellbeing online offline website websites webpage email
    emails webinar webinars livestream livestreamed hashtag hashtags smartphone smartphones app apps
    selfie selfies vax booster boosters facebook twitter instagram youtube tiktok linkedin whatsapp
    mastodon bluesky podcast podcasts healthcare childcare eldercare aftercare homeschool
    homeschooling frontline workforce heatwave heatwaves bushfire bushfires wildfire wildfires
    floodwater floodwaters stormwater wastewater roadworks carpark carparks cybersecurity
    cyberbullying scam scams scammer scammers lifesaving firefighter firefighters paramedic
    paramedics telehealth weekend weekends everyday anytime
    """
)

_TOKEN_RE = re.compile(r"[^\W\d_]{1,40}")
_PUNCT = ".,;:!?\"'()[]{}<>…“”‘’*‐-–—/\\|~_+=^`"
_SKIP_PREFIXES = ("http", "www.", "HTTP", "WWW.", "Http", "Www.")


@cache
def english_words() -> dict[str, int]:
    """The English word list: lower-case word -> tier (1 most common ... 4 least)."""
    path = resources.files("govsocial") / "data" / "en_words.txt.gz"
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    tiers: dict[str, int] = {}
    tier = 1
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            tier = int(line[1:])
            continue
        tiers.setdefault(line, tier)
    for word in _EXTRA_ENGLISH:
        tiers[word] = min(tiers.get(word, 2), 2)
    return tiers


def english_tier(word: str) -> int | None:
    """The word's tier in the English list (1 = most common), or ``None`` if it is not there."""
    return english_words().get(word.lower())


def is_english_word(word: str, max_tier: int = 4) -> bool:
    tier = english_words().get(word.lower())
    return tier is not None and tier <= max_tier


@lru_cache(maxsize=16384)
def is_maori_word(word: str) -> bool:
    """Whether ``word`` is te reo Māori: it has a macron, is a common Māori word (not also an
    everyday English one), or is a word of five letters or more with the shape of a Māori word
    that the English list lacks (place names such as Whanganui)."""
    if not word.isascii() and not _MACRONS.isdisjoint(word):
        return True
    low = word.lower()
    if low in MAORI_WORDS:
        return low not in _OVERLAP
    return len(low) >= 5 and low not in english_words() and _MAORI_SHAPE_RE.fullmatch(low) is not None


def _tokens(text: str) -> list[str]:
    """Words of letters, leaving out links, @mentions and #hashtags.

    Splitting at white space and checking ``isalpha`` is several times faster than a Unicode
    regex over the whole text; the regex only runs on the odd token with inner punctuation."""
    out: list[str] = []
    for raw in text.split():
        if raw[0] in "@#" or raw.startswith(_SKIP_PREFIXES):
            continue
        word = raw.strip(_PUNCT)
        if not word:
            continue
        if word.isalpha():
            out.append(word)
        elif "http" not in word and "@" not in word and "#" not in word:
            # don't -> don; Lagos-689 -> Lagos; well-being -> well, being
            out.extend(_TOKEN_RE.findall(word.split("'")[0].split("’")[0]))
    return out


def maori_word_share(text: str) -> float:
    """Share of the words of ``text`` that are te reo Māori (see :func:`is_maori_word`)."""
    tokens = _tokens(text)
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if is_maori_word(t)) / len(tokens)


@cache
def _lingua() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.MAORI).build()


def _lingua_says_maori(text: str) -> bool:
    from lingua import Language

    for value in _lingua().compute_language_confidence_values(text):
        if value.language == Language.MAORI:
            return bool(value.value >= 0.5)
    return False


_NON_LATIN_RE = re.compile(r"[^\x00-\u024f\u1e00-\u1eff]")


@lru_cache(maxsize=4096)
def detect_language(text: str) -> str:
    """``"en"``, ``"mi"`` (te reo Māori) or ``"other"``.

    Mixed posts count as English unless their Māori words outnumber their English ones:
    "Kia ora koutou, applications open on Monday" is English, "Mānawatia a Matariki!" is Māori.
    """
    tokens = _tokens(text[:5000])
    if not tokens:
        return "en"
    letters = "".join(tokens)
    if not letters.isascii() and _NON_LATIN_RE.subn("", letters)[1] > len(letters) / 2:
        return "other"
    vocab = english_words()
    maori = english = 0
    for token in tokens:
        low = token.lower()
        if is_maori_word(token):
            maori += 1
        elif low in vocab and low not in MAORI_WORDS:
            english += 1
    if maori and maori >= english and maori >= 0.3 * len(tokens):
        sample = " ".join(tokens)
        return "mi" if _lingua_says_maori(sample) else "en"
    if len(tokens) >= 8 and english < 0.3 * len(tokens) and maori < 0.3 * len(tokens):
        return "other"
    return "en"


# --------------------------------------------------------------------------- segmentation

# Two-letter words a hashtag may be split into. Longer pieces must be in the list, and short ones
# common (a three-letter piece in tier 1-2, four letters in tier 1-3), so that names and words of
# other languages ("terremoto") are not cut into English-looking bits.
_SHORT_PIECES = _words(
    """
    an am as at be by do go he if in is it me my no of on or so to up us we nz uk au
    """
)
_MAX_TIER_BY_LENGTH = {3: 2, 4: 3}
_PIECE_COST = {1: 1.0, 2: 1.3, 3: 1.8, 4: 3.0}
_MAX_PIECE = 24


@lru_cache(maxsize=4096)
def segment(chunk: str) -> tuple[str, ...] | None:
    """Split lower-case letters into the fewest common English words (ties: the commoner ones).

    ``segment("vaccineupdate") == ("vaccine", "update")``; a chunk that is itself a word in
    the list comes back whole (``("coronavirus",)``); ``None`` when it cannot be split into
    listed words (names, other languages, typos).
    """
    low = chunk.lower()
    vocab = english_words()
    if low in vocab:
        return (low,)
    n = len(low)
    if n > 140:
        return None
    inf = float("inf")
    # best[i] = (words, cost) for low[:i]
    best: list[tuple[float, float]] = [(0.0, 0.0)] + [(inf, inf)] * n
    back = [0] * (n + 1)
    for end in range(1, n + 1):
        for start in range(max(0, end - _MAX_PIECE), end):
            if best[start][0] == inf:
                continue
            piece = low[start:end]
            if len(piece) <= 2:
                if piece not in _SHORT_PIECES:
                    continue
                cost = 1.0
            else:
                tier = vocab.get(piece)
                if tier is None or tier > _MAX_TIER_BY_LENGTH.get(len(piece), 4):
                    continue
                cost = _PIECE_COST[tier]
            cand = (best[start][0] + 1, best[start][1] + cost)
            if cand < best[end]:
                best[end] = cand
                back[end] = start
    if best[n][0] == inf:
        return None
    pieces: list[str] = []
    end = n
    while end > 0:
        start = back[end]
        pieces.append(low[start:end])
        end = start
    return tuple(reversed(pieces))


@detector("language")
def language_signals(post: Post) -> list[Signal]:
    """One ``language`` signal over the text, ``evidence["language"]`` in ``en``/``mi``/``other``."""
    lang = detect_language(post.text)
    return [Signal(kind="language", start=0, end=len(post.text), evidence={"language": lang})]
