"""The engagement inbox: connectors, incoming messages with their triage, moderation, authors'
standing, response templates and the response queue (WF-05, WF-06, WF-14; IN-01..15).

```
Connector (per channel: kind, cursor, health) ──polls──► Message (unique per channel + platform_id)
                                                           │  triage: language, category, sentiment,
                                                           │          PII, priority, fingerprint
                                                           │  house rules: action + rule code
                                                           ├─► Moderation (hide / unhide / report / leave,
                                                           │               each with a rule code)
                                                           ├─► AuthorStanding ◄─ Strike (strikes, block
                                                           │                      with reason + review date)
                                                           └─► reply_draft ─► drafts.Draft (reviewed and
                                                                               routed like any draft)
```
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govsocial.web.accounts.models import Agency, Team
from govsocial.web.channels.models import Channel
from govsocial.web.drafts.models import Draft


class ConnectorKind(models.TextChoices):
    RSS = "rss", "RSS or Atom feed"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    IMPORT = "import", "File import"
    WEBHOOK = "webhook", "Signed webhook"


class Connector(models.Model):
    """Where a channel's incoming messages come from, and how that is going."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="connectors")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="connectors")
    kind = models.CharField(max_length=20, choices=ConnectorKind.choices)
    name = models.CharField(max_length=200)
    # Non-secret settings: feed URL, instance URL, account handle, column mapping...
    config = models.JSONField(default=dict, blank=True)
    # Access token, app password or webhook signing secret. Never shown again once saved.
    secret = models.CharField(max_length=500, blank=True)
    enabled = models.BooleanField(default=True)
    poll_interval_s = models.PositiveIntegerField(default=300)
    cursor = models.TextField(blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0, help_text="Consecutive failed polls")
    # Set when the platform refused the credentials: polling stops until someone updates them.
    auth_failed_at = models.DateTimeField(null=True, blank=True)
    messages_seen = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("channel", "name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Language(models.TextChoices):
    EN = "en", "English"
    MI = "mi", "Te reo Māori"
    OTHER = "other", "Other"


class Category(models.TextChoices):
    QUESTION = "question", "Question"
    COMPLAINT = "complaint", "Complaint"
    PRAISE = "praise", "Praise"
    MISINFORMATION = "misinformation", "Misinformation"
    ABUSE = "abuse", "Abuse"
    CRISIS = "crisis", "Urgent or crisis"
    SPAM = "spam", "Spam"
    OFF_TOPIC = "off_topic", "Off-topic"
    OTHER = "other", "Other"


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    NEUTRAL = "neutral", "Neutral"
    POSITIVE = "positive", "Positive"


class Action(models.TextChoices):
    """What the house rules decided (or a moderator later decided)."""

    HIDE = "hide", "Hidden"
    QUEUE = "queue", "Queued for a moderator"
    LEAVE = "leave", "Left up"


class Status(models.TextChoices):
    """Where a message is in the work."""

    OPEN = "open", "Needs a response"
    MODERATION = "moderation", "Needs a moderator"
    NO_ACTION = "no_action", "No response needed"
    REPLYING = "replying", "Reply in progress"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


class Message(models.Model):
    """One incoming message (mention, reply, quote, comment, imported row) with its triage."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="inbox_messages")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="inbox_messages")
    connector = models.ForeignKey(Connector, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages")
    platform_id = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, default="mention")
    author = models.CharField(max_length=200, blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(null=True, blank=True, help_text="When it was posted on the platform")
    received_at = models.DateTimeField(help_text="When govsocial stored it")
    in_reply_to = models.CharField(max_length=300, blank=True)
    thread_key = models.CharField(max_length=300, blank=True, help_text="Platform id of the thread's root")
    # Normalised-text hash: the same words from anyone group as duplicates (IN-05).
    fingerprint = models.CharField(max_length=32, blank=True)
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    # Triage (classifiers and detectors); ``triage`` keeps scores and reasons.
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.EN)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices, default=Sentiment.NEUTRAL)
    has_pii = models.BooleanField(default=False)
    pii_kinds = models.JSONField(default=list, blank=True)
    priority = models.PositiveSmallIntegerField(default=3, help_text="1 urgent … 4 low")
    triage = models.JSONField(default=dict, blank=True)
    triaged_with = models.CharField(max_length=300, blank=True, help_text="pack@version#hash and engine")

    # Moderation by house rules (latest decision; the history is in Moderation).
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.LEAVE)
    rule_code = models.CharField(max_length=20, blank=True)
    hidden = models.BooleanField(default=False)

    # Response queue.
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_messages"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reply_draft = models.ForeignKey(Draft, on_delete=models.SET_NULL, null=True, blank=True, related_name="answers")
    reply_platform_id = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "platform_id"], name="inbox_message_unique_per_channel"),
        ]
        indexes = [
            # Inbox list: newest first within a status, keyset-paginated on (received_at, id).
            models.Index(fields=["agency", "status", "-received_at", "-id"], name="inbox_status_recent_idx"),
            models.Index(fields=["agency", "-received_at", "-id"], name="inbox_recent_idx"),
            # Response queue: soonest due first.
            models.Index(fields=["agency", "status", "due_at", "id"], name="inbox_status_due_idx"),
            models.Index(fields=["assignee", "status", "due_at"], name="inbox_assignee_idx"),
            models.Index(fields=["agency", "category", "-received_at", "-id"], name="inbox_category_idx"),
            models.Index(fields=["channel", "fingerprint"], name="inbox_fingerprint_idx"),
            models.Index(fields=["channel", "thread_key"], name="inbox_thread_idx"),
            models.Index(fields=["agency", "author"], name="inbox_author_idx"),
            # The Hidden tab and the unassigned count: small subsets, so partial indexes cost
            # ingest little and spare a scan of every open or every message.
            models.Index(
                fields=["agency", "-received_at", "-id"], condition=models.Q(hidden=True), name="inbox_hidden_idx"
            ),
            models.Index(
                fields=["agency", "due_at", "id"],
                condition=models.Q(status="open", assignee__isnull=True),
                name="inbox_unassigned_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author or 'someone'}: {self.text[:60]}"


class ModerationKind(models.TextChoices):
    HIDE = "hide", "Hidden"
    UNHIDE = "unhide", "Shown again"
    QUEUE = "queue", "Queued for a moderator"
    LEAVE = "leave", "Left up"
    REPORT = "report", "Reported to the platform"
    ESCALATE = "escalate", "Escalated"


class Moderation(models.Model):
    """One moderation decision on a message, with the published rule it cites (DIA-TBX-MOD-3/6)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="moderations")
    kind = models.CharField(max_length=10, choices=ModerationKind.choices)
    rule_code = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    # None when the house rules acted automatically at triage.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    # Whether the platform was told (hide/report through the connector), and what it said if not.
    applied_on_platform = models.BooleanField(default=False)
    platform_error = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class AuthorStanding(models.Model):
    """Strikes and blocking for one public account on one platform (IN-13, DIA-TBX-MOD-5)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(max_length=20)
    author = models.CharField(max_length=200)
    strikes = models.PositiveIntegerField(default=0)
    blocked = models.BooleanField(default=False)
    block_reason = models.TextField(blank=True)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    blocked_at = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True, help_text="When the block must be reviewed")

    class Meta:
        unique_together = [("agency", "platform", "author")]


class Strike(models.Model):
    standing = models.ForeignKey(AuthorStanding, on_delete=models.CASCADE, related_name="strike_log")
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    rule_code = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class TemplatePurpose(models.TextChoices):
    GENERAL = "general", "General answer"
    TAKE_OFFLINE = "take_offline", "Take it offline (personal information)"
    REMOVAL_NOTICE = "removal_notice", "Why a comment was hidden"
    CORRECTION = "correction", "Correcting misinformation"
    COMPLAINT = "complaint", "Acknowledging a complaint"
    CRISIS = "crisis", "Urgent help"


class ResponseTemplate(models.Model):
    """An approved answer the team may start a reply from."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="response_templates")
    key = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    purpose = models.CharField(max_length=20, choices=TemplatePurpose.choices, default=TemplatePurpose.GENERAL)
    body = models.TextField()
    approved = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who last wrote it: they cannot approve it too (four eyes).
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("agency", "key")]
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class InboxSettings(models.Model):
    """An agency's monitoring hours (DIA-TBX-MOD-2, UKHO-1) and round-robin state."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="inbox_settings")
    timezone = models.CharField(max_length=64, default="Pacific/Auckland")
    workday_start = models.TimeField(default="09:00")
    workday_end = models.TimeField(default="17:00")
    # ISO weekdays (1 = Monday) on which the team works.
    workdays = models.JSONField(default=list)
    # Dates (YYYY-MM-DD) that are not working days: public holidays.
    holidays = models.JSONField(default=list, blank=True)


class RoundRobin(models.Model):
    """Who in a team was assigned last, so the next message goes to the next person."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="+")
    last_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
