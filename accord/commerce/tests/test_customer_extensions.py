"""The customer extension point (accord.commerce.registries) with a tiny extension of this test module:
form field, view panel, API input and output, one transaction with the customer's write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from pydantic import Field

from accord.commerce import signals
from accord.commerce.models import Customer
from accord.commerce.registries import CustomerExtension, customer_extensions
from accord.platform.errors import ValidationFailed

pytestmark = pytest.mark.django_db
KEY = "tests.nickname"
BOOM = "boom"  # a nickname the extension's save refuses


class Nicknames:
    """What the test extension saw: saved values, `output` calls, the context around creates."""

    def __init__(self) -> None:
        self.saved: dict[int, dict[str, Any]] = {}
        self.output_calls = 0
        self.created_inside: list[str | None] = []


_creating: ContextVar[str | None] = ContextVar("tests_nickname_creating", default=None)


def _extension(seen: Nicknames) -> CustomerExtension:
    def form_fields(*, user: Any, customer: Customer | None) -> dict[str, forms.Field]:
        initial = seen.saved.get(customer.pk, {}).get("nickname") if customer else None
        return {"nickname": forms.CharField(required=False, max_length=10, initial=initial)}

    @contextmanager
    def creating(*, values: dict[str, Any], actor: Any) -> Iterator[None]:
        token = _creating.set(values.get("nickname"))
        try:
            yield
        finally:
            _creating.reset(token)

    def save(*, customer: Customer, values: dict[str, Any], actor: Any, created: bool) -> None:
        if values.get("nickname") == BOOM:
            raise ValidationFailed({"nickname": "Not that one."})
        seen.saved[customer.pk] = {**values, "created": created}

    def api_parse(*, values: dict[str, Any], user: Any, customer: Customer | None) -> dict[str, Any]:
        if values.get("nickname") == "taken":
            raise ValidationFailed({"nickname": "Already taken."})
        return values

    def output(*, customers: list[Customer], user: Any) -> dict[int, dict[str, Any]]:
        seen.output_calls += 1
        return {c.pk: {"nickname": seen.saved.get(c.pk, {}).get("nickname")} for c in customers}

    def panel(*, customer: Customer, request: Any) -> str:
        nickname = seen.saved.get(customer.pk, {}).get("nickname")
        return format_html('<b data-testid="nickname">{}</b>', nickname) if nickname else ""

    return CustomerExtension(
        key=KEY,
        label="Nickname",
        form_fields=form_fields,
        panel=panel,
        api_input={"nickname": (str | None, Field(None, max_length=10))},
        api_output={"nickname": (str | None, None)},
        api_parse=api_parse,
        output=output,
        creating=creating,
        save=save,
    )


@pytest.fixture
def nicknames() -> Iterator[Nicknames]:
    seen = Nicknames()

    def on_created(sender: Any, **event: Any) -> None:
        seen.created_inside.append(_creating.get())

    signals.customer_created.connect(on_created, dispatch_uid="tests.nickname")
    try:
        with customer_extensions.temporarily(KEY, _extension(seen)):
            yield seen
    finally:
        signals.customer_created.disconnect(dispatch_uid="tests.nickname")


def test_without_the_extension_nothing_changes(
    console_as: Any, api_as: Any, admin: Any, make_customer: Any
) -> None:
    customer = make_customer("Plain")
    page = console_as(admin).get(reverse("console:customers_edit", args=[customer.pk]))
    assert "nickname" not in page.context["form"].fields
    assert "nickname" not in api_as(admin).get(f"customers/{customer.pk}").json()
    assert api_as(admin).post("customers", {"name": "Other", "nickname": "ignored"}).status_code == 201


def test_form_field_create_and_edit(console_as: Any, admin: Any, nicknames: Nicknames) -> None:
    client = console_as(admin)
    assert "nickname" in client.get(reverse("console:customers_create")).context["form"].fields
    response = client.post(reverse("console:customers_create"), {"name": "Acme", "nickname": "Ace"})
    assert response.status_code == 302
    customer = Customer.objects.get(name="Acme")
    assert nicknames.saved[customer.pk] == {"nickname": "Ace", "created": True}
    assert nicknames.created_inside == ["Ace"]  # the create ran inside the extension's context
    edit = client.get(reverse("console:customers_edit", args=[customer.pk]))
    assert edit.context["form"]["nickname"].value() == "Ace"  # initial from the customer
    client.post(reverse("console:customers_edit", args=[customer.pk]), {"name": "Acme", "nickname": "Ax"})
    assert nicknames.saved[customer.pk] == {"nickname": "Ax", "created": False}
    invalid = client.post(reverse("console:customers_create"), {"name": "Long", "nickname": "x" * 11})
    assert invalid.status_code == 400
    assert "nickname" in invalid.context["form"].errors


def test_panel_on_the_view_page(
    console_as: Any, admin: Any, make_customer: Any, nicknames: Nicknames
) -> None:
    customer = make_customer("Acme")
    client = console_as(admin)
    assert (
        b'data-testid="nickname"'
        not in client.get(reverse("console:customers_view", args=[customer.pk])).content
    )
    nicknames.saved[customer.pk] = {"nickname": "<Ace>"}
    page = client.get(reverse("console:customers_view", args=[customer.pk])).content.decode()
    assert "Nickname" in page
    assert '<b data-testid="nickname">&lt;Ace&gt;</b>' in page


def test_console_save_error_rolls_the_customer_back(
    console_as: Any, admin: Any, make_customer: Any, nicknames: Nicknames
) -> None:
    client = console_as(admin)
    response = client.post(reverse("console:customers_create"), {"name": "Doomed", "nickname": BOOM})
    assert response.status_code == 400
    assert response.context["form"].errors["nickname"] == ["Not that one."]
    assert not Customer.objects.filter(name="Doomed").exists()
    customer = make_customer("Stable")
    edit = client.post(
        reverse("console:customers_edit", args=[customer.pk]), {"name": "Renamed", "nickname": BOOM}
    )
    assert edit.status_code == 400
    customer.refresh_from_db()
    assert customer.name == "Stable"


def test_api_input_and_output(api_as: Any, admin: Any, make_customer: Any, nicknames: Nicknames) -> None:
    api = api_as(admin)
    created = api.post("customers", {"name": "Acme", "nickname": "Ace"})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["nickname"] == "Ace"
    assert nicknames.created_inside == ["Ace"]
    assert api.get(f"customers/{body['id']}").json() == body
    untouched = api.patch(f"customers/{body['id']}", {"name": "Acme 2"})
    assert untouched.json()["nickname"] == "Ace"  # not sent: unchanged
    assert nicknames.saved[body["id"]]["created"] is True
    patched = api.patch(f"customers/{body['id']}", {"nickname": "Ax"})
    assert patched.status_code == 200
    assert patched.json()["nickname"] == "Ax"
    assert nicknames.saved[body["id"]] == {"nickname": "Ax", "created": False}
    plain = api.post("customers", {"name": "Plain"}).json()
    assert plain["nickname"] is None
    assert plain["id"] not in nicknames.saved  # no key sent: the extension is left out


@pytest.mark.parametrize(
    ("nickname", "message"),
    [("x" * 11, "at most 10 characters"), ("taken", "Already taken."), (BOOM, "Not that one.")],
)
def test_api_refusals_name_the_key_and_write_nothing(
    api_as: Any, admin: Any, make_customer: Any, nicknames: Nicknames, nickname: str, message: str
) -> None:
    api = api_as(admin)
    response = api.post("customers", {"name": "Doomed", "nickname": nickname})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "nickname"
    assert message in response.json()["errors"][0]["message"]
    assert not Customer.objects.filter(name="Doomed").exists()
    customer = make_customer("Stable")
    patched = api.patch(f"customers/{customer.pk}", {"name": "Renamed", "nickname": nickname})
    assert patched.status_code == 422
    assert patched.json()["errors"][0]["field"] == "nickname"
    customer.refresh_from_db()
    assert customer.name == "Stable"


def test_list_output_is_one_call_per_page(
    api_as: Any, admin: Any, make_customer: Any, nicknames: Nicknames, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_as(admin)
    first = make_customer("C0")
    nicknames.saved[first.pk] = {"nickname": "Zero"}
    api.get("customers")  # warm the token and permission paths
    counts = []
    for size in (2, 12):
        while Customer.objects.count() < size:
            make_customer(f"C{Customer.objects.count()}")
        nicknames.output_calls = 0
        with CaptureQueriesContext(connection) as ctx:
            items = api.get("customers", sort="id").json()["items"]
        counts.append(len(ctx.captured_queries))
        assert nicknames.output_calls == 1
        assert len(items) == size
        assert items[0]["nickname"] == "Zero"
        assert all("nickname" in item for item in items)
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(10):
        api.get("customers")
