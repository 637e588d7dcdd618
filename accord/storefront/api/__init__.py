"""The storefront API (`/api/storefront/v1/`): a second NinjaAPI for customer users.

Deliberately no `routes.py` here: the platform mounts `<app>.api.routes` on the back-office API."""
