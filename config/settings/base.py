"""Settings shared by every environment. Environment variables decide; defaults suit a developer."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from paritrana.core import embedded_db

BASE_DIR = Path(__file__).resolve().parents[2]


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_from_url(url: str) -> dict[str, object]:
    """A Django DATABASES entry from ``postgresql://user:pass@host:port/name?options``."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ValueError("DATABASE_URL harus PostgreSQL (postgresql://…): Paritrana hanya mendukung PostgreSQL")
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    host = query.pop("host", None) or parsed.hostname or ""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "postgres",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(parsed.port or ""),
        "OPTIONS": query,
        "CONN_MAX_AGE": 0,
    }


def email_from_url(url: str, spool: Path) -> dict[str, Any]:
    """Django's e-mail settings from ``PARITRANA_EMAIL_URL``: ``smtp://user:password@host:port``
    (``?starttls=1`` to upgrade the connection), ``smtps://…`` for TLS from the first byte, ``none``
    for no notifications at all, unset for a developer's machine: each message a file in ``spool``."""
    url = url.strip()
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(spool)}
    if url == "none":
        return {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    parsed = urlparse(url)
    if parsed.scheme not in {"smtp", "smtps"} or not parsed.hostname:
        raise ValueError("PARITRANA_EMAIL_URL harus smtp://host:port, smtps://host:port atau none")
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    ssl = parsed.scheme == "smtps"
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname,
        "EMAIL_PORT": parsed.port or (465 if ssl else 25),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": ssl,
        "EMAIL_USE_TLS": not ssl and query.get("starttls", "") in {"1", "true", "yes"},
        "EMAIL_TIMEOUT": int(query.get("timeout", "20")),
    }


DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
USES_EMBEDDED_DATABASE = not DATABASE_URL
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PARITRANA_DB_NAME", embedded_db.DATABASE_NAME),
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": str(embedded_db.socket_dir()),
            "PORT": str(embedded_db.PORT),
        }
    }
# A connection kept for this many seconds and reused by the next requests of its thread (0: one per
# request). ``paritrana serve`` keeps them (60 s): opening one costs PostgreSQL a process and a cold
# catalogue cache on every request. Checked before reuse, so a restarted server costs one error-free retry.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("PARITRANA_DB_CONN_MAX_AGE", "0"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# No secret is committed: the signed QR codes on cards and certificates, sessions and password
# resets all rest on it. A deployment sets PARITRANA_SECRET_KEY (production.py refuses to start
# without it); a developer's machine gets one generated under var/ on first use (dev.py).
SECRET_KEY = os.environ.get("PARITRANA_SECRET_KEY", "")
# Tracebacks only when asked for: an error page must not show code and settings to whoever caused it.
DEBUG = _env_bool("PARITRANA_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("PARITRANA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "procrastinate.contrib.django",
    "csp",
    "paritrana.core",
    "paritrana.regions",
    "paritrana.accounts",
    "paritrana.law",
    "paritrana.registry",
    "paritrana.contributions",
    "paritrana.notifications",
    "paritrana.benefits",
    "paritrana.enrolment",
    "paritrana.coverage",
    "paritrana.subsidies",
    "paritrana.linkage",
    "paritrana.award",
    "paritrana.portal",
    "paritrana.demo",
]

MIDDLEWARE = [
    # First: every later log line of the request carries its id, and its latency is measured whole.
    "paritrana.core.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT, compressed and, under ``paritrana serve``, hashed and cached for
    # a year (issue 30); under runserver it finds nothing there and lets Django's static view answer.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "paritrana.core.middleware.RequestSizeLimitMiddleware",
    "paritrana.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "paritrana.core.middleware.DomainRefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "paritrana" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "paritrana.portal.context.navigation",
            ],
        },
    }
]

WSGI_APPLICATION = "config.wsgi.application"

