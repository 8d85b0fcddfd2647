"""PLACEHOLDER: replaced by the real rules of this family."""

from __future__ import annotations

from collections.abc import Iterator

from govsocial.model import Post
from govsocial.rules.base import CheckEnv, Hit, Rule


class TooLong(Rule):
    """TODO."""

    code = "PLAT101"
    name = "too-long"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class TooManyHashtags(Rule):
    """TODO."""

    code = "PLAT102"
    name = "too-many-hashtags"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class TooManyMedia(Rule):
    """TODO."""

    code = "PLAT103"
    name = "too-many-media"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class AltTextTooLong(Rule):
    """TODO."""

    code = "PLAT104"
    name = "alt-text-too-long"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())
