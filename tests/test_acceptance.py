"""Whole-engine behaviour: plainly fine posts are ok; posts with problems are caught in the right
family and context. Texts here are written for the tests; identifiers are generated test vectors."""

from __future__ import annotations

import pytest

from govsocial import Author, Context, Media, MediaKind, Platform, Post, Verdict, review

FINE = [
    Post(text="Our offices are open 8:30am to 5pm, Monday to Friday. Closed on public holidays."),
    Post(
        text="Join us at the Civic Centre on Saturday 14 March from 10am for the community planting day. Everyone welcome!"
    ),
    Post(text="Thanks for letting us know, we really appreciate it.", reply_to="The footpath on King St is cracked."),
    Post(text="Kia ora koutou! Mānawatia a Matariki. Ngā mihi nui ki a koutou katoa."),
    Post(text="Tēnā koutou katoa, nau mai haere mai ki te hui ā-iwi."),
    Post(
        text="Updates: https://www.example.govt.nz/a/very/long/path/to/the/page/about/roadworks "
        "https://www.example.govt.nz/another/very/long/path/for/bus/timetables/and/detours "
        "https://www.example.govt.nz/yet/another/long/path/for/the/consultation/document/2026",
        platform=Platform.X,
    ),
    Post(text="The official opening of the new library is on Friday. Bring the kids!"),
    Post(text="Our chef shares a secret recipe for winter soup at the market this weekend."),
    Post(text="Flu vaccines are free for people aged 65 and over. Book at your GP or pharmacy."),
    Post(text="Road closed between Smith St and Jones Rd for resurfacing until 6pm.", platform=Platform.BLUESKY),
    Post(
        text="A photo from this morning's beach clean-up.",
        media=(Media(kind=MediaKind.IMAGE, alt="Volunteers carrying bags of rubbish along the beach at low tide."),),
    ),
    Post(text="Happy birthday to our volunteer fire brigade, 100 years of service!"),
    Post(text="The labour market figures are out today: unemployment is steady at 4.1%. https://www.stats.govt.nz/"),
    Post(text="Call 0800 123 456 if you need help with your application."),
]


@pytest.mark.parametrize("post", FINE, ids=[p.text[:30] for p in FINE])
def test_plainly_fine_posts_are_ok(post: Post) -> None:
    result = review(post, "nz")
    assert result.verdict is Verdict.OK, [(f.code, f.message) for f in result.findings]


PROBLEMS = [
    ("PRIV", Context.OFFICIAL, Post(text="Hi Jane, your IRD number 49-091-850 has been updated.")),
    ("PRIV", Context.OFFICIAL, Post(text="Card 4111 1111 1111 1111 was charged twice, sorry about that.")),
    ("SEC", Context.OFFICIAL, Post(text="IN-CONFIDENCE\nDraft Cabinet paper on housing, see below")),
    ("SEC", Context.PERSONAL, Post(text="OFFICIAL-SENSITIVE: notes from today's meeting")),
    ("SEC", Context.OFFICIAL, Post(text="Test login for the portal: password: Hunter2025!")),
    ("POL", Context.OFFICIAL, Post(text="Vote for the Green Party on Saturday! #VoteGreen")),
    ("ABU", Context.OFFICIAL, Post(text="You are a fucking idiot.", reply_to="Your service is slow.")),
    (
        "ACC",
        Context.OFFICIAL,
        Post(text="Check out the new park!", media=(Media(kind=MediaKind.IMAGE, alt="IMG_2041.jpg"),)),
    ),
    ("ACC", Context.OFFICIAL, Post(text="Watch the briefing", media=(Media(kind=MediaKind.VIDEO, captions=False),))),
    ("PLAT", Context.OFFICIAL, Post(text="x" * 301, platform=Platform.BLUESKY)),
    (
        "AUTH",
        Context.OFFICIAL,
        Post(
            text="Effective immediately, all permits will be free. We guarantee you will receive a refund.",
            author=Author(roles=frozenset({"officer"})),
        ),
    ),
]


@pytest.mark.parametrize(("family", "context", "post"), PROBLEMS, ids=[f"{f}-{p.text[:20]}" for f, _, p in PROBLEMS])
def test_problem_posts_are_caught_in_the_right_family(family: str, context: Context, post: Post) -> None:
    result = review(post, "nz", context=context)
    assert any(f.family == family for f in result.findings), [(f.code, f.message) for f in result.findings]
    assert result.verdict is not Verdict.OK


def test_context_matters_personal_account_is_gentler_on_party_mentions() -> None:
    text = "Interesting speech by the Labour Party leader today."
    official = review(text, "nz", context="official")
    personal = review(text, "nz", context="personal")
    assert any(f.family == "POL" for f in official.findings)
    assert official.worst is not None
    assert personal.worst is None or personal.worst.rank < official.worst.rank


def test_election_period_makes_partisan_framing_stricter() -> None:
    text = "The Minister's record investment is delivering for you, unlike the previous government."
    normal = review(Post(text=text, election_period=False), "nz")
    election = review(Post(text=text, election_period=True), "nz")
    assert normal.worst is not None
    assert election.worst is not None
    assert election.worst.rank > normal.worst.rank


def test_result_records_pack_reference_and_engine() -> None:
    result = review("Hello", "nz")
    pid, _, rest = result.pack.partition("@")
    version, _, digest = rest.partition("#")
    assert pid == "nz"
    assert version
    assert len(digest) == 64
    assert result.engine.startswith("govsocial ")


def test_python_api_accepts_plain_strings_for_enums() -> None:
    from govsocial import Media

    result = review(Post(text="New playground open!", media=[Media(kind="image", alt="")], platform="x"), "nz")  # type: ignore[arg-type]
    assert result.verdict is Verdict.REVIEW
    assert result.codes() == ["ACC101"]


def test_python_api_rejects_unknown_platform() -> None:
    with pytest.raises(ValueError, match="myspace"):
        Post(text="hello", platform="myspace")  # type: ignore[arg-type]


def test_readme_python_example_runs_as_documented() -> None:
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, re.S)
    assert block is not None
    namespace: dict[str, object] = {}
    exec(block.group(1), namespace)
    result = namespace["result"]
    assert str(result.verdict) == "review"  # type: ignore[attr-defined]
    assert [f.code for f in result.findings] == ["ACC101"]  # type: ignore[attr-defined]


def test_review_many_in_worker_processes_matches_one_by_one() -> None:
    from govsocial.engine import review_many

    texts = [
        f"Post {i}: call 021 555 01{i % 100:02d} about claim {i}." if i % 7 == 0 else f"Library open at {i % 12 + 1}pm."
        for i in range(450)
    ]
    serial = review_many(texts, "nz")
    parallel = review_many(texts, "nz", workers=2, chunk_size=100)
    assert [r.to_dict() for r in parallel] == [r.to_dict() for r in serial]
    assert any(r.findings for r in serial)
