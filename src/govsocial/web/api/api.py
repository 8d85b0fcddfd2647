"""The versioned JSON API (``/api/v1/``), with its OpenAPI document at ``/api/v1/openapi.json`` and
a readable page at ``/api/v1/docs``.

Every operation needs a personal token (``Authorization: Bearer gs_...``, see
:mod:`govsocial.web.api.auth`) and calls the same selectors and services as the pages, so the
permission rules are the pages' rules. Errors are JSON ``{"detail": "..."}``:

| status | when                                                                    |
|--------|-------------------------------------------------------------------------|
| 401    | no token, an unknown or revoked one, or an inactive user                |
| 403    | the user's roles do not allow it (``DraftPermissionError``)             |
| 404    | an unknown id, or another agency's draft or channel                     |
| 409    | not possible in the draft's current state (``DraftStateError``)         |
| 422    | invalid input: schema errors (a list, and ``reason``: one line), or a   |
|        | service's reason (text)                                                 |
| 429    | the token's rate limit (``GOVSOCIAL_API_RATE``); see ``Retry-After``     |
| 502    | the platform adapter failed to publish                                  |
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, ValidationError
from ninja.openapi.docs import DocsBase
from pydantic import Field

from govsocial.web.accounts.models import User
from govsocial.web.api.auth import RateLimited, TokenAuth
from govsocial.web.api.schemas import (
    ApproveIn,
    ChannelOut,
    DraftIn,
    DraftListOut,
    DraftOut,
    DraftPatch,
    ErrorOut,
    InvalidOut,
    PostIn,
    PublishIn,
    ReturnIn,
    ReviewOut,
    WithdrawIn,
)
from govsocial.web.channels.models import Channel
from govsocial.web.channels.selectors import channel_list
from govsocial.web.drafts import selectors as draft_selectors
from govsocial.web.drafts import services as draft_services
from govsocial.web.drafts.models import Draft, Revision, State
from govsocial.web.review.services import CheckError, check_post

__all__ = ["api"]


class DocsPage(DocsBase):
    """The API reference as a page of the workspace, rendered from the OpenAPI document (no
    JavaScript and nothing fetched from elsewhere, unlike the Swagger page)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        operations = []
        for path, methods in schema.get("paths", {}).items():
            for method, op in methods.items():
                operations.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": op.get("summary", ""),
                        "description": op.get("description", ""),
                        "responses": sorted(op.get("responses", {})),
                    }
                )
        return render(
            request,
            "api/docs.html",
            {
                "operations": operations,
                "title": schema["info"]["title"],
                "version": schema["info"]["version"],
                "openapi_url": self.get_openapi_url(api, kwargs),
            },
        )


api = NinjaAPI(
    title="govsocial API",
    version="1",
    description=(
        "Check posts against policy packs and work with drafts and approvals (WF-03). "
        "Authenticate with a personal token: `Authorization: Bearer gs_...` (create one under Your account → API tokens)."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    docs=DocsPage(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: InvalidOut, 429: ErrorOut}


# --------------------------------------------------------------------------- errors


@api.exception_handler(draft_services.DraftError)
def _draft_error(request: HttpRequest, exc: draft_services.DraftError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Schema errors: pydantic's list in ``detail`` and one readable line in ``reason``."""
    parts = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "payload", "query", "filters"))
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid")))
    return api.create_response(request, {"detail": exc.errors, "reason": "; ".join(parts)}, status=422)


@api.exception_handler(CheckError)
def _check_error(request: HttpRequest, exc: CheckError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=422)


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": "Authentication required: send Authorization: Bearer <your API token>"}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="govsocial"'
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)


# --------------------------------------------------------------------------- helpers


def _user(request: HttpRequest) -> User:
    user = request.auth
    assert isinstance(user, User)
    return user


def _channel(user: User, pk: int) -> Channel:
    channel = channel_list(for_user=user).filter(pk=pk).first()
    if channel is None:
        raise Http404("No such channel")
    return channel


def _channel_out(c: Channel) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "platform": c.platform,
        "handle": c.handle,
        "context": c.context,
        "pack": c.pack_ref,
        "requires_approval": c.requires_approval,
        "active": c.active,
    }


