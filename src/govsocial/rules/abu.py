"""PLACEHOLDER: replaced by the real rules of this family."""

from __future__ import annotations

from collections.abc import Iterator

from govsocial.model import Post
from govsocial.rules.base import CheckEnv, Hit, Rule


class AbusiveLanguage(Rule):
    """TODO."""

    code = "ABU101"
    name = "abusive-language"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class Profanity(Rule):
    """TODO."""

    code = "ABU102"
    name = "profanity"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class HateSpeech(Rule):
    """TODO."""

    code = "ABU103"
    name = "hate-speech"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class Threat(Rule):
    """TODO."""

    code = "ABU104"
    name = "threat"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())
