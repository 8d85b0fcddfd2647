"""Request and response shapes of the JSON API (they make the OpenAPI document).

Input schemas forbid unknown fields, so a misspelt field is a 422 naming it rather than being
silently ignored. The post document of ``POST /reviews`` is the one
:func:`govsocial.io.post_from_dict` reads (the CLI's JSON input), plus an optional ``pack``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from govsocial.web.drafts.services import MAX_TEXT

__all__ = [
    "ApprovalOut",
    "ApproveIn",
    "AuthorIn",
    "ChannelOut",
    "DraftIn",
    "DraftListOut",
    "DraftOut",
    "DraftPatch",
    "DraftSummaryOut",
    "ErrorOut",
    "FindingOut",
    "InvalidOut",
    "MediaIn",
    "PostIn",
    "PublishIn",
    "ReturnIn",
    "ReviewOut",
    "RevisionOut",
    "WithdrawIn",
]

PlatformName = Literal["x", "bluesky", "mastodon", "facebook", "instagram", "linkedin", "threads"]


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class MediaIn(_In):
    kind: Literal["image", "video", "audio"] = "image"
    alt: str | None = Field(default=None, max_length=1500, description="Alternative text")
    captions: bool | None = Field(default=None, description="A video has captions")
    transcript: bool | None = None
    decorative: bool | None = None
    filename: str | None = Field(default=None, max_length=300)


class AuthorIn(_In):
    name: str | None = Field(default=None, max_length=200)
    agency: str | None = Field(default=None, max_length=200)
    roles: list[str] = Field(default_factory=list, max_length=20)
    portfolio: list[str] = Field(default_factory=list, max_length=50)


class PostIn(_In):
    """A post to check. Only ``text`` is required."""

    text: str = Field(min_length=1, max_length=MAX_TEXT)
    context: Literal["official", "personal"] | None = None
    platform: PlatformName | None = None
    media: list[MediaIn] = Field(default_factory=list, max_length=10)
    author: AuthorIn | None = None
    profile_bio: str | None = Field(default=None, max_length=2000)
    reply_to: str | None = Field(default=None, max_length=MAX_TEXT)
    election_period: bool | None = Field(default=None, description="Leave out to use the pack's election calendar")
    date: dt.date | None = Field(default=None, description="The day the post goes out (election periods)")
    amplifies: list[str] = Field(default_factory=list, max_length=50)
    paid: bool | None = None
    pack: str | None = Field(
        default=None, max_length=300, description="A pack your agency uses or a built-in pack; default: your agency's"
    )

    def document(self) -> dict[str, Any]:
        doc = self.model_dump(exclude_none=True, exclude={"pack"})
        if self.date is not None:
            doc["date"] = self.date.isoformat()
        return doc


class FindingOut(Schema):
    code: str
    name: str
    severity: Literal["info", "warn", "high", "block"]
    message: str
    fix: str
    start: int | None = None
    end: int | None = None
    field: str = "text"
    clauses: list[str] = Field(default_factory=list)
    evidence: dict[str, Any] = Field(default_factory=dict)


class ReviewOut(Schema):
    """``ReviewResult.to_dict()``: the verdict from the worst finding, findings worst first."""

    verdict: Literal["ok", "advise", "review", "block"]
    findings: list[FindingOut]
    pack: str = Field(description="pack@version#sha256")
    engine: str
    context: str
    language: str = "en"


class ChannelOut(Schema):
    id: int
    name: str
    platform: str
    handle: str
    context: str
    pack: str = Field(description="The pack its drafts are checked with")
    requires_approval: bool
    active: bool


class RevisionOut(Schema):
    number: int
    text: str
    media: list[dict[str, Any]]
    created_at: dt.datetime
    created_by: str
    verdict: str
    worst: str
    pack_ref: str
    engine: str
    review: ReviewOut | None = None


class ApprovalOut(Schema):
    revision: int
    approver: str
    decision: Literal["approved", "overridden", "returned"]
    reason: str
    created_at: dt.datetime


class DraftSummaryOut(Schema):
    id: int
    channel: int
    title: str
    state: str
    author: str
    verdict: str | None = None
    worst: str | None = None
    revision: int | None = None
    scheduled_at: dt.datetime | None = None
    updated_at: dt.datetime


class DraftOut(Schema):
    id: int
    channel: int
    title: str
    state: str
    approval_reason: str = Field(
        description="Why it waits for an approver: block, high, channel, election; empty otherwise"
    )
    needs_override: bool
    reply_to: str
    author: str
    scheduled_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    published_url: str = ""
    created_at: dt.datetime
    updated_at: dt.datetime
    current: RevisionOut | None = None
    revisions: list[RevisionOut] = Field(
        default_factory=list, description="Every revision, newest first (without their review)"
    )
    approvals: list[ApprovalOut] = Field(default_factory=list)
    allowed_actions: list[str] = Field(default_factory=list, description="What the token's user may do now")


class DraftListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[DraftSummaryOut]


class DraftIn(_In):
    channel: int
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    media: list[MediaIn] = Field(default_factory=list, max_length=10)
    reply_to: str = Field(default="", max_length=MAX_TEXT)
    title: str = Field(default="", max_length=200)
    scheduled_at: dt.datetime | None = Field(default=None, description="When to publish (ISO 8601 with a time zone)")


class DraftPatch(_In):
    """Fields left out stay as they are; ``"scheduled_at": null`` clears the schedule."""

    channel: int | None = None
    text: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)
    media: list[MediaIn] | None = Field(default=None, max_length=10)
    reply_to: str | None = Field(default=None, max_length=MAX_TEXT)
    title: str | None = Field(default=None, max_length=200)
    scheduled_at: dt.datetime | None = None


class ApproveIn(_In):
    reason: str = Field(default="", max_length=2000, description="Required to override a blocking finding")


class ReturnIn(_In):
    comments: str = Field(min_length=1, max_length=2000)


class PublishIn(_In):
    url: str | None = Field(default=None, max_length=500, description="The live URL, when it was posted by hand")


class WithdrawIn(_In):
    reason: str = Field(default="", max_length=2000)


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    """422: a service's reason (text), or the schema errors (a list) with ``reason`` in one line."""

    detail: str | list[dict[str, Any]]
    reason: str | None = None
