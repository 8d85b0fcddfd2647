"""The channel register: where an agency posts, under which pack and context, and who may publish."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govsocial.web.accounts.models import Agency, Team


class Platform(models.TextChoices):
    X = "x", "X"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    THREADS = "threads", "Threads"


class ModerationMode(models.TextChoices):
    """How the channel is community-managed (NSW-CM-4, DIA-TBX-MOD-1)."""

    ACTIVE = "active", "Active moderation: read and answer everything"
    ALERT_ONLY = "alert_only", "Alert only: answer when mentioned"
    HANDS_OFF = "hands_off", "Hands off: comments and messages are off"


class Channel(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="channels")
    name = models.CharField(max_length=200)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=200)
    owning_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="channels")
    pack = models.CharField(max_length=500, blank=True, help_text="Pack for this channel; blank: the agency's pack")
    context = models.CharField(
        max_length=10, choices=[("official", "Official"), ("personal", "Personal")], default="official"
    )
    publishers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="publishable_channels")
    requires_approval = models.BooleanField(
        default=False, help_text="Every post needs an approver, whatever its findings"
    )
    objectives = models.TextField(blank=True)
    moderation_mode = models.CharField(max_length=12, choices=ModerationMode.choices, default=ModerationMode.ACTIVE)
    response_target_hours = models.PositiveSmallIntegerField(
        default=8, help_text="Answer questions and complaints within this many business hours"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("agency", "platform", "handle")]
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()} {self.handle})"

    @property
    def pack_ref(self) -> str:
        return self.pack or self.agency.pack
