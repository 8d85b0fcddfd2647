"""The contact detector: emails, phone numbers, street addresses, postcodes, dates of birth, case numbers.

Texts are written for the tests; phone numbers are in ranges libphonenumber accepts, addresses
are invented.
"""

from __future__ import annotations

import pytest

from govsocial import Post, review
from govsocial.detectors.base import Signal
from govsocial.detectors.contact import PII_TYPES, find_contact, is_government_domain, normalise_phone
from govsocial.model import Context, Media, Severity


def signals(text: str, kind: str | None = None) -> list[Signal]:
    return [s for s in find_contact(Post(text=text)) if kind is None or s.kind == kind]


def values(text: str, kind: str) -> list[str]:
    return [s.value for s in signals(text, kind)]


# --------------------------------------------------------------------------- email


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Email jane.doe@gmail.com today", "jane.doe@gmail.com"),
        ("Contact: Sam_Example+news@example.co.nz.", "Sam_Example+news@example.co.nz"),
        ("<a.b@sub.example.org>", "a.b@sub.example.org"),
    ],
)
def test_when_text_has_an_email_then_the_whole_address_is_the_span(text: str, expected: str) -> None:
    assert values(text, "email") == [expected]


def test_when_mailbox_is_a_role_then_evidence_says_so() -> None:
    (sig,) = signals("Write to enquiries@example.govt.nz", "email")
    assert sig.evidence["role"] is True
    assert sig.evidence["government"] is True
    (sig,) = signals("Write to covid.feedback@example.govt.nz", "email")
    assert sig.evidence["role"] is True


def test_when_mailbox_is_a_persons_then_it_is_not_a_role() -> None:
    (sig,) = signals("Write to jane.doe@gmail.com", "email")
    assert sig.evidence["role"] is False
    assert sig.evidence["free_mail"] is True


@pytest.mark.parametrize("text", ["Follow @someone@mastodon.social", "Thanks @jane!", "x@y", "user@localhost"])
def test_when_text_has_a_handle_not_an_email_then_no_signal(text: str) -> None:
    assert signals(text, "email") == []


@pytest.mark.parametrize(
    ("domain", "gov"),
    [("health.govt.nz", True), ("dwp.gov.uk", True), ("nsw.gov.au", True), ("leo.gov", True), ("example.com", False)],
)
def test_government_domains_are_recognised(domain: str, gov: bool) -> None:
    assert is_government_domain(domain) is gov


# --------------------------------------------------------------------------- phone


@pytest.mark.parametrize(
    ("text", "number", "line_type"),
    [
        ("Text me on 021 234 5678", "021 234 5678", "mobile"),
        ("call +64 21 234 5678 now", "+64 21 234 5678", "mobile"),
        ("Phone 0412 345 678", "0412 345 678", "mobile"),
        ("ph 04 499 1234", "04 499 1234", "fixed_line"),
        ("Ring +44 20 7946 0958", "+44 20 7946 0958", "fixed_line"),
        ("Landline 0161 496 0000", "0161 496 0000", "fixed_line"),
    ],
)
def test_when_text_has_a_valid_phone_number_then_it_is_found_with_its_line_type(
    text: str, number: str, line_type: str
) -> None:
    (sig,) = signals(text, "phone")
    assert sig.value == number
    assert sig.evidence["line_type"] == line_type
    assert sig.evidence["non_personal"] is False
    assert sig.evidence["e164"].startswith("+")


@pytest.mark.parametrize(
    "text",
    [
        "Call 0800 123 456",
        "Call 0508 123 456",
        "Freecall 1800 123 456",
        "Call 0300 123 4567",
        "Call 111 now",
        "In an emergency dial 000",
    ],
)
def test_when_number_is_toll_free_shared_or_emergency_then_it_is_marked_non_personal(text: str) -> None:
    found = signals(text, "phone")
    assert found
    assert all(s.evidence["non_personal"] for s in found)


