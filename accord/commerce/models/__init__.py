"""Commerce models. Everything public is re-exported here."""

from accord.commerce.models.addresses import AddressBase, CustomerAddress, CustomerUserAddress
from accord.commerce.models.choices import EntryPoint, InternalRating, PaymentTerm, ProductStatus
from accord.commerce.models.customer_users import (
    CustomerUser,
    CustomerUserRole,
    CustomerUserRoleGrant,
    StorefrontLevel,
)
from accord.commerce.models.customers import Customer, CustomerGroup
from accord.commerce.models.documents import (
    Quote,
    QuoteLine,
    QuoteStatus,
    Rfq,
    RfqLine,
    RfqStatus,
    ShoppingList,
    ShoppingListLine,
)
from accord.commerce.models.orders import (
    InternalStatus,
    Order,
    OrderLine,
    OrderPayment,
    OrderRefund,
    PaymentStatus,
    derive_payment_status,
)
from accord.commerce.models.products import Product

__all__ = [
    "AddressBase",
    "Customer",
    "CustomerAddress",
    "CustomerGroup",
    "CustomerUser",
    "CustomerUserAddress",
    "CustomerUserRole",
    "CustomerUserRoleGrant",
    "EntryPoint",
    "InternalRating",
    "PaymentTerm",
    "Product",
    "ProductStatus",
    "StorefrontLevel",
    "InternalStatus",
    "Order",
    "OrderLine",
    "OrderPayment",
    "OrderRefund",
    "PaymentStatus",
    "Quote",
    "QuoteLine",
    "QuoteStatus",
    "Rfq",
    "RfqLine",
    "RfqStatus",
    "ShoppingList",
    "ShoppingListLine",
    "derive_payment_status",
]
