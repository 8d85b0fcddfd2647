"""Contact details and other personal data: emails, phone numbers, street addresses, postcodes,
dates of birth and case numbers.

Each kind has a cheap candidate pattern; slow checks run only on candidates::

    field ─┬─ "@" in it ──► _EMAIL_RE ──────────────────────────────► email
           └─ a digit in it ─┬─ _PHONE_RE ──► phonenumbers (NZ, AU, GB, US, +CC) ► phone
                             ├─ _ADDRESS_RE (street line) ──► extend over unit, town,
                             │                                 region, postcode lines ► address
                             ├─ _POSTCODE_RE (UK) ──────────────────────────────► postcode
                             ├─ _DATE_RE + "born"/"DOB" before it ──────────────► dob
                             └─ _CASE_RE ("claim number 12345") ────────────────► case_number

Scores follow the identifiers detector: ``0.9``+ a strong shape (a valid NZ/AU/UK number, a
street line with a street-type word, a full UK postcode); ``0.7`` a shape that needs its context
word ("Phone: 451 5986", "lives at Pärna 33"); nothing is reported below ``0.5``.

Evidence says why and what kind: for phones ``region``, ``e164``, ``line_type`` and
``non_personal`` (toll-free, shared-cost, premium and emergency or short codes such as 0800, 0508,
1800, 13xx, 0300 and 111); for emails ``domain``, ``role`` (info@, enquiries@...) and
``government`` (a government domain); for addresses ``pattern`` and ``cue`` (the "lives at" or
"address:" that introduced it); for dates of birth ``year`` and ``cue``.

:data:`PII_TYPES` maps the signal kinds of this detector, the identifiers detector and the people
detector to the entity types of the ``pii`` evaluation task.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from itertools import islice, pairwise
from typing import Any

from govsocial.detectors.base import Signal, detector
from govsocial.model import Post

__all__ = ["PII_TYPES", "find_contact", "is_government_domain", "normalise_phone"]


def _words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of a word list written as one string."""
    return tuple(text.split())


#: Signal kind → entity type of the ``pii`` evaluation task (``govsocial eval --task pii``).
#: Kinds not listed (postcode, dob, case_number, national identifiers) are not among its types.
PII_TYPES: Mapping[str, str] = {
    "person": "PERSON",
    "address": "STREET_ADDRESS",
    "phone": "PHONE_NUMBER",
    "email": "EMAIL_ADDRESS",
    "payment_card": "CREDIT_CARD",
    "iban": "IBAN_CODE",
    "us_ssn": "US_SSN",
    "ip_address": "IP_ADDRESS",
    "driver_licence": "US_DRIVER_LICENSE",
}

# Candidates examined per field and kind: a post has a handful; this bounds pathological input.
_MAX_CANDIDATES = 200

# --------------------------------------------------------------------------- email

_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_EMAIL_DOMAIN_RE = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9])"
)
_ROLE_MAILBOXES = frozenset(
    _words("""info enquiries enquiry inquiries contact contactus contact-us hello help helpdesk support
    media press news newsroom communications comms admin office reception service services
    customerservice customer.service feedback complaints noreply no-reply donotreply webmaster
    privacy foi oia official.information events bookings booking jobs careers recruitment
    accounts payments sales team mail general library ask app tracing covid vaccine vaccination
    operations ops secretariat registry licensing permits rates claims""")
)
_GOV_SUFFIXES = (
    ".govt.nz",
    ".gov.uk",
    ".gov.au",
    ".gov",
    ".mil.nz",
    ".nhs.uk",
    ".nhs.net",
    ".police.uk",
    ".mil",
    ".parliament.uk",
    ".parliament.nz",
)
_FREE_MAIL = frozenset(
    _words(
        """gmail.com googlemail.com hotmail.com outlook.com live.com yahoo.com yahoo.co.nz yahoo.com.au icloud.com
        me.com xtra.co.nz protonmail.com proton.me aol.com bigpond.com btinternet.com"""
    )
)


_GOV_LABELS = frozenset({"gov", "govt", "gob", "gouv", "gv", "mil", "nhs", "police", "parliament"})


def is_government_domain(domain: str) -> bool:
    """Whether ``domain`` is a government domain (``*.govt.nz``, ``*.gov.uk``, ``*.gov.au``, ``*.gob.es``...)."""
    domain = domain.lower().rstrip(".")
    return domain.endswith(_GOV_SUFFIXES) or not _GOV_LABELS.isdisjoint(domain.split(".")[1:])


_LOCAL_SPLIT_RE = re.compile(r"[._+\-]")


def _role_mailbox(local: str) -> bool:
    """info@, covid.enquiries@, tracingapp-feedback@: a mailbox for a function, not a person."""
    local = local.lower()
    return local in _ROLE_MAILBOXES or not _ROLE_MAILBOXES.isdisjoint(_LOCAL_SPLIT_RE.split(local))


