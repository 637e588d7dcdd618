"""The back-office "New order" form: customer, buyer, currency, PO number, discount and up to
`LINES` lines (product id, quantity, optional unit price). It parses; `order_create` decides."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.commerce.models import Customer, CustomerUser, Product
from accord.platform import acl
from accord.platform.errors import ValidationFailed

LINES = 5


def field_map(numbers: list[int]) -> dict[str, str]:
    """The service names line fields `lines.i.x` (i among the filled lines); the form `line_N_x`."""
    mapping = {"lines": "line_0_product", "customer_user_id": "customer_user", "customer_id": "customer"}
    for i, n in enumerate(numbers):
        for part, field in (
            ("product_id", "product"),
            ("quantity", "quantity"),
            ("unit_price", "unit_price"),
        ):
            mapping[f"lines.{i}.{part}"] = f"line_{n}_{field}"
    return mapping


class OrderCreateForm(forms.Form):
    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(), widget=forms.NumberInput, label="Customer (id)"
    )
    customer_user = forms.ModelChoiceField(
        queryset=CustomerUser.objects.none(),
        widget=forms.NumberInput,
        required=False,
        label="Customer user (id)",
    )
    currency = forms.CharField(max_length=3, initial="USD")
    po_number = forms.CharField(max_length=255, required=False, label="PO number")
    discount = forms.DecimalField(max_digits=18, decimal_places=2, min_value=0, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = acl.visible(user, "commerce.customer")
        self.fields["customer_user"].queryset = acl.visible(user, "commerce.customer_user")
        products = acl.visible(user, "commerce.product", Product.objects.all())
        for n in range(LINES):
            self.fields[f"line_{n}_product"] = forms.ModelChoiceField(
                queryset=products,
                widget=forms.NumberInput,
                required=False,
                label=f"Line {n + 1}: product (id)",
            )
            self.fields[f"line_{n}_quantity"] = forms.DecimalField(
                max_digits=14, decimal_places=3, required=False, label=f"Line {n + 1}: quantity"
            )
            self.fields[f"line_{n}_unit_price"] = forms.DecimalField(
                max_digits=18,
                decimal_places=4,
                required=False,
                label=f"Line {n + 1}: unit price",
                help_text="Empty: the product's price (in the order's currency).",
            )


def form_lines(data: dict[str, Any]) -> tuple[list[dict[str, Any]], list[int]]:
    """The filled lines of a valid form, and the form row number of each (for `field_map`)."""
    rows, numbers = [], []
    for n in range(LINES):
        product, quantity = data.get(f"line_{n}_product"), data.get(f"line_{n}_quantity")
        if product is None and quantity is None:
            continue
        if product is None:
            raise ValidationFailed({f"line_{n}_product": "Choose a product for this quantity."})
        row: dict[str, Any] = {"product": product, "quantity": quantity if quantity is not None else 1}
        if data.get(f"line_{n}_unit_price") is not None:
            row["unit_price"] = data[f"line_{n}_unit_price"]
        rows.append(row)
        numbers.append(n)
    return rows, numbers


class OrderLineAddForm(forms.Form):
    """A line added to an open order: a product (or a SKU and name), a quantity, a unit price."""

    product = forms.ModelChoiceField(
        queryset=Product.objects.none(), widget=forms.NumberInput, required=False, label="Product (id)"
    )
    sku = forms.CharField(
        max_length=64, required=False, label="SKU", help_text="For a line without a product."
    )
    name = forms.CharField(max_length=255, required=False)
    quantity = forms.DecimalField(max_digits=14, decimal_places=3)
    unit_price = forms.DecimalField(
        max_digits=18,
        decimal_places=4,
        required=False,
        label="Unit price",
        help_text="Empty: the product's price (in the order's currency).",
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = acl.visible(user, "commerce.product", Product.objects.all())


class OrderLineChangeForm(forms.Form):
    quantity = forms.DecimalField(max_digits=14, decimal_places=3)
    unit_price = forms.DecimalField(max_digits=18, decimal_places=4, label="Unit price")
