"""The Jinja2 environment: our templates, the GOV.UK Frontend macros, and Django helpers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape
from markupsafe import Markup, escape


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def csrf_input(request: Any) -> Markup:
    return Markup('<input type="hidden" name="csrfmiddlewaretoken" value="{}">').format(escape(get_token(request)))


def environment(**options: Any) -> Environment:
    base_loader = options.pop("loader")
    options["loader"] = ChoiceLoader(
        [base_loader, PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")})]
    )
    options["autoescape"] = select_autoescape(["html", "htm", "xml", "jinja"], default_for_string=True, default=True)
    env = Environment(**options)
    env.globals.update(
        {
            "url": url,
            "static": static,
            "csrf_input_for": csrf_input,
            "get_messages": messages.get_messages,
            "service_name": settings.GOVSOCIAL_SERVICE_NAME,
        }
    )
    return env
