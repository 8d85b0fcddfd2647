"""POL, ABU and AUTH rules: lexicons, classifier fallbacks, options and packs.

The YAML case files cover behaviour post by post; these tests cover what they cannot: the
obfuscated lexicons, classifier availability, rule options set in a pack, and the political
option files. Offensive words are built at run time from ROT13 so this file never displays them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

import govsocial.classify as classify
from govsocial import Author, Context, Finding, Post, review
from govsocial.packs import load_pack
from govsocial.rules.abu import profanity_hits, slur_hits
from govsocial.rules.lexicons import load_lexicon, rot13
from govsocial.rules.pol import political_lexicon

POLITICS_KEYS = (
    "parties",
    "party_short_names",
    "politicians",
    "ministers",
    "party_slogans",
    "party_hashtags",
    "partisan_accounts",
    "party_domains",
)


def _codes(text: str, pack: str = "nz", **fields: Any) -> list[str]:
    return review(Post(text=text, **fields), pack).codes()


def _finding(text: str, code: str, pack: str = "nz", **fields: Any) -> Finding:
    found = [f for f in review(Post(text=text, **fields), pack).findings if f.code == code]
    assert found, f"{code} did not fire on {text!r}"
    return found[0]


# --------------------------------------------------------------------------- lexicons


def test_rot13_is_its_own_inverse() -> None:
    assert rot13(rot13("Hello, World!")) == "Hello, World!"
    assert rot13("abc") == "nop"


@pytest.mark.parametrize("name", ["profanity", "slurs"])
def test_when_lexicon_is_loaded_then_words_are_decoded_and_not_stored_in_plain(name: str) -> None:
    lexicon = load_lexicon(name)
    raw = resources.files("govsocial.rules.lexicons").joinpath(f"{name}.rot13.yml").read_text(encoding="utf-8")
    words = [w.rstrip("*") for entries in lexicon.values() for w in entries]
    assert len(words) > 10
    stored = {str(v) for values in yaml.safe_load(raw).values() for v in values}
    # Every decoded word differs from what the file stores (no entry is kept in plain text).
    assert all(rot13(w) != w for w in words if len(w) > 2)
    assert not any(w in stored for w in words if len(w) > 3)


def test_profanity_tiers_exist() -> None:
    assert {"strong", "medium", "mild", "exceptions"} <= set(load_lexicon("profanity"))


# --------------------------------------------------------------------------- ABU


STRONG = rot13("shpx")  # built at run time: the repository never displays the word
SLUR = rot13("snttbg")


def test_when_strong_word_is_spelt_plainly_then_official_post_is_blocked() -> None:
    finding = _finding(f"What the {STRONG} is this.", "ABU102")
    assert str(finding.severity) == "block"
    assert STRONG not in finding.message  # messages mask the word


@pytest.mark.parametrize(
    "text",
    [
        f"{STRONG.upper()} THIS",
        f"{STRONG}ing hell",
        f"#{STRONG}this",
        f"{STRONG[0]}*{STRONG[2:]} this",
        f"{STRONG[0]}{STRONG[1] * 5}{STRONG[2:]}",
    ],
    ids=["caps", "inflected", "hashtag", "masked", "stretched"],
)
def test_when_strong_word_is_disguised_then_it_is_found(text: str) -> None:
    assert profanity_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe, Penistone and Essex",
        "Hello from Hell's Gate",
        "The A55 and the M5 are open",
        'Comments containing words like "' + STRONG + '" will be removed under our house rules.',
        "https://example.com/" + STRONG,
        "Thanks @" + STRONG + "_account",
    ],
)
def test_when_word_is_only_cited_or_part_of_a_name_then_no_profanity(text: str) -> None:
    assert not profanity_hits(text)


def test_when_slur_is_used_then_hate_speech_blocks_and_message_masks_it() -> None:
    finding = _finding(f"You {SLUR}.", "ABU103")
    assert str(finding.severity) == "block"
    assert SLUR not in finding.message
    assert slur_hits(f"{SLUR[0]}*{SLUR[2:]}")
    assert not profanity_hits(f"You {SLUR}.")


@pytest.fixture
def no_classifier(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(classify, "score_text", raising=False)


@pytest.fixture
def classifier(monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    scores: dict[str, float] = {}

    def score_text(task: str, text: str) -> float:
        if task not in scores:
            raise KeyError(task)
        return scores[task]

    monkeypatch.setattr(classify, "score_text", score_text, raising=False)
    return scores


@pytest.mark.usefixtures("no_classifier")
def test_when_no_classifier_is_installed_then_abuse_rule_only_uses_insult_patterns() -> None:
    assert "ABU101" not in _codes("This reply is rather rude and unkind.")
    assert "ABU101" in _codes("You are a complete clown.")


@pytest.mark.usefixtures("no_classifier")
@pytest.mark.parametrize(
    "text",
    [
        "You are not stupid for asking, it is a good question.",
        "The old form was useless, so we replaced it.",
        "No April fools here, the pool really is open early tomorrow.",
        "Cloth masks? They are not useless, but a fitted mask is better.",
    ],
)
def test_when_words_are_not_aimed_at_a_person_then_no_insult(text: str) -> None:
    assert "ABU101" not in _codes(text)


def test_when_classifier_scores_above_threshold_then_abuse_rule_fires(classifier: dict[str, float]) -> None:
    classifier["abuse"] = 0.8
    assert "ABU101" in _codes("Go away, you are wasting our time.")
    # The personal threshold is higher (0.85 by default).
    assert "ABU101" not in _codes("Go away, you are wasting our time.", context=Context.PERSONAL)


def test_when_classifier_task_is_missing_then_score_counts_as_zero(classifier: dict[str, float]) -> None:
    assert "ABU101" not in _codes("Go away, you are wasting our time.")


def test_when_classifier_files_are_missing_then_score_counts_as_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(task: str, text: str) -> float:
        raise FileNotFoundError("model.bin")

    monkeypatch.setattr(classify, "score_text", missing, raising=False)
    assert "ABU101" not in _codes("Go away, you are wasting our time.")
    assert "POL301" not in _codes("The Government met today.")


def test_when_pack_sets_threshold_then_rule_uses_it(tmp_path: Path, classifier: dict[str, float]) -> None:
    pack = tmp_path / "strict.yml"
    pack.write_text(
        "id: strict\nversion: '1'\nextends: nz\nrules:\n  ABU101:\n    options:\n      threshold: {official: 0.3}\n",
        encoding="utf-8",
    )
    classifier["abuse"] = 0.4
    assert "ABU101" in review(Post(text="Go away, you."), str(pack)).codes()
    assert "ABU101" not in review(Post(text="Go away, you."), "nz").codes()


def test_when_post_has_no_person_or_hostile_word_then_classifier_is_not_asked(
    tmp_path: Path, classifier: dict[str, float]
) -> None:
    classifier["abuse"] = 0.99
    text = "Go away and stop wasting our time."
    assert "ABU101" not in _codes(text)
    assert "ABU101" in _codes(text, reply_to="When does the pool open?")
    pack = tmp_path / "always.yml"
    pack.write_text(
        "id: always\nversion: '1'\nextends: nz\nrules:\n  ABU101:\n    options:\n      prefilter: false\n",
        encoding="utf-8",
    )
    assert "ABU101" in review(Post(text=text), str(pack)).codes()


# --------------------------------------------------------------------------- POL


@pytest.mark.parametrize(
    "text",
    [
        "The labour market figures are out today.",
        "Visit a national park this summer.",
        "New green space opens on Saturday.",
        "Submissions on the reform of the tax system close Friday.",
        "An act of kindness goes a long way.",
        "National Volunteer Week starts on Monday.",
        "Green list countries can travel quarantine-free.",
        "The National Policy Statement on Freshwater is out.",
        "Eat your greens!",
    ],
)
def test_when_ambiguous_word_is_not_a_party_then_no_political_finding(text: str) -> None:
    assert not [c for c in _codes(text) if c.startswith("POL")]


@pytest.mark.parametrize(
    ("pack", "text"),
    [
        ("nz", "Labour's new policy"),
        ("nz", "National MPs met today"),
        ("nz", "the National-led government"),
        ("nz", "ACT leader at the event"),
        ("nz", "Labour and National agree"),
        ("nz", "vote Green"),
        ("uk", "Tory MPs voted"),
        ("uk", "Reform UK held a rally"),
        ("uk", "the SNP's conference"),
        ("nsw", "the Liberals and Nationals"),
        ("nsw", "NSW Labor"),
    ],
)
def test_when_party_cue_is_present_then_party_is_named(pack: str, text: str) -> None:
    assert "POL101" in _codes(text, pack)


@pytest.mark.parametrize("pack", ["nz", "uk", "nsw"])
def test_political_option_files_hold_lists_of_strings(pack: str) -> None:
    path = resources.files("govsocial.packs").joinpath("data", f"politics-{pack}.yml")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(doc) == set(POLITICS_KEYS)
    for key, values in doc.items():
        assert isinstance(values, list) and values, key
        assert all(isinstance(v, str) and v.strip() for v in values), key
    # Ambiguous words never stand alone as a party name: they need a cue (party_short_names).
    assert not {"Labour", "National", "Green", "Reform", "ACT", "Liberal", "Labor"} & set(doc["parties"])
    assert set(doc["ministers"]) <= set(doc["politicians"])


@pytest.mark.parametrize("pack", ["nz", "uk", "nsw"])
def test_packs_merge_the_political_lexicon(pack: str) -> None:
    options = load_pack(pack).options
    for key in POLITICS_KEYS:
        assert options[key], key


def test_amplified_targets_are_matched_by_handle_and_domain() -> None:
    lex = political_lexicon(load_pack("nz").options)
    assert lex.partisan_target("@NZLabour")
    assert lex.partisan_target("nzlabour")
    assert lex.partisan_target("https://www.national.org.nz/policy")
    assert lex.partisan_target("act.org.nz")
    assert not lex.partisan_target("https://www.health.govt.nz")
    assert not lex.partisan_target("@HealthNZ")
    assert not lex.partisan_target("")


def test_minister_in_role_is_not_a_party_mention_on_official_accounts_but_is_on_personal() -> None:
    text = "The Minister of Finance, Hon Nicola Willis, opened the centre."
    assert "POL101" not in _codes(text)
    assert "POL101" in _codes(text, context=Context.PERSONAL)


def test_when_agency_pack_adds_a_candidate_then_rule_finds_them(tmp_path: Path) -> None:
    pack = tmp_path / "local.yml"
    pack.write_text(
        "id: local\nversion: '1'\nextends: nz\noptions:\n  politicians: [Jane Candidate]\n", encoding="utf-8"
    )
    assert "POL101" in review(Post(text="Jane Candidate visited the library."), str(pack)).codes()


def test_partisan_classifier_is_consulted_only_when_government_is_mentioned(classifier: dict[str, float]) -> None:
    classifier["partisan"] = 0.95
    assert "POL301" in _codes("The Government's work on housing continues.")
    assert "POL301" not in _codes("Our libraries are open on Saturday.")
    classifier["partisan"] = 0.5
    assert "POL301" not in _codes("The Government's work on housing continues.")


def test_when_use_classifier_is_off_then_only_phrases_count(tmp_path: Path, classifier: dict[str, float]) -> None:
    pack = tmp_path / "phrases.yml"
    pack.write_text(
        "id: phrases\nversion: '1'\nextends: nz\nrules:\n  POL301:\n    options:\n      use_classifier: false\n",
        encoding="utf-8",
    )
    classifier["partisan"] = 0.99
    assert "POL301" not in review(Post(text="The Government's work on housing continues."), str(pack)).codes()


def test_election_period_raises_partisan_framing_to_block() -> None:
    text = "The Government's bold plan is finally delivering for you."
    assert str(_finding(text, "POL301", election_period=False).severity) == "high"
    assert str(_finding(text, "POL301", election_period=True).severity) == "block"


def test_election_period_restraint_is_silent_outside_the_period() -> None:
    text = "The Government has announced a new $40 million fund for regional roads."
    assert "POL201" not in _codes(text, election_period=False)
    assert "POL201" in _codes(text, election_period=True)


def test_portfolio_terms_from_the_pack_apply_to_every_author(tmp_path: Path) -> None:
    pack = tmp_path / "msd.yml"
    pack.write_text(
        "id: msd\nversion: '1'\nextends: nz\noptions:\n  portfolio_terms: [benefit sanctions]\n", encoding="utf-8"
    )
    post = Post(text="The benefit sanctions are a disaster.", context=Context.PERSONAL)
    assert "POL401" in review(post, str(pack)).codes()
    assert "POL401" not in review(post, "nz").codes()


# --------------------------------------------------------------------------- AUTH


def test_when_pack_names_announcer_roles_then_those_roles_may_commit(tmp_path: Path) -> None:
    pack = tmp_path / "roles.yml"
    pack.write_text(
        "id: roles\nversion: '1'\nextends: nz\nrules:\n"
        "  AUTH101:\n    options:\n      announcer_roles: [comms_lead]\n"
        "  AUTH102:\n    options:\n      announcer_roles: [comms_lead]\n",
        encoding="utf-8",
    )
    text = "Effective immediately, we guarantee you will receive a refund."
    lead = Post(text=text, author=Author(roles=frozenset({"comms_lead"})))
    spokesperson = Post(text=text, author=Author(roles=frozenset({"spokesperson"})))
    assert not {"AUTH101", "AUTH102"} & set(review(lead, str(pack)).codes())
    assert {"AUTH101", "AUTH102"} <= set(review(spokesperson, str(pack)).codes())
    assert not {"AUTH101", "AUTH102"} & set(review(spokesperson, "nz").codes())


@pytest.mark.parametrize(
    "text",
    [
        "We will be closed on Monday for the public holiday.",
        "We'll reply within 2 working days.",
        "We will post updates here as we get them.",
        "We will provide more information soon.",
        "We will let you know when the road reopens.",
        "You will receive a confirmation email when you book.",
        "Thanks, we'll pass this on to the team.",
        "Our offices will reopen at 8am on Tuesday.",
    ],
)
def test_routine_operational_notices_are_not_commitments_or_announcements(text: str) -> None:
    assert not {"AUTH101", "AUTH102"} & set(_codes(text))


def test_when_agency_is_named_in_pack_options_then_personal_post_needs_a_disclaimer(tmp_path: Path) -> None:
    pack = tmp_path / "agency.yml"
    pack.write_text(
        "id: agency\nversion: '1'\nextends: nz\noptions:\n"
        "  agency_names: [Department of Widgets]\n  agency_hashtags: ['#WidgetsNZ']\n",
        encoding="utf-8",
    )
    post = Post(text="Busy week at the Department of Widgets.", context=Context.PERSONAL)
    assert "AUTH201" in review(post, str(pack)).codes()
    disclaimed = Post(text="Busy week at the Department of Widgets. Views my own.", context=Context.PERSONAL)
    assert "AUTH201" not in review(disclaimed, str(pack)).codes()
    hashtag = Post(text="Great turnout today #WidgetsNZ", context=Context.PERSONAL)
    assert "AUTH302" in review(hashtag, str(pack)).codes()
