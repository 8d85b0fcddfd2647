"""RSS and Atom feeds, including blog comment feeds, read with feedparser.

```
poll(cursor) ─► _fetch: GET url with If-None-Match / If-Modified-Since (urllib, timeout, size cap)
                  304 ─► no messages, same cursor
                  429 / 503 + Retry-After ─► RateLimited    401 / 403 ─► AuthFailed
                  other HTTP or network failure ─► ConnectorError
             ─► feedparser.parse(body) ─► entries not yet seen ─► Incoming, oldest first
cursor (JSON): {"etag", "modified", "seen": [entry ids, newest last, at most 500], "floor"}
```

The feed is fetched here rather than by feedparser so that every request has a timeout and a size
cap, only ``http`` and ``https`` are followed (a feed URL can never read a local file), and HTTP
failures become the connector errors the channel page shows.

An entry is new when its id is not in ``seen``. ``seen`` keeps every id of the feed's current
entries, so the usual feed of 10 to 50 entries never repeats one. Only a feed longer than the
bound evicts ids of entries it still shows; ``floor`` is then the newest time of those, and an
unseen entry at or before it is taken as already returned.

Comment feeds (WordPress ``/comments/feed/``, or per post ``wfw:commentRss``) give ``comment``
messages: ``thr:in-reply-to`` becomes ``in_reply_to`` and the post's address (the comment link
without its ``#comment-N``) the ``thread_id``. Other feeds give ``item`` messages (title and
summary) with the comment count and comment feed, when the feed has them, in ``extra``. Feeds are
read-only: replies and moderation happen on the site itself.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import urldefrag, urlsplit

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

__all__ = ["MAX_BYTES", "SEEN_LIMIT", "RssConnector"]

SEEN_LIMIT = 500
MAX_BYTES = 10 * 1024 * 1024
DEFAULT_TIMEOUT = 20.0
# When a server says 429 without saying how long to wait.
DEFAULT_RETRY_AFTER = 300.0
_USER_AGENT = "govsocial-feed-reader/1"
_ACCEPT = "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
_READ_ONLY = "feeds are read-only: answer or moderate this comment on the site itself"


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise ConnectorError(f"feed redirected to {newurl!r}; only http and https are followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _retry_after_seconds(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


class RssConnector:
    """A feed an agency watches. Config: ``url`` (required), ``comments`` (treat every entry as a
    comment; otherwise entries with ``thr:in-reply-to`` are comments), ``timeout`` (seconds).
    The secret is unused: feeds are public."""

    kind = "rss"

    def __init__(self, config: Mapping[str, Any], secret: str = "") -> None:
        url = str(config.get("url") or "").strip()
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise ConnectorError(f"feed address {url!r} must be an http:// or https:// URL")
        self.url = url
        comments = config.get("comments")
        self.comments: bool | None = None if comments is None else bool(comments)
        self.timeout = float(config.get("timeout") or DEFAULT_TIMEOUT)

    # -- polling ---------------------------------------------------------------------------

    def poll(self, cursor: str) -> Page:
        state = _load_cursor(cursor)
        fetched = self._fetch(etag=state["etag"], modified=state["modified"])
        if fetched is None:  # 304 Not Modified
            return Page(messages=(), cursor=_dump_cursor(state))
        body, headers = fetched
        import feedparser  # here, not at the top: only a feed poll pays for the import

        parsed = feedparser.parse(
            body,
            response_headers={"content-type": headers.get("content-type", ""), "content-location": self.url},
        )
        entries: list[Any] = list(parsed.entries)
        if not entries and (parsed.bozo or not parsed.version):
            reason = parsed.get("bozo_exception") or "no RSS or Atom content"
            raise ConnectorError(f"{self.url} is not a readable feed: {reason}")

        feed_title = str(parsed.feed.get("title", ""))
        current: list[tuple[str, dt.datetime | None, Any]] = []
        for entry in reversed(entries):  # feeds list newest first
            current.append((_entry_id(entry), _entry_time(entry), entry))
        # Stable sort: undated entries keep their (reversed) feed order, before dated ones.
        current.sort(key=lambda item: item[1] or dt.datetime.min.replace(tzinfo=dt.UTC))

        seen: list[str] = state["seen"]
        seen_set = set(seen)
        floor = _parse_floor(state["floor"])
        messages: list[Incoming] = []
        for entry_id, when, entry in current:
            if entry_id in seen_set:
                continue
            if floor is not None and when is not None and when <= floor:
                continue
            message = self._incoming(entry_id, when, entry, feed_title=feed_title)
            if message is not None:
                messages.append(message)

        state["seen"], evicted = _remember([entry_id for entry_id, _, _ in current], seen)
        times = {entry_id: when for entry_id, when, _ in current}
        evicted_times = [times[e] for e in evicted if times.get(e) is not None]
        if evicted_times:
            newest_evicted = max(t for t in evicted_times if t is not None)
            if floor is None or newest_evicted > floor:
                state["floor"] = newest_evicted.isoformat()
        state["etag"] = headers.get("etag", "")
        state["modified"] = headers.get("last-modified", "")
        return Page(messages=tuple(messages), cursor=_dump_cursor(state))

    def _fetch(self, *, etag: str, modified: str) -> tuple[bytes, dict[str, str]] | None:
        request = urllib.request.Request(self.url, headers={"User-Agent": _USER_AGENT, "Accept": _ACCEPT})
        if etag:
            request.add_header("If-None-Match", etag)
        if modified:
            request.add_header("If-Modified-Since", modified)
        opener = urllib.request.build_opener(_HttpOnlyRedirects())
        try:
            with opener.open(request, timeout=self.timeout) as response:
                body = response.read(MAX_BYTES + 1)
                headers = {key.lower(): value for key, value in response.headers.items()}
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return None
            raise self._http_error(exc) from None
        except TimeoutError:
            raise ConnectorError(f"{self.url} did not answer within {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            raise ConnectorError(f"cannot reach {self.url}: {exc.reason}") from None
        except OSError as exc:
            raise ConnectorError(f"cannot read {self.url}: {exc}") from None
        if len(body) > MAX_BYTES:
            raise ConnectorError(f"{self.url} is larger than {MAX_BYTES // (1024 * 1024)} MB; not read")
        return body, headers

    def _http_error(self, exc: urllib.error.HTTPError) -> ConnectorError:
        code = exc.code
        retry_after = _retry_after_seconds(exc.headers.get("Retry-After") if exc.headers else None)
        if code == 429:
            wait = DEFAULT_RETRY_AFTER if retry_after is None else retry_after
            return RateLimited(f"{self.url} asked us to slow down (HTTP 429)", retry_after=wait)
        if code == 503 and retry_after is not None:
            return RateLimited(f"{self.url} is unavailable for now (HTTP 503)", retry_after=retry_after)
        if code in (401, 403):
            return AuthFailed(f"{self.url} refused access (HTTP {code}); is the feed public?")
        if code in (404, 410):
            return ConnectorError(f"no feed at {self.url} (HTTP {code})")
        return ConnectorError(f"{self.url} answered HTTP {code} {exc.reason}".rstrip())

    def _incoming(self, entry_id: str, when: dt.datetime | None, entry: Any, *, feed_title: str) -> Incoming | None:
        reply_to: dict[str, Any] = entry.get("thr_in-reply-to") or {}
        in_reply_to = str(reply_to.get("ref") or reply_to.get("href") or "")
        is_comment = self.comments if self.comments is not None else bool(in_reply_to)
        body = _entry_html(entry)
        title = html_to_text(str(entry.get("title", "")))
        link = str(entry.get("link", ""))
        extra: dict[str, Any] = {"feed": feed_title} if feed_title else {}
        if is_comment:
            text = html_to_text(body) or title
            thread_id = urldefrag(link)[0] if link else in_reply_to
        else:
            summary = html_to_text(body)
            text = f"{title}\n\n{summary}" if title and summary else (title or summary)
            thread_id = ""
            if entry.get("wfw_commentrss"):
                extra["comments_feed"] = str(entry["wfw_commentrss"])
            if str(entry.get("slash_comments", "")).strip().isdigit():
                extra["comment_count"] = int(str(entry["slash_comments"]).strip())
        if not text:
            return None
        author = str(entry.get("author", ""))
        return Incoming(
            platform_id=entry_id,
            text=text,
            author=author,
            author_name=author,
            created_at=when,
            in_reply_to=in_reply_to,
            thread_id=thread_id,
            url=link,
            kind="comment" if is_comment else "item",
            extra=extra,
        )

    # -- answering -------------------------------------------------------------------------

    def reply(self, *, in_reply_to: str, text: str) -> SentReply:
        raise NotSupported(_READ_ONLY)

    def hide(self, platform_id: str) -> None:
        raise NotSupported(_READ_ONLY)

    def report(self, platform_id: str, *, reason: str) -> None:
        raise NotSupported(_READ_ONLY)


def _entry_id(entry: Any) -> str:
    entry_id = str(entry.get("id") or entry.get("link") or "")
    if entry_id:
        return entry_id
    # Neither id nor link: the content itself is the only stable identity.
    basis = f"{entry.get('title', '')}\n{entry.get('summary', '')}".encode()
    return "sha256:" + hashlib.sha256(basis).hexdigest()[:32]


def _entry_time(entry: Any) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed: time.struct_time | None = entry.get(key)
        if parsed:
            return dt.datetime(*parsed[:6], tzinfo=dt.UTC)
    return None


def _entry_html(entry: Any) -> str:
    for content in entry.get("content") or ():
        value = str(content.get("value", ""))
        if value.strip():
            return value
    return str(entry.get("summary", ""))


def _remember(current: list[str], seen: list[str]) -> tuple[list[str], list[str]]:
    """``seen`` with the feed's current ids moved to the newest end, cut to SEEN_LIMIT; and what was cut."""
    current_set = set(current)
    kept = [entry_id for entry_id in seen if entry_id not in current_set] + current
    cut = len(kept) - SEEN_LIMIT
    if cut <= 0:
        return kept, []
    return kept[cut:], kept[:cut]


def _load_cursor(cursor: str) -> dict[str, Any]:
    state: dict[str, Any] = {"etag": "", "modified": "", "seen": [], "floor": ""}
    if not cursor:
        return state
    try:
        loaded = json.loads(cursor)
    except json.JSONDecodeError:
        raise ConnectorError("the feed cursor is damaged; reset the connector to read the feed afresh") from None
    if isinstance(loaded, dict):
        state["etag"] = str(loaded.get("etag") or "")
        state["modified"] = str(loaded.get("modified") or "")
        state["seen"] = [str(item) for item in loaded.get("seen") or [] if item]
        state["floor"] = str(loaded.get("floor") or "")
    return state


def _dump_cursor(state: Mapping[str, Any]) -> str:
    return json.dumps(
        {key: state[key] for key in ("etag", "modified", "seen", "floor") if state[key]},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _parse_floor(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


register("rss", RssConnector)
