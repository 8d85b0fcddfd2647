"""Reads of the channel register, limited to the asking user's agency."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from govsocial.web.accounts.permissions import is_member
from govsocial.web.channels.models import Channel


def channel_list(*, for_user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Channel]:
    """Channels of the user's agency, by name. Filters: ``active`` (bool), ``platform``,
    ``team`` (team id), ``q`` (name or handle contains), ``publishable_by`` (a user: channels
    they are a listed publisher of)."""
    if not is_member(for_user):
        return Channel.objects.none()
    qs = (
        Channel.objects.filter(agency_id=for_user.agency_id)
        .select_related("owning_team", "agency")
        .order_by("name", "pk")
    )
    filters = filters or {}
    if filters.get("active") is not None:
        qs = qs.filter(active=bool(filters["active"]))
    if filters.get("platform"):
        qs = qs.filter(platform=filters["platform"])
    if filters.get("team"):
        qs = qs.filter(owning_team_id=filters["team"])
    if q := str(filters.get("q") or "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(handle__icontains=q))
    if filters.get("publishable_by") is not None:
        qs = qs.filter(publishers=filters["publishable_by"])
    return qs


def channel_get(*, for_user: Any, pk: int) -> Channel:
    """One channel of the user's agency, or 404 (another agency's channels do not exist here)."""
    channel: Channel | None = channel_list(for_user=for_user).filter(pk=pk).first()
    if channel is None:
        raise Http404("No such channel")
    return channel
