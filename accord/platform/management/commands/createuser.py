"""`accord createuser`: create a console user from the command line."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.platform.errors import DomainError
from accord.platform.models import BusinessUnit, Role
from accord.platform.services.users import user_create


class Command(BaseCommand):
    help = "Create a console user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--password", help="Default: a generated password, printed once.")
        parser.add_argument("--role", action="append", default=[], help="Role name; repeat for several.")
        parser.add_argument("--business-unit", help="Business unit name (default: the top unit).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["business_unit"]:
            unit = BusinessUnit.objects.filter(name=options["business_unit"]).first()
            if unit is None:
                raise CommandError(f"There is no business unit named {options['business_unit']!r}.")
        else:
            unit = BusinessUnit.objects.filter(parent__isnull=True).order_by("id").first()
            if unit is None:
                raise CommandError("There is no business unit yet: run `accord setup` first.")
        roles = list(Role.objects.filter(name__in=options["role"]))
        unknown = sorted(set(options["role"]) - {r.name for r in roles})
        if unknown:
            known = ", ".join(Role.objects.values_list("name", flat=True))
            raise CommandError(f"Unknown role(s): {', '.join(unknown)}. Known: {known}.")
        password = options["password"] or secrets.token_urlsafe(12)
        try:
            user = user_create(
                username=options["username"],
                password=password,
                business_unit=unit,
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                roles=roles,
            )
        except DomainError as exc:
            raise CommandError(_describe(exc)) from None
        self.stdout.write(f"Created user {user.username} in {unit.name}.")
        if not options["password"]:
            self.stdout.write(f"Password: {password}")


def _describe(exc: DomainError) -> str:
    errors = exc.as_errors()
    return "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
