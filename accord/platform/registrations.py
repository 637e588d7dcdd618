"""What the platform itself registers: its entities, predefined roles, menu, settings, job types."""

from __future__ import annotations

from typing import Any

from accord.platform.models import AccessLevel
from accord.platform.registries import (
    DashboardWidget,
    EntityDef,
    JobType,
    MenuItem,
    MenuSection,
    Ownership,
    RoleTemplate,
    SettingDef,
    SettingSection,
    SettingType,
    dashboard_widgets,
    grant_to_role,
    job_types,
    menu_items,
    menu_sections,
    register_entity,
    role_templates,
    setting_defs,
    setting_sections,
)

ADMINISTRATOR = "administrator"
SALES_MANAGER = "sales_manager"
SALES_REP = "sales_rep"
COMMERCE_MANAGER = "commerce_manager"

CURRENCIES = (
    ("USD", "US dollar"),
    ("EUR", "Euro"),
    ("GBP", "Pound sterling"),
    ("CHF", "Swiss franc"),
    ("CAD", "Canadian dollar"),
    ("AUD", "Australian dollar"),
    ("JPY", "Japanese yen"),
    ("SEK", "Swedish krona"),
    ("PLN", "Polish złoty"),
)


def _reindex(ctx: Any, entity: str | None = None) -> dict[str, Any]:
    from accord.platform.search import search_reindex

    written = search_reindex(entity=entity, progress=lambda n: ctx.progress(n))
    return {"indexed": written}


def _may_import(request: Any) -> bool:
    from accord.platform.console.import_pages import allowed_importers

    return bool(allowed_importers(request))


