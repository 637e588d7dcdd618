"""Customer CSV import with the bridge installed (oro-spec #25): the "Account Id" column comes from the
customer extension (decision 0058); without it the account strategy links the customer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accord.commerce.models import Customer
from accord.crm.models import Account
from accord.crm_commerce.tests.conftest import account_of
from accord.platform.imports import import_start, importers
from accord.platform.jobs import job_run
from accord.platform.models import AccessLevel, JobStatus, User

pytestmark = pytest.mark.django_db
ORG = AccessLevel.ORGANIZATION
HEADER = "Name,Parent External Id,External Id,Account Id\n"


def _run(content: str, actor: User) -> Any:
    job = import_start(importer_key="commerce.customers", content=content.encode(), actor=actor, queue=False)
    return job_run(job_id=job.pk)


def test_the_bridge_adds_the_account_id_column() -> None:
    assert importers.get("commerce.customers").header()[-1] == "Account Id"


def test_a_row_with_an_account_id_is_linked_to_it_and_the_strategy_is_not_used(
    admin: User, make_account: Callable[..., Account], set_strategy: Callable[[str], None]
) -> None:
    set_strategy("root")
    chosen = make_account("Chosen")
    accounts_before = Account.objects.count()

    job = _run(HEADER + f"Top,,TOP,\nChild,TOP,,{chosen.pk}\nSibling,TOP,,\n", admin)

    assert job.result == {"imported": 3, "failed": 0, "file": "upload.csv"}
    top, child, sibling = (Customer.objects.get(name=n) for n in ("Top", "Child", "Sibling"))
    assert account_of(child) == chosen.pk
    assert account_of(top) == account_of(sibling) != chosen.pk  # root strategy: the root's account
    assert Account.objects.count() == accounts_before + 1  # only Top's, by the strategy


def test_a_row_without_an_account_id_gets_one_per_strategy(
    admin: User, set_strategy: Callable[[str], None]
) -> None:
    set_strategy("each")
    accounts_before = Account.objects.count()

    job = _run(HEADER + "Top,,TOP,\nChild,TOP,,\n", admin)

    assert job.status == JobStatus.SUCCEEDED
    top, child = Customer.objects.get(name="Top"), Customer.objects.get(name="Child")
    assert None not in (account_of(top), account_of(child))
    assert account_of(top) != account_of(child)
    assert Account.objects.count() == accounts_before + 2
    assert Account.objects.get(pk=account_of(child)).name == "Child"


def test_an_unknown_or_invisible_account_id_is_a_row_error_and_nothing_is_written(
    admin: User,
    make_user: Callable[..., User],
    make_account: Callable[..., Account],
    set_strategy: Callable[[str], None],
) -> None:
    set_strategy("each")
    importer = make_user(
        "importer",
        grants={
            "commerce.customer": {"view": ORG, "create": ORG},
            "crm.account": {"view": AccessLevel.USER},
        },
    )
    hidden = make_account("Hidden")  # owned by admin: not visible to the importer
    mine = make_account("Mine", owner=importer)
    accounts_before = Account.objects.count()
    rows = f"Ghost,,,999999\nSecret,,,{hidden.pk}\nWord,,,abc\nFine,,,{mine.pk}\n"

    job = _run(HEADER + rows, importer)

    assert job.result == {"imported": 1, "failed": 3, "file": "upload.csv"}
    assert sorted((int(e.row), e.field) for e in job.errors.all()) == [
        (2, "Account Id"),
        (3, "Account Id"),
        (4, "Account Id"),
    ]
    assert list(Customer.objects.values_list("name", flat=True)) == ["Fine"]
    assert account_of(Customer.objects.get(name="Fine")) == mine.pk
    assert Account.objects.count() == accounts_before  # no strategy account for refused rows
