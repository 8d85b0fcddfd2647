"""From platform to inbox: the real connectors (feedparser, Mastodon.py, atproto) poll a local server
that answers with the recorded platform responses of ``tests/connectors/fixtures``, and the
messages arrive in the inbox triaged by the pack's house rules; polling again stores nothing new,
and a reply published through the drafts app reaches the platform as a reply.

The local server is the connectors' own test double (``FakePlatform`` in
``tests/connectors/conftest.py``), loaded by path so both suites replay the same recordings.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govsocial.web.drafts import services as drafts
from govsocial.web.inbox import services
from govsocial.web.inbox.models import Connector, Message

pytestmark = pytest.mark.django_db

_spec = importlib.util.spec_from_file_location(
    "connectors_test_platform", Path(__file__).resolve().parents[1] / "connectors" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_platform = sys.modules.setdefault(_spec.name, importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(_platform)


@pytest.fixture
def server() -> Iterator[Any]:
    platform = _platform.FakePlatform()
    try:
        yield platform
    finally:
        platform.close()


def _connector(users: dict[str, Any], channel: Any, kind: str, config: dict[str, Any], secret: str = "") -> Connector:
    return services.connector_create(
        actor=users["comms_manager"], channel=channel, kind=kind, name=kind, config=config, secret=secret
    )


def test_a_blog_comment_feed_arrives_as_threaded_comments_once(
    server: Any, users: dict[str, Any], channel: Any
) -> None:
    server.add("GET", "/comments/feed/atom/", fixture="rss/comments_atom.xml")
    feed = _connector(users, channel, "rss", {"url": server.url + "/comments/feed/atom/"})

    first = services.connector_poll(connector=feed)
    again = services.connector_poll(connector=feed)

    assert (first.ok, first.created) == (True, 3) and (again.ok, again.created) == (True, 0)
    comments = list(Message.objects.filter(connector=feed).order_by("pk"))
    assert {m.kind for m in comments} == {"comment"}
    post = "https://news.harbourside.example/2025/03/04/kerbside-glass-collection-moves-to-thursdays/"
    assert {m.thread_key for m in comments} == {post}
    question = comments[0]
    assert question.author == "Sam Peretini" and question.category == "question" and question.status == "open"
    feed.refresh_from_db()
    assert services.connector_health(feed).state == "ok" and feed.messages_seen == 3


def test_mastodon_mentions_arrive_triaged_and_a_reply_goes_back_as_a_reply(
    server: Any, users: dict[str, Any], channel: Any
) -> None:
    server.add("GET", "/api/v1/notifications", fixture="mastodon/notifications_latest.json")
    server.add("GET", "/api/v1/notifications", body=[], query={"min_id": "34975861"})
    mentions = _connector(
        users,
        channel,
        "mastodon",
        {"instance": server.url, "account": "@harbourside@social.example.nz"},
        secret="token-abc",
    )

    first = services.connector_poll(connector=mentions)
    again = services.connector_poll(connector=mentions)

    assert (first.created, again.created) == (3, 0)
    stored = {m.platform_id: m for m in Message.objects.filter(connector=mentions)}
    detour = stored["114113880001234567"]
    assert detour.kind == "reply" and detour.thread_key == "114113701119988776"
    assert detour.author == "kiri@kiwi.social" and detour.status == "open"
    assert all(m.triaged_with.startswith("nz@") for m in stored.values())

    # Answer the bins complaint: a draft, reviewed and approved, then sent as a Mastodon reply.
    bins = stored["114111990087654321"]
    server.add("GET", f"/api/v1/statuses/{bins.platform_id}", fixture="mastodon/status_to_answer.json")
    server.add("POST", "/api/v1/statuses", fixture="mastodon/status_posted.json")
    draft = services.reply_start(
        actor=users["officer"], message=bins, text="Sorry about that. The crew will collect them tomorrow."
    )
    draft = drafts.draft_submit(actor=users["officer"], draft=draft)
    if draft.state == "awaiting_approval":
        drafts.draft_approve(approver=users["approver"], draft=draft, reason="Checked with the depot")
        draft.refresh_from_db()
    drafts.draft_publish(actor=users["approver"], draft=draft)

    [post] = server.calls("POST", "/api/v1/statuses")
    assert post.form()["in_reply_to_id"] == [bins.platform_id]
    bins.refresh_from_db()
    assert bins.status == "answered" and bins.reply_platform_id == "114118000000000009"


def test_bluesky_mentions_replies_and_quotes_arrive_in_the_inbox(
    server: Any, users: dict[str, Any], channel: Any
) -> None:
    from govsocial.connectors import bluesky as bluesky_module

    bluesky_module._SESSIONS.clear()
    server.add("POST", "/xrpc/com.atproto.server.createSession", fixture="bluesky/create_session.json")
    server.add("GET", "/xrpc/app.bsky.notification.listNotifications", fixture="bluesky/list_notifications_page1.json")
    sky = _connector(
        users, channel, "bluesky", {"handle": "@harbourside.bsky.social", "service": server.url}, "abcd-efgh-ijkl-mnop"
    )
    try:
        outcome = services.connector_poll(connector=sky)
    finally:
        bluesky_module._SESSIONS.clear()

    assert outcome.ok and outcome.created == 3
    kinds = {m.kind for m in Message.objects.filter(connector=sky)}
    assert kinds == {"mention", "reply", "quote"}
    agency_post = "at://did:plc:hdc7qzrw4l2xk3vbm5tsya6e/app.bsky.feed.post/3ljtzd6a2kc2o"
    assert Message.objects.get(connector=sky, kind="reply").thread_key == agency_post


def test_when_the_platform_refuses_the_token_the_connector_stops_and_says_so(
    server: Any, users: dict[str, Any], channel: Any
) -> None:
    server.add("GET", "/api/v1/notifications", status=401, fixture="mastodon/error_401.json")
    mentions = _connector(
        users, channel, "mastodon", {"instance": server.url, "account": "@harbourside@social.example.nz"}, "bad"
    )
    outcome = services.connector_poll(connector=mentions)
    mentions.refresh_from_db()
    assert not outcome.ok and mentions.auth_failed_at is not None
    assert services.connector_health(mentions).state == "auth"