def _emails(f: _Field) -> Iterator[Signal]:
    # Anchored on "@" and grown outwards: a pattern that starts at every letter would cost a scan
    # of up to 64 characters per position.
    text = f.text
    at = text.find("@")
    budget = _MAX_CANDIDATES
    while at != -1 and budget > 0:
        budget -= 1
        start = at
        while start > 0 and at - start < 64 and text[start - 1] in _LOCAL_CHARS:
            start -= 1
        while start < at and not text[start].isalnum():
            start += 1
        fediverse = start > 0 and text[start - 1] in "@/\\"
        dom = _EMAIL_DOMAIN_RE.match(text, at + 1) if start < at and not fediverse else None
        if dom is not None:
            local, domain = text[start:at], dom.group().lower()
            yield Signal(
                kind="email",
                start=start,
                end=dom.end(),
                score=1.0,
                value=text[start : dom.end()],
                field=f.name,
                evidence={
                    "pattern": "email",
                    "domain": domain,
                    "role": _role_mailbox(local),
                    "government": is_government_domain(domain),
                    "free_mail": domain in _FREE_MAIL,
                },
            )
        at = text.find("@", (dom.end() if dom is not None else at + 1))


# --------------------------------------------------------------------------- phone

# A run of phone characters that starts at a digit, "+" or "(" and ends at a digit; the shape
# check and libphonenumber run only on these.
_PHONE_CAND_RE = re.compile(
    r"[+(0-9](?<![\w+/.:#$£€\-][+(0-9])(?<!\d,[+(0-9])[0-9 ()+.\-]{5,30}(?<=\d)(?![\w@]|[.,]\d|:\d)"
)
_PHONE_SHAPE_RE = re.compile(
    r"(?:\+[ ]?\d{1,3}[ .\-]?|00[ ]?\d{1,3}[ .\-]?)?(?:\(0\)[ ]?)?(?:\(\d{1,5}\)[ .\-]?)?\d{1,15}"
    r"(?:(?:[ .\-]|[ ]-[ ]|[ ]?\(0\)[ ]?)\d{1,12}){0,6}"
)
_US_SHAPE_RE = re.compile(r"\(?\d{3}\)?[ .\-]?\d{3}[ .\-]\d{4}")
_SSN_SHAPE_RE = re.compile(r"\d{3}-\d{2}-\d{4}")
_PHONE_CUE_RE = re.compile(
    r"\b(?:phone|ph|tel|telephone|mobile|mob|cell|cellphone|fax|call|calling|called|ring|text|txt|sms|whatsapp|dial|"
    r"landline|answering|messages|helpline|freephone|hotline|contact|reach)\b|[☎📞📱]",
    re.IGNORECASE,
)
_PHONE_CUE_AFTER_RE = re.compile(
    r"[ \-]{0,2}\(?(?:office|fax|mobile|cell|home|work|landline|tel|phone)\b", re.IGNORECASE
)
_OTHER_ID_CUE_RE = re.compile(
    r"\b(?:licen[cs]e|ssn|social security|passport|card|account|iban|ird|tfn|nhs|nhi|medicare|abn)\b[^\n]{0,20}$",
    re.IGNORECASE,
)
_DATEISH_RE = re.compile(
    r"(?:19|20)\d{2}[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])\b|(?:0?[1-9]|[12]\d|3[01])[-./](?:0?[1-9]|1[0-2])[-./](?:19|20)?\d{2}$"
)
_SHORT_CODE_RE = re.compile(r"[019](?<![\w+/.:#$£€\-][019])(?:11|00|99|12|05|19|737|01|06)(?![\w.,]\d|\w|[ \-]\d)")
_NON_PERSONAL_PREFIXES = {
    "NZ": ("+64800", "+64508", "+64900"),
    "AU": ("+611800", "+611300", "+6113", "+611900"),
    "GB": ("+44800", "+44808", "+443", "+4484", "+4487", "+449"),
}
_REGIONS = ("NZ", "AU", "GB")


def normalise_phone(value: str, region: str = "NZ") -> str | None:
    """The E.164 form of a phone number (``+6448901234``), or ``None`` if it does not parse.

    Rules compare allowlisted agency numbers this way, so any spacing matches.
    """
    import phonenumbers

    compact = re.sub(r"[^\d+]", "", value)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    try:
        num = phonenumbers.parse(compact, None if compact.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return None
    return str(phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164))


def _phones(f: _Field) -> Iterator[Signal]:
    import phonenumbers

    text = f.text
    for m in islice(_PHONE_CAND_RE.finditer(text), _MAX_CANDIDATES):
        raw = m.group()
        start, end = m.start(), m.end()
        if raw[0] == "(" and ")" not in raw:
            stripped = raw[1:].lstrip()
            raw, start = stripped, end - len(stripped)
        digits = "".join(filter(str.isdigit, raw))
        if not 7 <= len(digits) <= 15 or _PHONE_SHAPE_RE.fullmatch(raw) is None or raw.count("(") != raw.count(")"):
            continue
        if _DATEISH_RE.match(raw) or _is_filler(digits):
            continue
        grouped = any(ch in raw for ch in " .-()")
        intl = raw.startswith(("+", "00"))
        parsed = _parse_phone(raw, digits, intl)
        if parsed is not None and (parsed[2] or intl):
            num, region, valid = parsed
            if not valid and not intl and digits[0] != "0":
                continue
            e164 = str(phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164))
            line_type = _LINE_TYPES.get(phonenumbers.number_type(num), "unknown")
            non_personal = line_type in {"toll_free", "premium_rate", "shared_cost", "uan"} or e164.startswith(
                _NON_PERSONAL_PREFIXES.get(region or "", ())
            )
            if valid and (intl or grouped or digits[0] == "0" or _phone_cue(text, start, end)):
                score = 0.9
            elif intl:
                score = 0.6
            else:
                continue
            yield _phone_signal(
                f, start, end, raw, score, region=region, e164=e164, line_type=line_type, non_personal=non_personal
            )
            continue
        # Not a number we can validate: the shape and a cue word ("Phone:", "call me on") must say so.
        cue = _phone_cue(text, start, end)
        if not cue or (_SSN_SHAPE_RE.fullmatch(raw) and cue != "after"):
            continue
        if parsed is not None and digits[0] == "0" and grouped:
            num, region, _valid = parsed
            e164 = str(phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164))
            yield _phone_signal(
                f, start, end, raw, 0.8, region=region, e164=e164, line_type="unknown", non_personal=False
            )
        elif len(digits) <= 13 and (grouped or cue == "before"):
            yield _phone_signal(
                f, start, end, raw, 0.7, region=None, e164=None, line_type="unknown", non_personal=False
            )
    if "1" in text or "0" in text or "9" in text:
        for m in islice(_SHORT_CODE_RE.finditer(text), _MAX_CANDIDATES):
            if _PHONE_CUE_RE.search(text, max(0, m.start() - 25), m.start()):
                yield _phone_signal(
                    f,
                    m.start(),
                    m.end(),
                    m.group(),
                    0.9,
                    region=None,
                    e164=None,
                    line_type="short_code",
                    non_personal=True,
                )


