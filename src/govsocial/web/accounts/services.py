"""Writes for agencies, teams, users, two-factor devices and API tokens.

Every function that changes state records its audit event in the same transaction. Permission
checks that protect the agency (an admin acts only on their own agency; nobody removes their own
admin role or deactivates themselves) live here too, so the pages and the API cannot differ.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from govsocial.web.accounts.models import Agency, ApiToken, Role, Team, User
from govsocial.web.accounts.permissions import can_manage_users, same_agency
from govsocial.web.audit.services import audit_record

__all__ = [
    "agency_create",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "team_create",
    "two_factor_confirm",
    "two_factor_device",
    "two_factor_disable",
    "two_factor_secret",
    "user_create",
    "user_deactivate",
    "user_reactivate",
    "user_set_password",
    "user_set_roles",
    "user_set_teams",
    "user_update_profile",
]

VALID_ROLES = frozenset(Role.values)


def _require_admin_of(actor: Any, user: User) -> None:
    if not can_manage_users(actor) or not same_agency(actor, user):
        raise PermissionDenied("only an administrator of the user's agency may do this")


def _clean_roles(roles: Iterable[str]) -> list[str]:
    unknown = sorted(set(roles) - VALID_ROLES)
    if unknown:
        raise ValidationError(f"Unknown role: {', '.join(unknown)}")
    # Stable order (as declared in Role), no duplicates.
    wanted = set(roles)
    return [r for r in Role.values if r in wanted]


def _team_names(teams: Iterable[Team]) -> list[str]:
    return sorted(t.name for t in teams)


@transaction.atomic
def agency_create(
    *, actor: Any | None, name: str, slug: str, pack: str = "nz", colour: str = "#1d70b8", logo_url: str = ""
) -> Agency:
    agency: Agency = Agency.objects.create(name=name, slug=slug, pack=pack, colour=colour, logo_url=logo_url)
    audit_record(
        actor=actor,
        agency=agency,
        action="agency.created",
        subject_type="agency",
        subject_id=agency.pk,
        new={"name": name, "slug": slug, "pack": pack, "colour": colour},
    )
    return agency


@transaction.atomic
def team_create(*, actor: Any | None, agency: Agency, name: str) -> Team:
    team: Team = Team.objects.create(agency=agency, name=name)
    audit_record(
        actor=actor, agency=agency, action="team.created", subject_type="team", subject_id=team.pk, new={"name": name}
    )
    return team


@transaction.atomic
def user_create(
    *,
    actor: Any | None,
    agency: Agency,
    username: str,
    password: str | None,
    display_name: str = "",
    email: str = "",
    roles: Sequence[str] = (),
    teams: Iterable[Team] = (),
) -> User:
    """Create a user in ``agency``. ``actor`` None is the system (the demo loader, a bootstrap
    command); a person must be an administrator of ``agency``."""
    if actor is not None and (not can_manage_users(actor) or actor.agency_id != agency.pk):
        raise PermissionDenied("only an administrator of the agency may add users")
    clean_roles = _clean_roles(roles)
    team_list = list(teams)
    if any(t.agency_id != agency.pk for t in team_list):
        raise ValidationError("A team belongs to another agency")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError("A user with that username already exists")
    user = User(agency=agency, username=username, display_name=display_name, email=email, roles=clean_roles)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.teams.set(team_list)
    audit_record(
        actor=actor,
        agency=agency,
        action="user.created",
        subject_type="user",
        subject_id=user.pk,
        new={"username": username, "display_name": display_name, "roles": clean_roles, "teams": _team_names(team_list)},
    )
    return user


@transaction.atomic
def user_set_roles(*, actor: Any, user: User, roles: Sequence[str], reason: str = "") -> User:
    _require_admin_of(actor, user)
    clean = _clean_roles(roles)
    if user.pk == actor.pk and "admin" in (user.roles or []) and "admin" not in clean:
        raise ValidationError("You cannot remove your own administrator role: ask another administrator")
    old = list(user.roles or [])
    if old == clean:
        return user
    user.roles = clean
    user.save(update_fields=["roles"])
    audit_record(
        actor=actor,
        action="user.roles_changed",
        subject_type="user",
        subject_id=user.pk,
        old={"roles": old},
        new={"roles": clean},
        reason=reason,
    )
    return user


@transaction.atomic
def user_set_teams(*, actor: Any, user: User, teams: Iterable[Team]) -> User:
    _require_admin_of(actor, user)
    team_list = list(teams)
    if any(t.agency_id != user.agency_id for t in team_list):
        raise ValidationError("A team belongs to another agency")
    old = _team_names(user.teams.all())
    new = _team_names(team_list)
    if old == new:
        return user
    user.teams.set(team_list)
    audit_record(
        actor=actor,
        action="user.teams_changed",
        subject_type="user",
        subject_id=user.pk,
        old={"teams": old},
        new={"teams": new},
    )
    return user


@transaction.atomic
def user_update_profile(*, actor: Any, user: User, display_name: str, email: str) -> User:
    if actor.pk != user.pk:
        _require_admin_of(actor, user)
    old = {"display_name": user.display_name, "email": user.email}
    new = {"display_name": display_name, "email": email}
    if old == new:
        return user
    user.display_name, user.email = display_name, email
    user.save(update_fields=["display_name", "email"])
    audit_record(actor=actor, action="user.profile_changed", subject_type="user", subject_id=user.pk, old=old, new=new)
    return user


@transaction.atomic
def user_deactivate(*, actor: Any, user: User, reason: str = "") -> User:
    """Deactivate a user: they can no longer sign in, and their API tokens stop working."""
    _require_admin_of(actor, user)
    if user.pk == actor.pk:
        raise ValidationError("You cannot deactivate yourself")
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoked = list(user.api_tokens.filter(revoked=False).values_list("prefix", flat=True))
    user.api_tokens.filter(revoked=False).update(revoked=True)
    audit_record(
        actor=actor,
        action="user.deactivated",
        subject_type="user",
        subject_id=user.pk,
        old={"is_active": True},
        new={"is_active": False, "tokens_revoked": sorted(revoked)},
        reason=reason,
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: Any, user: User, reason: str = "") -> User:
    _require_admin_of(actor, user)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.reactivated",
        subject_type="user",
        subject_id=user.pk,
        old={"is_active": False},
        new={"is_active": True},
        reason=reason,
    )
    return user


@transaction.atomic
def user_set_password(*, actor: Any | None, user: User, password: str) -> User:
    """Set a password (validated). The audit event records that it changed, never the password."""
    if actor is not None and actor.pk != user.pk:
        _require_admin_of(actor, user)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, agency=user.agency, action="user.password_set", subject_type="user", subject_id=user.pk)
    return user


# Two-factor authentication (TOTP) ------------------------------------------------------------


def two_factor_device(*, user: User) -> TOTPDevice:
    """The user's TOTP device: the confirmed one, or an unconfirmed one being set up (created on
    first use). Creating an unconfirmed device changes nothing about how the user signs in, so it
    is not audited; confirming it is."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is not None:
        return device
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def two_factor_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in: base32, in groups of four."""
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def two_factor_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm a device with a code from the app. Returns False (and changes nothing) when the
    code is wrong."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied("not your device, or already confirmed")
    if not device.verify_token(token.strip().replace(" ", "")):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
    audit_record(
        actor=user,
        action="user.two_factor_enabled",
        subject_type="user",
        subject_id=user.pk,
        new={"device": device.name},
    )
    return True


@transaction.atomic
def two_factor_disable(*, actor: Any, user: User, reason: str = "") -> None:
    """Remove the user's devices: they sign in with a password alone until they set one up again.
    A user turns off their own; an administrator resets another's (a lost phone)."""
    if actor.pk != user.pk:
        _require_admin_of(actor, user)
    names = sorted(TOTPDevice.objects.filter(user=user, confirmed=True).values_list("name", flat=True))
    TOTPDevice.objects.filter(user=user).delete()
    if names:
        audit_record(
            actor=actor,
            action="user.two_factor_disabled",
            subject_type="user",
            subject_id=user.pk,
            old={"devices": names},
            reason=reason,
        )


