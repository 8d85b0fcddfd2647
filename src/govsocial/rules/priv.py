"""PLACEHOLDER: replaced by the real rules of this family."""

from __future__ import annotations

from collections.abc import Iterator

from govsocial.model import Post
from govsocial.rules.base import CheckEnv, Hit, Rule


class EmailAddress(Rule):
    """TODO."""

    code = "PRIV101"
    name = "email-address"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class PhoneNumber(Rule):
    """TODO."""

    code = "PRIV102"
    name = "phone-number"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class StreetAddress(Rule):
    """TODO."""

    code = "PRIV103"
    name = "street-address"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class DateOfBirth(Rule):
    """TODO."""

    code = "PRIV104"
    name = "date-of-birth"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class NzIrdNumber(Rule):
    """TODO."""

    code = "PRIV201"
    name = "nz-ird-number"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class NzNhiNumber(Rule):
    """TODO."""

    code = "PRIV202"
    name = "nz-nhi-number"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class NzDriverLicence(Rule):
    """TODO."""

    code = "PRIV203"
    name = "nz-driver-licence"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class NzOtherIdentifier(Rule):
    """TODO."""

    code = "PRIV204"
    name = "nz-other-identifier"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class AuTaxFileNumber(Rule):
    """TODO."""

    code = "PRIV211"
    name = "au-tax-file-number"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class AuMedicareNumber(Rule):
    """TODO."""

    code = "PRIV212"
    name = "au-medicare-number"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class AuBusinessNumber(Rule):
    """TODO."""

    code = "PRIV213"
    name = "au-business-number"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class AuOtherIdentifier(Rule):
    """TODO."""

    code = "PRIV214"
    name = "au-other-identifier"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class UkNationalInsuranceNumber(Rule):
    """TODO."""

    code = "PRIV221"
    name = "uk-national-insurance-number"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class UkNhsNumber(Rule):
    """TODO."""

    code = "PRIV222"
    name = "uk-nhs-number"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class UkOtherIdentifier(Rule):
    """TODO."""

    code = "PRIV223"
    name = "uk-other-identifier"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class PaymentCardNumber(Rule):
    """TODO."""

    code = "PRIV301"
    name = "payment-card-number"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class NzBankAccount(Rule):
    """TODO."""

    code = "PRIV302"
    name = "nz-bank-account"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class MemberOfPublicWithCaseDetails(Rule):
    """TODO."""

    code = "PRIV401"
    name = "member-of-public-with-case-details"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class SensitiveCategoryAboutPerson(Rule):
    """TODO."""

    code = "PRIV402"
    name = "sensitive-category-about-person"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class CaseReferenceNumber(Rule):
    """TODO."""

    code = "PRIV403"
    name = "case-reference-number"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class StaffIdentified(Rule):
    """TODO."""

    code = "PRIV404"
    name = "staff-identified"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class OwnPersonalDetails(Rule):
    """TODO."""

    code = "PRIV405"
    name = "own-personal-details"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())
