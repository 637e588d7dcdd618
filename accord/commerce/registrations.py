"""What commerce registers with the platform: entities, grants of the predefined roles, menu,
search providers, settings and the demo loader."""

from __future__ import annotations

from accord.commerce import search
from accord.commerce.registrations_documents import register_documents
from accord.platform.models import AccessLevel
from accord.platform.registries import (
    DemoLoader,
    EntityDef,
    MenuItem,
    MenuSection,
    Ownership,
    SearchProvider,
    SettingDef,
    SettingSection,
    SettingType,
    demo_loaders,
    grant_to_role,
    menu_items,
    menu_sections,
    register_entity,
    search_providers,
    setting_defs,
    setting_sections,
)

DERIVED = ("path", "depth", "root", "created_at", "updated_at")

ENTITIES = (
    EntityDef(
        "commerce.customer",
        "commerce.Customer",
        "Customer",
        "Customers",
        audit_exclude=DERIVED,
        view_url_name="console:customers_view",
        activities=True,
        module="commerce",
    ),
    EntityDef(
        "commerce.customer_user",
        "commerce.CustomerUser",
        "Customer user",
        "Customer users",
        audit_exclude=("password", "email_lower", "last_login", "created_at", "updated_at"),
        view_url_name="console:customer_users_view",
        activities=True,
        module="commerce",
    ),
    EntityDef(
        "commerce.customer_group",
        "commerce.CustomerGroup",
        "Customer group",
        "Customer groups",
        view_url_name="console:customer_groups_view",
        module="commerce",
    ),
    EntityDef(
        "commerce.customer_user_role",
        "commerce.CustomerUserRole",
        "Customer user role",
        "Customer user roles",
        ownership=Ownership.NONE,
        actions=("view", "create", "edit", "delete"),
        view_url_name="console:customer_user_roles_view",
        module="commerce",
    ),
    EntityDef(
        "commerce.product",
        "commerce.Product",
        "Product",
        "Products",
        ownership=Ownership.ORGANIZATION,
        actions=("view", "create", "edit", "delete"),
        view_url_name="console:products_view",
        module="commerce",
    ),
)


def register_all() -> None:
    register_documents()
    for entity in ENTITIES:
        register_entity(entity)
        levels = dict.fromkeys(entity.actions, AccessLevel.ORGANIZATION)
        grant_to_role("commerce_manager", entity.key, **levels)
        grant_to_role("sales_manager", entity.key, view=AccessLevel.DIVISION)
        grant_to_role("sales_rep", entity.key, view=AccessLevel.BUSINESS_UNIT)

    menu_sections.register("products", MenuSection("products", "Products", 15, "box-seam"))
    for item in (
        MenuItem("customers", "customers", "Customers", "console:customers_list", 40, "commerce.customer"),
        MenuItem(
            "customer_users",
            "customers",
            "Customer users",
            "console:customer_users_list",
            42,
            "commerce.customer_user",
        ),
        MenuItem(
            "customer_groups",
            "customers",
            "Customer groups",
            "console:customer_groups_list",
            44,
            "commerce.customer_group",
        ),
        MenuItem(
            "customer_user_roles",
            "customers",
            "Customer user roles",
            "console:customer_user_roles_list",
            46,
            "commerce.customer_user_role",
        ),
        MenuItem("products", "products", "Products", "console:products_list", 10, "commerce.product"),
    ):
        menu_items.register(item.key, item)

    for provider in (
        SearchProvider("commerce.customer", "Customers", search.customer_documents, 40),
        SearchProvider("commerce.customer_user", "Customer users", search.customer_user_documents, 42),
        SearchProvider("commerce.customer_group", "Customer groups", search.customer_group_documents, 44),
        SearchProvider("commerce.product", "Products", search.product_documents, 50),
    ):
        search_providers.register(provider.entity, provider)

    setting_sections.register(
        "commerce", SettingSection("commerce", "Commerce", 30, "Customers and the storefront.")
    )
    setting_defs.register(
        "commerce.default_customer_owner",
        SettingDef(
            "commerce.default_customer_owner",
            "commerce",
            "Default customer owner",
            SettingType.STRING,
            "admin",
            help="Username of the console user who owns customers created without one "
            "(storefront registration, demo data).",
            order=10,
        ),
    )

    from accord.commerce import bench, demo, imports, scale

    scale.register()
    bench.register()
    imports.register()  # CSV import of customers

    demo_loaders.register(
        "commerce", DemoLoader("commerce", "Commerce customers and products", demo.load, 20)
    )
