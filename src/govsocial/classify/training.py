"""``govsocial train``: fit a task's fast or accurate model, deterministically, and write its card.

Procedure (the same for the shipped models and an agency's own labelled decisions)::

    rows ──is_test(id)──► held-out rows ───────────────────────────────► figures per source
      │                                                                        ▲
      └──► training rows ──5 folds (hash of id)──► out-of-fold logits ──► Platt scaling and
                │                                                         threshold (binary) or
                │                                                         label offsets (multi)
                └──► final fit on all training rows ──► <task>.<tier>.npz ──────┘ + <task>.md

- Never trains on a held-out row: ``govsocial.datasets.is_test`` splits by a hash of ``id``.
- **fast**: hashed features (:mod:`govsocial.classify.features`) → logistic regression
  (scikit-learn, lbfgs, fitted on the columns that occur only), weights stored as float16.
- **accurate**: all-MiniLM-L6-v2 sentence embeddings (cached on disk by text digest, see
  :mod:`govsocial.classify.embed`) → logistic regression head; where the task says so the fast
  tier's out-of-fold logits are stacked as extra inputs. The head is trained on at most
  ``ACCURATE_CAP`` rows per source and label (chosen by a hash of ``id``) so that training
  stays within minutes on a laptop CPU.
- Output files are written with fixed zip timestamps: the same data, seed and library versions
  give byte-identical files.

scikit-learn is needed here only (``pip install 'govsocial[train]'``); scoring uses numpy.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from govsocial.classify import features
from govsocial.classify.classifier import (
    FORMAT_VERSION,
    MODEL_DIR,
    AccurateClassifier,
    FastClassifier,
    TextClassifier,
    check_tier,
    load_classifier,
    model_path,
    read_meta,
)
from govsocial.classify.tasks import TaskSpec, task_spec
from govsocial.datasets import Item, is_test, read_jsonl, source_of
from govsocial.errors import UsageError

__all__ = ["ACCURATE_CAP", "DEFAULT_DATA_DIR", "LICENCES", "N_FOLDS", "train_main"]

N_FOLDS = 5
ACCURATE_CAP = 2000
_REPO_ROOT = Path(__file__).resolve().parents[3]
#: Where the shipped models' training data lives in a checkout (``../shared/data/dev``).
DEFAULT_DATA_DIR = _REPO_ROOT.parent / "shared" / "data" / "dev"

#: Licences of the sources in ``../shared/data/README.md``: (licence, note for a model).
LICENCES: dict[str, tuple[str, str]] = {
    "davidson": ("MIT (Davidson et al. 2017)", "none"),
    "hateval": ("HatEval 2019 via TweetEval: no restrictions stated", "cite"),
    "olid": ("OffensEval 2019 OLID v1.0: none stated", "research release; cite"),
    "political_social_media": ("Figure Eight 'Data for Everyone': public release", "cite"),
    "complaints": ("Preoţiuc-Pietro et al. ACL 2019: none stated", "research release; cite"),
    "constraint": ("CONSTRAINT 2021 shared task: repository MIT; shared-task terms", "cite"),
    "humaid": ("HumAID (CrisisNLP): CC BY-NC-SA 4.0", "non-commercial terms may apply"),
    "semeval2017": ("SemEval-2017 task 4A via TweetEval: no restrictions stated", "cite"),
}

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- metrics


def confusion(y: np.ndarray, p: np.ndarray, k: int) -> np.ndarray:
    return np.bincount(y * k + p, minlength=k * k).reshape(k, k)


def per_label(y: np.ndarray, p: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall and F1 per label (0 where undefined)."""
    cm = confusion(y, p, k).astype(np.float64)
    tp = np.diag(cm)
    with np.errstate(divide="ignore", invalid="ignore"):
        prec = np.where(cm.sum(0) > 0, tp / cm.sum(0), 0.0)
        rec = np.where(cm.sum(1) > 0, tp / cm.sum(1), 0.0)
        f1 = np.where(prec + rec > 0, 2 * prec * rec / (prec + rec), 0.0)
    return prec, rec, f1


