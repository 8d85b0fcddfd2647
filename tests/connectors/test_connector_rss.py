"""The feed connector against a local server serving recorded RSS 2.0, Atom and WordPress comment feeds."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from govsocial.connectors import AuthFailed, ConnectorError, NotSupported, RateLimited, build
from govsocial.connectors.rss import SEEN_LIMIT, RssConnector

FEED = "/comments/feed/atom/"
UTC = dt.UTC


def feed(server, config=None):
    return build("rss", {"url": server.url + FEED, **(config or {})})


def test_when_a_comment_feed_is_first_polled_then_every_comment_arrives_oldest_first(server):
    server.add("GET", FEED, fixture="rss/comments_atom.xml")

    page = feed(server).poll("")

    assert [m.platform_id.rsplit("-", 1)[1] for m in page.messages] == ["1185", "1186", "1187"]
    first, answer, last = page.messages
    assert first.kind == "comment"
    assert first.text == "So do we put the crate out on Wednesday night now? & what about public holidays?"
    assert first.author == first.author_name == "Sam Peretini"
    assert first.created_at == dt.datetime(2025, 3, 4, 22, 5, 9, tzinfo=UTC)
    assert first.in_reply_to == "https://news.harbourside.example/?p=412"
    post = "https://news.harbourside.example/2025/03/04/kerbside-glass-collection-moves-to-thursdays/"
    assert first.thread_id == answer.thread_id == last.thread_id == post
    assert first.url == post + "#comment-1185"
    # A reply to a comment points at that comment's id, so the thread can be rebuilt.
    assert answer.in_reply_to == first.platform_id
    assert answer.text == "Kia ora Sam, yes – the crate goes out by 7am on Thursday.\nRecycling bins are unchanged."
    assert page.more is False


def test_when_a_feed_is_polled_again_then_no_entry_is_returned_twice(server):
    server.add("GET", FEED, fixture="rss/comments_atom.xml")
    connector = feed(server)
    first = connector.poll("")

    again = connector.poll(first.cursor)

    assert len(first.messages) == 3
    assert again.messages == ()


def test_when_a_new_comment_appears_then_only_it_is_returned(server, fixture_path):
    original = fixture_path("rss/comments_atom.xml").read_text(encoding="utf-8")
    server.add("GET", FEED, body=original.encode(), headers={"Content-Type": "application/atom+xml"})
    connector = feed(server)
    cursor = connector.poll("").cursor
    newer = original.replace(
        "<entry>",
        """<entry>
        <title>Comment on Kerbside glass collection by Ana</title>
        <link rel="alternate" href="https://news.harbourside.example/2025/03/04/kerbside/#comment-1190" type="text/html" />
        <author><name>Ana</name></author>
        <id>https://news.harbourside.example/?p=412#comment-1190</id>
        <updated>2025-03-05T09:00:00Z</updated><published>2025-03-05T09:00:00Z</published>
        <thr:in-reply-to ref="https://news.harbourside.example/?p=412" type="text/html" />
        <content type="html">&lt;p&gt;What about the eastern wards?&lt;/p&gt;</content>
        </entry>
        <entry>""",
        1,
    )
    server.add("GET", FEED, body=newer.encode(), headers={"Content-Type": "application/atom+xml"})

    page = connector.poll(cursor)

    assert [m.text for m in page.messages] == ["What about the eastern wards?"]


def test_when_the_server_gives_an_etag_then_the_next_poll_asks_conditionally_and_304_returns_nothing(server):
    validators = {"ETag": 'W/"c0ffee"', "Last-Modified": "Wed, 05 Mar 2025 08:41:17 GMT"}
    server.add("GET", FEED, fixture="rss/comments_atom.xml", headers=validators)
    connector = feed(server)
    first = connector.poll("")
    server.add("GET", FEED, status=304, headers=validators)

    again = connector.poll(first.cursor)

    sent = server.calls("GET", FEED)[-1].headers
    assert sent["if-none-match"] == 'W/"c0ffee"'
    assert sent["if-modified-since"] == "Wed, 05 Mar 2025 08:41:17 GMT"
    assert again.messages == ()
    assert again.cursor == first.cursor
    assert json.loads(first.cursor)["etag"] == 'W/"c0ffee"'


def test_when_a_blog_feed_is_read_then_posts_are_items_with_their_comment_feeds(server):
    server.add("GET", FEED, fixture="rss/blog_rss2.xml")

    page = feed(server).poll("")

    easter, glass = page.messages
    assert glass.kind == easter.kind == "item"
    assert glass.platform_id == "https://news.harbourside.example/?p=412"
    assert glass.text == (
        "Kerbside glass collection moves to Thursdays\n\n"
        "From 17 March the glass crate is collected on Thursdays in the northern wards.\n\n"
        "Wheelie bins stay on their usual day. See the collection map."
    )
    assert glass.extra["comments_feed"].endswith("/kerbside-glass-collection-moves-to-thursdays/feed/")
    assert glass.extra["comment_count"] == 3
    assert glass.extra["feed"] == "Harbourside District Council News"
    assert easter.text.endswith("Easter Monday & open 10am–4pm on Saturday.")
    assert easter.created_at == dt.datetime(2025, 2, 27, 2, 30, tzinfo=UTC)
    assert glass.in_reply_to == glass.thread_id == ""


def test_when_a_wordpress_rss_comment_feed_is_configured_as_comments_then_entries_are_comments(server):
    server.add("GET", FEED, fixture="rss/comments_rss2.xml")

    page = feed(server, {"comments": True}).poll("")

    sam, mere = page.messages
    assert sam.kind == mere.kind == "comment"
    assert mere.text == "Does this include the rural delivery roads past the quarry? Ours was missed twice last month."
    assert mere.author == "Mere Tūhoe"
    assert mere.thread_id == "https://news.harbourside.example/2025/03/04/kerbside-glass-collection-moves-to-thursdays/"
    assert mere.created_at == dt.datetime(2025, 3, 5, 8, 41, 17, tzinfo=UTC)


def test_when_entries_carry_time_zones_then_times_are_utc(server):
    server.add("GET", FEED, fixture="rss/notices_atom.xml")

    consultation, closure = feed(server).poll("").messages

    assert closure.created_at == dt.datetime(2025, 3, 6, 6, 30, tzinfo=UTC)
    assert consultation.created_at == dt.datetime(2025, 3, 2, 20, 0, tzinfo=UTC)
    assert closure.text == (
        "Gorge Road closed overnight for resurfacing\n\n"
        "Gorge Road is closed between 8pm and 5am, Monday to Thursday.\n\nDetour via State Highway 3."
    )


def _long_feed(count: int) -> bytes:
    start = dt.datetime(2025, 1, 1, tzinfo=UTC)
    entries = "".join(
        f"<entry><title>Notice {n}</title><id>urn:notice:{n}</id>"
        f"<updated>{(start + dt.timedelta(hours=n)).isoformat()}</updated><summary>Body {n}</summary></entry>"
        for n in range(count)
    )
    return (
        f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Long</title>{entries}</feed>'.encode()
    )


def test_when_a_feed_holds_more_entries_than_the_cursor_remembers_then_a_repoll_still_returns_none(server):
    server.add("GET", FEED, body=_long_feed(SEEN_LIMIT + 100), headers={"Content-Type": "application/atom+xml"})
    connector = feed(server)

    first = connector.poll("")
    again = connector.poll(first.cursor)

    assert len(first.messages) == SEEN_LIMIT + 100
    assert len(json.loads(first.cursor)["seen"]) == SEEN_LIMIT
    assert again.messages == ()


def test_when_the_server_answers_429_then_rate_limited_with_its_retry_after(server):
    server.add("GET", FEED, status=429, body="slow down", headers={"Retry-After": "120"})

    with pytest.raises(RateLimited) as caught:
        feed(server).poll("")

    assert caught.value.retry_after == 120


def test_when_the_server_answers_503_with_an_http_date_then_rate_limited_until_then(server):
    later = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 600))
    server.add("GET", FEED, status=503, body="maintenance", headers={"Retry-After": later})

    with pytest.raises(RateLimited) as caught:
        feed(server).poll("")

    assert 580 <= caught.value.retry_after <= 600


def test_when_the_server_answers_503_without_retry_after_then_a_plain_error(server):
    server.add("GET", FEED, status=503, body="down")

    with pytest.raises(ConnectorError) as caught:
        feed(server).poll("")

    assert not isinstance(caught.value, RateLimited)
    assert "HTTP 503" in str(caught.value)


@pytest.mark.parametrize("status", [401, 403])
def test_when_the_feed_refuses_access_then_auth_failed(server, status):
    server.add("GET", FEED, status=status, body="no")

    with pytest.raises(AuthFailed, match=f"HTTP {status}"):
        feed(server).poll("")


def test_when_the_server_fails_then_connector_error_names_the_status(server):
    server.add("GET", FEED, status=500, body="oops")

    with pytest.raises(ConnectorError, match="answered HTTP 500"):
        feed(server).poll("")


def test_when_the_feed_is_gone_then_the_error_says_no_feed(server):
    with pytest.raises(ConnectorError, match=r"no feed at .* \(HTTP 404\)"):
        feed(server).poll("")


def test_when_the_address_serves_a_web_page_then_not_a_readable_feed(server):
    server.add("GET", FEED, fixture="rss/not_a_feed.html")

    with pytest.raises(ConnectorError, match="is not a readable feed"):
        feed(server).poll("")


def test_when_the_server_does_not_answer_in_time_then_a_timeout_error(server):
    server.add("GET", FEED, fixture="rss/comments_atom.xml", delay=1.0)

    with pytest.raises(ConnectorError, match=r"did not answer within 0\.2 s"):
        feed(server, {"timeout": 0.2}).poll("")


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://files.example.org/feed.xml"])
def test_when_a_feed_redirects_away_from_http_then_it_is_not_followed(server, target):
    server.add("GET", FEED, status=302, headers={"Location": target})

    with pytest.raises(ConnectorError, match=r"not allowed|only http and https"):
        feed(server).poll("")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed", "", "news.example.org/feed"])
def test_when_the_feed_address_is_not_http_then_the_connector_is_refused(url):
    with pytest.raises(ConnectorError, match="must be an http"):
        RssConnector({"url": url})


def test_when_the_cursor_is_damaged_then_the_error_says_to_reset(server):
    server.add("GET", FEED, fixture="rss/comments_atom.xml")

    with pytest.raises(ConnectorError, match="cursor is damaged"):
        feed(server).poll("{not json")


def test_when_asked_to_reply_hide_or_report_then_not_supported_and_told_to_use_the_site(server):
    connector = feed(server)

    for action in (
        lambda: connector.reply(in_reply_to="x", text="hello"),
        lambda: connector.hide("x"),
        lambda: connector.report("x", reason="abuse"),
    ):
        with pytest.raises(NotSupported, match="on the site itself"):
            action()
    assert server.requests == []
