"""Demo data of the platform: a business-unit tree and a user for each predefined role."""

from __future__ import annotations

from typing import Any

from accord.platform.models import BusinessUnit, Organization, Role, User
from accord.platform.services.organization import business_unit_create
from accord.platform.services.users import user_create

UNITS = (("Sales", None), ("Sales East", "Sales"), ("Sales West", "Sales"), ("Commerce", None))
USERS = (
    ("maria.manager", "Maria", "Lopez", "Sales", "sales_manager"),
    ("sam.rep", "Sam", "Taylor", "Sales East", "sales_rep"),
    ("rita.rep", "Rita", "Novak", "Sales West", "sales_rep"),
    ("carl.commerce", "Carl", "Weber", "Commerce", "commerce_manager"),
)


def load(*, organization: Organization, admin: User, password: str | None = None) -> None:
    top = admin.business_unit
    if top is None:
        raise ValueError("The administrator has no business unit.")
    units = {top.name: top}
    for name, parent in UNITS:
        existing = BusinessUnit.objects.filter(organization=organization, name=name).first()
        units[name] = existing or business_unit_create(
            organization=organization, name=name, parent=units[parent] if parent else top, actor=admin
        )
    for username, first, last, unit, role in USERS:
        if User.objects.filter(username=username).exists():
            continue
        user_create(
            username=username,
            password=password or _demo_password(),
            business_unit=units[unit],
            email=f"{username}@example.com",
            first_name=first,
            last_name=last,
            roles=list(Role.objects.filter(name=role)),
            actor=admin,
        )


def _demo_password() -> str:
    from accord.platform.setup import credentials_file

    for line in credentials_file().read_text().splitlines() if credentials_file().exists() else []:
        if line.startswith("password: "):
            return line.removeprefix("password: ")
    return "accord-demo-password"


def register(load_fn: Any = load) -> None:
    from accord.platform.registries import DemoLoader, demo_loaders

    demo_loaders.register("platform", DemoLoader("platform", "Business units and users", load_fn, order=0))
