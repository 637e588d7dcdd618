"""What the sales side of the CRM registers: business customers, leads and opportunities
(entities, grants, menu, settings, search, activity paths, dashboard widgets, demo data), the
"crm.business_customer" customer source and the b2b lifetime explainer."""

from __future__ import annotations

from typing import Any

from accord.platform.models import AccessLevel
from accord.platform.registries import (
    ActivityPath,
    DashboardWidget,
    DemoLoader,
    EntityDef,
    JobType,
    MenuItem,
    SearchProvider,
    SettingDef,
    SettingSection,
    SettingType,
    activity_paths,
    dashboard_widgets,
    demo_loaders,
    grant_to_role,
    job_types,
    menu_items,
    register_entity,
    search_providers,
    setting_defs,
    setting_sections,
)

DIV, BU, OWN = AccessLevel.DIVISION, AccessLevel.BUSINESS_UNIT, AccessLevel.USER
DEFAULT_PROBABILITIES = (
    ("in_progress", "Open", 0),
    ("identification_alignment", "Identification & Alignment", 10),
    ("needs_analysis", "Needs Analysis", 20),
    ("solution_development", "Solution Development", 50),
    ("negotiation", "Negotiation", 80),
    ("won", "Closed Won", 100),
    ("lost", "Closed Lost", 0),
)

ENTITIES = (
    EntityDef(
        "crm.business_customer",
        "crm.BusinessCustomer",
        "Business customer",
        "Business customers",
        audit_exclude=("created_at", "updated_at", "lifetime"),
        view_url_name="console:business_customers_view",
        activities=True,
        module="crm",
    ),
    EntityDef(
        "crm.lead",
        "crm.Lead",
        "Lead",
        "Leads",
        view_url_name="console:leads_view",
        activities=True,
        module="crm",
    ),
    EntityDef(
        "crm.opportunity",
        "crm.Opportunity",
        "Opportunity",
        "Opportunities",
        view_url_name="console:opportunities_view",
        activities=True,
        module="crm",
    ),
)


def _related(model: str, **lookup: str) -> Any:
    def ids(pk: Any) -> Any:
        from django.apps import apps

        return apps.get_model("crm", model).objects.filter(**dict.fromkeys(lookup.values(), pk)).values("id")

    return ids


def _leads_of_account(pk: Any) -> Any:
    from django.db.models import Q

    from accord.crm.models import Lead

    return Lead.objects.filter(Q(customer_association__account_id=pk) | Q(contact__accounts=pk)).values("id")


def register() -> None:
    for entity in ENTITIES:
        register_entity(entity)
        grant_to_role("sales_manager", entity.key, **dict.fromkeys(entity.actions, DIV))
        grant_to_role("sales_rep", entity.key, view=BU, create=OWN, edit=OWN, delete=OWN)
    grant_to_role("commerce_manager", "crm.opportunity", view=AccessLevel.ORGANIZATION)
    _register_customer_source()
    _register_settings()
    _register_faces()
    job_types.register(
        "crm.lifetime_recalculate",
        JobType("crm.lifetime_recalculate", "Recalculate CRM lifetime sales values", _recalculate_job),
    )


def _register_customer_source() -> None:
    from accord.crm import registries
    from accord.crm.selectors.lifetime import explain_b2b
    from accord.crm.signals import accounts_merged, customer_association_changed, merge_undone

    registries.customer_sources.register(
        "crm.business_customer",
        registries.CustomerSource(
            "crm.business_customer",
            "Business customer",
            "crm.BusinessCustomer",
            entity="crm.business_customer",
            account_field="account",
            view_url_name="console:business_customers_view",
        ),
    )
    registries.lifetime_explainers.register("b2b", registries.LifetimeExplainer("b2b", "b2b", explain_b2b))
    from accord.crm.account_sections_sales import render_b2b

    registries.account_view_sections.register(
        "crm.b2b", registries.AccountViewSection("crm.b2b", "b2b", render_b2b, order=20)
    )
    customer_association_changed.connect(_on_hub_changed, dispatch_uid="crm.sales.hub_changed")
    accounts_merged.connect(_on_merge, dispatch_uid="crm.sales.lifetime_after_merge")
    merge_undone.connect(_on_merge, dispatch_uid="crm.sales.lifetime_after_undo")


