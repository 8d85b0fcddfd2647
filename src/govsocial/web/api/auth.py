"""Token authentication and per-token rate limits for the JSON API.

``Authorization: Bearer gs_...``: the token's SHA-256 is looked up among the personal tokens
(:class:`~govsocial.web.accounts.models.ApiToken`) that are not revoked and belong to an active
member of an agency; its ``last_used_at`` is updated. Each token may make
``GOVSOCIAL_API_RATE`` requests (``"120/m"``: 120 a minute; units ``s``, ``m``, ``h``, ``d``) in
a fixed window counted in the Django cache (Redis when ``REDIS_URL`` is set, shared by every
worker); past it the API answers 429 with ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer

from govsocial.web.accounts.permissions import is_member
from govsocial.web.accounts.services import api_token_authenticate

__all__ = ["RateLimited", "TokenAuth", "parse_rate", "throttle"]

_RATE_RE = re.compile(r"\s*(\d{1,9})\s*/\s*(\d{0,6})\s*([smhd])\w{0,6}\s*")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(Exception):
    """Too many requests with one token; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int, limit: int, period: int) -> None:
        super().__init__(
            f"Rate limit of {limit} requests per {period} seconds reached; try again in {retry_after} seconds."
        )
        self.retry_after = retry_after
        self.limit = limit
        self.period = period


def parse_rate(text: str) -> tuple[int, int]:
    """``"120/m"`` → (120, 60); ``"10/5s"`` → (10, 5). A malformed rate is a configuration error."""
    match = _RATE_RE.fullmatch(text or "")
    if not match:
        raise ValueError(f"GOVSOCIAL_API_RATE must look like 120/m (got {text!r})")
    count, multiple, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
    return count, max(1, multiple) * _UNIT_SECONDS[unit]


def throttle(key: str, *, now: float | None = None) -> None:
    """Count one request for ``key`` in the current window; :class:`RateLimited` past the limit."""
    limit, period = parse_rate(str(getattr(settings, "GOVSOCIAL_API_RATE", "120/m")))
    now = time.time() if now is None else now
    window = int(now // period)
    cache_key = f"govsocial:api-rate:{key}:{period}:{window}"
    if cache.add(cache_key, 1, timeout=period + 5):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # the entry expired between add and incr
            cache.add(cache_key, 1, timeout=period + 5)
            count = 1
    if count > limit:
        retry_after = max(1, math.ceil((window + 1) * period - now))
        raise RateLimited(retry_after, limit, period)


class TokenAuth(HttpBearer):
    """Bearer token → the user it belongs to (``request.auth``), or None (401)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        token = token.strip()
        user = api_token_authenticate(key=token)
        if user is None or not is_member(user):
            return None
        throttle(hashlib.sha256(token.encode()).hexdigest()[:32])
        request.user = user
        return user