# API tokens ----------------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal token. Returns the row and the token itself, which is shown once and
    never stored (only its SHA-256)."""
    if not user.is_active:
        raise PermissionDenied("inactive users cannot create tokens")
    name = name.strip()
    if not name:
        raise ValidationError("Enter a name for the token")
    key = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:8], key_hash=ApiToken.hash_key(key))
    audit_record(
        actor=user,
        action="api_token.created",
        subject_type="api_token",
        subject_id=token.pk,
        new={"name": name, "prefix": token.prefix},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        _require_admin_of(actor, token.user)
    if token.revoked:
        return token
    token.revoked = True
    token.save(update_fields=["revoked"])
    audit_record(
        actor=actor,
        agency=token.user.agency,
        action="api_token.revoked",
        subject_type="api_token",
        subject_id=token.pk,
        old={"revoked": False},
        new={"revoked": True, "name": token.name, "prefix": token.prefix},
    )
    return token


def api_token_authenticate(*, key: str) -> User | None:
    """The active user a token belongs to, or None (unknown, revoked, or the user is inactive).
    Records when the token was last used (not an audited change)."""
    if not key or not key.startswith("gs_") or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__agency")
        .filter(key_hash=ApiToken.hash_key(key), revoked=False)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    user: User = token.user
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user
