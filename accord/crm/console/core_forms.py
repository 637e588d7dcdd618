"""Forms of the accounts, contacts, contact groups and channels pages. They parse input; the
services validate the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.crm.models import (
    Account,
    ChannelStatus,
    Contact,
    ContactGroup,
    ContactMethod,
    ContactSource,
    Gender,
)
from accord.crm.registries import channel_types
from accord.platform import acl
from accord.platform.models import User


def _blank(choices: Any) -> list[tuple[str, str]]:
    return [("", "—"), *choices.choices]


class _OwnedForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, help_text="Empty: you (new records) or unchanged."
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            organization_id=user.organization_id, is_active=True
        )


class AccountForm(_OwnedForm):
    name = forms.CharField(max_length=255)
    default_contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.NumberInput,
        label="Default contact (id)",
        help_text="Joins the account's contacts.",
    )
    contacts = forms.CharField(
        required=False, label="Contacts (ids)", help_text="Contact ids separated by commas or spaces."
    )
    referred_by = forms.ModelChoiceField(
        queryset=Account.objects.none(),
        required=False,
        widget=forms.NumberInput,
        label="Referred by (account id)",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    external_id = forms.CharField(max_length=255, required=False, label="External id")
    field_order = ["name", "owner", "default_contact", "contacts", "referred_by", "description"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.user = user
        self.fields["default_contact"].queryset = acl.visible(user, "crm.contact")
        self.fields["referred_by"].queryset = acl.visible(user, "crm.account")

    def clean_contacts(self) -> list[Contact]:
        raw = self.cleaned_data.get("contacts") or ""
        try:
            wanted = {int(part) for part in raw.replace(",", " ").split()}
        except ValueError:
            raise forms.ValidationError("Contact ids are numbers.") from None
        found = list(acl.visible(self.user, "crm.contact", Contact.objects.filter(pk__in=wanted)))
        missing = sorted(wanted - {c.pk for c in found})
        if missing:
            raise forms.ValidationError(f"Unknown contact(s): {', '.join(map(str, missing))}.")
        return found


def _lines(raw: str) -> list[str]:
    return [line.strip() for line in (raw or "").splitlines() if line.strip()]


class ContactForm(_OwnedForm):
    name_prefix = forms.CharField(max_length=255, required=False, label="Prefix")
    first_name = forms.CharField(max_length=100, required=False)
    middle_name = forms.CharField(max_length=255, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    name_suffix = forms.CharField(max_length=255, required=False, label="Suffix")
    emails = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="One per line; the first is primary.",
    )
    phones = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="One per line; the first is primary.",
    )
    gender = forms.ChoiceField(choices=_blank(Gender), required=False)
    birthday = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    job_title = forms.CharField(max_length=255, required=False)
    source = forms.ChoiceField(choices=_blank(ContactSource), required=False)
    method = forms.ChoiceField(choices=_blank(ContactMethod), required=False)
    assigned_to = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    reports_to = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.NumberInput,
        label="Reports to (contact id)",
    )
    groups = forms.ModelMultipleChoiceField(queryset=ContactGroup.objects.none(), required=False)
    street = forms.CharField(max_length=500, required=False, label="Primary address: street")
    city = forms.CharField(max_length=255, required=False)
    postal_code = forms.CharField(max_length=32, required=False)
    region = forms.CharField(max_length=255, required=False)
    country = forms.CharField(max_length=2, required=False, help_text="Two-letter ISO code.")
    address_types = forms.MultipleChoiceField(
        choices=[("billing", "Billing"), ("shipping", "Shipping")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Primary address types",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    skype = forms.CharField(max_length=255, required=False)
    twitter = forms.CharField(max_length=255, required=False)
    facebook = forms.CharField(max_length=255, required=False)
    linkedin = forms.CharField(max_length=255, required=False, label="LinkedIn")
    google_plus = forms.CharField(max_length=255, required=False, label="Google+")
    fax = forms.CharField(max_length=255, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["assigned_to"].queryset = self.fields["owner"].queryset
        self.fields["reports_to"].queryset = acl.visible(user, "crm.contact")
        self.fields["groups"].queryset = acl.visible(user, "crm.contact_group").order_by("label")

    def clean_emails(self) -> list[dict[str, Any]]:
        return [
            {"email": e, "primary": i == 0} for i, e in enumerate(_lines(self.cleaned_data.get("emails", "")))
        ]

    def clean_phones(self) -> list[dict[str, Any]]:
        return [
            {"phone": p, "primary": i == 0} for i, p in enumerate(_lines(self.cleaned_data.get("phones", "")))
        ]


class ContactGroupForm(_OwnedForm):
    label = forms.CharField(max_length=255)


def _type_choices(*, creatable_only: bool) -> list[tuple[str, str]]:
    return [(t.key, t.label) for t in channel_types if not (creatable_only and t.system)]


class ChannelForm(forms.Form):
    name = forms.CharField(max_length=250)
    channel_type = forms.ChoiceField(choices=(), label="Type")
    status = forms.ChoiceField(choices=ChannelStatus.choices, initial=ChannelStatus.ACTIVE)
    customer_identity = forms.CharField(
        max_length=100,
        required=False,
        help_text="An entity key; empty: the type's (e.g. crm.business_customer).",
    )
    entities = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Entity keys, one per line; empty: the type's.",
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel_type"].choices = _type_choices(creatable_only=not editing)
        if editing:
            self.fields["channel_type"].disabled = True
            self.fields["channel_type"].required = False

    def clean_entities(self) -> list[str] | None:
        return _lines(self.cleaned_data.get("entities", "")) or None
