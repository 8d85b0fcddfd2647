"""The JSON API: token authentication, rate limits, the OpenAPI document, and the same
permissions and services as the pages."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

import govsocial
from govsocial.model import Finding, Post, ReviewResult, Severity, Verdict
from govsocial.web.accounts.models import ApiToken
from govsocial.web.accounts.services import api_token_create, api_token_revoke
from govsocial.web.api.auth import parse_rate
from govsocial.web.channels.models import Channel
from govsocial.web.drafts import services
from govsocial.web.drafts.models import Draft, State

pytestmark = pytest.mark.django_db

BASE = "/api/v1"
OK_TEXT = "Our offices are open 9am to 5pm on weekdays."
PASSWORD_TEXT = "The password is hunter2 for the admin account"


def _fake_review(post: Post, pack: Any = "nz", **kwargs: Any) -> ReviewResult:
    loaded = govsocial.load_pack(pack)
    findings = []
    for marker, severity in (("[block]", Severity.BLOCK), ("[high]", Severity.HIGH)):
        if marker in post.text:
            findings.append(
                Finding(
                    code="SEC401",
                    name="stand-in",
                    severity=severity,
                    message="Stand-in.",
                    fix="Remove it.",
                    clauses=("XR-34",),
                )
            )
    worst = max((f.severity for f in findings), key=lambda s: s.rank, default=None)
    return ReviewResult(
        verdict=Verdict.from_worst(worst),
        findings=tuple(findings),
        pack=loaded.ref,
        engine="stand-in 1",
        context=post.context,
    )


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(govsocial, "review", _fake_review)


class Api:
    """A test client that sends a bearer token and JSON."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(BASE + path, params, **self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(
            BASE + path, json.dumps(body if body is not None else {}), content_type="application/json", **self.headers
        )

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(BASE + path, json.dumps(body), content_type="application/json", **self.headers)


@pytest.fixture
def api_for(users: dict[str, Any]) -> Callable[[Any], Api]:
    def make(who: Any) -> Api:
        user = users[who] if isinstance(who, str) else who
        _, key = api_token_create(user=user, name="tests")
        return Api(key)

    return make


# --------------------------------------------------------------------------- authentication


def test_when_no_token_is_sent_then_the_api_answers_401(users: dict[str, Any]) -> None:
    response = Api(None).post("/reviews", {"text": OK_TEXT})
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert "detail" in response.json()