def _phone_cue(text: str, start: int, end: int) -> str | None:
    """``"before"`` or ``"after"`` when a phone word ("call", "Phone:", "mobile") is next to the number."""
    if _PHONE_CUE_AFTER_RE.match(text, end):
        return "after"
    before = text[max(0, start - 40) : start]
    if _PHONE_CUE_RE.search(before) and not _OTHER_ID_CUE_RE.search(before):
        return "before"
    return None


def _parse_phone(raw: str, digits: str, intl: bool) -> tuple[Any, str | None, bool] | None:
    import phonenumbers

    candidates: list[tuple[str, str | None]]
    if intl:
        candidates = [("+" + digits[2:] if raw.startswith("00") else raw, None)]
    elif digits[0] == "0" or digits.startswith(("13", "18")):
        # National numbers: NZ ones have 9–10 digits, AU 10, UK 10–11; try the likeliest first.
        order = ("NZ", "AU", "GB") if len(digits) <= 10 else ("GB", "NZ", "AU")
        candidates = [(raw, r) for r in order]
    elif _US_SHAPE_RE.fullmatch(raw) and digits[0] != "1":
        candidates = [(raw, "US")]
    else:
        return None
    possible: tuple[Any, str | None, bool] | None = None
    for text, region in candidates:
        try:
            num = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(num):
            return num, phonenumbers.region_code_for_number(num) or region, True
        if possible is None and phonenumbers.is_possible_number(num):
            possible = (num, region, False)
    return possible


def _line_types() -> dict[int, str]:
    from phonenumbers import PhoneNumberType as T

    return {
        T.FIXED_LINE: "fixed_line",
        T.MOBILE: "mobile",
        T.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
        T.TOLL_FREE: "toll_free",
        T.PREMIUM_RATE: "premium_rate",
        T.SHARED_COST: "shared_cost",
        T.VOIP: "voip",
        T.PERSONAL_NUMBER: "personal_number",
        T.PAGER: "pager",
        T.UAN: "uan",
        T.VOICEMAIL: "voicemail",
    }


_LINE_TYPES: dict[int, str] = {}


def _phone_signal(
    f: _Field,
    start: int,
    end: int,
    raw: str,
    score: float,
    *,
    region: str | None,
    e164: str | None,
    line_type: str,
    non_personal: bool,
) -> Signal:
    return Signal(
        kind="phone",
        start=start,
        end=end,
        score=score,
        value=raw,
        field=f.name,
        evidence={
            "pattern": "phone",
            "region": region,
            "e164": e164,
            "line_type": line_type,
            "non_personal": non_personal,
        },
    )


def _is_filler(digits: str) -> bool:
    if len(set(digits)) == 1:
        return True
    steps = {(int(b) - int(a)) % 10 for a, b in pairwise(digits)}
    return steps in ({1}, {9})


# --------------------------------------------------------------------------- addresses


