"""Security properties of the workspace that cut across its apps.

- CSRF: every POST route of the pages (from the permission table in ``test_permissions``) refuses
  a request without the token (403) and accepts it with the token; every form on every page
  carries the token.
- Output escaping: a corpus of XSS payloads stored in draft text, titles, replies, approval
  comments, user display names, channel names and handles, token names, the findings' messages,
  fixes, names, clauses and evidence, and sent back in query strings and form fields, is shown
  only as text: no tag, attribute, script or comment comes from it, and Jinja expressions in data
  are never evaluated.
- Sessions: ``SESSION_COOKIE_AGE`` is honoured (an expired session is sent to sign in) and the
  cookie dies with the browser; signing out ends the session on the server.
- Four eyes: nobody approves or returns their own draft (or one they edited), by page or API.
- Audit tamper detection: a modified, deleted or reordered event is found by ``verify_chain``
  and by ``govsocial audit verify`` (exit 1, naming the first broken link).
- Production settings send the security headers and mark cookies secure.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from test_permissions import CASES, ROLES, Case, World, build_world, url_for

import govsocial
from govsocial.model import Finding, Post, ReviewResult, Severity, Verdict

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
OK_TEXT = "Our offices are open 9am to 5pm on weekdays."
MARK = "XSSMARK"


@pytest.fixture
def world(users: dict[str, Any], channel: Any, team: Any, outsider: Any, other_agency: Any, password: str) -> World:
    return build_world(
        users=users, channel=channel, team=team, outsider=outsider, other_agency=other_agency, password=password
    )


# --------------------------------------------------------------------------- CSRF

PAGE_POSTS = tuple(c for c in CASES if c.method == "POST" and not c.api)


def _csrf_subject(case: Case) -> str:
    if case.everyone is not None:
        return "anonymous" if case.route == "accounts:login" else "officer"
    return next(r for r in ROLES if r in case.allowed)


def _csrf_client(world: World, subject: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    if subject != "anonymous":
        client.force_login(world.users[subject], backend="django.contrib.auth.backends.ModelBackend")
    return client


def _csrf_cookie(client: Client) -> str:
    """Open a page with a form, so the CSRF cookie is set, and return it."""
    response = client.get(reverse("accounts:login"))
    assert response.status_code in (200, 302)
    if "csrftoken" not in client.cookies:
        client.get(reverse("accounts:profile"))
    return str(client.cookies["csrftoken"].value)


@pytest.mark.parametrize("case", PAGE_POSTS, ids=lambda c: c.id)
def test_when_a_form_is_posted_without_the_csrf_token_then_403(case: Case, world: World) -> None:
    subject = _csrf_subject(case)
    user = world.users.get(subject)
    client = _csrf_client(world, subject)
    url = url_for(case, world, subject)
    data = case.data(world, user) if case.data else {}
    response = client.post(url, data)
    assert response.status_code == 403, f"{subject} POST {url} without a CSRF token: {response.status_code}"

    # The same request with the token gets through the check.
    token = _csrf_cookie(client)
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code != 403, f"{subject} POST {url} with a CSRF token: 403"


def test_when_htmx_posts_with_the_header_token_then_the_check_passes(world: World) -> None:
    client = _csrf_client(world, "officer")
    token = _csrf_cookie(client)
    url = reverse("review:check-partial")
    assert client.post(url, {"text": OK_TEXT, "pack": "nz"}, HTTP_HX_REQUEST="true").status_code == 403
    response = client.post(url, {"text": OK_TEXT, "pack": "nz"}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


class _Forms(HTMLParser):
    """The POST forms of a page and whether each carries a CSRF token field."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._open: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._open = {"action": a.get("action"), "method": (a.get("method") or "get").lower(), "csrf": False}
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None and a.get("name") == "csrfmiddlewaretoken" and a.get("value"):
            self._open["csrf"] = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def test_every_post_form_on_every_page_carries_the_csrf_token(world: World) -> None:
    from govsocial.web.accounts.services import user_create

    everyone = user_create(
        actor=None,
        agency=world.channel.agency,
        username="all-roles",
        password=None,
        display_name="All roles",
        roles=list(ROLES),
    )
    pages = {url_for(c, world, "admin") for c in CASES if c.method == "GET" and not c.api and c.obj != "token"}
    seen = 0
    for who in (everyone, None):
        client = Client()
        if who is not None:
            client.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
        for url in sorted(pages):
            response = client.get(url, follow=True)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            parser = _Forms()
            parser.feed(response.content.decode())
            for form in parser.forms:
                if form["method"] == "post":
                    seen += 1
                    assert form["csrf"], f"{url}: the form posting to {form['action']} has no CSRF token"
    assert seen >= 10


