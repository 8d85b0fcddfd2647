"""The permission matrix: every URL pattern of the project × every role × anonymous.

``CASES`` is the expected table, written out by hand: one row per (route name, method) with the
roles that may use it. Every other signed-in role must get 403 (pages) or 403 (API, with a token
of their own); anonymous people must be sent to the sign-in page (pages) or get 401 (API).
Routes whose path has an object id are filled with objects of the test agency; the same route
with an object of another agency must answer 404 (``test_when_the_object_belongs_to_another_agency
_then_404``).

A guard test fails when a URL pattern has no row here, so a new view cannot ship without its
permissions being written down (and a row for a removed view fails too).

Each row is one test; inside it every subject's request runs in its own savepoint that is rolled
back, so a POST by one role does not change what the next role sees.

Outcomes:

| outcome  | page                                   | API                     |
|----------|----------------------------------------|-------------------------|
| ok       | 200/201/204, or a redirect that is not to the sign-in page | 200/201 |
| login    | a redirect to the sign-in page         | -                       |
| denied   | 403                                    | 403                     |
| unauth   | -                                      | 401                     |
| missing  | 404                                    | 404                     |
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

pytestmark = pytest.mark.django_db

ROLES = ("officer", "approver", "moderator", "comms_manager", "records_manager", "admin")
SUBJECTS = ("anonymous", *ROLES)
MEMBERS = frozenset(ROLES)
DRAFT_AUTHORS = frozenset({"officer", "approver", "moderator", "comms_manager"})
INBOX_RESPONDERS = frozenset({"officer", "moderator", "comms_manager", "admin"})
INBOX_MODERATORS = frozenset({"moderator", "comms_manager", "admin"})
INBOX_MANAGERS = frozenset({"comms_manager", "admin"})
TEMPLATE_WRITERS = frozenset({"officer", "moderator", "comms_manager", "admin"})
OK_TEXT = "Our offices are open 9am to 5pm on weekdays."
NEW_PASSWORD = "a-different-long-passphrase-77"
LOGIN_PATH = "/accounts/login/"


class Outcome(StrEnum):
    OK = "ok"
    LOGIN = "login"
    DENIED = "denied"
    UNAUTH = "unauth"
    MISSING = "missing"


# --------------------------------------------------------------------------- the world


@dataclass
class World:
    """The objects path parameters are filled with, for the test agency and another one."""

    users: dict[str, Any]
    channel: Any
    careful_channel: Any
    draft_open: Any
    draft_awaiting: Any
    draft_ready: Any
    target_user: Any
    tokens: dict[str, str]
    password: str
    other: dict[str, Any] = field(default_factory=dict)
    # The inbox: an open question, a message whose author is blocked, a proposed template, a feed
    # connector and a webhook connector (see :func:`build_inbox_world`).
    inbox: dict[str, Any] = field(default_factory=dict)

    def obj(self, key: str, subject: str, *, foreign: bool = False) -> Any:
        if foreign:
            return self.other[key]
        if key == "token":
            owner = self.users[subject] if subject in self.users else self.users["officer"]
            return _own_token(owner)
        return {
            "channel": self.channel,
            "draft_open": self.draft_open,
            "draft_awaiting": self.draft_awaiting,
            "draft_ready": self.draft_ready,
            "user": self.target_user,
            "agency": self.channel.agency,
            **self.inbox,
        }[key]


def _own_token(user: Any) -> Any:
    from govsocial.web.accounts.services import api_token_create

    token, _key = api_token_create(user=user, name="matrix")
    return token


def _ready(draft: Any, approver: Any) -> Any:
    """Bring a submitted draft to ready (it waits for approval on a channel that requires it)."""
    from govsocial.web.drafts import services

    draft.refresh_from_db()
    if draft.state == "awaiting_approval":
        services.draft_approve(approver=approver, draft=draft, reason="Checked.")
        draft.refresh_from_db()
    assert draft.state == "ready", draft.state
    return draft


@pytest.fixture
def world(users: dict[str, Any], channel: Any, team: Any, outsider: Any, other_agency: Any, password: str) -> World:
    return build_world(
        users=users, channel=channel, team=team, outsider=outsider, other_agency=other_agency, password=password
    )


def build_world(
    *, users: dict[str, Any], channel: Any, team: Any, outsider: Any, other_agency: Any, password: str
) -> World:
    """The objects of :class:`World`, made through the services (so they are audited as usual)."""
    from govsocial.web.accounts.services import api_token_create, user_create
    from govsocial.web.channels.services import channel_create
    from govsocial.web.drafts import services

    careful = channel_create(
        actor=None,
        agency=channel.agency,
        name="Careful channel",
        platform="facebook",
        handle="MinistryOfTestsCareful",
        owning_team=team,
        requires_approval=True,
        publishers=[users["approver"]],
    )
    draft_open = services.draft_create(author=users["officer"], channel=channel, text=OK_TEXT, title="Open draft")
    awaiting = services.draft_create(author=users["officer2"], channel=careful, text=OK_TEXT, title="Awaiting")
    awaiting = services.draft_submit(actor=users["officer2"], draft=awaiting)
    assert awaiting.state == "awaiting_approval"
    ready = services.draft_create(author=users["officer2"], channel=careful, text=OK_TEXT, title="Ready")
    ready = _ready(services.draft_submit(actor=users["officer2"], draft=ready), users["approver"])
    tokens = {role: api_token_create(user=users[role], name="matrix")[1] for role in ROLES}

    # Another agency: its channel, a draft in each state the routes need, a user, a token.
    other_channel = channel_create(
        actor=None, agency=other_agency, name="Other X", platform="x", handle="@OtherDept", publishers=[outsider]
    )
    other_writer = user_create(
        actor=None,
        agency=other_agency,
        username="other-writer",
        password=None,
        display_name="Other writer",
        roles=["officer"],
    )
    other_open = services.draft_create(author=other_writer, channel=other_channel, text=OK_TEXT)
    other_careful = channel_create(
        actor=None,
        agency=other_agency,
        name="Other careful",
        platform="facebook",
        handle="OtherCareful",
        requires_approval=True,
    )
    other_awaiting = services.draft_submit(
        actor=other_writer, draft=services.draft_create(author=other_writer, channel=other_careful, text=OK_TEXT)
    )
    other_ready = _ready(
        services.draft_submit(
            actor=other_writer, draft=services.draft_create(author=other_writer, channel=other_careful, text=OK_TEXT)
        ),
        outsider,
    )
    other_token, _ = api_token_create(user=outsider, name="other")
    inbox = build_inbox_world(channel=channel, actor=users["comms_manager"], writer=users["officer"])
    other_inbox = build_inbox_world(channel=other_channel, actor=outsider, writer=outsider)
    return World(
        users=users,
        channel=channel,
        careful_channel=careful,
        draft_open=draft_open,
        draft_awaiting=awaiting,
        draft_ready=ready,
        target_user=users["officer2"],
        tokens=tokens,
        password=password,
        other={
            "channel": other_channel,
            "draft_open": other_open,
            "draft_awaiting": other_awaiting,
            "draft_ready": other_ready,
            "user": other_writer,
            "token": other_token,
            "agency": other_agency,
            **other_inbox,
        },
        inbox=inbox,
    )


#: A connector address that refuses at once (the discard port of this machine): polling it in
#: the matrix never reaches the network.
LOCAL_FEED = "http://127.0.0.1:9/feed.xml"


def build_inbox_world(*, channel: Any, actor: Any, writer: Any) -> dict[str, Any]:
    """The inbox objects of one agency, made through the inbox services."""
    import datetime as dt

    from govsocial.connectors import Incoming
    from govsocial.web.inbox import services

    tag = channel.agency.slug
    ids = services.ingest(
        channel=channel,
        items=[
            Incoming(platform_id=f"{tag}-q", text="When does the permit office open on Mondays?", author="@asker"),
            Incoming(platform_id=f"{tag}-b", text="When will you answer my email about the permit?", author="@blocked"),
        ],
    ).ids
    message, blocked = ids
    from govsocial.web.inbox.models import Message

    blocked_message = Message.objects.get(pk=blocked)
    services.author_block(
        actor=actor,
        standing=services.author_standing(message=blocked_message),
        reason="Repeated threats",
        review_on=dt.date.today() + dt.timedelta(days=30),
    )
    template = services.template_create(
        actor=writer, agency=channel.agency, key="matrix", title="Matrix", body="Thanks for asking.", purpose="general"
    )
    feed = services.connector_create(
        actor=actor, channel=channel, kind="rss", name="Matrix feed", config={"url": LOCAL_FEED}
    )
    hook = services.connector_create(actor=actor, channel=channel, kind="webhook", name="Matrix hook", config={})
    return {
        "message": Message.objects.get(pk=message),
        "message_blocked": blocked_message,
        "template": template,
        "connector": feed,
        "webhook_connector": hook,
    }


# --------------------------------------------------------------------------- request data

Data = Callable[[World, Any], dict[str, Any]]


def _fixed(values: dict[str, Any]) -> Data:
    return lambda world, user: dict(values)


def _draft_form(world: World, user: Any) -> dict[str, Any]:
    return {"channel": world.channel.pk, "text": OK_TEXT + " Edited.", "title": "Matrix"}


def _login_form(world: World, user: Any) -> dict[str, Any]:
    return {"username": world.users["officer"].username, "password": world.password}


def _password_form(world: World, user: Any) -> dict[str, Any]:
    return {"current": world.password, "new": NEW_PASSWORD}


def _two_factor_off(world: World, user: Any) -> dict[str, Any]:
    """A confirmed authenticator for the user, and its current code: turning it off succeeds."""
    if user is None:
        return {"code": "123456"}
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return {"code": f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"}


def _user_create_form(world: World, user: Any) -> dict[str, Any]:
    return {"username": "newcomer", "display_name": "New person", "password": NEW_PASSWORD, "roles": ["officer"]}


def _channel_form(world: World, user: Any) -> dict[str, Any]:
    return {
        "name": "New channel",
        "platform": "mastodon",
        "handle": "@new@example.social",
        "context": "official",
        "active": "on",
    }


def _channel_edit_form(world: World, user: Any) -> dict[str, Any]:
    c = world.channel
    return {"name": "Renamed channel", "platform": c.platform, "handle": c.handle, "context": c.context, "active": "on"}


def _assign_self(world: World, user: Any) -> dict[str, Any]:
    return {"how": "person", "assignee": user.pk if user is not None else ""}


def _bulk_close(world: World, user: Any) -> dict[str, Any]:
    return {"ids": [world.inbox["message"].pk], "action": "close", "reason": "Answered by phone"}


def _block_form(world: World, user: Any) -> dict[str, Any]:
    import datetime as dt

    return {"reason": "Threats", "review_on": (dt.date.today() + dt.timedelta(days=30)).isoformat()}


def _template_form(world: World, user: Any) -> dict[str, Any]:
    return {"title": "Opening hours", "key": "opening-hours", "purpose": "general", "body": "We open at 9am."}


def _settings_form(world: World, user: Any) -> dict[str, Any]:
    return {"timezone": "Pacific/Auckland", "workday_start": "08:00", "workday_end": "16:00", "workdays": ["1", "2"]}


def _connector_form(world: World, user: Any) -> dict[str, Any]:
    return {"kind": "rss", "name": "New feed", "feed_url": LOCAL_FEED, "poll_interval_s": "300"}


def _connector_edit_form(world: World, user: Any) -> dict[str, Any]:
    return {"name": "Renamed feed", "feed_url": LOCAL_FEED, "poll_interval_s": "600", "enabled": "yes"}


def _api_draft(world: World, user: Any) -> dict[str, Any]:
    return {"channel": world.channel.pk, "text": OK_TEXT}


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Case:
    """One row: a route and method, who may use it, and how to call it."""

    route: str
    method: str
    allowed: frozenset[str]
    obj: str | None = None  # the World object whose id fills the path
    data: Data | None = None
    api: bool = False
    anonymous: Outcome | None = None  # default: login (pages) or unauth (API)
    everyone: Outcome | None = None  # the same outcome for every subject (public routes)
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.route}-{self.method}"

    def expected(self, subject: str) -> Outcome:
        if self.everyone is not None:
            return self.everyone
        if subject == "anonymous":
            return self.anonymous or (Outcome.UNAUTH if self.api else Outcome.LOGIN)
        return Outcome.OK if subject in self.allowed else Outcome.DENIED


NOBODY: frozenset[str] = frozenset()

CASES: tuple[Case, ...] = (
    # The start page redirects everyone to the drafts list (which then asks for sign-in).
    Case("drafts:start", "GET", MEMBERS, everyone=Outcome.OK),
    Case("healthz", "GET", MEMBERS, everyone=Outcome.OK),
    # Drafts (WF-03).
    Case("drafts:list", "GET", MEMBERS),
    Case("drafts:create", "GET", DRAFT_AUTHORS),
    Case("drafts:create", "POST", DRAFT_AUTHORS, data=_draft_form),
    Case("drafts:detail", "GET", MEMBERS, obj="draft_open"),
    Case(
        "drafts:edit", "GET", frozenset({"officer", "comms_manager"}), obj="draft_open", note="author or comms manager"
    ),
    Case("drafts:edit", "POST", frozenset({"officer", "comms_manager"}), obj="draft_open", data=_draft_form),
    Case("drafts:submit", "POST", frozenset({"officer", "comms_manager"}), obj="draft_open"),
    Case("drafts:approve", "GET", frozenset({"approver"}), obj="draft_awaiting"),
    Case("drafts:approve", "POST", frozenset({"approver"}), obj="draft_awaiting", data=_fixed({"reason": ""})),
    Case("drafts:return", "GET", frozenset({"approver"}), obj="draft_awaiting"),
    Case(
        "drafts:return",
        "POST",
        frozenset({"approver"}),
        obj="draft_awaiting",
        data=_fixed({"comments": "Shorter, please."}),
    ),
    # The approver is a publisher of the careful channel; comms managers publish anywhere.
    Case("drafts:publish", "GET", frozenset({"approver", "comms_manager"}), obj="draft_ready"),
    Case(
        "drafts:publish",
        "POST",
        frozenset({"approver", "comms_manager"}),
        obj="draft_ready",
        data=_fixed({"url": "https://example.org/posts/1"}),
    ),
    Case("drafts:withdraw", "GET", frozenset({"officer", "comms_manager"}), obj="draft_open"),
    Case(
        "drafts:withdraw",
        "POST",
        frozenset({"officer", "comms_manager"}),
        obj="draft_open",
        data=_fixed({"reason": "Not needed"}),
    ),
    Case("drafts:approvals", "GET", frozenset({"approver"})),
    # Accounts.
    Case("accounts:profile", "GET", MEMBERS),
    Case("accounts:login", "GET", MEMBERS, everyone=Outcome.OK, note="members are redirected on"),
    Case("accounts:login", "POST", MEMBERS, data=_login_form, everyone=Outcome.OK),
    Case("accounts:login_code", "GET", NOBODY, everyone=Outcome.LOGIN, note="no code step pending: back to sign-in"),
    Case("accounts:login_code", "POST", NOBODY, data=_fixed({"code": "123456"}), everyone=Outcome.LOGIN),
    Case("accounts:logout", "GET", MEMBERS),
    Case("accounts:logout", "POST", NOBODY, everyone=Outcome.LOGIN, note="signing out ends on the sign-in page"),
    Case("accounts:password", "GET", MEMBERS),
    Case("accounts:password", "POST", MEMBERS, data=_password_form),
    Case("accounts:two_factor", "GET", MEMBERS),
    Case(
        "accounts:two_factor", "POST", MEMBERS, data=_fixed({"code": "000000"}), note="a wrong code re-shows the form"
    ),
    Case("accounts:two_factor_disable", "POST", MEMBERS, data=_two_factor_off),
    Case("accounts:tokens", "GET", MEMBERS),
    Case("accounts:tokens", "POST", MEMBERS, data=_fixed({"name": "script"})),
    Case("accounts:token_revoke", "POST", MEMBERS, obj="token", note="one's own token"),
    Case("accounts:users", "GET", frozenset({"admin"})),
    Case("accounts:user_create", "GET", frozenset({"admin"})),
    Case("accounts:user_create", "POST", frozenset({"admin"}), data=_user_create_form),
    Case("accounts:user_edit", "GET", frozenset({"admin"}), obj="user"),
    Case(
        "accounts:user_edit",
        "POST",
        frozenset({"admin"}),
        obj="user",
        data=_fixed({"display_name": "Renamed", "roles": ["officer"]}),
    ),
    Case("accounts:user_deactivate", "POST", frozenset({"admin"}), obj="user", data=_fixed({"reason": "Left"})),
    Case("accounts:user_reactivate", "POST", frozenset({"admin"}), obj="user", data=_fixed({"reason": "Back"})),
    Case(
        "accounts:user_reset_two_factor",
        "POST",
        frozenset({"admin"}),
        obj="user",
        data=_fixed({"reason": "Lost phone"}),
    ),
    # Channels.
    Case("channels:list", "GET", MEMBERS),
    Case("channels:create", "GET", frozenset({"comms_manager", "admin"})),
    Case("channels:create", "POST", frozenset({"comms_manager", "admin"}), data=_channel_form),
    Case("channels:detail", "GET", MEMBERS, obj="channel"),
    Case("channels:edit", "GET", frozenset({"comms_manager", "admin"}), obj="channel"),
    Case("channels:edit", "POST", frozenset({"comms_manager", "admin"}), obj="channel", data=_channel_edit_form),
    # The inbox (WF-05, WF-06, WF-14). Officers answer and may take a message for themselves;
    # moderators moderate, strike and block; comms managers and administrators run templates,
    # monitoring hours and connectors; a reply is a draft, so drafting roles start one.
    Case("inbox:list", "GET", MEMBERS),
    Case("inbox:bulk", "POST", INBOX_RESPONDERS, data=_bulk_close),
    Case("inbox:detail", "GET", MEMBERS, obj="message"),
    Case("inbox:assign", "POST", INBOX_RESPONDERS, obj="message", data=_assign_self, note="taking it oneself"),
    Case(
        "inbox:moderate",
        "POST",
        INBOX_MODERATORS,
        obj="message",
        data=_fixed({"kind": "leave", "rule_code": "IN-14", "reason": "A fair question"}),
    ),
    Case("inbox:strike", "POST", INBOX_MODERATORS, obj="message", data=_fixed({"rule_code": "IN-05"})),
    Case("inbox:block", "POST", INBOX_MODERATORS, obj="message", data=_block_form),
    Case("inbox:unblock", "POST", INBOX_MODERATORS, obj="message_blocked", data=_fixed({"reason": "Reviewed"})),
    Case("inbox:close", "POST", INBOX_RESPONDERS, obj="message", data=_fixed({"reason": "Answered by phone"})),
    Case("inbox:reply", "POST", DRAFT_AUTHORS, obj="message", data=_fixed({"text": OK_TEXT})),
    Case("inbox:templates", "GET", MEMBERS),
    Case("inbox:template_new", "GET", TEMPLATE_WRITERS),
    Case("inbox:template_new", "POST", TEMPLATE_WRITERS, data=_template_form),
    Case("inbox:template_edit", "GET", TEMPLATE_WRITERS, obj="template"),
    Case("inbox:template_edit", "POST", TEMPLATE_WRITERS, obj="template", data=_template_form),
    Case("inbox:template_approve", "POST", INBOX_MANAGERS, obj="template", note="written by the officer"),
    Case("inbox:settings", "GET", INBOX_MANAGERS),
    Case("inbox:settings", "POST", INBOX_MANAGERS, data=_settings_form),
    Case("inbox:connector_new", "GET", INBOX_MANAGERS, obj="channel"),
    Case("inbox:connector_new", "POST", INBOX_MANAGERS, obj="channel", data=_connector_form),
    Case("inbox:connector_edit", "GET", INBOX_MANAGERS, obj="connector"),
    Case("inbox:connector_edit", "POST", INBOX_MANAGERS, obj="connector", data=_connector_edit_form),
    Case("inbox:connector_poll", "POST", INBOX_MANAGERS, obj="connector", note="the feed refuses at once"),
    # Senders sign webhook requests (HMAC), not sessions or tokens: unsigned, everyone gets 401.
    Case(
        "inbox:webhook",
        "POST",
        NOBODY,
        obj="webhook_connector",
        api=True,
        everyone=Outcome.UNAUTH,
        note="the signature is the authentication",
    ),
    # The published community guidelines are public (DIA-TBX-MOD-3, NSW-CM-5).
    Case("inbox:guidelines", "GET", MEMBERS, obj="agency", everyone=Outcome.OK),
    # Check a post.
    Case("review:check", "GET", MEMBERS),
    Case("review:check", "POST", MEMBERS, data=_fixed({"text": OK_TEXT, "context": "official", "pack": "nz"})),
    Case("review:check-partial", "POST", MEMBERS, data=_fixed({"text": OK_TEXT, "context": "official", "pack": "nz"})),
    # Audit log.
    Case("audit:list", "GET", frozenset({"comms_manager", "records_manager", "admin"})),
    Case("audit:verify", "POST", frozenset({"records_manager", "admin"})),
    # API: the documents are public (they describe, they do not expose data).
    Case("api:openapi-json", "GET", MEMBERS, api=True, everyone=Outcome.OK),
    Case("api:openapi-view", "GET", MEMBERS, api=True, everyone=Outcome.OK),
    Case("api:api-root", "GET", NOBODY, api=True, everyone=Outcome.MISSING, note="ninja's root route answers 404"),
    Case("api:review_create", "POST", MEMBERS, api=True, data=_fixed({"text": OK_TEXT})),
    Case("api:channel_index", "GET", MEMBERS, api=True),
    Case("api:draft_index", "GET", MEMBERS, api=True),
    Case("api:draft_create", "POST", DRAFT_AUTHORS, api=True, data=_api_draft),
    Case("api:draft_detail", "GET", MEMBERS, api=True, obj="draft_open"),
    Case(
        "api:draft_edit",
        "PATCH",
        frozenset({"officer", "comms_manager"}),
        api=True,
        obj="draft_open",
        data=_fixed({"text": OK_TEXT + " Edited."}),
    ),
    Case("api:draft_submit", "POST", frozenset({"officer", "comms_manager"}), api=True, obj="draft_open"),
    Case("api:draft_approve", "POST", frozenset({"approver"}), api=True, obj="draft_awaiting", data=_fixed({})),
    Case(
        "api:draft_return",
        "POST",
        frozenset({"approver"}),
        api=True,
        obj="draft_awaiting",
        data=_fixed({"comments": "Shorter."}),
    ),
    Case(
        "api:draft_publish",
        "POST",
        frozenset({"approver", "comms_manager"}),
        api=True,
        obj="draft_ready",
        data=_fixed({"url": "https://example.org/posts/2"}),
    ),
    Case(
        "api:draft_withdraw",
        "POST",
        frozenset({"officer", "comms_manager"}),
        api=True,
        obj="draft_open",
        data=_fixed({}),
    ),
)

#: Patterns that no request can reach, with the reason (they still need a row, here).
UNREACHABLE: dict[str, str] = {
    "home": "shadowed: drafts:start claims '' first (home is the fallback when the drafts app is absent)",
}


# --------------------------------------------------------------------------- helpers


def walk_patterns(patterns: Any = None, namespace: str = "", prefix: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    """(namespaced name, route, pattern) of every URL pattern, recursively."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk_patterns(p.url_patterns, ns, prefix + str(p.pattern))
        else:
            assert isinstance(p, URLPattern)
            yield (f"{namespace}{p.name}" if p.name else "", prefix + str(p.pattern), p)


