"""The account's commerce section (oro-spec §2.7, #74-#79), the lifetime explainer, activities (§2.8,
#81) and search (accounts found by their commerce customers' names)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accord.commerce.services.payments import order_payment_record
from accord.crm.models import Account, Channel
from accord.crm_commerce.sections import commerce_section_html
from accord.crm_commerce.tests.conftest import account_of
from accord.platform.models import AccessLevel, User

pytestmark = pytest.mark.django_db
ORG = AccessLevel.ORGANIZATION


def _render(rf: Any, user: User, account_id: int) -> str:
    request = rf.get("/console/")
    request.user = user
    account = Account.objects.get(pk=account_id)
    channel = Channel.objects.get(channel_type="commerce", organization_id=account.organization_id)
    return commerce_section_html(account, channel, request) or ""


def _shared_account(
    set_strategy: Callable[[str], None], customer_in_use: Callable[..., Any]
) -> tuple[Any, ...]:
    set_strategy("root")
    root, root_user = customer_in_use("Root Co")
    child, child_user = customer_in_use("Child Co", root)
    return root, root_user, child, child_user


def test_one_customer_is_a_single_block(
    rf: Any, admin: User, customer_in_use: Callable[..., Any], place_order: Callable[..., Any]
) -> None:
    """oro-spec #76, #77, #79."""
    customer, user = customer_in_use("Solo Co")
    order = place_order(user, "50.00")
    order_payment_record(order=order, amount="50.00", actor=admin)
    html = _render(rf, admin, account_of(customer))
    assert "flex-column nav-pills" not in html
    for tab in ("General", "Customer Users", "Shopping Lists", "RFQs", "Quotes", "Orders", "Opportunities"):
        assert f">{tab} " in html or f">{tab}<" in html, tab
    assert order.identifier in html
    assert "50.00 USD" in html


def test_several_customers_are_vertical_tabs(
    rf: Any, admin: User, set_strategy: Callable[[str], None], customer_in_use: Callable[..., Any]
) -> None:
    """oro-spec #76."""
    root, _, _, _ = _shared_account(set_strategy, customer_in_use)
    html = _render(rf, admin, account_of(root))
    assert "flex-column nav-pills" in html
    assert "Root Co" in html
    assert "Child Co" in html


def test_section_lists_only_what_the_viewer_may_see(
    rf: Any,
    make_user: Callable[..., User],
    tree: Any,
    set_strategy: Callable[[str], None],
    customer_in_use: Callable[..., Any],
    place_order: Callable[..., Any],
) -> None:
    """oro-spec #75, #78: customers and tabs narrowed by the ACL; no customer grant, no section."""
    root, root_user, _, _ = _shared_account(set_strategy, customer_in_use)
    order = place_order(root_user, "10.00")
    only_customers = make_user("cust-only", grants={"commerce.customer": {"view": ORG}})
    html = _render(rf, only_customers, account_of(root))
    assert "Root Co" in html
    assert ">Orders" not in html
    assert order.identifier not in html
    nothing = make_user("nothing", grants={"crm.account": {"view": ORG}})
    assert _render(rf, nothing, account_of(root)) == ""
    own_only = make_user(
        "own-only", grants={"commerce.customer": {"view": AccessLevel.USER}, "commerce.order": {"view": ORG}}
    )
    assert _render(rf, own_only, account_of(root)) == ""  # the admin owns them


def test_section_runs_a_bounded_number_of_queries(
    rf: Any,
    admin: User,
    set_strategy: Callable[[str], None],
    customer_in_use: Callable[..., Any],
    place_order: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    root, root_user, _, child_user = _shared_account(set_strategy, customer_in_use)
    place_order(root_user, "10.00")
    with django_assert_max_num_queries(30) as small:
        _render(rf, admin, account_of(root))
    for n in range(4):
        customer, user = customer_in_use(f"More {n}", root)
        place_order(user, "5.00")
        place_order(child_user, "5.00")
    with django_assert_max_num_queries(len(small.captured_queries)):
        _render(rf, admin, account_of(root))


def test_lifetime_explainer_lists_customers_and_orders(
    admin: User, customer_in_use: Callable[..., Any], place_order: Callable[..., Any]
) -> None:
    """The account's lifetime value explained down to the orders (Accord goes further)."""
    from accord.crm.selectors.lifetime import account_lifetime

    customer, user = customer_in_use("Explained Co")
    order = place_order(user, "70.00")
    order_payment_record(order=order, amount="70.00", actor=admin)
    answer = account_lifetime(Account.objects.get(pk=account_of(customer)), admin)
    assert answer["total"] == {"amount": "70.00", "currency": "USD"}
    records = answer["channels"][0]["records"]
    assert {"entity": "commerce.customer", "id": customer.pk}.items() <= records[0].items()
    assert records[1]["entity"] == "commerce.order"
    assert records[1]["amount"] == "70.00"
    assert records[1]["parent_id"] == customer.pk


def test_account_activities_include_commerce_records(
    admin: User, customer_in_use: Callable[..., Any], place_order: Callable[..., Any]
) -> None:
    """oro-spec #81: the account's activity list includes its customers' and their orders' activities."""
    from accord.platform.registries import activity_paths

    customer, user = customer_in_use("Active Co")
    order = place_order(user, "10.00")
    account_id = account_of(customer)
    related = {
        p.related_entity: set(
            p.related_ids(account_id).values_list(
                "source_id" if p.related_entity == "commerce.customer" else "id", flat=True
            )
        )
        for p in activity_paths
        if p.key.startswith("crm_commerce.")
    }
    assert related["commerce.customer"] == {customer.pk}
    assert related["commerce.order"] == {order.pk}
    assert related["commerce.customer_user"] == {user.pk}


def test_accounts_are_found_by_their_customers_names(
    admin: User, make_customer: Callable[..., Any], make_account: Callable[..., Any]
) -> None:
    """oro-spec §2.12 extended: an account whose name differs is found by its customer's name."""
    from accord.crm_commerce.services.linking import customer_link_to
    from accord.platform.search import search

    customer = make_customer("Quixotic Widgets")
    holding = make_account("Holding Group")
    customer_link_to(customer_id=customer.pk, account=holding, actor=admin)
    hits = [(h.entity, h.object_id) for h in search(admin, "Quixotic")]
    assert ("crm.account", holding.pk) in hits
