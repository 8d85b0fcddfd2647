"""PRIV: personal information.

```
PRIV1xx contact details        PRIV101 email-address · PRIV102 phone-number · PRIV103 street-address
                               PRIV104 date-of-birth                      (detector "contact")
PRIV2xx government identifiers PRIV201 nz-ird-number · PRIV202 nz-nhi-number · PRIV203 nz-driver-licence
                               PRIV204 nz-other-identifier (passport, social welfare number)
                               PRIV211 au-tax-file-number · PRIV212 au-medicare-number
                               PRIV213 au-business-number · PRIV214 au-other-identifier
                               PRIV221 uk-national-insurance-number · PRIV222 uk-nhs-number
                               PRIV223 uk-other-identifier                (detector "identifiers")
PRIV3xx financial              PRIV301 payment-card-number · PRIV302 bank-account-number
PRIV4xx people and cases       PRIV401 member-of-public-with-case-details · PRIV402 sensitive-category-about-person
                               PRIV403 case-reference-number · PRIV404 staff-identified
                               PRIV405 own-personal-details               (detectors "people", "contact")
```

Detectors say what a span is and how sure they are (``score``); rules decide whether it is a
problem here. Confidence maps to a severity shift (``_shift_for``): 0.85 and up keeps the pack's
severity, 0.6 to 0.85 is one step lower, 0.4 to 0.6 two steps lower. Messages never echo the
personal data: identifiers are masked (``***-***-850``), names shown as initials.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any, ClassVar

from govsocial.detectors.base import Signal
from govsocial.model import Context, Post, Severity
from govsocial.rules.base import CheckEnv, Hit, Rule
from govsocial.text import TermMatcher, mask, sentences

__all__ = [
    "AuBusinessNumber",
    "AuMedicareNumber",
    "AuOtherIdentifier",
    "AuTaxFileNumber",
    "CaseReferenceNumber",
    "DateOfBirth",
    "EmailAddress",
    "MemberOfPublicWithCaseDetails",
    "NzBankAccount",
    "NzDriverLicence",
    "NzIrdNumber",
    "NzNhiNumber",
    "NzOtherIdentifier",
    "OwnPersonalDetails",
    "PaymentCardNumber",
    "PhoneNumber",
    "SensitiveCategoryAboutPerson",
    "StaffIdentified",
    "StreetAddress",
    "UkNationalInsuranceNumber",
    "UkNhsNumber",
    "UkOtherIdentifier",
    "compile_case_format",
]

_BLOCK_BOTH: Mapping[Context, Severity | None] = {Context.OFFICIAL: Severity.BLOCK, Context.PERSONAL: Severity.BLOCK}
_BLOCK_WARN: Mapping[Context, Severity | None] = {Context.OFFICIAL: Severity.BLOCK, Context.PERSONAL: Severity.WARN}
_BLOCK_HIGH: Mapping[Context, Severity | None] = {Context.OFFICIAL: Severity.BLOCK, Context.PERSONAL: Severity.HIGH}
_HIGH_WARN: Mapping[Context, Severity | None] = {Context.OFFICIAL: Severity.HIGH, Context.PERSONAL: Severity.WARN}
_HIGH_INFO: Mapping[Context, Severity | None] = {Context.OFFICIAL: Severity.HIGH, Context.PERSONAL: Severity.INFO}
_INFO_BOTH: Mapping[Context, Severity | None] = {Context.OFFICIAL: Severity.INFO, Context.PERSONAL: Severity.INFO}
_PERSONAL_WARN: Mapping[Context, Severity | None] = {Context.OFFICIAL: None, Context.PERSONAL: Severity.WARN}

_MAX_HITS = 10  # per rule and post: enough to show the problem, bounded on pathological input
_MAX_PEOPLE = 50  # names examined per post


def _shift_for(score: float) -> int | None:
    """Severity shift for a detector's confidence; ``None``: too unsure to report."""
    if score >= 0.85:
        return 0
    if score >= 0.6:
        return -1
    if score >= 0.4:
        return -2
    return None


def _signals(env: CheckEnv, name: str) -> list[Signal]:
    from govsocial.detectors.base import DETECTORS

    return env.signals(name) if name in DETECTORS else []


def _field_text(post: Post, field: str) -> str:
    if field == "text":
        return post.text
    m = re.fullmatch(r"media\[(\d{1,3})\]\.alt", field)
    if m and int(m.group(1)) < len(post.media):
        return post.media[int(m.group(1))].alt or ""
    return ""


