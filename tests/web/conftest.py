"""Fixtures for the agency workspace's tests.

Django is configured here, for the tests under ``tests/web`` only: the engine's tests never need
it. Fixtures: ``agency`` and ``other_agency``; ``team``; ``users`` (one per role, keyed by role,
plus ``officer2``; all share :data:`PASSWORD`); ``outsider`` (an admin of the other agency);
``password`` (theirs); ``client_for(user_or_role)`` (a signed-in test client); ``clients`` (a signed-in client per key
of ``users``, plus ``anonymous``); ``channel`` (an official X channel of ``agency``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsocial.web.settings")

import django
from django.apps import apps
from django.conf import settings as django_settings

django_settings.INSTALLED_APPS  # noqa: B018 - loads the settings module now
if not apps.ready:
    django.setup()

import pytest  # noqa: E402
from django.test import Client  # noqa: E402

PASSWORD = "correct-horse-battery-staple-9"
ROLES = ("officer", "approver", "moderator", "comms_manager", "records_manager", "admin")


@pytest.fixture
def password() -> str:
    """The password of every user made by the ``users`` and ``outsider`` fixtures."""
    return PASSWORD


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agency(db: Any) -> Any:
    from govsocial.web.accounts.services import agency_create

    return agency_create(
        actor=None, name="Ministry of Tests | Te Manatū Whakamātautau", slug="tests", pack="nz", colour="#005a30"
    )


@pytest.fixture
def other_agency(db: Any) -> Any:
    from govsocial.web.accounts.services import agency_create

    return agency_create(actor=None, name="Other Department", slug="other", pack="uk", colour="#4c2c92")


@pytest.fixture
def team(agency: Any) -> Any:
    from govsocial.web.accounts.services import team_create

    return team_create(actor=None, agency=agency, name="Digital")


@pytest.fixture
def users(agency: Any, team: Any) -> dict[str, Any]:
    from govsocial.web.accounts.services import user_create

    out: dict[str, Any] = {}
    for role in ROLES:
        out[role] = user_create(
            actor=None,
            agency=agency,
            username=role.replace("_", "-"),
            password=PASSWORD,
            display_name=f"Test {role.replace('_', ' ')}",
            roles=[role],
            teams=[team],
        )
    out["officer2"] = user_create(
        actor=None,
        agency=agency,
        username="officer-2",
        password=PASSWORD,
        display_name="Second officer",
        roles=["officer"],
        teams=[team],
    )
    return out


@pytest.fixture
def outsider(other_agency: Any) -> Any:
    from govsocial.web.accounts.services import user_create

    return user_create(
        actor=None,
        agency=other_agency,
        username="outsider",
        password=PASSWORD,
        display_name="Outside admin",
        roles=list(ROLES),
    )


@pytest.fixture
def client_for(users: dict[str, Any]) -> Callable[[Any], Client]:
    def make(who: Any) -> Client:
        user = users[who] if isinstance(who, str) else who
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def clients(users: dict[str, Any], client_for: Callable[[Any], Client]) -> dict[str, Client]:
    out = {key: client_for(user) for key, user in users.items()}
    out["anonymous"] = Client()
    return out


@pytest.fixture
def channel(agency: Any, team: Any, users: dict[str, Any]) -> Any:
    from govsocial.web.channels.services import channel_create

    return channel_create(
        actor=None,
        agency=agency,
        name="Main X account",
        platform="x",
        handle="@MinistryOfTests",
        owning_team=team,
        publishers=[users["approver"]],
    )


# --------------------------------------------------------------------------- browser tests

BROWSER_TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (``browser_support.launch``), one per test module."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in the dev extra
        pytest.skip("playwright is not installed")
    from browser_support import launch

    # Playwright's sync API keeps an event loop on this thread; Django's ORM calls made by the
    # test itself (setting up users, reading results) are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        browser = launch(manager)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context and page; any JavaScript error on the pages fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-NZ")
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the pages: {errors}"
