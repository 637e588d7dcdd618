"""CLI commands: createuser, token, setup and demo; errors are a message and a non-zero exit."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from accord.platform.models import ApiToken, BusinessUnit, Organization, User
from accord.platform.services.roles import roles_sync_predefined

REPO = Path(__file__).resolve().parents[3]


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_createuser_creates_a_user_in_the_named_unit_with_roles(tree) -> None:
    out, _ = _run(
        "createuser",
        "ola",
        "--email",
        "ola@example.com",
        "--password",
        "a-long-secret-42",
        "--role",
        "sales_rep",
        "--business-unit",
        "Sales East",
    )

    user = User.objects.get(username="ola")
    assert out.strip() == "Created user ola in Sales East."
    assert user.business_unit == tree.east
    assert user.check_password("a-long-secret-42")
    assert [r.name for r in user.roles.all()] == ["sales_rep"]


def test_createuser_without_a_password_prints_a_generated_one(tree) -> None:
    out, _ = _run("createuser", "gen")

    password = out.strip().splitlines()[-1].removeprefix("Password: ")
    assert User.objects.get(username="gen").check_password(password)
    assert User.objects.get(username="gen").business_unit == tree.main


def test_createuser_with_a_bad_password_names_the_field_and_creates_nothing(tree) -> None:
    with pytest.raises(CommandError, match=r"^password: .*too short") as exc:
        call_command("createuser", "weak", "--password", "short")

    assert exc.value.returncode == 1
    assert not User.objects.filter(username="weak").exists()


def test_createuser_refuses_a_taken_name_unknown_role_and_unknown_unit(tree, admin) -> None:
    with pytest.raises(CommandError, match="username: This username is taken."):
        call_command("createuser", "root-admin", "--password", "a-long-secret-42")
    with pytest.raises(CommandError, match="Unknown role\\(s\\): wizard"):
        call_command("createuser", "x1", "--password", "a-long-secret-42", "--role", "wizard")
    with pytest.raises(CommandError, match="no business unit named 'Mars'"):
        call_command("createuser", "x2", "--password", "a-long-secret-42", "--business-unit", "Mars")

    assert User.objects.count() == 1


def test_token_create_prints_a_token_that_authenticates(tree, admin) -> None:
    out, err = _run("token", "create", "--user", "root-admin", "--name", "deploy")

    raw = out.strip()
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["username"] == "root-admin"
    assert "it is not shown again" in err
    assert ApiToken.objects.get(user=admin).name == "deploy"


def test_token_list_and_revoke(tree, admin) -> None:
    out, _ = _run("token", "create", "--user", "root-admin")
    raw = out.strip()
    token = ApiToken.objects.get(user=admin)

    listed, _ = _run("token", "list", "--user", "root-admin")
    revoked, _ = _run("token", "revoke", "--user", "root-admin", "--id", str(token.pk))

    assert listed.strip() == f"{token.pk}\t{token.prefix}…\tcli\tactive"
    assert revoked.strip() == f"Token {token.pk} (cli) revoked."
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_token_for_an_unknown_user_is_an_error(tree) -> None:
    with pytest.raises(CommandError, match="There is no user named 'ghost'"):
        call_command("token", "create", "--user", "ghost")

    assert ApiToken.objects.count() == 0


def test_token_revoke_of_an_unknown_id_is_an_error(tree, admin) -> None:
    with pytest.raises(CommandError, match="Token 424242 was not found."):
        call_command("token", "revoke", "--user", "root-admin", "--id", "424242")
    with pytest.raises(CommandError, match="revoke needs --id"):
        call_command("token", "revoke", "--user", "root-admin")


def test_setup_on_an_empty_database_creates_the_admin_and_saves_the_credentials(
    db, settings, tmp_path
) -> None:
    settings.DATA_DIR = tmp_path
    roles_sync_predefined()

    out, _ = _run("setup", "--no-demo")

    credentials = (tmp_path / "admin-credentials.txt").read_text()
    password = credentials.splitlines()[1].removeprefix("password: ")
    admin = User.objects.get(username="admin")
    assert credentials.startswith("username: admin\n")
    assert admin.check_password(password)
    assert f"Log in as admin with password {password}" in out
    assert [r.name for r in admin.roles.all()] == ["administrator"]
    assert admin.business_unit == BusinessUnit.objects.get(parent__isnull=True)
    assert Organization.objects.count() == 1
    assert (tmp_path / "admin-credentials.txt").stat().st_mode & 0o777 == 0o600


def test_setup_again_keeps_the_data_and_prints_no_password(db, settings, tmp_path) -> None:
    settings.DATA_DIR = tmp_path
    roles_sync_predefined()
    _run("setup", "--no-demo")
    first = (tmp_path / "admin-credentials.txt").read_text()

    out, _ = _run("setup", "--no-demo")

    assert "password" not in out.replace("(credentials saved in", "")
    assert (tmp_path / "admin-credentials.txt").read_text() == first
    assert User.objects.count() == 1


def test_demo_loads_the_demo_users(db, settings, tmp_path) -> None:
    settings.DATA_DIR = tmp_path
    roles_sync_predefined()
    _run("setup", "--no-demo")

    out, _ = _run("demo")

    assert "Demo data loaded: platform" in out
    demo = {u.username: u for u in User.objects.exclude(username="admin").prefetch_related("roles")}
    for username, unit, role in (
        ("maria.manager", "Sales", "sales_manager"),
        ("sam.rep", "Sales East", "sales_rep"),
        ("rita.rep", "Sales West", "sales_rep"),
        ("carl.commerce", "Commerce", "commerce_manager"),
    ):
        assert demo[username].business_unit.name == unit
        assert [r.name for r in demo[username].roles.all()] == [role]
    assert BusinessUnit.objects.get(name="Sales East").parent.name == "Sales"


def test_demo_without_setup_is_an_error(db) -> None:
    with pytest.raises(CommandError, match="Run setup first"):
        call_command("demo")


def test_the_accord_cli_lists_the_commands_and_exits_non_zero_on_errors(tmp_path) -> None:
    env_cmd = [sys.executable, "-m", "accord.config.cli"]
    helped = subprocess.run([*env_cmd, "--help"], cwd=REPO, capture_output=True, text=True, check=False)
    failed = subprocess.run(
        [*env_cmd, "token", "create"], cwd=REPO, capture_output=True, text=True, check=False
    )

    assert helped.returncode == 0, helped.stderr
    for command in ("serve", "createuser", "token", "demo", "worker", "setup"):
        assert command in helped.stdout
    assert failed.returncode != 0
    assert "--user" in failed.stderr


def test_an_empty_database_url_means_the_default_and_a_wrong_one_is_named(tmp_path) -> None:
    import os

    command = [sys.executable, "-m", "accord.config.cli", "showmigrations", "platform"]
    env = {**os.environ, "ACCORD_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the command's own settings, as a user runs it
    empty = subprocess.run(
        command, cwd=REPO, env={**env, "ACCORD_DATABASE_URL": ""}, capture_output=True, text=True, check=False
    )
    wrong = subprocess.run(
        command,
        cwd=REPO,
        env={**env, "ACCORD_DATABASE_URL": "mysqlx://db"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert empty.returncode == 0, empty.stderr
    assert "0001_initial" in empty.stdout
    assert wrong.returncode != 0
    assert "ACCORD_DATABASE_URL='mysqlx://db': not a database URL Accord knows" in wrong.stderr
