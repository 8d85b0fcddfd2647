"""The identifiers detector: national numbers, cards, bank accounts, IBANs, IP addresses.

Every number here is generated from the published algorithm by the small generators below (or is
a documented public test vector); none is a real person's identifier. The generators are written
from the guidance digest (section 7), independently of python-stdnum and of the detector.
"""

from __future__ import annotations

import random

import pytest

from govsocial.detectors.base import Signal
from govsocial.detectors.identifiers import find_identifiers, medicare_is_valid, nhi_check_char, nhi_is_valid
from govsocial.model import Media, Post

RNG = random.Random(20261121)
NHI_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


# --------------------------------------------------------------------------- generators


def ird(base: int | None = None) -> str:
    """A valid 8-digit IRD number (digest 7.1: weights 3,2,7,6,5,4,3,2, then 7,4,3,2,5,2,7,6)."""
    while True:
        b = base if base is not None else RNG.randrange(1_100_000, 9_999_999)
        digits = [int(d) for d in f"{b:08d}"]
        for weights in ((3, 2, 7, 6, 5, 4, 3, 2), (7, 4, 3, 2, 5, 2, 7, 6)):
            c = (11 - sum(d * w for d, w in zip(digits, weights, strict=True)) % 11) % 11
            if c != 10:
                break
        if c != 10 and 10_000_000 < int(f"{b}{c}") < 150_000_000:
            return f"{b}{c}"
        base = None


def dashed_ird(number: str) -> str:
    return f"{number[:-6]}-{number[-6:-3]}-{number[-3:]}"


def wrong_last_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def nhi(new_format: bool = False, first: str | None = None) -> str:
    """A valid NHI: old AAANNNC (mod 11) or new AAANNAX (mod 24), letters without I and O."""
    while True:
        letters = (first or RNG.choice(NHI_LETTERS[:-1])) + "".join(RNG.choice(NHI_LETTERS) for _ in range(2))
        values = [NHI_LETTERS.index(ch) + 1 for ch in letters]
        digits = [RNG.randrange(10), RNG.randrange(10)]
        if new_format:
            sixth = RNG.choice(NHI_LETTERS)
            total = sum(
                v * w for v, w in zip([*values, *digits, NHI_LETTERS.index(sixth) + 1], (7, 6, 5, 4, 3, 2), strict=True)
            )
            check = NHI_LETTERS[24 - total % 24 - 1]
            return f"{letters}{digits[0]}{digits[1]}{sixth}{check}"
        third = RNG.randrange(10)
        total = sum(v * w for v, w in zip([*values, *digits, third], (7, 6, 5, 4, 3, 2), strict=True))
        if total % 11 == 0:
            continue
        c = 11 - total % 11
        return f"{letters}{digits[0]}{digits[1]}{third}{0 if c == 10 else c}"


def tfn() -> str:
    """A valid 9-digit TFN: Σ d·(1,4,3,7,5,8,6,9,10) ≡ 0 (mod 11)."""
    while True:
        digits = [RNG.randrange(10) for _ in range(8)]
        last = sum(d * w for d, w in zip(digits, (1, 4, 3, 7, 5, 8, 6, 9), strict=True)) % 11  # 10 ≡ −1
        if last <= 9:
            return "".join(map(str, digits)) + str(last)


def nhs(first: int = 4) -> str:
    """A valid NHS number: c = 11 − Σ d1..d9·(10..2) mod 11; 11 → 0; 10 is never issued."""
    while True:
        digits = [first] + [RNG.randrange(10) for _ in range(8)]
        c = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if c != 10:
            return "".join(map(str, digits)) + str(0 if c == 11 else c)


def medicare() -> str:
    """A valid 10-digit Medicare number: first digit 2–6, check digit 9, issue number 1–9."""
    digits = [RNG.randrange(2, 7)] + [RNG.randrange(10) for _ in range(7)]
    check = sum(d * w for d, w in zip(digits, (1, 3, 7, 9, 1, 3, 7, 9), strict=True)) % 10
    return "".join(map(str, digits)) + str(check) + str(RNG.randrange(1, 10))


def abn() -> str:
    """A valid ABN: first digit − 1, Σ d·(10,1,3,5,...,19) ≡ 0 (mod 89)."""
    while True:
        digits = [RNG.randrange(1, 10)] + [RNG.randrange(10) for _ in range(10)]
        weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
        if sum(d * w for d, w in zip([digits[0] - 1, *digits[1:]], weights, strict=True)) % 89 == 0:
            return "".join(map(str, digits))


