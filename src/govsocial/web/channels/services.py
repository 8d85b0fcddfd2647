"""Writes for the channel register (WF-01/02/11). Each change is audited in its transaction with
the fields before and after."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from govsocial.web.accounts.models import Agency, Team, User
from govsocial.web.accounts.permissions import can_manage_channels
from govsocial.web.audit.services import audit_record
from govsocial.web.channels.models import Channel, ModerationMode, Platform

__all__ = ["CHANNEL_FIELDS", "channel_create", "channel_snapshot", "channel_update", "pack_dirs", "pack_validate"]

CHANNEL_FIELDS = (
    "name",
    "platform",
    "handle",
    "owning_team",
    "pack",
    "context",
    "publishers",
    "requires_approval",
    "objectives",
    "active",
    "moderation_mode",
    "response_target_hours",
)
CONTEXTS = ("official", "personal")
MAX_RESPONSE_TARGET_HOURS = 24 * 5  # a working week of round-the-clock hours; longer is no target


def pack_dirs() -> list[Path]:
    """Folders a channel's pack file may come from: ``GOVSOCIAL_PACK_DIRS`` (separated by the
    platform's path separator), else the working folder."""
    configured = getattr(settings, "GOVSOCIAL_PACK_DIRS", None) or os.environ.get("GOVSOCIAL_PACK_DIRS", "")
    if isinstance(configured, str):
        configured = [p for p in configured.split(os.pathsep) if p]
    return [Path(p).resolve() for p in configured] or [Path.cwd().resolve()]


def pack_validate(ref: str) -> str:
    """Load a pack by built-in name or file path; return its ``id@version#hash`` or raise
    ValidationError with the loader's one-line problem. Files must lie under :func:`pack_dirs`."""
    from govsocial import load_pack
    from govsocial.packs.loader import builtin_packs

    ref = ref.strip()
    if not ref:
        raise ValidationError("Enter a pack name or a pack file path")
    if ref.endswith((".yml", ".yaml")) or "/" in ref or os.sep in ref:
        path = Path(ref).resolve()
        if not any(path.is_relative_to(d) for d in pack_dirs()):
            raise ValidationError(
                "Pack files must be in a pack folder the administrator has set up (GOVSOCIAL_PACK_DIRS)"
            )
    elif ref not in builtin_packs():
        raise ValidationError(f"Unknown pack “{ref}”: use one of {', '.join(builtin_packs())}, or a pack file path")
    try:
        return load_pack(ref).ref
    except (ValueError, OSError) as exc:
        raise ValidationError(f"The pack could not be loaded: {exc}") from None


def channel_snapshot(channel: Channel) -> dict[str, Any]:
    """The audited form of a channel: plain values, people and teams by name."""
    team = channel.owning_team
    return {
        "name": channel.name,
        "platform": channel.platform,
        "handle": channel.handle,
        "owning_team": team.name if team is not None else None,
        "pack": channel.pack,
        "context": channel.context,
        "publishers": sorted(u.username for u in channel.publishers.all()) if channel.pk else [],
        "requires_approval": channel.requires_approval,
        "objectives": channel.objectives,
        "active": channel.active,
        "moderation_mode": channel.moderation_mode,
        "response_target_hours": channel.response_target_hours,
    }


def _check_actor(actor: Any | None, agency: Agency) -> None:
    if actor is not None and (not can_manage_channels(actor) or actor.agency_id != agency.pk):
        raise PermissionDenied("only a comms manager or administrator of the agency may change channels")


