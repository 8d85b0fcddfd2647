"""Drafts, their revisions with review results, and approval decisions (WF-03)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govsocial.web.accounts.models import Agency
from govsocial.web.channels.models import Channel


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    RETURNED = "returned", "Returned with comments"
    READY = "ready", "Ready to publish"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ApprovalReason(models.TextChoices):
    """Why WF-03 routing sent a draft to an approver."""

    BLOCK = "block", "A finding blocks publication: an approver must override it with a reason"
    HIGH = "high", "A high finding needs a second person"
    CHANNEL = "channel", "Every post on this channel needs approval"
    ELECTION = "election", "Election period: every post needs approval"


class Draft(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="drafts")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafts")
    title = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    reply_to = models.TextField(blank=True, help_text="The message this replies to, if any")
    scheduled_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_url = models.URLField(max_length=500, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="published_drafts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Why a submitted draft waits for an approver (ApprovalReason); blank when it did not have to.
    approval_reason = models.CharField(max_length=20, choices=ApprovalReason.choices, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # What the platform adapter returned when it published the post ("" when published by hand).
    platform_post_id = models.CharField(max_length=200, blank=True)
    publish_method = models.CharField(max_length=20, blank=True, help_text="The adapter that published it, or 'manual'")
    # When the scheduler found this draft due but could not publish it (no adapter): one reminder.
    publish_reminder_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "state", "-updated_at"]),
            models.Index(fields=["agency", "-updated_at", "-id"], name="drafts_agency_updated_idx"),
            models.Index(fields=["state", "scheduled_at"], name="drafts_state_scheduled_idx"),
        ]

    def __str__(self) -> str:
        return self.title or f"Draft {self.pk}"

    @property
    def current(self) -> Revision | None:
        return self.revisions.order_by("-number").first()

    @property
    def needs_override(self) -> bool:
        """A ``block`` finding: approval is an override and needs a recorded reason."""
        return self.approval_reason == ApprovalReason.BLOCK


class Revision(models.Model):
    """One saved version of a draft and the review of exactly that text."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    media = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    verdict = models.CharField(max_length=10)
    worst = models.CharField(max_length=10, blank=True)
    review = models.JSONField(default=dict)
    pack_ref = models.CharField(max_length=300)
    engine = models.CharField(max_length=50)

    class Meta:
        unique_together = [("draft", "number")]
        ordering = ["number"]


class Decision(models.TextChoices):
    APPROVED = "approved", "Approved"
    OVERRIDDEN = "overridden", "Approved with override"
    RETURNED = "returned", "Returned with comments"


class Approval(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="approvals")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="approvals")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approvals")
    decision = models.CharField(max_length=12, choices=Decision.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
