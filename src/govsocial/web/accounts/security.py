"""The client address used for sign-in lockout.

Without trusted proxies it is ``REMOTE_ADDR``. Behind ``GOVSOCIAL_TRUSTED_PROXIES`` = N reverse
proxies it is the Nth address from the right of ``X-Forwarded-For``: entries further left are
written by the client and cannot be trusted.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies = int(getattr(settings, "GOVSOCIAL_TRUSTED_PROXIES", 0))
    remote = str(request.META.get("REMOTE_ADDR") or "") or None
    if proxies <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote
