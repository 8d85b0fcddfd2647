"""The signed webhook: HMAC signatures over timestamp and body, and the message payloads it accepts."""

from __future__ import annotations

import hashlib
import hmac
import json
import re

import pytest

from govsocial.connectors.webhook import HEADER, MAX_MESSAGES, PayloadError, SignatureError, parse, sign, verify

SECRET = "whsec-8f1c2a7e5b"
NOW = 1_741_132_800
BODY = json.dumps({"id": "form-77", "text": "Please call me back about my rates."}).encode()


def test_the_header_is_named_and_shaped_as_the_contract_says():
    value = sign(SECRET, BODY, timestamp=NOW)

    assert HEADER == "X-Govsocial-Signature"
    assert re.fullmatch(r"t=1741132800,v1=[0-9a-f]{64}", value)
    expected = hmac.new(SECRET.encode(), b"1741132800." + BODY, hashlib.sha256).hexdigest()
    assert value.endswith(expected)


def test_when_signed_with_the_secret_then_it_verifies():
    verify(SECRET, BODY, sign(SECRET, BODY, timestamp=NOW), now=NOW + 10)


def test_when_the_body_is_changed_after_signing_then_bad_signature():
    header = sign(SECRET, BODY, timestamp=NOW)

    with pytest.raises(SignatureError, match="bad signature"):
        verify(SECRET, BODY.replace(b"rates", b"dog"), header, now=NOW)


def test_when_signed_with_another_secret_then_bad_signature():
    with pytest.raises(SignatureError, match="bad signature"):
        verify(SECRET, BODY, sign("another-secret", BODY, timestamp=NOW), now=NOW)


def test_when_the_timestamp_is_changed_then_bad_signature():
    header = sign(SECRET, BODY, timestamp=NOW).replace(f"t={NOW}", f"t={NOW + 1}")

    with pytest.raises(SignatureError, match="bad signature"):
        verify(SECRET, BODY, header, now=NOW)


def test_when_the_signature_is_older_than_the_tolerance_then_too_old():
    header = sign(SECRET, BODY, timestamp=NOW)

    verify(SECRET, BODY, header, now=NOW + 300)
    with pytest.raises(SignatureError, match="timestamp too old: signed 301 s ago, more than 300 s"):
        verify(SECRET, BODY, header, now=NOW + 301)


def test_when_the_timestamp_is_far_in_the_future_then_the_clock_is_blamed():
    with pytest.raises(SignatureError, match="in the future"):
        verify(SECRET, BODY, sign(SECRET, BODY, timestamp=NOW + 900), now=NOW)


def test_when_a_secret_is_being_rotated_then_one_matching_signature_is_enough():
    new = sign(SECRET, BODY, timestamp=NOW).split(",v1=")[1]
    old = sign("old-secret", BODY, timestamp=NOW).split(",v1=")[1]

    verify(SECRET, BODY, f"t={NOW},v1={old},v1={new}", now=NOW)


@pytest.mark.parametrize("header", [None, "", "   "])
def test_when_the_header_is_missing_then_it_says_so(header):
    with pytest.raises(SignatureError, match="missing X-Govsocial-Signature header"):
        verify(SECRET, BODY, header, now=NOW)


@pytest.mark.parametrize(
    "header",
    ["v1=abc", f"t={NOW}", "t=soon,v1=abc", "garbage", f"t=-{NOW},v1=abc", "t=１２,v1=abc"],
)
def test_when_the_header_is_malformed_then_it_says_so(header):
    with pytest.raises(SignatureError, match="malformed X-Govsocial-Signature header"):
        verify(SECRET, BODY, header, now=NOW)


def test_when_the_connector_has_no_secret_then_nothing_verifies():
    with pytest.raises(SignatureError, match="no webhook secret"):
        verify("", BODY, sign(SECRET, BODY, timestamp=NOW), now=NOW)
    with pytest.raises(ValueError, match="secret is needed"):
        sign("", BODY, timestamp=NOW)


def test_parse_accepts_one_message_an_array_or_a_messages_object():
    one = parse(BODY)
    many = parse(json.dumps([{"id": "a", "text": "x"}, {"id": "b", "text": "y", "kind": "comment"}]).encode())
    wrapped = parse(json.dumps({"messages": [{"id": "c", "text": "z", "created_at": "2025-03-05T10:00:00"}]}).encode())

    assert [m.platform_id for m in one] == ["form-77"]
    assert one[0].kind == "message"
    assert [m.platform_id for m in many] == ["a", "b"]
    assert many[1].kind == "comment"
    assert wrapped[0].created_at is not None and wrapped[0].created_at.tzinfo is not None
    assert parse(b"[]") == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "body is not JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
        (b"\xff\xfe", "body is not UTF-8 text"),
        (b"42", 'expected a message object, an array of them, or {"messages": [...]}'),
        (b'{"messages": "hi"}', '"messages" must be an array of message objects'),
        (b'[{"id": "1", "text": "a"}, "b"]', "message 2: expected a JSON object"),
        (b'[{"id": "1", "text": "a"}, {"id": "2"}]', "message 2: no text"),
        (b'{"text": "no id"}', "message 1: no id"),
        (b'{"id": "1", "text": "a", "created_at": "soon"}', "message 1: created_at 'soon' is not an ISO 8601 date"),
    ],
)
def test_parse_refuses_bad_payloads_with_a_reason(body, reason):
    with pytest.raises(PayloadError) as caught:
        parse(body)

    assert str(caught.value).startswith(reason)
    assert isinstance(caught.value, ValueError)


def test_parse_refuses_more_messages_than_a_request_may_carry():
    body = json.dumps([{"id": str(n), "text": "x"} for n in range(MAX_MESSAGES + 1)]).encode()

    with pytest.raises(PayloadError, match=f"too many messages \\({MAX_MESSAGES + 1}\\)"):
        parse(body)
