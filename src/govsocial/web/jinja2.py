"""The Jinja2 environment: our templates, the GOV.UK Frontend macros, and Django helpers.

Globals for templates:

- ``url(name, *args, **kwargs)``: ``reverse``; ``url_or_none(name)``: None when the route is absent.
- ``static(path)``, ``csrf_input_for(request)``, ``csrf_token_for(request)``, ``get_messages(request)``.
- ``field(bound_field, **overrides)``: the parameters of a GOV.UK macro (govukInput, govukTextarea,
  govukSelect, govukCheckboxes, govukRadios) for a Django form field: id, name, label, hint, value
  or items, and its error message. Overrides are merged in (dicts deeply), e.g.
  ``govukInput(field(form.name, label={"classes": "govuk-label--m"}, classes="govuk-input--width-20"))``.
- ``error_summary(form)``: the ``errorList`` for govukErrorSummary (empty when the form is valid).
- ``navigation(request)``: the service navigation items the user may use (``nav_items`` overrides).
- Filters: ``datetime`` (local time, "3 Mar 2026 14:05"), ``css_colour`` (a safe ``#rrggbb``),
  ``json_pretty`` (indented JSON, escaped by autoescaping).
- ``has_role(user, *roles)`` and the predicates of :mod:`govsocial.web.accounts.permissions`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape
from markupsafe import Markup, escape

from govsocial.web.accounts import permissions


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return str(reverse(name, args=args or None, kwargs=kwargs or None))


def url_or_none(name: str, *args: Any, **kwargs: Any) -> str | None:
    try:
        return url(name, *args, **kwargs)
    except NoReverseMatch:
        return None


def csrf_input(request: Any) -> Markup:
    return Markup('<input type="hidden" name="csrfmiddlewaretoken" value="{}">').format(escape(get_token(request)))


def csrf_token(request: Any) -> str:
    return str(get_token(request))


def htmx_headers(request: Any) -> str:
    """The ``hx-headers`` value that sends the CSRF token with every HTMX request."""
    return json.dumps({"X-CSRFToken": str(get_token(request))})


_COLOUR_RE = re.compile(r"#[0-9a-fA-F]{6}")


def css_colour(value: Any, default: str = "#1d70b8") -> str:
    """A ``#rrggbb`` colour safe to put in a style sheet, or ``default``."""
    text = str(value or "")
    return text if _COLOUR_RE.fullmatch(text) else default