def path_kwargs(route: str, obj: Any) -> dict[str, Any]:
    """Fill a route's one path parameter with ``obj``'s id (``pk``, ``draft_id``...), or its slug
    when the parameter is a slug (``agency_slug``)."""
    for _name, pattern_route, pattern in walk_patterns():
        if _name == route:
            names = list(pattern.pattern.converters) or [
                part[1:-1].split(":")[-1] for part in pattern_route.split("/") if part.startswith("<")
            ]
            if not names:
                return {}
            assert obj is not None, f"{route} needs an object for {names}"
            return {names[0]: obj.slug if names[0].endswith("slug") else obj.pk}
    raise AssertionError(f"no URL pattern named {route}")


def url_for(case: Case, world: World, subject: str, *, foreign: bool = False) -> str:
    obj = world.obj(case.obj, subject, foreign=foreign) if case.obj else None
    return str(reverse(case.route, kwargs=path_kwargs(case.route, obj) or None))


def client_for_subject(world: World, subject: str, case: Case, **client_kwargs: Any) -> Client:
    client = Client(**client_kwargs)
    if subject != "anonymous" and not case.api:
        client.force_login(world.users[subject], backend="django.contrib.auth.backends.ModelBackend")
    if subject != "anonymous" and case.api:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[subject]}"
    return client


