"""Forms for signing in, two-factor codes, users and API tokens. Validation only: the writes are
in :mod:`govsocial.web.accounts.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password

from govsocial.web.accounts.models import Role, Team

ROLE_HINTS = {
    Role.OFFICER: "Writes drafts and checks posts",
    Role.APPROVER: "Approves drafts with high findings and overrides blocks with a reason",
    Role.MODERATOR: "Handles replies and comments",
    Role.COMMS_MANAGER: "Manages channels, publishes to any channel, sees the audit log",
    Role.RECORDS_MANAGER: "Sees and verifies the audit log",
    Role.ADMIN: "Manages users and roles",
}


class LoginForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows now",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = "Enter the 6-digit code from your authenticator app"

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app")
        return code


def _role_choices() -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in Role.choices]


class UserRolesForm(forms.Form):
    display_name = forms.CharField(label="Display name", max_length=200, required=False)
    email = forms.EmailField(label="Email address", required=False)
    roles = forms.MultipleChoiceField(
        label="Roles", choices=_role_choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    teams = forms.ModelMultipleChoiceField(
        label="Teams", queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, teams: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["teams"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = teams if teams is not None else Team.objects.none()


class UserCreateForm(UserRolesForm):
    username = forms.RegexField(
        label="Username",
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text="Letters, digits and @ . + - _ only",
        error_messages={"invalid": "Use only letters, digits and @ . + - _ in the username"},
    )
    password = forms.CharField(
        label="First password",
        strip=False,
        help_text="At least 12 characters. Give it to the person privately; they can change it later.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["username", "display_name", "email", "password", "roles", "teams"]

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (recorded in the audit log)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name", help_text="What will use it, for example “publishing script”", max_length=100
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter a name for the token"


class PasswordChangeForm(forms.Form):
    current = forms.CharField(
        label="Current password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new = forms.CharField(
        label="New password",
        strip=False,
        help_text="At least 12 characters",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_current(self) -> str:
        current: str = self.cleaned_data["current"]
        if not self.user.check_password(current):
            raise forms.ValidationError("Your current password is not right")
        return current

    def clean_new(self) -> str:
        new: str = self.cleaned_data["new"]
        validate_password(new, self.user)
        return new
