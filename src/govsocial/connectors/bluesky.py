"""Bluesky: mentions, replies and quotes of the agency's posts, through the atproto SDK.

```
login ─► com.atproto.server.createSession (handle + app password), the session kept per process
poll(cursor) ─► app.bsky.notification.listNotifications?reasons=mention,reply,quote  (newest first)
                  page back until the newest notification already returned, at most max_pages
             ─► Incoming oldest first (kind = reason), cursor = {"at", "uris"} of the newest
reply ─► app.bsky.feed.getPosts(parent) ─► com.atproto.repo.createRecord app.bsky.feed.post
          with reply {root, parent} strong refs (the parent's own root, or the parent itself)
hide  ─► the thread's threadgate hiddenReplies (app.bsky.feed.threadgate, rkey of the root post);
          only under the agency's own posts, as in the Bluesky app; elsewhere NotSupported
report ─► com.atproto.moderation.createReport with a strong ref to the post
```

Cursor: Bluesky pages from the newest notification backwards, so the cursor remembers the newest
one returned (``at``: its indexedAt; ``uris``: those with that time) and a poll reads back until
it reaches it. When more arrived since than ``max_pages`` pages hold, the newest are returned
first and ``gap`` keeps the API's cursor and where to stop; the next polls read the gap and
``Page.more`` says so. The first poll reads one page only: the inbox starts from now, not from
the account's history.

Sessions: ``createSession`` is limited to 30 calls in five minutes and 300 a day per account, and
a connector is built afresh for each poll, so the session is kept per process, keyed by service,
handle and a hash of the password, and refreshed by the SDK before its token expires. An expired
or refused session is dropped and the login tried once more before :class:`AuthFailed`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

import regex

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

__all__ = ["POST_LIMIT", "REASONS", "BlueskyConnector", "report_reason_type"]

REASONS = ("mention", "reply", "quote")
POST_LIMIT = 300  # graphemes in a post
HIDDEN_REPLIES_LIMIT = 300  # app.bsky.feed.threadgate hiddenReplies maxLength
DEFAULT_SERVICE = "https://bsky.social"
DEFAULT_TIMEOUT = 20.0
DEFAULT_RETRY_AFTER = 300.0
PAGE_SIZE = 50
MAX_PAGES = 10
_TOKEN_ERRORS = frozenset({"ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing"})

# Per process: (service, handle, sha256(password)) -> exported session string.
_SESSIONS: dict[tuple[str, str, str], str] = {}
_SESSIONS_LOCK = threading.Lock()

T = TypeVar("T")

_REPORT_REASONS = (
    (("spam", "scam", "advertis"), "com.atproto.moderation.defs#reasonSpam"),
    (("misinformation", "misleading", "impersonat", "false"), "com.atproto.moderation.defs#reasonMisleading"),
    (("sexual", "porn", "nudity"), "com.atproto.moderation.defs#reasonSexual"),
    (
        ("abuse", "abusive", "harass", "rude", "threat", "hate", "insult", "bully"),
        "com.atproto.moderation.defs#reasonRude",
    ),
    (("illegal", "violation", "terms"), "com.atproto.moderation.defs#reasonViolation"),
)


def report_reason_type(reason: str) -> str:
    """The ``com.atproto.moderation.defs`` reason a report's free-text reason falls under (else reasonOther)."""
    lowered = reason.lower()
    for words, reason_type in _REPORT_REASONS:
        if any(word in lowered for word in words):
            return reason_type
    return "com.atproto.moderation.defs#reasonOther"


