"""SEC and LEG behaviour that the YAML cases cannot show: options, detector contracts, limits."""

from __future__ import annotations

import pytest

from govsocial.detectors import load_all
from govsocial.detectors.base import DETECTORS, Signal
from govsocial.model import Context, Media, Post
from govsocial.rules.base import CheckEnv, Hit, Rule
from govsocial.rules.leg import CommercialEndorsement, DefamationRisk, SuppressedName, UnattributedContent
from govsocial.rules.sec import AdvanceMovements, CredentialOrSecret, ProtectiveMarking, ShortenedLink

load_all()


def _hits(rule: Rule, post: Post | str) -> list[Hit]:
    if isinstance(post, str):
        post = Post(text=post)
    env = CheckEnv(post=post, options=rule.config, election=False, linked_to_employer=False)
    return list(rule.check(post, env))


def test_when_public_events_ok_is_off_then_an_advertised_visit_fires() -> None:
    text = "The Prime Minister will visit Gore on Friday at 11am. Join us at the town hall!"
    assert _hits(AdvanceMovements(), text) == []
    assert len(_hits(AdvanceMovements({"public_events_ok": False}), text)) == 1


def test_when_a_named_minister_moves_then_the_pack_list_names_them() -> None:
    rule = AdvanceMovements({"ministers": ["Hon Jane Placeholder"]})
    (hit,) = _hits(rule, "Hon Jane Placeholder will be at the Gore depot at 9am tomorrow.")
    assert hit.shift == 0


def test_when_named_staff_move_then_the_finding_is_one_step_lower() -> None:
    rule = AdvanceMovements({"staff_names": ["Alex Example"], "public_event_cues": []})
    (hit,) = _hits(rule, "Alex Example will be at the Gore depot at 9am tomorrow.")
    assert hit.shift == -1


def test_when_agency_allows_its_branded_shortener_then_it_does_not_fire() -> None:
    assert _hits(ShortenedLink(), "Apply at bit.ly/3xYzAbc")
    assert _hits(ShortenedLink({"link_shorteners": ["tinyurl.com"]}), "Apply at bit.ly/3xYzAbc") == []
    assert _hits(ShortenedLink({"link_shorteners": ["go.example.nz"]}), "Apply at go.example.nz/grants")


def test_when_pack_adds_a_local_brand_then_endorsing_it_fires() -> None:
    text = "Kiwi Fizz is the best drink for a hot day."
    assert _hits(CommercialEndorsement(), text) == []
    assert _hits(CommercialEndorsement({"brands": ["Kiwi Fizz"]}), text)


def test_when_link_is_on_the_agency_domain_then_referral_parameters_are_fine() -> None:
    text = "Read more https://apply.example.org/grants?ref=social"
    assert _hits(CommercialEndorsement(), text)
    assert _hits(CommercialEndorsement({"agency_domains": ["example.org"]}), text) == []


def test_when_suppressed_name_has_macrons_then_plain_spelling_matches_too() -> None:
    rule = SuppressedName({"suppressed_names": ["Hēmi Tūhoe-Example"]})
    (hit,) = _hits(rule, "Court update: Hemi Tuhoe-Example appeared today.")
    assert "Hemi" not in hit.message and "Tuhoe" not in hit.message


def test_when_quote_minimum_is_raised_then_shorter_quotes_pass() -> None:
    text = '"We will keep the pools open all summer so that every child in the district can learn to swim safely."'
    assert _hits(UnattributedContent(), text)
    assert _hits(UnattributedContent({"min_quote_words": 40}), text) == []


def test_when_stock_image_is_credited_in_alt_text_then_no_finding() -> None:
    post = Post(text="Stay warm.", media=(Media(alt="A heater. Image: Getty Images", filename="GettyImages-1234.jpg"),))
    assert _hits(UnattributedContent(), post) == []


def test_when_credentials_are_reported_then_the_secret_is_masked() -> None:
    (hit,) = _hits(CredentialOrSecret(), "Deploy key for the site: AKIAIOSFODNN7EXAMPLE")
    assert "AKIAIOSFODNN7EXAMPLE" not in hit.message
    assert "IOSFODNN" not in hit.message


def test_when_marking_is_in_alt_text_then_the_finding_points_at_the_media_field() -> None:
    post = Post(text="The new roster.", media=(Media(alt="A memo headed SENSITIVE - BUDGET"),))
    (hit,) = _hits(ProtectiveMarking(), post)
    assert hit.field == "media[0].alt"
    assert "image description" in hit.message


@pytest.fixture
def fake_people_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in for the ``people`` detector: every "Kim" is a person."""

    def people(post: Post) -> list[Signal]:
        i = post.text.find("Kim")
        return [Signal(kind="person", start=i, end=i + 3, value="Kim")] if i >= 0 else []

    monkeypatch.setitem(DETECTORS, "people", people)


@pytest.mark.usefixtures("fake_people_detector")
def test_when_people_detector_finds_a_one_word_name_then_an_allegation_about_it_fires() -> None:
    (hit,) = _hits(DefamationRisk(), "Kim stole from the club.")
    assert hit.evidence["target"] == "name"
    assert "Kim" not in hit.message


def test_when_people_detector_is_missing_then_capitalised_names_still_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(DETECTORS, "people", raising=False)
    assert _hits(DefamationRisk(), "Jane Smith is a fraud.")
    # A lone word opening a sentence is too often a common noun ("Scammers stole...").
    assert _hits(DefamationRisk(), "Kim stole from the club.") == []


def test_when_reply_calls_the_person_a_liar_then_it_fires_on_a_personal_account_too() -> None:
    post = Post(text="you are a liar", reply_to="Your agency lost my form.", context=Context.PERSONAL)
    assert _hits(DefamationRisk(), post)
