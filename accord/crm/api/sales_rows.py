"""The rows of a page of leads or business customers as `LeadOut` / `BusinessCustomerOut` write them:
columns, then one query per collection of emails, phones and addresses (decision 0087)."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from accord.crm.api.sales_refs import hub_row_ids
from accord.crm.api.sales_schemas import AddressOut, BusinessCustomerOut, LeadOut
from accord.crm.models import BusinessCustomer, Lead
from accord.platform.api.child_rows import child_rows
from accord.platform.money import Money, base_currency

# {relation: {output key: column}}: `primary` is the rows' `is_primary`.
POINTS = {
    "emails": {"email": "email", "primary": "is_primary"},
    "phones": {"phone": "phone", "primary": "is_primary"},
    "addresses": {name: "is_primary" if name == "primary" else name for name in AddressOut.model_fields},
}
LEAD_COLUMNS = tuple(name for name in LeadOut.model_fields if name not in POINTS and name != "account_id")
LEAD_ACCOUNT = {"account_id": F("customer_association__account_id")}
BUSINESS_CUSTOMER_COLUMNS = tuple(
    name
    for name in BusinessCustomerOut.model_fields
    if name not in POINTS and name not in ("lifetime", "customer_association_id")
) + ("lifetime",)


def _points(owner: type[Lead] | type[BusinessCustomer], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [row["id"] for row in rows]
    found = {relation: child_rows(owner, relation, ids, keys) for relation, keys in POINTS.items()}
    for row in rows:
        for relation, by_owner in found.items():
            row[relation] = by_owner.get(row["id"], [])
    return rows


def lead_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` (the page's `LEAD_COLUMNS` and `LEAD_ACCOUNT`) with their emails, phones and addresses."""
    return _points(Lead, rows)


def business_customer_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` (the page's `BUSINESS_CUSTOMER_COLUMNS`) with their contact points, the lifetime as money
    in the base currency and the id of their hub row."""
    hub = hub_row_ids([row["id"] for row in rows])
    currency = base_currency()
    for row in rows:
        row["lifetime"] = Money(row["lifetime"], currency).as_json()
        row["customer_association_id"] = hub.get(row["id"])
    return _points(BusinessCustomer, rows)
