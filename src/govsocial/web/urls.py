"""URL map: one include per app, the error pages, and a health check."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, include, path, reverse

from govsocial.web import errors


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponseRedirect:
    """The start page when the drafts app does not claim "/": the channels for members, else sign-in."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("accounts:login"))
    try:
        return HttpResponseRedirect(reverse("channels:list"))
    except NoReverseMatch:
        return HttpResponseRedirect(reverse("accounts:profile"))


urlpatterns = [
    path("", include("govsocial.web.drafts.urls")),
    # The inbox's pages are under /inbox/; its public community guidelines under /guidelines/.
    path("", include("govsocial.web.inbox.urls")),
    path("accounts/", include("govsocial.web.accounts.urls")),
    path("channels/", include("govsocial.web.channels.urls")),
    path("check/", include("govsocial.web.review.urls")),
    path("audit/", include("govsocial.web.audit.urls")),
    path("api/", include("govsocial.web.api.urls")),
    path("healthz", healthz, name="healthz"),
    path("", home, name="home"),
]

handler403 = errors.forbidden
handler404 = errors.not_found
handler500 = errors.server_error
