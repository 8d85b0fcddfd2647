"""A local HTTP server that plays a platform for the connector tests, from recorded fixtures.

``server`` is a :class:`FakePlatform` listening on ``127.0.0.1`` (a free port) in a thread. A test
adds routes (method, path, optional query values that must match) answered by a fixture file or a
body, with a status and headers; ``{base}`` in a fixture is replaced by the server's own address
(Bluesky sessions name the server to talk to next). Every request is recorded (method, path,
query, headers, body) so a test can assert what the real client library sent. A request no route
matches gets 404 and is recorded too, so a test sees an unexpected call instead of a hang.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode(), keep_blank_values=True)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Route:
    method: str
    path: str
    query: dict[str, str | list[str] | None] | None
    replies: list[Reply]

    def matches(self, method: str, path: str, query: dict[str, list[str]]) -> bool:
        if method != self.method or path != self.path:
            return False
        for key, want in (self.query or {}).items():
            if want is None:
                if key in query:
                    return False
                continue
            wanted = [want] if isinstance(want, str) else want
            if query.get(key) != wanted:
                return False
        return True


class FakePlatform:
    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def add(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str | list[str] | None] | None = None,
        then: list[dict[str, Any]] | None = None,
        **answer: Any,
    ) -> None:
        """Answer ``method path`` (when ``query`` matches; a ``None`` value: that key is absent) with
        ``fixture=`` a file or ``body=`` bytes, text or JSON, plus ``status=``, ``headers=``, ``delay=``
        (seconds). Later routes win. ``then`` lists the answers (same keywords) to later calls; the
        last answer repeats."""
        replies = [self._reply(**answer), *(self._reply(**later) for later in then or [])]
        with self._lock:
            self.routes.insert(0, Route(method=method, path=path, query=query, replies=replies))

    def _reply(
        self,
        *,
        fixture: str | None = None,
        body: Any = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> Reply:
        content_type = "application/json"
        if fixture is not None:
            data = (FIXTURES / fixture).read_text(encoding="utf-8").replace("{base}", self.url).encode()
            if fixture.endswith(".xml"):
                content_type = "application/xml"
            elif fixture.endswith(".html"):
                content_type = "text/html"
        elif isinstance(body, bytes):
            data = body
        elif isinstance(body, str):
            data = body.encode()
            content_type = "text/plain"
        elif body is None:
            data = b""
        else:
            data = json.dumps(body).encode()
        all_headers = {"Content-Type": f"{content_type}; charset=utf-8", **(headers or {})}
        return Reply(status=status, body=data, headers=all_headers, delay=delay)

    def calls(self, method: str | None = None, path: str | None = None) -> list[Recorded]:
        return [r for r in self.requests if (method is None or r.method == method) and (path is None or r.path == path)]

    def _answer(self, recorded: Recorded) -> Reply:
        with self._lock:
            self.requests.append(recorded)
            for route in self.routes:
                if route.matches(recorded.method, recorded.path, recorded.query):
                    return route.replies.pop(0) if len(route.replies) > 1 else route.replies[0]
        return Reply(
            status=404, body=b'{"error":"no route in the test server"}', headers={"Content-Type": "application/json"}
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                recorded = Recorded(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query, keep_blank_values=True),
                    headers={key.lower(): value for key, value in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                reply = platform._answer(recorded)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first (the timeout tests)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture
def server() -> Iterator[FakePlatform]:
    platform = FakePlatform()
    try:
        yield platform
    finally:
        platform.close()


def fixture(name: str) -> Any:
    """A JSON fixture, parsed."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def json_fixture() -> Any:
    return fixture


@pytest.fixture
def fixture_path() -> Any:
    return lambda name: FIXTURES / name
