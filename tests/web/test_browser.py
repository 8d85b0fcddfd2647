"""The workspace in a real browser: Debian's Chromium driven by Playwright against pytest-django's
live server (a real HTTP server on a free port, with a transactional test database).

- Check a post: the officer types a post with an IRD number and the PRIV finding appears as they
  type (HTMX), with its guidance clause.
- WF-03 end to end: the officer writes a draft with a ``high`` finding and submits it; a second
  person with the approver role approves it and records it as published by hand with its URL;
  the draft shows Published and the audit log lists each step.
- Accessibility: axe-core runs in every page an administrator (here: a user holding every role,
  so every page is reachable) and an anonymous visitor can open, and finds nothing serious or
  critical.

Screenshots of each step go to ``artifacts/screenshots/``. The browser and axe-core come from
:mod:`browser_support` (skipped when unavailable, failing in CI).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import axe_source, axe_violations, clear_audit_log, describe_violations, screenshot

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

IRD_POST = "Kia ora, my IRD number is 49-091-850 if you need it."
HIGH_POST = "Please call Jane Citizen on 021 555 0199 about her case."
LIVE_URL = "https://x.example/MinistryOfExamples/status/1234567890"


@pytest.fixture
def demo(live_server: Any) -> Iterator[dict[str, Any]]:
    """The demo agency, with this load's passwords by username."""
    from govsocial.web.demo import load_demo

    result = load_demo()
    yield {"agency": result.agency, "passwords": {login.username: login.password for login in result.logins}}
    clear_audit_log()


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def type_and_settle(page: Any, selector: str, text: str) -> None:
    """Type like a person (keyup events drive HTMX), then wait out the debounce and any request
    in flight, so the findings on the page are the ones for the whole text."""
    field = page.locator(selector)
    field.press_sequentially(text, delay=5)
    # Leaving the field fires "change", which the form also checks on: let that happen now.
    field.blur()
    page.wait_for_timeout(700)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: "/accounts/login" in url)


def test_when_an_officer_types_a_post_with_an_ird_number_then_the_finding_and_its_clause_appear(
    page: Any, live_server: Any, demo: dict[str, Any]
) -> None:
    base = live_server.url
    sign_in(page, base, "officer", demo["passwords"]["officer"])
    screenshot(page, "check-01-signed-in")
    page.goto(base + "/check/")
    type_and_settle(page, "#id_text", IRD_POST)
    finding = page.locator("#check-results .gs-finding").filter(has_text="PRIV")
    finding.first.wait_for(state="visible")
    text = finding.first.inner_text()
    assert "PRIV201" in text, text
    # The clause behind it, with its paraphrase, opens from the finding.
    finding.first.locator("summary").click()
    clause = finding.first.locator(".gs-clause").filter(has_text="XR-03")
    clause.first.wait_for(state="visible")
    assert len(clause.first.inner_text()) > len("XR-03: "), "the clause has no paraphrase"
    screenshot(page, "check-02-ird-finding")
    # Nothing was stored.
    from govsocial.web.drafts.models import Draft

    assert not Draft.objects.filter(revisions__text=IRD_POST).exists()


