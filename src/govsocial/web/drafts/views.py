"""Draft pages: list, new, detail, edit, and the WF-03 actions (submit, approve or override,
return, publish, withdraw), plus the approvals queue. Thin: forms check input, selectors scope
reads to the user's agency, services decide and record. Every page works without JavaScript."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from govsocial.web.accounts.models import User
from govsocial.web.accounts.permissions import has_role, require_member, require_role
from govsocial.web.audit.models import AuditEvent
from govsocial.web.channels.selectors import channel_list
from govsocial.web.drafts import adapters, selectors, services
from govsocial.web.drafts.forms import ApproveForm, DraftFilterForm, DraftForm, PublishForm, ReturnForm, WithdrawForm
from govsocial.web.drafts.models import ApprovalReason, Draft, State
from govsocial.web.review.services import explain

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _channel_choices(user: User, *, active_only: bool) -> list[tuple[int, str]]:
    filters: dict[str, Any] = {"active": True} if active_only else {}
    return [(c.pk, str(c)) for c in channel_list(for_user=user, filters=filters)]


def _pagination(request: HttpRequest, page: Page[Any]) -> dict[str, Any]:
    """The parameters of govukPagination for ``page``, keeping the other query parameters."""

    def href(number: int) -> str:
        query: QueryDict = request.GET.copy()
        query["page"] = str(number)
        return "?" + query.urlencode()

    params: dict[str, Any] = {"items": []}
    if page.has_previous():
        params["previous"] = {"href": href(page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": href(page.next_page_number())}
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            params["items"].append({"ellipsis": True})
        else:
            params["items"].append({"number": number, "href": href(int(number)), "current": number == page.number})
    return params


# --------------------------------------------------------------------------- lists


@require_member
@require_http_methods(["GET"])
def draft_list_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DraftFilterForm(request.GET or None, channels=_channel_choices(user, active_only=False))
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"state": data.get("state") or None, "channel": data.get("channel"), "q": data.get("q") or ""}
        if data.get("mine"):
            filters["author"] = user
    page = Paginator(selectors.draft_list(for_user=user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    due = selectors.draft_list(for_user=user, filters={"state": State.SCHEDULED}).filter(
        publish_reminder_at__isnull=False
    )
    return render(
        request,
        "drafts/list.html",
        {
            "form": form,
            "page": page,
            "pagination": _pagination(request, page) if page.paginator.num_pages > 1 else None,
            "can_create": services.can_create_draft(user),
            "is_approver": has_role(user, *services.DRAFT_APPROVERS),
            "awaiting_count": selectors.approvals_queue(for_user=user).count()
            if has_role(user, *services.DRAFT_APPROVERS)
            else 0,
            "due": list(due[:10]),
        },
    )


@require_role(*services.DRAFT_APPROVERS)
@require_http_methods(["GET"])
def approvals_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(selectors.approvals_queue(for_user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "drafts/approvals.html",
        {
            "page": page,
            "pagination": _pagination(request, page) if page.paginator.num_pages > 1 else None,
            "reasons": dict(ApprovalReason.choices),
        },
    )


# --------------------------------------------------------------------------- create and edit


def _scheduled_value(form: DraftForm) -> str:
    """The ``datetime-local`` value of the publishing time field."""
    value = form["scheduled_at"].value()
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
            if timezone.is_aware(value)
            else value.strftime("%Y-%m-%dT%H:%M")
        )
    return str(value or "")


def _form_page(request: HttpRequest, form: DraftForm, draft: Draft | None) -> HttpResponse:
    return render(
        request,
        "drafts/form.html",
        {"form": form, "draft": draft, "scheduled_value": _scheduled_value(form)},
        status=400 if form.errors else 200,
    )


@require_role(*services.DRAFT_AUTHORS)
@require_http_methods(["GET", "POST"])
def draft_create_view(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    channels = _channel_choices(user, active_only=True)
    initial = {"channel": request.GET.get("channel")} if request.GET.get("channel") else None
    form = DraftForm(request.POST or None, channels=channels, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        channel = channel_list(for_user=user, filters={"active": True}).filter(pk=data["channel"]).first()
        if channel is None:
            form.add_error("channel", "Choose a channel")
        else:
            try:
                draft = services.draft_create(
                    author=user,
                    channel=channel,
                    text=data["text"],
                    media=data["media"],
                    reply_to=data.get("reply_to") or "",
                    title=data.get("title") or "",
                    scheduled_at=data.get("scheduled_at"),
                )
            except services.DraftError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Your draft has been saved and checked.")
                return redirect("drafts:detail", pk=draft.pk)
    return _form_page(request, form, None)


@require_member
@require_http_methods(["GET", "POST"])
def draft_edit_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    draft = selectors.draft_get(for_user=user, pk=pk)
    if not services.can_edit(user, draft):
        raise PermissionDenied
    current = draft.current
    assert current is not None
    channels = _channel_choices(user, active_only=True)
    if draft.channel_id not in {c for c, _ in channels}:
        channels.insert(0, (draft.channel_id, str(draft.channel)))
    initial = {
        "channel": draft.channel_id,
        "title": draft.title,
        "text": current.text,
        "reply_to": draft.reply_to,
        "scheduled_at": draft.scheduled_at,
    }
    form = DraftForm(request.POST or None, channels=channels, initial=initial, attachments=list(current.media or []))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        channel = channel_list(for_user=user).filter(pk=data["channel"]).first()
        if channel is None:
            form.add_error("channel", "Choose a channel")
        else:
            try:
                services.draft_update(
                    actor=user,
                    draft=draft,
                    text=data["text"],
                    media=data["media"],
                    title=data.get("title") or "",
                    reply_to=data.get("reply_to") or "",
                    scheduled_at=data.get("scheduled_at"),
                    channel=channel,
                )
            except services.DraftError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Your changes have been saved as a new revision and checked.")
                return redirect("drafts:detail", pk=draft.pk)
    return _form_page(request, form, draft)


# --------------------------------------------------------------------------- detail


@require_member
@require_http_methods(["GET"])
def draft_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    draft = selectors.draft_get(for_user=user, pk=pk)
    revisions = list(selectors.revision_list(draft=draft))
    shown = revisions[0] if revisions else None
    wanted = request.GET.get("revision", "")
    if wanted.isdigit():
        shown = next((r for r in revisions if r.number == int(wanted)), shown)
    history = AuditEvent.objects.filter(
        subject_type="draft", subject_id=str(draft.pk), agency_id=user.agency_id
    ).order_by("-seq")[:50]
    return render(
        request,
        "drafts/detail.html",
        {
            "draft": draft,
            "revision": shown,
            "is_current": shown is not None and revisions and shown.number == revisions[0].number,
            "result": explain(shown.review) if shown else None,
            "revisions": [(r, explain(r.review)) for r in revisions],
            "approvals": list(selectors.approval_list(draft=draft)),
            "actions": services.allowed_actions(user, draft),
            "reason_text": dict(ApprovalReason.choices).get(draft.approval_reason, ""),
            "manual": adapters.adapter_for_draft(draft).manual,
            "history": history,
        },
    )


# --------------------------------------------------------------------------- actions


def _draft_for(request: HttpRequest, pk: int, action: str) -> tuple[User, Draft]:
    """The draft, when the user may take ``action`` on it now; 403 otherwise (404 for other agencies)."""
    user = _user(request)
    draft = selectors.draft_get(for_user=user, pk=pk)
    if action not in services.allowed_actions(user, draft):
        raise PermissionDenied
    return user, draft


def _run(
    request: HttpRequest, draft: Draft, call: Callable[[], Any], success: Callable[[], str]
) -> HttpResponseBase | None:
    """Run a service; on success redirect to the draft with a message, on a DraftError return None
    after putting its message on the form (the caller re-renders) or the page."""
    try:
        call()
    except services.DraftError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success())
    return redirect("drafts:detail", pk=draft.pk)


def _submitted_message(draft: Draft) -> str:
    draft.refresh_from_db()
    if draft.state == State.AWAITING_APPROVAL:
        return f"Your draft has been sent for approval. {dict(ApprovalReason.choices).get(draft.approval_reason, '')}."
    if draft.state == State.SCHEDULED:
        return "Your draft is scheduled for " + timezone.localtime(draft.scheduled_at).strftime("%-d %b %Y %H:%M") + "."
    return "Your draft is ready to publish."


@require_member
@require_http_methods(["POST"])
def draft_submit_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, draft = _draft_for(request, pk, "submit")
    response = _run(
        request, draft, lambda: services.draft_submit(actor=user, draft=draft), lambda: _submitted_message(draft)
    )
    return response or redirect("drafts:detail", pk=draft.pk)


def _decision_page(request: HttpRequest, template: str, draft: Draft, form: Any) -> HttpResponse:
    current = draft.current
    return render(
        request,
        template,
        {"draft": draft, "form": form, "revision": current, "result": explain(current.review) if current else None},
        status=400 if form.errors else 200,
    )


def _form_error(form: Any, field: str, exc: services.DraftError) -> None:
    form.add_error(field if field in form.fields else None, exc.message)


@require_member
@require_http_methods(["GET", "POST"])
def draft_approve_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, draft = _draft_for(request, pk, "approve")
    current = draft.current
    override = draft.needs_override or (current is not None and current.worst == "block")
    form = ApproveForm(request.POST or None, override=override)
    if request.method == "POST" and form.is_valid():
        try:
            approval = services.draft_approve(approver=user, draft=draft, reason=form.cleaned_data.get("reason") or "")
        except services.DraftError as exc:
            _form_error(form, "reason", exc)
        else:
            verb = "approved with an override" if approval.decision == "overridden" else "approved"
            messages.success(request, f"You have {verb} the draft.")
            return redirect("drafts:detail", pk=draft.pk)
    return _decision_page(request, "drafts/approve.html", draft, form)


@require_member
@require_http_methods(["GET", "POST"])
def draft_return_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, draft = _draft_for(request, pk, "return")
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_return(approver=user, draft=draft, comments=form.cleaned_data["comments"])
        except services.DraftError as exc:
            _form_error(form, "comments", exc)
        else:
            messages.success(request, "The draft has been returned to its author with your comments.")
            return redirect("drafts:detail", pk=draft.pk)
    return _decision_page(request, "drafts/return.html", draft, form)


@require_member
@require_http_methods(["GET", "POST"])
def draft_publish_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, draft = _draft_for(request, pk, "publish")
    adapter = adapters.adapter_for_draft(draft)
    form = PublishForm(request.POST or None, manual=adapter.manual)
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_publish(actor=user, draft=draft, url=form.cleaned_data.get("url") or None)
        except services.DraftError as exc:
            _form_error(form, "url", exc)
        else:
            messages.success(request, "The post has been published and recorded.")
            return redirect("drafts:detail", pk=draft.pk)
    return _decision_page(request, "drafts/publish.html", draft, form)


@require_member
@require_http_methods(["GET", "POST"])
def draft_withdraw_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, draft = _draft_for(request, pk, "withdraw")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_withdraw(actor=user, draft=draft, reason=form.cleaned_data.get("reason") or "")
        except services.DraftError as exc:
            _form_error(form, "reason", exc)
        else:
            messages.success(request, "The draft has been withdrawn. It stays on record.")
            return redirect("drafts:detail", pk=draft.pk)
    return _decision_page(request, "drafts/withdraw.html", draft, form)
