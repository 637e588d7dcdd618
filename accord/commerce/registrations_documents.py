"""What commerce registers for its documents (shopping lists, RFQs, quotes, orders): entities,
grants of the predefined roles, the Sales menu and the order search provider."""

from __future__ import annotations

from accord.commerce import search
from accord.platform.models import AccessLevel
from accord.platform.registries import (
    DemoLoader,
    EntityDef,
    MenuItem,
    SearchProvider,
    demo_loaders,
    grant_to_role,
    menu_items,
    register_entity,
    search_providers,
)

DOCUMENTS = (
    EntityDef(
        "commerce.shopping_list",
        "commerce.ShoppingList",
        "Shopping list",
        "Shopping lists",
        view_url_name="console:shopping_lists_view",
        module="commerce",
    ),
    EntityDef(
        "commerce.rfq", "commerce.Rfq", "RFQ", "RFQs", view_url_name="console:rfqs_view", module="commerce"
    ),
    EntityDef(
        "commerce.quote",
        "commerce.Quote",
        "Quote",
        "Quotes",
        view_url_name="console:quotes_view",
        module="commerce",
    ),
    EntityDef(
        "commerce.order",
        "commerce.Order",
        "Order",
        "Orders",
        audit_exclude=("created_at", "updated_at", "base_rate", "base_subtotal", "base_total"),
        view_url_name="console:orders_view",
        activities=True,
        module="commerce",
    ),
)

# Sales reps answer RFQs with quotes in their business unit; everyone else only looks.
REP_GRANTS = {
    "commerce.rfq": {"view": AccessLevel.BUSINESS_UNIT, "edit": AccessLevel.BUSINESS_UNIT},
    "commerce.quote": {
        "view": AccessLevel.BUSINESS_UNIT,
        "create": AccessLevel.BUSINESS_UNIT,
        "edit": AccessLevel.BUSINESS_UNIT,
    },
}


def register_documents() -> None:
    for entity in DOCUMENTS:
        register_entity(entity)
        grant_to_role(
            "commerce_manager", entity.key, **dict.fromkeys(entity.actions, AccessLevel.ORGANIZATION)
        )
        grant_to_role("sales_manager", entity.key, view=AccessLevel.DIVISION)
        grant_to_role(
            "sales_rep", entity.key, **REP_GRANTS.get(entity.key, {"view": AccessLevel.BUSINESS_UNIT})
        )

    register_menu()
    from accord.commerce import demo_documents, scale_documents, scale_orders

    scale_orders.register()
    scale_documents.register()

    demo_loaders.register(
        "commerce_documents",
        DemoLoader(
            "commerce_documents", "Commerce orders, RFQs, quotes and shopping lists", demo_documents.load, 25
        ),
    )
    search_providers.register(
        "commerce.order", SearchProvider("commerce.order", "Orders", search.order_documents, 55)
    )


def register_menu() -> None:
    """The Sales section: RFQs, quotes, orders, shopping lists."""
    for item in (
        MenuItem("rfqs", "sales", "RFQs", "console:rfqs_list", 50, "commerce.rfq"),
        MenuItem("quotes", "sales", "Quotes", "console:quotes_list", 52, "commerce.quote"),
        MenuItem("orders", "sales", "Orders", "console:orders_list", 54, "commerce.order"),
        MenuItem(
            "shopping_lists",
            "sales",
            "Shopping lists",
            "console:shopping_lists_list",
            56,
            "commerce.shopping_list",
        ),
    ):
        menu_items.register(item.key, item)
