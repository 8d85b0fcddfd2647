"""The inbox in a real browser: Debian's Chromium driven by Playwright against pytest-django's live
server (as in ``test_browser``).

- The full respond flow (WF-05, WF-03): an invented question comes in through the ingest service on
  a Mastodon channel whose connector is a stand-in that records replies; the officer assigns it to
  themselves from the inbox list, opens it, starts a reply from an approved template, sees the
  draft's check and submits it; a second person with the approver role approves and publishes it;
  the stand-in received the reply to the right message; the message shows "Answered" with the
  reply's link; the audit log lists every step.
- Keyboard: j/k move between the rows of the list, x ticks the focused row, a goes to "Assign to",
  Enter opens the message, and no shortcut fires while typing in a field.
- Accessibility: axe-core finds nothing serious or critical in the inbox pages in the states the
  flow reaches (a message with personal information, a refused form, an answered message, a
  blocked author); the other inbox pages are in ``test_browser``'s scan of every page.

Screenshots go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

import pytest
from browser_support import axe_source, axe_violations, clear_audit_log, describe_violations, screenshot

from govsocial.connectors import Incoming, Page, SentReply

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

QUESTION = "Kia ora, is the Petone service centre open on Saturday mornings? I need to renew my permit."
REPLY_URL = "https://mastodon.example/@examples/110000000000000042"


class RecordingMastodon:
    """Stands in for the Mastodon adapter: nothing to poll, and every reply is recorded."""

    kind = "mastodon"
    # Shared by every instance: the live server's thread builds its own adapter for each reply.
    sent: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, config: Mapping[str, Any], secret: str = "") -> None:
        self.config = config

    def poll(self, cursor: str) -> Page:
        return Page(messages=(), cursor=cursor)

    def reply(self, *, in_reply_to: str, text: str) -> SentReply:
        RecordingMastodon.sent.append((in_reply_to, text))
        return SentReply(platform_id="110000000000000042", url=REPLY_URL)

    def hide(self, platform_id: str) -> None:
        return None

    def report(self, platform_id: str, *, reason: str) -> None:
        return None


@pytest.fixture
def demo(live_server: Any) -> Iterator[dict[str, Any]]:
    from govsocial.web.accounts.models import User
    from govsocial.web.demo import load_demo

    result = load_demo()
    users = {u.username: u for u in User.objects.filter(agency=result.agency)}
    yield {
        "agency": result.agency,
        "users": users,
        "passwords": {login.username: login.password for login in result.logins},
    }
    clear_audit_log()


@pytest.fixture
def mastodon(demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A Mastodon channel whose every post needs an approver, its connector (the recording stand-in)
    and one invented question that came in through it."""
    from govsocial.connectors import base
    from govsocial.web.channels.services import channel_create
    from govsocial.web.inbox import services
    from govsocial.web.inbox.models import Message

    monkeypatch.setitem(base._FACTORIES, "mastodon", RecordingMastodon)
    RecordingMastodon.sent = []
    users = demo["users"]
    channel = channel_create(
        actor=users["comms"],
        agency=demo["agency"],
        name="Ministry on Mastodon",
        platform="mastodon",
        handle="@examples@mastodon.example",
        publishers=[users["approver"]],
        requires_approval=True,
    )
    connector = services.connector_create(
        actor=users["comms"],
        channel=channel,
        kind="mastodon",
        name="Mentions",
        config={"instance": "https://mastodon.example"},
        secret="stand-in-token",
    )
    (pk,) = services.ingest(
        channel=channel,
        connector=connector,
        items=[Incoming(platform_id="110000000000000001", text=QUESTION, author="curious@mastodon.example")],
    ).ids
    return {"channel": channel, "connector": connector, "message": Message.objects.get(pk=pk)}


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: "/accounts/login" in url)


def row_for(page: Any, text: str) -> Any:
    return page.locator("tr[data-inbox-row]").filter(has_text=text)


# --------------------------------------------------------------------------- the respond flow


