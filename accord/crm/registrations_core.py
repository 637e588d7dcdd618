"""Menu, search providers, activity paths and demo loader of accounts, contacts, groups and channels."""

from __future__ import annotations

from typing import Any

from accord.platform.registries import (
    ActivityPath,
    DemoLoader,
    MenuItem,
    SearchProvider,
    activity_paths,
    demo_loaders,
    menu_items,
    search_providers,
)


def _account_contact_ids(pk: Any) -> Any:
    """oro-spec §2.8: an account's activities include those of its contacts."""
    from accord.crm.models import Account

    return Account.contacts.through.objects.filter(account_id=pk).values("contact_id")


def register() -> None:
    from accord.crm import bench, demo_core, scale_core, search

    for item in (
        MenuItem("accounts", "customers", "Accounts", "console:accounts_list", 10, "crm.account"),
        MenuItem("contacts", "customers", "Contacts", "console:contacts_list", 12, "crm.contact"),
        MenuItem(
            "contact_groups",
            "customers",
            "Contact groups",
            "console:contact_groups_list",
            14,
            "crm.contact_group",
        ),
        MenuItem("channels", "system", "Channels", "console:channels_list", 60, "crm.channel"),
    ):
        menu_items.register(item.key, item)

    for provider in (
        SearchProvider("crm.account", "Accounts", search.account_documents, 10),
        SearchProvider("crm.contact", "Contacts", search.contact_documents, 12),
        SearchProvider("crm.contact_group", "Contact groups", search.contact_group_documents, 14),
    ):
        search_providers.register(provider.entity, provider)

    activity_paths.register(
        "crm.account.contacts",
        ActivityPath("crm.account.contacts", "crm.account", "crm.contact", _account_contact_ids),
    )
    demo_loaders.register("crm", DemoLoader("crm", "Accounts, contacts and channels", demo_core.load, 10))
    scale_core.register()
    bench.register()
