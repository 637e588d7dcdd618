"""The platform's share of generated data: business units and console users with roles."""

from __future__ import annotations

from accord.platform.generate import ScaleContext, ScaleGenerator, scale_generators
from accord.platform.models import BusinessUnit, Role, User
from accord.platform.services.organization import business_unit_create
from accord.platform.services.users import users_bulk_create

ROLE_MIX = ("sales_rep", "sales_rep", "sales_rep", "sales_manager", "commerce_manager")


def generate(ctx: ScaleContext) -> None:
    top = ctx.admin.business_unit
    assert top is not None
    unit_count = ctx.count(5, minimum=2)
    units: list[BusinessUnit] = []
    for n in range(unit_count):
        name = f"Region {n + 1}"
        unit = BusinessUnit.objects.filter(organization=ctx.organization, name=name).first()
        units.append(unit or business_unit_create(organization=ctx.organization, name=name, parent=top))
    roles = {role.name: role for role in Role.objects.all()}
    existing = set(User.objects.filter(username__startswith="gen.").values_list("username", flat=True))
    rows, grants = [], {}
    for n in range(ctx.count(50, minimum=5)):
        first, last = ctx.person()
        username = f"gen.{first.lower()}.{last.lower()}.{n}"
        if username in existing:
            continue
        rows.append(
            {
                "username": username,
                "email": f"{username}@example.com",
                "first_name": first,
                "last_name": last,
                "business_unit": units[n % len(units)],
            }
        )
        grants[username] = [roles[ROLE_MIX[n % len(ROLE_MIX)]]]
    users_bulk_create(rows=rows, password=f"generated-{ctx.seed}", roles=grants)
    ctx.progress("console users", len(rows), len(rows))
    ctx.shared["units"] = units
    ctx.shared["users"] = list(User.objects.filter(username__startswith="gen.").order_by("id"))


def register() -> None:
    scale_generators.register(
        "platform", ScaleGenerator("platform", "Business units and console users", generate, 0)
    )
