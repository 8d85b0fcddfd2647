"""PLACEHOLDER: replaced by the real rules of this family."""

from __future__ import annotations

from collections.abc import Iterator

from govsocial.model import Post
from govsocial.rules.base import CheckEnv, Hit, Rule


class ReadingGrade(Rule):
    """TODO."""

    code = "STY101"
    name = "reading-grade"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class LongSentence(Rule):
    """TODO."""

    code = "STY102"
    name = "long-sentence"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class UnexpandedAcronym(Rule):
    """TODO."""

    code = "STY202"
    name = "unexpanded-acronym"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class DismissiveReply(Rule):
    """TODO."""

    code = "STY301"
    name = "dismissive-reply"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class UnprofessionalTone(Rule):
    """TODO."""

    code = "STY302"
    name = "unprofessional-tone"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class HumourOnSensitiveTopic(Rule):
    """TODO."""

    code = "STY303"
    name = "humour-on-sensitive-topic"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class UnsupportedClaim(Rule):
    """TODO."""

    code = "STY401"
    name = "unsupported-claim"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class MissingOfficialLink(Rule):
    """TODO."""

    code = "STY402"
    name = "missing-official-link"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class ChannelShiftBackwards(Rule):
    """TODO."""

    code = "STY403"
    name = "channel-shift-backwards"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())
