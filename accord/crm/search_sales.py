"""Search documents of business customers, leads and opportunities (oro-spec §2.12)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from accord.crm.models import BusinessCustomer, BusinessCustomerEmail, Lead, LeadEmail, LeadPhone, Opportunity

CHUNK = 1000
_OWNED = ("owner_id", "business_unit_id", "organization_id")


def _chunks(
    qs: QuerySet[Any], ids: list[int] | None, fields: tuple[str, ...]
) -> Iterator[list[tuple[Any, ...]]]:
    """Rows in chunks, so that each chunk's child rows are read in one query."""
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    chunk: list[tuple[Any, ...]] = []
    for row in qs.order_by("pk").values_list(*fields).iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _children(model: Any, parent: str, value: str, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for pk, text in model.objects.filter(**{f"{parent}_id__in": ids}).values_list(f"{parent}_id", value):
        found[pk].append(text)
    return found


def business_customer_documents(ids: list[int] | None) -> Iterator[tuple[Any, ...]]:
    fields = ("id", "name", "account__name", "contact__primary_email", *_OWNED)
    for chunk in _chunks(BusinessCustomer.objects.all(), ids, fields):
        emails = _children(BusinessCustomerEmail, "business_customer", "email", [r[0] for r in chunk])
        for pk, name, account, contact_email, *owned in chunk:
            text = " ".join(p for p in (account, contact_email, *emails.get(pk, [])) if p)
            yield (pk, name, text, *owned)


def lead_documents(ids: list[int] | None) -> Iterator[tuple[Any, ...]]:
    fields = ("id", "name", "first_name", "last_name", "company_name", "job_title", *_OWNED)
    for chunk in _chunks(Lead.objects.all(), ids, fields):
        chunk_ids = [r[0] for r in chunk]
        emails = _children(LeadEmail, "lead", "email", chunk_ids)
        phones = _children(LeadPhone, "lead", "phone", chunk_ids)
        for pk, name, first, last, company, title, *owned in chunk:
            parts = (first, last, company, title, *emails.get(pk, []), *phones.get(pk, []))
            yield (pk, name, " ".join(p for p in parts if p), *owned)


def opportunity_documents(ids: list[int] | None) -> Iterator[tuple[Any, ...]]:
    fields = (
        "id",
        "name",
        "customer_association__account__name",
        "contact__first_name",
        "contact__last_name",
        *_OWNED,
    )
    for chunk in _chunks(Opportunity.objects.all(), ids, fields):
        for pk, name, account, first, last, *owned in chunk:
            yield (pk, name, " ".join(p for p in (account, first, last) if p), *owned)