def test_when_an_officer_answers_a_question_then_a_second_person_approves_and_it_is_sent_and_audited(
    page: Any, live_server: Any, demo: dict[str, Any], mastodon: dict[str, Any]
) -> None:
    from govsocial.web.drafts.models import Draft
    from govsocial.web.inbox.models import Message

    base = live_server.url
    passwords, users = demo["passwords"], demo["users"]
    message = mastodon["message"]
    assert message.status == "open" and message.category == "question", (message.status, message.category)

    # The officer finds the question in the inbox and takes it.
    sign_in(page, base, "officer", passwords["officer"])
    page.get_by_role("link", name="Inbox").first.click()
    page.wait_for_url("**/inbox/")
    row = row_for(page, "Petone service centre")
    assert row.count() == 1
    assert "Question" in row.inner_text()
    screenshot(page, "inbox-01-list")
    row.locator("[data-inbox-pick]").check()
    page.select_option("#bulk-action", value="assign")
    page.select_option("#bulk-assignee", value=str(users["officer"].pk))
    page.get_by_role("button", name="Apply to ticked messages").click()
    page.wait_for_load_state()
    assert "1 message updated" in page.content()
    message.refresh_from_db()
    assert message.assignee_id == users["officer"].pk
    assert users["officer"].label in row_for(page, "Petone service centre").inner_text()
    screenshot(page, "inbox-02-assigned")

    # Opens it and starts a reply from an approved template.
    row_for(page, "Petone service centre").locator("[data-inbox-open]").click()
    page.wait_for_url(f"**/inbox/{message.pk}/")
    assert "IN-14" in page.locator("main").inner_text(), "the house rule that keeps a question up"
    screenshot(page, "inbox-03-message")
    template_label = page.locator("#reply-template option").filter(has_text="General answer").first.inner_text()
    page.select_option("#reply-template", label=template_label)
    page.get_by_role("button", name="Start a reply").click()
    page.wait_for_url(re.compile(r".*/drafts/\d+/$"))
    message.refresh_from_db()
    draft = Draft.objects.get(pk=message.reply_draft_id)
    assert draft.reply_to == QUESTION
    main = page.locator("main").inner_text()
    assert "Replying to" in main and "Check of revision" in main, "the draft page shows the review"
    screenshot(page, "inbox-04-reply-draft")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.state == "awaiting_approval", draft.state
    sign_out(page)

    # A second person with the approver role approves and publishes it through the connector.
    sign_in(page, base, "approver", passwords["approver"])
    page.goto(base + f"/drafts/{draft.pk}/")
    page.get_by_role("button", name="Override and approve").or_(
        page.get_by_role("button", name="Approve")
    ).first.click()
    page.wait_for_url(f"**/drafts/{draft.pk}/approve/")
    if draft.needs_override:
        page.fill("#id_reason", "Checked: a plain answer to a question.")
    page.get_by_role("button", name="Override and approve").or_(
        page.get_by_role("button", name="Approve")
    ).first.click()
    page.wait_for_url(f"**/drafts/{draft.pk}/")
    draft.refresh_from_db()
    assert draft.state == "ready", draft.state
    screenshot(page, "inbox-05-approved")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"**/drafts/{draft.pk}/publish/")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"**/drafts/{draft.pk}/")
    draft.refresh_from_db()
    assert draft.state == "published" and draft.published_url == REPLY_URL, (draft.state, draft.published_url)
    assert len(RecordingMastodon.sent) == 1
    in_reply_to, text = RecordingMastodon.sent[0]
    assert in_reply_to == "110000000000000001" and text == draft.current.text

    # The message is answered, with the reply's link.
    page.goto(base + f"/inbox/{message.pk}/")
    assert Message.objects.get(pk=message.pk).status == "answered"
    assert "Answered" in page.locator("main").inner_text()
    assert page.locator(f"a[href='{REPLY_URL}']").count() >= 1
    screenshot(page, "inbox-06-answered")
    sign_out(page)

    # The audit log shows each step, on the message and on its reply draft.
    sign_in(page, base, "records", passwords["records"])
    page.goto(base + f"/audit/?subject=message:{message.pk}")
    log = page.locator("main").inner_text()
    for action in ("message.assigned", "message.reply_started", "message.answered"):
        assert action in log, f"{action} is not in the audit log:\n{log[:2000]}"
    screenshot(page, "inbox-07-audit-message")
    page.goto(base + f"/audit/?subject=draft:{draft.pk}")
    log = page.locator("main").inner_text()
    for action in ("draft.created", "draft.submitted", "draft.published"):
        assert action in log, f"{action} is not in the audit log:\n{log[:2000]}"
    assert "draft.approved" in log or "draft.overridden" in log


# --------------------------------------------------------------------------- keyboard


