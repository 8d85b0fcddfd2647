"""Forms of the draft pages. They check the shape of the input; the services decide the rest."""

from __future__ import annotations

from typing import Any

from django import forms

from govsocial.web.drafts.models import State
from govsocial.web.drafts.services import MAX_TEXT

__all__ = [
    "ApproveForm",
    "AttachmentRowsMixin",
    "DraftFilterForm",
    "DraftForm",
    "PublishForm",
    "ReturnForm",
    "WithdrawForm",
]

ATTACHMENT_ROWS = 4
KIND_CHOICES = [("", "No attachment"), ("image", "Image"), ("video", "Video"), ("audio", "Audio")]
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


class AttachmentRowsMixin(forms.Form):
    """A fixed number of attachment rows (kind, alternative text, captions) that work without
    JavaScript. ``attachments()`` gives the rows for the template; ``cleaned_attachments`` the
    media list in the post document's shape."""

    def add_attachment_fields(self, initial: list[dict[str, Any]] | None = None) -> None:
        initial = initial or []
        rows = max(ATTACHMENT_ROWS, len(initial))
        for i in range(rows):
            item = initial[i] if i < len(initial) else {}
            n = i + 1
            self.fields[f"media_{i}_kind"] = forms.ChoiceField(
                label=f"Attachment {n}", choices=KIND_CHOICES, required=False, initial=item.get("kind", "")
            )
            self.fields[f"media_{i}_alt"] = forms.CharField(
                label=f"Alternative text for attachment {n}",
                required=False,
                max_length=1500,
                initial=item.get("alt", ""),
                help_text="Describe what it shows for people who cannot see it.",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"media_{i}_captions"] = forms.BooleanField(
                label="The video has captions", required=False, initial=bool(item.get("captions"))
            )
        self._attachment_rows = rows

    def attachments(self) -> list[dict[str, forms.BoundField]]:
        return [
            {"kind": self[f"media_{i}_kind"], "alt": self[f"media_{i}_alt"], "captions": self[f"media_{i}_captions"]}
            for i in range(self._attachment_rows)
        ]

    def clean_attachments(self) -> list[dict[str, Any]]:
        media: list[dict[str, Any]] = []
        data = self.cleaned_data
        for i in range(self._attachment_rows):
            kind = data.get(f"media_{i}_kind") or ""
            alt = (data.get(f"media_{i}_alt") or "").strip()
            captions = bool(data.get(f"media_{i}_captions"))
            if not kind:
                if alt or captions:
                    self.add_error(
                        f"media_{i}_kind", f"Choose what attachment {i + 1} is, or clear its alternative text"
                    )
                continue
            item: dict[str, Any] = {"kind": kind, "alt": alt}
            if kind == "video":
                item["captions"] = captions
            media.append(item)
        return media


class DraftForm(AttachmentRowsMixin):
    channel = forms.TypedChoiceField(label="Channel", coerce=int, help_text="Where the post will go out.")
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=200,
        help_text="A name for the draft in lists; not published.",
    )
    text = forms.CharField(
        label="Post text", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "true"})
    )
    reply_to = forms.CharField(
        label="Replying to (optional)",
        required=False,
        max_length=MAX_TEXT,
        help_text="Paste the message this post replies to, so the check can take it into account.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    scheduled_at = forms.DateTimeField(
        label="Publishing time (optional)",
        required=False,
        input_formats=DATETIME_FORMATS,
        help_text="Leave empty to publish when it is ready. For example, 2026-12-01 09:30",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(
        self,
        *args: Any,
        channels: list[tuple[int, str]],
        attachments: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", "Choose a channel"), *channels]
        self.add_attachment_fields(attachments)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["media"] = self.clean_attachments()
        return cleaned


class DraftFilterForm(forms.Form):
    state = forms.ChoiceField(label="State", required=False, choices=[("", "Any state"), *State.choices])
    channel = forms.TypedChoiceField(label="Channel", required=False, coerce=int, empty_value=None)
    mine = forms.BooleanField(label="Only my drafts", required=False)
    q = forms.CharField(label="Title or text contains", required=False, max_length=200)

    def __init__(self, *args: Any, channels: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", "Any channel"), *channels]


class ApproveForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, override: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.override = override
        field = self.fields["reason"]
        if override:
            field.required = True
            field.label = "Why may this post go out despite the blocking finding?"
            field.help_text = "Your reason is recorded in the audit log with your name."
            field.error_messages["required"] = "Give the reason for publishing despite the blocking finding"
        else:
            field.label = "Comments (optional)"
            field.help_text = "Recorded with your approval."


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label="Comments for the author",
        max_length=2000,
        help_text="Say what needs to change.",
        error_messages={"required": "Enter your comments for the author"},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PublishForm(forms.Form):
    url = forms.URLField(
        label="Live URL of the post",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="After posting it on the platform, paste the address of the post, for example https://mastodon.example/@agency/123",
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, manual: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.manual = manual
        if manual:
            self.fields["url"].required = True
            self.fields["url"].error_messages["required"] = "Enter the live URL of the post"
        else:
            self.fields["url"].label = "Live URL (only if you posted it by hand)"


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing it? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