def figures(y: np.ndarray, p: np.ndarray, k: int) -> dict[str, float]:
    """Label 0 is the positive label of binary tasks. Macro averages over labels present."""
    prec, rec, f1 = per_label(y, p, k)
    present = np.bincount(y, minlength=k) > 0
    out = {
        "n": float(len(y)),
        "accuracy": float((y == p).mean()) if len(y) else 0.0,
        "macro_f1": float(f1[present].mean()) if present.any() else 0.0,
        "macro_recall": float(rec[present].mean()) if present.any() else 0.0,
    }
    if k == 2:
        out.update(precision=float(prec[0]), recall=float(rec[0]), f1=float(f1[0]), positives=float((y == 0).sum()))
    return out


def metric_value(name: str, y: np.ndarray, p: np.ndarray, k: int, groups: np.ndarray | None) -> float:
    """The task's metric; with ``groups``, the mean of the metric within each group."""
    if groups is None:
        return figures(y, p, k)[name]
    vals = [figures(y[groups == g], p[groups == g], k)[name] for g in np.unique(groups)]
    return float(np.mean(vals))


# --------------------------------------------------------------------------- data


@dataclass(slots=True)
class _Data:
    items: list[Item]
    y: np.ndarray  # label index in spec.labels
    test: np.ndarray  # bool
    sources: np.ndarray  # source without sub-part


def load_rows(spec: TaskSpec, path: Path) -> _Data:
    items = list(read_jsonl(path, need="label"))
    if not items:
        raise UsageError(f"{path}: no rows")
    unknown = sorted({str(i.label) for i in items} - set(spec.labels))
    if unknown:
        raise UsageError(
            f"{path}: labels {', '.join(repr(u) for u in unknown)} are not labels of task {spec.name!r} "
            f"({', '.join(spec.labels)})"
        )
    y = np.array([spec.labels.index(str(i.label)) for i in items], dtype=np.int64)
    test = np.array([is_test(i.id) for i in items], dtype=bool)
    sources = np.array([source_of(i) for i in items])
    counts = np.bincount(y[~test], minlength=len(spec.labels))
    missing = [spec.labels[j] for j in range(len(spec.labels)) if counts[j] < 2]
    if missing:
        raise UsageError(
            f"{path}: the training part (rows where is_test(id) is false) needs at least two rows of each "
            f"label; too few for: {', '.join(missing)}"
        )
    return _Data(items=items, y=y, test=test, sources=sources)


