"""Agencies, teams, users and roles."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "Officer"
    APPROVER = "approver", "Approver"
    MODERATOR = "moderator", "Moderator"
    COMMS_MANAGER = "comms_manager", "Comms manager"
    RECORDS_MANAGER = "records_manager", "Records manager"
    ADMIN = "admin", "Administrator"


class Agency(models.Model):
    """A public-sector organisation: its name, look, and the pack its reviews use by default."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    logo_url = models.CharField(max_length=500, blank=True)
    colour = models.CharField(max_length=7, default="#1d70b8", help_text="Brand colour, #rrggbb")
    pack = models.CharField(max_length=500, default="nz", help_text="Built-in pack name or a pack file path")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        unique_together = [("agency", "name")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who works in govsocial. ``roles`` is a list of :class:`Role` values."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    roles = models.JSONField(default=list, blank=True)
    display_name = models.CharField(max_length=200, blank=True)

    def has_role(self, *roles: str) -> bool:
        return bool(self.is_active and (set(roles) & set(self.roles or ())))

    @property
    def label(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token is shown once when created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def generate(cls) -> str:
        return "gs_" + secrets.token_urlsafe(32)
