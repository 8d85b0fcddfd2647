"""The channel register pages: list and detail for members; add and edit for comms managers and
administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from govsocial.web.accounts import selectors as account_selectors
from govsocial.web.accounts.models import User
from govsocial.web.accounts.permissions import CHANNEL_MANAGERS, can_manage_channels, require_member, require_role
from govsocial.web.audit.selectors import audit_event_list
from govsocial.web.channels import selectors, services
from govsocial.web.channels.forms import ChannelForm
from govsocial.web.channels.models import Platform


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_member
@require_http_methods(["GET"])
def channel_list_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    platform = request.GET.get("platform", "")
    show = request.GET.get("show", "active")
    filters: dict[str, Any] = {"q": request.GET.get("q", "")}
    if platform in Platform.values:
        filters["platform"] = platform
    if show != "all":
        filters["active"] = True
    channels = selectors.channel_list(for_user=user, filters=filters).prefetch_related("publishers")
    return render(
        request,
        "channels/list.html",
        {
            "channels": channels,
            "platforms": Platform.choices,
            "platform": platform,
            "show": show,
            "q": filters["q"],
            "can_manage": can_manage_channels(user),
        },
    )


@require_member
@require_http_methods(["GET"])
def channel_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    channel = selectors.channel_get(for_user=user, pk=pk)
    history = audit_event_list(for_user=user, filters={"subject_type": "channel", "subject_id": channel.pk})[:20]
    # The monitoring section: the inbox's connectors of this channel, with their health.
    from govsocial.web.inbox.views import connector_rows

    return render(
        request,
        "channels/detail.html",
        {
            "channel": channel,
            "publishers": list(channel.publishers.order_by("username")),
            "can_manage": can_manage_channels(user),
            "history": history,
            "connectors": connector_rows(user, channel),
        },
    )


def _form(request: HttpRequest, user: User, **kwargs: Any) -> ChannelForm:
    return ChannelForm(
        request.POST or None,
        teams=account_selectors.team_list(for_user=user),
        people=account_selectors.agency_members(for_user=user),
        **kwargs,
    )


def _values(form: ChannelForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {key: data[key] for key in services.CHANNEL_FIELDS}


@require_role(*CHANNEL_MANAGERS)
@require_http_methods(["GET", "POST"])
def channel_create_view(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    form = _form(request, user)
    if request.method == "POST" and form.is_valid():
        try:
            agency = user.agency
            assert agency is not None  # require_role checks membership
            channel = services.channel_create(actor=user, agency=agency, **_values(form))
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Channel “{channel.name}” has been added.")
            return redirect("channels:detail", pk=channel.pk)
    return render(request, "channels/form.html", {"form": form, "channel": None}, status=400 if form.errors else 200)


@require_role(*CHANNEL_MANAGERS)
@require_http_methods(["GET", "POST"])
def channel_edit_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    channel = selectors.channel_get(for_user=user, pk=pk)
    initial = {key: getattr(channel, key) for key in services.CHANNEL_FIELDS if key != "publishers"}
    initial["publishers"] = list(channel.publishers.all())
    form = _form(request, user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_update(actor=user, channel=channel, **_values(form))
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Changes to “{form.cleaned_data['name']}” have been saved.")
            return redirect("channels:detail", pk=channel.pk)
    return render(request, "channels/form.html", {"form": form, "channel": channel}, status=400 if form.errors else 200)