# Street-type words after the street name (English forms used in NZ, AU, UK, US).
_STREET_TYPE_WORDS = frozenset(
    _words("""Street Streets St Str Road Rd Avenue Ave Av Drive Dr Drv Lane Ln Court Ct Crt Place Pl Crescent Cres Cr
    Terrace Tce Terr Way Boulevard Blvd Highway Hwy Parade Pde Close Cl Grove Gr Gv Square Sq Circle Cir
    Circuit Cct Parkway Pkwy Esplanade Esp Quay Mews Rise Row Walk Track Trail Trl Heights Hts Gardens Gdns
    Green Loop Point Pt Ridge Crossing Xing Turnpike Tpke Rapids Greens Alley Wharf Promenade Strand Vale
    Junction Landing Meadows Mall Glen Manor Route Spur Expressway Freeway Motorway Causeway Bypass Brook
    Common Knoll Oval Pass Path Pike Pines Run Shores Springs Summit Throughway Trace Trafficway Underpass
    View Views Vista Ways Wynd Gate Crest Hollow Cove Creek Fork Forks Ferry Flats Haven Harbor Harbour
    Inlet Keys Lodge Mill Mills Orchard Plaza Prairie Ranch Shoal Skyway Stravenue Stream Tunnel
    Viaduct Ville Wells Estate Estates""")
)
_STREET_TYPES = "|".join(sorted(_STREET_TYPE_WORDS, key=len, reverse=True))
# Street-type words before the street name (continental forms: "Rue de ...", "Via Roma 131").
_STREET_PREFIX_WORDS = frozenset(
    _words("""Rue rue Via via Viale viale Piazza piazza Corso corso Avenida avenida Avda Av Avenue avenue Rua rua
    Calle calle Carrer carrer Camino Paseo Boulevard boulevard Bd ul ulica Ulica al Al Aleja aleja Strada strada
    Chaussée Chemin chemin Allée allée Quai quai Rambla Travessa Largo Praça Λεωφόρος Λ Οδός Πλατεία Jalan Jl
    Ulitsa ulitsa Plac plac Rynek Avinguda Passeig Vicolo Contrada Place Rúa rúa""")
)
# Before the number ("Via Roma 131") only capitalised prefixes count: "via Dubai on 27 July" is English.
_STREET_PREFIX_GATE = frozenset(
    w for w in _STREET_PREFIX_WORDS | {w + "." for w in _STREET_PREFIX_WORDS} if w[0].isupper()
) | {"ul.", "al."}
_STREET_PREFIXES = "|".join(
    re.escape(w) + (r"\." if w in {"ul", "al", "Al", "Av", "Avda", "Jl", "Λ"} else "")
    for w in sorted(_STREET_PREFIX_WORDS, key=len, reverse=True)
)
# Street-type endings of one-word street names ("Hafnarstraeti 5", "Koskikatu 25", "Mellemvej 32").
_STREET_SUFFIX_TUPLE = tuple(
    _words("""strasse straße straat straeti stræti strada gasse weg vej veien vegen vägen väg gatan gata gade katu tie
    laan plein utca útja út tér köz körút ulica vegur braut stræde allee damm platz steig gränd torget kuja polku raitti
    bulevardi aukio ranta stig sokak sokağı caddesi cesta ulice iela gatve tänav""")
)
# English words with those endings.
_NOT_STREETS = frozenset({"brigade", "brigades", "auntie", "bowtie", "necktie", "cowgate", "during", "spring"})
_STREET_SUFFIXES = "|".join(sorted(_STREET_SUFFIX_TUPLE, key=len, reverse=True))
_UPPER = r"A-ZÀ-ÖØ-ÞĀ-Ž\u0370-\u03FF\u0400-\u042F"
_CAPWORD = rf"[{_UPPER}][\w'’.\-]{{0,29}}"
_NAMEWORD = rf"(?:[{_UPPER}][\w'’.\-]{{0,29}}|de|du|des|la|le|les|of|the|van|von|der|den|del|da|dos|das|di|y|e|al|el)"
_ANYWORD = r"[^\W\d_][\w'’.\-]{0,29}"
_NUM = r"\d{1,5}[A-Za-z]?(?:[/\-]\d{1,5}[A-Za-z]?)?"
_UNIT = r"(?i:apt|apartment|suite|ste|unit|flat|level|lvl|floor|room|rm|bldg|building)\.?[ ]{0,2}\#?[A-Za-z]?\d{1,5}[A-Za-z]?"
_COMPASS = r"(?:[ ](?:North|South|East|West|N|S|E|W|NE|NW|SE|SW)\b)"
_BOUNDARY = r"(?<![\w/.,:-])"