def luhn_complete(prefix: str, length: int) -> str:
    body = prefix + "".join(str(RNG.randrange(10)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def grouped(number: str, sizes: tuple[int, ...], sep: str = " ") -> str:
    out, pos = [], 0
    for size in sizes:
        out.append(number[pos : pos + size])
        pos += size
    return sep.join(out)


def nz_bank_account() -> str:
    """A valid ANZ (bank 01, branch 0242) account: algorithm A, weights 0,0,6,3,7,9,0,10,5,8,4,2,1, mod 11."""
    weights = (0, 0, 6, 3, 7, 9, 0, 10, 5, 8, 4, 2, 1, 0, 0, 0)
    while True:
        account = f"010242{RNG.randrange(100_000, 989_999):07d}000"
        if sum(int(d) * w for d, w in zip(account, weights, strict=True)) % 11 == 0:
            return f"{account[:2]}-{account[2:6]}-{account[6:13]}-{account[14:]}"


def iban_gb() -> str:
    bank = "".join(RNG.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4))
    bban = bank + "".join(str(RNG.randrange(10)) for _ in range(14))
    rearranged = "".join(str(int(ch, 36)) for ch in bban + "GB00")
    return f"GB{98 - int(rearranged) % 97:02d}{bban}"


def kinds(text: str) -> list[str]:
    return [s.kind for s in find_identifiers(Post(text=text))]


def only(text: str, kind: str) -> Signal:
    found = [s for s in find_identifiers(Post(text=text)) if s.kind == kind]
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- check-digit helpers


@pytest.mark.parametrize("value", ["JBX3656", "ZZZ0016", "ZAC5361", "ZVU27KZ", "ALU18KZ", "ZZZ00AX"])
def test_when_nhi_is_a_published_valid_vector_then_it_validates(value: str) -> None:
    assert nhi_is_valid(value)


@pytest.mark.parametrize("value", ["ZZZ0044", "DAB8233", "ZZZ00AA", "ZVU27KY", "ZHW58CZ"])
def test_when_nhi_is_a_published_invalid_vector_then_it_does_not_validate(value: str) -> None:
    assert not nhi_is_valid(value)


def test_when_nhi_prefix_has_letter_i_or_o_then_there_is_no_check_char() -> None:
    assert nhi_check_char("IBX365") is None
    assert nhi_check_char("AOX365") is None


def test_medicare_check_digit_matches_the_published_vector() -> None:
    assert medicare_is_valid("2123456701")
    assert not medicare_is_valid("2123456711")
    assert not medicare_is_valid("1123456701")  # first digit must be 2–6


# --------------------------------------------------------------------------- detection table

VALID = [
    ("nz_ird", f"Your IRD number {dashed_ird(ird())} has been updated."),
    ("nz_ird", f"IRD {ird()}"),
    ("nz_nhi", f"Patient NHI {nhi()} was seen today."),
    ("nz_nhi", f"NHI {nhi(new_format=True)}"),
    ("nz_driver_licence", "Driver licence AB123456 version 123"),
    ("nz_passport", "Passport number LA123456 expires soon."),
    ("nz_swn", "MSD client number 348-512-907"),
    ("nz_bank_account", f"Please pay into {nz_bank_account()} today."),
    ("au_tfn", f"TFN {grouped(tfn(), (3, 3, 3))}"),
    ("au_tfn", f"My tax file number is {grouped(tfn(), (3, 3, 3))}."),
    ("au_medicare", f"Medicare card {grouped(medicare(), (4, 5, 1))}"),
    ("au_abn", f"ABN {grouped(abn(), (2, 3, 3, 3))}"),
    ("au_ihi", f"IHI {luhn_complete('800360', 16)}"),
    ("au_passport", "Australian passport PA1234567"),
    ("au_crn", "Centrelink CRN 348 512 907A"),
    ("uk_nino", "NI number AB 12 34 56 C"),
    ("uk_nino", "National Insurance: JG103759A"),
    ("uk_nhs", f"NHS number {grouped(nhs(), (3, 3, 4))}"),
    ("uk_driving_licence", "Licence MORGA657054SM9IJ"),
    ("uk_utr", "Your UTR is 3850172946."),
    ("uk_passport", "UK passport 925076473"),
    ("payment_card", f"Card {grouped(luhn_complete('4', 16), (4, 4, 4, 4))} was declined."),
    ("payment_card", f"Amex {grouped(luhn_complete('37', 15), (4, 6, 5))}"),
    ("payment_card", f"Mastercard {luhn_complete('5', 16)}"),
    ("iban", f"IBAN {iban_gb()}"),
    ("us_ssn", "SSN: 536-90-4399"),
    ("ip_address", "Blocked from 203.0.113.77 again"),
    ("driver_licence", "My driver's license number is F162823540116"),
]


@pytest.mark.parametrize(("kind", "text"), VALID, ids=[f"{k}-{i}" for i, (k, _) in enumerate(VALID)])
def test_when_identifier_is_valid_then_it_is_detected(kind: str, text: str) -> None:
    sig = only(text, kind)
    assert text[sig.start : sig.end] == sig.value
    assert sig.score >= 0.5
    assert set(sig.evidence) >= {"pattern", "check_digit", "context"}


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("nz_ird", f"IRD {dashed_ird(wrong_last_digit(ird()))}"),
        ("au_tfn", f"TFN {grouped(wrong_last_digit(tfn()), (3, 3, 3))}"),
        ("uk_nhs", f"NHS number {grouped(wrong_last_digit(nhs()), (3, 3, 4))}"),
        ("au_medicare", f"Medicare {grouped(wrong_last_digit(medicare()[:9]) + '1', (4, 5, 1))}"),
        ("payment_card", f"Card {grouped(wrong_last_digit(luhn_complete('4', 16)), (4, 4, 4, 4))}"),
        ("iban", f"IBAN {wrong_last_digit(iban_gb())}"),
        ("nz_nhi", f"NHI {wrong_last_digit(nhi())}"),
    ],
)
def test_when_check_digit_is_wrong_then_no_signal(kind: str, text: str) -> None:
    assert kind not in kinds(text)


