"""Customer user roles (checklist 12, 13, 72): codes, labels, sharing, levels per ownership."""

from __future__ import annotations

import pytest

from accord.commerce import storefront_acl
from accord.commerce.models import CustomerUserRole, StorefrontLevel
from accord.commerce.selectors.customers import roles_available_to
from accord.commerce.services.roles import (
    customer_user_role_create,
    customer_user_role_delete,
    customer_user_role_update,
    grants_of,
)
from accord.platform.errors import Conflict, ValidationFailed


def test_predefined_roles_exist_with_the_reference_grants(admin_role, buyer_role):
    assert admin_role.customer_id is None
    assert admin_role.is_predefined
    assert admin_role.self_managed
    admin_grants = grants_of(admin_role)
    assert all(
        admin_grants[key][action] == StorefrontLevel.CORPORATE
        for key in storefront_acl.ENTITIES
        for action in storefront_acl.ACTIONS
    )
    buyer = grants_of(buyer_role)
    assert buyer["commerce.customer"] == {"view": StorefrontLevel.DEPARTMENT}
    assert buyer["commerce.customer_user"] == {"view": StorefrontLevel.DEPARTMENT}
    assert buyer["commerce.customer_address"] == {"view": StorefrontLevel.DEPARTMENT}
    assert buyer["commerce.customer_user_address"] == {"view": StorefrontLevel.USER}
    assert "commerce.customer_user_role" not in buyer


def test_role_code_is_generated_with_the_frontend_prefix(make_customer, admin):
    acme, beta = make_customer("Acme"), make_customer("Beta")
    first = customer_user_role_create(label="Purchasing approver", customer=acme, actor=admin)
    second = customer_user_role_create(label="Purchasing approver", customer=beta, actor=admin)
    assert first.role == "ROLE_FRONTEND_PURCHASING_APPROVER"
    assert second.role.startswith("ROLE_FRONTEND_PURCHASING_APPROVER_")
    assert second.role != first.role


def test_role_labels_are_unique_per_customer_and_among_shared_roles(make_customer, admin):
    acme = make_customer("Acme")
    customer_user_role_create(label="Approver", customer=acme, actor=admin)
    with pytest.raises(ValidationFailed) as exc:
        customer_user_role_create(label="approver", customer=acme, actor=admin)
    assert "label" in exc.value.field_errors
    with pytest.raises(ValidationFailed):
        customer_user_role_create(label="Buyer", actor=admin)  # clashes with the predefined one
    customer_user_role_create(label="Buyer", customer=acme, actor=admin)  # fine for one customer
    with pytest.raises(ValidationFailed):
        customer_user_role_create(label="ab", customer=acme, actor=admin)


def test_a_customer_specific_role_is_visible_only_to_its_customer(
    make_customer, admin, buyer_role, admin_role
):
    acme, beta = make_customer("Acme"), make_customer("Beta")
    own = customer_user_role_create(label="Acme only", customer=acme, actor=admin)
    assert set(roles_available_to(acme)) == {own, buyer_role, admin_role}
    assert set(roles_available_to(beta)) == {buyer_role, admin_role}


def test_customer_owned_entities_offer_only_department_and_corporate(make_customer, admin):
    acme = make_customer("Acme")
    for key in ("commerce.customer_user", "commerce.customer_user_role", "commerce.customer_address"):
        with pytest.raises(ValidationFailed) as exc:
            customer_user_role_create(
                label=f"Own {key}", customer=acme, grants={key: {"view": StorefrontLevel.USER}}, actor=admin
            )
        assert f"grants.{key}.view" in exc.value.field_errors
    role = customer_user_role_create(
        label="Fine",
        customer=acme,
        grants={
            "commerce.customer_user": {"view": StorefrontLevel.DEPARTMENT},
            "commerce.order": {"view": StorefrontLevel.USER},
        },
        actor=admin,
    )
    assert grants_of(role) == {"commerce.customer_user": {"view": 2}, "commerce.order": {"view": 1}}
    assert not CustomerUserRole.objects.filter(label__startswith="Own").exists()


def test_unknown_entities_actions_and_levels_are_refused(admin):
    for grants, field in (
        ({"crm.account": {"view": 1}}, "grants.crm.account"),
        ({"commerce.order": {"approve": 1}}, "grants.commerce.order.approve"),
        ({"commerce.order": {"view": 9}}, "grants.commerce.order.view"),
    ):
        with pytest.raises(ValidationFailed) as exc:
            customer_user_role_create(label="Broken", grants=grants, actor=admin)
        assert field in exc.value.field_errors


def test_grants_replace_per_entity_and_predefined_roles_stay(admin, buyer_role):
    customer_user_role_update(role=buyer_role, grants={"commerce.order": {"view": 1, "edit": 0}}, actor=admin)
    assert grants_of(buyer_role)["commerce.order"] == {"view": 1}
    with pytest.raises(Conflict):
        customer_user_role_delete(role=buyer_role, actor=admin)