def _unit(salt: str, item_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{salt}:{item_id}".encode()).digest()[:8], "big")


def folds(ids: Sequence[str], seed: int) -> np.ndarray:
    """Fold number of each training row, by hash of id (independent of file order)."""
    return np.array([_unit(f"govsocial-fold-{seed}", i) % N_FOLDS for i in ids], dtype=np.int64)


def sample_weights(spec: TaskSpec, y: np.ndarray, sources: np.ndarray) -> np.ndarray:
    w = np.ones(len(y))
    if spec.balance_sources:
        uniq = np.unique(sources)
        for s in uniq:
            m = sources == s
            w[m] *= len(y) / (len(uniq) * m.sum())
    if spec.balance_labels:
        k = len(spec.labels)
        for j in range(k):
            m = y == j
            if m.any():
                w[m] *= w.sum() / (k * w[m].sum())
    out: np.ndarray = w * (len(w) / w.sum())
    return out


# --------------------------------------------------------------------------- fitting


def _require_sklearn() -> Any:
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise UsageError("training needs scikit-learn: pip install 'govsocial[train]'") from None
    return LogisticRegression


def fit_logreg(x: Any, y: np.ndarray, w: np.ndarray, c: float, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Weights ``(n_inputs, cols)`` and bias ``(cols,)``; one column (positive = label 0) if binary.

    Sparse inputs are fitted on the columns that occur only (the others would get zero weight
    anyway), which keeps lbfgs fast with 2**18 hashed columns.
    """
    logreg = _require_sklearn()
    sparse = hasattr(x, "tocsr")
    cols: np.ndarray | None = None
    if sparse:
        import scipy.sparse as sp

        x = x.tocsr()
        cols = np.unique(x.indices)
        remap = np.zeros(x.shape[1], dtype=np.int64)
        remap[cols] = np.arange(len(cols))
        x = sp.csr_matrix((x.data, remap[x.indices], x.indptr), shape=(x.shape[0], len(cols)))
    target = (y == 0).astype(np.int64) if k == 2 else y
    model = logreg(C=c, max_iter=2000, tol=1e-4)
    model.fit(x, target, sample_weight=w)
    coef = np.asarray(model.coef_, dtype=np.float64).T  # (inputs, cols)
    bias = np.asarray(model.intercept_, dtype=np.float64)
    if cols is not None:
        full = np.zeros((features.N_FEATURES, coef.shape[1]))
        full[cols] = coef
        coef = full
    return coef, bias


def linear(x: Any, coef: np.ndarray, bias: np.ndarray, k: int) -> np.ndarray:
    z = np.asarray(x @ coef) + bias
    out: np.ndarray = z[:, 0] if k == 2 else z
    return out


def out_of_fold(x: Any, y: np.ndarray, w: np.ndarray, fold: np.ndarray, c: float, k: int) -> np.ndarray:
    shape = (len(y),) if k == 2 else (len(y), k)
    oof = np.zeros(shape)
    for f in range(N_FOLDS):
        held = fold == f
        if not held.any() or held.all():
            continue
        coef, bias = fit_logreg(x[~held], y[~held], w[~held], c, k)
        oof[held] = linear(x[held], coef, bias, k)
    return oof


def platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """``a, b`` with ``p(positive) = sigmoid(a·z + b)``, fitted on out-of-fold logits."""
    logreg = _require_sklearn()
    model = logreg(C=1e6, max_iter=1000, tol=1e-8)
    model.fit(z.reshape(-1, 1), (y == 0).astype(np.int64))
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def choose_threshold(p: np.ndarray, y: np.ndarray, metric: str, groups: np.ndarray | None) -> float:
    best_t, best_v = 0.5, -1.0
    for t in np.round(np.arange(0.05, 0.951, 0.01), 2):
        pred = np.where(p >= t, 0, 1)
        v = metric_value(metric, y, pred, 2, groups)
        if v > best_v + 1e-9 or (abs(v - best_v) <= 1e-9 and abs(t - 0.5) < abs(best_t - 0.5)):
            best_t, best_v = float(t), v
    return best_t


def choose_offsets(z: np.ndarray, y: np.ndarray, metric: str, groups: np.ndarray | None) -> np.ndarray:
    """Per-label additive logit offsets by coordinate ascent on out-of-fold logits."""
    k = z.shape[1]
    off = np.zeros(k)
    grid = np.round(np.arange(-1.5, 1.501, 0.1), 2)

    def value(o: np.ndarray) -> float:
        return metric_value(metric, y, (z + o).argmax(axis=1), k, groups)

    best = value(off)
    for _ in range(2):
        for j in range(k):
            for g in grid:
                trial = off.copy()
                trial[j] = g
                v = value(trial)
                if v > best + 1e-4:
                    best, off = v, trial
    return off


# --------------------------------------------------------------------------- files


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """``np.savez_compressed`` with fixed timestamps and order, so equal arrays give equal bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())
    tmp.replace(path)


def _display_data(path: Path, task: str) -> str:
    if _is_default_data(path, task):
        return f"../shared/data/dev/{task}.jsonl"
    return str(path)


def _is_default_data(path: Path, task: str) -> bool:
    try:
        return path.resolve() == (DEFAULT_DATA_DIR / f"{task}.jsonl").resolve()
    except OSError:
        return False


def command_line(task: str, data: Path, out: Path | None, tier: str, seed: int) -> str:
    parts = ["govsocial train", f"--task {task}", f"--data {_display_data(data, task)}"]
    if out is not None and out.resolve() != MODEL_DIR.resolve():
        parts.append(f"--out {out}")
    if tier != "fast":
        parts.append(f"--tier {tier}")
    if seed:
        parts.append(f"--seed {seed}")
    return " ".join(parts)


# --------------------------------------------------------------------------- held-out report


def held_out(spec: TaskSpec, clf: TextClassifier, data: _Data) -> dict[str, dict[str, float]]:
    """Figures on held-out rows: ``all``, per source, per sub-part and per report field."""
    idx = np.flatnonzero(data.test)
    if not len(idx):
        return {}
    texts = [data.items[i].text for i in idx]
    proba = clf.predict_proba(texts)
    pred_labels = clf.decide(proba)
    pred = np.array([spec.labels.index(lab) for lab in pred_labels], dtype=np.int64)
    y = data.y[idx]
    k = len(spec.labels)
    groups: dict[str, list[int]] = defaultdict(list)
    for n, i in enumerate(idx):
        item = data.items[i]
        groups["all"].append(n)
        groups[f"source={source_of(item)}"].append(n)
        if ":" in item.source:
            groups[f"part={item.source}"].append(n)
        if spec.report_field and item.extra and item.extra.get(spec.report_field) is not None:
            groups[f"{spec.report_field}={item.extra[spec.report_field]}"].append(n)
    out = {}
    for name in sorted(groups, key=_group_order):
        sel = np.array(groups[name])
        out[name] = {key: round(v, 4) for key, v in figures(y[sel], pred[sel], k).items()}
    return out


def _group_order(name: str) -> tuple[bool, bool, str]:
    return (name != "all", not name.startswith("source="), name)


def _fmt_figs(spec: TaskSpec, f: dict[str, float]) -> str:
    if spec.binary and not f.get("positives", 1):
        return f"no {spec.positive} rows; accuracy {f['accuracy']:.3f}  n={int(f['n'])}"
    if spec.binary:
        return (
            f"F1 {f['f1']:.3f}  P {f['precision']:.3f}  R {f['recall']:.3f}  macro-F1 {f['macro_f1']:.3f}  "
            f"acc {f['accuracy']:.3f}  n={int(f['n'])}"
        )
    return (
        f"macro-F1 {f['macro_f1']:.3f}  macro-recall {f['macro_recall']:.3f}  acc {f['accuracy']:.3f}  n={int(f['n'])}"
    )


# --------------------------------------------------------------------------- fast tier


def fast_matrix(texts: Sequence[str]) -> Any:
    import scipy.sparse as sp

    indptr, idx, vals = features.batch_rows(texts)
    return sp.csr_matrix((vals.astype(np.float64), idx, indptr), shape=(len(texts), features.N_FEATURES))


@dataclass(slots=True)
class _FastFit:
    coef: np.ndarray
    bias: np.ndarray
    oof: np.ndarray  # out-of-fold raw logits of the training rows


def fit_fast(spec: TaskSpec, data: _Data, seed: int, *, final: bool = True) -> _FastFit:
    """Out-of-fold logits (from the cache when this exact fit was done before) and the final fit."""
    train = np.flatnonzero(~data.test)
    x = fast_matrix([data.items[i].text for i in train])
    y = data.y[train]
    w = sample_weights(spec, y, data.sources[train])
    ids = [data.items[i].id for i in train]
    k = len(spec.labels)
    key = _oof_key(spec, data, seed)
    oof = _oof_cached(key, ids)
    if oof is None:
        oof = out_of_fold(x, y, w, folds(ids, seed), spec.c_fast, k)
        _oof_store(key, ids, oof)
    if not final:
        return _FastFit(coef=np.zeros(0), bias=np.zeros(0), oof=oof)
    coef, bias = fit_logreg(x, y, w, spec.c_fast, k)
    return _FastFit(coef=coef, bias=bias, oof=oof)


def _oof_key(spec: TaskSpec, data: _Data, seed: int) -> str:
    """Everything the fast out-of-fold logits depend on."""
    h = hashlib.sha256()
    for item, label in zip(data.items, data.y.tolist(), strict=True):
        h.update(f"{item.id}\x1f{item.source}\x1f{label}\x1f{item.text}\x1e".encode())
    h.update(
        json.dumps(
            [
                spec.name,
                spec.c_fast,
                spec.balance_sources,
                spec.balance_labels,
                seed,
                N_FOLDS,
                features.FEATURE_VERSION,
                features.HASH_BITS,
            ]
        ).encode()
    )
    return h.hexdigest()[:24]


def _oof_path(key: str) -> Path:
    from govsocial.classify.embed import cache_dir

    return cache_dir() / "oof" / f"{key}.npz"


def _oof_cached(key: str, ids: list[str]) -> np.ndarray | None:
    path = _oof_path(key)
    try:
        with np.load(path, allow_pickle=False) as npz:
            if npz["ids"].tolist() == ids:
                cached: np.ndarray = npz["oof"]
                return cached
    except (OSError, KeyError, ValueError):
        pass
    return None


def _oof_store(key: str, ids: list[str], oof: np.ndarray) -> None:
    path = _oof_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, ids=np.array(ids), oof=oof)
    except OSError:
        pass  # only a cache


