"""URL map: one include per app."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", include("govsocial.web.drafts.urls")),
    path("accounts/", include("govsocial.web.accounts.urls")),
    path("channels/", include("govsocial.web.channels.urls")),
    path("check/", include("govsocial.web.review.urls")),
    path("audit/", include("govsocial.web.audit.urls")),
    path("api/", include("govsocial.web.api.urls")),
    path("healthz", healthz, name="healthz"),
]
