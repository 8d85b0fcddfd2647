"""Shared helpers for the classifier tests: generated (not real) labelled data."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

_PLEASANT = [
    "thanks",
    "great",
    "library",
    "open",
    "park",
    "garden",
    "community",
    "event",
    "lovely",
    "sunny",
    "welcome",
    "helpful",
]
_GRUMPY = ["broken", "late", "rude", "waiting", "refund", "cancelled", "useless", "terrible", "awful", "delayed"]
_FILLER = ["the", "a", "our", "your", "this", "that", "today", "again", "please", "we", "you", "it"]


def generated_rows(n: int = 240, seed: int = 7) -> list[dict[str, str]]:
    """Two-label posts built from word lists: label ``complaint`` leans on grumpy words."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        bad = i % 2 == 0
        words = rng.choices(_GRUMPY if bad else _PLEASANT, k=4) + rng.choices(_FILLER, k=4)
        rng.shuffle(words)
        rows.append(
            {
                "id": f"gen:{i}",
                "text": " ".join(words),
                "label": "complaint" if bad else "other",
                "source": "generated",
            }
        )
    return rows


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def generated_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "generated.jsonl", generated_rows())


@pytest.fixture
def make_rows() -> Callable[..., list[dict[str, str]]]:
    return generated_rows


@pytest.fixture
def save_rows() -> Callable[[Path, list[dict[str, str]]], Path]:
    return write_jsonl


@pytest.fixture
def dev_dir() -> Path | None:
    return dev_data_dir()


def dev_data_dir() -> Path | None:
    """``../shared/data/dev`` beside the repository root, when this checkout has it."""
    root = Path(__file__).resolve().parents[2]
    d = root.parent / "shared" / "data" / "dev"
    return d if d.is_dir() else None
