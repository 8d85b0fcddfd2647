"""Word lists that rules read, shipped as package data (``rules/lexicons/*.yml``).

Lists of offensive words are stored ROT13-encoded (files named ``*.rot13.yml``) so that the
repository, diffs and code review never display them; :func:`load_lexicon` decodes them. A
lexicon file maps list names to lists of strings::

    strong: [...]     # each entry a word; a trailing ``*`` makes it a prefix (``shvr*``)
    mild: [...]

Decoded lists are cached; callers get tuples so they cannot change the shared copy.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["load_lexicon", "rot13", "trie_pattern"]


def rot13(text: str) -> str:
    """ROT13 of ``text`` (its own inverse: use it to encode new entries too)."""
    return codecs.decode(text, "rot13")


@cache
def load_lexicon(name: str) -> dict[str, tuple[str, ...]]:
    """The lists of lexicon ``name`` (``profanity`` reads ``profanity.rot13.yml`` and decodes it)."""
    base = resources.files(__name__)
    encoded = base.joinpath(f"{name}.rot13.yml")
    if encoded.is_file():
        raw = yaml.load(encoded.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
        return {str(k): tuple(rot13(str(v)) for v in (vals or ())) for k, vals in raw.items()}
    raw = (
        yaml.load(
            base.joinpath(f"{name}.yml").read_text(encoding="utf-8"),
            Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
        )
        or {}
    )
    return {str(k): tuple(str(v) for v in (vals or ())) for k, vals in raw.items()}


def trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` factored by common prefixes.

    Python's regex engine tries every branch of a flat alternation at every position; a
    prefix tree rejects most positions after one character, which makes scanning a text
    for a few hundred terms several times faster. Longer words win over their prefixes.
    A space in a word matches any short run of whitespace.
    """
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = [(r"\s{1,5}" if ch == " " else re.escape(ch)) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return build(trie)
