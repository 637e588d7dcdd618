"""Settings for the test suite: the base settings with test defaults set before they are read.

`ACCORD_TEST_DB=postgres` runs the suite on a PostgreSQL server that `scripts/pg.sh` starts
on 127.0.0.1 (installed from Debian's packages by `.ci/run`, or already on the machine).
"""

import os
import subprocess
import tempfile
from pathlib import Path

os.environ.setdefault("ACCORD_TESTING", "1")
# A data directory (and so a SQLite test database) per test process, so parallel runs never clash.
os.environ.setdefault("ACCORD_DATA_DIR", tempfile.mkdtemp(prefix="accord-test-"))
os.environ.setdefault("ACCORD_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")

if os.environ.get("ACCORD_TEST_DB") == "postgres" and "ACCORD_DATABASE_URL" not in os.environ:
    script = Path(__file__).resolve().parents[2] / "scripts" / "pg.sh"
    url = subprocess.run([str(script), "start"], check=True, capture_output=True, text=True).stdout  # noqa: S603
    os.environ["ACCORD_DATABASE_URL"] = url.strip().splitlines()[-1]

from accord.config.settings import *  # noqa: E402,F403

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_accord_{os.getpid()}"}  # noqa: F405

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
