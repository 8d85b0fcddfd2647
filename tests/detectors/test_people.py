"""The ``people`` detector and the names tagger behind it (constructed text only)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from govsocial.classify import names
from govsocial.detectors import DETECTORS, load_all
from govsocial.detectors.people import people, person_spans
from govsocial.model import Post

REPO = Path(__file__).resolve().parents[2]
DEV_NAMES = REPO.parent / "shared" / "data" / "dev" / "names.jsonl"


def found(text: str) -> list[str]:
    return [text[s:e] for s, e, _ in person_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks Aroha, we have passed your message to the team.", ["Aroha"]),
        ("Kia ora Mere, your case number is on its way.", ["Mere"]),
        ("Dear Mrs Patel, your application has been received.", ["Patel"]),
        ("Hi Sione, can you send us a DM with your details?", ["Sione"]),
        ("THANKS SARAH FOR YOUR HELP", ["SARAH"]),
        ("thanks john smith for the tip", ["john smith"]),
        ("Kia ora koutou", []),
        ("Kia ora koutou katoa, ngā mihi nui", []),
        ("Visit Wellington this summer", []),
        ("Our team visited Auckland and Christchurch on Monday", []),
        ("Happy Matariki from all of us at Te Whatu Ora", []),
        ("Join us at Parliament on Friday 12 March", []),
        ("Mr Speaker, the house will now rise", []),
        ("", []),
    ],
)
def test_when_text_is_given_then_names_of_people_are_found(text: str, expected: list[str]) -> None:
    assert found(text) == expected


def test_when_minister_is_named_then_the_full_name_is_one_span() -> None:
    assert "Chris Bishop" in found("Minister Chris Bishop opened the new bridge today")


def test_when_a_title_precedes_the_name_then_the_value_is_the_name_and_the_title_is_evidence() -> None:
    (signal,) = people(Post(text="Mr Jones was told his application was declined."))
    assert signal.value == "Jones"
    assert signal.evidence["title"] == "Mr"
    assert signal.evidence["cue"] == "title"
    assert signal.score >= 0.8


@pytest.mark.parametrize(
    "text",
    [
        "@ArohaSmith thanks for your message",
        "Thanks @Aroha_Smith, we have passed your message on",
        "RT @JohnSmith : great work team",
        "Thanks Aroha @HemiWalker and @MereParata",
    ],
)
def test_when_text_has_handles_then_no_span_covers_a_handle(text: str) -> None:
    for s, e, _ in person_spans(text):
        assert "@" not in text[s:e]


def test_when_a_name_is_found_then_the_signal_explains_itself() -> None:
    load_all()
    assert DETECTORS["people"] is people
    text = "Thanks Aroha, we have passed your message to the team."
    (signal,) = people(Post(text=text))
    assert signal.kind == "person"
    assert (signal.start, signal.end, signal.value) == (7, 12, "Aroha")
    assert 0.0 < signal.score <= 1.0
    assert signal.evidence["method"] in {"tagger", "cue"}
    assert signal.evidence["hashtag"] is False


def test_when_spans_are_returned_then_scores_are_probabilities_in_order() -> None:
    spans = person_spans("Thanks Sarah and Tom, we spoke with Dr Ashley Bloomfield today.")
    assert spans == sorted(spans)
    assert all(0.0 <= score <= 1.0 for _, _, score in spans)


def test_when_text_is_tokenized_then_handles_hashtags_and_links_are_single_tokens() -> None:
    text = "Hi @jo_smith see #JohnSmith at https://example.org/a?b=1 now."
    tokens = [text[s:e] for s, e in names.tokenize(text)]
    assert tokens == ["Hi", "@jo_smith", "see", "#JohnSmith", "at", "https://example.org/a?b=1", "now", "."]


def test_when_spans_overlap_by_half_or_more_then_they_match_one_to_one() -> None:
    assert names.match_spans([(0, 10)], [(0, 6)]) == 1  # IoU 0.6
    assert names.match_spans([(0, 10)], [(0, 4)]) == 0  # IoU 0.4
    assert names.match_spans([(0, 10)], [(0, 9), (1, 10)]) == 1


def test_when_inference_sums_cached_groups_then_it_equals_the_training_features() -> None:
    tagger = names.get_tagger()
    for text in [
        "Thanks Aroha, we have passed your message to the team.",
        "KIA ORA KOUTOU, THANKS SARAH\nthanks john smith #JohnSmith @jo",
        "x",
    ]:
        spans = names.tokenize(text)
        types, em = tagger.emissions(text, spans)
        hashed = [names._hashed(t, tagger.mask) for t in types]
        rows = names._token_features(text, spans, types, hashed, tagger.mask)
        for row, got in zip(rows, em, strict=True):
            want = [sum(tagger.w[3 * r + j] for r in row) for j in range(3)]
            assert got == pytest.approx(want, abs=1e-3)


# --- training ----------------------------------------------------------------------------

_GIVEN = ["Aroha", "Hemi", "Mere", "Sione", "Priya", "Tom", "Sarah", "Wiremu"]
_SURNAMES = ["Ngata", "Patel", "Smith", "Tupou", "Walker"]
_TEMPLATES = [
    "Thanks {n} for your message about the road works .",
    "We spoke to {n} about the new library hours",
    "{n} asked about the bus timetable today",
    "Great question from {n} , see the link in our bio",
]


def _tiny_dataset(path: Path) -> None:
    rows = []
    k = 0
    for template in _TEMPLATES:
        for given in _GIVEN:
            for surname in _SURNAMES[: 1 + k % 3]:
                name = f"{given} {surname}" if k % 2 else given
                text = template.format(n=name)
                start = text.index(name)
                spans = [{"start": start, "end": start + len(name), "type": "PERSON"}]
                rows.append({"id": f"gen:{k}", "text": text, "spans": spans, "source": "gen"})
                k += 1
    rows.append({"id": "gen:none", "text": "The pool is open on weekdays .", "spans": [], "source": "gen"})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_when_training_twice_on_the_same_data_then_the_weights_are_identical(tmp_path: Path) -> None:
    data = tmp_path / "names.jsonl"
    _tiny_dataset(data)
    first = names.train_names(data, tmp_path / "a.bin", seed=3, epochs=2, corpus=[])
    second = names.train_names(data, tmp_path / "b.bin", seed=3, epochs=2, corpus=[])
    assert first["sha256"] == second["sha256"]
    assert (tmp_path / "a.bin").read_bytes() == (tmp_path / "b.bin").read_bytes()
    assert first["train_rows"] + first["test_rows"] == len(data.read_text().splitlines())
    assert set(first["metrics"]) <= {"all", "gen"}
    tagger = names.NameTagger.load(tmp_path / "a.bin")
    assert all(0.0 <= score <= 1.0 for _, _, score in tagger.spans("Thanks Hemi for your message"))


def test_when_out_is_a_directory_then_names_bin_is_written_there(tmp_path: Path) -> None:
    data = tmp_path / "names.jsonl"
    _tiny_dataset(data)
    report = names.train_names(data, tmp_path, seed=0, epochs=1, corpus=[])
    assert Path(report["model"]) == tmp_path / "names.bin"
    assert hashlib.sha256((tmp_path / "names.bin").read_bytes()).hexdigest() == report["sha256"]


@pytest.mark.slow
@pytest.mark.skipif(not DEV_NAMES.exists(), reason="shared dev data not present")
def test_when_retrained_with_the_shipped_command_then_weights_match_bit_for_bit(tmp_path: Path) -> None:
    report = names.train_names(DEV_NAMES, tmp_path / "names.bin", seed=0)
    assert (tmp_path / "names.bin").read_bytes() == names.MODEL_PATH.read_bytes()
    assert report["metrics"]["all"]["f1"] >= 0.70
