"""Fingerprints group the same words from anyone as duplicates (IN-05)."""

from __future__ import annotations

import pytest

from govsocial.inbox import fingerprint


@pytest.mark.parametrize(
    "variant",
    [
        "Fix the potholes on Main Road NOW!!!",
        "fix the potholes on main road now",
        "@council Fix   the potholes on Main Road now https://example.org/photo",
        "Fix the potholes on Main Road, now. 🙄",
        "  FIX THE POTHOLES\non Main Road now\t",
    ],
)
def test_when_texts_differ_only_in_case_links_handles_or_punctuation_then_fingerprints_match(variant: str) -> None:
    assert fingerprint(variant) == fingerprint("Fix the potholes on Main Road now")


def test_when_words_differ_then_fingerprints_differ() -> None:
    assert fingerprint("Fix the potholes on Main Road now") != fingerprint("Fix the potholes on Queen Street now")


def test_when_a_message_is_only_a_link_then_different_links_do_not_group() -> None:
    assert fingerprint("https://example.org/a") != fingerprint("https://example.org/b")


def test_when_fingerprinted_then_it_is_32_hex_characters() -> None:
    fp = fingerprint("Kia ora")
    assert len(fp) == 32
    int(fp, 16)
