"""``govsocial train``: determinism, reproduction of the shipped weights, and bad input."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from govsocial.classify.classifier import MODEL_DIR, load_classifier
from govsocial.classify.training import train_main
from govsocial.datasets import is_test
from govsocial.errors import UsageError

Rows = list[dict[str, str]]


def _need_sklearn() -> None:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI must install the 'train' extra (scikit-learn)")
        pytest.skip("scikit-learn (the 'train' extra) is not installed")


def test_when_trained_twice_on_the_same_data_then_files_are_identical(generated_file: Path, tmp_path: Path) -> None:
    _need_sklearn()
    out = tmp_path / "out"
    assert train_main("complaint", str(generated_file), str(out), "fast", 0) == 0
    first = (out / "complaint.fast.npz").read_bytes()
    assert train_main("complaint", str(generated_file), str(out), "fast", 0) == 0
    assert first == (out / "complaint.fast.npz").read_bytes()
    assert (out / "complaint.md").is_file()


def test_when_trained_then_model_learns_and_reports_held_out_rows(
    generated_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], make_rows: Callable[[], Rows]
) -> None:
    _need_sklearn()
    train_main("complaint", str(generated_file), str(tmp_path), "fast", 0)
    out = capsys.readouterr().out
    assert "held-out source=generated" in out
    clf = load_classifier("complaint", "fast", tmp_path)
    assert clf.predict(["terrible rude refund delayed", "lovely sunny garden welcome"]) == ["complaint", "other"]
    rows = make_rows()
    n_test = sum(is_test(r["id"]) for r in rows)
    assert clf.meta["data"]["train_rows"] == len(rows) - n_test
    assert clf.meta["held_out"]["all"]["n"] == n_test
    card = (tmp_path / "complaint.md").read_text(encoding="utf-8")
    assert "govsocial train --task complaint" in card
    assert "Held-out figures" in card


def test_when_labels_do_not_belong_to_the_task_then_usage_error(
    tmp_path: Path, make_rows: Callable[[int], Rows], save_rows: Callable[[Path, Rows], Path]
) -> None:
    rows = make_rows(20)
    rows[3]["label"] = "angry"
    data = save_rows(tmp_path / "bad.jsonl", rows)
    with pytest.raises(UsageError, match="'angry'"):
        train_main("complaint", str(data), str(tmp_path / "out"), "fast", 0)


def test_when_a_label_has_no_training_rows_then_usage_error(
    tmp_path: Path, make_rows: Callable[[int], Rows], save_rows: Callable[[Path, Rows], Path]
) -> None:
    rows = [r for r in make_rows(40) if r["label"] == "other"]
    data = save_rows(tmp_path / "one-label.jsonl", rows)
    with pytest.raises(UsageError, match="too few for: complaint"):
        train_main("complaint", str(data), str(tmp_path / "out"), "fast", 0)


def test_when_other_data_has_no_out_dir_then_usage_error(generated_file: Path) -> None:
    with pytest.raises(UsageError, match="--out"):
        train_main("complaint", str(generated_file), None, "fast", 0)


def test_when_task_or_file_is_bad_then_usage_error(generated_file: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown task 'nope'"):
        train_main("nope", str(generated_file), str(tmp_path), "fast", 0)
    with pytest.raises(UsageError, match="no such file"):
        train_main("complaint", str(tmp_path / "absent.jsonl"), str(tmp_path), "fast", 0)
    with pytest.raises(UsageError, match="unknown tier"):
        train_main("complaint", str(generated_file), str(tmp_path), "huge", 0)


@pytest.mark.slow
def test_when_shipped_command_is_rerun_on_dev_data_then_weights_are_bit_for_bit_identical(
    tmp_path: Path, dev_dir: Path | None
) -> None:
    data_dir = dev_dir
    if data_dir is None:
        pytest.skip("../shared/data/dev is not in this checkout")
    _need_sklearn()
    shipped = MODEL_DIR / "complaint.fast.npz"
    meta = load_classifier("complaint", "fast").meta
    assert meta["command"] == "govsocial train --task complaint --data ../shared/data/dev/complaint.jsonl"
    train_main("complaint", str(data_dir / "complaint.jsonl"), str(tmp_path), "fast", 0)
    rebuilt = tmp_path / "complaint.fast.npz"
    with np.load(shipped) as a, np.load(rebuilt) as b:
        assert sorted(a.files) == sorted(b.files)
        for name in a.files:
            if name == "meta":
                # Only the recorded command differs: the rebuild names its own --out folder.
                meta_a, meta_b = json.loads(str(a[name])), json.loads(str(b[name]))
                assert meta_b.pop("command").startswith(meta_a.pop("command") + " --out ")
                assert meta_a == meta_b
            else:
                assert a[name].tobytes() == b[name].tobytes(), name