def datetime_filter(value: dt.datetime | None, fmt: str = "%-d %b %Y %H:%M") -> str:
    """A time in the site's time zone, e.g. "3 Mar 2026 14:05"."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime(fmt)


def json_pretty(value: Any) -> str:
    """Indented JSON for people to read (non-ASCII kept as is; autoescaping makes it safe)."""
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _as_strings(value: Any) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list | tuple | set):
        return {str(getattr(v, "pk", v)) for v in value}
    return {str(getattr(value, "pk", value))}


def field(bf: forms.BoundField, **overrides: Any) -> dict[str, Any]:
    """GOV.UK macro parameters for a bound Django form field (see the module docstring)."""
    widget = bf.field.widget
    field_id = bf.auto_id or bf.html_name
    params: dict[str, Any] = {"id": field_id, "name": bf.html_name}
    label: dict[str, Any] = {"text": str(bf.label)}
    if bf.help_text:
        params["hint"] = {"text": str(bf.help_text)}
    if bf.errors:
        params["errorMessage"] = {"text": " ".join(str(e) for e in bf.errors)}
    attrs = {
        k: v for k, v in widget.attrs.items() if k in ("autocomplete", "inputmode", "spellcheck", "rows", "maxlength")
    }

    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        chosen = _as_strings(bf.value())
        key = "checked"
        params = {
            "idPrefix": field_id,
            "name": bf.html_name,
            "fieldset": {"legend": {"text": str(bf.label), "classes": "govuk-fieldset__legend--s"}},
            "items": [
                {"value": str(getattr(v, "value", v)), "text": str(t), key: str(getattr(v, "value", v)) in chosen}
                for v, t in getattr(bf.field, "choices", ())
                if str(v) != ""
            ],
            **{k: v for k, v in params.items() if k in ("hint", "errorMessage")},
        }
    elif isinstance(widget, forms.CheckboxInput):
        params = {
            "idPrefix": field_id,
            "name": bf.html_name,
            "items": [{"value": "yes", "text": str(bf.label), "checked": bool(bf.value())}],
            **{k: v for k, v in params.items() if k in ("hint", "errorMessage")},
        }
        if "hint" in params:
            params["items"][0]["hint"] = params.pop("hint")
    elif isinstance(widget, forms.Select):
        chosen = _as_strings(bf.value())
        params["label"] = label
        params["items"] = [
            {"value": str(getattr(v, "value", v)), "text": str(t), "selected": str(getattr(v, "value", v)) in chosen}
            for v, t in getattr(bf.field, "choices", ())
        ]
    else:
        params["label"] = label
        value = bf.value()
        if isinstance(widget, forms.PasswordInput):
            value = None  # never echo a password back into the page
        if value is not None and value != "":
            params["value"] = str(value)
        if isinstance(widget, forms.Textarea):
            if "rows" in attrs:
                params["rows"] = attrs.pop("rows")
        else:
            params["type"] = getattr(widget, "input_type", "text")
        for name in ("autocomplete", "inputmode"):
            if name in attrs:
                params[name] = attrs[name]
        if attrs.get("spellcheck") == "false":
            params["spellcheck"] = False
    return _merge(params, overrides)


def error_summary(form: forms.BaseForm | None) -> list[dict[str, str]]:
    """The errorList of govukErrorSummary: each error links to its field."""
    if form is None or not form.is_bound or not form.errors:
        return []
    out: list[dict[str, str]] = []
    for error in form.non_field_errors():
        out.append({"text": str(error), "href": "#main-content"})
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        bf = form[name]
        for error in errors:
            out.append({"text": str(error), "href": f"#{bf.auto_id or name}"})
    return out


NAVIGATION: list[tuple[str, str, tuple[str, ...] | None]] = [
    # (route, text, roles that see it; None: every member of an agency)
    ("drafts:list", "Drafts", None),
    ("inbox:list", "Inbox", None),
    ("review:check", "Check a post", None),
    ("channels:list", "Channels", None),
    ("audit:list", "Audit log", permissions.AUDIT_VIEWERS),
    ("accounts:users", "Users", permissions.USER_MANAGERS),
    ("accounts:profile", "Your account", None),
]


def navigation(request: Any) -> list[dict[str, Any]]:
    """Service navigation items for the signed-in user; routes not installed are left out."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    path = getattr(request, "path", "")
    items: list[dict[str, Any]] = []
    for route, text, roles in NAVIGATION:
        if roles is not None and not permissions.has_role(user, *roles):
            continue
        href = url_or_none(route)
        if href is not None:
            items.append({"href": href, "text": text})
    # The current section is the item with the longest href the path starts with.
    matches = [i for i in items if path == i["href"] or (i["href"] != "/" and path.startswith(i["href"]))]
    if matches:
        max(matches, key=lambda i: len(i["href"]))["active"] = True
    return items


def environment(**options: Any) -> Environment:
    base_loader = options.pop("loader")
    options["loader"] = ChoiceLoader(
        [base_loader, PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")})]
    )
    options["autoescape"] = select_autoescape(["html", "htm", "xml", "jinja"], default_for_string=True, default=True)
    env = Environment(**options)
    env.filters.update({"css_colour": css_colour, "datetime": datetime_filter, "json_pretty": json_pretty})
    env.globals.update(
        {
            "url": url,
            "url_or_none": url_or_none,
            "static": static,
            "csrf_input_for": csrf_input,
            "csrf_token_for": csrf_token,
            "htmx_headers": htmx_headers,
            "get_messages": messages.get_messages,
            "service_name": settings.GOVSOCIAL_SERVICE_NAME,
            "field": field,
            "error_summary": error_summary,
            "navigation": navigation,
            "has_role": permissions.has_role,
            "can_manage_channels": permissions.can_manage_channels,
            "can_view_audit": permissions.can_view_audit,
            "can_verify_audit": permissions.can_verify_audit,
            "can_manage_users": permissions.can_manage_users,
            "can_publish": permissions.can_publish,
        }
    )
    return env
