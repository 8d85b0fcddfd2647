"""Forms of the inbox pages. They check the shape of the input (lengths, choices, dates); the
services decide the rest (who may, which rule codes the pack has, whether criticism alone is given
as a reason). Choices that depend on the agency (people, teams, channels, house rules, templates)
are passed in by the views, so a form never reads the database itself.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from typing import Any

from django import forms

from govsocial.web.inbox.models import Category, ConnectorKind, TemplatePurpose

__all__ = [
    "ASSIGNEE_FILTERS",
    "BULK_ACTIONS",
    "CONNECTOR_FIELDS",
    "MODERATION_KINDS",
    "STATUS_TABS",
    "WEEKDAYS",
    "AssignForm",
    "BlockForm",
    "BulkForm",
    "CloseForm",
    "ConnectorForm",
    "MessageFilterForm",
    "ModerateForm",
    "ReplyForm",
    "SettingsForm",
    "StrikeForm",
    "TemplateForm",
    "UnblockForm",
]

#: The tabs of the inbox list: (value of ``status`` in the query, label). "" is the default tab.
STATUS_TABS: tuple[tuple[str, str], ...] = (
    ("open", "Needs a response"),
    ("replying", "Reply in progress"),
    ("moderation", "Needs a moderator"),
    ("answered", "Answered"),
    ("hidden", "Hidden"),
    ("all", "All"),
)
ASSIGNEE_FILTERS: tuple[tuple[str, str], ...] = (("", "Anyone"), ("me", "Me"), ("none", "Nobody yet"))
MODERATION_KINDS: tuple[tuple[str, str], ...] = (
    ("hide", "Hide it"),
    ("unhide", "Show it again"),
    ("leave", "Leave it up"),
    ("report", "Report it to the platform"),
    ("escalate", "Escalate it"),
)
BULK_ACTIONS: tuple[tuple[str, str], ...] = (
    ("assign", "Assign to a person"),
    ("round_robin", "Share out in a team (round-robin)"),
    ("close", "Close: no response needed"),
    ("hide", "Hide, citing a house rule"),
    ("leave", "Leave up"),
)
WEEKDAYS: tuple[tuple[str, str], ...] = (
    ("1", "Monday"),
    ("2", "Tuesday"),
    ("3", "Wednesday"),
    ("4", "Thursday"),
    ("5", "Friday"),
    ("6", "Saturday"),
    ("7", "Sunday"),
)
REASON_MAX = 2000
Choices = Sequence[tuple[Any, str]]


class _Form(forms.Form):
    """A form whose field ids start with its own name (``assign-team``), so several forms on one
    page (the message page has seven) never share an id."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


def _reason(label: str, *, required: bool = False, error: str = "", rows: int = 3) -> forms.CharField:
    field = forms.CharField(
        label=label, required=required, max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": rows})
    )
    if error:
        field.error_messages["required"] = error
    return field


# --------------------------------------------------------------------------- the list


class MessageFilterForm(forms.Form):
    status = forms.ChoiceField(label="Show", required=False, choices=STATUS_TABS)
    category = forms.ChoiceField(label="Category", required=False)
    channel = forms.TypedChoiceField(label="Channel", required=False, coerce=int, empty_value=None)
    assignee = forms.ChoiceField(label="Assigned to", required=False, choices=ASSIGNEE_FILTERS)
    overdue = forms.BooleanField(label="Only overdue", required=False)
    q = forms.CharField(label="Text or author contains", required=False, max_length=200)
    sort = forms.ChoiceField(
        label="Order", required=False, choices=[("recent", "Newest first"), ("due", "Soonest due first")]
    )

    def __init__(self, *args: Any, channels: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Any category"), *Category.choices]
        self.fields["channel"].choices = [("", "Any channel"), *channels]


class BulkForm(_Form):
    """The checked rows of the list, and what to do with them."""

    id_prefix = "bulk"
    ids = forms.TypedMultipleChoiceField(label="Messages", coerce=int, required=True)
    action = forms.ChoiceField(label="Action", choices=[("", "Choose an action"), *BULK_ACTIONS])
    assignee = forms.TypedChoiceField(label="Person", coerce=int, required=False, empty_value=None)
    team = forms.TypedChoiceField(label="Team", coerce=int, required=False, empty_value=None)
    rule_code = forms.ChoiceField(label="House rule", required=False)
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=REASON_MAX)

    def __init__(
        self, *args: Any, ids: Sequence[int], people: Choices, teams: Choices, rules: Choices, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(i, str(i)) for i in ids]
        self.fields["ids"].error_messages["required"] = "Tick at least one message"
        self.fields["ids"].error_messages["invalid_choice"] = "A ticked message is not in your inbox"
        self.fields["action"].error_messages["required"] = "Choose what to do with the ticked messages"
        self.fields["assignee"].choices = [("", "Choose a person"), *people]
        self.fields["team"].choices = [("", "Choose a team"), *teams]
        self.fields["rule_code"].choices = [("", "Choose a house rule"), *rules]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        action = cleaned.get("action")
        if action == "assign" and not cleaned.get("assignee"):
            self.add_error("assignee", "Choose the person to assign them to")
        if action == "round_robin" and not cleaned.get("team"):
            self.add_error("team", "Choose the team to share them out in")
        if action == "hide" and not cleaned.get("rule_code"):
            self.add_error("rule_code", "Choose the house rule that hiding them cites")
        return cleaned


