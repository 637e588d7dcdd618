"""Reads over the customer hierarchy: subtrees, the tree of a root, roll-up counts, roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from accord.commerce.models import Customer, CustomerUser, CustomerUserRole
from accord.commerce.models.customers import subtree_q

TREE_LIMIT = 500


def customer_subtree(customer: Customer) -> QuerySet[Customer]:
    """The customer and all its descendants: one indexed prefix query at any depth."""
    return Customer.objects.filter(subtree_q(customer.path))


def _path_key(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


@dataclass
class TreeNode:
    id: int
    name: str
    depth: int
    current: bool
    in_subtree: bool


@dataclass
class CustomerTree:
    nodes: list[TreeNode]
    total: int
    truncated: bool


def customer_tree(customer: Customer, *, visible: QuerySet[Any], limit: int = TREE_LIMIT) -> CustomerTree:
    """The whole tree of the customer's root that `visible` lets through, depth first (2 queries).

    The nearest `limit` levels are kept when the tree is larger.
    """
    rows = visible.filter(root_id=customer.root_id)
    total = rows.count()
    picked = list(rows.order_by("depth", "id").values_list("id", "name", "depth", "path")[:limit])
    picked.sort(key=lambda row: _path_key(row[3]))
    nodes = [
        TreeNode(pk, name, depth, pk == customer.pk, path.startswith(customer.path))
        for pk, name, depth, path in picked
    ]
    return CustomerTree(nodes, total, total > len(nodes))


def subtree_counts(customer: Customer) -> dict[str, int]:
    """How many customers and customer users the subtree holds (the customer included)."""
    subtree = customer_subtree(customer)
    return {
        "customers": subtree.count(),
        "users": CustomerUser.objects.filter(subtree_q(customer.path, "customer__path")).count(),
    }


def roles_available_to(customer: Customer | None) -> QuerySet[CustomerUserRole]:
    """Roles a customer's users may hold: the shared ones and the customer's own."""
    q = Q(customer__isnull=True)
    if customer is not None:
        q |= Q(customer=customer)
    return CustomerUserRole.objects.filter(q)


def roles_in_organization(organization_id: int | None) -> QuerySet[CustomerUserRole]:
    """Shared roles plus the roles of the organization's customers (the console's tenant scope)."""
    return CustomerUserRole.objects.filter(
        Q(customer__isnull=True) | Q(customer__organization_id=organization_id)
    )
