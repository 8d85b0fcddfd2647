"""Reads for users, teams and API tokens, filtered to what the asking user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from govsocial.web.accounts.models import ApiToken, Team, User
from govsocial.web.accounts.permissions import can_manage_users, is_member


def user_list(*, for_user: Any, filters: dict[str, Any] | None = None) -> QuerySet[User]:
    """Users of the asking administrator's agency (nothing for anyone else).

    Filters: ``role`` (users holding it), ``active`` (True/False), ``q`` (username or name contains).
    """
    if not can_manage_users(for_user):
        return User.objects.none()
    qs = User.objects.filter(agency_id=for_user.agency_id).prefetch_related("teams").order_by("username")
    filters = filters or {}
    if filters.get("active") is not None:
        qs = qs.filter(is_active=bool(filters["active"]))
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    role = filters.get("role")
    if role:
        # Roles are a JSON list; filtering in Python keeps this portable across SQLite and PostgreSQL.
        ids = [u.pk for u in qs if role in (u.roles or [])]
        qs = qs.filter(pk__in=ids)
    return qs


def user_get(*, for_user: Any, pk: int) -> User:
    """One user of the administrator's agency, or 404 (another agency's users do not exist here)."""
    user: User | None = user_list(for_user=for_user).filter(pk=pk).first()
    if user is None:
        raise Http404("No such user")
    return user


def team_list(*, for_user: Any) -> QuerySet[Team]:
    if not is_member(for_user):
        return Team.objects.none()
    return Team.objects.filter(agency_id=for_user.agency_id).order_by("name")


def agency_members(*, for_user: Any) -> QuerySet[User]:
    """Active users of the asking user's agency (for choosing publishers)."""
    if not is_member(for_user):
        return User.objects.none()
    return User.objects.filter(agency_id=for_user.agency_id, is_active=True).order_by("display_name", "username")


def api_token_list(*, for_user: Any) -> QuerySet[ApiToken]:
    """The asking user's own tokens, newest first."""
    if not getattr(for_user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=for_user.pk).order_by("revoked", "-created_at")


def api_token_get(*, for_user: Any, pk: int) -> ApiToken:
    token: ApiToken | None = api_token_list(for_user=for_user).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token")
    return token
