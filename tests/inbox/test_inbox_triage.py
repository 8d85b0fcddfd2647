"""Triage of incoming messages: category, moderation by house rules, priority, templates.

Every example message here is invented for the test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govsocial.inbox import CATEGORIES, HouseRules, Triage, TriageInput, load_house_rules, triage_many, triage_one


@pytest.fixture(scope="module")
def nz() -> HouseRules:
    return load_house_rules("nz")


def _one(text: str, rules: HouseRules, **kw: object) -> Triage:
    return triage_many([TriageInput(text=text, **kw)], rules=rules)[0]  # type: ignore[arg-type]


# (name, message, category, action, rule code, respond, strike, template)
CATEGORY_CASES = [
    (
        "question",
        "When will the Ōtaki library reopen after the flood repairs?",
        "question",
        "leave",
        "IN-14",
        True,
        False,
        "general",
    ),
    (
        "complaint",
        "I have been waiting six weeks for my rates rebate and nobody answers the phone.",
        "complaint",
        "leave",
        "IN-14",
        True,
        False,
        "complaint",
    ),
    (
        "complaint-waiting-neutral-tone",
        "Still waiting for my refund, it has been 6 weeks",
        "complaint",
        "leave",
        "IN-14",
        True,
        False,
        "complaint",
    ),
    (
        "complaint-no-reply",
        "Nobody has replied to my email about my benefit payment",
        "complaint",
        "leave",
        "IN-14",
        True,
        False,
        "complaint",
    ),
    (
        "question-starting-who-is-not-a-health-claim",
        "Still waiting for my refund after two months. Who do I talk to?",
        "question",
        "leave",
        "IN-14",
        True,
        False,
        "general",
    ),
    (
        "praise",
        "Thanks so much to the team at the service centre, great service today!",
        "praise",
        "leave",
        "",
        False,
        False,
        "",
    ),
    (
        "misinformation",
        "The flu vaccine contains microchips that track you through 5G towers.",
        "misinformation",
        "queue",
        "IN-08",
        True,
        False,
        "correction",
    ),
    ("abuse", "You are a bunch of idiots and scum.", "abuse", "hide", "IN-02", False, True, "removal_notice"),
    (
        "spam",
        "Make $5000 a week trading bitcoin from home! WhatsApp me on the number in my bio",
        "spam",
        "hide",
        "IN-06",
        False,
        True,
        "",
    ),
    ("off_topic", "first!", "off_topic", "queue", "IN-05", False, False, ""),
    ("other", "Nice photo of the harbour", "other", "leave", "", False, False, ""),
]


@pytest.mark.parametrize(
    ("text", "category", "action", "rule_code", "respond", "strike", "template"),
    [case[1:] for case in CATEGORY_CASES],
    ids=[case[0] for case in CATEGORY_CASES],
)
def test_when_message_is_triaged_then_category_and_moderation_follow_the_house_rules(
    nz: HouseRules,
    text: str,
    category: str,
    action: str,
    rule_code: str,
    respond: bool,
    strike: bool,
    template: str,
) -> None:
    t = _one(text, nz)
    assert (t.category, t.action, t.rule_code, t.respond, t.strike, t.template) == (
        category,
        action,
        rule_code,
        respond,
        strike,
        template,
    ), t.reasons
    assert t.category in CATEGORIES


@pytest.mark.parametrize(
    "text",
    [
        "We are trapped on the roof and the water is rising, send help",
        "I can't do this anymore, I want to kill myself",
        "Our house is on fire and my son is missing, please hurry",
    ],
)
def test_when_someone_is_in_danger_then_crisis_is_left_up_answered_first_and_escalated(
    nz: HouseRules, text: str
) -> None:
    t = _one(text, nz)
    assert t.category == "crisis"
    assert (t.action, t.respond, t.priority, t.template, t.escalate) == ("leave", True, 1, "crisis", "emergency")


def test_when_a_help_request_is_about_a_form_then_it_is_no_crisis(nz: HouseRules) -> None:
    t = _one("Can someone help me with the dog registration form please?", nz)
    assert t.category == "question"
    assert t.priority > 1


def test_when_a_message_threatens_then_it_is_hidden_with_a_strike_and_referred_to_police(nz: HouseRules) -> None:
    t = _one("I know where you live. Watch your back.", nz)
    assert (t.category, t.action, t.rule_code, t.strike, t.escalate, t.priority) == (
        "abuse",
        "hide",
        "IN-02",
        True,
        "police",
        1,
    )


def test_when_a_question_threatens_then_the_threat_still_hides_it(nz: HouseRules) -> None:
    t = _one("Do you want to know what happens next? I will hurt you if the road is not fixed.", nz)
    assert (t.action, t.rule_code, t.escalate) == ("hide", "IN-02", "police")


# ---------------------------------------------------------------- personal information


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Please ring me on 021 555 0192 about the fence permit.", "phone"),
        ("Please email me at sam.taylor@example.com about the permit", "email"),
        ("My IRD number is 49-091-850, can you check my refund?", "nz_ird"),
    ],
)
def test_when_message_shares_personal_information_then_it_is_hidden_and_taken_offline(
    nz: HouseRules, text: str, kind: str
) -> None:
    t = _one(text, nz)
    assert t.pii
    assert kind in t.pii_kinds
    assert (t.action, t.rule_code, t.respond, t.template, t.priority) == ("hide", "IN-01", True, "take_offline", 1)
    assert not t.strike
    # The values themselves are never kept: not in the kinds, scores or reasons.
    stored = json.dumps(t.as_dict())
    for value in ("555 0192", "sam.taylor", "49-091-850"):
        assert value not in stored


def test_when_a_question_shares_personal_information_then_it_is_hidden_and_still_answered(nz: HouseRules) -> None:
    t = _one("Can you call me back on 021 555 0192 about my rates bill?", nz)
    assert t.category == "question"
    assert (t.action, t.rule_code, t.respond, t.template) == ("hide", "IN-01", True, "take_offline")


def test_when_a_number_is_the_agencys_own_then_it_is_no_personal_information(tmp_path: Path) -> None:
    pack = tmp_path / "agency.yml"
    pack.write_text("id: agency\nextends: nz\noptions:\n  agency_numbers: ['04 555 0199']\n", encoding="utf-8")
    t = _one("I rang 04 555 0199 yesterday and nobody picked up.", load_house_rules(pack))
    assert not t.pii


# ---------------------------------------------------------------- criticism (IN-15) and protections (IN-14)

CRITICISM = [
    "The Minister's handling of the hospital waiting lists is a disgrace and she should resign.",
    "This government has completely failed renters. Shameful.",
    "Your new parking rules are a joke and nobody asked for them.",
    "The council wasted millions on this stadium while our roads fall apart.",
    "Worst decision this ministry has made in years. Reverse it.",
    "You are useless, my tax refund is three months late.",
    "The Prime Minister is out of touch and his government is incompetent.",
]


@pytest.mark.parametrize("pack", ["nz", "uk", "nsw"])
@pytest.mark.parametrize("text", CRITICISM)
def test_when_message_only_criticises_then_it_is_never_hidden(pack: str, text: str) -> None:
    t = _one(text, load_house_rules(pack))
    assert t.action == "leave", t.reasons
    assert not t.strike
    assert t.rule_code in ("", "IN-14", "IN-15")
    if t.category == "complaint":
        assert t.respond


def test_when_a_named_minister_is_criticised_in_nsw_then_it_is_no_party_politics() -> None:
    t = _one("Minister Rose Jackson has failed hospital patients and should resign.", load_house_rules("nsw"))
    assert t.action == "leave"
    assert t.rule_code in ("", "IN-15")


def test_when_a_question_swears_then_a_moderator_decides_instead_of_hiding(nz: HouseRules) -> None:
    t = _one("How do I get this sh1t sorted, my rates bill is wrong again?", nz)
    assert t.category == "question"
    assert (t.action, t.rule_code, t.respond, t.strike) == ("queue", "IN-03", True, False)


def test_when_a_question_insults_then_a_moderator_decides_instead_of_hiding(nz: HouseRules) -> None:
    t = _one("Why is the form still broken? You are complete idiots.", nz)
    assert t.category in ("question", "complaint")
    assert (t.action, t.rule_code, t.respond, t.strike) == ("queue", "IN-02", True, False)


def test_when_swearing_is_not_a_question_then_it_is_hidden_without_a_strike(nz: HouseRules) -> None:
    t = _one("This new logo is sh1t.", nz)
    assert (t.action, t.rule_code, t.strike) == ("hide", "IN-03", False)


def test_when_spam_earns_the_strike_that_reaches_the_limit_then_a_block_is_suggested(nz: HouseRules) -> None:
    text = "Make $5000 a week trading bitcoin from home! WhatsApp me on the number in my bio"
    first = _one(text, nz, author="@spammer", author_strikes=0)
    third = _one(text, nz, author="@spammer", author_strikes=nz.strikes_to_block - 1)
    assert first.strike and third.strike
    assert not first.suggest_block
    assert third.suggest_block
    assert any(r.startswith("IN-13") for r in third.reasons)


def test_when_someone_asks_to_be_messaged_then_it_is_no_spam(nz: HouseRules) -> None:
    t = _one("Hello, I have a problem with my dog registration, please DM me.", nz)
    assert t.action != "hide"


# ---------------------------------------------------------------- party politics (IN-07) by jurisdiction

POLITICS = [
    # (pack, message, action)
    ("nz", "Vote Labour on Saturday!", "hide"),
    ("uk", "Vote Labour on Thursday!", "hide"),
    ("nsw", "Vote Labor this Saturday!", "hide"),
    ("nz", "The Greens are the only party that cares about this issue", "leave"),
    ("uk", "The Greens are the only party that cares about this issue", "leave"),
    ("nsw", "The Greens are the only party that cares about this issue", "hide"),
]


@pytest.mark.parametrize(("pack", "text", "action"), POLITICS)
def test_when_message_is_party_political_then_the_jurisdiction_decides(pack: str, text: str, action: str) -> None:
    t = _one(text, load_house_rules(pack))
    assert t.action == action, t.reasons
    if action == "hide":
        assert t.rule_code == "IN-07"


# ---------------------------------------------------------------- pack options: staff, suppression, impersonation


@pytest.fixture(scope="module")
def agency_packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, HouseRules]:
    folder = tmp_path_factory.mktemp("packs")
    out = {}
    for parent in ("nz", "uk"):
        path = folder / f"agency-{parent}.yml"
        path.write_text(
            f"id: agency-{parent}\nextends: {parent}\noptions:\n"
            "  staff_names: [Jo Bloggs]\n  spokespeople: [Ana Spokes]\n"
            "  agency_handles: ['@examplehelp']\n  suppressed_names: [Casey Withheld]\n",
            encoding="utf-8",
        )
        out[parent] = load_house_rules(path)
    return out


def test_when_staff_are_named_then_uk_hides_and_nz_asks_a_moderator(agency_packs: dict[str, HouseRules]) -> None:
    text = "Say hi to Jo Bloggs from the passport office"
    uk, nz = _one(text, agency_packs["uk"]), _one(text, agency_packs["nz"])
    assert (uk.action, uk.rule_code) == ("hide", "IN-10")
    assert (nz.action, nz.rule_code) == ("queue", "IN-10")
    assert _one("Say hi to Ana Spokes from the passport office", agency_packs["uk"]).action == "leave"


def test_when_a_suppressed_name_appears_then_it_is_hidden_for_legal_review(agency_packs: dict[str, HouseRules]) -> None:
    t = _one("Casey Withheld was in court again today", agency_packs["nz"])
    assert (t.action, t.rule_code, t.escalate) == ("hide", "IN-04", "legal")


def test_when_an_author_looks_like_the_agency_then_it_is_hidden_and_reported(
    agency_packs: dict[str, HouseRules],
) -> None:
    fake = _one("Claim your refund here today", agency_packs["nz"], author="@examplehelp_desk")
    real = _one("Claim your refund here today", agency_packs["nz"], author="@examplehelp")
    assert (fake.action, fake.rule_code, fake.escalate) == ("hide", "IN-12", "platform")
    assert real.rule_code != "IN-12"


# ---------------------------------------------------------------- batch and result shape


def test_when_a_batch_is_triaged_then_order_and_length_are_kept(nz: HouseRules) -> None:
    texts = [
        "You are a bunch of idiots and scum.",
        "When will the Ōtaki library reopen after the flood repairs?",
        "",
        "Please ring me on 021 555 0192 about the fence permit.",
        "Thanks so much to the team at the service centre, great service today!",
    ]
    batch = triage_many([TriageInput(text=t) for t in texts], rules=nz)
    assert len(batch) == len(texts)
    singles = [triage_one(t, rules=nz) for t in texts]
    assert [b.category for b in batch] == [s.category for s in singles]
    assert [b.fingerprint for b in batch] == [s.fingerprint for s in singles]
    assert [b.category for b in batch][:2] == ["abuse", "question"]
    assert batch[3].pii


def test_when_the_batch_is_empty_then_nothing_is_returned(nz: HouseRules) -> None:
    assert triage_many([], rules=nz) == []


def test_when_triage_is_written_as_json_then_it_reads_back_the_same(nz: HouseRules) -> None:
    t = _one("Can you call me back on 021 555 0192 about my rates bill?", nz)
    data = json.loads(json.dumps(t.as_dict()))
    assert data == t.as_dict()
    assert Triage.from_dict(data) == t
    assert set(data) >= {"language", "category", "sentiment", "pii", "pii_kinds", "priority", "action", "rule_code"}
    assert len(t.fingerprint) == 32


@pytest.mark.parametrize(
    ("text", "priority"),
    [
        ("I know where you live. Watch your back.", 1),
        ("When will the Ōtaki library reopen after the flood repairs?", 3),
        ("I have been waiting six weeks for my rates rebate and nobody answers the phone.", 2),
        ("Thanks so much to the team at the service centre, great service today!", 4),
    ],
)
def test_when_messages_differ_in_urgency_then_priority_orders_them(nz: HouseRules, text: str, priority: int) -> None:
    assert _one(text, nz).priority == priority


def test_when_two_weak_spam_signs_meet_then_it_is_spam(nz: HouseRules) -> None:
    text = "#win #free #prize #deal #sale #promo #offer #cash #bonus #gift dm me"
    t = _one(text, nz)
    assert (t.category, t.action, t.rule_code, t.strike) == ("spam", "hide", "IN-05", True)
    assert any("hashtag stuffing" in r for r in t.reasons)


def test_when_a_link_hides_its_host_then_it_is_a_harmful_link(nz: HouseRules) -> None:
    t = _one("Your parcel is waiting: http://198.51.100.7/track", nz)
    assert (t.action, t.rule_code) == ("hide", "IN-11")