# --------------------------------------------------------------------------- one message


class AssignForm(_Form):
    """To a person, to a team, or round-robin within a team (``how``)."""

    id_prefix = "assign"
    how = forms.ChoiceField(
        label="How",
        choices=[("person", "To a person"), ("team", "To a team"), ("round_robin", "Round-robin in a team")],
        initial="person",
        widget=forms.RadioSelect,
    )
    assignee = forms.TypedChoiceField(label="Person", coerce=int, required=False, empty_value=None)
    team = forms.TypedChoiceField(label="Team", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, people: Choices, teams: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "Nobody"), *people]
        self.fields["team"].choices = [("", "No team"), *teams]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        how = cleaned.get("how")
        if how in ("team", "round_robin") and not cleaned.get("team"):
            self.add_error("team", "Choose a team")
        return cleaned


class ModerateForm(_Form):
    id_prefix = "moderate"
    kind = forms.ChoiceField(label="Decision", choices=MODERATION_KINDS, widget=forms.RadioSelect)
    rule_code = forms.ChoiceField(
        label="House rule",
        required=False,
        help_text="The rule of the published community guidelines that this decision cites.",
    )
    reason = _reason("Reason", rows=3)

    def __init__(self, *args: Any, rules: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = "Choose a decision"
        self.fields["rule_code"].choices = [("", "No rule"), *rules]
        self.fields["reason"].help_text = "Criticism of the agency is never a reason to hide a comment by itself."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == "hide" and not cleaned.get("rule_code"):
            self.add_error("rule_code", "Choose the house rule that hiding it cites")
        return cleaned


class StrikeForm(_Form):
    id_prefix = "strike"
    rule_code = forms.ChoiceField(label="House rule broken")
    reason = _reason("Reason (optional)", rows=2)

    def __init__(self, *args: Any, rules: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule_code"].choices = [("", "Choose a house rule"), *rules]
        self.fields["rule_code"].error_messages["required"] = "Choose the house rule the author broke"


class BlockForm(_Form):
    id_prefix = "block"
    reason = _reason("Why block this author?", required=True, error="Enter the reason for blocking", rows=3)
    review_on = forms.DateField(
        label="Review the block on",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text="Blocks are reviewed: pick the date someone looks at this one again. For example, 2026-12-01",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the date to review the block", "invalid": "Enter a real date"},
    )

    def clean_review_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["review_on"]
        if value <= dt.date.today():
            raise forms.ValidationError("The review date must be in the future")
        return value


class UnblockForm(_Form):
    id_prefix = "unblock"
    reason = _reason("Why unblock this author?", required=True, error="Enter the reason for unblocking", rows=2)


class CloseForm(_Form):
    id_prefix = "close"
    reason = forms.CharField(label="Note (optional)", required=False, max_length=REASON_MAX)


class ReplyForm(_Form):
    id_prefix = "reply"
    template = forms.TypedChoiceField(
        label="Start from",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Only approved templates are listed. The reply is checked and routed like any draft.",
    )
    text = forms.CharField(
        label="Or write the reply (optional)",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "true"}),
        help_text="Used when no template is chosen; you can edit the draft afterwards.",
    )

    def __init__(self, *args: Any, templates: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", "A blank reply"), *templates]


# --------------------------------------------------------------------------- templates and settings


class TemplateForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    key = forms.SlugField(
        label="Short name",
        max_length=60,
        help_text="Lower-case letters, numbers and hyphens, for example take-it-offline",
        error_messages={"required": "Enter a short name", "invalid": "Use lower-case letters, numbers and hyphens"},
    )
    purpose = forms.ChoiceField(label="Purpose", choices=TemplatePurpose.choices)
    body = forms.CharField(
        label="Text",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "true"}),
        help_text="Write it as the agency. People can edit the reply before it is checked and sent.",
        error_messages={"required": "Enter the text of the template"},
    )