def send(client: Client, case: Case, url: str, data: dict[str, Any], **extra: Any) -> HttpResponseBase:
    method = case.method.lower()
    if case.api and method != "get":
        response: HttpResponseBase = getattr(client, method)(
            url, json.dumps(data), content_type="application/json", **extra
        )
        return response
    if method == "get":
        return client.get(url, data or None, **extra)
    response = getattr(client, method)(url, data, **extra)
    return response


def outcome(response: HttpResponseBase) -> str:
    status = response.status_code
    if status in (200, 201, 204):
        return Outcome.OK
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        return Outcome.LOGIN if target == LOGIN_PATH else Outcome.OK
    return {401: Outcome.UNAUTH, 403: Outcome.DENIED, 404: Outcome.MISSING}.get(status, f"HTTP {status}")


def request_as(world: World, case: Case, subject: str, *, foreign: bool = False) -> tuple[str, HttpResponseBase]:
    """Make ``subject``'s request in a savepoint that is rolled back afterwards."""
    user = world.users.get(subject)
    with transaction.atomic():
        client = client_for_subject(world, subject, case)
        url = url_for(case, world, subject, foreign=foreign)
        data = case.data(world, user) if case.data else {}
        response = send(client, case, url, data)
        transaction.set_rollback(True)
    return url, response