def _compact(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


def _initials(name: str) -> str:
    """``J.S.`` for "John Smith": enough to find the name in the draft, not to repeat it."""
    return "".join(w[0].upper() + "." for w in name.split() if w[:1].isalpha()) or "a person"


def _person_shift(score: float) -> int | None:
    """Severity shift for a name found by the people detector (its tagger scores names 0.5–0.9)."""
    if score >= 0.7:
        return 0
    if score >= 0.55:
        return -1
    return None


def _where(field: str) -> str:
    return "" if field == "text" else " in the image description"


# --------------------------------------------------------------------------- PRIV2xx, PRIV3xx


class _IdentifierRule(Rule):
    """Shared check for rules that report identifier signals of some kinds."""

    kinds: ClassVar[Mapping[str, str]] = {}
    options: ClassVar[Mapping[str, Any]] = {"published_identifiers": []}

    def setup(self) -> None:
        self.published = frozenset(_compact(str(v)) for v in self.config.get("published_identifiers") or ())

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        count = 0
        for sig in _signals(env, "identifiers"):
            if sig.kind not in self.kinds or count >= _MAX_HITS:
                continue
            shift = _shift_for(sig.score)
            if shift is None or self.skip(sig, post, env) or _compact(sig.value) in self.published:
                continue
            shift += self.adjust(sig, post, env)
            count += 1
            yield Hit(
                message=f"{self.kinds[sig.kind]} {mask(sig.value)} {_how(sig)}{_where(sig.field)}.",
                start=sig.start,
                end=sig.end,
                field=sig.field,
                shift=shift,
                evidence={"kind": sig.kind, "score": sig.score, **dict(sig.evidence)},
            )

    def skip(self, sig: Signal, post: Post, env: CheckEnv) -> bool:
        """Whether this signal is not a problem (documentation example, public number...)."""
        return False

    def adjust(self, sig: Signal, post: Post, env: CheckEnv) -> int:
        """Extra severity shift for this signal (for example up for a sole trader's own ABN)."""
        return 0


def _how(sig: Signal) -> str:
    ev = sig.evidence
    if ev.get("check_digit") == "valid":
        how = "with a valid check digit"
        if ev.get("context"):
            how += f" next to “{ev['context']}”"
        return how
    if ev.get("context"):
        return f"next to “{ev['context']}”"
    return "in the format of one"


class NzIrdNumber(_IdentifierRule):
    """A New Zealand IRD (tax) number.

    ## What it does
    Finds 8- or 9-digit numbers written like IRD numbers (`NN-NNN-NNN`, `NNN-NNN-NNN`) whose
    check digit is valid (Inland Revenue's modulus-11 scheme), or that sit next to "IRD" or "tax".
    A bare run of digits that happens to pass the check is reported at a lower severity.

    ## Why is this bad?
    An IRD number is a key to someone's tax affairs and a favourite of identity thieves; NZ
    agencies' house rules list it as private information that must never be posted.

    ## Example
        Hi Jane, your IRD number 49-091-850 is now linked to your account.

    Use instead:
        Hi Jane, your IRD number is now linked to your account. We've sent the details by secure message.

    ## Options
    - `published_identifiers`: numbers the agency publishes itself (for example its GST number).

    ## Known false positives
    Any 8–9 digit number has about a one-in-eleven chance of passing the check: statistics
    written without separators are skipped when a counting word follows them ("36827520 tests").

    ## References
    Guidance digest section 7.1 (PII-NZ-IRD), catalogue XR-03.
    """

    code = "PRIV201"
    name = "nz-ird-number"
    catalogue = ("XR-03",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the IRD number; deal with tax details by secure message."
    kinds: ClassVar[Mapping[str, str]] = {"nz_ird": "NZ IRD number"}

    def adjust(self, sig: Signal, post: Post, env: CheckEnv) -> int:
        # A business's GST number is its IRD number and is printed on every invoice.
        before = _field_text(post, sig.field)[max(0, sig.start - 40) : sig.start].lower()
        return -2 if "gst" in before else 0


class NzNhiNumber(_IdentifierRule):
    """A New Zealand National Health Index (NHI) number.

    ## What it does
    Finds 7-character NHI numbers in the old (`AAANNNC`) and new (`AAANNAX`) formats whose check
    character is valid (HISO 10046), in upper case or next to "NHI".

    ## Why is this bad?
    The NHI number identifies a patient across the health system; with it come health records,
    the most sensitive personal information there is.

    ## Example
        Patient JBX3656 has been transferred to ward 4.

    Use instead:
        A patient has been transferred to ward 4.

    ## Known false positives
    NHI numbers that start with Z are reserved for testing: they are treated as documentation
    examples ("an NHI looks like ZZZ0016") and not reported.

    ## References
    Guidance digest section 7.1 (PII-NZ-NHI), catalogue XR-03.
    """

    code = "PRIV202"
    name = "nz-nhi-number"
    catalogue = ("XR-03",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the NHI number."
    kinds: ClassVar[Mapping[str, str]] = {"nz_nhi": "NZ NHI number"}

    def skip(self, sig: Signal, post: Post, env: CheckEnv) -> bool:
        return bool(sig.evidence.get("test_reserved"))


class NzDriverLicence(_IdentifierRule):
    """A New Zealand driver licence number.

    ## What it does
    Finds two letters and six digits (`AB123456`) next to "driver licence", "DL" or "licence
    number"; a following 3-digit licence version number makes it certain.

    ## Why is this bad?
    A licence number and version are what identity checks ask for; posted, they let someone pass
    as the holder.

    ## Example
        Your driver licence AB123456 version 123 has been renewed.

    Use instead:
        Your driver licence has been renewed.

    ## References
    Guidance digest section 7.1 (PII-NZ-DL), catalogue XR-03.
    """

    code = "PRIV203"
    name = "nz-driver-licence"
    catalogue = ("XR-03",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the licence number."
    kinds: ClassVar[Mapping[str, str]] = {"nz_driver_licence": "NZ driver licence number"}


class NzOtherIdentifier(_IdentifierRule):
    """A New Zealand passport or social welfare (MSD client) number.

    ## What it does
    Finds a passport-shaped number (`LA123456`) next to "passport", and a 9-digit number next to
    "social welfare number", "SWN", "client number", "MSD" or "Work and Income".

    ## Why is this bad?
    Passport and welfare client numbers identify a person to government; NZ house rules list the
    social welfare number as private information.

    ## Example
        Your MSD client number 348-512-907 is on the letter we sent.

    Use instead:
        Your client number is on the letter we sent.

    ## References
    Guidance digest section 7.1 (PII-NZ-PP, PII-NZ-SWN), catalogue XR-03.
    """

    code = "PRIV204"
    name = "nz-other-identifier"
    catalogue = ("XR-03",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the passport or client number."
    kinds: ClassVar[Mapping[str, str]] = {"nz_passport": "NZ passport number", "nz_swn": "NZ social welfare number"}


class AuTaxFileNumber(_IdentifierRule):
    """An Australian tax file number (TFN).

    ## What it does
    Finds 9-digit numbers with a valid TFN check digit (weights 1,4,3,7,5,8,6,9,10, modulus 11),
    and 8-digit numbers next to "TFN" or "tax file number" (older TFNs; reported one step lower
    because sources disagree on their check).

    ## Why is this bad?
    TFN misuse is specifically regulated (Privacy (Tax File Number) Rule); a posted TFN must be
    taken down.

    ## Example
        Thanks, we've updated the record for TFN 123 456 782.

    Use instead:
        Thanks, we've updated your record.

    ## References
    Guidance digest section 7.2 (PII-AU-TFN), catalogue XR-03.
    """

    code = "PRIV211"
    name = "au-tax-file-number"
    catalogue = ("XR-03",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the tax file number."
    kinds: ClassVar[Mapping[str, str]] = {"au_tfn": "Australian tax file number"}


class AuMedicareNumber(_IdentifierRule):
    """An Australian Medicare card number.

    ## What it does
    Finds 10- or 11-digit numbers that start with 2–6 and pass the Medicare check digit
    (weights 1,3,7,9,1,3,7,9, modulus 10), usually written `NNNN NNNNN N`.

    ## Why is this bad?
    A Medicare number gives access to someone's health services and is used as proof of identity.

    ## Example
        We have your Medicare card 2123 45670 1 on file.

    Use instead:
        We have your Medicare details on file.

    ## References
    Guidance digest section 7.2 (PII-AU-MEDICARE), catalogue XR-03.
    """

    code = "PRIV212"
    name = "au-medicare-number"
    catalogue = ("XR-03",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the Medicare number."
    kinds: ClassVar[Mapping[str, str]] = {"au_medicare": "Medicare number"}


class AuBusinessNumber(_IdentifierRule):
    """An Australian Business Number (ABN).

    ## What it does
    Finds 11-digit numbers with a valid ABN check (modulus 89), usually written `NN NNN NNN NNN`.
    ABNs are public, so this is a nudge; it is raised one step when the number is someone's own
    as a sole trader ("my ABN", "sole trader").

    ## Why is this bad?
    For a sole trader the ABN is tied to a person, and with a name and address it helps identity
    fraud.

    ## Example
        Supplier payments go to ABN 51 824 753 556.

    Use instead:
        Supplier payment details are on our website.

    ## Options
    - `published_identifiers`: ABNs the agency publishes (its own).

    ## References
    Guidance digest section 7.2 (PII-AU-ABN), catalogue XR-03.
    """

    code = "PRIV213"
    name = "au-business-number"
    catalogue = ("XR-03",)
    default_severity = _INFO_BOTH
    fix = "Check the ABN belongs to an organisation and is meant to be public."
    kinds: ClassVar[Mapping[str, str]] = {"au_abn": "ABN"}

    def adjust(self, sig: Signal, post: Post, env: CheckEnv) -> int:
        before = _field_text(post, sig.field)[max(0, sig.start - 40) : sig.start].lower()
        return 1 if ("my abn" in before or "sole trader" in before) else 0


class AuOtherIdentifier(_IdentifierRule):
    """Another Australian identifier: healthcare identifier, passport, Centrelink or licence number.

    ## What it does
    Finds Individual Healthcare Identifiers (16 digits starting 800360, Luhn check), passport
    numbers (1–2 letters and 7 digits) next to "passport", Centrelink customer reference numbers
    (`NNN NNN NNNA`) next to "CRN" or "Centrelink", and driver licence numbers right after
    "driver licence" (state formats vary, so the keyword decides).

    ## Why is this bad?
    These numbers identify a person to government services; NSW lists driver licence details as
    sensitive personal information.

    ## Example
        Your Centrelink CRN 123 456 789A has been updated.

    Use instead:
        Your Centrelink record has been updated.

    ## References
    Guidance digest section 7.2 (PII-AU-IHI, PII-AU-DL, PII-AU-PP, PII-AU-CRN), catalogue XR-03.
    """

    code = "PRIV214"
    name = "au-other-identifier"
    catalogue = ("XR-03",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the identifier."
    kinds: ClassVar[Mapping[str, str]] = {
        "au_ihi": "Individual Healthcare Identifier",
        "au_passport": "Passport number",
        "au_crn": "Centrelink reference number",
        "driver_licence": "Driver licence number",
    }


class UkNationalInsuranceNumber(_IdentifierRule):
    """A UK National Insurance number.

    ## What it does
    Finds `AB 12 34 56 C`-shaped numbers whose prefix follows HMRC's allocation rules (no D, F, I,
    Q, U or V; second letter not O; not BG, GB, KN, NK, NT, TN or ZZ). The suffix letter or a
    keyword ("NI number", "National Insurance") is needed. `QQ 12 34 56 C`, the documentation
    placeholder, is never reported.

    ## Why is this bad?
    A National Insurance number is a lifelong identifier used for tax, benefits and identity
    checks.

    ## Example
        Your National Insurance number AB 12 34 56 C is on your payslip.

    Use instead:
        Your National Insurance number is on your payslip.

    ## References
    Guidance digest section 7.3 (PII-UK-NINO), catalogue XR-03.
    """

    code = "PRIV221"
    name = "uk-national-insurance-number"
    catalogue = ("XR-03",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the National Insurance number."
    kinds: ClassVar[Mapping[str, str]] = {"uk_nino": "National Insurance number"}


class UkNhsNumber(_IdentifierRule):
    """A UK NHS number (or Scottish CHI number).

    ## What it does
    Finds 10-digit numbers, usually `NNN NNN NNNN`, that pass the NHS modulus-11 check. Without
    the word "NHS" or "CHI" nearby only the ranges England and Wales allocate (4xx, 6xx–7xx) count.

    ## Why is this bad?
    The NHS number identifies a patient and unlocks their health record.

    ## Example
        NHS number 943 476 5870 has been referred to the clinic.

    Use instead:
        The referral has been sent to the clinic.

    ## References
    Guidance digest section 7.3 (PII-UK-NHS, PII-UK-CHI), catalogue XR-03.
    """

    code = "PRIV222"
    name = "uk-nhs-number"
    catalogue = ("XR-03",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the NHS number."
    kinds: ClassVar[Mapping[str, str]] = {"uk_nhs": "NHS number"}


class UkOtherIdentifier(_IdentifierRule):
    """Another UK identifier: DVLA driving licence number, UTR or passport number.

    ## What it does
    Finds 16-character DVLA licence numbers by their structure (surname, date of birth, initials),
    and 10-digit Unique Taxpayer References and 9-digit passport numbers next to "UTR", "self
    assessment" or "passport".

    ## Why is this bad?
    These numbers identify a person to HMRC, the DVLA and the Passport Office and are used in
    identity checks.

    ## Example
        Your driving licence MORGA657054SM9IJ is ready to collect.

    Use instead:
        Your driving licence is ready to collect.

    ## References
    Guidance digest section 7.3 (PII-UK-DL, PII-UK-UTR, PII-UK-PP), catalogue XR-03.
    """

    code = "PRIV223"
    name = "uk-other-identifier"
    catalogue = ("XR-03",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the identifier."
    kinds: ClassVar[Mapping[str, str]] = {
        "uk_driving_licence": "UK driving licence number",
        "uk_utr": "Unique Taxpayer Reference",
        "uk_passport": "UK passport number",
    }


class PaymentCardNumber(_IdentifierRule):
    """A payment card number.

    ## What it does
    Finds 13–19 digit numbers that pass the Luhn check and start with a card network's IIN range
    (Visa, Mastercard, Amex, Diners, Discover, JCB, UnionPay, Maestro); 12-digit Maestro numbers
    only next to "card".

    ## Why is this bad?
    A card number is all a fraudster needs for card-not-present fraud; PCI rules forbid showing it.

    ## Example
        Card 4111 1111 1111 1111 was charged twice, sorry about that.

    Use instead:
        Your card was charged twice, sorry about that. We've refunded the second payment.

    ## References
    Guidance digest section 7.4 (PII-GEN-CARD), catalogue XR-04.
    """

    code = "PRIV301"
    name = "payment-card-number"
    catalogue = ("XR-04",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the card number."
    kinds: ClassVar[Mapping[str, str]] = {"payment_card": "Payment card number"}


class NzBankAccount(_IdentifierRule):
    """A bank account number: a New Zealand account or an IBAN.

    ## What it does
    Finds NZ bank account numbers (`BB-bbbb-AAAAAAA-SSS`) that pass the bank's checksum and
    belong to a known bank and branch, and IBANs that pass the modulus-97 check. Accounts the
    agency publishes for payments are allowed through the `agency_bank_accounts` option.

    ## Why is this bad?
    Someone's bank account number, with their name, enables direct-debit fraud and scams; NZ house
    rules list it as private information.

    ## Example
        We paid the refund into account 01-0242-0100194-00 this morning.

    Use instead:
        We paid the refund into your nominated account this morning.

    ## Options
    - `agency_bank_accounts`: the agency's published accounts (any spacing).

    ## References
    Guidance digest section 7.1 (PII-NZ-BANK), catalogue XR-03.
    """

    code = "PRIV302"
    name = "bank-account-number"
    catalogue = ("XR-03",)
    default_severity = _BLOCK_BOTH
    fix = "Remove the account number; confirm payment details privately."
    kinds: ClassVar[Mapping[str, str]] = {"nz_bank_account": "Bank account number", "iban": "IBAN"}
    options: ClassVar[Mapping[str, Any]] = {"published_identifiers": [], "agency_bank_accounts": []}

    def setup(self) -> None:
        super().setup()
        accounts = frozenset(_compact(str(v)) for v in self.config.get("agency_bank_accounts") or ())
        # NZ suffixes are written with two or three digits: allow both spellings.
        self.published = self.published | accounts | frozenset(a[:13] + "0" + a[13:] for a in accounts if len(a) == 15)

    def skip(self, sig: Signal, post: Post, env: CheckEnv) -> bool:
        value = _compact(sig.value)
        return len(value) == 15 and value[:13] + "0" + value[13:] in self.published


# --------------------------------------------------------------------------- PRIV1xx

_ORG_PHONE_CUE_RE = re.compile(
    r"\b(?:helpline|hotline|healthline|freephone|call[ ]us|ring[ ]us|phone[ ]us|text[ ]us|whatsapp[ ]us|contact[ ]us|contact[ ]centre|"
    r"call[ ]centre|our[ ](?:team|office|offices|line|lines|number|contact|helpdesk)|enquir(?:y|ies)|info(?:rmation)?[ ]line|"
    r"customer[ ]service|reception|switchboard|the[ ]ministry|the[ ]council|the[ ]department|the[ ]agency|"
    r"office|offices|centre|center|clinic|hospital|branch|desk|line|service|services|support|team|unit|department|"
    r"ministry|council|agency|station|police|emergency|crisis|advice|appointments?|bookings?|reservations?)\b",
    re.IGNORECASE,
)
_PERSONAL_PHONE_CUE_RE = re.compile(
    r"\b(?:call|ring|text|phone|txt|message|contact|reach)[ ](?:me|him|her|them)\b|"
    r"\b(?:my|his|her|their)[ ](?:mobile|cell|cellphone|phone|number|landline|home[ ]phone)\b|"
    r"\b[A-Z][a-z]{1,20}['’]s[ ](?:mobile|cell|phone|number)\b",
    re.IGNORECASE,
)
# US and Canadian numbers are all "fixed line or mobile": they count as landlines here.
_MOBILE_TYPES = frozenset({"mobile", "personal_number", "pager"})


# "jane.doe", "jane_doe", "j.doe": the shape of a person's work address.
_NAMED_LOCAL_RE = re.compile(r"[A-Za-z]{1,30}[._-][A-Za-z]{2,30}(?:[._-][A-Za-z]{2,30})?\d{0,3}")


class EmailAddress(Rule):
    """An email address of a person.

    ## What it does
    Finds email addresses and reports those that belong to a person: the agency's own domains
    (option `agency_domains`) and role mailboxes such as info@, enquiries@ or media@ are skipped;
    a named person's address at another government domain is reported one step lower.

    ## Why is this bad?
    A personal email address lets anyone contact, spam or phish that person; publishing a member
    of the public's address is a privacy breach. On a personal account, posting your own address
    invites spam and scams (the pack gives that a lower severity).

    ## Example
        Please contact Jane directly at jane.doe@gmail.com about your complaint.

    Use instead:
        Please contact us at enquiries@example.govt.nz about your complaint.

    ## Options
    - `agency_domains` (pack option): the agency's domains; addresses there are not reported.

    ## Known false positives
    A business's general address that does not look like a role mailbox (shop@...); add its
    domain to `agency_domains` if it is the agency's.

    ## References
    Guidance digest section 7.4 (PII-GEN-EMAIL), catalogue XR-04.
    """

    code = "PRIV101"
    name = "email-address"
    catalogue = ("XR-04",)
    default_severity = _BLOCK_WARN
    fix = "Remove the personal email address, or use a role mailbox the agency publishes."
    options: ClassVar[Mapping[str, Any]] = {"agency_domains": []}

    def setup(self) -> None:
        self.domains = tuple(
            str(d).lower().lstrip("@.") for d in self.config.get("agency_domains") or () if str(d).strip()
        )

    def _agency(self, domain: str) -> bool:
        return any(domain == d or domain.endswith("." + d) for d in self.domains)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        count = 0
        for sig in _signals(env, "contact"):
            if sig.kind != "email" or count >= _MAX_HITS:
                continue
            ev = sig.evidence
            domain = str(ev.get("domain", ""))
            if self._agency(domain) or ev.get("role"):
                continue
            local = sig.value.partition("@")[0]
            if ev.get("government") and not _NAMED_LOCAL_RE.fullmatch(local):
                continue  # a government mailbox that is not someone's name (disaster@, cmadrid@)
            shown = f"***@{domain}" if ev.get("free_mail") or ev.get("government") else mask(sig.value)
            shift = -1 if ev.get("government") else 0
            count += 1
            yield Hit(
                message=f"Email address {shown} of a person{_where(sig.field)}.",
                start=sig.start,
                end=sig.end,
                field=sig.field,
                shift=shift,
                evidence={"kind": "email", **dict(ev)},
            )


class PhoneNumber(Rule):
    """A phone number of a person.

    ## What it does
    Finds NZ, AU, UK and international phone numbers (validated with libphonenumber) and reports
    those that may belong to a person. Not reported: the agency's published numbers (option
    `agency_numbers`, compared in E.164 form so any spacing matches), toll-free, shared-cost and
    premium numbers (0800, 0508, 1800, 13xx, 0300...), emergency and short codes (111, 000, 999,
    105, 119), and numbers introduced as a helpline or office ("call our team on ..."). A number
    introduced as someone's ("call me on", "her mobile") keeps the pack's severity; a mobile
    number without that is one step lower, a landline two.

    ## Why is this bad?
    A personal phone number exposes its owner to calls, texts, scams and harassment.

    ## Example
        Hi Sam, the caseworker's mobile is 021 234 5678, ring her after 3pm.

    Use instead:
        Hi Sam, please call us on 0800 123 456 and ask for your caseworker.

    ## Options
    - `agency_numbers` (pack option): the agency's published numbers.

    ## References
    Guidance digest section 7.4 (PII-GEN-PHONE), catalogue XR-04.
    """

    code = "PRIV102"
    name = "phone-number"
    catalogue = ("XR-04",)
    default_severity = _BLOCK_WARN
    fix = "Remove the personal number; give the agency's published number instead."
    options: ClassVar[Mapping[str, Any]] = {"agency_numbers": []}

    def setup(self) -> None:
        from govsocial.detectors.contact import normalise_phone

        numbers: set[str] = set()
        for value in self.config.get("agency_numbers") or ():
            for region in ("NZ", "AU", "GB", "US"):
                e164 = normalise_phone(str(value), region)
                if e164:
                    numbers.add(e164)
        self.numbers = frozenset(numbers)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        phones = [s for s in _signals(env, "contact") if s.kind == "phone"]
        if not phones:
            return
        ids = [s for s in _signals(env, "identifiers") if s.score >= 0.85]
        count = 0
        for sig in phones:
            ev = sig.evidence
            if ev.get("non_personal") or (ev.get("e164") and ev["e164"] in self.numbers) or count >= _MAX_HITS:
                continue
            if any(i.field == sig.field and i.start < sig.end and sig.start < i.end for i in ids):
                continue  # an identifier the identifier rules report
            shift = _shift_for(sig.score)
            if shift is None:
                continue
            text = _field_text(post, sig.field)
            before = text[max(0, sig.start - 50) : sig.start]
            after = text[sig.end : sig.end + 25]
            if _PERSONAL_PHONE_CUE_RE.search(before):
                how = "introduced as someone's own number"
            elif _ORG_PHONE_CUE_RE.search(before) or _ORG_PHONE_CUE_RE.match(after.lstrip(" (-")):
                continue
            elif ev.get("line_type") in _MOBILE_TYPES:
                how, shift = "a mobile number", shift - 1
            else:
                how, shift = "check it is a published number", shift - 2
            count += 1
            yield Hit(
                message=f"Phone number {mask(sig.value)}: {how}{_where(sig.field)}.",
                start=sig.start,
                end=sig.end,
                field=sig.field,
                shift=shift,
                evidence={"kind": "phone", "score": sig.score, **dict(ev)},
            )


_VENUE_RE = re.compile(
    r"\b(?:centre|center|hall|library|school|college|university|campus|park|reserve|domain|museum|gallery|stadium|"
    r"arena|church|marae|station|clinic|hospital|pharmacy|shelter|evacuation|venue|event|office|offices|hq|"
    r"headquarters|building|bldg|store|shop|mall|caf[eé]|restaurant|hotel|motel|inn|ymca|hub|depot|site|"
    r"open|opens|closed|closure|roadworks|drop-in|pop-up|testing|vaccination|distribution|collection|"
    r"parking|car[ ]park|entrance|meeting|workshop|expo|market|festival|exhibition|[Tt]e[ ]Papa|beehive|parliament)\b",
    re.IGNORECASE,
)
_PERSONAL_ADDRESS_CUE_RE = re.compile(
    r"\b(?:lives?|lived|living|resides?|resided|residing|resident|home|house|my[ ]address|his[ ]address|"
    r"her[ ]address|their[ ]address|address[ ]of|flat|moved[ ](?:in)?to|property[ ]of|staying)\b",
    re.IGNORECASE,
)
_ADDRESS_KEY_RE = re.compile(r"[^a-z0-9]{1,10}")


def _address_key(value: str) -> str:
    return _ADDRESS_KEY_RE.sub(" ", value.lower()).strip()


class StreetAddress(Rule):
    """A street address that may be where someone lives.

    ## What it does
    Finds street addresses (a number, a street name and a street-type word; continental forms;
    PO boxes; addresses introduced by "lives at" or "address:") with the unit, town and postcode
    that follow. An address introduced as someone's home ("lives at", "her address", "moved
    to") keeps the pack's severity; an address with no such cue is one step lower. Addresses of
    venues and services ("the clinic at 12 King St", "evacuation centre") and the agency's own
    addresses (option `agency_addresses`) are not reported, nor are bare UK postcodes unless
    someone's home is mentioned.

    ## Why is this bad?
    A home address tells anyone where to find a person: it exposes them to unwanted visits,
    harassment or worse.

    ## Example
        Mr Brown, who lives at 42 Karaka Street, Wellington, has complained again.

    Use instead:
        A resident has complained again; we're looking into it.

    ## Options
    - `agency_addresses` (pack option): the agency's published addresses.

    ## Known false positives
    Business addresses named without a venue word ("Meet us at 12 Queen St"): one step lower.

    ## References
    Guidance digest section 7.4 (PII-GEN-ADDR), catalogue XR-04.
    """

    code = "PRIV103"
    name = "street-address"
    catalogue = ("XR-04",)
    default_severity = _HIGH_WARN
    fix = "Remove the street address; give a general area or the agency's address instead."
    options: ClassVar[Mapping[str, Any]] = {"agency_addresses": []}

    def setup(self) -> None:
        keys: set[str] = set()
        for value in self.config.get("agency_addresses") or ():
            key = _address_key(str(value))
            if key:
                keys.add(key)
                keys.add(_address_key(str(value).split(",")[0]))
        self.allowed = tuple(sorted(keys))

    def _allowed(self, value: str, line: str) -> bool:
        key, line_key = _address_key(value), _address_key(line)
        return any(a in (key, line_key) or a.startswith(line_key + " ") or key.startswith(a) for a in self.allowed)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        count = 0
        for sig in _signals(env, "contact"):
            if sig.kind not in ("address", "postcode") or count >= _MAX_HITS:
                continue
            text = _field_text(post, sig.field)
            line_end = int(sig.evidence.get("line_end", sig.end))
            if self._allowed(sig.value, text[sig.start : line_end]):
                continue
            before = text[max(0, sig.start - 60) : sig.start]
            after = text[sig.end : sig.end + 30]
            cue = sig.evidence.get("cue")
            personal = _PERSONAL_ADDRESS_CUE_RE.search(before) is not None or cue in ("lives at", "lives on", "address")
            if not personal and (_VENUE_RE.search(before) or _VENUE_RE.search(after)):
                continue
            shift = _shift_for(sig.score)
            if shift is None or (sig.kind == "postcode" and not personal):
                continue
            if not personal:
                shift -= 1
            what = "Postcode" if sig.kind == "postcode" else "Street address"
            count += 1
            yield Hit(
                message=f"{what} {mask(sig.value)}{' given as where someone lives' if personal else ''}{_where(sig.field)}.",
                start=sig.start,
                end=sig.end,
                field=sig.field,
                shift=shift,
                evidence={"kind": sig.kind, "personal": personal, **dict(sig.evidence)},
            )


class DateOfBirth(Rule):
    """A date of birth.

    ## What it does
    Finds a date right after "born", "DOB", "d.o.b", "date of birth" or "birthday". A day and month
    without a year is reported one step lower; births more than a century before the post (or
    before `historic_before_year` when the post has no date) are history, not personal data.

    ## Why is this bad?
    Date of birth is a standard identity-check question; with a name it helps identity theft.

    ## Example
        Happy retirement to Sarah Lee (DOB 14/03/1961) from all of us.

    Use instead:
        Happy retirement to Sarah Lee from all of us.

    ## Options
    - `historic_before_year` (default 1926): births before this year are not reported when the
      post has no date.

    ## References
    Guidance digest section 7.4 (PII-GEN-DOB), catalogue XR-04.
    """

    code = "PRIV104"
    name = "date-of-birth"
    catalogue = ("XR-04",)
    default_severity = _HIGH_WARN
    fix = "Remove the date of birth."
    options: ClassVar[Mapping[str, Any]] = {"historic_before_year": 1926}

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        cutoff = post.date.year - 100 if post.date else int(self.config.get("historic_before_year") or 1926)
        count = 0
        for sig in _signals(env, "contact"):
            if sig.kind != "dob" or count >= _MAX_HITS:
                continue
            year = sig.evidence.get("year")
            if isinstance(year, int) and year < cutoff:
                continue
            shift = _shift_for(sig.score)
            if shift is None:
                continue
            count += 1
            yield Hit(
                message=f"Date of birth {mask(sig.value)} after “{sig.evidence.get('cue')}”{_where(sig.field)}.",
                start=sig.start,
                end=sig.end,
                field=sig.field,
                shift=shift,
                evidence={"kind": "dob", **dict(sig.evidence)},
            )


# --------------------------------------------------------------------------- PRIV4xx

_CASE_TERMS = (
    "claim", "claims", "case", "case file", "application", "applications", "benefit", "benefits", "payment",
    "payments", "entitlement", "diagnosis", "diagnosed", "complaint", "complaints", "debt", "overpayment",
    "arrears", "sanction", "appeal", "review of decision", "assessment", "declined", "approved", "cancelled",
    "suspended", "investigation", "visa", "residency", "treatment", "surgery", "referral", "medical certificate",
    "sickness", "conviction", "fine", "infringement", "tenancy", "eviction", "custody", "grant", "hardship",
    "jobseeker", "sole parent", "student loan", "child support", "working for families", "ACC",
)  # fmt: skip
_SENSITIVE_TERMS: Mapping[str, tuple[str, ...]] = {
    "health": (
        "diagnosed", "diagnosis", "cancer", "HIV", "AIDS", "hepatitis", "dementia", "alzheimer's", "depression",
        "mental illness", "mental health condition", "schizophrenia", "bipolar", "autism", "autistic", "disability",
        "disabled", "pregnant", "pregnancy", "miscarriage", "abortion", "tested positive", "terminal illness",
        "chemotherapy", "overdose", "suicide attempt", "self-harm", "addiction", "rehab", "STI", "diabetes",
        "epilepsy", "in hospital", "hospitalised", "hospitalized", "in intensive care", "in ICU",
    ),
    "criminal": (
        "convicted", "conviction", "convictions", "criminal record", "arrested", "charged with", "pleaded guilty",
        "jailed", "in prison", "imprisoned", "sentenced", "on parole", "on bail", "offender", "sex offender",
        "police record", "protection order",
    ),
    "immigration": (
        "overstayer", "overstaying", "deported", "deportation", "visa refused", "visa declined", "visa cancelled",
        "refugee status", "asylum seeker", "seeking asylum", "undocumented", "illegal immigrant",
        "unlawful in New Zealand", "unlawfully in",
    ),
    "benefit": (
        "on the benefit", "on a benefit", "on benefits", "jobseeker support", "sole parent support", "sickness benefit",
        "supported living payment", "emergency housing", "food grant", "hardship grant", "Universal Credit",
        "Centrelink payments", "on welfare", "benefit sanction", "benefit debt",
    ),
}  # fmt: skip
# Names that are speakers or office-holders, not subjects: "Dr Bloomfield said", "Minister Hipkins".
_PUBLIC_TITLE_RE = re.compile(
    r"(?:\b(?:Minister|Prime[ ]Minister|PM|President|Premier|Senator|Governor|Mayor|Councillor|Dr|Prof|Professor|"
    r"Queen|King|Prince|Princess|HRH|Lord|Lady|Representative|Rep|Congressman|Congresswoman|MP|"
    r"Judge|Justice|Sir|Dame|Hon|Chief|Director|Commissioner|Secretary|Spokesperson|Officer|Superintendent|"
    r"Inspector|Constable|Detective|Sergeant|CEO|Chair)\.?[ ]{1,2}(?:[A-Z][\w'’-]{0,20}[ ]{1,2}){0,3})$"
)
_SPEAKER_AFTER_RE = re.compile(
    r"^[ ,]{0,3}(?:\([^)]{0,40}\)[ ,]{0,3})?(?:said|says|say|announced|announces|confirmed|confirms|told|tells|"
    r"explained|urged|urges|reported|reports|spoke|speaks|will[ ]speak|thanked|welcomed|visited|opened|has[ ]announced)\b"
)
_HONORIFIC_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?[ ](?:[A-Z][a-z'’-]{1,20}[ ]?){1,2}")
_SIGN_OFF_RE = re.compile(
    r"(?:\^|[-–—~][ ]?|\bThanks,?[ ]|\bCheers,?[ ]|\bRegards,?[ ]|\bKind[ ]regards,?[ ]|\bNgā[ ]mihi,?[ ])\s{0,3}$"
)
_YOUR_CASE_RE = re.compile(
    r"\byour[ ](?:claim|application|benefit|payment|case|debt|overpayment|appeal|visa|entitlement|assessment|"
    r"complaint|referral|treatment)\b[^.!?\n]{0,60}\b(?:declined|refused|rejected|cancelled|suspended|stopped|"
    r"reduced|overpaid|under[ ]investigation|sanctioned|denied|debt|owing|owe)\b",
    re.IGNORECASE,
)


def _is_reply(post: Post) -> bool:
    return post.reply_to is not None or post.text.lstrip().startswith("@")


class _PeopleMixin:
    """Names a rule must not count as members of the public: staff, spokespeople, politicians."""

    config: Mapping[str, Any]

    def setup_people(self) -> None:
        names: list[str] = []
        for key in ("spokespeople", "staff_names", "ministers", "politicians", "agency_names"):
            names.extend(str(n) for n in self.config.get(key) or () if str(n).strip())
        self.known = TermMatcher(tuple(names), fold_macrons=True)

    def people(self, post: Post, env: CheckEnv, text: str) -> Iterator[tuple[int, int, float]]:
        """``(start, end, score)`` of members of the public named in the post text."""
        spans = [
            (s.start, s.end, s.score)
            for s in _signals(env, "people")
            if s.kind == "person" and s.field == "text" and not s.evidence.get("hashtag")
        ]
        spans += [(m.start(), m.end(), 0.8) for m in islice(_HONORIFIC_RE.finditer(text), _MAX_PEOPLE)]
        last_end = -1
        for start, end, score in sorted(spans)[:_MAX_PEOPLE]:
            if start < last_end:
                continue  # sorted by start: overlapping the previous name
            last_end = end
            name = text[start:end]
            before = text[max(0, start - 50) : start]
            if self.known and self.known.search(name):
                continue
            if _PUBLIC_TITLE_RE.search(before) or _SPEAKER_AFTER_RE.match(text[end : end + 50]):
                continue
            if _SIGN_OFF_RE.search(before) and len(text) - end <= 3:
                continue  # the staff member signing the reply
            yield start, end, score


class MemberOfPublicWithCaseDetails(_PeopleMixin, Rule):
    """A reply names a member of the public together with details of their case.

    ## What it does
    On a reply (the post has `reply_to`, or starts with an @mention), looks for a person's name
    (the `people` detector, or Mr/Ms/Mrs + surname) and case words in the same post: claim,
    application, benefit, payment, diagnosis, complaint, debt, declined... or a case number.
    Names of staff, spokespeople, ministers and politicians (pack options), names after a title
    such as Minister or Dr, and the staff member's sign-off are not members of the public.
    Without a name, telling someone publicly that "your claim was declined" is reported one
    step lower.

    ## Why is this bad?
    A public reply that ties a person's name to their claim, benefit or health details discloses
    personal information to everyone who sees the thread; take the conversation to a private
    channel.

    ## Example
        @jsmith Hi John Smith, your benefit application was declined because of your overpayment.

    Use instead:
        @jsmith Hi, we've sent you a private message about your enquiry.

    ## References
    Guidance digest section 9.2 (XR-04), section 7.4 (PII-GEN-CASE).
    """

    code = "PRIV401"
    name = "member-of-public-with-case-details"
    catalogue = ("XR-04",)
    default_severity = _BLOCK_WARN
    fix = "Move the conversation to a private message; don't name the person with their case details."
    example_post: ClassVar[Mapping[str, Any]] = {"reply_to": "Why haven't I heard about my application?"}

    def setup(self) -> None:
        self.setup_people()
        self.case_terms = TermMatcher(_CASE_TERMS)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        if not _is_reply(post):
            return
        text = post.text
        case = self.case_terms.search(text)
        case_numbers = [s for s in _signals(env, "contact") if s.kind == "case_number" and s.field == "text"]
        if case is None and not case_numbers:
            return
        what = f"“{case.term}”" if case else "a case number"
        for start, end, score in self.people(post, env, text):
            shift = _person_shift(score)
            if shift is None:
                continue
            yield Hit(
                message=f"Reply names {_initials(text[start:end])} together with case details ({what}).",
                start=start,
                end=end,
                shift=shift,
                evidence={"case_term": case.term if case else None, "score": score},
            )
            return
        outcome = _YOUR_CASE_RE.search(text)
        if outcome is not None:
            yield Hit(
                message="Reply discusses the outcome of this person's case in public.",
                start=outcome.start(),
                end=outcome.end(),
                shift=-1,
                evidence={"case_term": case.term if case else None, "named": False},
            )


class SensitiveCategoryAboutPerson(_PeopleMixin, Rule):
    """Health, criminal, immigration or benefit details about an identifiable person.

    ## What it does
    Finds a person's name (the `people` detector, or Mr/Ms/Mrs + surname) in the same sentence as
    a sensitive-category word: a diagnosis or condition, a conviction or arrest, immigration
    status, or being on a benefit. Office-holders and speakers ("Dr Bloomfield said", "Minister
    ..."), and the names in the pack's staff, spokespeople, minister and politician lists are not
    counted. A less certain name is reported one step lower.

    ## Why is this bad?
    These are special categories of personal information: disclosing them can cause
    discrimination, harm and distress, and breaches privacy law even when the facts are true.

    ## Example
        Our client John Smith was diagnosed with cancer last year and is on a benefit.

    Use instead:
        One of our clients shared how support helped them through treatment last year.

    ## Known false positives
    Stories told with the person's consent: record the consent and override.

    ## References
    Guidance digest section 9.2 (XR-05), section 7.4 (PII-GEN-HEALTH).
    """

    code = "PRIV402"
    name = "sensitive-category-about-person"
    catalogue = ("XR-05",)
    default_severity = _HIGH_WARN
    fix = "Remove the sensitive detail or the person's name, unless they have consented in writing."

    def setup(self) -> None:
        self.setup_people()
        self.categories = {term.lower(): cat for cat, terms in _SENSITIVE_TERMS.items() for term in terms}
        self.terms = TermMatcher(tuple(t for terms in _SENSITIVE_TERMS.values() for t in terms))
        # Cheap gate before the people detector runs: some word of some sensitive term is present.
        self.gate = frozenset(
            w
            for terms in _SENSITIVE_TERMS.values()
            for t in terms
            for w in t.lower().split()
            if w not in _GATE_STOPWORDS
        )

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        text = post.text
        if self.gate.isdisjoint(_GATE_SPLIT_RE.split(text.lower())) or self.terms.search(text) is None:
            return
        people = list(self.people(post, env, text))
        if not people:
            return
        spans = sentences(text) if len(text) <= 20_000 else [(0, len(text))]
        count = 0
        for start, end, score in people:
            s_start, s_end = next(((s, e) for s, e in spans if s <= start < e), (0, len(text)))
            # About the person: in the same sentence, shortly after the name or just before it.
            s_start, s_end = max(s_start, start - _BEFORE_NAME), min(s_end, end + _AFTER_NAME)
            term = self.terms.search(text[s_start:s_end])
            shift = _person_shift(score)
            if term is None or shift is None or count >= _MAX_HITS:
                continue
            category = self.categories.get(term.entry.lower(), "sensitive")
            count += 1
            yield Hit(
                message=f"{category.capitalize()} detail (“{term.term}”) about a named person ({_initials(text[start:end])})",
                start=start,
                end=max(end, s_start + term.end),
                shift=shift,
                evidence={"category": category, "term": term.term, "score": score},
            )


_GATE_STOPWORDS = frozenset({"in", "on", "a", "the", "with", "of", "for", "to", "at"})
_GATE_SPLIT_RE = re.compile(r"[^\w'’-]{1,20}")
_BEFORE_NAME = 40
_AFTER_NAME = 80
_CASE_FORMAT_SAFE_RE = re.compile(r"[\w\- /.#:]{1,40}")


def compile_case_format(fmt: str) -> re.Pattern[str]:
    """A compiled pattern for one `case_number_formats` entry.

    A template (only letters, digits, ``#``, spaces and ``-/.:``) reads ``#`` as a digit and ``A``
    as a letter, everything else literally ("ACC#######", "AA-####"). Anything else is a regular
    expression; it must bound every repetition (``[0-9]{6}``, not ``[0-9]+``) so a review stays
    linear. Matches are whole words, case-insensitive. ``ValueError`` for a pattern that is not safe.
    """
    if _CASE_FORMAT_SAFE_RE.fullmatch(fmt):
        body = "".join(r"\d" if ch == "#" else "[A-Z]" if ch == "A" else re.escape(ch) for ch in fmt)
    else:
        body = fmt
        _check_bounded(fmt)
    try:
        return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"case_number_formats: {fmt!r} is not a valid pattern: {exc}") from None


def _check_bounded(fmt: str) -> None:
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    try:
        parsed = sre_parse.parse(fmt)
    except re.error as exc:
        raise ValueError(f"case_number_formats: {fmt!r} is not a valid pattern: {exc}") from None
    repeats = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None)}

    def walk(items: Iterable[Any]) -> None:
        for op, av in items:
            if op in repeats:
                if av[1] == sre_parse.MAXREPEAT or av[1] > 100:
                    raise ValueError(
                        f"case_number_formats: {fmt!r} has an unbounded repeat; write {{1,20}} instead of + or *"
                    )
                walk(av[2])
            elif op is sre_parse.SUBPATTERN:
                walk(av[-1])
            elif op is sre_parse.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
                walk(av[1])

    walk(parsed)


class CaseReferenceNumber(Rule):
    """A claim, case, file or application number of an individual.

    ## What it does
    Finds the agency's own case-number formats (pack option `case_number_formats`, for example
    `ACC#######` or the regular expression `MES-[0-9]{6}`), and numbers of five or more digits
    right after "claim", "case", "file", "application", "ACC", "visa" or "client" (one step lower).

    ## Why is this bad?
    A case number ties a post to one person's file: with it, anyone who knows them can learn or
    ask about their claim, and it tells readers which agency holds what about them.

    ## Example
        We've escalated claim number 48213377 and will call you back today.

    Use instead:
        We've escalated your claim and will call you back today.

    ## Options
    - `case_number_formats` (pack option): the agency's formats: templates (`#` a digit, `A` a
      letter) or regular expressions with bounded repeats.

    ## References
    Guidance digest section 7.4 (PII-GEN-CASE), catalogue XR-04.
    """

    code = "PRIV403"
    name = "case-reference-number"
    catalogue = ("XR-04",)
    default_severity = _BLOCK_HIGH
    fix = 'Remove the case number; refer to "your claim" and continue by private message.'
    options: ClassVar[Mapping[str, Any]] = {"case_number_formats": []}

    def setup(self) -> None:
        self.formats = tuple(
            compile_case_format(str(f)) for f in self.config.get("case_number_formats") or () if str(f).strip()
        )

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        seen: list[tuple[str, int, int]] = []
        fields = [("text", post.text)] + [(f"media[{i}].alt", m.alt) for i, m in enumerate(post.media) if m.alt]
        for field_name, text in fields:
            for rx in self.formats:
                for m in rx.finditer(text):
                    if len(seen) >= _MAX_HITS:
                        return
                    seen.append((field_name, m.start(), m.end()))
                    yield Hit(
                        message=f"Case number {mask(m.group())} in the agency's format{_where(field_name)}.",
                        start=m.start(),
                        end=m.end(),
                        field=field_name,
                        evidence={"pattern": rx.pattern},
                    )
        others = [s for s in _signals(env, "identifiers") if s.score >= 0.85]
        for sig in _signals(env, "contact"):
            if sig.kind != "case_number" or len(seen) >= _MAX_HITS:
                continue
            if any(f == sig.field and s < sig.end and sig.start < e for f, s, e in seen):
                continue
            if any(o.field == sig.field and o.start < sig.end and sig.start < o.end for o in others):
                continue
            seen.append((sig.field, sig.start, sig.end))
            yield Hit(
                message=f"{str(sig.evidence.get('cue', 'case')).capitalize()} number {mask(sig.value)}{_where(sig.field)}.",
                start=sig.start,
                end=sig.end,
                field=sig.field,
                shift=-1,
                evidence={"kind": "case_number", **dict(sig.evidence)},
            )


class StaffIdentified(Rule):
    """A staff member who is not public-facing is named.

    ## What it does
    Finds the names in the pack option `staff_names` (whole words, ignoring case and macrons)
    that are not also in `spokespeople`. A name that is the post author's own is not reported.

    ## Why is this bad?
    Staff who do not speak for the agency can be targeted for harassment or pressure once named;
    UK Home Office practice and the DIA legal guidance ask agencies to protect them.

    ## Example
        Thanks to Alex Sample from our Lower Hutt office for sorting this out.

    Use instead:
        Thanks to our Lower Hutt team for sorting this out.

    (The example runs with `examples/agency-pack.yml`, whose staff list holds that invented name.)

    ## Options
    - `staff_names` (pack option): staff who are not public-facing.
    - `spokespeople` (pack option): staff who may be named.

    ## References
    Guidance digest section 9.2 (XR-06).
    """

    code = "PRIV404"
    name = "staff-identified"
    catalogue = ("XR-06",)
    default_severity = _HIGH_INFO
    fix = "Name the team or role instead of the staff member."
    example_post: ClassVar[Mapping[str, Any]] = {"pack": "examples/agency-pack.yml"}
    options: ClassVar[Mapping[str, Any]] = {"staff_names": [], "spokespeople": []}

    def setup(self) -> None:
        spokes = {" ".join(str(n).lower().split()) for n in self.config.get("spokespeople") or ()}
        staff = tuple(
            str(n)
            for n in self.config.get("staff_names") or ()
            if str(n).strip() and " ".join(str(n).lower().split()) not in spokes
        )
        self.matcher = TermMatcher(staff, fold_macrons=True)

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        if not self.matcher:
            return
        own = " ".join((post.author.name or "").lower().split()) if post.author else ""
        fields = [("text", post.text)] + [(f"media[{i}].alt", m.alt) for i, m in enumerate(post.media) if m.alt]
        count = 0
        for field_name, text in fields:
            for tm in self.matcher.finditer(text):
                if own and " ".join(tm.entry.lower().split()) == own:
                    continue
                if count >= _MAX_HITS:
                    return
                count += 1
                yield Hit(
                    message=f"Names a staff member who is not a spokesperson ({_initials(tm.term)}){_where(field_name)}",
                    start=tm.start,
                    end=tm.end,
                    field=field_name,
                )


_OWN_DETAILS_RE = re.compile(
    r"\b(?:my[ ](?:(?:personal|home|private|work|mobile|cell|cellphone|phone)[ ])?(?:number|mobile|cell|phone|address|email)"
    r"(?:[ ](?:address|number))?(?:[ ](?:is|here))?|"
    r"(?:call|ring|text|phone|txt|whatsapp)[ ]me(?:[ ](?:on|at))?|email[ ]me(?:[ ](?:on|at))?|reach[ ]me(?:[ ](?:on|at))?|"
    r"i[ ]live[ ](?:at|on)|find[ ]me[ ]at|come[ ]round[ ]to|pop[ ]round[ ]to)\b",
    re.IGNORECASE,
)
_OWN_KINDS = frozenset({"phone", "email", "address"})


class OwnPersonalDetails(Rule):
    """You share your own contact details on a personal account.

    ## What it does
    On a personal account, finds "my number is", "my address is", "call me on", "email me at",
    "I live at" and similar phrases followed within a few words by a phone number, email address
    or street address.

    ## Why is this bad?
    Public servants are targets for harassment, scams and pressure because of their jobs; your
    home address or personal number in a public post can be found by anyone, for good.

    ## Example
        Selling my old bike, call me on 021 234 5678 if you're keen.

    Use instead:
        Selling my old bike, send me a direct message if you're keen.

    ## References
    Guidance digest section 9.2 (XR-36).
    """

    code = "PRIV405"
    name = "own-personal-details"
    catalogue = ("XR-36",)
    default_severity = _PERSONAL_WARN
    fix = "Share contact details by direct message instead of in a public post."
    example_post: ClassVar[Mapping[str, Any]] = {"context": "personal"}

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        if post.context is not Context.PERSONAL:
            return
        text = post.text
        phrases = list(_OWN_DETAILS_RE.finditer(text))
        if not phrases:
            return
        details = [s for s in _signals(env, "contact") if s.kind in _OWN_KINDS and s.field == "text"]
        for phrase in phrases:
            detail = next((s for s in details if 0 <= s.start - phrase.end() <= 40), None)
            if detail is None or detail.evidence.get("non_personal"):
                continue
            yield Hit(
                message=f"Your own {'phone number' if detail.kind == 'phone' else detail.kind} after “{phrase.group().lower()}”.",
                start=phrase.start(),
                end=detail.end,
                evidence={"kind": detail.kind, "phrase": phrase.group().lower()},
            )
            return
