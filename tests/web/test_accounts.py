"""Signing in and out, lockout, two-factor, user and role management, API tokens, permissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from govsocial.web.accounts import permissions, services
from govsocial.web.accounts.models import ApiToken, User
from govsocial.web.audit.models import AuditEvent
from govsocial.web.audit.services import verify_chain

PASSWORD = "correct-horse-battery-staple-9"  # the conftest's users' password (see the ``password`` fixture)
pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _events(action: str, subject_id: Any = None) -> list[AuditEvent]:
    qs = AuditEvent.objects.filter(action=action)
    if subject_id is not None:
        qs = qs.filter(subject_id=str(subject_id))
    return list(qs.order_by("seq"))


def _code(device: TOTPDevice, *, drift: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + drift)
    return f"{totp.token():0{device.digits}d}"


def _signed_in_user(client: Client) -> Any:
    from django.contrib.auth import get_user

    return get_user(client)


# Signing in and out ---------------------------------------------------------------------------


def test_when_anonymous_opens_login_page_then_a_govuk_form_with_csrf_field_is_shown() -> None:
    response = Client().get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'class="govuk-input' in html and 'autocomplete="current-password"' in html
    assert "govuk-crest" not in html and "GDS Transport" not in html


def test_when_password_is_right_then_user_is_signed_in_and_sent_to_next(users: dict[str, Any]) -> None:
    client = Client()
    response = client.post(LOGIN, {"username": "officer", "password": PASSWORD, "next": "/channels/"})
    assert response.status_code == 302 and response["Location"] == "/channels/"
    assert _signed_in_user(client).pk == users["officer"].pk


def test_when_next_points_to_another_site_then_it_is_ignored(users: dict[str, Any]) -> None:
    response = Client().post(LOGIN, {"username": "officer", "password": PASSWORD, "next": "https://evil.example/phish"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_when_password_is_wrong_then_an_error_summary_is_shown_and_nobody_is_signed_in(users: dict[str, Any]) -> None:
    client = Client()
    response = client.post(LOGIN, {"username": "officer", "password": "not the password"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "Enter a correct username and password" in html
    assert not _signed_in_user(client).is_authenticated


def test_when_fields_are_empty_then_each_has_an_error_message() -> None:
    html = Client().post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert "Enter your username" in html and "Enter your password" in html


def test_when_user_is_deactivated_then_they_cannot_sign_in(users: dict[str, Any]) -> None:
    services.user_deactivate(actor=users["admin"], user=users["officer"])
    client = Client()
    client.post(LOGIN, {"username": "officer", "password": PASSWORD})
    assert not _signed_in_user(client).is_authenticated


def test_when_signing_out_by_get_then_a_confirmation_is_asked_and_post_signs_out(clients: dict[str, Client]) -> None:
    client = clients["officer"]
    response = client.get("/accounts/logout/")
    assert response.status_code == 200 and _signed_in_user(client).is_authenticated
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert not _signed_in_user(client).is_authenticated


def test_when_anonymous_opens_a_member_page_then_they_are_sent_to_sign_in() -> None:
    response = Client().get("/accounts/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN + "?next=")


def test_when_a_form_is_posted_without_csrf_token_then_it_is_refused_with_the_expired_page(
    users: dict[str, Any],
) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "officer", "password": PASSWORD})
    assert response.status_code == 403
    assert "Your form expired" in response.content.decode()
    assert not _signed_in_user(client).is_authenticated


def test_when_signed_in_then_pages_use_the_agency_colour_and_no_govuk_crest(
    clients: dict[str, Client], agency: Any
) -> None:
    html = clients["officer"].get("/accounts/").content.decode()
    assert f"--agency-colour: {agency.colour}" in html
    assert "Te Manatū Whakamātautau" in html
    assert "govuk-header__logotype" not in html and "govuk-crest" not in html and "Crown copyright" not in html


# Lockout (django-axes) -------------------------------------------------------------------------


def test_when_a_username_fails_five_times_then_even_the_right_password_is_locked_out(
    users: dict[str, Any], settings: Any
) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": "officer", "password": "wrong password"}, REMOTE_ADDR="10.0.0.1")
    response = Client().post(LOGIN, {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    assert "Try again in 15 minutes" in response.content.decode()


def test_when_one_address_fails_for_many_usernames_then_that_address_is_locked_out(users: dict[str, Any]) -> None:
    client = Client()
    for name in ("officer", "approver", "moderator", "admin", "records-manager"):
        client.post(LOGIN, {"username": name, "password": "wrong password"}, REMOTE_ADDR="10.0.0.2")
    locked = Client().post(LOGIN, {"username": "officer-2", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert locked.status_code == 429
    elsewhere = Client().post(LOGIN, {"username": "officer-2", "password": PASSWORD}, REMOTE_ADDR="10.0.0.3")
    assert elsewhere.status_code == 302


def test_when_failures_stay_below_the_limit_then_a_success_resets_them(users: dict[str, Any]) -> None:
    for _ in range(4):
        Client().post(LOGIN, {"username": "officer", "password": "wrong"}, REMOTE_ADDR="10.0.0.4")
    assert (
        Client().post(LOGIN, {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="10.0.0.4").status_code == 302
    )
    for _ in range(4):
        Client().post(LOGIN, {"username": "officer", "password": "wrong"}, REMOTE_ADDR="10.0.0.4")
    assert (
        Client().post(LOGIN, {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="10.0.0.4").status_code == 302
    )


def test_when_behind_a_trusted_proxy_then_lockout_uses_the_forwarded_client_address(settings: Any, rf: Any) -> None:
    from govsocial.web.accounts.security import client_ip

    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert client_ip(request) == "10.1.1.1"
    settings.GOVSOCIAL_TRUSTED_PROXIES = 1
    assert client_ip(request) == "198.51.100.7"


# Two-factor sign-in (django-otp TOTP) ---------------------------------------------------------


def _enable_two_factor(client: Client, user: User) -> TOTPDevice:
    page = client.get("/accounts/two-factor/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'aria-label="QR code for your authenticator app"' in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert services.two_factor_secret(device).replace(" ", "") in html.replace(" ", "")
    response = client.post("/accounts/two-factor/", {"code": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_when_two_factor_is_set_up_with_a_wrong_code_then_it_stays_off(
    clients: dict[str, Client], users: dict[str, Any]
) -> None:
    client = clients["officer"]
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=users["officer"])
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/two-factor/", {"code": wrong})
    assert response.status_code == 200 and "The code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not _events("user.two_factor_enabled")


def test_when_two_factor_is_on_then_sign_in_needs_the_code_step(
    clients: dict[str, Client], users: dict[str, Any]
) -> None:
    user = users["officer"]
    device = _enable_two_factor(clients["officer"], user)
    assert [e.subject_id for e in _events("user.two_factor_enabled")] == [str(user.pk)]

    client = Client()
    response = client.post(LOGIN, {"username": "officer", "password": PASSWORD, "next": "/channels/"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login_code")
    assert not _signed_in_user(client).is_authenticated
    assert client.get("/accounts/").status_code == 302  # still signed out

    device.refresh_from_db()
    response = client.post(reverse("accounts:login_code"), {"code": _code(device, drift=1)})
    assert response.status_code == 302 and response["Location"] == "/channels/"
    signed_in = _signed_in_user(client)
    assert signed_in.pk == user.pk
    assert client.session.get("otp_device_id") == device.persistent_id


def test_when_the_code_step_fails_repeatedly_then_the_account_locks(
    clients: dict[str, Client], users: dict[str, Any]
) -> None:
    device = _enable_two_factor(clients["officer"], users["officer"])
    client = Client()
    client.post(LOGIN, {"username": "officer", "password": PASSWORD})
    wrong = f"{(int(_code(device)) + 500_000) % 1_000_000:06d}"
    statuses = [client.post(reverse("accounts:login_code"), {"code": wrong}).status_code for _ in range(5)]
    assert statuses[:4] == [200, 200, 200, 200] and statuses[4] == 429
    device.refresh_from_db()
    # Locked: the right password (and so the code step) is refused.
    response = Client().post(LOGIN, {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429


def test_when_code_step_is_opened_without_a_password_first_then_it_goes_back_to_sign_in() -> None:
    response = Client().get(reverse("accounts:login_code"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")


def test_when_two_factor_is_turned_off_then_a_code_is_needed_and_it_is_audited(
    clients: dict[str, Client], users: dict[str, Any]
) -> None:
    client = clients["officer"]
    device = _enable_two_factor(client, users["officer"])
    assert (
        client.post(
            "/accounts/two-factor/turn-off/", {"code": "000000" if _code(device) != "000000" else "111111"}
        ).status_code
        == 400
    )
    assert TOTPDevice.objects.filter(user=users["officer"], confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows retries after a wrong code; the person waits
    response = client.post("/accounts/two-factor/turn-off/", {"code": _code(device, drift=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=users["officer"]).exists()
    assert _events("user.two_factor_disabled", users["officer"].pk)


def test_when_admin_resets_someones_two_factor_then_it_is_removed_and_audited(
    clients: dict[str, Client], users: dict[str, Any]
) -> None:
    _enable_two_factor(clients["officer"], users["officer"])
    response = clients["admin"].post(
        f"/accounts/users/{users['officer'].pk}/reset-two-factor/", {"reason": "lost phone"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=users["officer"]).exists()
    (event,) = _events("user.two_factor_disabled", users["officer"].pk)
    assert event.actor_id == users["admin"].pk and event.reason == "lost phone"


# User and role management ----------------------------------------------------------------------


def test_when_admin_changes_roles_then_the_change_and_the_audit_event_are_saved_together(
    clients: dict[str, Client], users: dict[str, Any], team: Any
) -> None:
    officer = users["officer"]
    response = clients["admin"].post(
        f"/accounts/users/{officer.pk}/",
        {"display_name": "Test officer", "email": "", "roles": ["officer", "approver"], "teams": [team.pk]},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.roles == ["officer", "approver"]
    (event,) = _events("user.roles_changed", officer.pk)
    assert event.old == {"roles": ["officer"]} and event.new == {"roles": ["officer", "approver"]}
    assert event.actor_id == users["admin"].pk and event.agency_id == officer.agency_id
    assert verify_chain()[1] is None


def test_when_roles_do_not_change_then_no_event_is_written(users: dict[str, Any]) -> None:
    before = AuditEvent.objects.count()
    services.user_set_roles(actor=users["admin"], user=users["officer"], roles=["officer"])
    assert AuditEvent.objects.count() == before


def test_when_the_audit_write_fails_then_the_role_change_is_rolled_back(
    users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.user_set_roles(actor=users["admin"], user=users["officer"], roles=["admin"])
    assert User.objects.get(pk=users["officer"].pk).roles == ["officer"]


def test_when_admin_removes_their_own_admin_role_then_it_is_refused(
    clients: dict[str, Client], users: dict[str, Any]
) -> None:
    admin = users["admin"]
    response = clients["admin"].post(
        f"/accounts/users/{admin.pk}/", {"display_name": "x", "email": "", "roles": ["officer"]}
    )
    assert response.status_code == 400
    assert "cannot remove your own administrator role" in response.content.decode()
    admin.refresh_from_db()
    assert admin.roles == ["admin"] and admin.display_name == "Test admin"


def test_when_a_role_is_unknown_then_the_service_refuses_it(users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        services.user_set_roles(actor=users["admin"], user=users["officer"], roles=["superuser"])


@pytest.mark.parametrize("role", ["officer", "approver", "moderator", "comms_manager", "records_manager"])
def test_when_a_non_admin_opens_user_management_then_it_is_forbidden(
    role: str, clients: dict[str, Client], users: dict[str, Any]
) -> None:
    client = clients[role]
    assert client.get("/accounts/users/").status_code == 403
    assert client.post(f"/accounts/users/{users['officer'].pk}/", {"roles": ["admin"]}).status_code == 403
    assert client.post(f"/accounts/users/{users['officer'].pk}/deactivate/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.user_set_roles(actor=users[role], user=users["officer"], roles=["admin"])


def test_when_an_admin_of_another_agency_acts_on_a_user_then_it_is_not_found(
    outsider: Any, users: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(outsider)
    assert client.get(f"/accounts/users/{users['officer'].pk}/").status_code == 404
    assert client.post(f"/accounts/users/{users['officer'].pk}/deactivate/").status_code == 404
    assert users["officer"].display_name not in client.get("/accounts/users/").content.decode()
    with pytest.raises(PermissionDenied):
        services.user_set_roles(actor=outsider, user=users["officer"], roles=["admin"])


def test_when_admin_deactivates_a_user_then_sessions_and_tokens_stop_working(
    clients: dict[str, Client], users: dict[str, Any]
) -> None:
    officer = users["officer"]
    _token, key = services.api_token_create(user=officer, name="script")
    assert services.api_token_authenticate(key=key) == officer
    response = clients["admin"].post(f"/accounts/users/{officer.pk}/deactivate/", {"reason": "left the agency"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert services.api_token_authenticate(key=key) is None
    assert clients["officer"].get("/accounts/").status_code == 302  # the open session no longer counts
    (event,) = _events("user.deactivated", officer.pk)
    assert event.reason == "left the agency" and event.new["is_active"] is False

    clients["admin"].post(f"/accounts/users/{officer.pk}/reactivate/")
    officer.refresh_from_db()
    assert officer.is_active and _events("user.reactivated", officer.pk)


def test_when_admin_deactivates_themselves_then_it_is_refused(
    clients: dict[str, Client], users: dict[str, Any]
) -> None:
    clients["admin"].post(f"/accounts/users/{users['admin'].pk}/deactivate/")
    users["admin"].refresh_from_db()
    assert users["admin"].is_active


def test_when_admin_adds_a_user_then_they_can_sign_in_and_it_is_audited(
    clients: dict[str, Client], team: Any, agency: Any
) -> None:
    response = clients["admin"].post(
        "/accounts/users/new/",
        {
            "username": "new.person",
            "display_name": "New Person",
            "email": "new@example.org",
            "password": "a-long-first-password-42",
            "roles": ["officer"],
            "teams": [team.pk],
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="new.person")
    assert created.agency == agency and created.roles == ["officer"] and list(created.teams.all()) == [team]
    (event,) = _events("user.created", created.pk)
    assert "password" not in str(event.new) and "a-long-first-password-42" not in str(event.new)
    assert Client().post(LOGIN, {"username": "new.person", "password": "a-long-first-password-42"}).status_code == 302


def test_when_admin_adds_a_user_with_a_weak_password_then_the_form_says_why(clients: dict[str, Client]) -> None:
    response = clients["admin"].post(
        "/accounts/users/new/", {"username": "weak", "password": "password", "roles": ["officer"]}
    )
    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


def test_when_admin_filters_users_by_role_then_only_holders_are_listed(clients: dict[str, Client]) -> None:
    html = clients["admin"].get("/accounts/users/?role=approver").content.decode()
    assert "Test approver" in html and "Test moderator" not in html


def test_when_user_changes_their_password_then_the_old_one_stops_working(
    clients: dict[str, Client], users: dict[str, Any]
) -> None:
    client = clients["officer"]
    assert (
        client.post("/accounts/password/", {"current": "wrong", "new": "another-long-password-77"}).status_code == 200
    )
    response = client.post("/accounts/password/", {"current": PASSWORD, "new": "another-long-password-77"})
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 200  # still signed in
    assert _events("user.password_set", users["officer"].pk)
    assert Client().post(LOGIN, {"username": "officer", "password": PASSWORD}).status_code == 200


# API tokens ----------------------------------------------------------------------------------


def test_when_a_token_is_created_then_it_is_shown_once_and_only_its_hash_is_stored(
    clients: dict[str, Client], users: dict[str, Any]
) -> None:
    client = clients["officer"]
    html = client.post("/accounts/tokens/", {"name": "publishing script"}).content.decode()
    token = ApiToken.objects.get(user=users["officer"])
    start = html.index('id="new-token-value">') + len('id="new-token-value">')
    key = html[start : html.index("<", start)]
    assert key.startswith("gs_") and len(key) > 40
    assert token.key_hash == ApiToken.hash_key(key) and key not in (token.key_hash, token.prefix)
    assert key not in client.get("/accounts/tokens/").content.decode()
    assert services.api_token_authenticate(key=key) == users["officer"]
    (event,) = _events("api_token.created", token.pk)
    assert key not in str(event.new)


def test_when_a_token_is_revoked_then_it_stops_working_and_it_is_audited(
    clients: dict[str, Client], users: dict[str, Any]
) -> None:
    token, key = services.api_token_create(user=users["officer"], name="old script")
    response = clients["officer"].post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert services.api_token_authenticate(key=key) is None
    assert _events("api_token.revoked", token.pk)


def test_when_someone_else_revokes_your_token_then_it_is_not_found(
    clients: dict[str, Client], users: dict[str, Any]
) -> None:
    token, key = services.api_token_create(user=users["officer"], name="mine")
    assert clients["officer2"].post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert services.api_token_authenticate(key=key) == users["officer"]


@pytest.mark.parametrize("key", ["", "gs_", "gs_unknown-token", "Bearer x", "x" * 500])
def test_when_a_token_is_unknown_then_nobody_is_authenticated(key: str, users: dict[str, Any]) -> None:
    assert services.api_token_authenticate(key=key) is None


# Permission helpers --------------------------------------------------------------------------


def test_when_objects_belong_to_another_agency_then_same_agency_is_false(
    users: dict[str, Any], outsider: Any, agency: Any, channel: Any
) -> None:
    officer = users["officer"]
    assert permissions.same_agency(officer, agency) and permissions.same_agency(officer, channel)
    assert not permissions.same_agency(outsider, channel) and not permissions.same_agency(officer, outsider)
    assert not permissions.same_agency(None, channel)


def test_when_checking_who_may_publish_then_listed_publishers_and_comms_managers_may(
    users: dict[str, Any], outsider: Any, channel: Any
) -> None:
    assert permissions.can_publish(users["approver"], channel)  # listed publisher
    assert permissions.can_publish(users["comms_manager"], channel)
    assert not permissions.can_publish(users["officer"], channel)
    assert not permissions.can_publish(outsider, channel)
    channel.active = False
    assert not permissions.can_publish(users["comms_manager"], channel)


def test_when_a_user_is_inactive_then_they_hold_no_role(users: dict[str, Any]) -> None:
    admin = users["admin"]
    assert permissions.has_role(admin, "admin")
    admin.is_active = False
    assert not permissions.has_role(admin, "admin")


def test_when_require_role_is_given_no_role_then_it_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="at least one role"):
        permissions.require_role()


def test_when_permission_role_lists_are_read_then_every_entry_is_a_real_role() -> None:
    from govsocial.web.accounts.models import Role

    for group in (
        permissions.CHANNEL_MANAGERS,
        permissions.AUDIT_VIEWERS,
        permissions.AUDIT_VERIFIERS,
        permissions.USER_MANAGERS,
        permissions.PUBLISHERS_BY_ROLE,
    ):
        assert set(group) <= set(Role.values)


# Front-end build output ----------------------------------------------------------------------


def test_when_the_compiled_assets_are_read_then_they_carry_no_govuk_crest_crown_or_font() -> None:
    from pathlib import Path

    import govsocial.web

    static = Path(govsocial.web.__file__).parent / "static"
    files = {p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file()}
    assert {"govsocial/app.css", "govuk/govuk-frontend.min.js", "htmx/htmx.min.js"} <= files
    assert not [f for f in files if f.endswith((".woff", ".woff2", ".png", ".ico")) or "crest" in f or "crown" in f]
    css = (static / "govsocial" / "app.css").read_text(encoding="utf-8")
    assert "GDS Transport" not in css and "govuk-crest" not in css and "/fonts/" not in css
    assert "var(--agency-colour)" in css
    assert not any("axe" in f for f in files)  # axe-core is for the tests, never shipped
