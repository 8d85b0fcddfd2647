"""The Bluesky connector: the atproto SDK itself, against a local server serving lexicon-shaped responses."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from govsocial.connectors import AuthFailed, ConnectorError, NotSupported, RateLimited, SentReply, build
from govsocial.connectors import bluesky as bluesky_module
from govsocial.connectors.bluesky import report_reason_type

SESSION = "/xrpc/com.atproto.server.createSession"
LIST = "/xrpc/app.bsky.notification.listNotifications"
GET_POSTS = "/xrpc/app.bsky.feed.getPosts"
CREATE = "/xrpc/com.atproto.repo.createRecord"
GET_RECORD = "/xrpc/com.atproto.repo.getRecord"
PUT = "/xrpc/com.atproto.repo.putRecord"
REPORT = "/xrpc/com.atproto.moderation.createReport"
AGENCY_DID = "did:plc:hdc7qzrw4l2xk3vbm5tsya6e"
AGENCY_POST = f"at://{AGENCY_DID}/app.bsky.feed.post/3ljtzd6a2kc2o"
TOM_REPLY = "at://did:plc:w2ftgq6oxz5h7nbj3lkde4ay/app.bsky.feed.post/3ljub7vyxw22p"
MERE_MENTION = "at://did:plc:r4vmx2ulq7b5ezj6ta3kcnwo/app.bsky.feed.post/3ljuc2kqfbs2x"
UTC = dt.UTC


@pytest.fixture(autouse=True)
def _no_saved_sessions():
    bluesky_module._SESSIONS.clear()
    yield
    bluesky_module._SESSIONS.clear()


@pytest.fixture
def signed_in(server):
    server.add("POST", SESSION, fixture="bluesky/create_session.json")
    return server


def bluesky(server, **config):
    return build(
        "bluesky", {"handle": "@harbourside.bsky.social", "service": server.url, **config}, "abcd-efgh-ijkl-mnop"
    )


def polled_once(server):
    """A cursor as the first poll of the recorded first page leaves it."""
    server.add("GET", LIST, fixture="bluesky/list_notifications_page1.json", query={"cursor": None})
    return bluesky(server).poll("").cursor


def test_when_first_polled_then_it_signs_in_and_returns_mentions_replies_and_quotes_oldest_first(signed_in):
    server = signed_in
    server.add("GET", LIST, fixture="bluesky/list_notifications_page1.json")

    page = bluesky(server).poll("")

    assert server.calls("POST", SESSION)[0].json() == {
        "identifier": "harbourside.bsky.social",
        "password": "abcd-efgh-ijkl-mnop",
    }
    listed = server.calls("GET", LIST)
    assert len(listed) == 1  # the first poll reads one page, not the account's history
    assert listed[0].query == {"limit": ["50"], "reasons": ["mention", "reply", "quote"]}
    assert listed[0].headers["authorization"].startswith("Bearer eyJ")
    quote, reply, mention = page.messages
    assert (quote.kind, reply.kind, mention.kind) == ("quote", "reply", "mention")
    assert reply.platform_id == TOM_REPLY
    assert reply.text == "The detour signs on Gorge Road point the wrong way at the roundabout."
    assert reply.author == "tomkaka.net"
    assert reply.author_name == "Tom 🚲"
    assert reply.in_reply_to == reply.thread_id == AGENCY_POST
    assert reply.url == "https://bsky.app/profile/tomkaka.net/post/3ljub7vyxw22p"
    assert reply.created_at == dt.datetime(2025, 3, 5, 8, 12, 30, 1000, tzinfo=UTC)
    assert mention.in_reply_to == ""
    assert mention.thread_id == mention.platform_id == MERE_MENTION
    assert mention.author_name == "Mere Tūhoe"
    assert quote.author_name == ""  # no displayName in the profile view
    assert quote.extra["reason_subject"] == AGENCY_POST
    assert json.loads(page.cursor)["at"] == "2025-03-05T08:41:00.318Z"
    assert page.more is False


def test_when_polled_again_then_nothing_repeats_and_the_session_is_reused(signed_in):
    server = signed_in
    cursor = polled_once(server)

    again = bluesky(server).poll(cursor)  # a fresh connector, as each scheduled poll builds one

    assert again.messages == ()
    assert len(server.calls("POST", SESSION)) == 1
    assert len(server.calls("GET", LIST)) == 2


def test_when_several_pages_arrived_then_it_pages_back_to_the_last_seen_and_returns_oldest_first(signed_in):
    server = signed_in
    cursor = polled_once(server)
    server.add("GET", LIST, fixture="bluesky/list_notifications_new_page1.json", query={"cursor": None})
    server.add(
        "GET", LIST, fixture="bluesky/list_notifications_new_page2.json", query={"cursor": "2025-03-05T21:30:01.250Z"}
    )
    server.add(
        "GET", LIST, fixture="bluesky/list_notifications_new_page3.json", query={"cursor": "2025-03-05T19:44:11.090Z"}
    )

    page = bluesky(server, page_size=1).poll(cursor)

    assert [m.text for m in page.messages] == ["Same problem at the bridge end.", "Thanks, found it. Ngā mihi!"]
    assert page.messages[1].extra["langs"] == ["en", "mi"]
    assert page.messages[0].thread_id == AGENCY_POST  # the root, though it answers another reply
    assert page.more is False
    assert json.loads(page.cursor)["at"] == "2025-03-05T21:30:01.250Z"
    assert len(server.calls("GET", LIST)) == 4  # one first poll, then three pages


def test_when_more_arrived_than_the_page_limit_then_the_gap_is_read_on_the_next_polls(signed_in):
    server = signed_in
    cursor = polled_once(server)
    server.add("GET", LIST, fixture="bluesky/list_notifications_new_page1.json", query={"cursor": None})
    server.add(
        "GET", LIST, fixture="bluesky/list_notifications_new_page2.json", query={"cursor": "2025-03-05T21:30:01.250Z"}
    )
    server.add(
        "GET", LIST, fixture="bluesky/list_notifications_new_page3.json", query={"cursor": "2025-03-05T19:44:11.090Z"}
    )
    connector = bluesky(server, page_size=1, max_pages=1)

    newest = connector.poll(cursor)
    older = connector.poll(newest.cursor)
    closing = connector.poll(older.cursor)
    after = connector.poll(closing.cursor)

    assert [m.text for m in newest.messages] == ["Thanks, found it. Ngā mihi!"]
    assert newest.more is True
    assert [m.text for m in older.messages] == ["Same problem at the bridge end."]
    assert older.more is True
    assert closing.messages == ()  # only a like, then the mark of the first poll
    assert closing.more is False
    assert "gap" not in json.loads(closing.cursor)
    assert after.messages == ()


def test_when_the_saved_session_has_expired_then_it_signs_in_again_once(signed_in):
    server = signed_in
    cursor = polled_once(server)
    server.add(
        "GET",
        LIST,
        status=400,
        fixture="bluesky/error_expired.json",
        then=[{"fixture": "bluesky/list_notifications_page1.json"}],
    )

    page = bluesky(server).poll(cursor)

    assert page.messages == ()
    assert len(server.calls("POST", SESSION)) == 2


def test_when_the_app_password_is_wrong_then_auth_failed_after_one_try(server):
    server.add("POST", SESSION, status=401, fixture="bluesky/error_auth.json")

    with pytest.raises(AuthFailed, match="Invalid identifier or password"):
        bluesky(server).poll("")

    assert len(server.calls("POST", SESSION)) == 1
    assert server.calls("GET", LIST) == []


def test_when_no_app_password_is_set_then_auth_failed_without_a_request(server):
    with pytest.raises(AuthFailed, match="no Bluesky app password"):
        build("bluesky", {"handle": "harbourside.bsky.social", "service": server.url}, "").poll("")
    assert server.requests == []


def test_when_rate_limited_then_retry_after_counts_to_the_reset(signed_in):
    server = signed_in
    reset = int(time.time()) + 240
    headers = {
        "ratelimit-limit": "3000",
        "ratelimit-remaining": "0",
        "ratelimit-reset": str(reset),
        "ratelimit-policy": "3000;w=300",
    }
    server.add("GET", LIST, status=429, fixture="bluesky/error_ratelimit.json", headers=headers)

    with pytest.raises(RateLimited) as caught:
        bluesky(server).poll("")

    assert 230 <= caught.value.retry_after <= 240


def test_when_rate_limited_with_retry_after_then_that_is_used(signed_in):
    server = signed_in
    server.add("GET", LIST, status=429, fixture="bluesky/error_ratelimit.json", headers={"Retry-After": "17"})

    with pytest.raises(RateLimited) as caught:
        bluesky(server).poll("")

    assert caught.value.retry_after == 17


def test_when_the_service_fails_then_connector_error_with_the_status(signed_in):
    server = signed_in
    server.add("GET", LIST, status=500, fixture="bluesky/error_500.json")

    with pytest.raises(ConnectorError, match="HTTP 500: InternalServerError") as caught:
        bluesky(server).poll("")

    assert not isinstance(caught.value, RateLimited | AuthFailed)


def test_when_the_service_cannot_be_reached_then_connector_error(server):
    url = server.url
    server.close()

    with pytest.raises(ConnectorError, match="cannot reach"):
        build("bluesky", {"handle": "harbourside.bsky.social", "service": url}, "pw").poll("")


def test_when_replying_to_a_reply_then_the_post_carries_the_threads_root_and_the_parent(signed_in):
    server = signed_in
    server.add("GET", GET_POSTS, fixture="bluesky/get_posts_reply.json")
    server.add("POST", CREATE, fixture="bluesky/create_record.json")

    sent = bluesky(server).reply(
        in_reply_to=TOM_REPLY, text="Thanks Tom, the signs are fixed: https://harbourside.example/roadworks"
    )

    assert server.calls("GET", GET_POSTS)[0].query == {"uris": [TOM_REPLY]}
    body = server.calls("POST", CREATE)[0].json()
    assert body["repo"] == AGENCY_DID
    assert body["collection"] == "app.bsky.feed.post"
    record = body["record"]
    assert record["$type"] == "app.bsky.feed.post"
    assert record["text"] == "Thanks Tom, the signs are fixed: https://harbourside.example/roadworks"
    assert record["reply"]["parent"]["uri"] == TOM_REPLY
    assert record["reply"]["parent"]["cid"].startswith("bafyrei")
    assert record["reply"]["root"]["uri"] == AGENCY_POST
    assert record["reply"]["root"]["cid"] != record["reply"]["parent"]["cid"]
    assert record["facets"][0]["features"][0]["uri"] == "https://harbourside.example/roadworks"
    assert dt.datetime.fromisoformat(record["createdAt"]).tzinfo is not None
    assert sent == SentReply(
        platform_id=f"at://{AGENCY_DID}/app.bsky.feed.post/3ljvbb3ll2s2k",
        url="https://bsky.app/profile/harbourside.bsky.social/post/3ljvbb3ll2s2k",
    )


def test_when_replying_to_a_top_level_post_then_it_is_both_root_and_parent(signed_in):
    server = signed_in
    server.add("GET", GET_POSTS, fixture="bluesky/get_posts_mention.json")
    server.add("POST", CREATE, fixture="bluesky/create_record.json")

    bluesky(server).reply(in_reply_to=MERE_MENTION, text="Kia ora Mere, yes: 10am to 4pm.")

    reply = server.calls("POST", CREATE)[0].json()["record"]["reply"]
    assert reply["root"] == reply["parent"]
    assert reply["parent"]["uri"] == MERE_MENTION


def test_when_the_reply_is_too_long_then_it_is_refused_before_any_request(server):
    with pytest.raises(ConnectorError, match="Bluesky allows 300"):
        bluesky(server).reply(in_reply_to=TOM_REPLY, text="a" * 301)
    assert server.requests == []


def test_when_the_post_answered_is_gone_then_a_clear_error(signed_in):
    server = signed_in
    server.add("GET", GET_POSTS, fixture="bluesky/get_posts_empty.json")

    with pytest.raises(ConnectorError, match="the post is gone"):
        bluesky(server).reply(in_reply_to=TOM_REPLY, text="hello")
    assert server.calls("POST", CREATE) == []


def test_when_hiding_a_reply_under_the_agencys_post_then_the_threadgate_gains_it_and_keeps_its_rules(signed_in):
    server = signed_in
    server.add("GET", GET_POSTS, fixture="bluesky/get_posts_reply.json")
    server.add("GET", GET_RECORD, fixture="bluesky/get_record_threadgate.json")
    server.add("POST", PUT, fixture="bluesky/put_record.json")

    bluesky(server).hide(TOM_REPLY)

    assert server.calls("GET", GET_RECORD)[0].query == {
        "repo": [AGENCY_DID],
        "collection": ["app.bsky.feed.threadgate"],
        "rkey": ["3ljtzd6a2kc2o"],
    }
    body = server.calls("POST", PUT)[0].json()
    assert (body["repo"], body["collection"], body["rkey"]) == (AGENCY_DID, "app.bsky.feed.threadgate", "3ljtzd6a2kc2o")
    assert body["swapRecord"].startswith("bafyrei")  # fails rather than overwrites a concurrent change
    gate = body["record"]
    assert gate["post"] == AGENCY_POST
    assert gate["hiddenReplies"][-1] == TOM_REPLY
    assert len(gate["hiddenReplies"]) == 2  # the one hidden before stays hidden
    assert [rule["$type"] for rule in gate["allow"]] == [
        "app.bsky.feed.threadgate#followingRule",
        "app.bsky.feed.threadgate#mentionRule",
    ]


def test_when_the_thread_has_no_threadgate_then_one_is_created_that_still_lets_everyone_reply(signed_in):
    server = signed_in
    server.add("GET", GET_POSTS, fixture="bluesky/get_posts_reply.json")
    server.add("GET", GET_RECORD, status=400, fixture="bluesky/error_record_not_found.json")
    server.add("POST", PUT, fixture="bluesky/put_record.json")

    bluesky(server).hide(TOM_REPLY)

    body = server.calls("POST", PUT)[0].json()
    assert body["record"]["hiddenReplies"] == [TOM_REPLY]
    assert body["record"]["$type"] == "app.bsky.feed.threadgate"
    assert "allow" not in body["record"]  # an empty allow list would stop all replies
    assert "swapRecord" not in body


def test_when_the_reply_is_already_hidden_then_nothing_is_written(signed_in, json_fixture):
    server = signed_in
    hidden = "at://did:plc:bq5kx7zlmv3tcyo2whnf4e6r/app.bsky.feed.post/3ljtzzzz2aa2b"
    view = {"posts": [{**json_fixture("bluesky/get_posts_reply.json")["posts"][0], "uri": hidden}]}
    server.add("GET", GET_POSTS, body=view)
    server.add("GET", GET_RECORD, fixture="bluesky/get_record_threadgate.json")

    bluesky(server).hide(hidden)

    assert server.calls("POST", PUT) == []


def test_when_the_reply_is_under_someone_elses_post_then_hiding_is_not_supported(signed_in):
    server = signed_in
    server.add("GET", GET_POSTS, fixture="bluesky/get_posts_other_thread.json")

    with pytest.raises(NotSupported, match="only a thread's author"):
        bluesky(server).hide("at://did:plc:bq5kx7zlmv3tcyo2whnf4e6r/app.bsky.feed.post/3ljsa7u5i2k2h")
    assert server.calls("POST", PUT) == []


def test_when_the_post_is_not_a_reply_then_hiding_is_not_supported(signed_in):
    server = signed_in
    server.add("GET", GET_POSTS, fixture="bluesky/get_posts_mention.json")

    with pytest.raises(NotSupported, match="not a reply"):
        bluesky(server).hide(MERE_MENTION)


def test_when_reporting_then_the_report_names_the_post_by_strong_ref_with_a_reason(signed_in):
    server = signed_in
    server.add("GET", GET_POSTS, fixture="bluesky/get_posts_reply.json")
    server.add("POST", REPORT, fixture="bluesky/create_report.json")

    bluesky(server).report(TOM_REPLY, reason="Abuse of staff (house rule IN-05)")

    body = server.calls("POST", REPORT)[0].json()
    assert body["reasonType"] == "com.atproto.moderation.defs#reasonRude"
    assert body["reason"] == "Abuse of staff (house rule IN-05)"
    assert body["subject"]["$type"] == "com.atproto.repo.strongRef"
    assert body["subject"]["uri"] == TOM_REPLY
    assert body["subject"]["cid"].startswith("bafyrei")


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("Spam: repeated advertising", "reasonSpam"),
        ("Misinformation about the boil-water notice", "reasonMisleading"),
        ("Harassment of a staff member", "reasonRude"),
        ("Personal information of a third party", "reasonOther"),
    ],
)
def test_report_reasons_map_to_the_moderation_lexicon(reason, expected):
    assert report_reason_type(reason) == f"com.atproto.moderation.defs#{expected}"