# "12 Main Street", "2/34 Queen St", "1600 Pennsylvania Ave NW": number first, street type last.
_EN_RE = re.compile(
    rf"\d(?<![\w/.,:\-]\d)\d{{0,4}}[A-Za-z]?(?:[/\-]\d{{1,5}}[A-Za-z]?)?(?:[ ]{{1,3}}{_NUM})?[ ]{{1,3}}"
    rf"(?:{_NAMEWORD}[ ]{{1,3}}){{1,4}}(?:{_STREET_TYPES})\b\.?{_COMPASS}?"
)
_UNIT_BEFORE_RE = re.compile(rf"{_UNIT}[ ]?[,/][ ]?$|{_UNIT}[ ]$")
# "Via Roma 131", "31 Rue Al Imam Al Bakri", "ul. Chrzanowska 61".
_PREFIX_RE = re.compile(
    rf"{_BOUNDARY}(?:{_NUM},?[ ]{{1,3}}){{0,2}}(?:{_STREET_PREFIXES})[ ]{{1,3}}(?:{_ANYWORD}[ ]{{1,3}}){{0,4}}{_ANYWORD}(?:[ ]{{1,3}}\d{{1,5}}[A-Za-z]?\b)?"
)
# "Hafnarstraeti 5", "Augsburger Strasse 36".
# Street-type words that stand alone after the name ("Augsburger Strasse 36", "Rákóczi út 13").
_STANDALONE_SUFFIXES = "|".join(
    _words("""strasse straße str\\. gasse weg allee platz damm út útja utca tér köz körút vej gade gata gatan vegen veien
    vägen väg laan straat plein katu tie tänav iela ulice cesta sokak caddesi""")
)
_SUFFIX_RE = re.compile(
    rf"{_BOUNDARY}(?:{_NUM}[ ]{{1,3}})?"
    rf"(?:(?:{_CAPWORD}[ ]{{1,3}}){{1,2}}(?:{_ANYWORD}[ ]{{1,3}})?(?i:{_STANDALONE_SUFFIXES})"
    rf"|[{_UPPER}][\w'’\-]{{1,25}}(?i:{_STREET_SUFFIXES}))"
    rf"[ ]{{1,3}}\d{{1,5}}[A-Za-z]?\b"
)
_POBOX_RE = re.compile(
    rf"{_BOUNDARY}(?i:p\.?[ ]?o\.?[ ]?box|post[ ]office[ ]box|gpo[ ]box|private[ ]bag|locked[ ]bag|pmb|psc[ ]\d{{1,5}},?[ ]box"
    rf"|unit[ ]\d{{1,5}},?[ ]box)[ ]{{0,3}}\d{{1,6}}\b"
)
# "Brisas 6802\n Suite 084": a name and a number are a street line when a unit follows them.
_GENERIC_RE = re.compile(
    rf"{_BOUNDARY}(?:{_NUM}[ ]{{1,3}})?{_CAPWORD}(?:[ ]{{1,3}}{_ANYWORD}){{0,3}}[ ]{{1,3}}\d{{1,5}}[A-Za-z]?\b"
)
_UNIT_NEXT_RE = re.compile(
    rf"\d{{0,4}}[A-Za-z]?\.?(?:[ ]{{0,3}},[ ]{{0,3}}|[ ]{{0,3}}\n[ >•*|\-]{{0,5}}|[ ]{{1,3}}){_UNIT}"
)
# "the corner of Queen St and Victoria St": an intersection is a place too.
_CORNER_RE = re.compile(
    r"(?:the[ ])?corner[ ]of[ ](?P<a>[^\n,;]{3,60}?)[ ]and[ ](?:the[ ])?[^\W\d_][\w'’.\-]{0,29}(?:[ ][^\W\d_][\w'’\-]{0,29}){0,3}",
    re.IGNORECASE,
)
_CORNER_TAIL_RE = re.compile(r"[ ](?:St|Rd|Ave)\.?$|[ ](?:in|on|at|for|to)(?:[ ]\S{1,30}){0,3}$")
_MILITARY_RE = re.compile(r"(?i:usns|uss|usnv|uscgc)[ ](?:[^\W\d_][\w'’.\-]{0,29}[ ]?){1,2}(?=\n?[ ]?(?i:fpo))")

# Cues that introduce an address ("lives at", "address:", "send it to"), looked for shortly before a number.
_CUE_RE = re.compile(
    r"\b(?:(?:lives?|lived|living|resides?|resided|residing|located|situated)[ ](?:at|on|in)|"
    r"address(?:[ ](?:is|was|to|at|of[ ][^\n:]{1,40}?[ ]is))?[ ]?[:\-]?|"
    r"moved[ ](?:in)?to|"
    r"(?:send|sent|deliver|delivered|ship|shipped|post|posted|mail|mailed|return|returned|forward|forwarded)[ ](?:it[ ]|this[ ]|them[ ]|that[ ]|everything[ ])?to|"
    r"meet[ ](?:me|us)[ ]at|drops?[ ](?:you|me|us)?[ ]?off[ ]at|dropped[ ](?:you|me|us)?[ ]?off[ ]at|"
    r"pick[ ](?:me|us)[ ]up[ ](?:at|from)|(?:taxi|cab|uber|ride)[ ]to|corner[ ]of|arrived[ ]at|stop[ ]at|"
    r"home[ ](?:is[ ])?at)[ ]{0,3}(?:the[ ])?[\n ]{0,3}",
    re.IGNORECASE,
)
_CUED_LINE_RE = re.compile(
    rf"(?:(?:{_NUM}[ ]{{1,3}}){{1,2}}{_CAPWORD}(?:[ ]{{1,3}}{_NAMEWORD}){{0,4}}(?:[ ]{{1,3}}\d{{1,5}}[A-Za-z]?\b)?"
    rf"|{_CAPWORD}(?:[ ]{{1,3}}{_NAMEWORD}){{0,3}}[ ]{{1,3}}\d{{1,5}}[A-Za-z]?\b)"
)
# After a cued line: not a lower-case word or a unit ("Alert Level 3 until", "65 positive cases", "30%").
_CUED_END_BAD_RE = re.compile(r"[ ]{0,3}(?:%|(?!and\b)[a-z])")
# Capitalised words that make "<Word> <number>" a level, a count or a heading, not a street.
_NOT_ADDRESS_WORDS = frozenset(
    _words("""Level Levels Alert Phase Stage Step Day Days Week Weeks Year Years Grade Covid COVID Room Platform Terminal
    Flight Page Chapter Section Part Item Number No Version Season Episode Round Term Zone Ward Tier Class""")
)
# Where a house number (or the number of a continental street line) may start.
# (a number after a word, as in "Via Roma 131", or a number before a word, as in "12 Main St").
_NUM_START_RE = re.compile(r"[\s>(](?:(?<=[^\W\d_.][ ])\d|\d{1,5}[A-Za-z]?(?:[/\-]\d{1,5}[A-Za-z]?)?[ ]{1,3}[^\W_])")
_CUE_HINT_RE = re.compile(
    r"liv|resid|stay|locat|situat|based|address|moved|sen[dt]|deliver|ship|post|mail|return|forward|meet|drop|pick|taxi|cab|uber|ride|corner|arriv|stop|home"
)
_UK_POSTCODE_GATE_RE = re.compile(r"\d[ABD-HJLNP-UW-Z]{2}(?![\w\-])")
# What may follow a street line: a unit, a town or region (with a postcode), a postcode.
# Line prefixes of quoted or bulleted blocks (">", "•", "-") may lead a line.
_EXT_SEP = r"\.?(?:[ ]{0,3},[ ]{0,3}(?:\n[ >•*|\-]{0,5})?|[ ]{0,3}\n[ >•*|\-]{0,5}(?:,[ ]{0,3})?|[ ]{1,3})"
_UK_POSTCODE = r"(?:GIR[ ]?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ ]?\d[ABD-HJLNP-UW-Z]{2})"
_PLACE_WORD = rf"(?:[{_UPPER}][\w'’.\-]{{0,29}}|\([^()\n]{{1,20}}\)|nan)"
_PLACE = rf"{_PLACE_WORD}(?:[ ]{{1,2}}(?:{_PLACE_WORD}|u|de|del|la|le|am|an|der|sur|en|di|upon|on)){{0,4}}"
_EXT_RE = re.compile(
    rf"{_EXT_SEP}(?:(?P<unit>{_UNIT}|(?i:box)[ ]\d{{1,6}})"
    rf"|(?P<mil>(?i:apo|fpo|dpo)[ ](?i:a[aep])[ ]\d{{5}})"
    rf"|(?P<postcode>{_UK_POSTCODE}|\d{{3,6}}|[A-Z]{{2,3}}[ ]\d{{3,6}})"
    rf"|(?P<place>{_PLACE}(?:[ ]{{1,2}}(?:{_UK_POSTCODE}|\d{{3,6}}))?))"
    r"(?![\w@]|[ ]?\d|[ ]?-[ ]?\d)"
)
_NOT_PLACE = frozenset(
    _words("""I The It We You He She They This That Please Call Phone Tel Mobile Email E-mail Website Address Name
    Thanks Thank Hi Hello Dear Kind Regards Cheers Date Time Open Closed Monday Tuesday Wednesday Thursday
    Friday Saturday Sunday Today Tomorrow Tonight From To And Or But If When For On At In Our My Your His Her
    Their Its Meet Bring Join See Visit Read More Office Fax Mon Tue Wed Thu Fri Sat Sun""")
)
_UK_POSTCODE_RE = re.compile(r"[A-PR-UWYZ](?<![\w\-][A-PR-UWYZ])[A-HK-Y]?\d[A-Z\d]?[ ]?\d[ABD-HJLNP-UW-Z]{2}(?![\w\-])")
_VENUE_WORDS = frozenset(
    {"centre", "center", "hall", "library", "school", "park", "museum", "stadium", "church", "marae", "station"}
)