# Argon2id first (issue 27: sign-in within 300 ms at p95): memory-hard, so stronger against GPU
# guessing than PBKDF2, and at Django's parameters (100 MiB, 2 passes, 8 lanes) checked in about
# 110 ms here against 225 ms for PBKDF2's 1,000,000 iterations (bench/bench_login.py). Passwords
# hashed with PBKDF2 still work and are rehashed with Argon2id at their next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# People read Bahasa Indonesia (DESIGN.md §3.8); English is available.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "paritrana" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "paritrana" / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
# ``paritrana serve`` collects the static files first and sets PARITRANA_STATIC_MANIFEST: the pages
# then name each file by its content's hash, and WhiteNoise serves it compressed and cached for good.
# Elsewhere (tests, runserver) the files keep their names, since nothing was collected.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _env_bool("PARITRANA_STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded documents (core/files.py): outside the web root and never served as static files.
PRIVATE_FILES_DIR = Path(os.environ.get("PARITRANA_FILES_DIR", str(BASE_DIR / "var" / "files")))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# A working day, and gone with the browser: staff screens with personal data are left unattended.
SESSION_COOKIE_AGE = int(os.environ.get("PARITRANA_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts only from this site or with the response's nonce
# (the two progress pollers), nothing framed, forms posted only here. Inline style attributes carry
# computed widths and grid positions, hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Bounded inputs: a request body (not a file) of at most 2.5 MB, uploads kept in memory only up to
# 2.5 MB and on disk beyond; each door also caps its own files (enrolment, lists, statements).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
PARITRANA_MAX_REQUEST_BYTES = int(os.environ.get("PARITRANA_MAX_REQUEST_BYTES", str(110 * 1024 * 1024)))

# Lockout after repeated failed logins (accounts/services.py).
# Where people reach this installation: the QR codes on cards and certificates printed from the
# command line point here (pages and the API use the address they were called on).
PARITRANA_PUBLIC_URL = os.environ.get("PARITRANA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Province and regency boundaries (TopoJSON, Kemendagri codes in the property "kode") for the true
# choropleth on the coverage pages; without them the pages show the tile-grid map only. The shared
# folder beside the repository carries simplified 2025 boundaries (MIT, cahyadsn).
_BOUNDARIES_DEFAULT = BASE_DIR.parent / "shared" / "data" / "boundaries"
PARITRANA_BOUNDARIES = os.environ.get(
    "PARITRANA_BOUNDARIES", str(_BOUNDARIES_DEFAULT) if _BOUNDARIES_DEFAULT.is_dir() else ""
)
# How long an employer or sponsor still sees a person after its membership ended (registry/selectors.py).
PARITRANA_PAYER_RETENTION_DAYS = int(os.environ.get("PARITRANA_PAYER_RETENTION_DAYS", "90"))
PARITRANA_LOGIN_MAX_FAILURES = int(os.environ.get("PARITRANA_LOGIN_MAX_FAILURES", "5"))
PARITRANA_LOGIN_LOCK_MINUTES = int(os.environ.get("PARITRANA_LOGIN_LOCK_MINUTES", "15"))
PARITRANA_LOGIN_MAX_FAILURES_PER_CLIENT = int(os.environ.get("PARITRANA_LOGIN_MAX_FAILURES_PER_CLIENT", "30"))
PARITRANA_LOGIN_MAX_FAILURES_PER_USER = int(os.environ.get("PARITRANA_LOGIN_MAX_FAILURES_PER_USER", "50"))
# Behind a reverse proxy, the request header that carries the client's address (as Django names it,
# e.g. HTTP_X_FORWARDED_FOR); unset, the connecting address is the client.
PARITRANA_CLIENT_IP_HEADER = os.environ.get("PARITRANA_CLIENT_IP_HEADER", "")

# Logs: plain lines for a person at a terminal; one JSON object a line (with the request's id) for a
# log collector, with PARITRANA_LOG_FORMAT=json (``paritrana serve`` sets it). core/observability.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "paritrana.core.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "paritrana.core.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("PARITRANA_LOG_FORMAT", "") == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "loggers": {
        "paritrana": {"handlers": ["console"], "level": os.environ.get("PARITRANA_LOG_LEVEL", "INFO")},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
# E-mail notifications (paritrana/notifications): written to an outbox in the transaction of what they
# tell, sent from it by a job every minute. PARITRANA_EMAIL_URL says through what (email_from_url).
PARITRANA_EMAIL_URL = os.environ.get("PARITRANA_EMAIL_URL", "").strip()
PARITRANA_MAIL_ENABLED = PARITRANA_EMAIL_URL != "none"
_EMAIL = email_from_url(PARITRANA_EMAIL_URL, BASE_DIR / "var" / "mail")
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_FILE_PATH = _EMAIL.get("EMAIL_FILE_PATH", "")
EMAIL_HOST = _EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = _EMAIL.get("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("PARITRANA_EMAIL_FROM", "Paritrana <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# /metrics answers loopback clients, or a scraper presenting this token as a Bearer.
PARITRANA_METRICS_TOKEN = os.environ.get("PARITRANA_METRICS_TOKEN", "")

# Linkage on Spark (`--engine spark`): local[*] in this process's JVM, or a standalone master such as
# spark://10.0.0.5:7077 (issue 32 §4; docs/scale.md); the driver's and each executor's memory.
PARITRANA_LINKAGE_SPARK_MASTER = os.environ.get("PARITRANA_LINKAGE_SPARK_MASTER", "local[*]")
PARITRANA_LINKAGE_SPARK_MEMORY = os.environ.get("PARITRANA_LINKAGE_SPARK_MEMORY", "4g")

# On a Citus coordinator, `paritrana migrate` distributes the schema when this is set (or with
# `--cluster`): issue 32, core/distribute.py, docs/scale.md.
PARITRANA_CITUS = os.environ.get("PARITRANA_CITUS", "") not in ("", "0", "false")
