"""First-run setup: the organization, its top business unit, the administrator, demo data."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from accord.platform.models import BusinessUnit, Organization, Role, User
from accord.platform.registries import demo_loaders
from accord.platform.services.organization import business_unit_create
from accord.platform.services.users import user_create

ADMIN_USERNAME = "admin"


@dataclass
class SetupResult:
    created: bool
    username: str
    password: str | None
    credentials_file: Path


def credentials_file() -> Path:
    return Path(settings.DATA_DIR) / "admin-credentials.txt"


def install_ensure(*, organization_name: str = "Accord Demo") -> SetupResult:
    """Create the organization, top unit and administrator unless users exist already."""
    path = credentials_file()
    with transaction.atomic():
        if User.objects.exists():
            return SetupResult(False, ADMIN_USERNAME, None, path)
        organization = Organization.objects.order_by("id").first() or Organization.objects.create(
            name=organization_name
        )
        unit = BusinessUnit.objects.filter(organization=organization, parent__isnull=True).first()
        if unit is None:
            unit = business_unit_create(organization=organization, name="Main")
        password = secrets.token_urlsafe(12)
        user_create(
            username=ADMIN_USERNAME,
            password=password,
            business_unit=unit,
            email="admin@example.com",
            first_name="Ada",
            last_name="Admin",
            roles=list(Role.objects.filter(name="administrator")),
        )
    path.write_text(f"username: {ADMIN_USERNAME}\npassword: {password}\n")
    path.chmod(0o600)
    return SetupResult(True, ADMIN_USERNAME, password, path)


def demo_load(*, progress: Callable[[str], None] | None = None) -> list[str]:
    """Run every installed module's demo loader, in order, each in its own transaction."""
    organization = Organization.objects.order_by("id").first()
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if organization is None or admin is None:
        raise RuntimeError("Run setup first: there is no organization or administrator.")
    done = []
    for loader in sorted(demo_loaders, key=lambda item: (item.order, item.key)):
        if progress:
            progress(loader.label)
        with transaction.atomic():
            loader.load(organization=organization, admin=admin)
        done.append(loader.key)
    return done
