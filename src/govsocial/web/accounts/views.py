"""Signing in and out (with the optional two-factor code step), your account, two-factor set-up,
API tokens, and user and role management for administrators. Thin: forms validate, services write,
selectors read."""

from __future__ import annotations

import time
from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from markupsafe import Markup

from govsocial.web import errors
from govsocial.web.accounts import selectors, services
from govsocial.web.accounts.forms import (
    ROLE_HINTS,
    ApiTokenForm,
    CodeForm,
    LoginForm,
    PasswordChangeForm,
    ReasonForm,
    UserCreateForm,
    UserRolesForm,
)
from govsocial.web.accounts.models import Agency, Role, User
from govsocial.web.accounts.permissions import USER_MANAGERS, require_member, require_role

PENDING_KEY = "gs_two_factor_pending"
PENDING_SECONDS = 300


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """django-axes calls this when sign-in is locked (AXES_LOCKOUT_CALLABLE)."""
    hours = float(getattr(settings, "AXES_COOLOFF_TIME", 0) or 0)
    return errors.locked_out(request, cooloff_minutes=max(1, round(hours * 60)) if hours else None)


def _next_url(request: HttpRequest, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponseBase:
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            form.add_error(None, "Enter a correct username and password. Both are case-sensitive.")
        elif user_has_device(user, confirmed=True):
            request.session.cycle_key()
            request.session[PENDING_KEY] = {
                "user_id": user.pk,
                "username": username,
                "backend": user.backend,
                "next": next_url,
                "at": time.time(),
            }
            return redirect("accounts:login_code")
        else:
            login(request, user)
            return HttpResponseRedirect(next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
def login_code_view(request: HttpRequest) -> HttpResponseBase:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, "Sign in again: the code step timed out.")
        return redirect("accounts:login")
    credentials = {"username": pending["username"]}
    if AxesProxyHandler.is_locked(request, credentials):
        request.session.pop(PENDING_KEY, None)
        return locked_out(request)
    user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return HttpResponseRedirect(pending.get("next") or "/")
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            request.session.pop(PENDING_KEY, None)
            return locked_out(request)
        form.add_error("code", "The code is not right. Check the app and enter the code it shows now.")
    return render(request, "accounts/login_code.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponseBase:
    if request.method == "POST":
        logout(request)
        messages.success(request, "You have signed out.")
        return redirect("accounts:login")
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return render(request, "accounts/logout.html", {})


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _agency(user: User) -> Agency:
    agency: Agency | None = user.agency
    assert agency is not None  # views are behind require_member/require_role
    return agency


@require_member
@require_http_methods(["GET"])
def profile_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "accounts/profile.html",
        {
            "account": user,
            "role_labels": [Role(r).label for r in user.roles if r in Role.values],
            "teams": list(user.teams.order_by("name")),
            "two_factor": user_has_device(user, confirmed=True),
        },
    )


@sensitive_post_parameters("current", "new")
@require_member
@require_http_methods(["GET", "POST"])
def password_view(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    form = PasswordChangeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(actor=user, user=user, password=form.cleaned_data["new"])
        update_session_auth_hash(request, user)
        messages.success(request, "Your password has been changed.")
        return redirect("accounts:profile")
    return render(request, "accounts/password.html", {"form": form})


def _qr_svg(config_url: str) -> Markup:
    svg = segno.make(config_url, error="m").svg_inline(
        scale=4, border=2, dark="#0b0c0c", light="#ffffff", omitsize=True
    )
    # segno writes only the QR modules as a path: no user-supplied text reaches the markup.
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1))


