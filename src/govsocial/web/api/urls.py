"""``/api/v1/``: the routes of :data:`govsocial.web.api.api.api` in the ``api`` namespace
(``api:openapi-json``, ``api:openapi-view``, ``api:<operation>``)."""

from django.urls import include, path

from govsocial.web.api.api import api

app_name = "api"
urlpatterns = [
    path("v1/", include(api.urls[0])),
]
