"""The "check a post" page: a form whose findings update as you type (HTMX posts the form to the
partial endpoint) and which works as a plain form without JavaScript. Checking stores nothing; the
person may save the post as a draft for a channel ("Save as a draft")."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from govsocial.web.accounts.models import User
from govsocial.web.accounts.permissions import is_member, require_member
from govsocial.web.channels.selectors import channel_list
from govsocial.web.drafts.services import DraftError, can_create_draft, draft_create
from govsocial.web.review.forms import CheckForm
from govsocial.web.review.services import CheckError, Explained, check_post, explain, pack_choices


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _form(request: HttpRequest, user: User) -> CheckForm:
    channels = (
        [(c.pk, str(c)) for c in channel_list(for_user=user, filters={"active": True})]
        if can_create_draft(user)
        else []
    )
    return CheckForm(request.POST or None, packs=pack_choices(for_user=user), channels=channels)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] if message else message


def _check(form: CheckForm, user: User) -> tuple[Explained | None, str]:
    """The explained review of a valid form, or an error message."""
    try:
        result = check_post(for_user=user, document=form.document(), pack=form.cleaned_data.get("pack"))
    except CheckError as exc:
        return None, _sentence(str(exc))
    return explain(result), ""


def _context(form: CheckForm, user: User, result: Explained | None, error: str) -> dict[str, Any]:
    return {
        "form": form,
        "result": result,
        "error": error,
        "can_save": can_create_draft(user) and bool(form.fields["channel"].choices[1:]),
    }


@require_member
@require_http_methods(["GET", "POST"])
def check_view(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    form = _form(request, user)
    result: Explained | None = None
    error = ""
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "save":
            channel_id = form.cleaned_data.get("channel")
            channel = (
                channel_list(for_user=user, filters={"active": True}).filter(pk=channel_id).first()
                if channel_id
                else None
            )
            if channel is None:
                form.add_error("channel", "Choose the channel the draft is for")
            else:
                try:
                    draft = draft_create(
                        author=user,
                        channel=channel,
                        text=form.cleaned_data["text"],
                        media=form.cleaned_data["media"],
                        reply_to=form.cleaned_data.get("reply_to") or "",
                    )
                except DraftError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(
                        request, "Your post has been saved as a draft and checked against the channel’s pack."
                    )
                    return redirect("drafts:detail", pk=draft.pk)
        if not form.errors:
            result, error = _check(form, user)
    status = 400 if form.errors else 200
    return render(request, "review/check.html", _context(form, user, result, error), status=status)


@require_http_methods(["POST"])
def check_partial_view(request: HttpRequest) -> HttpResponseBase:
    """The findings fragment for HTMX. Always 200 (HTMX swaps only successful responses); an
    expired session sends the browser to the sign-in page."""
    if not request.user.is_authenticated:
        if request.headers.get("HX-Request"):
            login = reverse("accounts:login") + "?next=" + reverse("review:check")
            return HttpResponse(status=204, headers={"HX-Redirect": login})
        return redirect_to_login(reverse("review:check"))
    if not is_member(request.user):
        return HttpResponse(status=403)
    user = _user(request)
    form = _form(request, user)
    result: Explained | None = None
    error = ""
    empty = not (request.POST.get("text") or "").strip()
    if not empty and form.is_valid():
        result, error = _check(form, user)
    elif not empty:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return render(request, "review/_results.html", {"result": result, "error": error, "empty": empty})