# --------------------------------------------------------------------------- output escaping

XSS_PAYLOADS: tuple[str, ...] = (
    "<script>alert('XSSMARK')</script>",
    "<SCRIPT SRC=//evil.example/XSSMARK.js></SCRIPT>",
    "<img src=x onerror=alert('XSSMARK')>",
    "<svg onload=alert('XSSMARK')>",
    "<svg><script>alert('XSSMARK')</script></svg>",
    "<body onload=alert('XSSMARK')>",
    "<iframe src=\"javascript:alert('XSSMARK')\"></iframe>",
    "<a href=\"javascript:alert('XSSMARK')\">click XSSMARK</a>",
    "<a href=\"&#106;avascript:alert('XSSMARK')\">XSSMARK</a>",
    "javascript:alert('XSSMARK')",
    "\"><script>alert('XSSMARK')</script>",
    "'><img src=x onerror=alert('XSSMARK')>",
    '" onmouseover="alert(\'XSSMARK\')" x="',
    "' onfocus='alert(\"XSSMARK\")' autofocus='",
    "</textarea><script>alert('XSSMARK')</script>",
    "</title><script>alert('XSSMARK')</script>",
    "<!--<script>alert('XSSMARK')</script>-->",
    "--><script>alert('XSSMARK')</script><!--",
    "<details open ontoggle=alert('XSSMARK')>",
    "<input autofocus onfocus=alert('XSSMARK')>",
    "<math><mtext></p><script>alert('XSSMARK')</script>",
    "<style>@import 'javascript:alert(\"XSSMARK\")';</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'XSSMARK\')">',
    '<div hx-get="/accounts/logout/" hx-trigger="load">XSSMARK</div>',
    "<scr<script>ipt>alert('XSSMARK')</scr</script>ipt>",
    "{{7*7}} XSSMARK",
    "{% for x in range(3) %}XSSMARK{% endfor %}",
    "{{ request.user.password }} {{ settings.SECRET_KEY }} XSSMARK",
    "${7*7} #{7*7} <%= 7*7 %> XSSMARK",
    "&lt;script&gt;alert('XSSMARK')&lt;/script&gt;",
    "%3Cscript%3Ealert('XSSMARK')%3C/script%3E",
    "\u202e<script>alert('XSSMARK')</script>\u202c",
    "<scr\u200bipt>alert('XSSMARK')</scr\u200bipt>",
    "\uff1cscript\uff1ealert('XSSMARK')\uff1c/script\uff1e",
)

_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc"}
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\u200b-\u200f\u202a-\u202e\ufeff]+")


