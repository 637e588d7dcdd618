"""What the bridge plugs into the CRM's and the platform's registries, and the events it listens to.

Called from `CrmCommerceConfig.ready()`, after `crm` and `commerce` registered theirs.
"""

from __future__ import annotations

from typing import Any

from accord.platform.registries import (
    ActivityPath,
    JobType,
    MenuItem,
    SearchProvider,
    SettingDef,
    SettingSection,
    SettingType,
    activity_paths,
    job_types,
    menu_items,
    search_providers,
    setting_defs,
    setting_sections,
)

COMMERCE_ENTITIES = (
    "commerce.customer",
    "crm.lead",
    "crm.opportunity",
    "commerce.customer_user",
    "commerce.shopping_list",
    "commerce.rfq",
    "commerce.quote",
    "commerce.order",
)
# Documents whose activities show on the account of their customer (oro-spec §2.8).
DOCUMENT_PATHS = (
    ("customer_users", "commerce.customer_user", "CustomerUser"),
    ("shopping_lists", "commerce.shopping_list", "ShoppingList"),
    ("rfqs", "commerce.rfq", "Rfq"),
    ("quotes", "commerce.quote", "Quote"),
    ("orders", "commerce.order", "Order"),
)


def register_all() -> None:
    _register_crm_extensions()
    _register_platform_extensions()
    _connect_events()
    from accord.crm_commerce.customer_extension import register_customer_extension

    register_customer_extension()  # the account on commerce's customer form, view and API


def _register_crm_extensions() -> None:
    from accord.crm import registries
    from accord.crm_commerce import sections
    from accord.crm_commerce.console import opportunity_quotes
    from accord.crm_commerce.services._common import CHANNEL_TYPE, SOURCE

    registries.channel_types.register(
        CHANNEL_TYPE,
        registries.ChannelType(
            CHANNEL_TYPE,
            "Commerce",
            customer_identity=SOURCE,
            entities=COMMERCE_ENTITIES,
            system=True,
            priority=30,
            lifetime_value=True,
        ),
    )
    registries.customer_sources.register(
        SOURCE,
        registries.CustomerSource(
            SOURCE,
            "Commerce customer",
            "commerce.Customer",
            entity="commerce.customer",
            view_url_name="console:customers_view",
        ),
    )
    registries.account_view_sections.register(
        "crm_commerce.customers",
        registries.AccountViewSection(
            "crm_commerce.customers", CHANNEL_TYPE, sections.render_commerce_section
        ),
    )
    registries.opportunity_view_sections.register("crm_commerce.quotes", opportunity_quotes.SECTION)
    registries.lifetime_explainers.register(
        CHANNEL_TYPE,
        registries.LifetimeExplainer(CHANNEL_TYPE, CHANNEL_TYPE, sections.explain_lifetime),
    )


def _register_platform_extensions() -> None:
    from accord.crm_commerce import bench, search
    from accord.crm_commerce.services import strategy
    from accord.crm_commerce.services._common import STRATEGIES, STRATEGY_SETTING

    setting_sections.register(
        "crm_commerce",
        SettingSection("crm_commerce", "CRM and Commerce", 50, "How commerce customers get their accounts."),
    )
    setting_defs.register(
        STRATEGY_SETTING,
        SettingDef(
            STRATEGY_SETTING,
            "crm_commerce",
            "Account strategy",
            SettingType.CHOICE,
            "each",
            help="Create an account for each commerce customer, or one for each root customer that its "
            "whole hierarchy shares. Changing it re-links every customer in a background job.",
            choices=STRATEGIES,
            on_change=strategy.on_setting_changed,
        ),
    )
    job_types.register(
        strategy.JOB_TYPE, JobType(strategy.JOB_TYPE, "Account strategy switch", strategy.switch_job)
    )
    bench.register()
    for item in (
        MenuItem(
            "crm_commerce_customers",
            "customers",
            "Customer accounts",
            "console:crm_commerce_customers",
            45,
            "commerce.customer",
        ),
        MenuItem(
            "crm_commerce_strategy",
            "system",
            "Account strategy",
            "console:crm_commerce_strategy",
            45,
            "platform.setting",
        ),
    ):
        menu_items.register(item.key, item)
    paths = [ActivityPath("crm_commerce.customers", "crm.account", "commerce.customer", _customers_of)]
    paths += [
        ActivityPath(f"crm_commerce.{key}", "crm.account", entity, _documents_of(model))
        for key, entity, model in DOCUMENT_PATHS
    ]
    for path in paths:
        activity_paths.register(path.key, path)
    # Accounts are also found by their commerce customers' names: wrap CRM's provider.
    original = search_providers.get("crm.account")
    search_providers.unregister("crm.account")
    search_providers.register(
        "crm.account",
        SearchProvider(
            "crm.account", original.label, search.with_customer_names(original.documents), original.order
        ),
    )


def _customers_of(account_id: Any) -> Any:
    from accord.crm_commerce.services._common import hub_rows

    return hub_rows().filter(account_id=account_id).values("source_id")


def _documents_of(model: str) -> Any:
    def ids(account_id: Any) -> Any:
        from django.apps import apps

        return (
            apps.get_model("commerce", model)
            .objects.filter(customer_id__in=_customers_of(account_id))
            .values("id")
        )

    return ids


def _events() -> list[tuple[Any, Any]]:
    from accord.commerce import signals as commerce
    from accord.crm import signals as crm
    from accord.crm_commerce import listeners

    return [
        (commerce.customer_created, listeners.customer_created),
        (commerce.customers_bulk_created, listeners.customers_bulk_created),
        (commerce.customer_moved, listeners.customer_moved),
        (commerce.customer_deleted, listeners.customer_deleted),
        (commerce.order_payment_changed, listeners.order_payment_changed),
        (commerce.order_cancelled, listeners.order_cancelled),
        (commerce.order_deleted, listeners.order_deleted),
        (commerce.order_moved, listeners.order_moved),
        (commerce.orders_bulk_created, listeners.orders_bulk_created),
        (crm.accounts_merged, listeners.accounts_merged),
        (crm.merge_undone, listeners.merge_undone),
        (crm.customer_association_changed, listeners.hub_changed),
    ]


def _connect_events() -> None:
    for signal, receiver in _events():
        signal.connect(receiver, dispatch_uid=f"crm_commerce.{receiver.__name__}")


def disconnect_events() -> None:
    """Tests that build a commerce-only database before the bridge's tables exist."""
    for signal, receiver in _events():
        signal.disconnect(dispatch_uid=f"crm_commerce.{receiver.__name__}")