def test_when_an_officer_uses_the_keyboard_then_j_k_x_a_and_enter_work_and_never_while_typing(
    page: Any, live_server: Any, demo: dict[str, Any]
) -> None:
    base = live_server.url
    sign_in(page, base, "officer", demo["passwords"]["officer"])
    page.goto(base + "/inbox/?status=all")
    rows = page.locator("tr[data-inbox-row]")
    assert rows.count() >= 3, "the demo inbox has messages"
    links = page.locator("[data-inbox-open]")
    boxes = page.locator("[data-inbox-pick]")

    def focused_row() -> int:
        return int(
            page.evaluate(
                """() => Array.from(document.querySelectorAll('[data-inbox-row]'))
                          .findIndex(r => r.contains(document.activeElement))"""
            )
        )

    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    assert focused_row() == 0
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert focused_row() == 2
    page.keyboard.press("k")
    assert focused_row() == 1
    page.keyboard.press("x")
    assert boxes.nth(1).is_checked() and not boxes.nth(0).is_checked()
    page.keyboard.press("x")
    assert not boxes.nth(1).is_checked()
    page.keyboard.press("x")
    screenshot(page, "inbox-keyboard-ticked")

    # Typing in the search field types; no shortcut fires.
    page.locator("#id_q").click()
    page.keyboard.type("jkxa")
    assert page.input_value("#id_q") == "jkxa"
    assert page.evaluate("() => document.activeElement.id") == "id_q"
    assert boxes.nth(1).is_checked(), "x in a field did not untick the row"

    # a: to "Assign to", with the assign action chosen.
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("a")
    assert page.evaluate("() => document.activeElement.id") == "bulk-assignee"
    assert page.input_value("#bulk-action") == "assign"

    # Enter on a focused row opens its message.
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    href = links.nth(0).get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")
    # On the message page, a goes to "Assign to me" (an officer takes messages; others assign them).
    take = page.locator("[data-inbox-assign]")
    if take.count():
        page.keyboard.press("a")
        assert page.evaluate("() => document.activeElement.hasAttribute('data-inbox-assign')")
    else:
        assert "It is assigned to you" in page.locator("main").inner_text()


# --------------------------------------------------------------------------- accessibility


def test_when_axe_scans_the_inbox_in_its_working_states_then_nothing_serious_or_critical_is_found(
    page: Any, live_server: Any, demo: dict[str, Any], password: str
) -> None:
    from govsocial.web.accounts.services import user_create
    from govsocial.web.inbox import services
    from govsocial.web.inbox.models import Message

    source = axe_source()
    base = live_server.url
    agency = demo["agency"]
    everyone = user_create(
        actor=None,
        agency=agency,
        username="inbox-every-role",
        password=password,
        display_name="Every role",
        roles=["officer", "approver", "moderator", "comms_manager", "records_manager", "admin"],
    )
    messages = Message.objects.filter(agency=agency)
    pii = messages.filter(has_pii=True).order_by("pk").first()
    abuse = messages.filter(category="abuse").order_by("pk").first()
    assert pii is not None and abuse is not None, "the demo inbox has personal information and abuse"
    services.author_block(
        actor=demo["users"]["moderator"],
        standing=services.author_standing(message=abuse),
        reason="Abuse after two warnings.",
        review_on=dt.date.today() + dt.timedelta(days=30),
    )
    problems: list[str] = []
    scanned: list[str] = []

    def scan(name: str) -> None:
        page.wait_for_load_state("networkidle")
        scanned.append(name)
        found = axe_violations(page, source)
        screenshot(page, f"inbox-axe-{name}")
        if found:
            problems.append(describe_violations(f"{name} ({page.url})", found))

    sign_in(page, base, everyone.username, password)
    page.goto(base + "/inbox/?status=hidden")
    scan("hidden tab")
    page.goto(base + f"/inbox/{pii.pk}/")
    scan("message with personal information")
    page.goto(base + f"/inbox/{abuse.pk}/")
    scan("message from a blocked author")
    # A refused form: hiding without a rule re-shows the page with the error summary.
    page.locator("#moderate-kind").check()
    page.select_option("#moderate-rule_code", value="")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    assert "There is a problem" in page.content()
    scan("moderation refused")
    page.goto(base + "/inbox/")
    page.get_by_role("button", name="Apply to ticked messages").click()
    page.wait_for_load_state()
    assert "Tick at least one message" in page.content()
    scan("bulk refused")
    print(f"axe scanned {len(scanned)} inbox states: " + "; ".join(scanned))
    assert not problems, "\n\n".join(problems)