def _validate(agency: Agency, values: dict[str, Any]) -> None:
    if "platform" in values and values["platform"] not in Platform.values:
        raise ValidationError(f"Unknown platform “{values['platform']}”")
    if "context" in values and values["context"] not in CONTEXTS:
        raise ValidationError("Context must be official or personal")
    team = values.get("owning_team")
    if team is not None and team.agency_id != agency.pk:
        raise ValidationError("The owning team belongs to another agency")
    if any(u.agency_id != agency.pk for u in values.get("publishers", ())):
        raise ValidationError("A publisher belongs to another agency")
    if values.get("pack"):
        pack_validate(values["pack"])
    if "moderation_mode" in values and values["moderation_mode"] not in ModerationMode.values:
        raise ValidationError(f"Unknown moderation mode “{values['moderation_mode']}”")
    if "response_target_hours" in values:
        hours = values["response_target_hours"]
        if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= MAX_RESPONSE_TARGET_HOURS:
            raise ValidationError(f"The response target must be 1 to {MAX_RESPONSE_TARGET_HOURS} working hours")
    for key in ("name", "handle"):
        if key in values and not str(values[key]).strip():
            raise ValidationError(f"Enter the channel's {key}")


def _clash(agency: Agency, platform: str, handle: str, exclude_pk: int | None) -> bool:
    qs = Channel.objects.filter(agency=agency, platform=platform, handle__iexact=handle)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return bool(qs.exists())


@transaction.atomic
def channel_create(
    *,
    actor: Any | None,
    agency: Agency,
    name: str,
    platform: str,
    handle: str,
    owning_team: Team | None = None,
    pack: str = "",
    context: str = "official",
    publishers: Iterable[User] = (),
    requires_approval: bool = False,
    objectives: str = "",
    active: bool = True,
    moderation_mode: str = "active",
    response_target_hours: int = 8,
) -> Channel:
    _check_actor(actor, agency)
    people = list(publishers)
    values: dict[str, Any] = {
        "name": name.strip(),
        "platform": platform,
        "handle": handle.strip(),
        "owning_team": owning_team,
        "pack": pack.strip(),
        "context": context,
        "publishers": people,
        "moderation_mode": moderation_mode,
        "response_target_hours": response_target_hours,
    }
    _validate(agency, values)
    if _clash(agency, platform, values["handle"], None):
        raise ValidationError("The agency already has this account on this platform")
    channel: Channel = Channel.objects.create(
        agency=agency,
        name=values["name"],
        platform=platform,
        handle=values["handle"],
        owning_team=owning_team,
        pack=values["pack"],
        context=context,
        requires_approval=requires_approval,
        objectives=objectives,
        active=active,
        moderation_mode=moderation_mode,
        response_target_hours=response_target_hours,
    )
    channel.publishers.set(people)
    audit_record(
        actor=actor,
        agency=agency,
        action="channel.created",
        subject_type="channel",
        subject_id=channel.pk,
        new=channel_snapshot(channel),
    )
    return channel


@transaction.atomic
def channel_update(*, actor: Any | None, channel: Channel, reason: str = "", **changes: Any) -> Channel:
    """Change any of :data:`CHANNEL_FIELDS`; fields not given stay as they are. The audit event
    holds only the fields that changed (nothing is written when nothing changed)."""
    unknown = set(changes) - set(CHANNEL_FIELDS)
    if unknown:
        raise TypeError(f"channel_update() got unknown fields: {', '.join(sorted(unknown))}")
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    _check_actor(actor, channel.agency)
    for key in ("name", "handle", "pack"):
        if key in changes:
            changes[key] = str(changes[key]).strip()
    if "publishers" in changes:
        changes["publishers"] = list(changes["publishers"])
    _validate(channel.agency, changes)
    platform, handle = str(changes.get("platform", channel.platform)), str(changes.get("handle", channel.handle))
    if _clash(channel.agency, platform, handle, channel.pk):
        raise ValidationError("The agency already has this account on this platform")
    before = channel_snapshot(channel)
    for key, value in changes.items():
        if key != "publishers":
            setattr(channel, key, value)
    channel.save()
    if "publishers" in changes:
        channel.publishers.set(changes["publishers"])
    after = channel_snapshot(channel)
    old = {k: v for k, v in before.items() if after[k] != v}
    new = {k: after[k] for k in old}
    if old:
        audit_record(
            actor=actor,
            agency=channel.agency,
            action="channel.updated",
            subject_type="channel",
            subject_id=channel.pk,
            old=old,
            new=new,
            reason=reason,
        )
    return channel
