"""CSV imports: modules register importers; a job reads the file and imports it row by row.

Each row is its own transaction (a savepoint inside the job): a bad row is recorded as a
row-level error on the job with its line number, field and reason, and the import goes on.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from accord.platform import acl
from accord.platform.dbstats import BULK_ROWS, database_analyze
from accord.platform.errors import DomainError, ValidationFailed
from accord.platform.jobs import JobContext, job_enqueue
from accord.platform.models import Job, User
from accord.platform.registries import JobType, Registry, job_types

MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class ImportColumn:
    name: str
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class Importer:
    key: str
    label: str
    entity: str  # the user needs `create` on it
    columns: tuple[ImportColumn, ...]
    import_row: Callable[..., Any]  # (row: dict[str, str], actor: User) -> the created/updated record

    def header(self) -> list[str]:
        return [column.name for column in self.columns]


importers: Registry[Importer] = Registry("importers")


def import_directory() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _check_header(importer: Importer, header: list[str] | None) -> None:
    if not header:
        raise ValidationFailed({"file": "The file is empty; the first line must name the columns."})
    missing = [c.name for c in importer.columns if c.required and c.name not in header]
    unknown = [name for name in header if name not in importer.header()]
    errors = {}
    if missing:
        errors["file"] = f"Missing required column(s): {', '.join(missing)}."
    if unknown:
        errors["columns"] = (
            f"Unknown column(s): {', '.join(unknown)}; expected {', '.join(importer.header())}."
        )
    if errors:
        raise ValidationFailed(errors)


def import_start(
    *, importer_key: str, content: bytes, actor: User, filename: str = "upload.csv", queue: bool = True
) -> Job:
    """Check the file's header and create the import job (queued, unless the caller runs it)."""
    if importer_key not in importers:
        raise ValidationFailed({"importer": f"Unknown importer {importer_key!r}."})
    importer = importers.get(importer_key)
    acl.require(actor, importer.entity, "create")
    if len(content) > MAX_BYTES:
        raise ValidationFailed({"file": "The file is larger than 200 MB."})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed({"file": "The file is not UTF-8 text."}) from None
    _check_header(importer, next(csv.reader(io.StringIO(text)), None))
    path = import_directory() / f"{uuid.uuid4().hex}.csv"
    path.write_text(text, encoding="utf-8")
    params = {"importer": importer_key, "path": str(path), "actor_id": actor.pk, "filename": filename}
    label = f"Import {importer.label} from {filename}"
    with transaction.atomic():
        if queue:
            return job_enqueue(type="platform.import", params=params, actor=actor, label=label)
        return Job.objects.create(
            type="platform.import",
            label=label,
            params=params,
            created_by=actor,
            organization_id=actor.organization_id,
        )


def run_import(
    ctx: JobContext, *, importer: str, path: str, actor_id: int, filename: str = ""
) -> dict[str, Any]:
    """The job handler: import every row, count what was written and what was refused."""
    definition = importers.get(importer)
    actor = User.objects.get(pk=actor_id)
    file_path = Path(path)
    text = file_path.read_text(encoding="utf-8")
    total = max(0, sum(1 for _ in csv.reader(io.StringIO(text))) - 1)
    reader = csv.DictReader(io.StringIO(text))
    _check_header(definition, list(reader.fieldnames or []))
    imported = failed = 0
    ctx.progress(0, total, force=True)
    for index, row in enumerate(reader, start=2):  # line 1 is the header
        try:
            with transaction.atomic():
                definition.import_row(row={k: (v or "").strip() for k, v in row.items() if k}, actor=actor)
        except ValidationFailed as exc:
            failed += 1
            for error in exc.as_errors():
                ctx.error(error["message"], row=index, field=error["field"])
        except DomainError as exc:
            failed += 1
            ctx.error(exc.message, row=index, field=exc.field or "")
        else:
            imported += 1
        ctx.progress(imported + failed, max(total, imported + failed))
    file_path.unlink(missing_ok=True)
    if imported >= BULK_ROWS:
        database_analyze()
    ctx.progress(imported + failed, imported + failed, force=True)
    return {"imported": imported, "failed": failed, "file": filename}


def _import_user(*, row: dict[str, str], actor: User) -> User:
    """One console user per row; the business unit by name, roles by name separated by `;`."""
    import secrets

    from accord.platform.models import BusinessUnit, Role
    from accord.platform.services.users import user_create

    units = BusinessUnit.objects.filter(organization_id=actor.organization_id or 0)
    unit = units.filter(name=row.get("business_unit", "")).first()
    if unit is None:
        raise ValidationFailed({"business_unit": f"There is no business unit {row.get('business_unit')!r}."})
    names = [n.strip() for n in row.get("roles", "").split(";") if n.strip()]
    roles = list(Role.objects.filter(name__in=names))
    unknown = sorted(set(names) - {r.name for r in roles})
    if unknown:
        raise ValidationFailed({"roles": f"Unknown role(s): {', '.join(unknown)}."})
    if any(r.is_administrator for r in roles) and not acl.is_administrator(actor):
        raise ValidationFailed({"roles": "Only administrators may give the administrator role."})
    return user_create(
        username=row.get("username", ""),
        password=row.get("password") or secrets.token_urlsafe(16),
        business_unit=unit,
        email=row.get("email", ""),
        first_name=row.get("first_name", ""),
        last_name=row.get("last_name", ""),
        roles=roles,
        actor=actor,
    )


def register() -> None:
    job_types.register("platform.import", JobType("platform.import", "CSV import", run_import))
    importers.register(
        "users",
        Importer(
            "users",
            "Users",
            "platform.user",
            (
                ImportColumn("username", required=True),
                ImportColumn("email"),
                ImportColumn("first_name"),
                ImportColumn("last_name"),
                ImportColumn("business_unit", required=True, help="name of an existing business unit"),
                ImportColumn("roles", help="role names separated by ';' (e.g. sales_rep)"),
                ImportColumn("password", help="empty: a random one; the user resets it by email"),
            ),
            _import_user,
        ),
    )
