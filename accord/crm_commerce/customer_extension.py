"""A commerce customer's CRM account on commerce's own customer faces (decision 0058): the "Account"
field of the customer form, the "Account" panel of its view page, `account_id` in its API.

Optional on create (empty: the account strategy decides, oro-spec #21-#23), required on edit (#22,
#24), shown on the view (#80). Writes go through `linking`, so lifetime values and search follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from pydantic import Field

from accord.commerce.models import Customer
from accord.commerce.registries import CustomerExtension, customer_extensions
from accord.crm.models import Account, CustomerAssociation
from accord.crm_commerce.services import linking
from accord.crm_commerce.services._common import hub_rows, links_of
from accord.platform import acl
from accord.platform.errors import ValidationFailed
from accord.platform.statements import Statement

KEY = "crm_commerce.account"
ACCOUNT = "crm.account"
ACCOUNTS_OFFERED = 200  # choices listed in the form; any visible account is accepted
NOT_VISIBLE = "(an account you may not view)"


def _accounts(user: Any) -> QuerySet[Account]:
    """The accounts the user may pick: visible ones of the user's organization."""
    return acl.visible(user, ACCOUNT, Account.objects.filter(organization_id=user.organization_id))


class AccountSelect(forms.Select):
    """A post that does not send the field keeps the current account, as an API PATCH does; the
    form's select always sends it, so an emptied one still gets "An account is required"."""

    def __init__(self, current: int | None) -> None:
        super().__init__()
        self.current = current

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return super().value_from_datadict(data, files, name) if name in data else self.current


def form_fields(*, user: Any, customer: Customer | None) -> dict[str, forms.Field]:
    """Users who may not view accounts get no field: the account stays, or the strategy decides."""
    if not acl.can(user, ACCOUNT, "view"):
        return {}
    current = links_of([customer.pk]).get(customer.pk) if customer is not None else None
    accounts = _accounts(user)
    # The current account stays acceptable even when the user may not view it (editing other fields).
    queryset = accounts | Account.objects.filter(pk=current) if current else accounts
    field = forms.ModelChoiceField(
        queryset=queryset,
        required=customer is not None,
        widget=AccountSelect(current),
        label="Account",
        initial=current,
        help_text=(
            "Empty: the account strategy creates or picks one."
            if customer is None
            else "The CRM account this customer belongs to; another one moves it there."
        ),
        error_messages={
            "required": "An account is required.",
            "invalid_choice": "Choose an account that exists and that you may view.",
        },
    )
    offered = accounts.order_by("name", "pk").values_list("pk", "name")[:ACCOUNTS_OFFERED]
    choices: list[tuple[Any, str]] = list(offered)
    if current and current not in {pk for pk, _ in choices}:
        name = accounts.filter(pk=current).values_list("name", flat=True).first()
        choices.append((current, name or NOT_VISIBLE))
    field.widget.choices = [("", "—"), *choices]  # type: ignore[attr-defined]
    return {"account": field}


def creating(*, values: Mapping[str, Any], actor: Any) -> AbstractContextManager[None]:
    """A chosen account wins over the strategy (oro-spec #21); none: the strategy decides."""
    return linking.account_given(values.get("account"))


def save(*, customer: Customer, values: Mapping[str, Any], actor: Any, created: bool) -> None:
    """Move the customer to the chosen account (edit: one is required, oro-spec #22)."""
    if "account" not in values:
        return
    account = values["account"]
    if created and account is None:
        return  # linked by the strategy
    if not created and account is not None and links_of([customer.pk]).get(customer.pk) == account.pk:
        return
    linking.customer_account_set(customer=customer, account=account, actor=actor)


def api_parse(*, values: Mapping[str, Any], user: Any, customer: Customer | None) -> dict[str, Any]:
    """`account_id` → the account; 422 on `account_id` when it is not one the caller may use."""
    if customer is not None and not acl.can(user, "commerce.customer", "edit", customer):
        raise ValidationFailed({"account_id": "You may not change this customer's account."})
    account_id = values.get("account_id")
    if account_id is None:
        if customer is None:
            return {"account": None}  # oro-spec #23: created without one, the strategy decides
        raise ValidationFailed({"account_id": "An account is required."})
    account = _accounts(user).filter(pk=account_id).first()
    if account is None:
        raise ValidationFailed({"account_id": f"Account {account_id} does not exist or you may not view it."})
    return {"account": account}


def _hub_accounts(ids: list[int]) -> QuerySet[Any]:
    ownership = acl.ownership_columns(ACCOUNT, "account__")
    return (
        hub_rows()
        .filter(source_id__in=ids)
        .values_list("source_id", "account_id", "account__name", *ownership)
    )


HUB_ACCOUNTS = Statement(CustomerAssociation, _hub_accounts)


def output(*, customers: list[Customer], user: Any) -> dict[int, dict[str, Any]]:
    """`account_id` and (when the caller may view it) `account_name` of a page of customers: one query
    for the page, the ACL tested on each joined account row (no subquery per customer)."""
    found = {}
    may_view = acl.row_checker(user, ACCOUNT, "view")
    for source_id, account_id, name, *owned in HUB_ACCOUNTS.rows(ids=[c.pk for c in customers]):
        seen = may_view(*owned)
        found[source_id] = {"account_id": account_id, "account_name": name if seen else None}
    return found


def panel(*, customer: Customer, request: Any) -> str:
    """oro-spec #80: the account (or "No account" and the one-click link, #39) on the customer view."""
    user = request.user
    if not acl.can(user, ACCOUNT, "view"):
        return ""
    account_id = links_of([customer.pk]).get(customer.pk)
    account = _accounts(user).filter(pk=account_id).first() if account_id else None
    context = {
        "customer": customer,
        "linked": account_id is not None,
        "account": account,
        "account_url": _url("console:accounts_view", account.pk) if account else None,
        "link_url": _url("console:crm_commerce_customer_account", customer.pk),
        "can_edit": acl.can(user, "commerce.customer", "edit", customer),
        "not_visible": NOT_VISIBLE,
    }
    return render_to_string("crm_commerce/customer_account_panel.html", context, request=request)


def _url(name: str, pk: Any) -> str | None:
    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        return None


EXTENSION = CustomerExtension(
    key=KEY,
    label="Account",
    order=10,
    form_fields=form_fields,
    panel=panel,
    api_input={
        "account_id": (
            int | None,
            Field(
                None,
                description="The CRM account. Create: empty lets the account strategy decide. "
                "Update: required when sent; moves the customer to that account.",
            ),
        )
    },
    api_output={
        "account_id": (int | None, Field(None, description="The customer's CRM account; null: none.")),
        "account_name": (str | None, Field(None, description="Its name; null when you may not view it.")),
    },
    api_parse=api_parse,
    output=output,
    creating=creating,
    save=save,
    import_columns={"Account Id": "account_id"},  # customer CSV import (oro-spec #25)
)


def register_customer_extension() -> None:
    customer_extensions.register(KEY, EXTENSION)