def _get(obj: Any, *names: str) -> Any:
    """A field of an SDK model or of a plain dict (records of unknown types stay dicts), by path."""
    for name in names:
        if obj is None:
            return None
        if isinstance(obj, Mapping):
            camel = regex.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)
            obj = obj.get(name, obj.get(camel))
        else:
            obj = getattr(obj, name, None)
    return obj


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _rkey(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def _repo(uri: str) -> str:
    return uri.removeprefix("at://").split("/", 1)[0]


class BlueskyConnector:
    """The agency's Bluesky account. Config: ``handle`` (required), ``service`` (its PDS or
    entryway, default https://bsky.social), ``timeout``, ``page_size``, ``max_pages``.
    Secret: an app password (Settings → Privacy and security → App passwords)."""

    kind = "bluesky"

    def __init__(self, config: Mapping[str, Any], secret: str = "") -> None:
        handle = str(config.get("handle") or "").strip().lstrip("@").lower()
        if not handle:
            raise ConnectorError("a Bluesky connector needs the account's handle")
        service = str(config.get("service") or DEFAULT_SERVICE).strip().rstrip("/")
        if urlsplit(service).scheme not in ("http", "https") or not urlsplit(service).netloc:
            raise ConnectorError(f"Bluesky service {service!r} must be an https:// URL")
        self.handle = handle
        self.service = service
        self.timeout = float(config.get("timeout") or DEFAULT_TIMEOUT)
        self.page_size = max(1, min(100, int(config.get("page_size") or PAGE_SIZE)))
        self.max_pages = max(1, int(config.get("max_pages") or MAX_PAGES))
        self._password = secret.strip()
        self._client: Any = None
        self._did = ""
        self._session_key = (service, handle, hashlib.sha256(self._password.encode()).hexdigest())

    # -- session and errors ----------------------------------------------------------------

    def _login(self, *, fresh: bool = False) -> Any:
        if self._client is not None and not fresh:
            return self._client
        if not self._password:
            raise AuthFailed("no Bluesky app password is set for this connector")
        from atproto_client import Client
        from atproto_client.request import Request

        client = Client(base_url=self.service, request=Request(timeout=self.timeout))
        client.on_session_change(self._keep_session)
        with _SESSIONS_LOCK:
            saved = None if fresh else _SESSIONS.get(self._session_key)
        if saved:
            client.login(session_string=saved, fetch_bsky_profile=False)
        else:
            client.login(self.handle, self._password, fetch_bsky_profile=False)
        self._client = client
        return client

    def _keep_session(self, event: Any, session: Any) -> None:
        self._did = str(session.did)
        with _SESSIONS_LOCK:
            _SESSIONS[self._session_key] = str(session.export())

    def _forget_session(self) -> None:
        self._client = None
        with _SESSIONS_LOCK:
            _SESSIONS.pop(self._session_key, None)

    def _call(self, what: str, action: Callable[[Any], T]) -> T:
        """Run ``action(client)``, logging in first; a refused session is renewed once."""
        from atproto_client.exceptions import BadRequestError, UnauthorizedError

        for attempt in (1, 2):
            # Only a session we already had is worth renewing; a refused password is not retried.
            with _SESSIONS_LOCK:
                had_session = self._client is not None or self._session_key in _SESSIONS
            try:
                client = self._login(fresh=attempt == 2)
                return action(client)
            except (UnauthorizedError, BadRequestError) as exc:
                error = _get(exc.response, "content", "error") if exc.response is not None else None
                renewable = isinstance(exc, UnauthorizedError) or error in _TOKEN_ERRORS
                if attempt == 1 and had_session and renewable:
                    self._forget_session()
                    continue
                raise self._translate(exc, what) from None
            except Exception as exc:
                raise self._translate(exc, what) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _translate(self, exc: Exception, what: str) -> ConnectorError:
        from atproto_client.exceptions import (
            BadRequestError,
            InvokeTimeoutError,
            LoginRequiredError,
            NetworkError,
            RateLimitExceededError,
            RequestErrorBase,
            UnauthorizedError,
        )
        from atproto_core.exceptions import AtProtocolError

        if isinstance(exc, ConnectorError):
            return exc
        response = exc.response if isinstance(exc, RequestErrorBase) else None
        status = response.status_code if response is not None else None
        error = _get(response, "content", "error") if response is not None else None
        message = _get(response, "content", "message") if response is not None else None
        detail = ": ".join(str(part) for part in (error, message) if part)
        suffix = f" (HTTP {status}{': ' + detail if detail else ''})" if status else ""
        if isinstance(exc, RateLimitExceededError):
            wait = exc.retry_after
            if wait is None and exc.reset_at is not None:
                wait = max(0.0, (exc.reset_at - dt.datetime.now(dt.UTC)).total_seconds())
            return RateLimited(
                f"Bluesky rate limit reached while trying to {what}{suffix}",
                retry_after=DEFAULT_RETRY_AFTER if wait is None else wait,
            )
        if isinstance(exc, UnauthorizedError | LoginRequiredError):
            return AuthFailed(f"Bluesky refused the login for {self.handle}{suffix}; check the app password")
        if isinstance(exc, InvokeTimeoutError):
            return ConnectorError(f"Bluesky did not answer within {self.timeout:g} s while we tried to {what}")
        if isinstance(exc, NetworkError) and response is None:
            return ConnectorError(f"cannot reach {self.service} to {what}: {exc.__cause__ or exc}")
        if isinstance(exc, BadRequestError):
            return ConnectorError(f"Bluesky refused to {what}{suffix}")
        if isinstance(exc, RequestErrorBase):
            return ConnectorError(f"Bluesky failed while we tried to {what}{suffix}")
        if isinstance(exc, AtProtocolError):
            return ConnectorError(f"unexpected answer from Bluesky while we tried to {what}: {exc}")
        return ConnectorError(f"unexpected answer from Bluesky while we tried to {what}: {type(exc).__name__}: {exc}")

    # -- polling ---------------------------------------------------------------------------

    def poll(self, cursor: str) -> Page:
        state = _load_cursor(cursor)
        return self._call("read notifications", lambda client: self._poll(client, state))

    def _poll(self, client: Any, state: dict[str, Any]) -> Page:
        gap: dict[str, Any] | None = state.get("gap")
        if gap:
            api_cursor: str | None = gap["cursor"]
            stop_at, stop_uris = _time(gap.get("at")), set(gap.get("uris") or [])
        else:
            api_cursor = None
            stop_at, stop_uris = _time(state.get("at")), set(state.get("uris") or [])
        # The first poll reads one page; later ones read back to the mark, or to the end when the
        # account had no notifications at all on the first poll.
        first_poll = not state
        collected: list[Any] = []
        seen: set[str] = set()
        reached = False
        pages = 0
        while True:
            params: dict[str, Any] = {"limit": self.page_size, "reasons": list(REASONS)}
            if api_cursor:
                params["cursor"] = api_cursor
            response = client.app.bsky.notification.list_notifications(params=params)
            pages += 1
            notifications = list(_get(response, "notifications") or [])
            for item in notifications:
                at = _time(_get(item, "indexed_at"))
                uri = str(_get(item, "uri"))
                if stop_at is not None and at is not None:
                    if at < stop_at:
                        reached = True
                        break
                    if at == stop_at and uri in stop_uris:
                        # The mark itself: stop after this page (same-time neighbours may still be new).
                        reached = True
                        continue
                if uri not in seen:
                    seen.add(uri)
                    collected.append(item)
            api_cursor = _get(response, "cursor")
            if reached or first_poll or not api_cursor or not notifications:
                reached = True
                break
            if pages >= self.max_pages:
                break

        messages = [self._incoming(item) for item in reversed(collected) if _get(item, "reason") in REASONS]
        new_state: dict[str, Any] = {"v": 1, "at": state.get("at"), "uris": state.get("uris") or []}
        if not gap and collected:
            newest_at = str(_get(collected[0], "indexed_at"))
            new_state["at"] = newest_at
            new_state["uris"] = [str(_get(i, "uri")) for i in collected if str(_get(i, "indexed_at")) == newest_at]
        if not reached:
            # Pages left between what was read and the previous mark: read them on the next polls.
            stop = gap or {"at": state.get("at"), "uris": state.get("uris") or []}
            new_state["gap"] = {"cursor": api_cursor, "at": stop.get("at"), "uris": stop.get("uris") or []}
        return Page(messages=tuple(messages), cursor=_dump_cursor(new_state), more=not reached)

    def _incoming(self, item: Any) -> Incoming:
        record = _get(item, "record")
        uri = str(_get(item, "uri"))
        author_handle = str(_get(item, "author", "handle") or "")
        author_did = str(_get(item, "author", "did") or "")
        parent = str(_get(record, "reply", "parent", "uri") or "")
        root = str(_get(record, "reply", "root", "uri") or "")
        profile = author_handle if author_handle and author_handle != "handle.invalid" else author_did
        extra: dict[str, Any] = {"cid": str(_get(item, "cid") or ""), "did": author_did}
        if _get(item, "reason_subject"):
            extra["reason_subject"] = str(_get(item, "reason_subject"))
        langs = _get(record, "langs")
        if langs:
            extra["langs"] = [str(lang) for lang in langs]
        return Incoming(
            platform_id=uri,
            text=str(_get(record, "text") or "").strip(),
            author=author_handle or author_did,
            author_name=str(_get(item, "author", "display_name") or ""),
            created_at=_time(_get(record, "created_at")) or _time(_get(item, "indexed_at")),
            in_reply_to=parent,
            thread_id=root or uri,
            url=f"https://bsky.app/profile/{profile}/post/{_rkey(uri)}",
            kind=str(_get(item, "reason")),
            extra=extra,
        )

    # -- answering -------------------------------------------------------------------------

    def _post_view(self, client: Any, uri: str, what: str) -> Any:
        response = client.app.bsky.feed.get_posts(params={"uris": [uri]})
        posts = list(_get(response, "posts") or [])
        if not posts:
            raise ConnectorError(f"cannot {what}: the post is gone (deleted, or hidden from this account)")
        return posts[0]

    def reply(self, *, in_reply_to: str, text: str) -> SentReply:
        text = text.strip()
        if not text:
            raise ConnectorError("a reply needs text")
        graphemes = len(regex.findall(r"\X", text))
        if graphemes > POST_LIMIT:
            raise ConnectorError(f"the reply is {graphemes} characters; Bluesky allows {POST_LIMIT}")
        return self._call("post the reply", lambda client: self._reply(client, in_reply_to, text))

    def _reply(self, client: Any, in_reply_to: str, text: str) -> SentReply:
        from atproto_client import models
        from atproto_client.utils.facet_detection import detect_facets

        parent_view = self._post_view(client, in_reply_to, "reply")
        parent = models.ComAtprotoRepoStrongRef.Main(uri=str(parent_view.uri), cid=str(parent_view.cid))
        root_ref = _get(parent_view, "record", "reply", "root")
        root = (
            models.ComAtprotoRepoStrongRef.Main(uri=str(_get(root_ref, "uri")), cid=str(_get(root_ref, "cid")))
            if root_ref is not None
            else parent
        )
        record = models.AppBskyFeedPost.Record(
            text=text,
            created_at=_now_iso(),
            reply=models.AppBskyFeedPost.ReplyRef(root=root, parent=parent),
            # Links and tags become clickable; mentions would need handle look-ups, so stay text.
            facets=detect_facets(text) or None,
        )
        created = client.com.atproto.repo.create_record(
            models.ComAtprotoRepoCreateRecord.Data(repo=self._did, collection="app.bsky.feed.post", record=record)
        )
        uri = str(created.uri)
        return SentReply(platform_id=uri, url=f"https://bsky.app/profile/{self.handle}/post/{_rkey(uri)}")

    def hide(self, platform_id: str) -> None:
        self._call("hide the reply", lambda client: self._hide(client, platform_id))

    def _hide(self, client: Any, platform_id: str) -> None:
        from atproto_client.exceptions import BadRequestError
        from atproto_client.models.utils import get_model_as_dict

        view = self._post_view(client, platform_id, "hide the reply")
        root_uri = str(_get(view, "record", "reply", "root", "uri") or "")
        if not root_uri:
            raise NotSupported("this post is not a reply; Bluesky can hide only replies in a thread. Report it instead")
        if _repo(root_uri) != self._did:
            raise NotSupported(
                "Bluesky lets only a thread's author hide its replies, and this reply is under someone "
                "else's post; report it instead"
            )
        rkey = _rkey(root_uri)
        existing: Any = None
        try:
            existing = client.com.atproto.repo.get_record(
                params={"repo": self._did, "collection": "app.bsky.feed.threadgate", "rkey": rkey}
            )
        except BadRequestError as exc:
            if _get(exc.response, "content", "error") != "RecordNotFound":
                raise
        if existing is not None:
            value = get_model_as_dict(existing.value) if not isinstance(existing.value, dict) else dict(existing.value)
            swap = existing.cid
        else:
            # No "allow" key: everyone may still reply. An empty "allow" list would close the thread.
            value = {"$type": "app.bsky.feed.threadgate", "post": root_uri, "createdAt": _now_iso()}
            swap = None
        hidden = [str(uri) for uri in value.get("hiddenReplies") or []]
        if platform_id in hidden:
            return
        if len(hidden) >= HIDDEN_REPLIES_LIMIT:
            raise ConnectorError(f"this thread already hides {HIDDEN_REPLIES_LIMIT} replies, Bluesky's limit")
        value["hiddenReplies"] = [*hidden, platform_id]
        data: dict[str, Any] = {
            "repo": self._did,
            "collection": "app.bsky.feed.threadgate",
            "rkey": rkey,
            "record": value,
        }
        if swap:
            data["swap_record"] = swap  # another change since we read it fails instead of being lost
        client.com.atproto.repo.put_record(data=data)

    def report(self, platform_id: str, *, reason: str) -> None:
        self._call("report the post", lambda client: self._report(client, platform_id, reason))

    def _report(self, client: Any, platform_id: str, reason: str) -> None:
        view = self._post_view(client, platform_id, "report the post")
        client.com.atproto.moderation.create_report(
            data={
                "reason_type": report_reason_type(reason),
                "reason": reason.strip()[:2000] or None,
                "subject": {"$type": "com.atproto.repo.strongRef", "uri": str(view.uri), "cid": str(view.cid)},
            }
        )


def _load_cursor(cursor: str) -> dict[str, Any]:
    if not cursor:
        return {}
    try:
        loaded = json.loads(cursor)
    except json.JSONDecodeError:
        raise ConnectorError("the Bluesky cursor is damaged; reset the connector to read from the latest") from None
    return loaded if isinstance(loaded, dict) else {}


def _dump_cursor(state: Mapping[str, Any]) -> str:
    return json.dumps({key: value for key, value in state.items() if value}, separators=(",", ":"))


register("bluesky", BlueskyConnector)
