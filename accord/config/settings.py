"""One settings module, driven by environment variables (documented with defaults in the README)."""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from accord.config.modules import accord_apps, parse_modules

env = environ.Env()

REPO_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = Path(env.str("ACCORD_DATA_DIR", default=str(REPO_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("ACCORD_DEBUG", default=False)
TESTING = env.bool("ACCORD_TESTING", default=False)

ACCORD_MODULES = parse_modules(env.str("ACCORD_MODULES", default="crm,commerce"))


def _secret_key() -> str:
    """Read the key from the environment, or keep a generated one in the data directory."""
    from_env = env.str("ACCORD_SECRET_KEY", default="")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ACCORD_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("ACCORD_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "axes",
    "huey.contrib.djhuey",
    *accord_apps(ACCORD_MODULES),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accord.platform.middleware.SecureHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "accord.config.urls"
WSGI_APPLICATION = "accord.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accord.platform.console.context.console_context",
            ],
        },
    }
]

# Set but empty (`ACCORD_DATABASE_URL=`) means the default too, not a database without an engine.
DATABASE_URL = env.str("ACCORD_DATABASE_URL", default="") or f"sqlite:///{DATA_DIR / 'accord.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"].get("ENGINE") not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    raise ImproperlyConfigured(
        f"ACCORD_DATABASE_URL={DATABASE_URL!r}: not a database URL Accord knows "
        "(sqlite:///path/to/file.sqlite3 or postgres://user:password@host:port/name)"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE avoids deadlocked upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-accord.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "ACCORD_DB_PREPARED", default=True
):
    # Parameters bound by the server, and statements run a few times prepared: PostgreSQL then plans
    # them once per connection (decision 0077). Off for a pooler that cannot keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": env.int("ACCORD_DB_PREPARE_THRESHOLD", default=5)}
    )
# Kept connections skip the connect (and SQLite's PRAGMAs) and keep their page cache warm.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("ACCORD_DB_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Lists count their rows exactly up to this many; above it they say "more than" (decision 0078).
ACCORD_COUNT_LIMIT = env.int("ACCORD_COUNT_LIMIT", default=10_000)

AUTH_USER_MODEL = "platform.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:dashboard"

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("ACCORD_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("ACCORD_LOGIN_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "platform/console/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("ACCORD_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Cache: Redis when configured, else the process-local memory cache.
REDIS_URL = env.str("ACCORD_REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs (huey): Redis at scale, a SQLite queue file in the embedded default.
HUEY_IMMEDIATE = env.bool("ACCORD_JOBS_IMMEDIATE", default=TESTING)
HUEY_SQLITE_PATH = str(DATA_DIR / "jobs.sqlite3")

# Mail: written as files under the data directory unless ACCORD_EMAIL_URL names an SMTP server.
EMAIL_FILE_PATH = env.str("ACCORD_MAIL_DIR", default=str(DATA_DIR / "mail"))
if env.str("ACCORD_EMAIL_URL", default=""):
    vars().update(env.email_url("ACCORD_EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("ACCORD_DEFAULT_FROM_EMAIL", default="accord@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env.bool("ACCORD_HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
if HTTPS:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

ACCORD_HOST = env.str("ACCORD_HOST", default="127.0.0.1")
ACCORD_PORT = env.int("ACCORD_PORT", default=8000)
ACCORD_WEB_WORKERS = env.int("ACCORD_WEB_WORKERS", default=2)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("ACCORD_LOG_LEVEL", default="WARNING")},
}

HUEY = {
    "name": "accord",
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "immediate": HUEY_IMMEDIATE,
    "connection": {"url": REDIS_URL} if REDIS_URL else {"filename": HUEY_SQLITE_PATH},
    "results": False,
    "consumer": {
        "workers": env.int("ACCORD_WORKER_THREADS", default=2),
        "worker_type": "thread",
    },
}
