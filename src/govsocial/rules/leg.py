"""PLACEHOLDER: replaced by the real rules of this family."""

from __future__ import annotations

from collections.abc import Iterator

from govsocial.model import Post
from govsocial.rules.base import CheckEnv, Hit, Rule


class DefamationRisk(Rule):
    """TODO."""

    code = "LEG101"
    name = "defamation-risk"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class SuppressedName(Rule):
    """TODO."""

    code = "LEG201"
    name = "suppressed-name"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class ActiveCaseComment(Rule):
    """TODO."""

    code = "LEG202"
    name = "active-case-comment"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class CommercialEndorsement(Rule):
    """TODO."""

    code = "LEG301"
    name = "commercial-endorsement"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class UnattributedContent(Rule):
    """TODO."""

    code = "LEG401"
    name = "unattributed-content"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())
