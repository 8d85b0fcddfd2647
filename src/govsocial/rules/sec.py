"""PLACEHOLDER: replaced by the real rules of this family."""

from __future__ import annotations

from collections.abc import Iterator

from govsocial.model import Post
from govsocial.rules.base import CheckEnv, Hit, Rule


class ProtectiveMarking(Rule):
    """TODO."""

    code = "SEC101"
    name = "protective-marking"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class SensitivityCue(Rule):
    """TODO."""

    code = "SEC102"
    name = "sensitivity-cue"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class EmbargoedMaterial(Rule):
    """TODO."""

    code = "SEC201"
    name = "embargoed-material"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class CabinetOrBudgetMaterial(Rule):
    """TODO."""

    code = "SEC202"
    name = "cabinet-or-budget-material"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class InternalDocumentReference(Rule):
    """TODO."""

    code = "SEC203"
    name = "internal-document-reference"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class AdvanceMovements(Rule):
    """TODO."""

    code = "SEC301"
    name = "advance-movements"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class CredentialOrSecret(Rule):
    """TODO."""

    code = "SEC401"
    name = "credential-or-secret"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class InternalAddress(Rule):
    """TODO."""

    code = "SEC402"
    name = "internal-address"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class ShortenedLink(Rule):
    """TODO."""

    code = "SEC501"
    name = "shortened-link"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class InsecureLink(Rule):
    """TODO."""

    code = "SEC502"
    name = "insecure-link"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())