def _output_layer(
    spec: TaskSpec, oof: np.ndarray, y: np.ndarray, groups: np.ndarray | None
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Calibration and threshold (binary) or offsets (multi-class) from out-of-fold logits."""
    k = len(spec.labels)
    if spec.binary:
        a, b = platt(oof, y)
        p = 1.0 / (1.0 + np.exp(-(a * oof + b)))
        t = choose_threshold(p, y, spec.metric, groups)
        pred = np.where(p >= t, 0, 1)
        return {"calib": np.array([a, b])}, {"threshold": t, "cv": figures(y, pred, k)}
    off = choose_offsets(oof, y, spec.metric, groups)
    pred = (oof + off).argmax(axis=1)
    return {"offsets": off}, {"cv": figures(y, pred, k)}


def _base_meta(spec: TaskSpec, tier: str, data: _Data, path: Path, seed: int, command: str) -> dict[str, Any]:
    train = ~data.test
    import sklearn

    return {
        "format": FORMAT_VERSION,
        "task": spec.name,
        "tier": tier,
        "labels": list(spec.labels),
        "positive": spec.positive,
        "metric": spec.metric,
        "seed": seed,
        "command": command,
        "data": {
            "file": path.name,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "rows": len(data.items),
            "train_rows": int(train.sum()),
            "test_rows": int(data.test.sum()),
            "sources": dict(sorted(Counter(data.sources.tolist()).items())),
            "train_labels": {spec.labels[j]: int((data.y[train] == j).sum()) for j in range(len(spec.labels))},
        },
        "versions": {"numpy": np.__version__, "scikit-learn": sklearn.__version__},
    }


def train_fast(spec: TaskSpec, data: _Data, path: Path, out: Path, seed: int, command: str) -> TextClassifier:
    fit = fit_fast(spec, data, seed)
    train = np.flatnonzero(~data.test)
    groups = data.sources[train] if spec.balance_sources else None
    layer, extra = _output_layer(spec, fit.oof, data.y[train], groups)
    meta = _base_meta(spec, "fast", data, path, seed, command)
    meta.update(extra)
    meta.update(
        feature_version=features.FEATURE_VERSION,
        hash_bits=features.HASH_BITS,
        c=spec.c_fast,
        balance_sources=spec.balance_sources,
        balance_labels=spec.balance_labels,
    )
    arrays: dict[str, np.ndarray] = {
        "weights": fit.coef.astype(np.float16),
        "bias": fit.bias.astype(np.float32),
        **{k: v.astype(np.float32) for k, v in layer.items()},
    }
    return _finish(spec, "fast", meta, arrays, data, out)


def _finish(
    spec: TaskSpec, tier: str, meta: dict[str, Any], arrays: dict[str, np.ndarray], data: _Data, out: Path
) -> TextClassifier:
    # Figures come from the stored (float16/float32) arrays, exactly as the shipped model scores.
    stored = {k: np.asarray(v) for k, v in arrays.items()}
    stored["meta"] = np.array(json.dumps(meta, sort_keys=True))
    clf = _classifier(spec, tier, meta, stored, out)
    meta["held_out"] = held_out(spec, clf, data)
    arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
    write_npz(model_path(spec.name, tier, out), arrays)
    return clf


def _classifier(
    spec: TaskSpec, tier: str, meta: dict[str, Any], arrays: dict[str, np.ndarray], out: Path
) -> TextClassifier:
    if tier == "fast":
        return FastClassifier(spec, meta, arrays)
    fast = load_classifier(spec.name, "fast", out) if meta.get("uses_fast") else None
    clf = AccurateClassifier(spec, meta, arrays, fast=fast)
    clf.use_embedding_cache = True  # the held-out rows of the training file
    return clf


# --------------------------------------------------------------------------- accurate tier


def accurate_subset(spec: TaskSpec, data: _Data, seed: int) -> np.ndarray:
    """Training rows for the head: at most ``ACCURATE_CAP`` per (source, label), by hash of id."""
    salt = "accurate" if not seed else f"accurate-{seed}"
    train = np.flatnonzero(~data.test)
    order = sorted(train, key=lambda i: hashlib.sha256(f"{salt}:{data.items[i].id}".encode()).digest())
    seen: Counter[tuple[str, int]] = Counter()
    chosen = []
    for i in order:
        key = (str(data.sources[i]), int(data.y[i]))
        if seen[key] < ACCURATE_CAP:
            seen[key] += 1
            chosen.append(i)
    return np.array(sorted(chosen), dtype=np.int64)


def train_accurate(spec: TaskSpec, data: _Data, path: Path, out: Path, seed: int, command: str) -> TextClassifier:
    from govsocial.classify.embed import MODEL_ID, embed

    k = len(spec.labels)
    train = np.flatnonzero(~data.test)
    sub = accurate_subset(spec, data, seed)
    print(f"embedding {len(sub)} training rows (cached after the first run)...", flush=True)
    x = embed([data.items[i].text for i in sub], progress=True).astype(np.float64)
    uses_fast = spec.stack_fast
    if uses_fast:
        fast_file = model_path(spec.name, "fast", out)
        if not fast_file.is_file():
            raise UsageError(
                f"the accurate model for {spec.name!r} stacks the fast one: train the fast tier into {out} first"
            )
        print("fitting the fast tier's out-of-fold logits for stacking...", flush=True)
        fit = fit_fast(spec, data, seed, final=False)
        pos = {int(i): n for n, i in enumerate(train)}
        fz = fit.oof[[pos[int(i)] for i in sub]]
        x = np.hstack([x, fz.reshape(len(sub), -1)])
    y = data.y[sub]
    w = sample_weights(spec, y, data.sources[sub])
    fold = folds([data.items[i].id for i in sub], seed)
    oof = out_of_fold(x, y, w, fold, spec.c_accurate, k)
    coef, bias = fit_logreg(x, y, w, spec.c_accurate, k)
    groups = data.sources[sub] if spec.balance_sources else None
    layer, extra = _output_layer(spec, oof, y, groups)
    meta = _base_meta(spec, "accurate", data, path, seed, command)
    meta.update(extra)
    meta.update(
        embedding_model=MODEL_ID,
        uses_fast=uses_fast,
        c=spec.c_accurate,
        head_rows=len(sub),
        cap_per_source_label=ACCURATE_CAP,
        balance_sources=spec.balance_sources,
        balance_labels=spec.balance_labels,
    )
    arrays: dict[str, np.ndarray] = {
        "coef": coef.astype(np.float32),
        "bias": bias.astype(np.float32),
        **{name: v.astype(np.float32) for name, v in layer.items()},
    }
    print(f"embedding {int(data.test.sum())} held-out rows...", flush=True)
    return _finish(spec, "accurate", meta, arrays, data, out)


# --------------------------------------------------------------------------- model card


def write_card(spec: TaskSpec, out: Path) -> Path:
    metas: dict[str, dict[str, Any]] = {}
    for tier in ("fast", "accurate"):
        p = model_path(spec.name, tier, out)
        if p.is_file():
            with np.load(p, allow_pickle=False) as npz:
                metas[tier] = read_meta({"meta": npz["meta"]})
    lines = [
        f"# Model card: `{spec.name}`",
        "",
        f"Task: {spec.description}. Labels: {', '.join(f'`{lab}`' for lab in spec.labels)}.",
    ]
    if spec.positive:
        lines.append(f"`score_text('{spec.name}', text)` is the calibrated probability of `{spec.positive}`.")
    elif spec.score_label:
        lines.append(f"`score_text('{spec.name}', text)` is the probability of `{spec.score_label}`.")
    lines += ["", f"Card written {_dt.date.today().isoformat()} by `govsocial train`.", ""]
    any_meta = next(iter(metas.values()), None)
    if any_meta:
        lines += ["## Training data and licences", ""]
        lines += ["| source | rows | licence | note |", "|---|---|---|---|"]
        for src, n in any_meta["data"]["sources"].items():
            lic, note = LICENCES.get(src, ("as supplied by the data's owner", "check before sharing"))
            lines.append(f"| {src} | {n} | {lic} | {note} |")
        lines += [
            "",
            f"File `{any_meta['data']['file']}` (sha256 `{any_meta['data']['sha256'][:16]}…`): "
            f"{any_meta['data']['train_rows']} training rows, {any_meta['data']['test_rows']} held-out rows "
            "(`govsocial.datasets.is_test`, by hash of id; never trained on).",
            "",
        ]
    for tier, meta in metas.items():
        lines += [f"## Tier `{tier}`", "", "Reproduce:", "", "```", meta["command"], "```", ""]
        if tier == "fast":
            lines.append(
                f"Method: hashed word uni/bi-grams and character 2–5-grams (2^{meta['hash_bits']} rows, "
                f"feature version {meta['feature_version']}) → logistic regression (C={meta['c']}"
                + (", sources weighted equally" if meta.get("balance_sources") else "")
                + (", labels weighted equally" if meta.get("balance_labels") else "")
                + "); float16 weights, numpy-only scoring."
            )
        else:
            lines.append(
                f"Method: {meta['embedding_model']} sentence embeddings"
                + (" plus the fast tier's out-of-fold logits" if meta.get("uses_fast") else "")
                + f" → logistic regression head (C={meta['c']}) on {meta['head_rows']} training rows "
                f"(at most {meta['cap_per_source_label']} per source and label)."
            )
        if spec.binary:
            lines.append(
                f"Platt-calibrated on {N_FOLDS}-fold out-of-fold predictions; decision threshold "
                f"{meta['threshold']:.2f} (maximises {meta['metric']} out of fold)."
            )
        else:
            lines.append(f"Label offsets tuned on {N_FOLDS}-fold out-of-fold predictions for {meta['metric']}.")
        lines += ["", "Held-out figures:", ""]
        held = meta.get("held_out", {})
        for name in sorted(held, key=_group_order):
            f = held[name]
            lines.append(f"- {name}: {_fmt_figs(spec, f)}")
        lines.append("")
    lines += [
        "## Known limitations",
        "",
        "- Trained on English social-media posts from the sources above; other languages, te reo Māori "
        "and long formal text are out of domain.",
        "- Labels follow each source's own definitions; figures on other sources or events will be lower.",
        "- A score is a prompt for a person's judgement, not a decision.",
        *(f"- {note}" for note in spec.limitations),
        "",
    ]
    card = out / f"{spec.name}.md"
    card.write_text("\n".join(lines), encoding="utf-8")
    return card


# --------------------------------------------------------------------------- entry point


def train_main(task: str, data: str, out: str | None = None, tier: str = "fast", seed: int = 0) -> int:
    """Train one task's model of one tier; print held-out figures per source. Returns 0."""
    spec = task_spec(task)
    check_tier(tier)
    path = Path(data)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    if out is None:
        if not _is_default_data(path, task):
            raise UsageError(
                "--out DIR is needed when training on other data (then set GOVSOCIAL_MODEL_DIR=DIR to use it)"
            )
        out_dir = MODEL_DIR
    else:
        out_dir = Path(out)
    rows = load_rows(spec, path)
    command = command_line(task, path, None if out is None else out_dir, tier, seed)
    trainer: Callable[..., TextClassifier] = train_fast if tier == "fast" else train_accurate
    clf = trainer(spec, rows, path, out_dir, seed, command)
    card = write_card(spec, out_dir)
    print(f"{task} ({tier}): wrote {model_path(task, tier, out_dir)} and {card}")
    if clf.threshold is not None:
        print(f"  decision threshold {clf.threshold:.2f} (out-of-fold {spec.metric})")
    figs = clf.meta.get("held_out") or {}
    if not figs:
        print("  no held-out rows (is_test) in this file: no figures")
    for name, f in figs.items():
        print(f"  held-out {name}: {_fmt_figs(spec, f)}")
    return 0
