"""Forms of the platform's console pages. They parse input; services validate the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from accord.platform.models import AccessLevel, BusinessUnit, Role
from accord.platform.models.activities import ActivityKind, CallDirection
from accord.platform.registries import SettingDef, SettingType


class ConsoleLoginForm(AuthenticationForm):
    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)


class UserForm(forms.Form):
    username = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    title = forms.CharField(max_length=100, required=False)
    phone = forms.CharField(max_length=50, required=False)
    business_unit = forms.ModelChoiceField(queryset=BusinessUnit.objects.none())
    roles = forms.ModelMultipleChoiceField(queryset=Role.objects.all(), required=False)
    is_active = forms.BooleanField(required=False, initial=True, label="Enabled")
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="At least 10 characters. Leave empty to keep the current password.",
    )

    def __init__(
        self, *args: Any, organization_id: int | None = None, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["business_unit"].queryset = BusinessUnit.objects.filter(organization_id=organization_id)
        if editing:
            self.fields["username"].disabled = True
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = "At least 10 characters."


class BusinessUnitForm(forms.Form):
    name = forms.CharField(max_length=255)
    parent = forms.ModelChoiceField(queryset=BusinessUnit.objects.none(), required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=50, required=False)

    def __init__(self, *args: Any, organization_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = BusinessUnit.objects.filter(organization_id=organization_id)


class RoleForm(forms.Form):
    label = forms.CharField(max_length=255)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(
        self, *args: Any, matrix: list[tuple[str, str, tuple[str, ...]]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.matrix = matrix
        for entity, _label, actions in matrix:
            for action in actions:
                self.fields[f"grant__{entity}__{action}"] = forms.TypedChoiceField(
                    choices=AccessLevel.choices, coerce=int, initial=0, required=False, label=action
                )

    def grants(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("grant__"):
                _, entity, action = name.split("__")
                result.setdefault(entity, {})[action] = int(value or 0)
        return result


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(widget=forms.PasswordInput, label="Current password")
    new_password = forms.CharField(widget=forms.PasswordInput, label="New password")
    new_password_again = forms.CharField(widget=forms.PasswordInput, label="New password again")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", "The two passwords differ.")
        return data


class ProfileForm(forms.Form):
    email = forms.EmailField(required=False)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    title = forms.CharField(max_length=100, required=False)
    phone = forms.CharField(max_length=50, required=False)


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="Token name", help_text="What the token is for.")


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(choices=ActivityKind.choices)
    subject = forms.CharField(max_length=255)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    due_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label="Due (tasks)"
    )
    direction = forms.ChoiceField(
        choices=[("", "—"), *CallDirection.choices], required=False, label="Direction (calls)"
    )
    duration_minutes = forms.IntegerField(min_value=0, required=False, label="Minutes (calls)")


def setting_field(definition: SettingDef) -> forms.Field:
    common = {"label": definition.label, "help_text": definition.help, "required": False}
    if definition.type == SettingType.BOOLEAN:
        return forms.BooleanField(**common)
    if definition.type == SettingType.INTEGER:
        return forms.IntegerField(**common)
    if definition.type == SettingType.DECIMAL:
        return forms.DecimalField(**common)
    if definition.type == SettingType.CHOICE:
        return forms.ChoiceField(choices=definition.choices, **common)
    return forms.CharField(max_length=1000, **common)