def test_when_a_draft_with_a_high_finding_is_submitted_then_a_second_person_approves_and_it_is_published(
    page: Any, live_server: Any, demo: dict[str, Any]
) -> None:
    from govsocial.web.channels.models import Channel
    from govsocial.web.drafts.models import Draft

    base = live_server.url
    passwords = demo["passwords"]
    channel = Channel.objects.get(agency=demo["agency"], handle="@MinistryOfExamples")

    # The officer writes and submits.
    sign_in(page, base, "officer", passwords["officer"])
    page.goto(base + "/drafts/new/")
    page.select_option("#id_channel", value=str(channel.pk))
    page.fill("#id_title", "Call back about a case")
    page.fill("#id_text", HIGH_POST)
    screenshot(page, "flow-01-new-draft")
    page.get_by_role("button", name="Save and check").click()
    page.wait_for_url(lambda url: "/drafts/new" not in url)
    draft = Draft.objects.get(title="Call back about a case")
    assert draft.current is not None and draft.current.worst in ("high", "block"), draft.current.review
    assert page.locator(".gs-finding").filter(has_text="PRIV").count() >= 1
    screenshot(page, "flow-02-draft-checked")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.state == "awaiting_approval", draft.state
    assert "Awaiting approval" in page.content()
    screenshot(page, "flow-03-submitted")
    # The author cannot approve it.
    assert page.get_by_role("button", name="Approve").count() == 0
    sign_out(page)

    # A second person with the approver role approves it.
    sign_in(page, base, "approver", passwords["approver"])
    page.goto(base + "/approvals/")
    screenshot(page, "flow-04-approvals-queue")
    page.get_by_role("link", name="Call back about a case").first.click()
    page.wait_for_url(f"**/drafts/{draft.pk}/")
    # GOV.UK buttons made from links have the button role.
    approve = page.get_by_role("button", name="Override and approve").or_(page.get_by_role("button", name="Approve"))
    approve.first.click()
    page.wait_for_url(f"**/drafts/{draft.pk}/approve/")
    if page.locator("#id_reason").count() and draft.needs_override:
        page.fill("#id_reason", "Checked with the caller: they asked us to post the number.")
    screenshot(page, "flow-05-approve")
    page.get_by_role("button", name="Override and approve").or_(
        page.get_by_role("button", name="Approve")
    ).first.click()
    page.wait_for_url(f"**/drafts/{draft.pk}/")
    draft.refresh_from_db()
    assert draft.state == "ready", draft.state
    screenshot(page, "flow-06-approved")

    # Published by hand, with the live URL.
    page.get_by_role("button", name="Record as published").click()
    page.wait_for_url(f"**/drafts/{draft.pk}/publish/")
    page.fill("#id_url", LIVE_URL)
    screenshot(page, "flow-07-record-published")
    page.get_by_role("button", name="Record as published").click()
    page.wait_for_url(f"**/drafts/{draft.pk}/")
    draft.refresh_from_db()
    assert draft.state == "published" and draft.published_url == LIVE_URL
    summary = page.locator(".govuk-summary-list").first.inner_text()
    assert "Published" in summary, summary
    assert page.locator(f"a[href='{LIVE_URL}']").count() == 1
    screenshot(page, "flow-08-published")
    sign_out(page)

    # The audit log shows every step.
    sign_in(page, base, "records", passwords["records"])
    page.goto(base + f"/audit/?subject=draft:{draft.pk}")
    log = page.locator("main").inner_text()
    for action in ("draft.created", "draft.reviewed", "draft.submitted", "draft.published"):
        assert action in log, f"{action} is not in the audit log:\n{log[:2000]}"
    assert "draft.approved" in log or "draft.overridden" in log
    screenshot(page, "flow-09-audit-log")


# --------------------------------------------------------------------------- accessibility


def _pages_for_everyone(demo: dict[str, Any], admin: Any) -> list[tuple[str, str]]:
    """(name, path) of every page a user holding every role can open, with objects of the demo."""
    from govsocial.web.accounts.models import User
    from govsocial.web.channels.models import Channel
    from govsocial.web.drafts import services
    from govsocial.web.drafts.models import Draft

    agency = demo["agency"]
    channel = Channel.objects.filter(agency=agency).order_by("pk").first()
    assert channel is not None
    drafts = {d.state: d for d in Draft.objects.filter(agency=agency).order_by("pk")}
    other = User.objects.filter(agency=agency, username="officer").get()
    # One draft of each kind an admin can act on, written by someone else.
    awaiting = drafts.get("awaiting_approval")
    ready = drafts.get("ready")
    assert awaiting is not None and ready is not None, sorted(drafts)
    open_draft = services.draft_create(
        author=admin, channel=channel, text="Our offices are open 9am to 5pm on weekdays."
    )
    return [
        ("drafts list", "/drafts/"),
        ("new draft", "/drafts/new/"),
        ("draft detail", f"/drafts/{awaiting.pk}/"),
        ("draft published", f"/drafts/{drafts['published'].pk}/" if "published" in drafts else f"/drafts/{ready.pk}/"),
        ("draft edit", f"/drafts/{open_draft.pk}/edit/"),
        ("draft withdraw", f"/drafts/{open_draft.pk}/withdraw/"),
        ("approvals", "/approvals/"),
        ("approve", f"/drafts/{awaiting.pk}/approve/"),
        ("return", f"/drafts/{awaiting.pk}/return/"),
        ("publish", f"/drafts/{ready.pk}/publish/"),
        ("check page", "/check/"),
        ("channels", "/channels/"),
        ("channel detail", f"/channels/{channel.pk}/"),
        ("channel edit", f"/channels/{channel.pk}/edit/"),
        ("new channel", "/channels/new/"),
        ("audit log", "/audit/"),
        ("your account", "/accounts/"),
        ("password", "/accounts/password/"),
        ("two-factor set-up", "/accounts/two-factor/"),
        ("API tokens", "/accounts/tokens/"),
        ("users", "/accounts/users/"),
        ("new user", "/accounts/users/new/"),
        ("user edit", f"/accounts/users/{other.pk}/"),
        ("sign out", "/accounts/logout/"),
        ("API docs", "/api/v1/docs"),
        *_inbox_pages(agency, channel),
        ("not found", "/drafts/999999/"),
    ]


