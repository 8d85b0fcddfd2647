"""Reads of drafts, limited to the asking user's agency (another agency's drafts do not exist here)."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from govsocial.web.accounts.permissions import has_role, is_member
from govsocial.web.drafts.models import Approval, Draft, Revision, State
from govsocial.web.drafts.services import DRAFT_APPROVERS

__all__ = ["approval_list", "approvals_queue", "draft_get", "draft_list", "revision_list"]


def _current(field: str) -> Subquery:
    return Subquery(Revision.objects.filter(draft=OuterRef("pk")).order_by("-number").values(field)[:1])


def draft_list(*, for_user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Draft]:
    """Drafts of the user's agency, most recently changed first, each annotated with its current
    revision's ``current_number``, ``current_text``, ``current_verdict`` and ``current_worst``.

    Filters: ``state`` (a :class:`State` value or a list of them), ``channel`` (id), ``author``
    (a user or id), ``q`` (title or current text contains), ``awaiting_for`` (a user: drafts
    awaiting approval that they may decide, i.e. not written or edited by them)."""
    if not is_member(for_user):
        return Draft.objects.none()
    qs = (
        Draft.objects.filter(agency_id=for_user.agency_id)
        .select_related("channel", "author")
        .annotate(
            current_number=_current("number"),
            current_text=_current("text"),
            current_verdict=_current("verdict"),
            current_worst=_current("worst"),
        )
        .order_by("-updated_at", "-id")
    )
    filters = filters or {}
    state = filters.get("state")
    if isinstance(state, list | tuple | set | frozenset):
        qs = qs.filter(state__in=[s for s in state if s in State.values])
    elif state:
        qs = qs.filter(state=state) if state in State.values else qs.none()
    if filters.get("channel"):
        qs = qs.filter(channel_id=filters["channel"])
    if filters.get("author"):
        qs = qs.filter(author_id=getattr(filters["author"], "pk", filters["author"]))
    if q := str(filters.get("q") or "").strip():
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(
                pk__in=Revision.objects.filter(draft__agency_id=for_user.agency_id, text__icontains=q).values(
                    "draft_id"
                )
            )
        )
    if (approver := filters.get("awaiting_for")) is not None:
        if not has_role(approver, *DRAFT_APPROVERS):
            return qs.none()
        qs = (
            qs.filter(state=State.AWAITING_APPROVAL)
            .exclude(author_id=approver.pk)
            .exclude(pk__in=Revision.objects.filter(created_by_id=approver.pk).values("draft_id"))
            .order_by("submitted_at", "id")
        )
    return qs


def draft_get(*, for_user: Any, pk: int) -> Draft:
    """One draft of the user's agency, or 404."""
    draft = (
        Draft.objects.filter(agency_id=getattr(for_user, "agency_id", None), pk=pk)
        .select_related("channel", "channel__agency", "author", "agency")
        .first()
    )
    if draft is None or not is_member(for_user):
        raise Http404("No such draft")
    return draft


def approvals_queue(*, for_user: Any) -> QuerySet[Draft]:
    """Drafts awaiting approval that ``for_user`` may decide (never their own), oldest first."""
    return draft_list(for_user=for_user, filters={"awaiting_for": for_user})


def revision_list(*, draft: Draft) -> QuerySet[Revision]:
    """Every revision of a draft, newest first, with who saved it."""
    return draft.revisions.select_related("created_by").order_by("-number")


def approval_list(*, draft: Draft) -> QuerySet[Approval]:
    """Every decision on a draft, oldest first."""
    return draft.approvals.select_related("approver", "revision").order_by("created_at", "pk")