def register_all() -> None:
    for entity in (
        EntityDef(
            "platform.user",
            "platform.User",
            "User",
            "Users",
            ownership=Ownership.BUSINESS_UNIT,
            audit_exclude=("password", "last_login", "date_joined"),
            view_url_name="console:users_view",
        ),
        EntityDef(
            "platform.business_unit",
            "platform.BusinessUnit",
            "Business unit",
            "Business units",
            ownership=Ownership.ORGANIZATION,
            audit_exclude=("path", "created_at", "updated_at"),
            view_url_name="console:business_units_view",
        ),
        EntityDef(
            "platform.role",
            "platform.Role",
            "Role",
            "Roles",
            ownership=Ownership.NONE,
            actions=("view", "create", "edit", "delete"),
            view_url_name="console:roles_view",
        ),
        EntityDef("platform.activity", "platform.Activity", "Activity", "Activities", Ownership.USER),
        EntityDef(
            "platform.job",
            "platform.Job",
            "Job",
            "Jobs",
            ownership=Ownership.ORGANIZATION,
            actions=("view",),
            view_url_name="console:job_view",
        ),
        EntityDef(
            "platform.currency_rate",
            "platform.CurrencyRate",
            "Currency rate",
            "Currency rates",
            ownership=Ownership.NONE,
            actions=("view", "create", "edit"),
            view_url_name="console:currency_rates_view",
        ),
        EntityDef(
            "platform.setting",
            "platform.ConfigValue",
            "Setting",
            "System settings",
            ownership=Ownership.NONE,
            actions=("view", "edit"),
        ),
    ):
        register_entity(entity)

    for template in (
        RoleTemplate(ADMINISTRATOR, "Administrator", "Everything, everywhere in the organization.", True),
        RoleTemplate(
            SALES_MANAGER,
            "Sales Manager",
            "Manages the sales team's records in their business unit and the units below it.",
        ),
        RoleTemplate(SALES_REP, "Sales Rep", "Works their own records; sees their business unit's."),
        RoleTemplate(
            COMMERCE_MANAGER,
            "Commerce Manager",
            "Runs the commerce back office: customers, customer users, documents, orders.",
        ),
    ):
        role_templates.register(template.name, template)

    org, div, bu, own = (
        AccessLevel.ORGANIZATION,
        AccessLevel.DIVISION,
        AccessLevel.BUSINESS_UNIT,
        AccessLevel.USER,
    )
    grant_to_role(SALES_MANAGER, "platform.activity", view=div, create=div, edit=div, delete=div, assign=div)
    grant_to_role(SALES_MANAGER, "platform.user", view=org)
    grant_to_role(SALES_MANAGER, "platform.business_unit", view=org)
    grant_to_role(SALES_MANAGER, "platform.job", view=org)
    grant_to_role(SALES_MANAGER, "platform.setting", view=org)
    grant_to_role(SALES_MANAGER, "platform.currency_rate", view=org)
    grant_to_role(SALES_REP, "platform.currency_rate", view=org)
    grant_to_role(COMMERCE_MANAGER, "platform.currency_rate", view=org)
    grant_to_role(SALES_REP, "platform.activity", view=bu, create=own, edit=own, delete=own)
    grant_to_role(SALES_REP, "platform.user", view=org)
    grant_to_role(COMMERCE_MANAGER, "platform.activity", view=org, create=org, edit=own, delete=own)
    grant_to_role(COMMERCE_MANAGER, "platform.user", view=org)
    grant_to_role(COMMERCE_MANAGER, "platform.job", view=org)
    grant_to_role(COMMERCE_MANAGER, "platform.setting", view=org)

    for section in (
        MenuSection("customers", "Customers", 10, "people"),
        MenuSection("sales", "Sales", 20, "graph-up"),
        MenuSection("marketing", "Marketing", 30, "megaphone"),
        MenuSection("system", "System", 90, "gear"),
    ):
        menu_sections.register(section.key, section)
    for item in (
        MenuItem("users", "system", "Users", "console:users_list", 10, entity="platform.user"),
        MenuItem(
            "business_units",
            "system",
            "Business units",
            "console:business_units_list",
            20,
            entity="platform.business_unit",
        ),
        MenuItem("roles", "system", "Roles", "console:roles_list", 30, entity="platform.role"),
        MenuItem("settings", "system", "Settings", "console:settings", 40, entity="platform.setting"),
        MenuItem("jobs", "system", "Jobs", "console:jobs", 50, entity="platform.job"),
        MenuItem(
            "imports",
            "system",
            "Imports",
            "console:imports",
            60,
            permission=_may_import,
        ),
        MenuItem(
            "currency_rates",
            "system",
            "Currency rates",
            "console:currency_rates_list",
            45,
            entity="platform.currency_rate",
        ),
    ):
        menu_items.register(item.key, item)

    setting_sections.register(
        "general", SettingSection("general", "General", 0, "Organization-wide defaults.")
    )
    for definition in (
        SettingDef(
            "general.base_currency",
            "general",
            "Base currency",
            SettingType.CHOICE,
            "USD",
            help="Currency that totals, forecasts and lifetime values are reported in.",
            choices=CURRENCIES,
            order=10,
        ),
        SettingDef(
            "general.grid_page_size",
            "general",
            "Rows per grid page",
            SettingType.INTEGER,
            25,
            help="Default page size of console grids.",
            min_value=10,
            max_value=200,
            order=20,
        ),
    ):
        setting_defs.register(definition.key, definition)

    from accord.platform import bench_suites, demo, demo_scale, imports, widgets

    imports.register()
    demo_scale.register()
    bench_suites.register()
    demo.register()
    dashboard_widgets.register(
        "my_tasks",
        DashboardWidget(
            "my_tasks", "My open tasks", "platform/widgets/tasks.html", widgets.my_open_tasks, 90
        ),
    )
    dashboard_widgets.register(
        "recent_jobs",
        DashboardWidget(
            "recent_jobs",
            "Background jobs",
            "platform/widgets/jobs.html",
            widgets.recent_jobs,
            95,
            entity="platform.job",
        ),
    )
    job_types.register(
        "platform.search_reindex", JobType("platform.search_reindex", "Rebuild the search index", _reindex)
    )
