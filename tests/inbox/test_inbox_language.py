"""Language of incoming messages: English, te reo Māori or other (invented examples)."""

from __future__ import annotations

import pytest

from govsocial.inbox import TriageInput, detect_language, load_house_rules, triage_many


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("When does the library open tomorrow?", "en"),
        ("Kia ora, when does the pool open on Saturday?", "en"),
        ("Whānau day at Te Papa was great, thanks team", "en"),
        ("ok", "en"),
        ("Thanks!", "en"),
        ("", "en"),
        ("https://example.org @someone #tag", "en"),
        ("Kia ora koutou katoa, ngā mihi nui ki a koutou", "mi"),
        ("Kei te pēhea koe? He pātai tāku mō te hui", "mi"),
        ("Tēnā koe", "mi"),
        ("Mānawatia a Matariki!", "mi"),
        ("Hola, ¿cuándo abre la biblioteca mañana por la tarde?", "other"),
        ("Bonjour, quand est-ce que la piscine ouvre demain matin?", "other"),
        ("图书馆明天几点开门？", "other"),
    ],
)
def test_when_language_is_detected_then_english_maori_and_other_are_told_apart(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_when_a_message_is_triaged_then_it_carries_its_language() -> None:
    rules = load_house_rules("nz")
    texts = ["When does the library open tomorrow?", "Ngā mihi nui ki a koutou katoa", "图书馆明天几点开门？"]
    assert [t.language for t in triage_many([TriageInput(text=x) for x in texts], rules=rules)] == ["en", "mi", "other"]
