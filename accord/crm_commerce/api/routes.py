"""The bridge's API: the account strategy (with preview), a customer's account, an account's customers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Query, Router, Status

from accord.crm_commerce.api.opportunity_quotes import opportunity_quotes
from accord.crm_commerce.api.schemas import (
    AccountCustomerOut,
    CustomerAccountIn,
    CustomerAccountOut,
    PreviewOut,
    StrategyIn,
    StrategyOut,
    StrategySwitchOut,
)
from accord.platform import acl
from accord.platform.api.lists import ERRORS, ListParams, page_of, paginate

strategy_router = Router(tags=["settings"])
customer_account = Router(tags=["customers"])
account_customers = Router(tags=["accounts"])


@strategy_router.get("", response={200: StrategyOut, **ERRORS}, operation_id="account_strategy_get")
def strategy_get(request: HttpRequest) -> Any:
    from accord.crm_commerce.services._common import STRATEGIES, current_strategy

    acl.require(request.auth, "platform.setting", "view")
    return {"strategy": current_strategy(), "choices": [key for key, _ in STRATEGIES]}


@strategy_router.get(
    "/preview", response={200: PreviewOut, **ERRORS}, operation_id="account_strategy_preview"
)
def strategy_preview(request: HttpRequest, strategy: str) -> Any:
    """What switching to `strategy` would do: accounts created, customers moved and where."""
    from accord.crm_commerce.services.strategy import account_strategy_preview, check_strategy

    acl.require(request.auth, "platform.setting", "view")
    return account_strategy_preview(strategy=check_strategy(strategy, field="query.strategy"))


@strategy_router.put(
    "",
    response={200: StrategySwitchOut, 202: StrategySwitchOut, **ERRORS},
    operation_id="account_strategy_set",
)
def strategy_set(request: HttpRequest, payload: StrategyIn) -> Any:
    """Switch the strategy; answers 202 with the re-linking job (200 and no job when unchanged)."""
    from accord.crm_commerce.services.strategy import account_strategy_switch

    acl.require(request.auth, "platform.setting", "edit")
    job = account_strategy_switch(strategy=payload.strategy, actor=request.auth)
    return Status(202 if job else 200, {"strategy": payload.strategy, "job": job})


def _customer_account(customer_id: int) -> dict[str, Any]:
    from accord.crm_commerce.services._common import hub_rows

    row = hub_rows().filter(source_id=customer_id).values_list("pk", "account_id", "account__name").first()
    hub_id, account_id, name = row if row else (None, None, None)
    return {
        "customer_id": customer_id,
        "account_id": account_id,
        "account_name": name,
        "customer_association_id": hub_id,
    }


@customer_account.get(
    "/{int:pk}/account", response={200: CustomerAccountOut, **ERRORS}, operation_id="customers_account_get"
)
def customers_account_get(request: HttpRequest, pk: int) -> Any:
    """oro-spec #80: the customer's account (`account_id` null when it has none)."""
    acl.get_visible_or_404(request.auth, "commerce.customer", pk)
    return _customer_account(pk)


@customer_account.put(
    "/{int:pk}/account", response={200: CustomerAccountOut, **ERRORS}, operation_id="customers_account_set"
)
def customers_account_set(request: HttpRequest, pk: int, payload: CustomerAccountIn) -> Any:
    """oro-spec #24: link the customer to another account (edit on the customer, view on the account)."""
    from accord.crm.models import Account
    from accord.crm_commerce.services.linking import customer_account_set

    customer = acl.get_for_action(request.auth, "commerce.customer", "edit", pk)
    account = acl.visible(request.auth, "crm.account", Account.objects.filter(pk=payload.account_id)).first()
    customer_account_set(customer=customer, account=account, actor=request.auth)
    return _customer_account(pk)


@account_customers.get(
    "/{int:pk}/customers",
    response={200: page_of(AccountCustomerOut), **ERRORS},
    operation_id="accounts_customers_list",
)
def accounts_customers(request: HttpRequest, pk: int, params: Query[ListParams]) -> Any:
    """oro-spec §3: the commerce customers of an account that the user may view."""
    from django.db.models import OuterRef, Subquery

    from accord.commerce.models import Customer
    from accord.crm.models import Account
    from accord.crm_commerce.services._common import hub_rows

    acl.get_visible_or_404(request.auth, "crm.account", pk, Account.objects.all())
    links = hub_rows().filter(account_id=pk)
    qs = acl.visible(
        request.auth, "commerce.customer", Customer.objects.filter(pk__in=links.values("source_id"))
    )
    qs = qs.annotate(channel_id=Subquery(links.filter(source_id=OuterRef("pk")).values("channel_id")[:1]))
    return paginate(qs, params, sorts=("id", "name", "created_at"), default_sort="name")


def register(api: NinjaAPI) -> None:
    api.add_router("/settings/account-strategy", strategy_router)
    api.add_router("/customers", customer_account)
    api.add_router("/accounts", account_customers)
    api.add_router("/opportunities", opportunity_quotes)
