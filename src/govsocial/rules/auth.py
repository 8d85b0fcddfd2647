"""PLACEHOLDER: replaced by the real rules of this family."""

from __future__ import annotations

from collections.abc import Iterator

from govsocial.model import Post
from govsocial.rules.base import CheckEnv, Hit, Rule


class UnauthorisedCommitment(Rule):
    """TODO."""

    code = "AUTH101"
    name = "unauthorised-commitment"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class UnauthorisedAnnouncement(Rule):
    """TODO."""

    code = "AUTH102"
    name = "unauthorised-announcement"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class MissingPersonalCapacity(Rule):
    """TODO."""

    code = "AUTH201"
    name = "missing-personal-capacity"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class WorkplaceGrievance(Rule):
    """TODO."""

    code = "AUTH202"
    name = "workplace-grievance"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class PersonalVoiceOnOfficialAccount(Rule):
    """TODO."""

    code = "AUTH301"
    name = "personal-voice-on-official-account"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class OfficialVoiceOnPersonalAccount(Rule):
    """TODO."""

    code = "AUTH302"
    name = "official-voice-on-personal-account"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())