@pytest.mark.parametrize(
    "text",
    [
        "open 9am-5pm",
        "On 2020-12-01 we opened",
        "Results from 12/03/2020",
        "We have tested 36827520 samples",
        "Between 1-20000 confirmed cases",
        "Level 3 until 11.59pm",
        "It costs $1,250,000",
    ],
)
def test_when_number_is_not_a_phone_then_no_phone_signal(text: str) -> None:
    assert signals(text, "phone") == []


def test_when_unknown_plan_number_has_a_phone_cue_then_it_is_found_with_lower_score() -> None:
    (sig,) = signals("Phone: 451 5986", "phone")
    assert 0.6 <= sig.score < 0.85
    assert signals("Reference 451 5986", "phone") == []


def test_phone_numbers_normalise_to_e164_whatever_the_spacing() -> None:
    assert normalise_phone("04 890 1234") == normalise_phone("+64 4 890 1234") == "+6448901234"
    assert normalise_phone("0800-100-200") == "+64800100200"


# --------------------------------------------------------------------------- addresses

ADDRESSES = [
    ("Mr Brown lives at 42 Karaka Street, Wellington 6011.", "42 Karaka Street, Wellington 6011"),
    ("Send it to Unit 5, 10 George St, Sydney NSW 2000 please", "Unit 5, 10 George St, Sydney NSW 2000"),
    ("Write to 10 Downing Street, London SW1A 2AA", "10 Downing Street, London SW1A 2AA"),
    ("Visit 1600 Pennsylvania Ave NW, Washington, DC 20500", "1600 Pennsylvania Ave NW, Washington, DC 20500"),
    ("Flat 3, 22 Baker Street, London NW1 6XE", "Flat 3, 22 Baker Street, London NW1 6XE"),
    ("Post to PO Box 1234, Wellington 6140", "PO Box 1234, Wellington 6140"),
    ("She moved to 2/34 Queen Street, Auckland 1010", "2/34 Queen Street, Auckland 1010"),
    ("Adresse: 31 Rue de la Paix, Paris", "31 Rue de la Paix, Paris"),
    ("Er wohnt Hauptstrasse 12, Berlin", "Hauptstrasse 12, Berlin"),
    ("Billing:\n12 Tui Crescent\nApt 4\nHamilton 3204", "12 Tui Crescent\nApt 4\nHamilton 3204"),
]


@pytest.mark.parametrize(("text", "expected"), ADDRESSES, ids=[e for _, e in ADDRESSES])
def test_when_text_has_a_street_address_then_the_span_covers_it_with_town_and_postcode(
    text: str, expected: str
) -> None:
    assert values(text, "address") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Road closed between Smith St and Jones Rd for resurfacing until 6pm.",
        "Auckland will stay at Alert Level 3 until Sunday.",
        "Join us on Saturday 14 March from 10am.",
        "There are 3 new cases today.",
        "They arrived from Pakistan via Dubai on 27 July.",
        "Over 200 Fire Brigade volunteers helped.",
        "During 1971, the company grew.",
    ],
)
def test_when_text_has_no_street_address_then_no_address_signal(text: str) -> None:
    assert signals(text, "address") == []


def test_when_cue_introduces_an_address_then_evidence_records_the_cue() -> None:
    (sig,) = signals("He lives at 12 Tui Street", "address")
    assert sig.evidence["cue"] == "lives at"
    assert sig.score >= 0.85


def test_when_uk_postcode_stands_alone_then_it_is_a_postcode_signal() -> None:
    assert values("Our office postcode is SW1A 1AA", "postcode") == ["SW1A 1AA"]
    assert values("Pay band SW1 applies", "postcode") == []


def test_when_four_digit_number_has_no_address_context_then_it_is_not_a_postcode() -> None:
    assert signals("We planted 6011 trees", "postcode") == []
    assert signals("We planted 6011 trees", "address") == []


# --------------------------------------------------------------------------- dates of birth