def test_when_check_digit_is_valid_and_printed_in_ird_format_then_score_is_high_without_keyword() -> None:
    sig = only(f"Reference {dashed_ird(ird())} attached", "nz_ird")
    assert sig.score >= 0.85
    assert sig.evidence["check_digit"] == "valid"
    assert sig.evidence["context"] is None


def test_when_keyword_is_near_then_evidence_names_it_and_score_is_full() -> None:
    sig = only(f"IRD number {dashed_ird(ird())}", "nz_ird")
    assert sig.score == 1.0
    assert sig.evidence["context"] == "ird number" or sig.evidence["context"].startswith("ird")


def test_when_valid_number_is_bare_digits_without_keyword_then_score_is_low() -> None:
    sig = only(f"Ref {ird()}.", "nz_ird")
    assert sig.score < 0.6


@pytest.mark.parametrize(
    "text",
    [
        f"As of today {ird()} tests have been done",  # a count followed by its noun
        f"Order number {ird()} has shipped",  # an order number
        f"The total reached {ird()}.",
        "Call Healthline on 093020408 any time",  # a phone number
        "Call us on 0800 123 456",
        "Published on 12/03/2020 and updated 2020-03-14",  # dates
        "Version 1.2.3.4 is out",  # a version, not an IP address
        "Meet at 10:30:45",
        "Tickets cost $12,345,678",
        "#EHA2020 was a great conference",
    ],
)
def test_when_number_is_a_lookalike_then_no_identifier_is_reported(text: str) -> None:
    assert [s for s in find_identifiers(Post(text=text)) if s.score >= 0.6] == []


def test_when_nhi_starts_with_z_then_it_is_marked_test_reserved() -> None:
    sig = only("An NHI looks like ZZZ0016", "nz_nhi")
    assert sig.evidence["test_reserved"] is True
    assert only(f"NHI {nhi(first='A')}", "nz_nhi").evidence["test_reserved"] is False


@pytest.mark.parametrize("text", ["QQ 12 34 56 C", "NI number QQ123456C", "NI number BG 12 34 56 A", "GB123456A"])
def test_when_nino_prefix_is_a_placeholder_or_unallocated_then_no_signal(text: str) -> None:
    assert "uk_nino" not in kinds(text)


@pytest.mark.parametrize("text", ["IRD 111111111", "IRD 123456789", "Card 0000 0000 0000 0000"])
def test_when_number_is_a_sequential_filler_then_no_signal(text: str) -> None:
    assert kinds(text) == []


def test_when_context_only_identifier_has_no_keyword_then_no_signal() -> None:
    assert kinds("Flight LA123456 boards at gate 5") == []
    assert kinds("Code 348-512-907 applies") == []


def test_when_nhs_number_starts_outside_england_and_wales_ranges_then_keyword_is_needed() -> None:
    number = grouped(nhs(first=1), (3, 3, 4))
    assert "uk_nhs" not in kinds(f"Ref {number}")
    assert "uk_nhs" in kinds(f"CHI number {number}")


def test_when_digits_are_full_width_then_they_are_normalised_and_offsets_still_index_the_text() -> None:
    number = dashed_ird(ird())
    wide = number.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    text = f"IRD {wide}"
    sig = only(text, "nz_ird")
    assert (sig.start, sig.end) == (4, len(text))


def test_when_identifier_is_in_alt_text_then_signal_names_the_field() -> None:
    post = Post(text="Photo of the form", media=(Media(alt=f"A form showing IRD number {dashed_ird(ird())}"),))
    sig = next(s for s in find_identifiers(post) if s.kind == "nz_ird")
    assert sig.field == "media[0].alt"


def test_when_two_identifiers_share_a_post_then_both_are_found() -> None:
    text = f"IRD {dashed_ird(ird())} and card {grouped(luhn_complete('4', 16), (4, 4, 4, 4))}"
    assert sorted(kinds(text)) == ["nz_ird", "payment_card"]


def test_when_licence_keyword_precedes_nz_shape_then_one_nz_signal_not_two() -> None:
    assert kinds("driver licence AB123456 version 123") == ["nz_driver_licence"]


def test_when_nothing_looks_like_an_identifier_then_no_signal() -> None:
    assert kinds("Our offices are open 8:30am to 5pm, Monday to Friday.") == []
