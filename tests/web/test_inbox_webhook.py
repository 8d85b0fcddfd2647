"""The signed webhook: ``POST /inbox/hooks/<connector id>/`` with an HMAC signature."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from govsocial.connectors.webhook import HEADER, sign
from govsocial.web.inbox import services
from govsocial.web.inbox.models import Connector, Message
from govsocial.web.inbox.webhook import MAX_BODY

pytestmark = pytest.mark.django_db

BODY = json.dumps(
    {
        "messages": [
            {
                "id": "wh-1",
                "text": "When does the pool reopen?",
                "author": "aroha",
                "created_at": "2026-11-18T09:00:00Z",
            },
            {"id": "wh-2", "text": "My phone is 021 555 0123, please call me back", "author": "will"},
        ]
    }
).encode()


@pytest.fixture
def hook(users: dict[str, Any], channel: Any) -> Connector:
    return services.connector_create(
        actor=users["comms_manager"], channel=channel, kind="webhook", name="Forms tool", config={}, secret="s3cret"
    )


def _post(
    hook: Connector, body: bytes = BODY, *, secret: str = "s3cret", signature: str | None = None, **extra: Any
) -> Any:
    headers = {}
    if signature is None:
        signature = sign(secret, body, timestamp=int(time.time()))
    if signature:
        headers["HTTP_" + HEADER.upper().replace("-", "_")] = signature
    return Client().post(
        reverse("inbox:webhook", args=[hook.pk]), data=body, content_type="application/json", **headers, **extra
    )


def test_a_signed_delivery_is_ingested_and_a_repeat_stores_nothing_new(hook: Connector) -> None:
    first = _post(hook)
    assert first.status_code == 202
    assert first.json() == {"created": 2, "duplicates": 0}
    again = _post(hook)
    assert again.status_code == 202 and again.json() == {"created": 0, "duplicates": 2}
    stored = {m.platform_id: m for m in Message.objects.filter(connector=hook)}
    assert set(stored) == {"wh-1", "wh-2"}
    assert stored["wh-2"].hidden and stored["wh-2"].rule_code == "IN-01"
    hook.refresh_from_db()
    assert hook.messages_seen == 2 and services.connector_health(hook).state == "ok"


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"signature": ""}, "missing X-Govsocial-Signature"),
        ({"secret": "wrong"}, "bad signature"),
        ({"signature": "t=1,v1=00"}, "bad signature"),
        ({"signature": "nonsense"}, "malformed"),
    ],
)
def test_a_delivery_not_signed_with_the_connectors_secret_is_refused_401(
    hook: Connector, kwargs: dict[str, Any], reason: str
) -> None:
    response = _post(hook, **kwargs)
    assert response.status_code == 401
    assert reason in response.json()["error"]
    assert not Message.objects.exists()


def test_an_old_signature_cannot_be_replayed(hook: Connector) -> None:
    old = sign("s3cret", BODY, timestamp=int(time.time()) - 3600)
    response = _post(hook, signature=old)
    assert response.status_code == 401 and "too old" in response.json()["error"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "not JSON"),
        (json.dumps({"messages": [{"id": "x"}]}).encode(), "no text"),
        (json.dumps(42).encode(), "expected a message object"),
    ],
)
def test_a_signed_body_that_is_not_messages_is_refused_400_with_the_reason(
    hook: Connector, body: bytes, reason: str
) -> None:
    response = _post(hook, body)
    assert response.status_code == 400 and reason in response.json()["error"]
    assert not Message.objects.exists()


def test_a_body_over_one_mebibyte_is_refused_413(hook: Connector) -> None:
    body = b'{"id": "big", "text": "' + b"a" * MAX_BODY + b'"}'
    response = _post(hook, body)
    assert response.status_code == 413 and "too large" in response.json()["error"]


def test_only_post_is_accepted(hook: Connector) -> None:
    response = Client().get(reverse("inbox:webhook", args=[hook.pk]))
    assert response.status_code == 405 and response["Allow"] == "POST"


def test_unknown_switched_off_or_non_webhook_connectors_are_refused(
    hook: Connector, users: dict[str, Any], channel: Any
) -> None:
    feed = services.connector_create(
        actor=users["comms_manager"], channel=channel, kind="rss", name="Feed", config={"url": "https://example.org/f"}
    )
    missing = Client().post(reverse("inbox:webhook", args=[999999]), data=BODY, content_type="application/json")
    assert missing.status_code == 404
    assert _post(feed).status_code == 404
    services.connector_update(actor=users["comms_manager"], connector=hook, enabled=False)
    assert _post(hook).status_code == 403
    assert not Message.objects.exists()
