"""The ``markings`` detector: protective markings in marking positions, never ordinary words."""

from __future__ import annotations

import pytest

from govsocial.detectors.markings import find_markings, marking_signals
from govsocial.model import Media, Post

# (text, marking, scheme, position, minimum score)
FOUND = [
    ("SENSITIVE - BUDGET\nNew funding for schools", "SENSITIVE - BUDGET", "nz", "line", 1.0),
    ("IN-CONFIDENCE – CABINET", "IN-CONFIDENCE – CABINET", "nz", "line", 1.0),
    ("TOP SECRET//NZEO", "TOP SECRET // NZEO", "nz", "line", 1.0),
    ("SECRET\n\nThe plan is ready", "SECRET", "intl", "line", 0.9),
    ("The plan is ready\nRESTRICTED", "RESTRICTED", "intl", "line", 0.9),
    ("Classification: SECRET", "SECRET", "intl", "label", 0.9),
    ("classification: restricted", "RESTRICTED", "intl", "label", 0.9),
    ("[SECRET] Re: operation plan", "SECRET", "intl", "brackets", 0.9),
    ("(CONFIDENTIAL)\nMeeting notes", "CONFIDENTIAL", "intl", "brackets", 0.9),
    ("OFFICIAL-SENSITIVE [PERSONAL]", "OFFICIAL-SENSITIVE [PERSONAL]", "uk", "line", 1.0),
    ("OFFICIAL – SENSITIVE", "OFFICIAL-SENSITIVE", "uk", "line", 1.0),
    ("Minutes marked Official-Sensitive were attached", "OFFICIAL-SENSITIVE", "uk", "inline", 1.0),
    ("SECRET UK EYES ONLY", "SECRET UK EYES ONLY", "uk", "line", 1.0),
    ("PROTECT – PERSONAL", "PROTECT – PERSONAL", "uk", "line", 1.0),
    ("NATO RESTRICTED", "NATO RESTRICTED", "intl", "line", 1.0),
    ("OFFICIAL: Sensitive", "OFFICIAL: Sensitive", "au", "line", 1.0),
    ("PROTECTED//CABINET", "PROTECTED // CABINET", "au", "line", 1.0),
    ("SECRET AUSTEO", "SECRET AUSTEO", "au", "line", 1.0),
    ("STAFF-IN-CONFIDENCE", "STAFF-IN-CONFIDENCE", "au", "line", 1.0),
    ("Sensitive: Personal", "Sensitive: Personal", "au", "line", 1.0),
    ("Re: rosters [SEC=OFFICIAL:Sensitive, ACCESS=Personal-Privacy]", "[SEC=OFFICIAL:SENSITIVE]", "au", "email", 1.0),
    ("OFFICIAL: Sensitive – NSW Cabinet", "OFFICIAL: Sensitive – NSW Cabinet", "nsw", "line", 1.0),
    ("SENSITIVE: NSW CABINET", "SENSITIVE: NSW CABINET", "nsw", "line", 1.0),
    ("SECRET REL TO AUS, CAN, GBR, NZL, USA", "SECRET REL TO AUS, CAN, GBR, NZL, USA", "intl", "line", 1.0),
    ("The paper was marked SENSITIVE - BUDGET last week", "SENSITIVE - BUDGET", "nz", "inline", 1.0),
    ("EMBARGOED FOR RELEASE UNTIL 5AM", "EMBARGOED FOR RELEASE", "nz", "inline", 1.0),
    # Weak: the default OFFICIAL tier, and WORD: prefixes before prose.
    ("OFFICIAL\nMeeting notes", "OFFICIAL", "uk", "line", 0.5),
    ("Classification: OFFICIAL", "OFFICIAL", "uk", "label", 0.5),
    ("[SEC=OFFICIAL]", "[SEC=OFFICIAL]", "au", "email", 0.5),
    ("OFFICIAL: the new park opens on Monday", "OFFICIAL", "uk", "line-start", 0.3),
    ("TOP SECRET: we're launching something new", "TOP SECRET", "intl", "line-start", 0.3),
]

NOT_FOUND = [
    "UNCLASSIFIED",
    "UNOFFICIAL",
    "[SEC=UNOFFICIAL]",
    "RESTRICTED ACCESS to the park this weekend",
    "Join our SECRET garden tour on Sunday",
    "TOP SECRET PLANS FOR THE WEEKEND REVEALED!!!",
    "Our new mascot's name is TOP SECRET! Reveal on Friday",
    "TOP SECRET 🤫\nNew flavour drops on Friday",
    "TOP SECRET!",
    "If you MUST travel this weekend, CHECK the forecast and PROTECT your whānau",
    "PROTECT yourself and others",
    "a secret recipe, a top secret ingredient, the official opening, a confidential helpline",
    "The Secret Service and the Official Secrets Act",
    "For your eyes only. FOR YOUR EYES ONLY",
    "SECRET CABINET MEETING TONIGHT",
    "NATIONAL CABINET UPDATE: restrictions ease",
    "CONFIDENTIAL - STAFF ONLY",
    "Official opening of the new library today",
    "The SECRETARY of State visited",
]


@pytest.mark.parametrize(("text", "marking", "scheme", "position", "score"), FOUND, ids=[f[0][:40] for f in FOUND])
def test_when_marking_is_in_a_marking_position_then_it_is_found(
    text: str, marking: str, scheme: str, position: str, score: float
) -> None:
    found = find_markings(text)
    assert found, f"no marking in {text!r}"
    m = found[0]
    assert (m.marking.upper(), m.scheme, m.position) == (marking.upper(), scheme, position)
    assert m.score >= score
    if score < 1.0:
        assert m.score < 1.0


@pytest.mark.parametrize("text", NOT_FOUND)
def test_when_words_are_ordinary_or_playful_then_no_marking(text: str) -> None:
    assert find_markings(text) == []


def test_when_marking_is_in_alt_text_then_signal_names_the_media_field() -> None:
    post = Post(text="Our new roster is below.", media=(Media(alt="Screenshot of a memo headed IN-CONFIDENCE"),))
    signals = marking_signals(post)
    assert [(s.field, s.value, s.evidence["scheme"]) for s in signals] == [("media[0].alt", "IN-CONFIDENCE", "nz")]


def test_when_marking_is_found_then_signal_explains_scheme_marking_and_position() -> None:
    post = Post(text="SENSITIVE - BUDGET\nNew funding for schools")
    (signal,) = marking_signals(post)
    assert signal.kind == "marking"
    assert (signal.start, signal.end) == (0, len("SENSITIVE - BUDGET"))
    assert dict(signal.evidence) == {
        "scheme": "nz",
        "marking": "SENSITIVE - BUDGET",
        "position": "line",
        "pattern": "compound",
    }


def test_when_header_and_footer_repeat_then_both_are_found() -> None:
    found = find_markings("RESTRICTED\nThe plan\nRESTRICTED")
    assert [m.start for m in found] == [0, len("RESTRICTED\nThe plan\n")]


def test_when_text_holds_thousands_of_markings_then_the_count_is_capped() -> None:
    assert len(find_markings("SECRET\n" * 10_000)) == 50
