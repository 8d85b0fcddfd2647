"""Text normalisation and hashed features of the fast tier."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from govsocial.classify import features


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See https://example.org/x?y=1 now", ["see", "httpurl", "now"]),
        ("@someone thanks!", ["@user", "thanks", "!"]),
        ("Soooooo goood!!!!", ["soo", "good", "!", "!"]),
        ("Open 9am to 5pm", ["open", "0am", "to", "0pm"]),
        ("Fish &amp; chips", ["fish", "&", "chips"]),
        ("Don’t #vote 🙂", ["don't", "#vote", "🙂"]),
    ],
)
def test_when_text_is_tokenised_then_links_handles_numbers_and_repeats_are_normalised(
    text: str, expected: list[str]
) -> None:
    assert features.tokens(text) == expected


def test_when_text_is_featurised_then_rows_are_in_range_and_values_unit_length() -> None:
    rows, vals = features.featurize("Our libraries are open from 9am to 5pm, libraries for all.")
    assert rows.dtype == np.int32
    assert rows.min() >= 0
    assert rows.max() < features.N_FEATURES
    assert float(np.dot(vals, vals)) == pytest.approx(1.0, abs=1e-5)


def test_when_text_is_empty_then_no_features() -> None:
    rows, vals = features.featurize("   ")
    assert len(rows) == 0
    assert len(vals) == 0


def test_when_hash_seed_changes_then_features_are_the_same() -> None:
    code = (
        "from govsocial.classify.features import featurize;"
        "r, v = featurize('Kia ora, the pool is closed today because of a leak');"
        "print(r.tolist(), [round(float(x), 6) for x in v])"
    )
    outs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.add(
            subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
        )
    assert len(outs) == 1


def test_when_batch_rows_are_built_then_they_match_single_texts() -> None:
    texts = ["first post", "", "second post about the first"]
    indptr, idx, vals = features.batch_rows(texts)
    assert indptr.tolist()[0] == 0
    assert len(indptr) == 4
    for n, t in enumerate(texts):
        rows, v = features.featurize(t)
        assert idx[indptr[n] : indptr[n + 1]].tolist() == rows.tolist()
        assert np.allclose(vals[indptr[n] : indptr[n + 1]], v)