@pytest.mark.parametrize("header", ["Bearer gs_not-a-real-token", "Bearer ", "Basic b2ZmaWNlcjpwYXNz", "gs_abc"])
def test_when_the_token_is_wrong_then_the_api_answers_401(users: dict[str, Any], header: str) -> None:
    response = Client().get(BASE + "/channels", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_when_a_token_is_valid_then_it_works_and_its_use_is_recorded(users: dict[str, Any], channel: Channel) -> None:
    token, key = api_token_create(user=users["officer"], name="ci")
    assert token.last_used_at is None
    response = Api(key).get("/channels")
    assert response.status_code == 200
    assert [c["handle"] for c in response.json()] == ["@MinistryOfTests"]
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_when_a_token_is_revoked_then_it_is_rejected(users: dict[str, Any]) -> None:
    token, key = api_token_create(user=users["officer"], name="old")
    assert Api(key).get("/channels").status_code == 200
    api_token_revoke(actor=users["officer"], token=token)
    assert Api(key).get("/channels").status_code == 401


def test_when_the_user_is_deactivated_then_their_token_is_rejected(users: dict[str, Any]) -> None:
    _, key = api_token_create(user=users["officer"], name="x")
    users["officer"].is_active = False
    users["officer"].save()
    assert Api(key).get("/channels").status_code == 401


def test_when_a_token_passes_its_rate_limit_then_the_api_answers_429_with_retry_after(
    users: dict[str, Any], settings: Any, api_for: Callable[[Any], Api]
) -> None:
    settings.GOVSOCIAL_API_RATE = "3/m"
    api, other = api_for("officer"), api_for("approver")
    assert [api.get("/channels").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/channels")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Rate limit" in response.json()["detail"]
    assert other.get("/channels").status_code == 200  # per token


@pytest.mark.parametrize(
    ("text", "expected"), [("120/m", (120, 60)), ("10/5s", (10, 5)), ("1000/h", (1000, 3600)), ("5/day", (5, 86400))]
)
def test_rates_are_read_from_settings_text(text: str, expected: tuple[int, int]) -> None:
    assert parse_rate(text) == expected


def test_when_a_rate_is_malformed_then_it_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="GOVSOCIAL_API_RATE"):
        parse_rate("lots")


# --------------------------------------------------------------------------- OpenAPI


def test_the_openapi_document_and_docs_page_are_served(users: dict[str, Any]) -> None:
    assert reverse("api:openapi-view") == f"{BASE}/docs"
    response = Client().get(reverse("api:openapi-json"))
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "govsocial API"
    paths = set(schema["paths"])
    assert {
        f"{BASE}/reviews",
        f"{BASE}/drafts",
        f"{BASE}/drafts/{{draft_id}}",
        f"{BASE}/drafts/{{draft_id}}/submit",
        f"{BASE}/drafts/{{draft_id}}/approve",
        f"{BASE}/channels",
    } <= paths
    assert "patch" in schema["paths"][f"{BASE}/drafts/{{draft_id}}"]
    assert any(s.get("scheme") == "bearer" for s in schema["components"]["securitySchemes"].values())
    page = Client().get(reverse("api:openapi-view"))
    html = page.content.decode()
    assert page.status_code == 200 and "/api/v1/drafts/{draft_id}/approve" in html and "cdn" not in html.lower()


# --------------------------------------------------------------------------- reviews


def test_when_a_post_is_reviewed_then_the_review_json_comes_back(
    users: dict[str, Any], api_for: Callable[[Any], Api]
) -> None:
    response = api_for("officer").post(
        "/reviews", {"text": PASSWORD_TEXT, "platform": "x", "media": [{"kind": "image", "alt": "A form"}]}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "block" and body["pack"].startswith("nz@") and body["engine"]
    assert "SEC401" in [f["code"] for f in body["findings"]]
    assert body["findings"][0]["clauses"]


def test_when_a_pack_is_chosen_then_the_review_uses_it(users: dict[str, Any], api_for: Callable[[Any], Api]) -> None:
    body = api_for("officer").post("/reviews", {"text": OK_TEXT, "pack": "uk"}).json()
    assert body["pack"].startswith("uk@")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 422),
        ({"text": ""}, 422),
        ({"text": "hi", "colour": "red"}, 422),
        ({"text": "hi", "platform": "myspace"}, 422),
        ({"text": "hi", "pack": "/etc/passwd"}, 422),
        ({"text": "hi", "media": [{"kind": "image", "size": 3}]}, 422),
    ],
)
def test_when_the_review_request_is_invalid_then_the_api_says_why(
    users: dict[str, Any], api_for: Callable[[Any], Api], body: Any, status: int
) -> None:
    response = api_for("officer").post("/reviews", body)
    assert response.status_code == status
    assert response.json()["detail"]


def test_when_the_body_is_not_json_then_the_api_answers_400_or_422(
    users: dict[str, Any], api_for: Callable[[Any], Api]
) -> None:
    api = api_for("officer")
    response = api.client.post(BASE + "/reviews", "not json", content_type="application/json", **api.headers)
    assert response.status_code in (400, 422)


# --------------------------------------------------------------------------- drafts


def _create(api: Api, channel: Channel, text: str = OK_TEXT, **extra: Any) -> Any:
    return api.post("/drafts", {"channel": channel.pk, "text": text, **extra})