def describe(response: HttpResponseBase) -> str:
    where = f" → {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{where}"


# --------------------------------------------------------------------------- tests


def test_every_url_pattern_has_a_row_in_the_permission_table() -> None:
    names = [name for name, _route, _p in walk_patterns()]
    unnamed = [route for name, route, _p in walk_patterns() if not name]
    assert not unnamed, f"URL patterns without a name cannot be in the permission table: {unnamed}"
    covered = {c.route for c in CASES} | set(UNREACHABLE)
    missing = sorted(set(names) - covered)
    stale = sorted(covered - set(names))
    assert not missing, f"add these routes to CASES in tests/web/test_permissions.py (who may use them?): {missing}"
    assert not stale, f"rows for routes that no longer exist: {stale}"


def test_unreachable_patterns_are_really_shadowed() -> None:
    assert resolve("/").view_name == "drafts:start"
    assert "home" in UNREACHABLE


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_permission_matrix(case: Case, world: World) -> None:
    rows = []
    wrong = []
    for subject in SUBJECTS:
        url, response = request_as(world, case, subject)
        got = outcome(response)
        want = case.expected(subject)
        rows.append(f"  {subject:<16} want {want:<8} got {got:<8} ({describe(response)})")
        if got != want:
            wrong.append(subject)
    assert not wrong, f"{case.method} {url}: wrong outcome for {', '.join(wrong)}\n" + "\n".join(rows)


