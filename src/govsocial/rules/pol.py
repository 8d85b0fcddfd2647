"""PLACEHOLDER: replaced by the real rules of this family."""

from __future__ import annotations

from collections.abc import Iterator

from govsocial.model import Post
from govsocial.rules.base import CheckEnv, Hit, Rule


class PartyOrCandidate(Rule):
    """TODO."""

    code = "POL101"
    name = "party-or-candidate"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class Electioneering(Rule):
    """TODO."""

    code = "POL102"
    name = "electioneering"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class AmplifiesPartisanSource(Rule):
    """TODO."""

    code = "POL103"
    name = "amplifies-partisan-source"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class ElectionPeriodRestraint(Rule):
    """TODO."""

    code = "POL201"
    name = "election-period-restraint"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class PartisanFraming(Rule):
    """TODO."""

    code = "POL301"
    name = "partisan-framing"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class PoliticalCommentLinkedProfile(Rule):
    """TODO."""

    code = "POL302"
    name = "political-comment-linked-profile"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class PortfolioCommentary(Rule):
    """TODO."""

    code = "POL401"
    name = "portfolio-commentary"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())
