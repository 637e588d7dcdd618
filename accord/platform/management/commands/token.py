"""`accord token create|list|revoke --user NAME`: personal API tokens from the command line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.platform.errors import DomainError
from accord.platform.models import User
from accord.platform.services.tokens import token_create, token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke a user's API tokens. `create` prints the token once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("--user", required=True, help="Username.")
        parser.add_argument("--name", default="cli", help="Token name (create).")
        parser.add_argument("--id", type=int, help="Token id (revoke).")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"There is no user named {options['user']!r}.")
        try:
            if options["action"] == "create":
                token, raw = token_create(user=user, name=options["name"])
                self.stdout.write(raw)
                self.stderr.write(f"Token {token.pk} ({token.name}) created; it is not shown again.")
            elif options["action"] == "list":
                for token in user.api_tokens.all():
                    state = "revoked" if token.revoked_at else "active"
                    self.stdout.write(f"{token.pk}\t{token.prefix}…\t{token.name}\t{state}")
            else:
                if options["id"] is None:
                    raise CommandError("revoke needs --id (see `accord token list`).")
                token = token_revoke(user=user, token_id=options["id"])
                self.stdout.write(f"Token {token.pk} ({token.name}) revoked.")
        except DomainError as exc:
            raise CommandError(exc.message) from None
