"""Storefront forms: parsing only; the rules live in the commerce services."""

from __future__ import annotations

from typing import Any

from django import forms


class _Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(field.widget, forms.Select):
                css = "form-select"
            field.widget.attrs.setdefault("class", css)


class RegistrationForm(_Styled):
    company_name = forms.CharField(label="Company name", required=False, max_length=255)
    first_name = forms.CharField(label="First name", max_length=255)
    last_name = forms.CharField(label="Last name", max_length=255)
    email = forms.CharField(label="Email", max_length=255, widget=forms.EmailInput)
    password = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label="Password again", widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        return data


class LoginForm(_Styled):
    email = forms.CharField(label="Email", max_length=255, widget=forms.EmailInput(attrs={"autofocus": True}))
    password = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)


class PasswordResetRequestForm(_Styled):
    email = forms.CharField(label="Email", max_length=255, widget=forms.EmailInput)


class SetPasswordForm(_Styled):
    password = forms.CharField(label="New password", widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label="New password again", widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        return data


class PasswordChangeForm(SetPasswordForm):
    current_password = forms.CharField(label="Current password", widget=forms.PasswordInput, strip=False)
    field_order = ["current_password", "password", "password_again"]


class ProfileForm(_Styled):
    name_prefix = forms.CharField(label="Prefix", required=False, max_length=64)
    first_name = forms.CharField(label="First name", max_length=255)
    middle_name = forms.CharField(label="Middle name", required=False, max_length=255)
    last_name = forms.CharField(label="Last name", max_length=255)
    name_suffix = forms.CharField(label="Suffix", required=False, max_length=64)


class InviteForm(_Styled):
    customer = forms.TypedChoiceField(label="Company", coerce=int)
    first_name = forms.CharField(label="First name", max_length=255)
    last_name = forms.CharField(label="Last name", max_length=255)
    email = forms.CharField(label="Email", max_length=255, widget=forms.EmailInput)
    roles = forms.TypedMultipleChoiceField(
        label="Roles", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, customers: list[Any], roles: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].choices = [(c.pk, c.name) for c in customers]  # type: ignore[attr-defined]
        self.fields["roles"].choices = [(r.pk, r.label) for r in roles]  # type: ignore[attr-defined]


class RolesForm(_Styled):
    roles = forms.TypedMultipleChoiceField(
        label="Self-managed roles", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, roles: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [(r.pk, r.label) for r in roles]  # type: ignore[attr-defined]


class NameForm(_Styled):
    name = forms.CharField(label="Name", max_length=255)


class QuantityForm(_Styled):
    quantity = forms.DecimalField(label="Quantity", max_digits=18, decimal_places=4)


class RfqForm(_Styled):
    po_number = forms.CharField(label="PO number", required=False, max_length=255)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))
