"""Forms of the commerce console pages. They parse input; the services validate the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.commerce import storefront_acl
from accord.commerce.models import (
    Customer,
    CustomerGroup,
    CustomerUserRole,
    InternalRating,
    PaymentTerm,
    ProductStatus,
    StorefrontLevel,
)
from accord.commerce.registries import FORM_VALUES, form_fields_add
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


class CustomerForm(_OwnedForm):
    name = forms.CharField(max_length=255)
    parent = forms.ModelChoiceField(
        queryset=Customer.objects.none(),
        required=False,
        widget=forms.NumberInput,
        label="Parent customer (id)",
        help_text="Empty for a root customer.",
    )
    group = forms.ModelChoiceField(queryset=CustomerGroup.objects.none(), required=False)
    sales_representatives = forms.ModelMultipleChoiceField(queryset=User.objects.none(), required=False)
    internal_rating = forms.ChoiceField(choices=_blank(InternalRating), required=False)
    payment_term = forms.ChoiceField(
        choices=_blank(PaymentTerm), required=False, help_text="Empty: the group's payment term."
    )
    tax_code = forms.CharField(max_length=64, required=False)
    external_id = forms.CharField(max_length=255, required=False, label="External id")
    field_order = ["name", "parent", "group", "owner", "sales_representatives"]

    def __init__(self, *args: Any, user: Any = None, customer: Customer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["parent"].queryset = acl.visible(user, "commerce.customer")
        self.fields["group"].queryset = acl.visible(user, "commerce.customer_group")
        self.fields["sales_representatives"].queryset = User.objects.filter(
            organization_id=user.organization_id, is_active=True
        )
        # Fields other modules add (accord.commerce.registries), after the customer's own.
        self.extension_fields = form_fields_add(self, user=user, customer=customer)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned[FORM_VALUES] = {
            key: {name: cleaned.get(name) for name in names} for key, names in self.extension_fields.items()
        }
        return cleaned


class CustomerGroupForm(_OwnedForm):
    name = forms.CharField(max_length=255)
    payment_term = forms.ChoiceField(choices=_blank(PaymentTerm), required=False)
    tax_code = forms.CharField(max_length=64, required=False)
    field_order = ["name", "payment_term", "tax_code", "owner"]


class CustomerUserForm(_OwnedForm):
    email = forms.CharField(max_length=255)
    name_prefix = forms.CharField(max_length=64, required=False)
    first_name = forms.CharField(max_length=255)
    middle_name = forms.CharField(max_length=255, required=False)
    last_name = forms.CharField(max_length=255)
    name_suffix = forms.CharField(max_length=64, required=False)
    birthday = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(), widget=forms.NumberInput, label="Customer (id)"
    )
    roles = forms.ModelMultipleChoiceField(queryset=CustomerUserRole.objects.none(), required=False)
    enabled = forms.BooleanField(required=False, initial=True)
    confirmed = forms.BooleanField(required=False, initial=True)
    is_guest = forms.BooleanField(required=False, label="Guest")
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="Empty: unchanged (a new user without one cannot log in until it sets one).",
    )
    field_order = ["email", "name_prefix", "first_name", "middle_name", "last_name", "name_suffix"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        from accord.commerce.selectors.customers import roles_in_organization

        super().__init__(*args, user=user, **kwargs)
        self.fields["customer"].queryset = acl.visible(user, "commerce.customer")
        self.fields["roles"].queryset = roles_in_organization(user.organization_id).select_related("customer")


def grant_field_name(entity: str, action: str) -> str:
    return f"grant__{entity}__{action}"


class CustomerUserRoleForm(forms.Form):
    label = forms.CharField(max_length=255)
    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(),
        required=False,
        widget=forms.NumberInput,
        label="Customer (id)",
        help_text="Empty: a role shared by every customer. Cannot be changed later.",
    )
    self_managed = forms.BooleanField(required=False, help_text="The customer's administrators manage it.")
    public = forms.BooleanField(required=False, initial=True, help_text="Visible to customers.")

    def __init__(self, *args: Any, user: Any = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = acl.visible(user, "commerce.customer")
        if editing:
            self.fields["customer"].disabled = True
        for definition in storefront_acl.ENTITIES.values():
            choices = [(str(int(lvl)), lvl.label) for lvl in definition.levels]
            for action in storefront_acl.ACTIONS:
                self.fields[grant_field_name(definition.key, action)] = forms.TypedChoiceField(
                    choices=choices,
                    coerce=int,
                    required=False,
                    empty_value=int(StorefrontLevel.NONE),
                    initial=str(int(StorefrontLevel.NONE)),
                    label=f"{definition.label}: {action}",
                )

    def grants(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for key in storefront_acl.ENTITIES:
            for action in storefront_acl.ACTIONS:
                result.setdefault(key, {})[action] = int(self.cleaned_data[grant_field_name(key, action)])
        return result


class ProductForm(forms.Form):
    sku = forms.CharField(max_length=64, label="SKU")
    name = forms.CharField(max_length=255)
    unit_price = forms.DecimalField(max_digits=18, decimal_places=4, min_value=0)
    currency = forms.CharField(max_length=3, help_text="ISO 4217 code, e.g. USD.")
    status = forms.ChoiceField(choices=ProductStatus.choices, initial=ProductStatus.ENABLED)