def _addresses(f: _Field) -> Iterator[Signal]:
    text = f.text
    found: list[tuple[int, int, str, str | None, float]] = []

    def add(start: int, end: int, pattern: str, cue: str | None, score: float) -> None:
        # A street line found by its shape replaces a shorter line a cue found there first.
        cued = [x for x in found if x[2] == "cued" and start < x[1] and x[0] < end]
        for x in cued:
            found.remove(x)
            cue = cue or x[3]
        if not any(start < fe and fs < end for fs, fe, *_ in found):
            found.append((start, end, pattern, cue, score))

    # Every shape but the PO box has a number: look around each number that starts a token.
    starts = [m.start() + 1 for m in islice(_NUM_START_RE.finditer(text), _MAX_CANDIDATES)]
    if text[:1].isdigit() and _NUM_START_RE.match(" " + text[:20]):
        starts.insert(0, 0)
    cue_hint: bool | None = None
    for i in starts:
        if any(fs <= i < fe for fs, fe, *_ in found):
            continue
        after = text[i : i + 40].split(None, 3)
        words = text[max(0, i - 80) : i].split()[-6:]
        shape = _EN_RE.match(text, i)
        if shape is not None:
            start = i
            unit = _UNIT_BEFORE_RE.search(text, max(0, i - 20), i)
            if unit is not None:
                start = unit.start()
            if not _STREET_PREFIX_GATE.isdisjoint(words[-4:]):
                # "Λεωφόρος Συγγρού 119 Nino Point": a continental street line runs into the number.
                lead = _PREFIX_RE.search(text, max(0, i - 80), i + 8)
                if lead is not None and lead.start() < start and lead.end() > i:
                    start = lead.start()
            add(start, shape.end(), "en", None, 0.9)
        else:
            # "31 Rue de la Paix", and "48334 36 rue de Pologne" (a building number, then the street number).
            nxt = after[2] if len(after) > 2 and after[1].isdigit() else after[1] if len(after) > 1 else ""
            if nxt.rstrip(".") in _STREET_PREFIX_WORDS:
                shape = _PREFIX_RE.match(text, i)
                if shape is not None:
                    add(i, shape.end(), "prefix", None, 0.9)
            elif words and words[-1].lower().endswith(_STREET_SUFFIX_TUPLE):
                shape = _SUFFIX_RE.search(text, max(0, i - 80), i + 8)
                if (
                    shape is not None
                    and shape.end() > i
                    and not shape.group().islower()
                    and words[-1].lower() not in _NOT_STREETS
                ):
                    add(shape.start(), shape.end(), "suffix", None, 0.9)
            elif not _STREET_PREFIX_GATE.isdisjoint(words):
                shape = _PREFIX_RE.search(text, max(0, i - 80), i + 8)
                if shape is not None and shape.end() > i:
                    add(shape.start(), shape.end(), "prefix", None, 0.9)
            elif words and _UNIT_NEXT_RE.match(text, i):
                line_start = max(text.rfind("\n", 0, i) + 1, i - 80)
                for shape in _GENERIC_RE.finditer(text, line_start, i + 8):
                    if shape.start() <= i < shape.end():
                        add(shape.start(), shape.end(), "generic", None, 0.8)
                        break
        # A cue ("lives at", "address:") shortly before the line raises a shape's score or stands in for it.
        if cue_hint is None:
            cue_hint = _CUE_HINT_RE.search(f.lower) is not None
        if cue_hint and _CUE_HINT_RE.search(f.lower, max(0, i - 100), i):
            cues = list(_CUE_RE.finditer(text, max(0, i - 100), i))
            if cues:
                cue = cues[-1]
                line = _CUED_LINE_RE.match(text, cue.end())
                if (
                    line is not None
                    and line.end() > i
                    and _CUED_END_BAD_RE.match(text, line.end()) is None
                    and _NOT_ADDRESS_WORDS.isdisjoint(line.group().split())
                ):
                    word = cue.group().strip(" :-\n").lower()
                    s, e = line.start(), line.end()
                    if any(s < fe and fs < e for fs, fe, *_ in found):
                        found = [
                            (fs, fe, p, word, sc) if (s < fe and fs < e) else (fs, fe, p, c, sc)
                            for fs, fe, p, c, sc in found
                        ]
                    else:
                        found.append((s, e, "cued", word, 0.7))
    if "box" in f.lower or "bag" in f.lower or "PMB" in text:
        for m in islice(_POBOX_RE.finditer(text), _MAX_CANDIDATES):
            add(m.start(), m.end(), "pobox", None, 0.9)
    if "corner of" in f.lower:
        for m in islice(_CORNER_RE.finditer(text), _MAX_CANDIDATES):
            first = m.group("a")
            if any(ch.isdigit() for ch in first) or not _STREET_TYPE_WORDS.isdisjoint(m.group().split()):
                end = m.end()
                tail = _CORNER_TAIL_RE.search(text, m.start(), end)
                found = [x for x in found if not (m.start() < x[1] and x[0] < end)]
                found.append((m.start(), tail.start() if tail else end, "corner", "corner of", 0.8))
    if "fpo" in f.lower:
        for m in islice(_MILITARY_RE.finditer(text), _MAX_CANDIDATES):
            add(m.start(), m.end(), "military", None, 0.9)
    found.sort()
    taken: list[tuple[int, int]] = []
    for s, e, pattern, cue_word, score in found:
        if any(s < te and ts < e for ts, te in taken):
            continue
        end = _extend(text, e)
        taken.append((s, end))
        yield Signal(
            kind="address",
            start=s,
            end=end,
            score=max(score, 0.9) if cue_word and pattern != "cued" else score,
            value=text[s:end],
            field=f.name,
            evidence={"pattern": pattern, "cue": cue_word, "line_end": e},
        )
    if _UK_POSTCODE_GATE_RE.search(text):
        for m in islice(_UK_POSTCODE_RE.finditer(text), _MAX_CANDIDATES):
            if any(ts <= m.start() < te for ts, te in taken):
                continue
            yield Signal(
                kind="postcode",
                start=m.start(),
                end=m.end(),
                score=0.9,
                value=m.group(),
                field=f.name,
                evidence={"pattern": "uk_postcode"},
            )


