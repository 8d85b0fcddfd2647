"""The channel form: field validation, including loading the pack. Writes are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from govsocial.web.accounts.models import Team, User
from govsocial.web.channels.models import ModerationMode, Platform
from govsocial.web.channels.services import MAX_RESPONSE_TARGET_HOURS, pack_validate


class _PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.label} ({obj.username})" if obj.label != obj.username else obj.username


class ChannelForm(forms.Form):
    name = forms.CharField(
        label="Channel name",
        max_length=200,
        help_text="How people in the agency refer to it, for example “Main X account”",
    )
    platform = forms.ChoiceField(label="Platform", choices=Platform.choices)
    handle = forms.CharField(
        label="Account handle", max_length=200, help_text="For example @MinistryOfExamples or examples.bsky.social"
    )
    owning_team = forms.ModelChoiceField(
        label="Owning team", queryset=Team.objects.none(), required=False, empty_label="No team"
    )
    pack = forms.CharField(
        label="Policy pack",
        max_length=500,
        required=False,
        help_text="A built-in pack (nz, uk, nsw) or a pack file path. Leave blank to use the agency’s pack.",
    )
    context = forms.ChoiceField(
        label="Who speaks on this channel",
        choices=[("official", "The agency (an official account)"), ("personal", "A person (a personal account)")],
        widget=forms.RadioSelect,
        initial="official",
    )
    publishers = _PersonChoice(
        label="Publishers",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People who may publish to this channel. Comms managers always may.",
    )
    requires_approval = forms.BooleanField(label="Every post needs an approver, whatever its findings", required=False)
    objectives = forms.CharField(
        label="Objectives",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the channel is for and who it speaks to",
    )
    active = forms.BooleanField(label="Active: drafts can be written for this channel", required=False, initial=True)
    moderation_mode = forms.ChoiceField(
        label="Community management",
        choices=ModerationMode.choices,
        initial=ModerationMode.ACTIVE,
        required=False,
        widget=forms.RadioSelect,
        help_text="Shown in the published community guidelines",
    )
    response_target_hours = forms.IntegerField(
        label="Response target, in working hours",
        min_value=1,
        max_value=MAX_RESPONSE_TARGET_HOURS,
        initial=8,
        required=False,
        help_text="Questions and complaints in the inbox are due this many working hours after they arrive",
    )

    def __init__(self, *args: Any, teams: Any = None, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field = self.fields["owning_team"]
        people_field = self.fields["publishers"]
        assert isinstance(team_field, forms.ModelChoiceField) and isinstance(
            people_field, forms.ModelMultipleChoiceField
        )
        team_field.queryset = teams if teams is not None else Team.objects.none()
        people_field.queryset = people if people is not None else User.objects.none()
        self.fields["name"].error_messages["required"] = "Enter the channel name"
        self.fields["handle"].error_messages["required"] = "Enter the account handle"
        self.pack_ref = ""

    def clean_moderation_mode(self) -> str:
        return str(self.cleaned_data.get("moderation_mode") or ModerationMode.ACTIVE)

    def clean_response_target_hours(self) -> int:
        hours = self.cleaned_data.get("response_target_hours")
        return 8 if hours is None else int(hours)

    def clean_pack(self) -> str:
        ref: str = self.cleaned_data.get("pack", "").strip()
        if ref:
            try:
                self.pack_ref = pack_validate(ref)
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from None
        return ref
