"""The demo agency: "Ministry of Examples | Te Manatū Tauira" (pack nz), for trying the workspace.

Loading is idempotent: the agency, its teams, users and channels are created once (matched by
slug, name, username and platform + handle); drafts are added only while the agency has none.
Each load gives every demo user a new random password, returned for printing once: demo
passwords are never stored anywhere else and never fixed in code.

Everything here is fictional: people, accounts and posts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TextIO

from axes.utils import reset as reset_lockout
from django.db import transaction

from govsocial.errors import UsageError
from govsocial.web.accounts.models import Agency, Team, User
from govsocial.web.accounts.services import agency_create, team_create, user_create, user_reactivate, user_set_password
from govsocial.web.channels.models import Channel
from govsocial.web.channels.services import channel_create

__all__ = ["AGENCY_NAME", "AGENCY_SLUG", "DEMO_USERS", "DemoLogin", "DemoResult", "load_demo", "print_logins"]

AGENCY_NAME = "Ministry of Examples | Te Manatū Tauira"
AGENCY_SLUG = "ministry-of-examples"
AGENCY_COLOUR = "#00594f"
TEAMS = ("Digital Engagement", "Media and Stakeholders")

#: username, display name, roles, team
DEMO_USERS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("officer", "Aroha Ngata", ("officer",), TEAMS[0]),
    ("officer2", "Sam Fletcher", ("officer",), TEAMS[1]),
    ("approver", "Mereana Walker", ("approver",), TEAMS[0]),
    ("moderator", "Tom Lee", ("moderator",), TEAMS[0]),
    ("comms", "Priya Shah", ("comms_manager",), TEAMS[1]),
    ("records", "Hemi Parata", ("records_manager",), TEAMS[1]),
    ("admin", "Alex Morgan", ("admin",), TEAMS[1]),
)

#: platform, handle, name, team, requires approval, objectives
DEMO_CHANNELS: tuple[tuple[str, str, str, str, bool, str], ...] = (
    ("x", "@MinistryOfExamples", "Ministry on X", TEAMS[0], False, "Service updates and quick answers for the public."),
    ("bluesky", "examples.bsky.social", "Ministry on Bluesky", TEAMS[0], False, "Service updates, mirrored from X."),
    (
        "facebook",
        "MinistryOfExamples",
        "Ministry on Facebook",
        TEAMS[1],
        False,
        "Community news, events and consultation.",
    ),
    (
        "linkedin",
        "ministry-of-examples",
        "Ministry on LinkedIn",
        TEAMS[1],
        True,
        "Recruitment and sector news. Every post is approved.",
    ),
)

#: (title, channel handle, author username, text, target state)
DEMO_DRAFTS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "Permit renewals open",
        "@MinistryOfExamples",
        "officer",
        "Kia ora! Renewing an example permit is now online. It takes about 10 minutes: examples.govt.nz/permits",
        "draft",
    ),
    (
        "Open day thanks",
        "MinistryOfExamples",
        "officer2",
        "Thank you to everyone who came to our open day in Ōtautahi Christchurch. Photos are on our website.",
        "ready",
    ),
    (
        "Call centre hours",
        "@MinistryOfExamples",
        "officer",
        "Our contact centre is open 8am to 6pm on weekdays. Call 0800 000 000, or email help@examples.govt.nz.",
        "published",
    ),
    (
        "Reply to a complaint",
        "@MinistryOfExamples",
        "officer2",
        "@example_user Sorry about the wait, Jane Citizen. Your case 2026-00417 about 12 Example Street is with our team.",
        "awaiting_approval",
    ),
    (
        "Graduate programme",
        "ministry-of-examples",
        "officer",
        "Applications for our graduate programme close on 30 June. Come and work on services that matter.",
        "returned",
    ),
)


@dataclass(frozen=True, slots=True)
class DemoLogin:
    username: str
    password: str
    display_name: str
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoResult:
    agency: Agency
    logins: tuple[DemoLogin, ...]
    created: bool
    drafts_added: int


def _password() -> str:
    # 16 URL-safe characters (96 bits): passes the validators, easy to copy.
    return "demo-" + secrets.token_urlsafe(12)


def _agency() -> tuple[Agency, bool]:
    agency = Agency.objects.filter(slug=AGENCY_SLUG).first()
    if agency is not None:
        return agency, False
    return agency_create(actor=None, name=AGENCY_NAME, slug=AGENCY_SLUG, pack="nz", colour=AGENCY_COLOUR), True


def _teams(agency: Agency) -> dict[str, Team]:
    teams = {t.name: t for t in Team.objects.filter(agency=agency)}
    for name in TEAMS:
        if name not in teams:
            teams[name] = team_create(actor=None, agency=agency, name=name)
    return teams


def _users(agency: Agency, teams: dict[str, Team]) -> tuple[dict[str, User], list[DemoLogin]]:
    users: dict[str, User] = {}
    logins: list[DemoLogin] = []
    admin: User | None = None
    for username, display_name, roles, team in DEMO_USERS:
        password = _password()
        user = User.objects.filter(username=username).first()
        if user is not None and user.agency_id != agency.pk:
            raise UsageError(
                f"the username {username!r} belongs to another agency: the demo cannot load into this database"
            )
        if user is None:
            user = user_create(
                actor=None,
                agency=agency,
                username=username,
                password=password,
                display_name=display_name,
                roles=roles,
                teams=[teams[team]],
            )
        else:
            user_set_password(actor=None, user=user, password=password)
            reset_lockout(username=username)  # a fresh start for anyone locked out while trying things
        if "admin" in roles:
            admin = user
        users[username] = user
        logins.append(
            DemoLogin(username=username, password=password, display_name=user.label, roles=tuple(user.roles or roles))
        )
    # Someone may have deactivated a demo user while trying things out: bring them back.
    for user in users.values():
        if not user.is_active and admin is not None and admin.is_active:
            user_reactivate(actor=admin, user=user, reason="demo reloaded")
    return users, logins


def _channels(agency: Agency, teams: dict[str, Team], users: dict[str, User]) -> dict[str, Channel]:
    channels: dict[str, Channel] = {}
    for platform, handle, name, team, requires_approval, objectives in DEMO_CHANNELS:
        channel = Channel.objects.filter(agency=agency, platform=platform, handle__iexact=handle).first()
        if channel is None:
            channel = channel_create(
                actor=users["comms"],
                agency=agency,
                name=name,
                platform=platform,
                handle=handle,
                owning_team=teams[team],
                publishers=[users["approver"], users["comms"]],
                requires_approval=requires_approval,
                objectives=objectives,
            )
        channels[handle] = channel
    return channels


def _make_draft(
    *, channel: Channel, author: User, approver: User, publisher: User, title: str, text: str, state: str
) -> None:
    """One demo draft brought to ``state`` through the drafts services, so it follows the same
    routing, four-eyes and audit rules as the pages (WF-03)."""
    from govsocial.web.drafts import services as drafts

    draft = drafts.draft_create(author=author, channel=channel, text=text, title=title)
    if state == "draft":
        return
    draft = drafts.draft_submit(actor=author, draft=draft)
    if state == "returned":
        if draft.state == "awaiting_approval":
            drafts.draft_return(
                approver=approver,
                draft=draft,
                comments="Please add the closing time and a link to the application page.",
            )
        return
    if state == "awaiting_approval":
        return
    if draft.state == "awaiting_approval":
        reason = "Checked with the team: fine to publish." if draft.needs_override else ""
        drafts.draft_approve(approver=approver, draft=draft, reason=reason)
        draft.refresh_from_db()
    if state == "published":
        drafts.draft_publish(actor=publisher, draft=draft, url=f"https://example.org/demo/posts/{draft.pk}")


def _drafts(agency: Agency, channels: dict[str, Channel], users: dict[str, User]) -> int:
    from govsocial.web.drafts.models import Draft

    if Draft.objects.filter(agency=agency).exists():
        return 0
    for title, handle, author, text, state in DEMO_DRAFTS:
        _make_draft(
            channel=channels[handle],
            author=users[author],
            approver=users["approver"],
            publisher=users["comms"],
            title=title,
            text=text,
            state=state,
        )
    return len(DEMO_DRAFTS)


def load_demo() -> DemoResult:
    """Create (or refresh) the demo agency; returns the sign-ins with this load's passwords."""
    with transaction.atomic():
        agency, created = _agency()
        teams = _teams(agency)
        users, logins = _users(agency, teams)
        channels = _channels(agency, teams, users)
        drafts_added = _drafts(agency, channels, users)
    return DemoResult(agency=agency, logins=tuple(logins), created=created, drafts_added=drafts_added)


def print_logins(result: DemoResult, out: TextIO) -> None:
    """Print the demo sign-ins once. The passwords change every time the demo loads."""
    verb = "Loaded" if result.created else "Refreshed"
    out.write(f"{verb} the demo agency “{result.agency.name}”.\n")
    out.write("Demo sign-ins (new passwords on every load; for trying the workspace only):\n")
    width = max(len(login.username) for login in result.logins)
    for login in result.logins:
        out.write(f"  {login.username:<{width}}  {login.password}  {login.display_name}: {', '.join(login.roles)}\n")
    out.flush()
