"""Orders placed through POST /api/v1/orders/batch move the lifetime values at once (one batch event)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from accord.crm_commerce.services.recalculate import lifetime_recalculate
from accord.crm_commerce.tests.conftest import account_of, account_value, value_of
from accord.platform.models import User


def test_a_batch_adds_its_paid_amounts_to_the_accounts(
    api_as: Callable[..., Any],
    admin: User,
    customer_in_use: Callable[..., Any],
    make_product: Callable[..., Any],
) -> None:
    acme, acme_user = customer_in_use("Acme")
    globex, globex_user = customer_in_use("Globex")
    product = make_product("40.00")
    api = api_as(admin)

    def order(customer: Any, user: Any, paid: str | None) -> dict[str, Any]:
        row: dict[str, Any] = {
            "customer_id": customer.pk,
            "customer_user_id": user.pk,
            "currency": "USD",
            "lines": [{"product_id": product.pk, "quantity": 1}],
        }
        if paid:
            row["paid"] = {"amount": paid, "currency": "USD"}
        return row

    first = api.post(
        "orders/batch",
        {
            "orders": [
                order(acme, acme_user, "40.00"),
                order(acme, acme_user, "15.00"),
                order(globex, globex_user, None),
            ]
        },
    )
    assert first.status_code == 201, first.json()
    assert (value_of(acme), value_of(globex)) == (Decimal("55.00"), Decimal("0.00"))
    assert account_value(account_of(acme)) == Decimal("55.00")

    second = api.post(
        "orders/batch", {"orders": [order(acme, acme_user, "5.00"), order(globex, globex_user, "40.00")]}
    )
    assert second.status_code == 201, second.json()
    assert (value_of(acme), value_of(globex)) == (Decimal("60.00"), Decimal("40.00"))
    assert account_value(account_of(acme)) == Decimal("60.00")
    assert account_value(account_of(globex)) == Decimal("40.00")

    refused = api.post(
        "orders/batch", {"orders": [order(acme, acme_user, "40.00"), order(globex, globex_user, "40.01")]}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "orders.1.paid"
    assert account_value(account_of(acme)) == Decimal("60.00")
    assert lifetime_recalculate(fix=False).clean