def _revision_out(r: Revision, *, with_review: bool) -> dict[str, Any]:
    return {
        "number": r.number,
        "text": r.text,
        "media": list(r.media or []),
        "created_at": r.created_at,
        "created_by": r.created_by.username,
        "verdict": r.verdict,
        "worst": r.worst,
        "pack_ref": r.pack_ref,
        "engine": r.engine,
        "review": r.review if with_review and r.review else None,
    }


def _draft_out(user: User, draft: Draft) -> dict[str, Any]:
    draft = draft_selectors.draft_get(for_user=user, pk=draft.pk)  # fresh, after a service changed it
    revisions = list(draft_selectors.revision_list(draft=draft))
    return {
        "id": draft.pk,
        "channel": draft.channel_id,
        "title": draft.title,
        "state": draft.state,
        "approval_reason": draft.approval_reason,
        "needs_override": draft.needs_override,
        "reply_to": draft.reply_to,
        "author": draft.author.username,
        "scheduled_at": draft.scheduled_at,
        "submitted_at": draft.submitted_at,
        "published_at": draft.published_at,
        "published_url": draft.published_url,
        "created_at": draft.created_at,
        "updated_at": draft.updated_at,
        "current": _revision_out(revisions[0], with_review=True) if revisions else None,
        "revisions": [_revision_out(r, with_review=False) for r in revisions],
        "approvals": [
            {
                "revision": a.revision.number,
                "approver": a.approver.username,
                "decision": a.decision,
                "reason": a.reason,
                "created_at": a.created_at,
            }
            for a in draft_selectors.approval_list(draft=draft)
        ],
        "allowed_actions": sorted(draft_services.allowed_actions(user, draft)),
    }


def _media(items: list[Any] | None) -> list[dict[str, Any]] | None:
    return None if items is None else [m.model_dump(exclude_none=True) for m in items]


# --------------------------------------------------------------------------- reviews and channels


@api.post("/reviews", response={200: ReviewOut, **ERRORS}, tags=["reviews"], summary="Check a post (stores nothing)")
def review_create(request: HttpRequest, payload: PostIn) -> Any:
    """Review a post document against a pack (default: your agency's). Nothing is stored."""
    result = check_post(for_user=_user(request), document=payload.document(), pack=payload.pack)
    return result.to_dict()


@api.get("/channels", response={200: list[ChannelOut], **ERRORS}, tags=["channels"], summary="Your agency's channels")
def channel_index(request: HttpRequest) -> Any:
    return [_channel_out(c) for c in channel_list(for_user=_user(request))]


# --------------------------------------------------------------------------- drafts


class DraftFilters(Schema):
    state: State | None = Field(default=None, description="Only drafts in this state")
    channel: int | None = Field(default=None, description="Only drafts for this channel id")
    mine: bool = Field(default=False, description="Only drafts you wrote")
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0)


@api.get(
    "/drafts",
    response={200: DraftListOut, **ERRORS},
    tags=["drafts"],
    summary="Your agency's drafts, newest change first",
)
def draft_index(request: HttpRequest, filters: Query[DraftFilters]) -> Any:
    user = _user(request)
    wanted: dict[str, Any] = {"state": filters.state.value if filters.state else None, "channel": filters.channel}
    if filters.mine:
        wanted["author"] = user
    qs = draft_selectors.draft_list(for_user=user, filters=wanted)
    items = [
        {
            "id": d.pk,
            "channel": d.channel_id,
            "title": d.title,
            "state": d.state,
            "author": d.author.username,
            "verdict": d.current_verdict,
            "worst": d.current_worst,
            "revision": d.current_number,
            "scheduled_at": d.scheduled_at,
            "updated_at": d.updated_at,
        }
        for d in qs[filters.offset : filters.offset + filters.limit]
    ]
    return {"count": qs.count(), "limit": filters.limit, "offset": filters.offset, "items": items}


