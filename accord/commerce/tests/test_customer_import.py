"""CSV import of customers (oro-spec #25): parents by external id or name, row errors by column."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from accord.commerce.models import Customer, CustomerAddress, EntryPoint
from accord.commerce.services.groups import customer_group_create
from accord.commerce.signals import customer_created
from accord.platform.errors import Forbidden
from accord.platform.imports import import_start, importers
from accord.platform.jobs import job_run
from accord.platform.models import AccessLevel, JobStatus, User

pytestmark = pytest.mark.django_db
ORG = AccessLevel.ORGANIZATION
HEADER = "Name,Parent External Id,Parent Name,Group,Payment Term,Tax Code,Internal Rating,External Id,Owner\n"


def _run(content: str, actor: User) -> Any:
    job = import_start(importer_key="commerce.customers", content=content.encode(), actor=actor, queue=False)
    return job_run(job_id=job.pk)


def test_rows_land_with_parents_resolved_including_one_defined_earlier_in_the_file(
    admin: User, make_customer: Callable[..., Customer], make_user: Callable[..., User]
) -> None:
    make_customer("Existing HQ", external_id="EXT-HQ")
    make_customer("Named Parent")
    group = customer_group_create(name="Wholesale", actor=admin)
    seller = make_user("seller")
    created: list[dict[str, Any]] = []

    def listen(sender: Any, **kwargs: Any) -> None:
        created.append(kwargs)

    content = HEADER + (
        "Top,,,Wholesale,Net 30,TX1,3_of_5,TOP-1,\n"
        "Branch,TOP-1,,,,,,,seller\n"  # its parent is the row above
        "Shop,,Named Parent,,prepaid,,,,\n"
        "Depot,EXT-HQ,,,,,,,\n"
    )
    customer_created.connect(listen)
    try:
        job = _run(content, admin)
    finally:
        customer_created.disconnect(listen)

    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"imported": 4, "failed": 0, "file": "upload.csv"}
    top = Customer.objects.get(name="Top")
    assert (top.group_id, top.payment_term, top.tax_code, top.internal_rating, top.external_id) == (
        group.pk,
        "net_30",
        "TX1",
        "3_of_5",
        "TOP-1",
    )
    assert top.owner_id == admin.pk
    branch = Customer.objects.get(name="Branch")
    assert (branch.parent_id, branch.root_id, branch.depth, branch.owner_id) == (top.pk, top.pk, 1, seller.pk)
    assert Customer.objects.get(name="Shop").parent.name == "Named Parent"
    assert Customer.objects.get(name="Depot").parent.external_id == "EXT-HQ"
    assert [c["entry_point"] for c in created] == [EntryPoint.IMPORT] * 4


def test_bad_rows_are_reported_by_line_and_column_while_good_rows_land(
    admin: User, make_customer: Callable[..., Customer]
) -> None:
    make_customer("Twin")
    make_customer("Twin")
    content = HEADER + (
        "Good One,,,,,,,,\n"
        ",,,,,,,,\n"  # line 3: no name
        "Orphan,NOPE,,,,,,,\n"  # line 4: unknown parent external id
        "Ambiguous,,Twin,,,,,,\n"  # line 5: two customers named Twin
        "No Group,,,Missing,,,,,\n"  # line 6
        "Bad Term,,,,Net 7,,,,\n"  # line 7
        "Nobody's,,,,,,,,ghost\n"  # line 8: unknown owner
        "Good Two,,,,,,,G2,\n"
        "Same Id,,,,,,,G2,\n"  # line 10: external id taken by the row above
    )

    job = _run(content, admin)

    assert job.result == {"imported": 2, "failed": 7, "file": "upload.csv"}
    errors = sorted((int(e.row), e.field) for e in job.errors.all())
    assert errors == [
        (3, "Name"),
        (4, "Parent External Id"),
        (5, "Parent Name"),
        (6, "Group"),
        (7, "Payment Term"),
        (8, "Owner"),
        (10, "External Id"),
    ]
    names = set(Customer.objects.values_list("name", flat=True))
    assert names == {"Twin", "Good One", "Good Two"}


def test_parents_are_looked_up_only_among_customers_the_importer_may_view(
    admin: User, make_customer: Callable[..., Customer], make_user: Callable[..., User], tree: Any
) -> None:
    other = make_user("other", unit=tree.other_main)
    make_customer("Elsewhere", external_id="EXT-E", actor=other)
    importer = make_user("importer", grants={"commerce.customer": {"view": ORG, "create": ORG}})

    job = _run(HEADER + "Child,EXT-E,,,,,,,\nMine,,,,,,,,other\n", importer)

    assert sorted((int(e.row), e.field) for e in job.errors.all()) == [
        (2, "Parent External Id"),
        (3, "Owner"),
    ]
    assert not Customer.objects.filter(name__in=["Child", "Mine"]).exists()


def test_giving_customers_to_another_user_needs_the_assign_grant(
    make_user: Callable[..., User],
) -> None:
    make_user("someone")
    importer = make_user("importer", grants={"commerce.customer": {"view": ORG, "create": ORG}})

    job = _run(HEADER + "Given,,,,,,,,someone\nKept,,,,,,,,importer\n", importer)

    assert [(int(e.row), e.field) for e in job.errors.all()] == [(2, "Owner")]
    assert list(Customer.objects.values_list("name", "owner_id")) == [("Kept", importer.pk)]


def test_import_is_refused_without_create_on_customers(make_user: Callable[..., User]) -> None:
    viewer = make_user("viewer", grants={"commerce.customer": {"view": ORG, "edit": ORG}})

    with pytest.raises(Forbidden):
        import_start(
            importer_key="commerce.customers", content=(HEADER + "X,,,,,,,,\n").encode(), actor=viewer
        )

    assert not Customer.objects.exists()


def test_the_importer_is_listed_with_its_columns() -> None:
    columns = importers.get("commerce.customers").header()

    assert columns[:9] == HEADER.strip().split(",")
    assert columns[:20] == FULL.strip().split(",")
    assert [c.name for c in importers.get("commerce.customers").columns if c.required] == ["Name"]


def test_the_console_lists_the_importer_and_serves_its_template(
    admin: User, make_user: Callable[..., User], console_as: Callable[..., Any]
) -> None:
    url = reverse("console:import_template", args=["commerce.customers"])
    viewer = make_user("viewer", grants={"commerce.customer": {"view": ORG}})

    page = console_as(admin).get(reverse("console:imports"))
    template = console_as(admin).get(url)
    denied = console_as(viewer).get(url)

    assert page.status_code == 200
    assert "commerce.customers" in page.content.decode()
    assert template.content.decode().startswith(HEADER.strip())
    assert denied.status_code == 404


# --- Sales representatives and the row's address ---------------------------------------------------

FULL = HEADER.strip() + (
    ",Sales Representatives,Address Label,Street,Street 2,City,Postal Code,Region,Country,Address Types,"
    "Default Billing,Default Shipping\n"
)


def _full_row(name: str, *, reps: str = "", address: str = ",,,,,,,,,") -> str:
    return f"{name},,,,,,,,,{reps},{address}\n"


def _rows_written(name: str) -> tuple[int, int, int]:
    """Customers, their sales-rep links and their addresses named `name`: all zero when refused."""
    customers = Customer.objects.filter(name=name)
    links = Customer.sales_representatives.through.objects.filter(customer__name=name).count()
    return customers.count(), links, CustomerAddress.objects.filter(customer__name=name).count()


def test_a_row_with_two_sales_reps_and_a_full_address_creates_both(
    admin: User, make_user: Callable[..., User]
) -> None:
    ann, bob = make_user("ann"), make_user("bob")
    address = "HQ,Main St 1,Floor 2,Berlin,10115,Berlin,de,billing; Shipping,yes,no"

    job = _run(FULL + _full_row("Acme", reps="ann; bob", address=address), admin)

    assert job.result == {"imported": 1, "failed": 0, "file": "upload.csv"}
    customer = Customer.objects.get(name="Acme")
    assert sorted(u.username for u in customer.sales_representatives.all()) == ["ann", "bob"]
    assert {ann.pk, bob.pk} == set(customer.sales_representatives.values_list("pk", flat=True))
    [row] = CustomerAddress.objects.filter(customer=customer).values()
    assert {
        k: row[k] for k in ("label", "street", "street2", "city", "postal_code", "region", "country")
    } == {
        "label": "HQ",
        "street": "Main St 1",
        "street2": "Floor 2",
        "city": "Berlin",
        "postal_code": "10115",
        "region": "Berlin",
        "country": "DE",
    }
    flags = ("is_billing", "is_shipping", "is_default_billing", "is_default_shipping")
    assert tuple(row[k] for k in flags) == (True, True, True, False)


def test_an_unknown_or_foreign_sales_rep_is_a_row_error_and_nothing_of_the_row_is_written(
    admin: User, make_user: Callable[..., User], tree: Any
) -> None:
    make_user("ann")
    make_user("stranger", unit=tree.other_main)  # another organization's user
    address = ",Main St 1,,Berlin,,,DE,billing,,"
    content = FULL + (
        _full_row("Ghosted", reps="ann;ghost", address=address)
        + _full_row("Foreign", reps="stranger", address=address)
        + _full_row("Fine", reps="ann")
    )

    job = _run(content, admin)

    assert job.result == {"imported": 1, "failed": 2, "file": "upload.csv"}
    errors = sorted((int(e.row), e.field, e.message) for e in job.errors.all())
    assert [(row, field) for row, field, _ in errors] == [
        (2, "Sales Representatives"),
        (3, "Sales Representatives"),
    ]
    assert "'ghost'" in errors[0][2]
    assert "'ann'" not in errors[0][2]
    assert "'stranger'" in errors[1][2]
    assert _rows_written("Ghosted") == _rows_written("Foreign") == (0, 0, 0)
    assert _rows_written("Fine") == (1, 1, 0)


def test_a_bad_country_is_an_error_on_country_and_nothing_of_the_row_is_written(
    admin: User, make_user: Callable[..., User]
) -> None:
    make_user("ann")

    job = _run(
        FULL + _full_row("Nowhere", reps="ann", address=",Main St 1,,Berlin,,,Germany,billing,,"), admin
    )

    assert job.result == {"imported": 0, "failed": 1, "file": "upload.csv"}
    assert [(int(e.row), e.field) for e in job.errors.all()] == [(2, "Country")]
    assert _rows_written("Nowhere") == (0, 0, 0)


def test_a_partly_filled_address_is_checked_like_the_api_and_errors_name_the_columns(admin: User) -> None:
    content = FULL + (
        _full_row("Half", address="Depot,,,Hamburg,,,,,,")  # line 2: no street, no country
        + _full_row("Untyped Default", address=",Main St 1,,Berlin,,,DE,shipping,yes,")  # line 3
        + _full_row("Odd Type", address=",Main St 1,,Berlin,,,DE,billing;pickup,,")  # line 4
        + _full_row("Maybe", address=",Main St 1,,Berlin,,,DE,billing,perhaps,")  # line 5
    )

    job = _run(content, admin)

    assert job.result == {"imported": 0, "failed": 4, "file": "upload.csv"}
    assert sorted((int(e.row), e.field) for e in job.errors.all()) == [
        (2, "Country"),
        (2, "Street"),
        (3, "Default Billing"),
        (4, "Address Types"),
        (5, "Default Billing"),
    ]
    assert not Customer.objects.exists()
    assert not CustomerAddress.objects.exists()


def test_a_row_without_address_columns_creates_no_address(admin: User) -> None:
    content = FULL + _full_row("Bare") + _full_row("Flags Only", address=",,,,,,,,no,no")

    job = _run(content, admin)

    assert job.result == {"imported": 2, "failed": 0, "file": "upload.csv"}
    assert _rows_written("Bare") == (1, 0, 0)
    assert _rows_written("Flags Only") == (1, 0, 0)


def test_sales_reps_need_no_grant_beyond_create_as_in_the_api_and_none_without_create(
    make_user: Callable[..., User],
) -> None:
    """The console form and the API set sales reps with the customer's `create` grant alone."""
    make_user("ann")
    importer = make_user("importer", grants={"commerce.customer": {"view": ORG, "create": ORG}})
    viewer = make_user("viewer", grants={"commerce.customer": {"view": ORG, "edit": ORG}})
    content = FULL + _full_row("Repped", reps="ann")

    job = _run(content, importer)
    with pytest.raises(Forbidden):
        import_start(importer_key="commerce.customers", content=content.encode(), actor=viewer)

    assert job.result == {"imported": 1, "failed": 0, "file": "upload.csv"}
    assert list(
        Customer.objects.get(name="Repped").sales_representatives.values_list("username", flat=True)
    ) == ["ann"]
    assert Customer.objects.count() == 1