def _extend(text: str, end: int) -> int:
    """Extend a street line over the unit, town, region and postcode parts that follow it."""
    pos = end
    for _ in range(7):
        m = _EXT_RE.match(text, pos)
        if m is None:
            break
        sep = text[pos : m.start(m.lastgroup or 0)]
        if m.lastgroup == "place":
            place = m.group("place")
            words = place.split()
            if (
                sep.startswith(".")
                or words[0].strip(".,") in _NOT_PLACE
                or any(w.lower().strip(".,") in _VENUE_WORDS for w in words)
            ):
                break
            # An inline capitalised word is as likely the next sentence as a town: only take it when
            # a line break, a comma or the end of the text follows.
            inline = "," not in sep and "\n" not in sep and not (place.isupper() or place[-1].isdigit())
            if inline and _PLACE_END_RE.match(text, m.end()) is None:
                break
        elif sep.startswith(".") and m.lastgroup not in ("unit", "postcode"):
            break
        pos = m.end()
    return pos


_PLACE_END_RE = re.compile(r"[ ]{0,3}(?:[,\n]|$)")


# --------------------------------------------------------------------------- dates of birth

_YEAR = r"(?:1[89]\d{2}|20\d{2})"
_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_DATE_RE = re.compile(
    rf"(?<![\w/.-])(?:"
    rf"(?P<d1>\d{{1,2}})[/.\-](?P<m1>\d{{1,2}})[/.\-](?P<y1>{_YEAR}|\d{{2}})"
    rf"|(?P<y2>{_YEAR})-(?P<m2>\d{{1,2}})-(?P<d2>\d{{1,2}})"
    rf"|(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?(?:[ ]of)?[ ](?P<m3>{_MONTHS})\.?(?:,?[ ](?P<y3>{_YEAR}))?"
    rf"|(?P<m4>{_MONTHS})\.?[ ](?P<d4>\d{{1,2}})(?:st|nd|rd|th)?(?:,?[ ](?P<y4>{_YEAR}))?"
    rf")(?![\w/-]|\.\d)",
    re.IGNORECASE,
)
_DOB_ANCHORS = ("born", "dob", "d.o.b", "birth", "bday")
_DOB_CUE_RE = re.compile(
    r"(?:born|dob|d\.o\.b\.?|date[ ]of[ ]birth|birth[ ]?date|birthday|birth|bday)\b", re.IGNORECASE
)
_DOB_WINDOW = 40