def test_when_a_draft_is_created_then_it_comes_back_with_its_review(
    users: dict[str, Any], channel: Channel, api_for: Callable[[Any], Api]
) -> None:
    response = _create(
        api_for("officer"),
        channel,
        PASSWORD_TEXT,
        title="Via API",
        media=[{"kind": "video", "alt": "Clip", "captions": True}],
    )
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "draft" and body["title"] == "Via API" and body["author"] == "officer"
    assert body["current"]["number"] == 1 and body["current"]["verdict"] == "block"
    assert body["current"]["review"]["pack"] == body["current"]["pack_ref"]
    assert body["current"]["media"] == [{"kind": "video", "alt": "Clip", "captions": True}]
    assert set(body["allowed_actions"]) == {"edit", "submit", "withdraw"}
    assert Draft.objects.get(pk=body["id"]).revisions.count() == 1


def test_when_the_draft_flow_runs_through_the_api_then_it_follows_wf03(
    users: dict[str, Any], channel: Channel, engine: None, api_for: Callable[[Any], Api]
) -> None:
    officer, approver, officer2 = api_for("officer"), api_for("approver"), api_for("officer2")
    draft_id = _create(officer, channel, "First [block]").json()["id"]
    body = officer.patch(f"/drafts/{draft_id}", {"text": "Second [high]"}).json()
    assert body["current"]["number"] == 2 and [r["number"] for r in body["revisions"]] == [2, 1]
    body = officer.post(f"/drafts/{draft_id}/submit").json()
    assert (body["state"], body["approval_reason"]) == ("awaiting_approval", "high")
    assert officer.post(f"/drafts/{draft_id}/approve", {}).status_code == 403  # own draft, and not an approver
    assert officer2.post(f"/drafts/{draft_id}/approve", {}).status_code == 403
    assert approver.post(f"/drafts/{draft_id}/return", {}).status_code == 422
    body = approver.post(f"/drafts/{draft_id}/return", {"comments": "Remove the marker"}).json()
    assert body["state"] == "returned" and body["approvals"][0]["decision"] == "returned"
    officer.patch(f"/drafts/{draft_id}", {"text": "Third [block]"})
    body = officer.post(f"/drafts/{draft_id}/submit").json()
    assert body["needs_override"] is True
    response = approver.post(f"/drafts/{draft_id}/approve", {"reason": ""})
    assert response.status_code == 422 and "reason" in response.json()["detail"]
    body = approver.post(f"/drafts/{draft_id}/approve", {"reason": "Checked with the privacy officer"}).json()
    assert body["state"] == "ready" and body["approvals"][-1]["decision"] == "overridden"
    assert approver.post(f"/drafts/{draft_id}/approve", {"reason": "again"}).status_code == 409
    response = approver.post(f"/drafts/{draft_id}/publish", {})
    assert response.status_code == 422 and "live URL" in response.json()["detail"]
    assert officer.post(f"/drafts/{draft_id}/publish", {"url": "https://x.com/a/status/1"}).status_code == 403
    body = approver.post(f"/drafts/{draft_id}/publish", {"url": "https://x.com/a/status/1"}).json()
    assert body["state"] == "published" and body["published_url"] == "https://x.com/a/status/1"


def test_when_the_author_is_an_approver_then_the_api_refuses_self_approval(
    users: dict[str, Any], channel: Channel, engine: None, api_for: Callable[[Any], Api]
) -> None:
    approver = api_for("approver")
    draft_id = _create(approver, channel, "Mine [high]").json()["id"]
    approver.post(f"/drafts/{draft_id}/submit")
    response = approver.post(f"/drafts/{draft_id}/approve", {})
    assert response.status_code == 403 and "another approver" in response.json()["detail"]
    assert Draft.objects.get(pk=draft_id).state == State.AWAITING_APPROVAL


def test_when_the_role_cannot_draft_then_the_api_refuses_like_the_page(
    users: dict[str, Any], channel: Channel, api_for: Callable[[Any], Api]
) -> None:
    assert _create(api_for("records_manager"), channel).status_code == 403
    draft_id = _create(api_for("officer"), channel).json()["id"]
    assert api_for("officer2").patch(f"/drafts/{draft_id}", {"text": "Not mine"}).status_code == 403
    assert api_for("records_manager").get(f"/drafts/{draft_id}").status_code == 200


