"""What the storefront registers with the platform: its settings section."""

from __future__ import annotations

from accord.platform.registries import SettingDef, SettingSection, SettingType, setting_defs, setting_sections

REGISTRATION_ENABLED = "storefront.registration_enabled"
CONFIRMATION_REQUIRED = "storefront.confirmation_required"
DEFAULT_ROLE = "storefront.default_role"


def register_all() -> None:
    setting_sections.register(
        "storefront",
        SettingSection("storefront", "Storefront", 35, "Registration and sign-in of customer users."),
    )
    for definition in (
        SettingDef(
            REGISTRATION_ENABLED,
            "storefront",
            "Registration enabled",
            SettingType.BOOLEAN,
            True,
            help="Visitors may register a company and its first user on the storefront.",
            order=10,
        ),
        SettingDef(
            CONFIRMATION_REQUIRED,
            "storefront",
            "Email confirmation required",
            SettingType.BOOLEAN,
            True,
            help="A registered user logs in only after following the link mailed to it.",
            order=20,
        ),
        SettingDef(
            DEFAULT_ROLE,
            "storefront",
            "Default role",
            SettingType.STRING,
            "ROLE_FRONTEND_BUYER",
            help="Code of the shared customer user role given to registered users and invited colleagues.",
            order=30,
        ),
    ):
        setting_defs.register(definition.key, definition)
    from accord.storefront import bench

    bench.register()