def _dobs(f: _Field) -> Iterator[Signal]:
    lower = f.lower
    seen: set[int] = set()
    for anchor in _DOB_ANCHORS:
        idx = lower.find(anchor)
        budget = _MAX_CANDIDATES
        while idx != -1 and budget > 0:
            budget -= 1
            cue = _DOB_CUE_RE.match(f.text, idx) if (idx == 0 or not lower[idx - 1].isalpha()) else None
            if cue is not None:
                m = _DATE_RE.search(f.text, cue.end(), min(len(f.text), cue.end() + _DOB_WINDOW + 20))
                if m is not None and m.start() - cue.end() <= _DOB_WINDOW and m.start() not in seen:
                    seen.add(m.start())
                    yield _dob_signal(f, m, cue.group().lower())
            idx = lower.find(anchor, idx + len(anchor))


def _dob_signal(f: _Field, m: re.Match[str], cue: str) -> Signal:
    year_text = m.group("y1") or m.group("y2") or m.group("y3") or m.group("y4")
    year: int | None = None
    if year_text:
        y = int(year_text)
        year = y if len(year_text) == 4 else (1900 + y if y > 30 else 2000 + y)
    return Signal(
        kind="dob",
        start=m.start(),
        end=m.end(),
        score=0.9 if year else 0.6,
        value=m.group(),
        field=f.name,
        evidence={"pattern": "date", "cue": cue, "year": year},
    )


# --------------------------------------------------------------------------- case numbers

_CASE_ANCHORS = ("claim", "case", "file", "application", "acc", "visa", "client")
_CASE_TAIL_RE = re.compile(
    r"(?:[ ](?:number|no\.?|num|id|ref(?:erence)?|\#))?(?:[ ](?:is|was))?[ ]?[:\#]?[ ]?"
    r"(?P<tok>(?:[A-Z]{1,4}[ -]?)?\d[\dA-Z/\-]{3,19})(?![\w-])",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"(?:19|20)\d{2}")


def _case_numbers(f: _Field) -> Iterator[Signal]:
    lower = f.lower
    for anchor in _CASE_ANCHORS:
        idx = lower.find(anchor)
        budget = _MAX_CANDIDATES
        while idx != -1 and budget > 0:
            budget -= 1
            after = idx + len(anchor)
            if (idx == 0 or not lower[idx - 1].isalnum()) and (after == len(lower) or not lower[after].isalpha()):
                m = _CASE_TAIL_RE.match(f.text, after)
                if m is not None:
                    tok = m.group("tok")
                    if sum(ch.isdigit() for ch in tok) >= 5 and not _YEAR_RE.fullmatch(tok):
                        yield Signal(
                            kind="case_number",
                            start=m.start("tok"),
                            end=m.end("tok"),
                            score=0.8,
                            value=tok,
                            field=f.name,
                            evidence={"pattern": "keyword + number", "cue": anchor},
                        )
            idx = lower.find(anchor, after)


# --------------------------------------------------------------------------- fields


class _Field:
    __slots__ = ("_lower", "name", "text")

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        if not text.isascii():
            norm = unicodedata.normalize("NFKC", text)
            if len(norm) == len(text):
                text = norm
        self.text = text
        self._lower: str | None = None

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower


def _fields(post: Post) -> Iterator[tuple[str, str]]:
    yield "text", post.text
    for i, media in enumerate(post.media):
        if media.alt:
            yield f"media[{i}].alt", media.alt


_DIGIT_RE = re.compile(r"\d")


def find_contact(post: Post) -> list[Signal]:
    """Every contact-detail signal in the post's text and alt texts (see the module docstring)."""
    if not _LINE_TYPES:
        _LINE_TYPES.update(_line_types())
    out: list[Signal] = []
    for name, text in _fields(post):
        has_at = "@" in text
        if not has_at and _DIGIT_RE.search(text) is None:
            continue
        f = _Field(name, text)
        emails = list(_emails(f)) if has_at else []
        out.extend(emails)
        if _DIGIT_RE.search(text) is None:
            continue
        addresses = list(_addresses(f))
        out.extend(addresses)
        spans = [(s.start, s.end) for s in emails] + [(s.start, s.end) for s in addresses if s.kind == "address"]
        # A phone-shaped number inside an address or email is part of it.
        out.extend(sig for sig in _phones(f) if not any(sig.start < e and s < sig.end for s, e in spans))
        out.extend(_dobs(f))
        out.extend(_case_numbers(f))
    out.sort(key=lambda s: (s.field, s.start))
    return out


@detector("contact")
def contact(post: Post) -> list[Signal]:
    return find_contact(post)
