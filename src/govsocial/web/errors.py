"""Error pages: 403 (also for a failed CSRF check), 404, 500, and the sign-in lockout page.

The 500 page renders without the database or the signed-in user, since either may be what failed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def _render(
    request: HttpRequest | None, template: str, status: int, context: dict[str, Any] | None = None
) -> HttpResponse:
    return HttpResponse(render_to_string(template, context or {}, request=request), status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "errors/403.html", 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _render(request, "errors/403.html", 403, {"csrf": True})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request in the context: the base frame would touch the session and the user.
    return _render(None, "errors/500.html", 500)


def locked_out(request: HttpRequest, cooloff_minutes: int | None) -> HttpResponse:
    return _render(request, "errors/lockout.html", 429, {"cooloff_minutes": cooloff_minutes})
