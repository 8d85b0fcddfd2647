"""The signed webhook endpoint: ``POST /inbox/hooks/<connector id>/`` (URL name ``inbox:webhook``).

```
POST ─► webhook connector? (404) ─► switched on? (403) ─► body ≤ 1 MiB? (413)
     ─► X-Govsocial-Signature verifies with the connector's secret? (401, with the reason)
     ─► body parses as messages? (400, with the reason)
     ─► ingest (de-duplicated by platform id) ─► 202 {"created": n, "duplicates": m}
```

No session and no CSRF token: the HMAC signature over the timestamp and body is the
authentication (see :mod:`govsocial.connectors.webhook`). Every answer is JSON; errors are
``{"error": "reason"}``. Re-sending a request stores nothing new.
"""

from __future__ import annotations

from typing import Final

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from govsocial.connectors import webhook as signing
from govsocial.web.inbox.models import Connector, ConnectorKind
from govsocial.web.inbox.services import InboxError, ingest

__all__ = ["MAX_BODY", "receive"]

MAX_BODY: Final = 1024 * 1024


def _error(status: int, reason: str) -> JsonResponse:
    return JsonResponse({"error": reason}, status=status)


@csrf_exempt
def receive(request: HttpRequest, connector_id: int) -> JsonResponse:
    if request.method != "POST":
        response = _error(405, "send messages with POST")
        response["Allow"] = "POST"
        return response
    connector = (
        Connector.objects.select_related("channel", "channel__agency")
        .filter(pk=connector_id, kind=ConnectorKind.WEBHOOK)
        .first()
    )
    if connector is None:
        return _error(404, "no such webhook")
    if not connector.enabled:
        return _error(403, "this webhook is switched off")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _error(400, "bad Content-Length header")
    if declared > MAX_BODY:
        return _error(413, f"body too large: at most {MAX_BODY} bytes a request")
    # Read at most one byte past the limit, whatever the header said.
    body = request.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        return _error(413, f"body too large: at most {MAX_BODY} bytes a request")
    try:
        signing.verify(connector.secret, body, request.headers.get(signing.HEADER))
    except signing.SignatureError as exc:
        return _error(401, str(exc))
    try:
        items = signing.parse(body)
    except signing.PayloadError as exc:
        return _error(400, str(exc))
    try:
        result = ingest(channel=connector.channel, items=items, connector=connector)
    except InboxError as exc:
        return _error(400, exc.message)
    return JsonResponse({"created": result.created, "duplicates": result.duplicates}, status=202)
