"""The Mastodon connector: Mastodon.py itself, against a local server serving documented API shapes."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from govsocial.connectors import AuthFailed, ConnectorError, NotSupported, RateLimited, SentReply, build

NOTIFICATIONS = "/api/v1/notifications"
UTC = dt.UTC


def mastodon(server, **config):
    return build(
        "mastodon",
        {"instance": server.url, "account": "@harbourside@social.example.nz", **config},
        "token-abc",
    )


def test_when_first_polled_then_mentions_arrive_oldest_first_as_plain_text(server):
    server.add("GET", NOTIFICATIONS, fixture="mastodon/notifications_latest.json")

    page = mastodon(server).poll("")

    request = server.calls("GET", NOTIFICATIONS)[0]
    assert request.query == {"types[]": ["mention"], "limit": ["40"]}
    assert request.headers["authorization"] == "Bearer token-abc"
    bins, crate, detour = page.messages
    assert [m.platform_id for m in page.messages] == ["114111990087654321", "114112551102030405", "114113880001234567"]
    assert detour.text == (
        "@harbourside the detour map on https://harbourside.example/roadworks/gorge-road-detour-map "
        "still shows the old route & it's confusing people.\n\nCould someone fix it?\nThanks!"
    )
    assert detour.kind == "reply"
    assert detour.in_reply_to == detour.thread_id == "114113701119988776"
    assert detour.author == "kiri@kiwi.social"
    assert detour.author_name == "Kiri :fern:"
    assert detour.url == "https://kiwi.social/@kiri/114113880001234567"
    assert detour.created_at == dt.datetime(2025, 3, 5, 8, 41, 16, tzinfo=UTC)
    assert detour.extra["in_reply_to_account_id"] == "109412287356101456"
    assert crate.kind == "mention"
    assert crate.in_reply_to == ""
    assert crate.thread_id == crate.platform_id
    assert crate.author == "sam_p"
    # A content warning stays in front of the text it covers.
    assert bins.text == "bins\n\nKia ora @harbourside, the bins on Wharf St were not emptied this week."
    assert bins.author_name == "alexw"  # no display name: the username
    assert json.loads(page.cursor) == {"min_id": "34975861"}
    assert page.more is False


def test_when_polled_again_with_the_cursor_then_it_asks_for_newer_only_and_nothing_repeats(server):
    server.add("GET", NOTIFICATIONS, fixture="mastodon/notifications_latest.json")
    connector = mastodon(server)
    cursor = connector.poll("").cursor
    server.add("GET", NOTIFICATIONS, body=[], query={"min_id": "34975861"})

    again = connector.poll(cursor)

    assert server.calls("GET", NOTIFICATIONS)[-1].query["min_id"] == ["34975861"]
    assert again.messages == ()
    assert again.cursor == cursor


def test_when_a_backlog_fills_the_page_then_more_is_set_and_the_next_page_follows_on(server):
    server.add("GET", NOTIFICATIONS, fixture="mastodon/notifications_after_page1.json", query={"min_id": "34975861"})
    server.add("GET", NOTIFICATIONS, fixture="mastodon/notifications_after_page2.json", query={"min_id": "34976210"})
    connector = mastodon(server, page_size=2)

    first = connector.poll(json.dumps({"min_id": "34975861"}))
    second = connector.poll(first.cursor)

    assert [m.text for m in first.messages] == [
        "@harbourside when does the pool reopen?",
        "@harbourside thanks, that answers it.",
    ]
    assert first.more is True
    assert json.loads(first.cursor) == {"min_id": "34976210"}
    assert [m.platform_id for m in second.messages] == ["114117300000000003"]
    assert second.messages[0].text == "@harbourside 🙏"
    assert second.more is False
    assert server.calls("GET", NOTIFICATIONS)[0].query["limit"] == ["2"]


def test_when_rate_limited_then_it_raises_at_once_with_the_servers_retry_after(server):
    server.add("GET", NOTIFICATIONS, status=429, fixture="mastodon/error_429.json", headers={"Retry-After": "42"})
    started = time.monotonic()

    with pytest.raises(RateLimited) as caught:
        mastodon(server).poll("")

    # Mastodon.py's default would sleep until the reset; a worker must never block on it.
    assert time.monotonic() - started < 5
    assert caught.value.retry_after == 42
    assert len(server.calls("GET", NOTIFICATIONS)) == 1


def test_when_rate_limited_with_only_a_reset_time_then_retry_after_counts_to_it(server):
    reset = (dt.datetime.now(UTC) + dt.timedelta(seconds=90)).isoformat(timespec="milliseconds")
    headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    server.add("GET", NOTIFICATIONS, status=429, fixture="mastodon/error_429.json", headers=headers)

    with pytest.raises(RateLimited) as caught:
        mastodon(server).poll("")

    # Counted on the server's clock (its Date header has whole seconds).
    assert 80 <= caught.value.retry_after <= 91


def test_when_the_token_is_refused_then_auth_failed(server):
    server.add("GET", NOTIFICATIONS, status=401, fixture="mastodon/error_401.json")

    with pytest.raises(AuthFailed, match="The access token is invalid"):
        mastodon(server).poll("")


def test_when_no_token_is_set_then_auth_failed_without_a_request(server):
    connector = build("mastodon", {"instance": server.url}, "")

    with pytest.raises(AuthFailed, match="no Mastodon access token"):
        connector.poll("")
    assert server.requests == []


@pytest.mark.parametrize("status", [500, 502, 503])
def test_when_the_server_fails_then_connector_error(server, status):
    server.add("GET", NOTIFICATIONS, status=status, fixture="mastodon/error_500.json")

    with pytest.raises(ConnectorError, match=f"HTTP {status}") as caught:
        mastodon(server).poll("")

    assert not isinstance(caught.value, RateLimited | AuthFailed)


def test_when_the_server_cannot_be_reached_then_connector_error(server):
    url = server.url
    server.close()

    with pytest.raises(ConnectorError, match="cannot reach"):
        build("mastodon", {"instance": url}, "token").poll("")


def test_when_the_server_is_too_slow_then_connector_error_not_a_hang(server):
    server.add("GET", NOTIFICATIONS, fixture="mastodon/notifications_latest.json", delay=1.0)

    with pytest.raises(ConnectorError, match=r"did not answer within 0\.2 s"):
        mastodon(server, timeout=0.2).poll("")


def test_when_replying_then_the_author_is_mentioned_in_reply_to_with_the_same_visibility(server):
    status_id = "114111990087654321"
    server.add("GET", f"/api/v1/statuses/{status_id}", fixture="mastodon/status_to_answer.json")
    server.add("POST", "/api/v1/statuses", fixture="mastodon/status_posted.json")

    sent = mastodon(server).reply(
        in_reply_to=status_id, text="Thanks for letting us know. We have asked the contractor."
    )

    post = server.calls("POST", "/api/v1/statuses")[0]
    form = post.form()
    assert form["in_reply_to_id"] == [status_id]
    assert form["status"] == ["@alexw@mastodon.example.org Thanks for letting us know. We have asked the contractor."]
    assert form["visibility"] == ["unlisted"]
    assert len(post.headers["idempotency-key"]) == 64
    assert sent == SentReply(
        platform_id="114118000000000009", url="https://social.example.nz/@harbourside/114118000000000009"
    )


def test_when_the_reply_already_mentions_the_author_then_no_second_mention(server):
    status_id = "114111990087654321"
    server.add("GET", f"/api/v1/statuses/{status_id}", fixture="mastodon/status_to_answer.json")
    server.add("POST", "/api/v1/statuses", fixture="mastodon/status_posted.json")

    mastodon(server).reply(in_reply_to=status_id, text="@alexw@mastodon.example.org done, thanks.")

    assert server.calls("POST", "/api/v1/statuses")[0].form()["status"] == ["@alexw@mastodon.example.org done, thanks."]


def test_when_the_server_refuses_the_reply_then_its_reason_is_shown(server):
    status_id = "114111990087654321"
    server.add("GET", f"/api/v1/statuses/{status_id}", fixture="mastodon/status_to_answer.json")
    server.add("POST", "/api/v1/statuses", status=422, fixture="mastodon/error_422.json")

    with pytest.raises(ConnectorError, match="HTTP 422: Validation failed: Text character limit of 500 exceeded"):
        mastodon(server).reply(in_reply_to=status_id, text="x" * 600)


def test_when_the_status_answered_was_deleted_then_a_clear_error(server):
    with pytest.raises(ConnectorError, match="HTTP 404"):
        mastodon(server).reply(in_reply_to="1", text="hello")
    assert server.calls("POST") == []


def test_when_reporting_then_the_author_status_and_reason_go_to_the_moderators(server):
    status_id = "114111990087654321"
    server.add("GET", f"/api/v1/statuses/{status_id}", fixture="mastodon/status_to_answer.json")
    server.add("POST", "/api/v1/reports/", fixture="mastodon/report_created.json")

    mastodon(server).report(status_id, reason="Abuse of staff (house rule IN-05)")

    form = server.calls("POST", "/api/v1/reports/")[0].form()
    assert form["account_id"] == ["111620044213000077"]
    assert form["status_ids[]"] == [status_id]
    assert form["comment"] == ["Abuse of staff (house rule IN-05)"]
    # The author is on another server: it hears of the report too.
    assert form["forward"] == ["1"]


def test_when_asked_to_hide_then_not_supported_and_told_what_to_do_instead(server):
    with pytest.raises(NotSupported, match="no call to hide") as caught:
        mastodon(server).hide("114111990087654321")

    assert "report" in str(caught.value)
    assert server.requests == []


def test_when_built_then_the_client_throws_on_rate_limits_and_has_a_timeout(server):
    connector = mastodon(server, timeout=7)

    client = connector._client()

    assert client.ratelimit_method == "throw"
    assert client.request_timeout == 7


@pytest.mark.parametrize("instance", ["", "social.example.nz", "ftp://social.example.nz"])
def test_when_the_instance_is_not_a_url_then_the_connector_is_refused(instance):
    with pytest.raises(ConnectorError, match="must be an https"):
        build("mastodon", {"instance": instance}, "token")
