"""The audit log page (newest first, paginated, filtered) and the chain verifier button."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from govsocial.web.accounts.permissions import AUDIT_VERIFIERS, AUDIT_VIEWERS, can_verify_audit, require_role
from govsocial.web.audit import selectors
from govsocial.web.audit.services import verify_chain

PAGE_SIZE = 50


def _filters(request: HttpRequest) -> dict[str, str]:
    subject = request.GET.get("subject", "").strip()
    subject_type, _, subject_id = subject.partition(":")
    return {
        "action": request.GET.get("action", "").strip()[:60],
        "subject_type": subject_type.strip()[:60],
        "subject_id": subject_id.strip()[:64],
    }


@require_role(*AUDIT_VIEWERS)
@require_http_methods(["GET"])
def audit_list_view(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    events = selectors.audit_event_list(for_user=request.user, filters=filters).select_related("actor")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in (("action", filters["action"]), ("subject", request.GET.get("subject", "").strip())) if v}

    def page_href(number: int) -> str:
        return "?" + str(urlencode({**query, "page": number}))

    pagination: dict[str, Any] = {"items": []}
    if page.has_previous():
        pagination["previous"] = {"href": page_href(page.previous_page_number())}
    if page.has_next():
        pagination["next"] = {"href": page_href(page.next_page_number())}
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            pagination["items"].append({"ellipsis": True})
        else:
            pagination["items"].append(
                {"number": number, "href": page_href(int(number)), "current": number == page.number}
            )
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "pagination": pagination if page.paginator.num_pages > 1 else None,
            "filters": filters,
            "subject": request.GET.get("subject", "").strip(),
            "actions": selectors.audit_action_list(for_user=request.user),
            "subject_types": selectors.audit_subject_type_list(for_user=request.user),
            "can_verify": can_verify_audit(request.user),
        },
    )


@require_role(*AUDIT_VERIFIERS)
@require_POST
def audit_verify_view(request: HttpRequest) -> HttpResponseBase:
    """Re-walk the whole chain (every agency's events: the chain is one line) and report."""
    count, broken = verify_chain()
    if broken is None:
        messages.success(request, f"The audit chain is intact: {count} event{'' if count == 1 else 's'} checked.")
    else:
        messages.error(request, f"The audit chain is broken. First broken link: {broken}.")
    return HttpResponseRedirect(reverse("audit:list"))
