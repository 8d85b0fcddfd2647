"""Readability: syllables, sentences and the Flesch–Kincaid grade, with Māori words left out."""

from __future__ import annotations

import pytest

from govsocial.readability import Sentence, flesch_kincaid_grade, readability, sentence_spans, syllables


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("the", 1),
        ("area", 3),
        ("idea", 3),
        ("open", 2),
        ("video", 3),
        ("information", 4),
        ("coronavirus", 5),
        ("available", 4),
        ("people", 2),
        ("people's", 2),
        ("changes", 2),
        ("wanted", 2),
        ("safety", 2),
        ("well-being", 3),
        ("immediately", 5),
    ],
)
def test_when_word_is_common_then_syllable_count_is_right(word: str, count: int) -> None:
    assert syllables(word) == count


def test_when_text_is_simple_then_counts_are_exact() -> None:
    r = readability("Apply online. It takes ten minutes.")
    assert (r.words, r.sentences, r.syllables, r.hard_words) == (6, 2, 9, 0)
    assert r.grade == pytest.approx(0.39 * 3 + 11.8 * 9 / 6 - 15.59, abs=0.05)


def test_when_text_has_links_handles_hashtags_and_numbers_then_they_are_not_words() -> None:
    plain = readability("Apply online today.")
    noisy = readability("Apply online today @MSD_NZ #Apply2026 https://www.msd.govt.nz/apply 2026 25th")
    assert (noisy.words, noisy.syllables) == (plain.words, plain.syllables)


def test_when_text_has_maori_words_then_they_are_not_counted() -> None:
    r = readability("Kia ora koutou! Whānau from Whanganui and Paraparaumu are welcome at our Matariki hui.")
    # Only "from and are welcome at our" count: the Māori words (and names) are left out.
    assert r.words == 6
    assert r.hard_words == 0


def test_when_text_is_only_maori_then_grade_is_zero() -> None:
    assert readability("Tēnā koutou katoa, nau mai haere mai ki te hui").words <= 1
    assert flesch_kincaid_grade("") == 0.0


def test_when_text_is_dense_then_grade_is_high() -> None:
    dense = (
        "Notwithstanding the aforementioned considerations, individuals experiencing respiratory symptoms "
        "are strongly encouraged to undertake comprehensive diagnostic evaluation."
    )
    plain = "If you have a cough, get a test. It is free. Stay home until you get your result."
    assert flesch_kincaid_grade(dense) > 15
    assert flesch_kincaid_grade(plain) < 5


def test_when_abbreviation_has_a_full_stop_then_the_sentence_goes_on() -> None:
    assert readability("Bring ID, e.g. a passport or licence. Then wait.").sentences == 2


def test_when_sentences_are_split_then_spans_index_the_text() -> None:
    text = "Kia ora! Applications open on 3 May.\nSee https://x.govt.nz #Grants"
    spans = sentence_spans(text)
    assert spans == [Sentence(9, 36, 5), Sentence(37, 66, 1)]
    assert text[spans[0].start : spans[0].end] == "Applications open on 3 May."


def test_when_a_word_is_huge_then_syllables_stay_bounded() -> None:
    assert syllables("a" * 10_000) >= 1
