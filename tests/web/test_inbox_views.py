"""The inbox pages: the response queue (tabs, filters, due badges, keyset pages, bulk actions),
one message (assign, moderate by house rules, strikes and blocks, close, reply through a draft),
the template library, the monitoring hours, connectors on the channel page, and the public
community guidelines.

Messages come in through the ingest service with invented texts, so they carry the triage the
house rules of the ``nz`` pack give them; tests that need a particular state (overdue, blocked)
set it through the services or, for times, straight in the database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govsocial.connectors import Incoming, Page, SentReply
from govsocial.web.audit.models import AuditEvent
from govsocial.web.inbox import services
from govsocial.web.inbox.models import AuthorStanding, Connector, InboxSettings, Message, ResponseTemplate

pytestmark = pytest.mark.django_db

QUESTION = "When does the new permit application form open? I cannot find it on your website."
PII = "Please call me on 021 555 0199 about my permit, my email is jane@example.com"
MAORI = "Kia ora, āhea ka tuwhera te tari? Ngā mihi nui ki a koutou."
ABUSE = "You are all useless idiots and I hope you rot, you stupid clowns"
COMPLAINT = "I am very disappointed with how long my application is taking, this is a terrible service."


def ingest(channel: Any, *items: tuple[str, str], author: str = "") -> list[Message]:
    """Store invented messages (platform id, text) on ``channel`` through the ingest service."""
    result = services.ingest(
        channel=channel,
        items=[Incoming(platform_id=pid, text=text, author=author or f"@{pid}@example.social") for pid, text in items],
    )
    return list(Message.objects.filter(pk__in=result.ids).order_by("pk"))


@pytest.fixture
def inbox(channel: Any) -> dict[str, Message]:
    question, pii, maori, abuse, complaint = ingest(
        channel, ("q1", QUESTION), ("p1", PII), ("m1", MAORI), ("a1", ABUSE), ("c1", COMPLAINT)
    )
    return {"question": question, "pii": pii, "maori": maori, "abuse": abuse, "complaint": complaint}


@pytest.fixture
def approved_templates(agency: Any, users: dict[str, Any]) -> dict[str, ResponseTemplate]:
    out = {}
    for key, title, purpose, body in (
        ("general", "General answer", "general", "Thanks for your question. Here is what we know."),
        (
            "take-it-offline",
            "Take it offline",
            "take_offline",
            "Thanks for getting in touch. Please don't share personal details here: send us a private message.",
        ),
    ):
        template = services.template_create(
            actor=users["officer"], agency=agency, key=key, title=title, body=body, purpose=purpose
        )
        out[purpose] = services.template_approve(actor=users["comms_manager"], template=template)
    return out


class _Tags(HTMLParser):
    """Text of each element with a given class (tags, table rows...)."""

    def __init__(self, cls: str) -> None:
        super().__init__()
        self.cls = cls
        self.found: list[str] = []
        self._depth = 0
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._depth:
            self._depth += 1
        elif self.cls in classes:
            self._depth = 1
            self._buf = []

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1
            if not self._depth:
                self.found.append(" ".join("".join(self._buf).split()))

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._buf.append(data)


def texts_of(html: str, cls: str) -> list[str]:
    parser = _Tags(cls)
    parser.feed(html)
    return parser.found


def rows_of(html: str) -> list[str]:
    """The text of each message row of the list (the rows carry ``data-inbox-row``)."""
    return list(re.findall(r"<tr class=\"govuk-table__row\" data-inbox-row>(.*?)</tr>", html, re.S))


def page(client: Client, url: str, data: Mapping[str, Any] | None = None) -> str:
    response = client.get(url, data or {})
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# --------------------------------------------------------------------------- the list


def test_when_an_officer_opens_the_inbox_then_messages_needing_a_response_are_listed_with_their_tags(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    html = page(client_for("officer"), reverse("inbox:list"))
    rows = rows_of(html)
    # The default tab is "Needs a response": questions, complaints and the personal-information message.
    listed = " ".join(rows)
    assert "When does the new permit" in listed and "disappointed" in listed
    assert "useless idiots" not in listed, "an abusive message needs no response: not on this tab"
    pii_row = next(r for r in rows if "021 555" in r or "call me" in r)
    assert "Personal information" in pii_row and "Hidden" in pii_row
    maori_row = next(r for r in rows if "Kia ora" in r)
    assert "Te reo Māori" in maori_row
    question_row = next(r for r in rows if "permit application" in r)
    assert "Question" in question_row and "Te reo" not in question_row
    assert 'aria-current="page"' in html and "Needs a response (" in html


def test_when_the_hidden_tab_is_chosen_then_hidden_messages_are_listed(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    listed = " ".join(rows_of(page(client_for("moderator"), reverse("inbox:list"), {"status": "hidden"})))
    assert "useless idiots" in listed and "call me" in listed
    assert "permit application" not in listed


def test_when_filtered_by_category_and_text_then_only_matching_messages_are_listed(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    client = client_for("officer")
    listed = " ".join(rows_of(page(client, reverse("inbox:list"), {"status": "all", "category": "complaint"})))
    assert "disappointed" in listed and "permit application" not in listed
    listed = " ".join(rows_of(page(client, reverse("inbox:list"), {"status": "all", "q": "permit application"})))
    assert "permit application" in listed and "disappointed" not in listed


def test_when_another_agency_has_messages_then_they_never_appear(
    client_for: Callable[[Any], Client], outsider: Any, inbox: dict[str, Message]
) -> None:
    other = client_for(outsider)
    assert rows_of(page(other, reverse("inbox:list"), {"status": "all"})) == []
    assert other.get(reverse("inbox:detail", args=[inbox["question"].pk])).status_code == 404


def test_when_a_message_is_past_due_then_it_shows_overdue_in_red_and_one_due_within_the_hour_shows_due_soon(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    now = timezone.now()
    Message.objects.filter(pk=inbox["question"].pk).update(due_at=now - dt.timedelta(hours=2, minutes=5))
    Message.objects.filter(pk=inbox["complaint"].pk).update(due_at=now + dt.timedelta(minutes=30))
    Message.objects.filter(pk=inbox["maori"].pk).update(due_at=now + dt.timedelta(days=12))
    rows = rows_of(page(client_for("officer"), reverse("inbox:list")))
    question = next(r for r in rows if "permit application" in r)
    assert re.search(r'govuk-tag--red[^"]*">\s*Overdue by 2 h [0-9]+ min', question), question
    complaint = next(r for r in rows if "disappointed" in r)
    assert "Due soon" in complaint
    maori = next(r for r in rows if "Kia ora" in r)
    assert "Due soon" not in maori and "Overdue" not in maori and "Due " in maori


def test_when_only_overdue_is_asked_then_only_overdue_messages_are_listed(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    Message.objects.filter(pk=inbox["question"].pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    Message.objects.filter(pk=inbox["complaint"].pk).update(due_at=timezone.now() + dt.timedelta(days=3))
    listed = " ".join(rows_of(page(client_for("officer"), reverse("inbox:list"), {"overdue": "yes"})))
    assert "permit application" in listed and "disappointed" not in listed


def test_when_there_are_more_messages_than_a_page_then_older_links_walk_every_message_once(
    client_for: Callable[[Any], Client], channel: Any
) -> None:
    from govsocial.web.inbox.views import PAGE_SIZE

    total = PAGE_SIZE * 2 + 7
    ingest(
        channel, *((f"bulk-{i}", f"Question number {i}: when is the office open on a Saturday?") for i in range(total))
    )
    client = client_for("officer")
    seen: list[str] = []
    url: str | None = reverse("inbox:list") + "?status=all"
    pages = 0
    while url:
        html = page(client, url)
        pages += 1
        seen += re.findall(r"Question number (\d+):", html)
        older = re.search(r'href="(\?[^"]*after=[^"]*)" rel="next"', html)
        url = reverse("inbox:list") + older.group(1).replace("&amp;", "&") if older else None
        if url:
            assert parse_qs(urlsplit(url).query)["status"] == ["all"], "the filters travel with the cursor"
        assert pages < 10
    assert pages == 3
    assert sorted(seen, key=int) == [str(i) for i in range(total)], "each message once, none skipped"
    assert seen[0] == str(total - 1), "newest first"


def test_when_a_cursor_is_tampered_with_then_the_list_starts_again_instead_of_failing(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    html = page(client_for("officer"), reverse("inbox:list"), {"after": "not-a-cursor"})
    assert "no longer available" in html and "permit application" in html


def test_when_the_list_is_shown_then_keyboard_shortcuts_are_explained_and_the_script_is_loaded(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    html = page(client_for("officer"), reverse("inbox:list"))
    assert "Keyboard shortcuts" in html and "<kbd>j</kbd>" in html and "<kbd>x</kbd>" in html
    assert "/static/govsocial/inbox.js" in html
    assert html.count("data-inbox-row") == html.count("data-inbox-pick") == len(rows_of(html)) > 0


def test_when_the_keyboard_script_is_served_then_it_is_the_front_end_source_as_built() -> None:
    """``frontend/build.mjs`` copies the script into the static files; the copy must not drift."""
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    source = (repo / "frontend" / "js" / "inbox.js").read_text(encoding="utf-8")
    served = (repo / "src" / "govsocial" / "web" / "static" / "govsocial" / "inbox.js").read_text(encoding="utf-8")
    assert served == source
    assert "data-inbox-row" in source and '"j"' in source and '"x"' in source


def test_when_a_member_is_signed_in_then_the_navigation_has_the_inbox(client_for: Callable[[Any], Client]) -> None:
    html = page(client_for("records_manager"), reverse("drafts:list"))
    assert f'href="{reverse("inbox:list")}"' in html


# --------------------------------------------------------------------------- bulk actions


def test_when_an_officer_ticks_messages_and_assigns_them_to_themselves_then_both_are_theirs(
    client_for: Callable[[Any], Client], users: dict[str, Any], inbox: dict[str, Message]
) -> None:
    officer = users["officer"]
    ids = [inbox["question"].pk, inbox["complaint"].pk]
    response = client_for(officer).post(
        reverse("inbox:bulk"), {"ids": ids, "action": "assign", "assignee": officer.pk, "next": "/inbox/?status=open"}
    )
    assert response.status_code == 302 and response["Location"] == "/inbox/?status=open"
    assert set(Message.objects.filter(pk__in=ids).values_list("assignee_id", flat=True)) == {officer.pk}
    assert AuditEvent.objects.filter(action="message.assigned", subject_type="message").count() == 2


def test_when_a_moderator_shares_messages_out_round_robin_then_the_team_gets_them_in_turn(
    client_for: Callable[[Any], Client], team: Any, inbox: dict[str, Message]
) -> None:
    ids = [inbox["question"].pk, inbox["complaint"].pk, inbox["maori"].pk]
    response = client_for("moderator").post(
        reverse("inbox:bulk"), {"ids": ids, "action": "round_robin", "team": team.pk}
    )
    assert response.status_code == 302
    assignees = list(Message.objects.filter(pk__in=ids).order_by("pk").values_list("assignee_id", flat=True))
    assert None not in assignees and len(set(assignees)) == 3


def test_when_nothing_is_ticked_then_the_bulk_form_says_so_with_400(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    response = client_for("officer").post(reverse("inbox:bulk"), {"action": "close"})
    assert response.status_code == 400
    assert "Tick at least one message" in response.content.decode()


def test_when_an_officer_tries_to_hide_in_bulk_then_403_and_nothing_is_hidden(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    ids = [inbox["question"].pk]
    response = client_for("officer").post(
        reverse("inbox:bulk"), {"ids": ids, "action": "hide", "rule_code": "IN-05", "reason": "spam"}
    )
    assert response.status_code == 403
    assert "role" in response.content.decode()
    assert not Message.objects.get(pk=ids[0]).hidden


def test_when_a_message_of_another_agency_is_ticked_then_nothing_changes(
    client_for: Callable[[Any], Client], users: dict[str, Any], inbox: dict[str, Message], outsider: Any
) -> None:
    response = client_for(outsider).post(
        reverse("inbox:bulk"), {"ids": [inbox["question"].pk], "action": "assign", "assignee": outsider.pk}
    )
    assert response.status_code == 400
    assert Message.objects.get(pk=inbox["question"].pk).assignee_id is None


def test_when_next_points_off_site_then_the_bulk_action_returns_to_the_inbox(
    client_for: Callable[[Any], Client], users: dict[str, Any], inbox: dict[str, Message]
) -> None:
    response = client_for("officer").post(
        reverse("inbox:bulk"),
        {"ids": [inbox["question"].pk], "action": "close", "next": "https://evil.example/inbox/"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("inbox:list")


# --------------------------------------------------------------------------- one message


def test_when_a_message_is_opened_then_its_text_triage_and_rule_title_are_shown(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    html = page(client_for("moderator"), reverse("inbox:detail", args=[inbox["pii"].pk]))
    assert "021 555 0199" in html, "the moderator sees what was said, to decide"
    assert "phone" in html and "email" in html
    assert "IN-01 Personal information" in html, "the rule code comes with its title"
    assert "IN-05 Spam and off-topic comments" in html, "the moderation form offers the pack's rules"


def test_when_a_message_url_is_a_script_url_then_it_is_not_a_link(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    Message.objects.filter(pk=inbox["question"].pk).update(url="javascript:alert(1)")
    html = page(client_for("officer"), reverse("inbox:detail", args=[inbox["question"].pk]))
    assert 'href="javascript:' not in html


def test_when_an_officer_assigns_a_message_to_themselves_then_it_is_theirs_and_audited(
    client_for: Callable[[Any], Client], users: dict[str, Any], inbox: dict[str, Message]
) -> None:
    officer = users["officer"]
    message = inbox["question"]
    response = client_for(officer).post(
        reverse("inbox:assign", args=[message.pk]), {"how": "person", "assignee": officer.pk}
    )
    assert response.status_code == 302 and response["Location"] == reverse("inbox:detail", args=[message.pk])
    assert Message.objects.get(pk=message.pk).assignee_id == officer.pk
    assert AuditEvent.objects.filter(action="message.assigned", subject_id=str(message.pk)).exists()


def test_when_an_officer_assigns_a_message_to_someone_else_then_403_with_the_reason(
    client_for: Callable[[Any], Client], users: dict[str, Any], inbox: dict[str, Message]
) -> None:
    message = inbox["question"]
    response = client_for("officer").post(
        reverse("inbox:assign", args=[message.pk]), {"how": "person", "assignee": users["officer2"].pk}
    )
    assert response.status_code == 403
    assert "There is a problem" in response.content.decode()
    assert Message.objects.get(pk=message.pk).assignee_id is None


def test_when_a_moderator_hides_a_message_citing_a_house_rule_then_it_is_hidden_and_the_rule_recorded(
    client_for: Callable[[Any], Client], inbox: dict[str, Message], users: dict[str, Any]
) -> None:
    message = inbox["maori"]
    response = client_for("moderator").post(
        reverse("inbox:moderate", args=[message.pk]),
        {"kind": "hide", "rule_code": "IN-03", "reason": "Swearing in the second sentence."},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.hidden and message.rule_code == "IN-03"
    moderation = message.moderations.order_by("-pk").first()
    assert moderation is not None and moderation.actor == users["moderator"] and moderation.rule_code == "IN-03"
    html = page(client_for("moderator"), reverse("inbox:detail", args=[message.pk]))
    assert "IN-03 Swearing and obscenity" in html


def test_when_hiding_cites_no_rule_then_400_and_the_message_stays_up(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    message = inbox["maori"]
    response = client_for("moderator").post(reverse("inbox:moderate", args=[message.pk]), {"kind": "hide"})
    assert response.status_code == 400
    assert "Choose the house rule" in response.content.decode()
    assert not Message.objects.get(pk=message.pk).hidden


def test_when_criticism_is_the_only_reason_to_hide_then_it_is_refused(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    message = inbox["maori"]
    response = client_for("moderator").post(
        reverse("inbox:moderate", args=[message.pk]), {"kind": "hide", "rule_code": "IN-03", "reason": "criticism"}
    )
    assert response.status_code == 400
    assert "criticism" in response.content.decode().lower()
    assert not Message.objects.get(pk=message.pk).hidden


def test_when_a_moderator_strikes_and_blocks_an_author_then_the_page_shows_it_and_unblocking_needs_a_reason(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    message = inbox["abuse"]
    client = client_for("moderator")
    detail = reverse("inbox:detail", args=[message.pk])
    before = AuthorStanding.objects.get(author=message.author).strikes
    assert client.post(reverse("inbox:strike", args=[message.pk]), {"rule_code": "IN-02"}).status_code == 302
    assert AuthorStanding.objects.get(author=message.author).strikes == before + 1

    # Block: both the reason and the review date are required.
    response = client.post(reverse("inbox:block", args=[message.pk]), {"reason": "Threats, three times."})
    assert response.status_code == 400 and "Enter the date to review the block" in response.content.decode()
    response = client.post(reverse("inbox:block", args=[message.pk]), {"review_on": "2099-01-01"})
    assert response.status_code == 400 and "Enter the reason for blocking" in response.content.decode()
    assert not AuthorStanding.objects.get(author=message.author).blocked
    review_on = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    response = client.post(
        reverse("inbox:block", args=[message.pk]), {"reason": "Threats, three times.", "review_on": review_on}
    )
    assert response.status_code == 302
    standing = AuthorStanding.objects.get(author=message.author)
    assert standing.blocked and standing.review_on.isoformat() == review_on
    html = page(client, detail)
    assert "Blocked" in html and "Threats, three times." in html and "Unblock the author" in html

    assert client.post(reverse("inbox:unblock", args=[message.pk]), {}).status_code == 400
    assert (
        client.post(reverse("inbox:unblock", args=[message.pk]), {"reason": "Reviewed: apologised."}).status_code == 302
    )
    assert not AuthorStanding.objects.get(author=message.author).blocked


def test_when_the_review_date_is_not_in_the_future_then_the_block_is_refused(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    message = inbox["abuse"]
    response = client_for("moderator").post(
        reverse("inbox:block", args=[message.pk]),
        {"reason": "Threats.", "review_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400 and "must be in the future" in response.content.decode()


def test_when_a_message_needs_no_response_then_closing_it_takes_it_off_the_queue(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    message = inbox["maori"]
    response = client_for("officer").post(reverse("inbox:close", args=[message.pk]), {"reason": "Answered by phone."})
    assert response.status_code == 302
    assert Message.objects.get(pk=message.pk).status in ("closed", "no_action")
    assert "Kia ora" not in " ".join(rows_of(page(client_for("officer"), reverse("inbox:list"))))


def test_when_a_message_has_personal_information_then_the_take_it_offline_template_is_preselected(
    client_for: Callable[[Any], Client], inbox: dict[str, Message], approved_templates: dict[str, ResponseTemplate]
) -> None:
    html = page(client_for("officer"), reverse("inbox:detail", args=[inbox["pii"].pk]))
    offline = approved_templates["take_offline"]
    assert re.search(rf'<option value="{offline.pk}"\s+selected', html), "take it offline is preselected"
    html = page(client_for("officer"), reverse("inbox:detail", args=[inbox["complaint"].pk]))
    assert not re.search(rf'<option value="{offline.pk}"\s+selected', html)


def test_when_an_officer_starts_a_reply_from_a_template_then_the_draft_page_opens_with_the_message_as_reply_to(
    client_for: Callable[[Any], Client], inbox: dict[str, Message], approved_templates: dict[str, ResponseTemplate]
) -> None:
    from govsocial.web.drafts.models import Draft

    message = inbox["question"]
    client = client_for("officer")
    response = client.post(reverse("inbox:reply", args=[message.pk]), {"template": approved_templates["general"].pk})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.reply_draft is not None and message.status == "replying"
    assert response["Location"] == reverse("drafts:detail", args=[message.reply_draft.pk])
    draft = Draft.objects.get(pk=message.reply_draft.pk)
    assert draft.reply_to == message.text and "Thanks for your question" in draft.current.text
    html = page(client, reverse("inbox:detail", args=[message.pk]))
    assert reverse("drafts:detail", args=[draft.pk]) in html and "Start a reply" not in html
    # A second reply is not offered while one is in progress; asked anyway, it is refused.
    response = client.post(reverse("inbox:reply", args=[message.pk]), {"text": "Another go."})
    assert response.status_code == 400 and "already in progress" in response.content.decode()


def test_when_no_template_and_no_text_is_given_then_the_reply_is_refused(
    client_for: Callable[[Any], Client], inbox: dict[str, Message]
) -> None:
    response = client_for("officer").post(reverse("inbox:reply", args=[inbox["question"].pk]), {})
    assert response.status_code == 400
    assert "Write the reply or choose a template" in response.content.decode()


def test_when_an_unapproved_template_is_sent_then_it_is_not_a_choice(
    client_for: Callable[[Any], Client], users: dict[str, Any], agency: Any, inbox: dict[str, Message]
) -> None:
    draft_template = services.template_create(
        actor=users["officer"], agency=agency, key="unapproved", title="Unapproved", body="Not yet.", purpose="general"
    )
    response = client_for("officer").post(
        reverse("inbox:reply", args=[inbox["question"].pk]), {"template": draft_template.pk}
    )
    assert response.status_code == 400
    assert Message.objects.get(pk=inbox["question"].pk).reply_draft_id is None


def test_when_the_reply_is_published_then_the_message_shows_answered_with_the_link(
    client_for: Callable[[Any], Client], users: dict[str, Any], inbox: dict[str, Message]
) -> None:
    from govsocial.web.drafts import services as drafts

    message = inbox["question"]
    draft = services.reply_start(actor=users["officer"], message=message, text="It opens on Monday at 9am.")
    draft = drafts.draft_submit(actor=users["officer"], draft=draft)
    if draft.state == "awaiting_approval":
        drafts.draft_approve(approver=users["approver"], draft=draft, reason="")
        draft.refresh_from_db()
    drafts.draft_publish(actor=users["comms_manager"], draft=draft, url="https://x.example/MinistryOfTests/status/99")
    html = page(client_for("officer"), reverse("inbox:detail", args=[message.pk]))
    assert "Answered" in html
    assert 'href="https://x.example/MinistryOfTests/status/99"' in html


# --------------------------------------------------------------------------- templates


def test_when_an_officer_proposes_a_template_then_it_waits_for_a_comms_manager_who_did_not_write_it(
    client_for: Callable[[Any], Client], users: dict[str, Any]
) -> None:
    officer, comms = client_for("officer"), client_for("comms_manager")
    response = officer.post(
        reverse("inbox:template_new"),
        {"title": "Opening hours", "key": "opening-hours", "purpose": "general", "body": "We are open 9 to 5."},
    )
    assert response.status_code == 302
    template = ResponseTemplate.objects.get(key="opening-hours")
    assert not template.approved
    html = page(officer, reverse("inbox:templates"))
    assert "Awaiting approval" in html and reverse("inbox:template_approve", args=[template.pk]) not in html
    assert officer.post(reverse("inbox:template_approve", args=[template.pk])).status_code == 403

    # The comms manager edits it: now they are its last editor and cannot approve it.
    response = comms.post(
        reverse("inbox:template_edit", args=[template.pk]),
        {"title": "Opening hours", "key": "opening-hours", "purpose": "general", "body": "We are open 9am to 5pm."},
    )
    assert response.status_code == 302
    assert comms.post(reverse("inbox:template_approve", args=[template.pk])).status_code == 403
    assert not ResponseTemplate.objects.get(pk=template.pk).approved
    assert client_for("admin").post(reverse("inbox:template_approve", args=[template.pk])).status_code == 302
    assert ResponseTemplate.objects.get(pk=template.pk).approved
    assert "Approved" in page(officer, reverse("inbox:templates"))


def test_when_an_approved_template_is_changed_then_it_needs_approving_again(
    client_for: Callable[[Any], Client], approved_templates: dict[str, ResponseTemplate]
) -> None:
    template = approved_templates["general"]
    response = client_for("officer").post(
        reverse("inbox:template_edit", args=[template.pk]),
        {"title": template.title, "key": template.key, "purpose": template.purpose, "body": "New words."},
    )
    assert response.status_code == 302
    assert not ResponseTemplate.objects.get(pk=template.pk).approved


def test_when_a_template_key_is_not_a_slug_then_the_form_says_so(client_for: Callable[[Any], Client]) -> None:
    response = client_for("comms_manager").post(
        reverse("inbox:template_new"), {"title": "T", "key": "Not A Slug!", "purpose": "general", "body": "Words."}
    )
    assert response.status_code == 400 and "lower-case letters" in response.content.decode()


# --------------------------------------------------------------------------- monitoring hours


def test_when_a_comms_manager_saves_the_monitoring_hours_then_they_are_stored(
    client_for: Callable[[Any], Client], agency: Any
) -> None:
    response = client_for("comms_manager").post(
        reverse("inbox:settings"),
        {
            "timezone": "Pacific/Auckland",
            "workday_start": "08:30",
            "workday_end": "16:30",
            "workdays": ["1", "2", "3", "4"],
            "holidays": "2026-12-25\n\n2026-12-28\n2026-12-25",
        },
    )
    assert response.status_code == 302
    stored = InboxSettings.objects.get(agency=agency)
    assert stored.workday_start == dt.time(8, 30) and stored.workday_end == dt.time(16, 30)
    assert list(stored.workdays) == [1, 2, 3, 4]
    assert list(stored.holidays) == ["2026-12-25", "2026-12-28"]
    html = page(client_for("comms_manager"), reverse("inbox:settings"))
    assert 'value="08:30"' in html and "2026-12-28" in html


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"holidays": "25 December"}, "Line 1 is not a date"),
        ({"workday_end": "08:00"}, "Monitoring must end after it starts"),
        ({"workdays": []}, "Choose at least one day"),
        ({"timezone": "Mars/Olympus"}, "Select a valid choice"),
    ],
)
def test_when_the_monitoring_hours_are_wrong_then_the_form_says_why(
    client_for: Callable[[Any], Client], change: dict[str, Any], error: str
) -> None:
    data = {"timezone": "Pacific/Auckland", "workday_start": "09:00", "workday_end": "17:00", "workdays": ["1"]}
    response = client_for("admin").post(reverse("inbox:settings"), {**data, **change})
    assert response.status_code == 400
    assert error in response.content.decode()


# --------------------------------------------------------------------------- connectors


class RecordingConnector:
    """A stand-in platform: one page of messages, and a record of the replies sent."""

    kind = "rss"

    def __init__(self, config: Mapping[str, Any], secret: str = "") -> None:
        self.config = config
        self.replies: list[tuple[str, str]] = []

    def poll(self, cursor: str) -> Page:
        if cursor:
            return Page(messages=(), cursor=cursor)
        return Page(
            messages=(Incoming(platform_id="feed-1", text=QUESTION, author="reader", kind="comment"),),
            cursor="after-feed-1",
        )

    def reply(self, *, in_reply_to: str, text: str) -> SentReply:
        self.replies.append((in_reply_to, text))
        return SentReply(platform_id="r1", url="https://example.org/r1")

    def hide(self, platform_id: str) -> None:
        return None

    def report(self, platform_id: str, *, reason: str) -> None:
        return None


@pytest.fixture
def fake_rss(monkeypatch: pytest.MonkeyPatch) -> None:
    from govsocial.connectors import base

    monkeypatch.setitem(base._FACTORIES, "rss", RecordingConnector)


def test_when_a_comms_manager_adds_a_feed_then_the_channel_page_shows_it_and_check_now_brings_its_messages_in(
    client_for: Callable[[Any], Client], channel: Any, fake_rss: None
) -> None:
    comms = client_for("comms_manager")
    html = page(comms, reverse("channels:detail", args=[channel.pk]))
    assert "Monitoring" in html and "No connectors" in html
    response = comms.post(
        reverse("inbox:connector_new", args=[channel.pk]),
        {
            "kind": "rss",
            "name": "Blog comments",
            "feed_url": "https://blog.example/comments.xml",
            "poll_interval_s": "300",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    connector = Connector.objects.get(name="Blog comments")
    assert connector.config["url"] == "https://blog.example/comments.xml"
    html = page(comms, reverse("channels:detail", args=[channel.pk]))
    assert "Blog comments" in html and "Waiting" in html

    response = comms.post(reverse("inbox:connector_poll", args=[connector.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("channels:detail", args=[channel.pk])
    assert Message.objects.filter(channel=channel, platform_id="feed-1").count() == 1
    html = page(comms, reverse("channels:detail", args=[channel.pk]))
    assert "Working" in html
    # Checking again stores nothing twice.
    comms.post(reverse("inbox:connector_poll", args=[connector.pk]))
    assert Message.objects.filter(channel=channel, platform_id="feed-1").count() == 1


def test_when_a_connector_has_a_secret_then_no_page_ever_shows_it(
    client_for: Callable[[Any], Client], channel: Any, users: dict[str, Any]
) -> None:
    secret = "s3cret-token-never-shown-0123456789"
    comms = client_for("comms_manager")
    response = comms.post(
        reverse("inbox:connector_new", args=[channel.pk]),
        {"kind": "webhook", "name": "Forms hook", "secret": secret, "poll_interval_s": "300"},
    )
    assert response.status_code == 302
    connector = Connector.objects.get(name="Forms hook")
    assert connector.secret == secret
    for url in (reverse("channels:detail", args=[channel.pk]), reverse("inbox:connector_edit", args=[connector.pk])):
        assert secret not in page(comms, url)
    # Saving the edit form without a new secret keeps the old one.
    response = comms.post(
        reverse("inbox:connector_edit", args=[connector.pk]),
        {"name": "Forms hook 2", "poll_interval_s": "600", "enabled": "yes"},
    )
    assert response.status_code == 302
    connector.refresh_from_db()
    assert connector.secret == secret and connector.name == "Forms hook 2" and connector.poll_interval_s == 600
    # An invalid form does not echo a typed secret back either.
    response = comms.post(
        reverse("inbox:connector_new", args=[channel.pk]),
        {"kind": "mastodon", "name": "M", "secret": secret, "poll_interval_s": "5"},
    )
    assert response.status_code == 400 and secret not in response.content.decode()


def test_when_a_mastodon_connector_lacks_its_instance_then_the_form_asks_for_it(
    client_for: Callable[[Any], Client], channel: Any
) -> None:
    response = client_for("admin").post(
        reverse("inbox:connector_new", args=[channel.pk]), {"kind": "mastodon", "name": "M", "poll_interval_s": "300"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the address of the Mastodon instance" in html and "Enter the access token" in html


# --------------------------------------------------------------------------- published guidelines


def test_when_anyone_opens_the_guidelines_then_the_house_rules_channels_and_hours_are_shown_without_sign_in(
    agency: Any, channel: Any, users: dict[str, Any]
) -> None:
    services.inbox_settings_update(
        actor=users["admin"], agency=agency, workdays=[1, 2, 3, 4, 5], holidays=["2026-12-25"]
    )
    html = page(Client(), reverse("inbox:guidelines", args=[agency.slug]))
    for text in ("IN-01 Personal information", "IN-15 Criticism", "@MinistryOfTests", "Raise a concern"):
        assert text in html, text
    assert "8 working hours" in html, "the channel's response target"
    assert "Monday, Tuesday, Wednesday, Thursday, Friday" in html and "09:00" in html and "public holidays" in html
    assert "Ministry of Tests" in html, "the agency's own name heads the page"
    assert "#005a30" in html, "in the agency's colour"


def test_when_the_agency_is_unknown_then_the_guidelines_are_404(db: Any) -> None:
    assert Client().get(reverse("inbox:guidelines", args=["no-such-agency"])).status_code == 404
