"""Forms of the sales console pages. They parse input; the services validate the rules."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms

from accord.crm.models import (
    Account,
    Channel,
    CloseReason,
    Contact,
    CustomerAssociation,
    LeadSource,
    LeadStatus,
    OpportunityStatus,
)
from accord.crm.registries import customer_sources
from accord.platform import acl
from accord.platform.models import User
from accord.platform.money import KNOWN_CURRENCIES

CURRENCY_CHOICES = [("", "—"), *((c, c) for c in sorted(KNOWN_CURRENCIES))]


def _blank(choices: Any) -> list[tuple[str, str]]:
    return [("", "—"), *choices.choices]


def lines(text: str, key: str) -> list[dict[str, Any]]:
    """One item per line; the first is primary."""
    values = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [{key: value, "primary": index == 0} for index, value in enumerate(values)]


class _OwnedForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, help_text="Empty: you (new records) or unchanged."
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["owner"].queryset = User.objects.filter(
            organization_id=user.organization_id, is_active=True
        )
        if "account" in self.fields:
            self.fields["account"].queryset = acl.visible(user, "crm.account", Account.objects.all())
        if "contact" in self.fields:
            self.fields["contact"].queryset = acl.visible(user, "crm.contact", Contact.objects.all())


class BusinessCustomerForm(_OwnedForm):
    name = forms.CharField(max_length=255)
    account = forms.ModelChoiceField(queryset=Account.objects.none())
    channel = forms.ModelChoiceField(queryset=Channel.objects.none(), help_text="A channel of type b2b.")
    contact = forms.ModelChoiceField(queryset=Contact.objects.none(), required=False)
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
    billing_street = forms.CharField(max_length=500, required=False)
    billing_city = forms.CharField(max_length=255, required=False)
    billing_postal_code = forms.CharField(max_length=32, required=False)
    billing_country = forms.CharField(max_length=2, required=False, help_text="ISO code, e.g. DE.")
    shipping_street = forms.CharField(max_length=500, required=False)
    shipping_city = forms.CharField(max_length=255, required=False)
    shipping_postal_code = forms.CharField(max_length=32, required=False)
    shipping_country = forms.CharField(max_length=2, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(
            organization_id=user.organization_id, channel_type="b2b"
        )

    @staticmethod
    def addresses_of(data: dict[str, Any]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for kind in ("billing", "shipping"):
            if any(data.get(f"{kind}_{name}") for name in ("street", "city", "postal_code", "country")):
                rows.append(
                    {
                        "kind": kind,
                        "primary": not rows,
                        **{
                            name: data.get(f"{kind}_{name}") or ""
                            for name in ("street", "city", "postal_code", "country")
                        },
                    }
                )
        return rows


class LeadForm(_OwnedForm):
    name = forms.CharField(max_length=255, label="Lead name")
    name_prefix = forms.CharField(max_length=64, required=False)
    first_name = forms.CharField(max_length=100, required=False)
    middle_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    name_suffix = forms.CharField(max_length=64, required=False)
    company_name = forms.CharField(max_length=255, required=False)
    job_title = forms.CharField(max_length=255, required=False)
    website = forms.CharField(max_length=255, required=False)
    status = forms.ChoiceField(choices=LeadStatus.choices, initial=LeadStatus.NEW)
    source = forms.ChoiceField(choices=_blank(LeadSource), required=False)
    account = forms.ModelChoiceField(queryset=Account.objects.none(), required=False)
    contact = forms.ModelChoiceField(queryset=Contact.objects.none(), required=False)
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
    street = forms.CharField(max_length=500, required=False)
    city = forms.CharField(max_length=255, required=False)
    postal_code = forms.CharField(max_length=32, required=False)
    country = forms.CharField(max_length=2, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    @staticmethod
    def addresses_of(data: dict[str, Any]) -> list[dict[str, Any]]:
        names = ("street", "city", "postal_code", "country")
        if not any(data.get(name) for name in names):
            return []
        return [{"kind": "other", "primary": True, **{name: data.get(name) or "" for name in names}}]


class LeadConvertForm(forms.Form):
    account = forms.ModelChoiceField(
        queryset=Account.objects.none(),
        required=False,
        help_text="Empty: a new account named after the company.",
    )
    account_name = forms.CharField(max_length=255, required=False, label="New account name")
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(), required=False, help_text="Empty: a new contact from the lead."
    )
    create_contact = forms.BooleanField(
        required=False, initial=True, label="Create a contact when none is chosen"
    )
    opportunity_name = forms.CharField(max_length=255, required=False)
    budget_amount = forms.DecimalField(required=False, min_value=0, decimal_places=2, max_digits=18)
    budget_currency = forms.ChoiceField(choices=CURRENCY_CHOICES, required=False)
    allow_duplicates = forms.BooleanField(
        required=False, label="Create it even though a matching record exists"
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = acl.visible(user, "crm.account", Account.objects.all())
        self.fields["contact"].queryset = acl.visible(user, "crm.contact", Contact.objects.all())


CUSTOMERS_OFFERED = 500  # customer records of one account offered in the opportunity form


def customer_choices(user: Any, account: Account | None, current: Any = None) -> list[tuple[str, str]]:
    """ "The account itself" and each customer record of any source linked to the account that the
    user may view, as "<source label>: <name>" (one query per source); the hub row `current` (the
    opportunity's) stays offered even when its record is hidden from the user."""
    choices = [("", "The account itself")]
    if account is None:
        return choices
    rows = CustomerAssociation.objects.filter(account_id=account.pk, source_type__isnull=False)
    by_type: dict[str, dict[int, int]] = defaultdict(dict)
    for pk, source_type, source_id in rows.order_by("pk").values_list("pk", "source_type", "source_id")[
        :CUSTOMERS_OFFERED
    ]:
        by_type[source_type][source_id] = pk
    offered: list[tuple[str, str]] = []
    for source_type, ids in by_type.items():
        if source_type not in customer_sources:
            continue
        source = customer_sources.get(source_type)
        for source_id, record in source.fetch(ids, user).items():
            offered.append((str(ids[source_id]), f"{source.label}: {record.name}"))
    hidden = current is not None and current.source_type and current.account_id == account.pk
    if hidden and str(current.pk) not in {value for value, _ in offered}:
        source = (
            customer_sources.get(current.source_type) if current.source_type in customer_sources else None
        )
        label = source.label if source else current.source_type
        offered.append((str(current.pk), f"{label}: #{current.source_id} (hidden from you)"))
    return choices + sorted(offered, key=lambda choice: (choice[1].lower(), choice[0]))


class OpportunityForm(_OwnedForm):
    name = forms.CharField(max_length=255)
    account = forms.ModelChoiceField(queryset=Account.objects.none(), required=False)
    customer = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        help_text="The account itself, or one of its customer records of any channel.",
    )
    status = forms.ChoiceField(choices=OpportunityStatus.choices, initial=OpportunityStatus.IN_PROGRESS)
    probability = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text="Percent; empty: the status's default.",
    )
    budget_amount = forms.DecimalField(required=False, decimal_places=2, max_digits=18)
    budget_currency = forms.ChoiceField(choices=CURRENCY_CHOICES, required=False)
    close_revenue_amount = forms.DecimalField(required=False, decimal_places=2, max_digits=18)
    close_revenue_currency = forms.ChoiceField(choices=CURRENCY_CHOICES, required=False)
    close_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    close_reason = forms.ChoiceField(choices=_blank(CloseReason), required=False)
    contact = forms.ModelChoiceField(queryset=Contact.objects.none(), required=False)
    customer_need = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    proposed_solution = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(
        self,
        *args: Any,
        user: Any = None,
        current: Any = None,
        choices_url: str = "",
        initial_account: Any = None,
        **kwargs: Any,
    ) -> None:
        """`current`: the opportunity's hub row; `choices_url`: where htmx refreshes the customers;
        `initial_account`: the account a new opportunity starts with."""
        super().__init__(*args, user=user, **kwargs)
        if initial_account and not self.initial.get("account"):
            self.initial["account"] = initial_account
        if choices_url:
            self.fields["account"].widget.attrs.update(
                {"hx-get": choices_url, "hx-target": "#id_customer", "hx-trigger": "change"}
            )
        self.fields["customer"].choices = customer_choices(user, self.chosen_account(), current)

    def chosen_account(self) -> Account | None:
        """The account whose customers are offered: the posted one, else the initial one."""
        raw = self.data.get("account") if self.is_bound else self.initial.get("account")
        raw = getattr(raw, "pk", raw)
        if raw in (None, ""):
            return None
        try:
            return self.fields["account"].queryset.filter(pk=int(raw)).first()
        except (TypeError, ValueError):
            return None


class CloseWonForm(forms.Form):
    close_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    close_revenue_amount = forms.DecimalField(
        required=False, decimal_places=2, max_digits=18, help_text="Empty: the budget."
    )
    close_revenue_currency = forms.ChoiceField(choices=CURRENCY_CHOICES, required=False)


class CloseLostForm(forms.Form):
    close_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    close_reason = forms.ChoiceField(choices=_blank(CloseReason), required=False)


class ForecastForm(forms.Form):
    date_from = forms.DateField(
        required=False, label="Close date from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(required=False, label="to", widget=forms.DateInput(attrs={"type": "date"}))
    owner = forms.ModelMultipleChoiceField(queryset=User.objects.none(), required=False)
    compare_to = forms.DateField(
        required=False, label="Compare to", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            organization_id=user.organization_id, is_active=True
        )
