"""What the CRM registers with the platform: entities, grants of the predefined roles, menu,
search providers, activity paths, channel types and the demo loader.

Each part of the app registers through its own function, listed in `REGISTER` (append yours).
"""

from __future__ import annotations

from collections.abc import Callable

from accord.platform.models import AccessLevel
from accord.platform.registries import (
    EntityDef,
    OrganizationSetup,
    Ownership,
    grant_to_role,
    organization_setups,
    register_entity,
)

ORG = AccessLevel.ORGANIZATION
USER = AccessLevel.USER

CORE_ENTITIES = (
    EntityDef(
        "crm.account",
        "crm.Account",
        "Account",
        "Accounts",
        view_url_name="console:accounts_view",
        activities=True,
        module="crm",
    ),
    EntityDef(
        "crm.contact",
        "crm.Contact",
        "Contact",
        "Contacts",
        audit_exclude=("created_at", "updated_at", "primary_email", "primary_phone"),
        view_url_name="console:contacts_view",
        activities=True,
        module="crm",
    ),
    EntityDef(
        "crm.contact_group",
        "crm.ContactGroup",
        "Contact group",
        "Contact groups",
        view_url_name="console:contact_groups_view",
        module="crm",
    ),
    EntityDef(
        "crm.merge",
        "crm.Merge",
        "Merge",
        "Merges",
        ownership=Ownership.ORGANIZATION,
        actions=("view",),
        audit_exclude=("state", "summary"),
        view_url_name="console:merges_view",
        module="crm",
    ),
    EntityDef(
        "crm.channel",
        "crm.Channel",
        "Channel",
        "Channels",
        ownership=Ownership.ORGANIZATION,
        actions=("view", "create", "edit", "delete"),
        view_url_name="console:channels_view",
        module="crm",
    ),
)


def register_core() -> None:
    from accord.crm import registries
    from accord.crm.services.contact_groups import contact_groups_on_new_organization

    for entity in CORE_ENTITIES:
        register_entity(entity)
        grant_to_role("sales_manager", entity.key, **dict.fromkeys(entity.actions, ORG))
    for key in ("crm.account", "crm.contact"):
        grant_to_role("sales_rep", key, view=USER, create=USER, edit=USER)
    grant_to_role("sales_rep", "crm.contact_group", view=ORG)
    registries.register_channel_types()
    organization_setups.register(
        "crm.contact_groups", OrganizationSetup("crm.contact_groups", contact_groups_on_new_organization)
    )


def register_core_faces() -> None:
    from accord.crm import registrations_core

    registrations_core.register()


REGISTER: list[Callable[[], None]] = [
    register_core,
    register_core_faces,
]


def register_all() -> None:
    for register in REGISTER:
        register()


def register_sales() -> None:
    from accord.crm import registrations_sales

    registrations_sales.register()


REGISTER.append(register_sales)
