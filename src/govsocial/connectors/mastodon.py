"""Mastodon: mentions of the agency's account (replies to its statuses are mentions too), through Mastodon.py.

```
poll(cursor) ─► GET /api/v1/notifications?types[]=mention&min_id=<cursor>&limit=40
                  (first poll: the latest page only, so years of history do not flood the inbox)
             ─► statuses, oldest first ─► Incoming(kind "reply" | "mention"), cursor = newest id
reply(in_reply_to, text) ─► GET the status (author, visibility) ─► POST /api/v1/statuses
                             "@author text", in_reply_to_id, the same visibility, an idempotency key
report(platform_id, reason) ─► GET the status ─► POST /api/v1/reports (account, status, comment)
hide ─► NotSupported: Mastodon has no call to hide another account's reply
```

Mastodon.py waits out rate limits by default (``ratelimit_method="wait"`` sleeps for up to five
minutes); here it throws, so a poll never blocks a worker, and the wait the server asked for
(``Retry-After``, else ``X-RateLimit-Reset``) goes up as :class:`RateLimited`. Every request has
a timeout. With ``min_id`` the server returns the page immediately after the cursor, so a backlog
is read forwards page by page (``Page.more``) and never skipped.

Status HTML becomes plain text (:mod:`govsocial.connectors._html`); a content warning is kept in
front of the text because the words behind it are part of what was said.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from govsocial.connectors._html import html_to_text
from govsocial.connectors.base import (
    AuthFailed,
    ConnectorError,
    Incoming,
    NotSupported,
    Page,
    RateLimited,
    SentReply,
    register,
)

__all__ = ["PAGE_SIZE", "MastodonConnector"]

PAGE_SIZE = 40  # the most Mastodon returns in one page of notifications
DEFAULT_TIMEOUT = 20.0
DEFAULT_RETRY_AFTER = 300.0
REPORT_COMMENT_LIMIT = 1000  # Mastodon refuses longer report comments
_NOTIFICATION_TYPES = ("mention",)
_HIDE = (
    "Mastodon has no call to hide another account's reply: report it to the server's moderators, "
    "or mute or block the account in Mastodon itself"
)


class MastodonConnector:
    """The agency's Mastodon account. Config: ``instance`` (https URL, required), ``account``
    (``@name@server``, optional: never mentioned in its own replies), ``timeout`` (seconds),
    ``page_size``. Secret: an access token with ``read:notifications read:statuses
    write:statuses write:reports``."""

    kind = "mastodon"

    def __init__(self, config: Mapping[str, Any], secret: str = "") -> None:
        instance = str(config.get("instance") or "").strip().rstrip("/")
        parts = urlsplit(instance)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConnectorError(f"Mastodon server {instance!r} must be an https:// URL")
        self.instance = instance
        self.host = parts.hostname or parts.netloc
        self.account = _full_acct(str(config.get("account") or ""), self.host)
        self.timeout = float(config.get("timeout") or DEFAULT_TIMEOUT)
        self.page_size = max(1, min(PAGE_SIZE, int(config.get("page_size") or PAGE_SIZE)))
        self._token = secret.strip()
        self._api: Any = None
        self._last_response: Any = None

    # -- the client ------------------------------------------------------------------------

    def _client(self) -> Any:
        if not self._token:
            raise AuthFailed("no Mastodon access token is set for this connector")
        if self._api is None:
            import requests
            from mastodon import Mastodon

            session = requests.Session()
            # Mastodon.py raises a bare "Hit rate limit."; the response kept here says how long to wait.
            session.hooks["response"].append(self._keep_response)
            self._api = Mastodon(
                access_token=self._token,
                api_base_url=self.instance,
                ratelimit_method="throw",
                request_timeout=self.timeout,
                # Declared rather than fetched: a version probe would be one more request per poll.
                mastodon_version="4.0.0",
                version_check_mode="none",
                session=session,
                user_agent="govsocial-inbox/1",
            )
        return self._api

    def _keep_response(self, response: Any, *args: Any, **kwargs: Any) -> Any:
        self._last_response = response
        return response

    def _call(self, what: str, method: str, *args: Any, **kwargs: Any) -> Any:
        api = self._client()
        from mastodon.errors import MastodonError

        self._last_response = None
        try:
            return getattr(api, method)(*args, **kwargs)
        except MastodonError as exc:
            raise self._translate(exc, what) from None

    def _translate(self, exc: Exception, what: str) -> ConnectorError:
        from mastodon.errors import (
            MastodonAPIError,
            MastodonNetworkError,
            MastodonNotFoundError,
            MastodonRatelimitError,
            MastodonServerError,
            MastodonUnauthorizedError,
        )

        status = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None
        detail = self._error_detail() or (str(exc.args[3]) if len(exc.args) > 3 and exc.args[3] else "")
        if isinstance(exc, MastodonRatelimitError) or status == 429:
            return RateLimited(
                f"{self.host} rate limit reached while trying to {what}", retry_after=self._retry_after()
            )
        if isinstance(exc, MastodonUnauthorizedError):
            return AuthFailed(f"{self.host} refused the access token (HTTP 401{': ' + detail if detail else ''})")
        if status == 403:
            return AuthFailed(
                f"{self.host} does not allow this token to {what} (HTTP 403{': ' + detail if detail else ''})"
            )
        if isinstance(exc, MastodonNotFoundError):
            return ConnectorError(f"{self.host} could not find what we tried to {what} (HTTP 404); it may be deleted")
        if isinstance(exc, MastodonServerError):
            return ConnectorError(f"{self.host} failed (HTTP {status or '5xx'}) while we tried to {what}")
        if isinstance(exc, MastodonNetworkError) and "timed out" in str(exc).lower():
            return ConnectorError(f"{self.host} did not answer within {self.timeout:g} s while we tried to {what}")
        if isinstance(exc, MastodonNetworkError):
            return ConnectorError(f"cannot reach {self.host} to {what}: {exc.args[0] if exc.args else exc}")
        if isinstance(exc, MastodonAPIError) and status is not None:
            return ConnectorError(f"{self.host} refused to {what} (HTTP {status}{': ' + detail if detail else ''})")
        return ConnectorError(f"Mastodon error while trying to {what}: {exc}")

    def _error_detail(self) -> str:
        """The ``error`` text of the failed response (Mastodon.py sometimes loses it in its casting)."""
        response = self._last_response
        if response is None or getattr(response, "ok", True):
            return ""
        try:
            body = response.json()
        except ValueError:
            return ""
        return str(body.get("error") or "")[:300] if isinstance(body, dict) else ""

    def _retry_after(self) -> float:
        response = self._last_response
        headers: Mapping[str, str] = getattr(response, "headers", None) or {}
        retry_after = headers.get("Retry-After")
        if retry_after:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                pass
        reset = headers.get("X-RateLimit-Reset")
        if reset:
            when = _parse_reset(reset)
            if when is not None:
                # Measured against the server's clock when it sent one: ours may be skewed.
                server_now = _parse_http_date(headers.get("Date", "")) or dt.datetime.now(dt.UTC)
                return max(0.0, (when - server_now).total_seconds())
        return DEFAULT_RETRY_AFTER

    # -- polling ---------------------------------------------------------------------------

    def poll(self, cursor: str) -> Page:
        min_id = _load_cursor(cursor)
        params: dict[str, Any] = {"types": list(_NOTIFICATION_TYPES), "limit": self.page_size}
        if min_id:
            params["min_id"] = min_id
        batch = list(self._call("read notifications", "notifications", **params) or [])
        batch.sort(key=lambda item: _id_key(str(item["id"])))
        messages = tuple(
            self._incoming(item) for item in batch if item.get("status") and item.get("type") in ("mention", "quote")
        )
        newest = str(batch[-1]["id"]) if batch else min_id
        return Page(
            messages=messages,
            cursor=json.dumps({"min_id": newest}) if newest else "",
            # A full page after a cursor means more may be waiting; the first poll reads one page only.
            more=bool(min_id) and len(batch) >= self.page_size,
        )

    def _incoming(self, notification: Mapping[str, Any]) -> Incoming:
        status: Mapping[str, Any] = notification["status"]
        account: Mapping[str, Any] = status.get("account") or notification.get("account") or {}
        text = html_to_text(str(status.get("content") or ""))
        spoiler = str(status.get("spoiler_text") or "").strip()
        if spoiler:
            text = f"{spoiler}\n\n{text}" if text else spoiler
        status_id = str(status["id"])
        in_reply_to = str(status.get("in_reply_to_id") or "")
        kind = "reply" if in_reply_to else "mention"
        if notification.get("type") == "quote":
            kind = "quote"
        extra: dict[str, Any] = {
            "notification_id": str(notification["id"]),
            "account_id": str(account.get("id") or ""),
            "visibility": str(status.get("visibility") or ""),
        }
        if status.get("language"):
            extra["language"] = str(status["language"])
        if status.get("in_reply_to_account_id"):
            extra["in_reply_to_account_id"] = str(status["in_reply_to_account_id"])
        if status.get("media_attachments"):
            extra["media"] = len(status["media_attachments"])
        return Incoming(
            platform_id=status_id,
            text=text,
            author=str(account.get("acct") or ""),
            author_name=str(account.get("display_name") or account.get("username") or ""),
            created_at=_as_datetime(status.get("created_at")),
            in_reply_to=in_reply_to,
            # Mastodon exposes no conversation root on a status; the status answered groups replies.
            thread_id=in_reply_to or status_id,
            url=str(status.get("url") or status.get("uri") or ""),
            kind=kind,
            extra=extra,
        )

    # -- answering -------------------------------------------------------------------------

    def reply(self, *, in_reply_to: str, text: str) -> SentReply:
        if not text.strip():
            raise ConnectorError("a reply needs text")
        original = self._call("read the status being answered", "status", in_reply_to)
        acct = str(original["account"]["acct"])
        body = text.strip()
        # Without a mention the author is not notified of the answer.
        if _full_acct(acct, self.host) != self.account and f"@{acct}".lower() not in body.lower():
            body = f"@{acct} {body}"
        # Never wider than the message answered: a reply to a direct message stays direct.
        visibility = str(original.get("visibility") or "public")
        key = hashlib.sha256(f"{in_reply_to}\n{body}".encode()).hexdigest()
        posted = self._call(
            "post the reply",
            "status_post",
            body,
            in_reply_to_id=in_reply_to,
            visibility=visibility,
            # A retried send within the hour posts once.
            idempotency_key=key,
        )
        return SentReply(platform_id=str(posted["id"]), url=str(posted.get("url") or posted.get("uri") or ""))

    def hide(self, platform_id: str) -> None:
        raise NotSupported(_HIDE)

    def report(self, platform_id: str, *, reason: str) -> None:
        original = self._call("read the status being reported", "status", platform_id)
        account = original["account"]
        remote = "@" in str(account.get("acct") or "")
        self._call(
            "report the status",
            "report",
            str(account["id"]),
            status_ids=[platform_id],
            comment=reason.strip()[:REPORT_COMMENT_LIMIT] or None,
            # A remote author's own server moderates them; forward so it hears of it too.
            forward=remote,
        )


def _full_acct(acct: str, host: str) -> str:
    acct = acct.strip().lstrip("@").lower()
    if not acct:
        return ""
    return acct if "@" in acct else f"{acct}@{host.lower()}"


def _id_key(value: str) -> tuple[int, str]:
    # Mastodon ids are decimal strings of growing length; Pleroma's are fixed-length sortable strings.
    return (len(value), value)


def _load_cursor(cursor: str) -> str:
    if not cursor:
        return ""
    try:
        loaded = json.loads(cursor)
    except json.JSONDecodeError:
        raise ConnectorError("the Mastodon cursor is damaged; reset the connector to read from the latest") from None
    return str(loaded.get("min_id") or "") if isinstance(loaded, dict) else ""


def _as_datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, str) and value:
        try:
            when = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def _parse_reset(value: str) -> dt.datetime | None:
    value = value.strip()
    if value.isdigit():
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when


def _parse_http_date(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when


register("mastodon", MastodonConnector)
