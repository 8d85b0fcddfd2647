"""Platform limits and how each platform counts a post."""

from __future__ import annotations

import pytest

from govsocial import Media, MediaKind, Platform, Post, review
from govsocial.platforms import (
    PLATFORMS,
    alt_length,
    graphemes,
    limits_for,
    link_spans,
    media_problem,
    post_length,
    x_weighted_length,
)


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("Hello world", 11),
        ("Kia ora koutou, Māori", 21),  # Latin with macrons weighs 1
        ("こんにちは", 10),  # CJK weighs 2
        ("👍🏽 hi", 5),  # an emoji sequence weighs 2
        ("🇳🇿", 2),
        ("See https://www.example.govt.nz/a/very/long/path/that/goes/on/and/on", 4 + 23),
        ("Visit covid19.govt.nz today", 6 + 23 + 6),
        ("Email me@agency.govt.nz", 23),  # an email address is not a link
    ],
)
def test_when_text_is_counted_for_x_then_weighted_length_follows_twitter_text(text: str, length: int) -> None:
    assert x_weighted_length(text) == length


def test_when_post_has_four_long_links_then_x_counts_23_each() -> None:
    links = " ".join(f"https://www.example.govt.nz/{'long-path-segment/' * 8}{i}" for i in range(4))
    text = f"Useful links: {links}"
    assert post_length(text, Platform.X) == len("Useful links: ") + 4 * 23 + 3
    result = review(Post(text=text, platform=Platform.X), "nz", select=["PLAT"])
    assert result.verdict.value == "ok"


def test_when_post_is_over_the_x_limit_then_message_gives_count_and_limit() -> None:
    result = review(Post(text="a" * 312, platform=Platform.X), "nz", select=["PLAT101"])
    assert [f.message for f in result.findings] == ["312 of 280 weighted characters on X."]


def test_when_bluesky_counts_a_link_then_it_is_shortened_as_the_app_shows_it() -> None:
    url = "https://www.health.govt.nz/our-work/diseases-and-conditions/covid-19"
    assert post_length(f"Details: {url}", Platform.BLUESKY) == len("Details: ") + len("www.health.govt.nz") + 13 + 3
    assert post_length("https://example.govt.nz/short", Platform.BLUESKY) == len("example.govt.nz/short")


def test_when_mastodon_counts_links_and_remote_mentions_then_links_are_23_and_mentions_short() -> None:
    assert post_length("hi @bob@mastodon.social", Platform.MASTODON) == len("hi @bob")
    assert post_length("https://example.govt.nz/" + "x" * 100, Platform.MASTODON) == 23


def test_when_text_has_combined_characters_then_graphemes_count_them_once() -> None:
    assert graphemes("👩‍👩‍👧 é") == 3
    assert graphemes("plain ascii") == 11
    assert alt_length("e\u0301", Platform.X) == 1


def test_when_links_are_found_then_bare_government_domains_count() -> None:
    text = "See msd.govt.nz or https://www.gov.uk/x, not e.g. or U.S. or me@ird.govt.nz"
    assert [text[s:e] for s, e in link_spans(text)] == ["msd.govt.nz", "https://www.gov.uk/x"]


def test_every_platform_has_a_length_limit() -> None:
    assert set(PLATFORMS) == set(Platform)
    assert PLATFORMS[Platform.X].max_length == 280
    assert PLATFORMS[Platform.BLUESKY].max_length == 300
    assert PLATFORMS[Platform.MASTODON].max_length == 500
    assert PLATFORMS[Platform.INSTAGRAM].max_hashtags == 30
    assert PLATFORMS[Platform.X].max_alt == 1000


def test_when_pack_overrides_a_limit_then_limits_for_applies_it() -> None:
    premium = limits_for(Platform.X, {"x": {"max_length": 25_000, "label": "ignored", "unknown": 1}})
    assert premium.max_length == 25_000
    assert premium.label == "X"
    assert limits_for(Platform.X, None) is PLATFORMS[Platform.X]


@pytest.mark.parametrize(
    ("platform", "media", "problem"),
    [
        (Platform.X, [MediaKind.IMAGE] * 5, "5 attachments: X allows 4"),
        (Platform.X, [MediaKind.IMAGE, MediaKind.VIDEO], "images and a video together"),
        (Platform.BLUESKY, [MediaKind.VIDEO] * 2, "2 videos or audio files"),
        (Platform.INSTAGRAM, [MediaKind.IMAGE] * 21, "21 attachments: Instagram allows 20"),
        (Platform.INSTAGRAM, [MediaKind.IMAGE, MediaKind.VIDEO], None),
        (Platform.X, [MediaKind.IMAGE] * 4, None),
        (Platform.FACEBOOK, [MediaKind.IMAGE] * 30, None),
    ],
)
def test_when_media_are_checked_then_platform_rules_apply(
    platform: Platform, media: list[MediaKind], problem: str | None
) -> None:
    found = media_problem(tuple(Media(kind=k, alt="x") for k in media), PLATFORMS[platform])
    if problem is None:
        assert found is None
    else:
        assert found is not None and found.startswith(problem)
