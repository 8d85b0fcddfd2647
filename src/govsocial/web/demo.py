"""The demo agency: "Ministry of Examples | Te Manatū Tauira" (pack nz), for trying the workspace.

Loading is idempotent: the agency, its teams, users and channels are created once (matched by
slug, name, username and platform + handle); drafts are added only while the agency has none.
The inbox gets monitoring hours, approved response templates, an RSS connector and a file-import
connector; its invented messages (questions, complaints, praise, personal information, abuse,
spam, te reo Māori, a crisis, a campaign) are triaged and stored only while the inbox is empty.
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

__all__ = [
    "AGENCY_NAME",
    "AGENCY_SLUG",
    "DEMO_MESSAGES",
    "DEMO_TEMPLATES",
    "DEMO_USERS",
    "DemoLogin",
    "DemoResult",
    "load_demo",
    "print_logins",
]

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
    messages_added: int = 0


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


#: key, purpose, title, body (``{author}`` becomes the person's handle)
DEMO_TEMPLATES: tuple[tuple[str, str, str, str], ...] = (
    (
        "take-offline",
        "take_offline",
        "Take it offline",
        "Kia ora {author}, thanks for getting in touch. To protect your privacy we have hidden your comment "
        "because it included personal details. Please send us a private message and we will help you there.",
    ),
    (
        "removal-notice",
        "removal_notice",
        "Why a comment was hidden",
        "Kia ora {author}, we have hidden a comment because it broke our community guidelines. You are welcome "
        "to comment again within them: examples.govt.nz/community-guidelines",
    ),
    (
        "general",
        "general",
        "General answer",
        "Kia ora {author}, thanks for your question. You can find the details at examples.govt.nz, and if that "
        "does not answer it, send us a private message and we will help.",
    ),
    (
        "complaint",
        "complaint",
        "Acknowledging a complaint",
        "Kia ora {author}, we are sorry to hear about your experience. Please send us a private message with "
        "the details so that we can look into it and get back to you.",
    ),
    (
        "correction",
        "correction",
        "Correcting misinformation",
        "Kia ora {author}, that is not right, and we would not want anyone to be misled. The facts, with "
        "their sources, are at examples.govt.nz/facts",
    ),
)

#: platform id suffix, author, minutes ago, in reply to, text. All invented.
DEMO_MESSAGES: tuple[tuple[str, str, int, str, str], ...] = (
    (
        "001",
        "aroha_k",
        2900,
        "post-1",
        "Kia ora, when do permit renewals open this year? I can't find the date on the website.",
    ),
    (
        "002",
        "kiwi_dad",
        2850,
        "post-1",
        "How long does it take to process a permit application? I applied three weeks ago.",
    ),
    ("003", "sam.t", 2700, "", "Is the Ōtautahi office open on Saturdays?"),
    ("004", "mere_w", 2600, "post-1", "Can I renew my permit while I'm overseas at the moment?"),
    ("005", "jo_b", 2500, "", "Where do I find the form to change my address?"),
    (
        "006",
        "frustrated_fran",
        2400,
        "post-2",
        "I've been on hold with your contact centre for 45 minutes. This is the third time this week. Not good enough.",
    ),
    (
        "007",
        "tim_r",
        2300,
        "post-2",
        "Your online form crashed twice and I lost everything I typed. Really frustrating.",
    ),
    (
        "008",
        "lena_p",
        2200,
        "",
        "The letter you sent me had the wrong date on it and now I've missed my appointment.",
    ),
    (
        "009",
        "happy_hemi",
        2100,
        "post-3",
        "Thanks to the team at the Hamilton office, they sorted my application in ten minutes. Great service!",
    ),
    ("010", "nikau_fam", 2000, "post-3", "Loved the open day, the kids had a great time. Ngā mihi!"),
    ("011", "rangi_t", 1900, "", "Kia ora koutou, ngā mihi nui ki a koutou katoa mō tā koutou mahi."),
    ("012", "ana_m", 1800, "", "Kia ora, kei te tuwhera te tari āpōpō?"),
    (
        "013",
        "worried_will",
        1700,
        "post-1",
        "My phone is 021 555 0123, can someone call me about my permit application please?",
    ),
    (
        "014",
        "jane_citizen",
        1600,
        "",
        "Please email me at jane.citizen@example.com about my case, my IRD number is 049-091-850.",
    ),
    ("015", "angry_andy", 1500, "post-2", "You lot are useless idiots, absolute clowns running this place."),
    ("016", "bitter_bob", 1400, "post-4", "Whoever wrote this policy is a moron."),
    ("017", "cash_fast_99", 1300, "post-3", "Make $5000 a week from home!!! Click here bit.ly/not-a-real-link"),
    (
        "018",
        "followers_shop",
        1200,
        "post-1",
        "Buy cheap followers now at best-followers-shop.example, best prices on the internet!!!",
    ),
    (
        "019",
        "followers_shop",
        1190,
        "post-2",
        "Buy cheap followers now at best-followers-shop.example, best prices on the internet!!!",
    ),
    (
        "020",
        "truth_seeker",
        1100,
        "post-4",
        "The new permit fee is a secret tax that pays for the minister's holiday home, everyone knows it.",
    ),
    ("021", "policy_wonk", 1000, "post-4", "Honestly this new policy is a mistake and the ministry should rethink it."),
    ("022", "grumpy_gran", 900, "post-4", "Another expensive rebrand while services get worse. Disappointing."),
    ("023", "hungry_h", 800, "", "Anyone know a good fish and chip shop in Petone?"),
    (
        "024",
        "local_lou",
        700,
        "",
        "There's a tree down across Example Street and the power lines are sparking, someone could get hurt!",
    ),
    (
        "025",
        "save_our_office",
        600,
        "post-5",
        "Keep the Example Street office open! Our community needs local services.",
    ),
    ("026", "koro_pita", 590, "post-5", "Keep the Example Street office open! Our community needs local services."),
    ("027", "cafe_owner", 580, "post-5", "Keep the Example Street office open! Our community needs local services."),
    ("028", "vision_user", 400, "", "Is there a way to get the permit guide in large print or as audio?"),
    ("029", "refund_rita", 300, "post-2", "Still waiting for my refund after two months. Who do I talk to?"),
    ("030", "happy_hemi", 120, "post-3", "Quick reply, thanks heaps for the help!"),
)

DEMO_HOLIDAYS = ("2026-12-25", "2026-12-28", "2027-01-01", "2027-01-04")

#: The channel whose messages come from a file import, and the one an RSS connector watches.
DEMO_IMPORT_CHANNEL = "@MinistryOfExamples"
DEMO_FEED_CHANNEL = "MinistryOfExamples"


def _inbox(agency: Agency, teams: dict[str, Team], channels: dict[str, Channel], users: dict[str, User]) -> int:
    """Monitoring hours, approved response templates, an RSS connector (never polled until someone
    asks) and a file-import connector whose invented messages went through the triage. Messages,
    assignments and a reply are added only while the agency's inbox is empty."""
    import datetime as dt

    from django.utils import timezone

    from govsocial.connectors import Incoming
    from govsocial.web.inbox import services as inbox
    from govsocial.web.inbox.models import Connector, Message, ResponseTemplate, Status

    settings = inbox.inbox_settings_get(agency=agency)
    if not settings.holidays:
        # Public holidays over the summer break (observed dates), so due times skip them.
        inbox.inbox_settings_update(actor=users["comms"], agency=agency, holidays=DEMO_HOLIDAYS)
    for key, purpose, title, body in DEMO_TEMPLATES:
        if not ResponseTemplate.objects.filter(agency=agency, key=key).exists():
            template = inbox.template_create(
                actor=users["comms"], agency=agency, key=key, title=title, body=body, purpose=purpose
            )
            inbox.template_approve(actor=users["admin"], template=template)
    feed_channel = channels[DEMO_FEED_CHANNEL]
    if not Connector.objects.filter(channel=feed_channel, kind="rss").exists():
        inbox.connector_create(
            actor=users["comms"],
            channel=feed_channel,
            kind="rss",
            name="Blog comments",
            config={"url": "https://www.examples.govt.nz/blog/comments/feed/", "comments": True},
            poll_interval_s=900,
        )
    channel = channels[DEMO_IMPORT_CHANNEL]
    connector = Connector.objects.filter(channel=channel, kind="import").first() or inbox.connector_create(
        actor=users["comms"], channel=channel, kind="import", name="Comment export", config={}
    )
    if Message.objects.filter(agency=agency).exists():
        return 0
    now = timezone.now()
    items = [
        Incoming(
            platform_id=f"demo-x-{suffix}",
            text=text,
            author=author,
            created_at=now - dt.timedelta(minutes=minutes),
            in_reply_to=f"demo-x-{reply_to}" if reply_to else "",
            kind="reply" if reply_to else "mention",
            url=f"https://x.com/{author}/status/demo{suffix}",
        )
        for suffix, author, minutes, reply_to, text in DEMO_MESSAGES
    ]
    result = inbox.ingest(channel=channel, items=items, connector=connector)
    waiting = list(Message.objects.filter(agency=agency, status=Status.OPEN).order_by("pk")[:4])
    if waiting:
        inbox.message_assign_round_robin(actor=users["moderator"], messages=waiting, team=teams[TEAMS[0]])
    question = Message.objects.filter(agency=agency, status=Status.OPEN, category="question").order_by("pk").first()
    general = ResponseTemplate.objects.filter(agency=agency, key="general").first()
    if question is not None and general is not None:
        inbox.reply_start(actor=users["officer"], message=question, template=general)
    return result.created


def load_demo() -> DemoResult:
    """Create (or refresh) the demo agency; returns the sign-ins with this load's passwords."""
    with transaction.atomic():
        agency, created = _agency()
        teams = _teams(agency)
        users, logins = _users(agency, teams)
        channels = _channels(agency, teams, users)
        drafts_added = _drafts(agency, channels, users)
        messages_added = _inbox(agency, teams, channels, users)
    return DemoResult(
        agency=agency, logins=tuple(logins), created=created, drafts_added=drafts_added, messages_added=messages_added
    )


def print_logins(result: DemoResult, out: TextIO) -> None:
    """Print the demo sign-ins once. The passwords change every time the demo loads."""
    verb = "Loaded" if result.created else "Refreshed"
    out.write(f"{verb} the demo agency “{result.agency.name}”.\n")
    out.write("Demo sign-ins (new passwords on every load; for trying the workspace only):\n")
    width = max(len(login.username) for login in result.logins)
    for login in result.logins:
        out.write(f"  {login.username:<{width}}  {login.password}  {login.display_name}: {', '.join(login.roles)}\n")
    out.flush()
