"""Models and migrations agree, for every installed module."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:
        raise AssertionError(f"models changed without a migration:\n{out.getvalue()}") from exc


@pytest.mark.django_db(transaction=True)
def test_migrations_apply_backwards_and_forwards() -> None:
    call_command("migrate", "platform", "0001", verbosity=0)
    call_command("migrate", verbosity=0)