@api.post("/drafts", response={201: DraftOut, **ERRORS}, tags=["drafts"], summary="Write a draft (checked at once)")
def draft_create(request: HttpRequest, payload: DraftIn) -> Any:
    user = _user(request)
    draft = draft_services.draft_create(
        author=user,
        channel=_channel(user, payload.channel),
        text=payload.text,
        media=_media(payload.media) or [],
        reply_to=payload.reply_to,
        title=payload.title,
        scheduled_at=payload.scheduled_at,
    )
    return Status(201, _draft_out(user, draft))


@api.get(
    "/drafts/{draft_id}",
    response={200: DraftOut, **ERRORS},
    tags=["drafts"],
    summary="One draft with its revisions and approvals",
)
def draft_detail(request: HttpRequest, draft_id: int) -> Any:
    user = _user(request)
    return _draft_out(user, draft_selectors.draft_get(for_user=user, pk=draft_id))


@api.patch(
    "/drafts/{draft_id}",
    response={200: DraftOut, **ERRORS},
    tags=["drafts"],
    summary="Edit a draft (a new revision, checked at once)",
)
def draft_edit(request: HttpRequest, draft_id: int, payload: DraftPatch) -> Any:
    user = _user(request)
    draft = draft_selectors.draft_get(for_user=user, pk=draft_id)
    changes: dict[str, Any] = {
        "text": payload.text,
        "media": _media(payload.media),
        "title": payload.title,
        "reply_to": payload.reply_to,
        "channel": _channel(user, payload.channel) if payload.channel is not None else None,
    }
    if "scheduled_at" in payload.model_fields_set:
        changes["scheduled_at"] = payload.scheduled_at
    draft_services.draft_update(actor=user, draft=draft, **changes)
    return _draft_out(user, draft)


@api.post(
    "/drafts/{draft_id}/submit",
    response={200: DraftOut, **ERRORS},
    tags=["drafts"],
    summary="Submit for routing (WF-03)",
)
def draft_submit(request: HttpRequest, draft_id: int) -> Any:
    user = _user(request)
    draft = draft_selectors.draft_get(for_user=user, pk=draft_id)
    draft_services.draft_submit(actor=user, draft=draft)
    return _draft_out(user, draft)


@api.post(
    "/drafts/{draft_id}/approve",
    response={200: DraftOut, **ERRORS},
    tags=["approvals"],
    summary="Approve, or override a blocking finding with a reason",
)
def draft_approve(request: HttpRequest, draft_id: int, payload: ApproveIn) -> Any:
    user = _user(request)
    draft = draft_selectors.draft_get(for_user=user, pk=draft_id)
    draft_services.draft_approve(approver=user, draft=draft, reason=payload.reason)
    return _draft_out(user, draft)


@api.post(
    "/drafts/{draft_id}/return",
    response={200: DraftOut, **ERRORS},
    tags=["approvals"],
    summary="Return to the author with comments",
)
def draft_return(request: HttpRequest, draft_id: int, payload: ReturnIn) -> Any:
    user = _user(request)
    draft = draft_selectors.draft_get(for_user=user, pk=draft_id)
    draft_services.draft_return(approver=user, draft=draft, comments=payload.comments)
    return _draft_out(user, draft)


@api.post(
    "/drafts/{draft_id}/publish",
    response={200: DraftOut, 502: ErrorOut, **ERRORS},
    tags=["drafts"],
    summary="Publish through the channel's adapter, or record the live URL of a post made by hand",
)
def draft_publish(request: HttpRequest, draft_id: int, payload: PublishIn) -> Any:
    user = _user(request)
    draft = draft_selectors.draft_get(for_user=user, pk=draft_id)
    draft_services.draft_publish(actor=user, draft=draft, url=payload.url)
    return _draft_out(user, draft)


@api.post(
    "/drafts/{draft_id}/withdraw",
    response={200: DraftOut, **ERRORS},
    tags=["drafts"],
    summary="Withdraw a draft for good",
)
def draft_withdraw(request: HttpRequest, draft_id: int, payload: WithdrawIn) -> Any:
    user = _user(request)
    draft = draft_selectors.draft_get(for_user=user, pk=draft_id)
    draft_services.draft_withdraw(actor=user, draft=draft, reason=payload.reason)
    return _draft_out(user, draft)