@pytest.mark.parametrize(
    ("text", "date", "year"),
    [
        ("Jane was born on 12 March 1985.", "12 March 1985", 1985),
        ("DOB: 01/02/1990", "01/02/1990", 1990),
        ("Date of birth 1979-11-30", "1979-11-30", 1979),
        ("d.o.b. March 3, 2001", "March 3, 2001", 2001),
    ],
)
def test_when_a_date_follows_a_birth_cue_then_it_is_a_date_of_birth(text: str, date: str, year: int) -> None:
    (sig,) = signals(text, "dob")
    assert sig.value == date
    assert sig.evidence["year"] == year


def test_when_birthday_has_no_year_then_score_is_lower() -> None:
    (sig,) = signals("Her birthday is 3 May", "dob")
    assert sig.score < 0.85


@pytest.mark.parametrize(
    "text", ["The event is on 12 March 2026.", "Happy birthday to our fire brigade, 100 years of service!"]
)
def test_when_no_birth_cue_or_no_date_then_no_date_of_birth(text: str) -> None:
    assert signals(text, "dob") == []


# --------------------------------------------------------------------------- case numbers


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Your claim number 48213377 is open", "48213377"),
        ("ACC claim # AB12345", "AB12345"),
        ("Visa application no. 2023-004512", "2023-004512"),
    ],
)
def test_when_case_word_precedes_a_number_then_it_is_a_case_number(text: str, number: str) -> None:
    assert values(text, "case_number") == [number]


@pytest.mark.parametrize(
    "text", ["Case 2 of the outbreak", "1524 cases today", "In case 2020 was hard", "Applications close 30 June"]
)
def test_when_case_word_has_no_reference_number_then_no_case_number(text: str) -> None:
    assert signals(text, "case_number") == []


# --------------------------------------------------------------------------- the detector as a whole


def test_when_contact_detail_is_in_alt_text_then_signal_names_the_field() -> None:
    post = Post(text="A screenshot", media=(Media(alt="Email from jane.doe@gmail.com"),))
    (sig,) = [s for s in find_contact(post) if s.kind == "email"]
    assert sig.field == "media[0].alt"


def test_when_phone_number_is_part_of_an_address_then_it_is_not_also_a_phone() -> None:
    assert signals("Lives at 0412 345 Smith Street", "phone") == []


def test_pii_types_map_signal_kinds_to_the_evaluation_types() -> None:
    assert PII_TYPES["address"] == "STREET_ADDRESS"
    assert PII_TYPES["phone"] == "PHONE_NUMBER"
    assert PII_TYPES["email"] == "EMAIL_ADDRESS"
    assert PII_TYPES["payment_card"] == "CREDIT_CARD"
    assert set(PII_TYPES.values()) == {
        "PERSON",
        "STREET_ADDRESS",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
        "CREDIT_CARD",
        "IBAN_CODE",
        "US_SSN",
        "IP_ADDRESS",
        "US_DRIVER_LICENSE",
    }


# --------------------------------------------------------------------------- no false alarms

FINE = [
    Post(text="Our offices are open 9am-5pm, Monday to Friday."),
    Post(text="Call 0800 123 456 if you need help with your application."),
    Post(text="Need help? Call our team on 0800 123 456 or email enquiries@example.govt.nz."),
    Post(text="Join us at the Civic Centre on Saturday 14 March 2026 from 10am for the planting day."),
    Post(text="The library at 12 King Street reopens on Monday 2 March."),
    Post(text="Thanks for letting us know, we really appreciate it.", reply_to="The footpath on King St is cracked."),
    Post(text="Flu vaccines are free for people aged 65 and over. Book at your GP or pharmacy."),
    Post(text="In an emergency always call 111."),
    Post(text="As of 25 August 2020 36827520 tests have been done."),
    Post(text="Kia ora koutou! Mānawatia a Matariki. Ngā mihi nui ki a koutou katoa."),
]


@pytest.mark.parametrize("post", FINE, ids=[p.text[:30] for p in FINE])
@pytest.mark.parametrize("context", [Context.OFFICIAL, Context.PERSONAL])
def test_plainly_fine_posts_get_no_high_or_block_priv_finding(post: Post, context: Context) -> None:
    result = review(post, "nz", context=context, select=["PRIV"])
    assert [f for f in result.findings if f.severity.at_least(Severity.HIGH)] == []