class _Injection(HTMLParser):
    """Finds markup that came from a payload: the marker in a tag or attribute name, in an event
    handler, in a script, style or comment, and script URLs in link-like attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.attr_values: list[str] = []
        self._raw: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if MARK.lower() in tag.lower():
            self.problems.append(f"tag <{tag}>")
        if tag in ("script", "style"):
            self._raw.append(tag)
        for name, value in attrs:
            value = value or ""
            self.attr_values.append(value)
            if MARK.lower() in name.lower():
                self.problems.append(f"attribute name {name!r} on <{tag}>")
            if name.startswith("on") and MARK in value:
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name.startswith("hx-") and MARK in value:
                self.problems.append(f"htmx attribute {name}={value!r} on <{tag}>")
            if name in _URL_ATTRS and _BAD_SCHEME.match(_INVISIBLE.sub("", value)):
                self.problems.append(f"script URL {name}={value!r} on <{tag}>")
            if name == "content" and "javascript:" in value.lower():
                self.problems.append(f"script URL in <{tag} content={value!r}>")
            if name == "style" and MARK in value:
                self.problems.append(f"style attribute {value!r} on <{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style") and self._raw:
            self._raw.pop()

    def handle_endtag(self, tag: str) -> None:
        if self._raw and tag == self._raw[-1]:
            self._raw.pop()

    def handle_data(self, data: str) -> None:
        if self._raw and MARK in data:
            self.problems.append(f"inside <{self._raw[-1]}>: {data.strip()[:80]!r}")
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        if MARK in data:
            self.problems.append(f"inside a comment: {data.strip()[:80]!r}")


def assert_escaped(page: str, body: str, payload: str, *, shown: bool = True) -> None:
    """``payload`` appears on the page only as text (or an attribute's value)."""
    parser = _Injection()
    parser.feed(body)
    parser.close()
    problems = list(parser.problems)
    if any(ch in payload for ch in "<>\"'") and payload in body:
        problems.append("the payload appears unescaped")
    text = "".join(parser.text)
    if "{{7*7}}" in payload and "49 " + MARK in text:
        problems.append("a Jinja expression in the data was evaluated")
    if "{%" in payload and MARK * 2 in text.replace(" ", ""):
        problems.append("a Jinja statement in the data was run")
    if "SECRET_KEY" in payload:
        from django.conf import settings

        if settings.SECRET_KEY in body:
            problems.append("the secret key was rendered")
    if shown and MARK not in text and not any(MARK in v for v in parser.attr_values):
        problems.append("the payload is not on the page at all (was the test data shown?)")
    assert not problems, f"{page}: payload {payload!r}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert('XSSMARK')</script>",
        "<img src=x onerror=alert('XSSMARK')>",
        "<a href=\"javascript:alert('XSSMARK')\">XSSMARK</a>",
        "</textarea><script>alert('XSSMARK')</script>",
        '" onmouseover="alert(\'XSSMARK\')" x="',
        '<div hx-get="/accounts/logout/" hx-trigger="load">XSSMARK</div>',
        "--><script>alert('XSSMARK')</script><!--",
    ],
)
def test_the_escaping_check_catches_markup_that_was_not_escaped(payload: str) -> None:
    """The checker itself: a page that puts the payload in raw must fail it."""
    page = '<html><body><form><textarea name="t">{}</textarea><input value="{}"><!-- {} --></form></body></html>'
    with pytest.raises(AssertionError):
        assert_escaped("raw", page.format(payload, payload, payload), payload)
    escaped = html.escape(payload, quote=True)
    assert_escaped("escaped", page.format(escaped, escaped, "nothing"), payload)


def _stand_in_review(payload: str) -> Callable[..., ReviewResult]:
    """An engine whose one finding carries the payload in every free-text field."""

    def review(post: Post, pack: Any = "nz", **kwargs: Any) -> ReviewResult:
        loaded = govsocial.load_pack(pack)
        finding = Finding(
            code="PRIV201",
            name=payload,
            severity=Severity.HIGH,
            message=f"Message: {payload}",
            fix=f"Fix: {payload}",
            start=0,
            end=min(len(post.text), 12),
            clauses=(payload, "XR-01"),
            evidence={"value": payload, payload: payload},
        )
        return ReviewResult(
            verdict=Verdict.from_worst(Severity.HIGH),
            findings=(finding,),
            pack=loaded.ref,
            engine=("stand-in " + payload)[:50],  # Revision.engine holds 50 characters
            context=post.context,
        )

    return review


@dataclass
class Stage:
    """The pages to check for one payload, each as (name, client, method, url, data, shown)."""

    payload: str
    pages: list[tuple[str, Client, str, str, dict[str, Any], bool]] = field(default_factory=list)

    def add(
        self,
        name: str,
        client: Client,
        url: str,
        data: dict[str, Any] | None = None,
        *,
        post: bool = False,
        shown: bool = True,
    ) -> None:
        self.pages.append((name, client, "post" if post else "get", url, data or {}, shown))

    def run(self) -> Iterator[tuple[str, str, bool]]:
        for name, client, method, url, data, shown in self.pages:
            response = getattr(client, method)(url, data)
            assert response.status_code in (200, 400, 404), f"{name} {url}: {response.status_code}"
            yield name, response.content.decode(), shown


