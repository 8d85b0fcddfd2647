"""Language detection and word knowledge: te reo Māori is recognised, never "hard" or misspelt."""

from __future__ import annotations

import pytest

from govsocial import Post, review
from govsocial.detectors.language import (
    detect_language,
    english_tier,
    is_english_word,
    is_maori_word,
    language_signals,
    segment,
)


@pytest.mark.parametrize(
    "text",
    [
        "Tēnā koutou katoa, nau mai haere mai ki te hui",
        "Mānawatia a Matariki!",
        "Kia ora",
        "Ngā mihi nui ki a koutou katoa mō tō koutou tautoko",
        "Nau mai ki te Wiki o te Reo Māori",
        "Kia kaha Aotearoa",
    ],
)
def test_when_post_is_te_reo_maori_then_language_is_mi(text: str) -> None:
    assert detect_language(text) == "mi"


@pytest.mark.parametrize(
    "text",
    [
        "Kia ora koutou, applications for the new grant open on Monday.",
        "Happy Matariki to all our whānau",
        "Whanganui and Paraparaumu roads are closed after the storm.",
        "Stay home, save lives #StaySafe https://t.co/x",
        "Our offices are open 9am to 5pm on weekdays.",
        "",
        "https://www.msd.govt.nz #Tag @someone",
    ],
)
def test_when_post_is_english_with_maori_greetings_then_language_is_en(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    "text",
    [
        "Te esperamos en la clínica de vacunación este sábado para tu segunda dosis",
        "Наши специалисты работают круглосуточно",
        "新年快乐！我们的办公室在公共假期期间关闭。",
    ],
)
def test_when_post_is_another_language_then_language_is_other(text: str) -> None:
    assert detect_language(text) == "other"


@pytest.mark.parametrize(
    "word",
    ["whānau", "Tēnā", "Mānawatia", "Matariki", "koutou", "Aotearoa", "Whanganui", "Paraparaumu", "Tauranga", "Taupō"],
)
def test_when_word_is_maori_then_is_maori_word(word: str) -> None:
    assert is_maori_word(word)


@pytest.mark.parametrize("word", ["nature", "minute", "tomato", "Napier", "the", "to", "a", "me", "application"])
def test_when_word_is_english_then_not_maori_word(word: str) -> None:
    assert not is_maori_word(word)


def test_when_word_is_common_then_tier_is_low() -> None:
    assert english_tier("the") == 1
    assert is_english_word("coronavirus")
    assert english_tier("xqzv") is None


@pytest.mark.parametrize(
    ("chunk", "words"),
    [
        ("vaccineupdate", ("vaccine", "update")),
        ("stopthespread", ("stop", "the", "spread")),
        ("stayhome", ("stay", "home")),
        ("newzealand", ("new", "zealand")),
        ("coronavirus", ("coronavirus",)),
        ("lockdown", ("lockdown",)),
        ("christchurch", ("christchurch",)),
    ],
)
def test_when_letters_run_together_then_segment_finds_the_words(chunk: str, words: tuple[str, ...]) -> None:
    assert segment(chunk) == words


@pytest.mark.parametrize("chunk", ["terremoto", "walangpasok", "matariki", "kiaora", "sghaze"])
def test_when_letters_are_not_english_words_then_segment_gives_none(chunk: str) -> None:
    assert segment(chunk) is None


def test_when_detector_runs_then_one_language_signal_covers_the_text() -> None:
    text = "Mānawatia a Matariki!"
    (signal,) = language_signals(Post(text=text))
    assert signal.kind == "language"
    assert (signal.start, signal.end) == (0, len(text))
    assert signal.evidence["language"] == "mi"


def test_when_post_is_maori_then_review_reports_mi_and_skips_english_only_rules() -> None:
    text = (
        "Tēnā koutou katoa, nau mai haere mai ki te hui ā-iwi o Ngāti Whātua ki Ōrākei ā te Rāhoroi ki te "
        "marae, ā, ka whai kai ngā manuhiri katoa i muri i ngā mihimihi me ngā kōrero o te rā."
    )
    result = review(text, "nz", select=["STY", "ACC"])
    assert result.language == "mi"
    assert not [f for f in result.findings if f.code in {"STY101", "STY102", "STY202"}]