def _timezones() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class SettingsForm(forms.Form):
    timezone = forms.ChoiceField(label="Time zone", help_text="Monitoring hours and due times are counted in it.")
    workday_start = forms.TimeField(
        label="Monitoring starts at",
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Enter when monitoring starts", "invalid": "Enter a time like 09:00"},
    )
    workday_end = forms.TimeField(
        label="Monitoring ends at",
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Enter when monitoring ends", "invalid": "Enter a time like 17:00"},
    )
    workdays = forms.TypedMultipleChoiceField(
        label="Days the inbox is monitored",
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one day"},
    )
    holidays = forms.CharField(
        label="Public holidays",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One date a line, for example 2026-12-25. Response times do not run on these days.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = _timezones()

    def clean_holidays(self) -> list[str]:
        out: set[str] = set()
        for number, line in enumerate(str(self.cleaned_data.get("holidays") or "").splitlines(), start=1):
            text = line.strip()
            if not text:
                continue
            try:
                out.add(dt.date.fromisoformat(text).isoformat())
            except ValueError:
                raise forms.ValidationError(f"Line {number} is not a date like 2026-12-25") from None
        return sorted(out)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("workday_start"), cleaned.get("workday_end")
        if start is not None and end is not None and end <= start:
            self.add_error("workday_end", "Monitoring must end after it starts")
        return cleaned


# --------------------------------------------------------------------------- connectors

#: Which settings each kind of connector takes: form field → key in ``Connector.config``.
CONNECTOR_FIELDS: dict[str, dict[str, str]] = {
    ConnectorKind.RSS: {"feed_url": "url", "comments": "comments"},
    ConnectorKind.MASTODON: {"instance_url": "instance", "handle": "account"},
    ConnectorKind.BLUESKY: {"service_url": "service", "handle": "handle"},
    ConnectorKind.IMPORT: {},
    ConnectorKind.WEBHOOK: {},
}
#: Kinds that need a secret (access token, app password, signing secret) to work at all.
SECRET_REQUIRED = frozenset({ConnectorKind.MASTODON, ConnectorKind.BLUESKY, ConnectorKind.WEBHOOK})


class ConnectorForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=ConnectorKind.choices)
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="For example “Mentions on Mastodon” or “Blog comments feed”",
        error_messages={"required": "Enter a name"},
    )
    feed_url = forms.URLField(
        label="Feed URL (RSS or Atom feeds)",
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    instance_url = forms.URLField(
        label="Instance URL (Mastodon)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="For example https://mastodon.example",
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    service_url = forms.URLField(
        label="Service URL (Bluesky)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Leave empty for https://bsky.social",
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    comments = forms.BooleanField(
        label="Every entry of the feed is a comment (a comment feed)",
        required=False,
        help_text="Otherwise only entries that reply to another count as comments.",
    )
    handle = forms.CharField(
        label="Account handle (Mastodon and Bluesky)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    secret = forms.CharField(
        label="Access token, app password or signing secret",
        required=False,
        max_length=500,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    poll_interval_s = forms.IntegerField(
        label="Check every (seconds)",
        min_value=60,
        max_value=86_400,
        initial=300,
        error_messages={
            "required": "Enter how often to check, in seconds",
            "min_value": "Check at most once a minute (60 seconds)",
            "max_value": "Check at least once a day (86400 seconds)",
        },
    )
    enabled = forms.BooleanField(label="Checking is on", required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, has_secret: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.has_secret = has_secret
        if editing:
            # The kind of a connector is fixed once it has a cursor; make another to change it.
            self.fields["kind"].disabled = True
            self.fields["secret"].help_text = (
                "A secret is saved and is never shown again. Leave empty to keep it."
                if has_secret
                else "No secret is saved."
            )
        else:
            self.fields["secret"].help_text = "Saved and never shown again."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind == ConnectorKind.RSS and not cleaned.get("feed_url"):
            self.add_error("feed_url", "Enter the address of the feed")
        if kind == ConnectorKind.MASTODON and not cleaned.get("instance_url"):
            self.add_error("instance_url", "Enter the address of the Mastodon instance")
        if kind == ConnectorKind.BLUESKY and not cleaned.get("handle"):
            self.add_error("handle", "Enter the account handle")
        if kind in SECRET_REQUIRED and not cleaned.get("secret") and not (self.editing and self.has_secret):
            self.add_error("secret", "Enter the access token, app password or signing secret")
        return cleaned

    def config(self) -> dict[str, Any]:
        """The non-secret settings of the chosen kind, as ``Connector.config`` keeps them."""
        kind = self.cleaned_data["kind"]
        out: dict[str, Any] = {}
        for name, key in CONNECTOR_FIELDS.get(kind, {}).items():
            value = self.cleaned_data.get(name)
            if isinstance(value, bool):
                out[key] = value
            elif value:
                out[key] = str(value).strip()
        return out
