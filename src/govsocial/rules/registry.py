"""The one table that maps rule codes to classes.

A new rule is a one-line, reviewable change here. Retired codes stay in ``REDIRECTS`` so that
old packs and stored reviews keep meaning something.

Hundreds digit = sub-area:
PRIV1xx contact details · PRIV2xx government identifiers · PRIV3xx financial · PRIV4xx people and cases
SEC1xx protective markings · SEC2xx unreleased material · SEC3xx safety of people · SEC4xx credentials · SEC5xx links
POL1xx parties and electioneering · POL2xx election periods · POL3xx partisan framing · POL4xx staff commentary
ABU1xx abuse, profanity, hate, threats
LEG1xx defamation · LEG2xx suppression and contempt · LEG3xx endorsement · LEG4xx copyright
AUTH1xx commitments and announcements · AUTH2xx capacity and disclaimers · AUTH3xx wrong account
ACC1xx images · ACC2xx video and audio · ACC3xx hashtags · ACC4xx emoji and shouting
STY1xx readability · STY2xx words (STY201 jargon is a data rule in the packs) · STY3xx tone · STY4xx sources and channels
PLAT1xx platform limits
Codes ending 9xx are left to agencies' own data rules.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache

from govsocial.rules.base import Rule

__all__ = ["CODES", "REDIRECTS", "all_rules", "get_rule", "resolve"]

CODES: Mapping[str, str] = {
    # PRIV: personal information
    "PRIV101": "govsocial.rules.priv:EmailAddress",
    "PRIV102": "govsocial.rules.priv:PhoneNumber",
    "PRIV103": "govsocial.rules.priv:StreetAddress",
    "PRIV104": "govsocial.rules.priv:DateOfBirth",
    "PRIV201": "govsocial.rules.priv:NzIrdNumber",
    "PRIV202": "govsocial.rules.priv:NzNhiNumber",
    "PRIV203": "govsocial.rules.priv:NzDriverLicence",
    "PRIV204": "govsocial.rules.priv:NzOtherIdentifier",
    "PRIV211": "govsocial.rules.priv:AuTaxFileNumber",
    "PRIV212": "govsocial.rules.priv:AuMedicareNumber",
    "PRIV213": "govsocial.rules.priv:AuBusinessNumber",
    "PRIV214": "govsocial.rules.priv:AuOtherIdentifier",
    "PRIV221": "govsocial.rules.priv:UkNationalInsuranceNumber",
    "PRIV222": "govsocial.rules.priv:UkNhsNumber",
    "PRIV223": "govsocial.rules.priv:UkOtherIdentifier",
    "PRIV301": "govsocial.rules.priv:PaymentCardNumber",
    "PRIV302": "govsocial.rules.priv:NzBankAccount",
    "PRIV401": "govsocial.rules.priv:MemberOfPublicWithCaseDetails",
    "PRIV402": "govsocial.rules.priv:SensitiveCategoryAboutPerson",
    "PRIV403": "govsocial.rules.priv:CaseReferenceNumber",
    "PRIV404": "govsocial.rules.priv:StaffIdentified",
    "PRIV405": "govsocial.rules.priv:OwnPersonalDetails",
    # SEC: markings, unreleased material, safety, credentials, links
    "SEC101": "govsocial.rules.sec:ProtectiveMarking",
    "SEC102": "govsocial.rules.sec:SensitivityCue",
    "SEC201": "govsocial.rules.sec:EmbargoedMaterial",
    "SEC202": "govsocial.rules.sec:CabinetOrBudgetMaterial",
    "SEC203": "govsocial.rules.sec:InternalDocumentReference",
    "SEC301": "govsocial.rules.sec:AdvanceMovements",
    "SEC401": "govsocial.rules.sec:CredentialOrSecret",
    "SEC402": "govsocial.rules.sec:InternalAddress",
    "SEC501": "govsocial.rules.sec:ShortenedLink",
    "SEC502": "govsocial.rules.sec:InsecureLink",
    # POL: political neutrality
    "POL101": "govsocial.rules.pol:PartyOrCandidate",
    "POL102": "govsocial.rules.pol:Electioneering",
    "POL103": "govsocial.rules.pol:AmplifiesPartisanSource",
    "POL201": "govsocial.rules.pol:ElectionPeriodRestraint",
    "POL301": "govsocial.rules.pol:PartisanFraming",
    "POL302": "govsocial.rules.pol:PoliticalCommentLinkedProfile",
    "POL401": "govsocial.rules.pol:PortfolioCommentary",
    # ABU: abuse
    "ABU101": "govsocial.rules.abu:AbusiveLanguage",
    "ABU102": "govsocial.rules.abu:Profanity",
    "ABU103": "govsocial.rules.abu:HateSpeech",
    "ABU104": "govsocial.rules.abu:Threat",
    # LEG: legal
    "LEG101": "govsocial.rules.leg:DefamationRisk",
    "LEG201": "govsocial.rules.leg:SuppressedName",
    "LEG202": "govsocial.rules.leg:ActiveCaseComment",
    "LEG301": "govsocial.rules.leg:CommercialEndorsement",
    "LEG401": "govsocial.rules.leg:UnattributedContent",
    # AUTH: authority and capacity
    "AUTH101": "govsocial.rules.auth:UnauthorisedCommitment",
    "AUTH102": "govsocial.rules.auth:UnauthorisedAnnouncement",
    "AUTH201": "govsocial.rules.auth:MissingPersonalCapacity",
    "AUTH202": "govsocial.rules.auth:WorkplaceGrievance",
    "AUTH301": "govsocial.rules.auth:PersonalVoiceOnOfficialAccount",
    "AUTH302": "govsocial.rules.auth:OfficialVoiceOnPersonalAccount",
    # ACC: accessibility
    "ACC101": "govsocial.rules.acc:ImageWithoutAltText",
    "ACC102": "govsocial.rules.acc:AltTextNotMeaningful",
    "ACC201": "govsocial.rules.acc:VideoWithoutCaptions",
    "ACC202": "govsocial.rules.acc:AudioWithoutTranscript",
    "ACC301": "govsocial.rules.acc:HashtagNotCamelCase",
    "ACC302": "govsocial.rules.acc:HashtagsInSentence",
    "ACC401": "govsocial.rules.acc:EmojiOveruse",
    "ACC402": "govsocial.rules.acc:TextEmoticon",
    "ACC403": "govsocial.rules.acc:AllCaps",
    # STY: plain language and tone
    "STY101": "govsocial.rules.sty:ReadingGrade",
    "STY102": "govsocial.rules.sty:LongSentence",
    "STY202": "govsocial.rules.sty:UnexpandedAcronym",
    "STY301": "govsocial.rules.sty:DismissiveReply",
    "STY302": "govsocial.rules.sty:UnprofessionalTone",
    "STY303": "govsocial.rules.sty:HumourOnSensitiveTopic",
    "STY401": "govsocial.rules.sty:UnsupportedClaim",
    "STY402": "govsocial.rules.sty:MissingOfficialLink",
    "STY403": "govsocial.rules.sty:ChannelShiftBackwards",
    # PLAT: platform limits
    "PLAT101": "govsocial.rules.plat:TooLong",
    "PLAT102": "govsocial.rules.plat:TooManyHashtags",
    "PLAT103": "govsocial.rules.plat:TooManyMedia",
    "PLAT104": "govsocial.rules.plat:AltTextTooLong",
}

#: Retired or renamed codes → the code that replaces them.
REDIRECTS: Mapping[str, str] = {}


def resolve(code: str) -> str:
    """The current code for ``code`` (following redirects), upper-cased."""
    code = code.strip().upper()
    return REDIRECTS.get(code, code)


@cache
def get_rule(code: str) -> type[Rule]:
    """The rule class for a code; ``KeyError`` for an unknown code."""
    code = resolve(code)
    target = CODES[code]
    module_name, _, class_name = target.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, Rule)) or cls.code != code:
        raise TypeError(f"{target} does not implement {code}")
    return cls


def all_rules() -> list[type[Rule]]:
    """Every registered rule class, in code order."""
    return [get_rule(code) for code in sorted(CODES)]
