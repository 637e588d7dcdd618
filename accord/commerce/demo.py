"""Demo data of commerce: customer groups, a few customer hierarchies 3–4 levels deep with their
users and roles, and products. Idempotent: it does nothing when the demo customers exist."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accord.commerce.models import Customer, CustomerUserRole, EntryPoint, Product
from accord.commerce.services.customer_users import customer_user_create
from accord.commerce.services.customers import customer_create
from accord.commerce.services.groups import customer_group_create
from accord.commerce.services.products import product_create
from accord.commerce.services.roles import customer_user_role_create
from accord.platform.models import Organization, User

GROUPS = (("Wholesale", "net_30", "WHOLESALE"), ("Retail", "prepaid", "RETAIL"), ("Partners", "net_60", ""))

# (name, parent name, group, owner username, rating)
CUSTOMERS = (
    ("Northwind Holdings", None, "Wholesale", "carl.commerce", "5_of_5"),
    ("Northwind Europe", "Northwind Holdings", "Wholesale", "carl.commerce", "4_of_5"),
    ("Northwind Germany", "Northwind Europe", "Wholesale", "carl.commerce", "4_of_5"),
    ("Northwind Berlin Store", "Northwind Germany", "Retail", "carl.commerce", "3_of_5"),
    ("Northwind France", "Northwind Europe", "Wholesale", "maria.manager", "3_of_5"),
    ("Northwind Americas", "Northwind Holdings", "Wholesale", "maria.manager", "4_of_5"),
    ("Globex Corporation", None, "Partners", "maria.manager", "4_of_5"),
    ("Globex Retail", "Globex Corporation", "Retail", "maria.manager", "2_of_5"),
    ("Globex Outlet East", "Globex Retail", "Retail", "carl.commerce", "2_of_5"),
    ("Initech", None, None, "carl.commerce", "3_of_5"),
    ("Initech Labs", "Initech", None, "carl.commerce", "1_of_5"),
)

# (first, last, customer, roles)
USERS = (
    ("Nora", "Wind", "Northwind Holdings", ("Administrator",)),
    ("Eric", "Europa", "Northwind Europe", ("Administrator",)),
    ("Greta", "Hansen", "Northwind Germany", ("Buyer",)),
    ("Bernd", "Lauer", "Northwind Berlin Store", ("Buyer",)),
    ("Francois", "Martin", "Northwind France", ("Buyer", "Purchasing approver")),
    ("Amy", "Adams", "Northwind Americas", ("Buyer",)),
    ("Hank", "Scorpio", "Globex Corporation", ("Administrator",)),
    ("Olive", "Outlet", "Globex Outlet East", ("Buyer",)),
    ("Peter", "Gibbons", "Initech", ("Administrator", "Buyer")),
)

PRODUCTS = (
    ("PAPER-A4-500", "Copy paper A4, 500 sheets", "4.90"),
    ("PEN-BLUE-10", "Ballpoint pens, blue, box of 10", "3.50"),
    ("STAPLER-HD", "Heavy-duty stapler", "24.00"),
    ("TONER-X200", "Toner cartridge X200", "89.00"),
    ("CHAIR-ERGO", "Ergonomic office chair", "349.00"),
    ("DESK-STAND", "Standing desk 160x80", "629.00"),
    ("MONITOR-27", "27-inch monitor", "279.00"),
    ("CABLE-HDMI-2", "HDMI cable, 2 m", "9.90"),
)


def load(*, organization: Organization, admin: User, **_: Any) -> None:
    if Customer.objects.filter(organization=organization, external_id="demo-northwind-holdings").exists():
        return
    users = {u.username: u for u in User.objects.filter(organization=organization)}

    def owner(username: str) -> User:
        return users.get(username, admin)

    groups = {
        name: customer_group_create(name=name, payment_term=term, tax_code=tax, owner=admin, actor=admin)
        for name, term, tax in GROUPS
    }
    reps = [u for name, u in users.items() if name in ("sam.rep", "rita.rep")]
    customers: dict[str, Customer] = {}
    for name, parent, group, owner_name, rating in CUSTOMERS:
        customers[name] = customer_create(
            name=name,
            parent=customers[parent] if parent else None,
            group=groups[group] if group else None,
            owner=owner(owner_name),
            sales_representatives=reps[:1] if parent else reps,
            internal_rating=rating,
            external_id=f"demo-{name.lower().replace(' ', '-')}",
            addresses=[
                {
                    "street": f"{len(name)} Market Street",
                    "city": "Springfield",
                    "postal_code": "12345",
                    "country": "US",
                    "types": ["billing", "shipping"],
                    "default_types": ["billing", "shipping"],
                }
            ],
            entry_point=EntryPoint.DEMO,
            actor=admin,
        )
    roles = {r.label: r for r in CustomerUserRole.objects.filter(customer__isnull=True)}
    roles["Purchasing approver"] = customer_user_role_create(
        label="Purchasing approver",
        customer=customers["Northwind France"],
        self_managed=True,
        grants={"commerce.order": {"view": 2, "edit": 2}, "commerce.quote": {"view": 2}},
        actor=admin,
    )
    for first, last, customer, role_labels in USERS:
        customer_user_create(
            email=f"{first}.{last}@{customer.split()[0].lower()}.example.com".lower(),
            first_name=first,
            last_name=last,
            customer=customers[customer],
            roles=[roles[label] for label in role_labels],
            owner=customers[customer].owner,
            entry_point=EntryPoint.DEMO,
            actor=admin,
        )
    for sku, name, price in PRODUCTS:
        if not Product.objects.filter(organization=organization, sku=sku).exists():
            product_create(sku=sku, name=name, unit_price=Decimal(price), currency="USD", actor=admin)
