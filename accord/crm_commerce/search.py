"""Accounts are found by their commerce customers' names too (oro-spec §2.12 extended)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

Documents = Callable[[list[int] | None], Iterator[tuple[Any, ...]]]


def with_customer_names(documents: Documents) -> Documents:
    """Wrap CRM's account documents: each batch's text gains the names of the linked customers."""

    def account_documents(ids: list[int] | None) -> Iterator[tuple[Any, ...]]:
        batch: list[tuple[Any, ...]] = []
        for row in documents(ids):
            batch.append(row)
            if len(batch) >= 500:
                yield from _extend(batch)
                batch = []
        yield from _extend(batch)

    return account_documents


def _extend(rows: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    from accord.commerce.models import Customer
    from accord.crm_commerce.services._common import hub_rows

    if not rows:
        return
    links = hub_rows().filter(account_id__in=[row[0] for row in rows]).values_list("account_id", "source_id")
    by_account: dict[int, list[int]] = defaultdict(list)
    for account_id, customer_id in links:
        by_account[account_id].append(customer_id)
    names = dict(
        Customer.objects.filter(pk__in=[c for ids in by_account.values() for c in ids]).values_list(
            "pk", "name"
        )
    )
    for pk, title, text, *owned in rows:
        extra = " ".join(
            names[c]
            for c in sorted(by_account.get(pk, []))
            if c in names and not said_by_title(title, names[c])
        )
        yield (pk, title, f"{text} {extra}".strip(), *owned)


def said_by_title(title: str | None, name: str) -> bool:
    """Whether an account's title already says a customer's name: then the name adds nothing to find,
    and leaving it out keeps the account's document the same when its namesake customer comes or goes
    (a strategy switch)."""
    return " ".join(name.split()).casefold() == " ".join(str(title or "").split()).casefold()