def test_when_another_agency_asks_then_drafts_and_channels_are_not_found(
    users: dict[str, Any], channel: Channel, outsider: Any, other_agency: Any, api_for: Callable[[Any], Api]
) -> None:
    draft_id = _create(api_for("officer"), channel).json()["id"]
    stranger = api_for(outsider)
    assert stranger.get(f"/drafts/{draft_id}").status_code == 404
    assert stranger.patch(f"/drafts/{draft_id}", {"text": "x"}).status_code == 404
    assert stranger.post(f"/drafts/{draft_id}/submit").status_code == 404
    assert stranger.post(f"/drafts/{draft_id}/approve", {"reason": "x"}).status_code == 404
    assert _create(stranger, channel).status_code == 404
    assert stranger.get("/drafts").json()["count"] == 0
    assert stranger.get("/channels").json() == []
    assert api_for("officer").get("/drafts/999999").status_code == 404


def test_when_drafts_are_listed_then_filters_and_paging_apply(
    users: dict[str, Any], channel: Channel, engine: None, api_for: Callable[[Any], Api]
) -> None:
    officer = api_for("officer")
    ids = [_create(officer, channel, f"Post {i}").json()["id"] for i in range(5)]
    _create(api_for("officer2"), channel, "Someone else's")
    officer.post(f"/drafts/{ids[0]}/submit")
    body = officer.get("/drafts", limit=2, offset=1).json()
    assert (body["count"], body["limit"], body["offset"], len(body["items"])) == (6, 2, 1, 2)
    assert [i["id"] for i in officer.get("/drafts", state="ready").json()["items"]] == [ids[0]]
    assert officer.get("/drafts", mine=True).json()["count"] == 5
    assert officer.get("/drafts", state="nonsense").status_code == 422
    assert officer.get("/drafts", limit=1000).status_code == 422
    item = officer.get("/drafts", state="ready").json()["items"][0]
    assert item["verdict"] == "ok" and item["revision"] == 1


def test_when_patch_clears_the_schedule_then_it_is_cleared(
    users: dict[str, Any], channel: Channel, api_for: Callable[[Any], Api]
) -> None:
    officer = api_for("officer")
    body = _create(officer, channel, scheduled_at="2099-01-01T09:00:00+13:00").json()
    assert body["scheduled_at"].startswith("2098-12-31T20:00") or body["scheduled_at"].startswith("2099-01-01")
    body = officer.patch(f"/drafts/{body['id']}", {"title": "Renamed"}).json()
    assert body["scheduled_at"] is not None and body["title"] == "Renamed"
    body = officer.patch(f"/drafts/{body['id']}", {"scheduled_at": None}).json()
    assert body["scheduled_at"] is None and body["current"]["number"] == 3


def test_when_a_service_refuses_then_the_api_maps_its_error(
    users: dict[str, Any], channel: Channel, api_for: Callable[[Any], Api]
) -> None:
    officer = api_for("officer")
    body = _create(officer, channel, scheduled_at="2001-01-01T09:00:00+13:00")
    assert body.status_code == 422 and "future" in body.json()["detail"]
    draft_id = _create(officer, channel).json()["id"]
    officer.post(f"/drafts/{draft_id}/withdraw", {"reason": "Not needed"})
    response = officer.post(f"/drafts/{draft_id}/submit")
    assert response.status_code == 409 and "Withdrawn" in response.json()["detail"]
    assert services.DraftStateError.status == 409


def test_when_csrf_checks_are_enforced_then_token_requests_still_work(users: dict[str, Any], channel: Channel) -> None:
    _, key = api_token_create(user=users["officer"], name="csrf")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        BASE + "/drafts",
        json.dumps({"channel": channel.pk, "text": OK_TEXT}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201


def test_when_a_signed_in_browser_calls_the_api_without_a_token_then_it_is_refused(
    users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    assert client_for("officer").get(BASE + "/channels").status_code == 401


def test_when_a_field_is_invalid_then_the_reason_names_it(users: dict[str, Any], api_for: Callable[[Any], Api]) -> None:
    body = api_for("officer").post("/reviews", {"text": "hi", "platform": "myspace"}).json()
    assert isinstance(body["detail"], list) and body["reason"].startswith("platform:")
