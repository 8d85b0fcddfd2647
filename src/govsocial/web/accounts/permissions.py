"""Who may do what: role checks shared by the pages and the API.

Roles (:class:`~govsocial.web.accounts.models.Role`) are additive; a user holds a list of them.
Everything is scoped to the user's agency: a user without an agency may do nothing.

| capability                          | roles                                   |
|-------------------------------------|-----------------------------------------|
| see the channel register            | any active member of the agency         |
| create and edit channels            | comms_manager, admin                    |
| see the audit log                   | comms_manager, records_manager, admin   |
| verify the audit chain              | records_manager, admin                  |
| manage users and their roles        | admin                                   |
| publish to a channel                | the channel's publishers, comms_manager |

Views use :func:`require_role`; services and the API call the predicates directly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

__all__ = [
    "AUDIT_VERIFIERS",
    "AUDIT_VIEWERS",
    "CHANNEL_MANAGERS",
    "USER_MANAGERS",
    "can_manage_channels",
    "can_manage_users",
    "can_publish",
    "can_verify_audit",
    "can_view_audit",
    "has_role",
    "is_member",
    "require_member",
    "require_role",
    "same_agency",
]

# Role values (see accounts.models.Role) as plain strings, so type checkers need no Django stubs.
CHANNEL_MANAGERS: tuple[str, ...] = ("comms_manager", "admin")
AUDIT_VIEWERS: tuple[str, ...] = ("comms_manager", "records_manager", "admin")
AUDIT_VERIFIERS: tuple[str, ...] = ("records_manager", "admin")
USER_MANAGERS: tuple[str, ...] = ("admin",)
PUBLISHERS_BY_ROLE: tuple[str, ...] = ("comms_manager",)

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


def is_member(user: Any) -> bool:
    """An authenticated, active user who belongs to an agency."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "agency_id", None) is not None
    )


def has_role(user: Any, *roles: str) -> bool:
    """True when ``user`` is an active agency member holding at least one of ``roles``."""
    return is_member(user) and bool(user.has_role(*roles))


def _agency_id_of(obj: Any) -> int | None:
    """The agency an object belongs to: an Agency itself, or anything with ``agency_id``, or a
    revision-like object reached through ``draft``."""
    from govsocial.web.accounts.models import Agency

    if isinstance(obj, Agency):
        return int(obj.pk)
    agency_id = getattr(obj, "agency_id", None)
    if agency_id is not None:
        return int(agency_id)
    draft = getattr(obj, "draft", None)
    if draft is not None:
        return _agency_id_of(draft)
    return None


def same_agency(user: Any, obj: Any) -> bool:
    """True when ``obj`` belongs to the agency of ``user`` (an active member)."""
    if not is_member(user) or obj is None:
        return False
    agency_id = _agency_id_of(obj)
    return agency_id is not None and agency_id == user.agency_id


def can_manage_channels(user: Any) -> bool:
    return has_role(user, *CHANNEL_MANAGERS)


def can_view_audit(user: Any) -> bool:
    return has_role(user, *AUDIT_VIEWERS)


def can_verify_audit(user: Any) -> bool:
    return has_role(user, *AUDIT_VERIFIERS)


def can_manage_users(user: Any) -> bool:
    return has_role(user, *USER_MANAGERS)


def can_publish(user: Any, channel: Any) -> bool:
    """A user may publish to an active channel of their agency when they are one of its
    publishers, or a comms manager of the agency."""
    if not same_agency(user, channel) or not getattr(channel, "active", False):
        return False
    if user.has_role(*PUBLISHERS_BY_ROLE):
        return True
    return bool(channel.publishers.filter(pk=user.pk).exists())


def _guard(check: Callable[[Any], bool]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            request = args[0]
            if not isinstance(request, HttpRequest):  # a method view: (self, request, ...)
                request = args[1]
            assert isinstance(request, HttpRequest)
            if not request.user.is_authenticated:
                return cast(R, redirect_to_login(request.get_full_path()))
            if not check(request.user):
                raise PermissionDenied
            return view(*args, **kwargs)

        return wrapper

    return decorator


def require_member(view: Callable[P, R]) -> Callable[P, R]:
    """Sign-in required (redirect to the login page), and the user must belong to an agency (403)."""
    return _guard(is_member)(view)


def require_role(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Sign-in required (redirect to the login page), then one of ``roles`` (403 otherwise)."""
    if not roles:
        raise ValueError("require_role needs at least one role")
    return _guard(lambda user: has_role(user, *roles))
