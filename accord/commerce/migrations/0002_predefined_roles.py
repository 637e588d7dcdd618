"""The predefined customer user roles, shared by every customer (oro-spec §1.10).

Administrator: every storefront entity and action at Corporate. Buyer: the same, except
customers, customer addresses and customer users (view at Department), customer user
addresses (view at User) and customer user roles (none). The grants are frozen here.
"""

from django.db import migrations

ACTIONS = ("view", "create", "edit", "delete")
CUSTOMER_OWNED = (
    "commerce.customer",
    "commerce.customer_address",
    "commerce.customer_user",
    "commerce.customer_user_role",
)
USER_OWNED = (
    "commerce.customer_user_address",
    "commerce.shopping_list",
    "commerce.rfq",
    "commerce.quote",
    "commerce.order",
)
NONE, USER, DEPARTMENT, CORPORATE = 0, 1, 2, 3

ADMINISTRATOR = {(e, a): CORPORATE for e in (*CUSTOMER_OWNED, *USER_OWNED) for a in ACTIONS}
BUYER = {(e, a): CORPORATE for e in USER_OWNED for a in ACTIONS if e != "commerce.customer_user_address"}
BUYER.update(
    {
        ("commerce.customer", "view"): DEPARTMENT,
        ("commerce.customer_address", "view"): DEPARTMENT,
        ("commerce.customer_user", "view"): DEPARTMENT,
        ("commerce.customer_user_address", "view"): USER,
    }
)
ROLES = (
    ("ROLE_FRONTEND_ADMINISTRATOR", "Administrator", True, ADMINISTRATOR),
    ("ROLE_FRONTEND_BUYER", "Buyer", False, BUYER),
)


def create(apps, schema_editor):
    Role = apps.get_model("commerce", "CustomerUserRole")
    Grant = apps.get_model("commerce", "CustomerUserRoleGrant")
    for code, label, self_managed, grants in ROLES:
        role, created = Role.objects.get_or_create(
            role=code,
            defaults={"label": label, "self_managed": self_managed, "public": True, "is_predefined": True},
        )
        if created:
            Grant.objects.bulk_create(
                Grant(role=role, entity=e, action=a, level=lvl) for (e, a), lvl in grants.items() if lvl
            )


def remove(apps, schema_editor):
    Role = apps.get_model("commerce", "CustomerUserRole")
    Role.objects.filter(role__in=[code for code, *_ in ROLES], users__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("commerce", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
