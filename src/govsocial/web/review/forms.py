"""The "check a post" form: text, optional platform, attachments with alt text, capacity, pack."""

from __future__ import annotations

from typing import Any

from django import forms

from govsocial.model import Platform
from govsocial.web.drafts.forms import AttachmentRowsMixin
from govsocial.web.review.services import MAX_CHECK_TEXT

__all__ = ["CheckForm"]

PLATFORM_LABELS = {
    "x": "X",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "threads": "Threads",
}


class CheckForm(AttachmentRowsMixin):
    text = forms.CharField(
        label="Your post",
        max_length=MAX_CHECK_TEXT,
        help_text="Paste or write the post. Findings appear as you type.",
        error_messages={"required": "Enter the text of the post to check"},
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
    )
    context = forms.ChoiceField(
        label="Who is speaking?",
        choices=[("official", "The agency (an official account)"), ("personal", "Me (my personal account)")],
        initial="official",
        widget=forms.RadioSelect,
    )
    platform = forms.ChoiceField(label="Platform (optional)", required=False)
    reply_to = forms.CharField(
        label="Replying to (optional)",
        required=False,
        max_length=MAX_CHECK_TEXT,
        help_text="The message your post replies to.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    pack = forms.ChoiceField(
        label="Policy pack", help_text="The guidance to check against. Your agency’s pack is the default."
    )
    channel = forms.TypedChoiceField(label="Channel for the draft", required=False, coerce=int, empty_value=None)

    def __init__(
        self, *args: Any, packs: list[tuple[str, str]], channels: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = [
            ("", "Any platform"),
            *((p.value, PLATFORM_LABELS.get(p.value, p.value)) for p in Platform),
        ]
        self.fields["pack"].choices = packs
        if packs and not self.is_bound:
            self.fields["pack"].initial = packs[0][0]
        self.fields["channel"].choices = [("", "Choose a channel"), *channels]
        self.add_attachment_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["media"] = self.clean_attachments()
        return cleaned

    def document(self) -> dict[str, Any]:
        """The post document (:func:`govsocial.io.post_from_dict` shape) of a valid form."""
        data = self.cleaned_data
        doc: dict[str, Any] = {"text": data["text"], "context": data.get("context") or "official"}
        if data.get("platform"):
            doc["platform"] = data["platform"]
        if data.get("media"):
            doc["media"] = data["media"]
        if (data.get("reply_to") or "").strip():
            doc["reply_to"] = data["reply_to"]
        return doc