#: Public routes (``everyone``) answer the same whatever agency the object belongs to.
FOREIGN_CASES = tuple(c for c in CASES if c.obj is not None and c.everyone is None)


@pytest.mark.parametrize("case", FOREIGN_CASES, ids=lambda c: c.id)
def test_when_the_object_belongs_to_another_agency_then_404(case: Case, world: World) -> None:
    subject = next(r for r in ROLES if r in case.allowed)
    url, response = request_as(world, case, subject, foreign=True)
    assert response.status_code == 404, f"{subject} {case.method} {url}: {describe(response)}"


_PATHS = {name: route for name, route, _p in walk_patterns()}
#: POST routes whose path answers nothing else (API operations share paths: GET /drafts lists them).
POST_ONLY = tuple(
    c
    for c in CASES
    if c.method == "POST"
    and c.everyone is None
    and not any(_PATHS.get(o.route) == _PATHS.get(c.route) and o.method == "GET" for o in CASES)
)


@pytest.mark.parametrize("case", POST_ONLY, ids=lambda c: c.id)
def test_when_a_post_only_route_is_opened_with_get_then_405_and_nothing_changes(case: Case, world: World) -> None:
    """Links, prefetchers and crawlers follow GETs: no state change may hide behind one."""
    from govsocial.web.audit.models import AuditEvent

    subject = next(r for r in ROLES if r in case.allowed)
    before = AuditEvent.objects.count()
    get = Case(case.route, "GET", case.allowed, obj=case.obj, api=case.api)
    url, response = request_as(world, get, subject)
    assert response.status_code == 405, f"{subject} GET {url}: {describe(response)}"
    assert AuditEvent.objects.count() == before