def _inbox_pages(agency: Any, channel: Any) -> list[tuple[str, str]]:
    """The inbox's pages, with the demo's messages, templates and connectors."""
    from govsocial.web.inbox.models import Connector, Message, ResponseTemplate

    message = Message.objects.filter(agency=agency, category="question").order_by("pk").first()
    template = ResponseTemplate.objects.filter(agency=agency).order_by("pk").first()
    connector = Connector.objects.filter(agency=agency).order_by("pk").first()
    assert message is not None and template is not None and connector is not None, "the demo has an inbox"
    return [
        ("inbox", "/inbox/"),
        ("inbox, all messages", "/inbox/?status=all"),
        ("inbox message", f"/inbox/{message.pk}/"),
        ("response templates", "/inbox/templates/"),
        ("new response template", "/inbox/templates/new/"),
        ("response template edit", f"/inbox/templates/{template.pk}/edit/"),
        ("monitoring hours", "/inbox/settings/"),
        ("channel with connectors", f"/channels/{connector.channel_id}/"),
        ("new connector", f"/inbox/channels/{channel.pk}/connectors/new/"),
        ("connector edit", f"/inbox/connectors/{connector.pk}/edit/"),
    ]


ANONYMOUS_PAGES = [
    ("sign in", "/accounts/login/"),
    ("not found", "/no-such-page/"),
    ("community guidelines", "/guidelines/ministry-of-examples/"),
]


def test_when_axe_scans_every_page_then_nothing_serious_or_critical_is_found(
    page: Any, live_server: Any, demo: dict[str, Any], password: str
) -> None:
    from govsocial.web.accounts.services import user_create

    source = axe_source()
    base = live_server.url
    admin = user_create(
        actor=None,
        agency=demo["agency"],
        username="every-role",
        password=password,
        display_name="Every role",
        roles=["officer", "approver", "moderator", "comms_manager", "records_manager", "admin"],
    )
    problems: list[str] = []
    scanned: list[str] = []

    def scan(name: str, path: str, who: str) -> None:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        scanned.append(f"{who}: {name}")
        found = axe_violations(page, source)
        if found:
            problems.append(describe_violations(f"{who} {name} ({path})", found))
            screenshot(page, f"axe-{who}-{name}")

    for name, path in ANONYMOUS_PAGES:
        scan(name, path, "anonymous")
    sign_in(page, base, admin.username, password)
    for name, path in _pages_for_everyone(demo, admin):
        scan(name, path, "admin")
    # The check page with findings shown (the HTMX fragment is part of the page then).
    page.goto(base + "/check/")
    type_and_settle(page, "#id_text", IRD_POST)
    page.locator("#check-results .gs-finding").first.wait_for(state="visible")
    found = axe_violations(page, source)
    scanned.append("admin: check page with findings")
    if found:
        problems.append(describe_violations("admin check page with findings", found))
    print(f"axe scanned {len(scanned)} pages: " + "; ".join(scanned))
    assert not problems, "\n\n".join(problems)
