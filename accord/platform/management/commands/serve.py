"""`accord serve`: gunicorn on ACCORD_HOST:ACCORD_PORT, plus the embedded job worker when no Redis is set."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from accord.config.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serve Accord with gunicorn (and run background jobs beside it in the embedded setup)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.ACCORD_HOST, help="Default: ACCORD_HOST or 127.0.0.1.")
        parser.add_argument(
            "--port", type=int, default=settings.ACCORD_PORT, help="Default: ACCORD_PORT or 8000."
        )
        parser.add_argument(
            "--workers", type=int, default=settings.ACCORD_WEB_WORKERS, help="Web worker processes."
        )
        parser.add_argument("--threads", type=int, default=4, help="Threads per web worker.")
        parser.add_argument("--no-jobs", action="store_true", help="Do not start the embedded job worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker: subprocess.Popen[bytes] | None = None
        if not settings.REDIS_URL and not options["no_jobs"] and not settings.HUEY_IMMEDIATE:
            # Embedded default: the SQLite-backed queue is consumed by a worker we own.
            worker = subprocess.Popen(
                [sys.executable, "-m", "accord.config.cli", "worker"], env=os.environ.copy()
            )
        bind = f"{options['host']}:{options['port']}"
        self.stdout.write(f"Accord is serving on http://{bind}/ (console at /console/, API at /api/v1/docs)")
        try:
            _Gunicorn(
                {
                    "bind": bind,
                    "workers": options["workers"],
                    "threads": options["threads"],
                    "worker_class": "gthread",
                    "accesslog": "-" if settings.DEBUG else None,
                    "timeout": 120,
                    "graceful_timeout": 10,
                }
            ).run()
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