def test_when_a_signed_in_browser_calls_the_api_without_a_token_then_401(world: World) -> None:
    """The API takes tokens only, never the session cookie (so it needs no CSRF protection)."""
    client = Client()
    client.force_login(world.users["officer"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/api/v1/drafts", json.dumps(_api_draft(world, None)), content_type="application/json")
    assert response.status_code == 401
    assert client.get("/api/v1/drafts").status_code == 401


def test_when_an_htmx_request_has_no_session_then_the_partial_sends_the_browser_to_sign_in(world: World) -> None:
    response = Client().post(reverse("review:check-partial"), {"text": OK_TEXT}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert urlsplit(response["HX-Redirect"]).path == LOGIN_PATH


def test_when_a_user_has_no_agency_then_every_member_page_is_403(world: World) -> None:
    from govsocial.web.accounts.models import User

    stray = User.objects.create_user(username="stray", password=None, roles=list(ROLES))
    client = Client()
    client.force_login(stray, backend="django.contrib.auth.backends.ModelBackend")
    for case in CASES:
        if case.api or case.everyone is not None or case.method != "GET" or case.route == "accounts:logout":
            continue
        url = url_for(case, world, "admin")
        response = client.get(url)
        assert response.status_code in (403, 404), f"{url}: {describe(response)}"


def test_when_a_user_is_deactivated_then_their_session_no_longer_opens_pages(world: World) -> None:
    from govsocial.web.accounts.services import user_deactivate

    client = Client()
    officer = world.users["officer"]
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("drafts:list")).status_code == 200
    user_deactivate(actor=world.users["admin"], user=officer, reason="left")
    response = client.get(reverse("drafts:list"))
    assert outcome(response) in (Outcome.LOGIN, Outcome.DENIED), describe(response)