@require_member
@require_http_methods(["GET", "POST"])
def two_factor_view(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    device = services.two_factor_device(user=user)
    if device.confirmed:
        return render(request, "accounts/two_factor.html", {"confirmed": True, "form": CodeForm()})
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.two_factor_confirm(user=user, device=device, token=form.cleaned_data["code"]):
            otp_login(request, device)
            messages.success(
                request, "Two-factor sign-in is on. You will need a code from the app each time you sign in."
            )
            return redirect("accounts:profile")
        form.add_error("code", "The code is not right. Check the app's clock and enter the code it shows now.")
    return render(
        request,
        "accounts/two_factor.html",
        {
            "confirmed": False,
            "form": form,
            "qr": _qr_svg(device.config_url),
            "secret": services.two_factor_secret(device),
        },
    )


@require_member
@require_POST
def two_factor_disable_view(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    form = CodeForm(request.POST)
    if form.is_valid() and match_token(user, form.cleaned_data["code"]) is not None:
        services.two_factor_disable(actor=user, user=user)
        messages.success(request, "Two-factor sign-in is off.")
        return redirect("accounts:profile")
    if form.is_valid():
        form.add_error("code", "The code is not right. Enter the code the app shows now.")
    return render(request, "accounts/two_factor.html", {"confirmed": True, "form": form}, status=400)


@require_member
@require_http_methods(["GET", "POST"])
def tokens_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ApiTokenForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _token, new_key = services.api_token_create(user=user, name=form.cleaned_data["name"])
            form = ApiTokenForm()
        else:
            status = 400
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": selectors.api_token_list(for_user=user), "new_key": new_key},
        status=status,
    )


@require_member
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    token = selectors.api_token_get(for_user=user, pk=pk)
    services.api_token_revoke(actor=user, token=token)
    messages.success(request, f"Token “{token.name}” has been revoked.")
    return redirect("accounts:tokens")


# Administrators: users and roles -------------------------------------------------------------


@require_role(*USER_MANAGERS)
@require_http_methods(["GET"])
def users_view(request: HttpRequest) -> HttpResponse:
    role = request.GET.get("role", "")
    status = request.GET.get("status", "")
    filters: dict[str, Any] = {"q": request.GET.get("q", "")}
    if role in Role.values:
        filters["role"] = role
    if status in ("active", "inactive"):
        filters["active"] = status == "active"
    users = selectors.user_list(for_user=request.user, filters=filters)
    return render(
        request,
        "accounts/users.html",
        {
            "users": users,
            "roles": list(Role),
            "role": role,
            "status": status,
            "q": filters["q"],
            "role_label": dict(Role.choices),
        },
    )


def _apply_validation_error(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@sensitive_post_parameters("password")
@require_role(*USER_MANAGERS)
@require_http_methods(["GET", "POST"])
def user_create_view(request: HttpRequest) -> HttpResponseBase:
    actor = _user(request)
    teams = selectors.team_list(for_user=actor)
    form = UserCreateForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.user_create(
                actor=actor,
                agency=_agency(actor),
                username=data["username"],
                password=data["password"],
                display_name=data["display_name"],
                email=data["email"],
                roles=data["roles"],
                teams=data["teams"],
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, f"{created.label} has been added.")
            return redirect("accounts:user_edit", pk=created.pk)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "creating": True, "role_hints": ROLE_HINTS},
        status=400 if form.errors else 200,
    )


@require_role(*USER_MANAGERS)
@require_http_methods(["GET", "POST"])
def user_edit_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor = _user(request)
    subject = selectors.user_get(for_user=actor, pk=pk)
    teams = selectors.team_list(for_user=actor)
    initial = {
        "display_name": subject.display_name,
        "email": subject.email,
        "roles": subject.roles,
        "teams": list(subject.teams.all()),
    }
    form = UserRolesForm(request.POST or None, initial=initial, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.user_update_profile(
                    actor=actor, user=subject, display_name=data["display_name"], email=data["email"]
                )
                services.user_set_roles(actor=actor, user=subject, roles=data["roles"])
                services.user_set_teams(actor=actor, user=subject, teams=data["teams"])
        except ValidationError as exc:
            subject.refresh_from_db()
            _apply_validation_error(form, exc)
        else:
            messages.success(request, f"Changes to {subject.label} have been saved.")
            return redirect("accounts:user_edit", pk=subject.pk)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "creating": False,
            "subject": subject,
            "role_hints": ROLE_HINTS,
            "reason_form": ReasonForm(),
            "two_factor": user_has_device(subject, confirmed=True),
        },
        status=400 if form.errors else 200,
    )


@require_role(*USER_MANAGERS)
@require_POST
def user_active_view(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    actor = _user(request)
    subject = selectors.user_get(for_user=actor, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if action == "deactivate":
            services.user_deactivate(actor=actor, user=subject, reason=reason)
            messages.success(request, f"{subject.label} has been deactivated and their API tokens revoked.")
        elif action == "reactivate":
            services.user_reactivate(actor=actor, user=subject, reason=reason)
            messages.success(request, f"{subject.label} has been reactivated.")
        elif action == "reset-two-factor":
            services.two_factor_disable(actor=actor, user=subject, reason=reason)
            messages.success(request, f"Two-factor sign-in for {subject.label} has been reset.")
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return HttpResponseRedirect(reverse("accounts:user_edit", kwargs={"pk": subject.pk}))
