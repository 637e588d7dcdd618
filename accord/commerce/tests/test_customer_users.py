"""Customer users (checklist 11): required fields, email rules, roles, password policy."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.commerce.models import CustomerUser
from accord.commerce.services.customer_users import customer_user_update
from accord.commerce.services.roles import customer_user_role_create, customer_user_role_delete
from accord.commerce.tests.conftest import STRONG
from accord.platform.errors import Conflict, ValidationFailed


@pytest.fixture
def acme(make_customer):
    return make_customer("Acme")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", ""),
        ("last_name", "  "),
        ("email", "a@b.c"),  # 5 characters: below the minimum of 6
        ("email", "not-an-email"),
        ("email", "x" * 250 + "@example.com"),
        ("customer_id", None),
        ("birthday", dt.date.today() + dt.timedelta(days=1)),
    ],
)
def test_customer_user_requires_valid_fields(make_customer_user, acme, field, value):
    kwargs = {"customer": acme}
    if field == "customer_id":
        kwargs["customer"] = None
    else:
        kwargs[field] = value
    with pytest.raises(ValidationFailed) as exc:
        make_customer_user(**kwargs)
    assert field in exc.value.field_errors
    assert not CustomerUser.objects.exists()


def test_email_is_unique_case_insensitively(make_customer_user, acme):
    user = make_customer_user(acme, email="Jane.Doe@Example.com")
    assert user.email_lower == "jane.doe@example.com"
    with pytest.raises(ValidationFailed) as exc:
        make_customer_user(acme, email="jane.doe@EXAMPLE.com")
    assert "email" in exc.value.field_errors


def test_a_customer_user_always_has_a_role(make_customer_user, acme, admin, buyer_role):
    with pytest.raises(ValidationFailed) as exc:
        make_customer_user(acme, roles=[])
    assert "role_ids" in exc.value.field_errors
    user = make_customer_user(acme)
    with pytest.raises(ValidationFailed):
        customer_user_update(customer_user=user, roles=[], actor=admin)
    assert list(user.roles.all()) == [buyer_role]


def test_deleting_the_only_role_of_a_user_is_refused(make_customer_user, acme, admin, buyer_role):
    own = customer_user_role_create(label="Approver", customer=acme, actor=admin)
    alone = make_customer_user(acme, roles=[own])
    with pytest.raises(Conflict):
        customer_user_role_delete(role=own, actor=admin)
    customer_user_update(customer_user=alone, roles=[own, buyer_role], actor=admin)
    customer_user_role_delete(role=own, actor=admin)
    assert list(alone.roles.all()) == [buyer_role]


def test_roles_of_another_customer_cannot_be_given(make_customer, make_customer_user, acme, admin):
    other = make_customer("Other")
    foreign = customer_user_role_create(label="Other's role", customer=other, actor=admin)
    with pytest.raises(ValidationFailed) as exc:
        make_customer_user(acme, roles=[foreign])
    assert "role_ids" in exc.value.field_errors
    user = make_customer_user(other, roles=[foreign])
    with pytest.raises(ValidationFailed):
        customer_user_update(customer_user=user, customer=acme, actor=admin)


def test_password_policy_on_create_and_hashing(make_customer_user, acme):
    with pytest.raises(ValidationFailed) as exc:
        make_customer_user(acme, password="123")
    assert "password" in exc.value.field_errors
    user = make_customer_user(acme, password=STRONG)
    assert user.password != STRONG
    assert user.check_password(STRONG)
    assert not user.check_password("wrong")
    invited = make_customer_user(acme)
    assert not invited.check_password("")


def test_password_change_is_audited_without_the_value(make_customer_user, acme, admin):
    from accord.platform.models import AuditEntry

    user = make_customer_user(acme, password=STRONG)
    customer_user_update(customer_user=user, password="another-" + STRONG, actor=admin)
    entry = AuditEntry.objects.filter(entity="commerce.customer_user", action="update").get()
    assert STRONG not in str(entry.changes)
    assert "password" in entry.changes


def test_addresses_one_default_per_type(make_customer_user, acme):
    address = {"street": "1 Main St", "city": "Springfield", "country": "us", "types": ["billing"]}
    with pytest.raises(ValidationFailed) as exc:
        make_customer_user(
            acme,
            addresses=[
                {**address, "default_types": ["billing"]},
                {**address, "default_types": ["billing"]},
            ],
        )
    assert "addresses.1.default_types" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        make_customer_user(acme, addresses=[{**address, "default_types": ["shipping"]}])
    assert "addresses.0.default_types" in exc.value.field_errors
    user = make_customer_user(acme, addresses=[{**address, "default_types": ["billing"]}])
    stored = user.addresses.get()
    assert (stored.country, stored.is_default_billing, stored.types) == ("US", True, ["billing"])