def _on_merge(sender: Any, *, master_id: int, **kwargs: Any) -> None:
    """Lifetime rows are derived (not moved by a merge): recompute the master's and, after an undo,
    the restored accounts' pairs in the merge's transaction."""
    from accord.crm.services.lifetime import account_lifetime_refresh

    account_lifetime_refresh(account_ids=[master_id, *kwargs.get("restored_ids", [])])


def _on_hub_changed(sender: Any, **kwargs: Any) -> None:

    from accord.crm.services.business_customers import hub_changed

    kwargs.pop("signal", None)
    hub_changed(**kwargs)


def _recalculate_job(ctx: Any, dry_run: bool = False) -> dict[str, Any]:
    """Job handler: the lifetime recalculation (`accord crm_lifetime_recalculate` does the same)."""
    from accord.crm.services.lifetime import lifetime_recalculate

    report = lifetime_recalculate(dry_run=dry_run)
    ctx.progress(1, 1, force=True)
    return {"business_customers": len(report["business_customers"]), "lifetime_values": len(report["pairs"])}


def _register_settings() -> None:
    setting_sections.register(
        "opportunities",
        SettingSection(
            "opportunities", "Opportunities", 40, "Default probability of each opportunity status."
        ),
    )
    for order, (status, label, percent) in enumerate(DEFAULT_PROBABILITIES):
        setting_defs.register(
            f"opportunities.probability_{status}",
            SettingDef(
                f"opportunities.probability_{status}",
                "opportunities",
                f"Probability: {label} (%)",
                SettingType.DECIMAL,
                percent,
                help="Set on an opportunity that enters this status, unless its probability was overridden.",
                min_value=0,
                max_value=100,
                order=order,
            ),
        )


def _register_faces() -> None:
    from accord.crm import demo_sales, scale_sales, search_sales, widgets_sales
    from accord.crm.menu import channel_gate

    for item in (
        MenuItem("leads", "sales", "Leads", "console:leads_list", 10, "crm.lead", channel_gate("crm.lead")),
        MenuItem(
            "opportunities",
            "sales",
            "Opportunities",
            "console:opportunities_list",
            20,
            "crm.opportunity",
            channel_gate("crm.opportunity"),
        ),
        MenuItem(
            "forecast",
            "sales",
            "Forecast",
            "console:forecast",
            30,
            "crm.opportunity",
            channel_gate("crm.opportunity"),
        ),
        MenuItem(
            "business_customers",
            "customers",
            "Business customers",
            "console:business_customers_list",
            30,
            "crm.business_customer",
            channel_gate("crm.business_customer"),
        ),
    ):
        menu_items.register(item.key, item)
    for provider in (
        SearchProvider(
            "crm.business_customer", "Business customers", search_sales.business_customer_documents, 30
        ),
        SearchProvider("crm.lead", "Leads", search_sales.lead_documents, 32),
        SearchProvider("crm.opportunity", "Opportunities", search_sales.opportunity_documents, 34),
    ):
        search_providers.register(provider.entity, provider)
    for path in (
        ActivityPath("crm.account.leads", "crm.account", "crm.lead", _leads_of_account),
        ActivityPath(
            "crm.account.opportunities",
            "crm.account",
            "crm.opportunity",
            _related("Opportunity", account="customer_association__account_id"),
        ),
        ActivityPath(
            "crm.account.business_customers",
            "crm.account",
            "crm.business_customer",
            _related("BusinessCustomer", account="account_id"),
        ),
        ActivityPath(
            "crm.opportunity.lead", "crm.opportunity", "crm.lead", _related("Lead", lead="opportunities__id")
        ),
    ):
        activity_paths.register(path.key, path)
    dashboard_widgets.register(
        "crm.forecast",
        DashboardWidget(
            "crm.forecast",
            "Forecast of opportunities",
            "crm/widgets/forecast.html",
            widgets_sales.forecast_widget,
            10,
            entity="crm.opportunity",
        ),
    )
    dashboard_widgets.register(
        "crm.lifetime_average",
        DashboardWidget(
            "crm.lifetime_average",
            "Average lifetime sales",
            "crm/widgets/lifetime_average.html",
            widgets_sales.lifetime_average_widget,
            20,
            entity="crm.account",
        ),
    )
    scale_sales.register()
    demo_loaders.register(
        "crm.sales", DemoLoader("crm.sales", "Leads, opportunities, business customers", demo_sales.load, 40)
    )
