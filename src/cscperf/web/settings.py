"""Django settings, derived from the store the app serves (``CSCPERF_DB``).

The app's own tables live beside the store: a SQLite file next to a DuckDB store, or the same
PostgreSQL database. The secret key comes from ``CSCPERF_SECRET_KEY`` or a 0600 file beside the
store, created on first run, so sessions survive restarts without a key in the repository.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from cscperf.core.config import resolve_db

STORE = resolve_db(os.environ.get("CSCPERF_DB"))
HERE = Path(__file__).resolve().parent


def _state_dir() -> Path:
    if STORE.kind == "duckdb" and STORE.location != ":memory:":
        return Path(STORE.location).resolve().parent
    return Path(os.environ.get("CSCPERF_STATE_DIR", Path.home() / ".cscperf"))


def _secret_key() -> str:
    if os.environ.get("CSCPERF_SECRET_KEY"):
        return os.environ["CSCPERF_SECRET_KEY"]
    folder = _state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ".cscperf-web-secret"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _database() -> dict:
    if STORE.kind == "postgres":
        parts = urlsplit(STORE.location)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parts.path.lstrip("/"),
            "USER": parts.username or "",
            "PASSWORD": parts.password or "",
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
        }
    name = os.environ.get("CSCPERF_WEB_DB") or str(Path(STORE.location).with_suffix(".web.sqlite3"))
    # WAL: readers (sessions) never wait for the audit log's writer, and a commit is one append to
    # the log instead of a rollback journal written and deleted; IMMEDIATE takes the write lock at
    # BEGIN, so concurrent requests queue for it (up to the timeout) instead of failing as locked.
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": name,
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                        "transaction_mode": "IMMEDIATE", "timeout": 20}}


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("CSCPERF_WEB_DEBUG") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("CSCPERF_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "cscperf.web.apps.CscWebConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cscperf.web.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cscperf.web.urls"
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
                "cscperf.web.context.navigation",
            ],
        },
    }
]
WSGI_APPLICATION = "cscperf.web.wsgi.application"
DATABASES = {"default": _database()}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
HTTPS = os.environ.get("CSCPERF_HTTPS") == "1"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Failed logins allowed per username (and per address) in the window before login is refused.
LOGIN_FAILURE_LIMIT = int(os.environ.get("CSCPERF_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = None  # served from the package by WhiteNoise; no collectstatic step
STATICFILES_DIRS: list[str] = []
# WhiteNoise serves the app's static files (GOV.UK Frontend, htmx) straight from the package.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Request paths carry child identifiers: keep Django's request logging to warnings and above.
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