def _stage_inbox(
    stage: Stage, payload: str, *, channel: Any, users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    """The inbox pages, with the payload in a message (text, author, link, triage reasons, personal
    information kinds), its moderation, its author's block, a response template and a connector
    (name, settings, last error), and sent back in the list's filters and in refused forms."""
    from govsocial.connectors import Incoming
    from govsocial.web.inbox import services as inbox
    from govsocial.web.inbox.models import AuthorStanding, Connector, Message, Moderation, ResponseTemplate

    (pk,) = inbox.ingest(
        channel=channel,
        items=[Incoming(platform_id="xss-1", text=payload + " When do you open?", author=payload[:200])],
    ).ids
    message = Message.objects.get(pk=pk)
    Message.objects.filter(pk=pk).update(
        author_name=payload[:200],
        url=payload[:500],
        pii_kinds=[payload],
        triage={**message.triage, "reasons": [payload], "template": payload},
        triaged_with=payload[:300],
    )
    Moderation.objects.create(
        message=message, kind="hide", rule_code="IN-01", reason=payload, at=timezone.now(), platform_error=payload
    )
    AuthorStanding.objects.update_or_create(
        agency=channel.agency,
        platform=channel.platform,
        author=payload[:200],
        defaults={"blocked": True, "block_reason": payload, "strikes": 2},
    )
    template = ResponseTemplate.objects.create(
        agency=channel.agency, key="xss", title=payload[:200], body=payload, approved=True, purpose="general"
    )
    connector = Connector.objects.create(
        agency=channel.agency,
        channel=channel,
        kind="rss",
        name=payload[:200],
        config={"url": payload},
        last_error=payload,
        failures=1,
    )
    as_officer, as_moderator, as_comms = (client_for(users[r]) for r in ("officer", "moderator", "comms_manager"))
    stage.add("inbox list", as_officer, reverse("inbox:list"), {"status": "all"})
    stage.add(
        "inbox filtered",
        as_officer,
        reverse("inbox:list"),
        {"status": payload, "q": payload, "category": payload, "channel": payload, "sort": payload, "after": payload},
    )
    stage.add("inbox message", as_moderator, reverse("inbox:detail", args=[pk]))
    stage.add(
        "inbox bulk invalid",
        as_moderator,
        reverse("inbox:bulk"),
        {"ids": [pk], "action": payload, "reason": payload, "next": "/inbox/?q=" + quote(payload)},
        post=True,
    )
    stage.add(
        "inbox moderate invalid",
        as_moderator,
        reverse("inbox:moderate", args=[pk]),
        {"kind": "hide", "rule_code": payload, "reason": payload},
        post=True,
    )
    stage.add(
        "inbox reply invalid",
        as_officer,
        reverse("inbox:reply", args=[pk]),
        {"template": payload},
        post=True,
        shown=False,
    )
    stage.add("templates", as_officer, reverse("inbox:templates"))
    stage.add("template edit", as_comms, reverse("inbox:template_edit", args=[template.pk]))
    stage.add(
        "template invalid",
        as_comms,
        reverse("inbox:template_new"),
        {"title": payload, "key": payload, "body": payload, "purpose": payload},
        post=True,
    )
    stage.add(
        "inbox settings invalid",
        as_comms,
        reverse("inbox:settings"),
        {"timezone": payload, "holidays": payload, "workday_start": payload},
        post=True,
    )
    stage.add("connector edit", as_comms, reverse("inbox:connector_edit", args=[connector.pk]))
    stage.add(
        "connector invalid",
        as_comms,
        reverse("inbox:connector_new", args=[channel.pk]),
        {"kind": "rss", "name": payload, "feed_url": payload, "handle": payload, "secret": payload},
        post=True,
    )
    stage.add("guidelines", Client(), reverse("inbox:guidelines", args=[channel.agency.slug]))


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=[f"xss{i:02d}" for i in range(len(XSS_PAYLOADS))])
def test_when_data_holds_an_xss_payload_then_pages_show_it_only_as_text(
    payload: str,
    users: dict[str, Any],
    channel: Any,
    team: Any,
    client_for: Callable[[Any], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from govsocial.web.accounts.models import User
    from govsocial.web.accounts.services import api_token_create
    from govsocial.web.channels.models import Channel
    from govsocial.web.drafts import services

    monkeypatch.setattr(govsocial, "review", _stand_in_review(payload))
    # Stored straight in the database: escaping must not depend on input validation.
    User.objects.filter(pk__in=[users["officer"].pk, users["approver"].pk]).update(display_name=payload)
    Channel.objects.filter(pk=channel.pk).update(name=f"Channel {payload}", handle=payload[:200])
    careful = Channel.objects.create(
        agency=channel.agency,
        name=payload,
        platform="facebook",
        handle="careful " + payload[:150],
        requires_approval=True,
    )
    careful.publishers.add(users["approver"])
    for u in users.values():
        u.refresh_from_db()

    officer, approver, admin, comms = users["officer"], users["approver"], users["admin"], users["comms_manager"]
    open_draft = services.draft_create(
        author=officer, channel=channel, text=payload + " open", title=payload, reply_to=payload
    )
    sent = services.draft_create(author=officer, channel=careful, text=payload, title=payload[:200], reply_to=payload)
    sent = services.draft_submit(actor=officer, draft=sent)
    returned = services.draft_create(author=officer, channel=careful, text=payload, title="Returned " + payload[:150])
    services.draft_return(
        approver=approver, draft=services.draft_submit(actor=officer, draft=returned), comments=payload
    )
    api_token_create(user=admin, name=payload[:100])

    as_officer, as_approver, as_admin, as_comms = (client_for(u) for u in (officer, approver, admin, comms))
    stage = Stage(payload)
    q = {"q": payload}
    stage.add("drafts list", as_officer, reverse("drafts:list"))
    stage.add("drafts search", as_officer, reverse("drafts:list"), q)
    stage.add("draft detail", as_officer, reverse("drafts:detail", args=[open_draft.pk]))
    stage.add("draft sent", as_officer, reverse("drafts:detail", args=[sent.pk]))
    stage.add("draft returned", as_officer, reverse("drafts:detail", args=[returned.pk]))
    stage.add("draft edit", as_officer, reverse("drafts:edit", args=[open_draft.pk]))
    stage.add("new draft form", as_officer, reverse("drafts:create"), {"channel": payload})
    stage.add(
        "new draft invalid",
        as_officer,
        reverse("drafts:create"),
        {"channel": payload, "text": payload, "reply_to": payload},
        post=True,
    )
    stage.add("approvals", as_approver, reverse("drafts:approvals"))
    stage.add("approve page", as_approver, reverse("drafts:approve", args=[sent.pk]))
    stage.add(
        "approve invalid",
        as_approver,
        reverse("drafts:approve", args=[sent.pk]),
        {"reason": payload * (2001 // len(payload) + 1)},
        post=True,
    )
    stage.add("return page", as_approver, reverse("drafts:return", args=[sent.pk]))
    stage.add(
        "check page",
        as_officer,
        reverse("review:check"),
        {"text": payload, "reply_to": payload, "pack": "nz", "context": "official"},
        post=True,
    )
    stage.add("check bad pack", as_officer, reverse("review:check"), {"text": payload, "pack": payload}, post=True)
    stage.add(
        "check partial",
        as_officer,
        reverse("review:check-partial"),
        {"text": payload, "pack": "nz", "context": "official"},
        post=True,
    )
    stage.add("channels", as_officer, reverse("channels:list"))
    stage.add("channels search", as_officer, reverse("channels:list"), q)
    stage.add("channel detail", as_officer, reverse("channels:detail", args=[channel.pk]))
    stage.add("channel edit", as_comms, reverse("channels:edit", args=[channel.pk]))
    stage.add(
        "channel invalid",
        as_comms,
        reverse("channels:create"),
        {"name": payload, "handle": payload, "platform": payload, "pack": payload},
        post=True,
    )
    stage.add("users", as_admin, reverse("accounts:users"))
    stage.add("users search", as_admin, reverse("accounts:users"), {**q, "role": payload})
    stage.add("user edit", as_admin, reverse("accounts:user_edit", args=[officer.pk]))
    stage.add("tokens", as_admin, reverse("accounts:tokens"))
    stage.add("audit log", as_admin, reverse("audit:list"))
    stage.add("audit filtered", as_admin, reverse("audit:list"), {"action": payload, "subject": payload}, shown=False)
    stage.add("profile", as_officer, reverse("accounts:profile"))
    stage.add("login next", Client(), reverse("accounts:login"), {"next": payload}, shown=False)
    stage.add("not found", as_officer, "/drafts/" + quote(payload, safe="") + "/", shown=False)
    _stage_inbox(stage, payload, channel=channel, users=users, client_for=client_for)
    for name, body, shown in stage.run():
        assert_escaped(name, body, payload, shown=shown)


def test_when_a_live_url_is_a_script_url_then_publishing_refuses_it(
    users: dict[str, Any], channel: Any, client_for: Callable[[Any], Client]
) -> None:
    from govsocial.web.accounts.services import api_token_create
    from govsocial.web.drafts import services

    officer, comms = users["officer"], users["comms_manager"]
    draft = services.draft_create(author=officer, channel=channel, text=OK_TEXT)
    draft = services.draft_submit(actor=officer, draft=draft)
    if draft.state == "awaiting_approval":
        services.draft_approve(approver=users["approver"], draft=draft, reason="ok")
    draft.refresh_from_db()
    assert draft.state == "ready"
    for url in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ):
        response = client_for(comms).post(reverse("drafts:publish", args=[draft.pk]), {"url": url})
        assert response.status_code == 400, url
        _token, key = api_token_create(user=comms, name="t")
        response = Client().post(
            f"/api/v1/drafts/{draft.pk}/publish",
            json.dumps({"url": url}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert response.status_code == 422, url
        draft.refresh_from_db()
        assert draft.state == "ready" and not draft.published_url


def test_when_the_api_returns_payloads_then_it_is_json_not_html(
    users: dict[str, Any], channel: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govsocial.web.accounts.services import api_token_create

    payload = XSS_PAYLOADS[0]
    monkeypatch.setattr(govsocial, "review", _stand_in_review(payload))
    _token, key = api_token_create(user=users["officer"], name="t")
    response = Client().post(
        "/api/v1/reviews",
        json.dumps({"text": payload}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["findings"][0]["message"] == f"Message: {payload}"


# --------------------------------------------------------------------------- sessions


def _sign_in(client: Client, username: str, password: str) -> None:
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302 and not response["Location"].startswith(reverse("accounts:login")), response


def _at(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Move the clock ``seconds`` into the future for everything that asks Django for the time."""
    import datetime as dt

    real_now = timezone.now

    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(seconds=seconds))


def test_when_the_session_is_older_than_its_age_then_the_next_page_asks_to_sign_in(
    users: dict[str, Any], password: str, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SESSION_COOKIE_AGE = 600
    client = Client()
    _sign_in(client, users["officer"].username, password)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"], "the session cookie should end with the browser"
    assert client.get(reverse("drafts:list")).status_code == 200

    with monkeypatch.context() as m:
        _at(m, 590)
        assert client.get(reverse("drafts:list")).status_code == 200
    with monkeypatch.context() as m:
        _at(m, 610)
        response = client.get(reverse("drafts:list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_when_someone_signs_out_then_the_old_session_cookie_is_useless(
    users: dict[str, Any], password: str, settings: Any
) -> None:
    client = Client()
    _sign_in(client, users["officer"].username, password)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:logout"))
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = thief.get(reverse("drafts:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_when_someone_signs_in_then_the_session_key_changes(
    users: dict[str, Any], password: str, settings: Any
) -> None:
    """No session fixation: the key before sign-in is not the key after."""
    client = Client()
    client.get(reverse("accounts:login"))
    session = client.session
    session["planted"] = True
    session.save()
    before = session.session_key
    _sign_in(client, users["officer"].username, password)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


# --------------------------------------------------------------------------- four eyes


@pytest.fixture
def careful_channel(channel: Any, team: Any) -> Any:
    from govsocial.web.channels.services import channel_create

    return channel_create(
        actor=None,
        agency=channel.agency,
        name="Careful",
        platform="facebook",
        handle="Careful",
        owning_team=team,
        requires_approval=True,
    )


def _api(user: Any) -> Client:
    from govsocial.web.accounts.services import api_token_create

    _token, key = api_token_create(user=user, name="four eyes")
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def test_when_an_approver_wrote_the_draft_then_neither_page_nor_api_lets_them_approve_it(
    agency: Any, team: Any, careful_channel: Any, client_for: Callable[[Any], Client]
) -> None:
    from govsocial.web.accounts.services import user_create
    from govsocial.web.drafts import services
    from govsocial.web.drafts.models import Approval, Draft

    both = user_create(
        actor=None,
        agency=agency,
        username="writes-and-approves",
        password=None,
        display_name="Both",
        roles=["officer", "approver"],
        teams=[team],
    )
    draft = services.draft_submit(
        actor=both, draft=services.draft_create(author=both, channel=careful_channel, text=OK_TEXT)
    )
    assert draft.state == "awaiting_approval"

    page = client_for(both)
    assert page.get(reverse("drafts:approve", args=[draft.pk])).status_code == 403
    assert page.post(reverse("drafts:approve", args=[draft.pk]), {"reason": "mine"}).status_code == 403
    assert page.post(reverse("drafts:return", args=[draft.pk]), {"comments": "mine"}).status_code == 403
    detail = page.get(reverse("drafts:detail", args=[draft.pk])).content.decode()
    assert reverse("drafts:approve", args=[draft.pk]) not in detail
    from govsocial.web.drafts.selectors import approvals_queue

    assert draft.pk not in {d.pk for d in approvals_queue(for_user=both)}
    assert reverse("drafts:detail", args=[draft.pk]) not in page.get(reverse("drafts:approvals")).content.decode()

    api = _api(both)
    response = api.post(
        f"/api/v1/drafts/{draft.pk}/approve", json.dumps({"reason": "mine"}), content_type="application/json"
    )
    assert response.status_code == 403, response.content
    response = api.post(
        f"/api/v1/drafts/{draft.pk}/return", json.dumps({"comments": "mine"}), content_type="application/json"
    )
    assert response.status_code == 403, response.content

    assert Draft.objects.get(pk=draft.pk).state == "awaiting_approval"
    assert not Approval.objects.filter(draft=draft).exists()


def test_when_an_approver_edited_the_draft_then_they_cannot_approve_it(
    agency: Any, team: Any, users: dict[str, Any], careful_channel: Any, client_for: Callable[[Any], Client]
) -> None:
    from govsocial.web.accounts.services import user_create
    from govsocial.web.drafts import services

    editor = user_create(
        actor=None,
        agency=agency,
        username="edits-and-approves",
        password=None,
        display_name="Editor",
        roles=["comms_manager", "approver"],
        teams=[team],
    )
    draft = services.draft_create(author=users["officer"], channel=careful_channel, text=OK_TEXT)
    services.draft_update(actor=editor, draft=draft, text=OK_TEXT + " With an edit.")
    draft = services.draft_submit(actor=users["officer"], draft=draft)
    assert draft.state == "awaiting_approval"
    assert client_for(editor).post(reverse("drafts:approve", args=[draft.pk]), {"reason": ""}).status_code == 403
    response = _api(editor).post(f"/api/v1/drafts/{draft.pk}/approve", json.dumps({}), content_type="application/json")
    assert response.status_code == 403
    # Someone else may.
    assert (
        client_for(users["approver"]).post(reverse("drafts:approve", args=[draft.pk]), {"reason": ""}).status_code
        == 302
    )


# --------------------------------------------------------------------------- audit tampering


def _drop_triggers() -> None:
    """What someone with database access would do first (undone with the test's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_delete")


def _sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))


def _tamper(kind: str, seq: int) -> None:
    if kind == "modified":
        _sql("UPDATE audit_auditevent SET reason = %s WHERE seq = %s", "nothing to see here", seq)
    elif kind == "modified-actor":
        _sql("UPDATE audit_auditevent SET actor_label = %s WHERE seq = %s", "Someone else", seq)
    elif kind == "deleted":
        _sql("DELETE FROM audit_auditevent WHERE seq = %s", seq)
    elif kind == "reordered":
        # Swap two neighbours (through a spare number: seq is unique).
        _sql("UPDATE audit_auditevent SET seq = -1 WHERE seq = %s", seq)
        _sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", seq, seq + 1)
        _sql("UPDATE audit_auditevent SET seq = %s WHERE seq = -1", seq + 1)
    elif kind == "truncated":
        _sql("DELETE FROM audit_auditevent WHERE seq >= %s", seq)
    else:  # pragma: no cover
        raise AssertionError(kind)


#: kind of tampering → words in the problem reported for the first broken link (the third of our events)
TAMPERING = {
    "modified": "modified",
    "modified-actor": "modified",
    "deleted": "deleted",
    "reordered": "reordered",
    "truncated": "missing",
}


@pytest.mark.parametrize("kind", sorted(TAMPERING))
def test_when_the_audit_log_is_tampered_with_then_verify_and_the_command_name_the_first_broken_link(
    kind: str, users: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    from govsocial import cli
    from govsocial.web.audit.models import AuditEvent
    from govsocial.web.audit.services import audit_record, verify_chain

    with transaction.atomic():
        for i in range(6):
            audit_record(actor=users["admin"], action="test.event", subject_type="thing", subject_id=i, new={"i": i})
    total = AuditEvent.objects.count()
    assert verify_chain() == (total, None)
    assert cli.main(["audit", "verify"]) == 0
    capsys.readouterr()

    first = total - 6 + 3  # the third of our events
    _drop_triggers()
    _tamper(kind, first)
    words = TAMPERING[kind]
    _count, broken = verify_chain()
    assert broken is not None, kind
    assert broken.seq == first, broken
    assert words in broken.problem, broken

    assert cli.main(["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"event {first}" in err and words in err, err


def test_when_the_audit_verify_command_runs_in_its_own_process_then_it_exits_1_on_a_modified_event(
    tmp_path: Path,
) -> None:
    """The real command line against an SQLite file: migrate, record, tamper, verify."""
    db = tmp_path / "audit.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DJANGO_SETTINGS_MODULE": "govsocial.web.settings"}
    env.pop("GOVSOCIAL_ENV", None)
    exe = [sys.executable, "-m", "govsocial.cli"]
    assert (
        subprocess.run([*exe, "migrate"], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path).returncode
        == 0
    )
    record = textwrap.dedent(
        """
        import django; django.setup()
        from django.db import transaction
        from govsocial.web.audit.services import audit_record
        with transaction.atomic():
            for i in range(5):
                audit_record(actor=None, action="test.event", subject_type="thing", subject_id=i)
        """
    )
    assert (
        subprocess.run(
            [sys.executable, "-c", record], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
        ).returncode
        == 0
    )
    ok = subprocess.run([*exe, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    import sqlite3

    with sqlite3.connect(db) as con:
        con.execute("DROP TRIGGER audit_auditevent_no_update")
        con.execute("UPDATE audit_auditevent SET new = '{\"i\": 99}' WHERE seq = 4")
    bad = subprocess.run([*exe, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert bad.returncode == 1, (bad.stdout, bad.stderr)
    assert "event 4" in bad.stderr and "modified" in bad.stderr


# --------------------------------------------------------------------------- production settings

PRODUCTION_PROBE = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.test import Client
    from govsocial.web.accounts.services import agency_create, user_create
    agency = agency_create(actor=None, name="Prod", slug="prod")
    user_create(actor=None, agency=agency, username="prod", password="a-long-production-password-1", display_name="P", roles=["officer"])
    out = {}
    plain = Client().get("/accounts/login/", HTTP_HOST="govsocial.example")
    out["http"] = [plain.status_code, plain.get("Location", "")]
    client = Client()
    page = client.get("/accounts/login/", secure=True, HTTP_HOST="govsocial.example")
    out["headers"] = {k: v for k, v in page.items()}
    login = client.post("/accounts/login/", {"username": "prod", "password": "a-long-production-password-1",
                        "csrfmiddlewaretoken": client.cookies["csrftoken"].value}, secure=True, HTTP_HOST="govsocial.example",
                        HTTP_REFERER="https://govsocial.example/accounts/login/")
    out["login"] = login.status_code
    out["cookies"] = {name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]), "samesite": m["samesite"]}
                      for name, m in client.cookies.items()}
    print("PROBE" + json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("production")
    env = {
        **os.environ,
        "GOVSOCIAL_ENV": "production",
        "SECRET_KEY": "production-test-secret-" + "k" * 40,
        "ALLOWED_HOSTS": "govsocial.example",
        "DATABASE_URL": f"sqlite:///{folder / 'prod.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "govsocial.web.settings",
        "STATIC_ROOT": str(folder / "static"),
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE], env=env, capture_output=True, text=True, timeout=240, cwd=folder
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("PROBE"))
    result: dict[str, Any] = json.loads(line[len("PROBE") :])
    return result


def test_when_production_is_asked_over_http_then_it_redirects_to_https(production: dict[str, Any]) -> None:
    status, location = production["http"]
    assert status == 301 and location.startswith("https://govsocial.example/")


def test_when_production_serves_a_page_then_the_security_headers_are_sent(production: dict[str, Any]) -> None:
    headers = {k.lower(): v for k, v in production["headers"].items()}
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    hsts = headers["strict-transport-security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert "no-store" in headers.get("cache-control", "") or "max-age=0" in headers.get("cache-control", "")


def test_when_production_signs_someone_in_then_every_cookie_is_secure(production: dict[str, Any]) -> None:
    assert production["login"] == 302
    cookies = production["cookies"]
    assert {"sessionid", "csrftoken"} <= set(cookies)
    for name, flags in cookies.items():
        assert flags["secure"], f"{name} is not Secure"
        assert flags["httponly"], f"{name} is not HttpOnly"
        assert flags["samesite"] in ("Lax", "Strict"), f"{name}: SameSite={flags['samesite']}"
