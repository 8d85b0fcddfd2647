"""Reads of the audit log: each agency sees only its own events."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from govsocial.web.accounts.permissions import can_view_audit
from govsocial.web.audit.models import AuditEvent


def audit_event_list(*, for_user: Any, filters: dict[str, Any] | None = None) -> QuerySet[AuditEvent]:
    """Events of the user's agency, newest first (nothing unless the user may see the log).

    Filters: ``action`` (exact, or a prefix ending in "." such as ``channel.``), ``subject_type``,
    ``subject_id``, ``actor`` (user id).
    """
    if not can_view_audit(for_user):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.filter(agency_id=for_user.agency_id).order_by("-seq")
    filters = filters or {}
    action = str(filters.get("action") or "").strip()
    if action.endswith("."):
        qs = qs.filter(action__startswith=action)
    elif action:
        qs = qs.filter(action=action)
    if filters.get("subject_type"):
        qs = qs.filter(subject_type=filters["subject_type"])
    if filters.get("subject_id"):
        qs = qs.filter(subject_id=str(filters["subject_id"]))
    if filters.get("actor"):
        qs = qs.filter(actor_id=filters["actor"])
    return qs


def audit_action_list(*, for_user: Any) -> list[str]:
    """The distinct actions in the user's agency's log, for the filter."""
    if not can_view_audit(for_user):
        return []
    return sorted(
        AuditEvent.objects.filter(agency_id=for_user.agency_id).order_by().values_list("action", flat=True).distinct()
    )


def audit_subject_type_list(*, for_user: Any) -> list[str]:
    if not can_view_audit(for_user):
        return []
    return sorted(
        AuditEvent.objects.filter(agency_id=for_user.agency_id)
        .order_by()
        .values_list("subject_type", flat=True)
        .distinct()
    )
