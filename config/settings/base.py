"""Settings shared by every environment. Environment variables decide; defaults suit a developer."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

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

SECRET_KEY = os.environ.get("PARITRANA_SECRET_KEY", "dev-only-not-secret-change-me-in-production-9d7f")
DEBUG = _env_bool("PARITRANA_DEBUG", True)
ALLOWED_HOSTS = [h for h in os.environ.get("PARITRANA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "procrastinate.contrib.django",
    "paritrana.core",
    "paritrana.regions",
    "paritrana.accounts",
    "paritrana.registry",
    "paritrana.contributions",
    "paritrana.benefits",
    "paritrana.enrolment",
    "paritrana.coverage",
    "paritrana.subsidies",
    "paritrana.linkage",
    "paritrana.award",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "paritrana.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
            ],
        },
    }
]

WSGI_APPLICATION = "config.wsgi.application"

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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

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
PARITRANA_LOGIN_MAX_FAILURES = int(os.environ.get("PARITRANA_LOGIN_MAX_FAILURES", "5"))
PARITRANA_LOGIN_LOCK_MINUTES = int(os.environ.get("PARITRANA_LOGIN_LOCK_MINUTES", "15"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"paritrana": {"handlers": ["console"], "level": os.environ.get("PARITRANA_LOG_LEVEL", "INFO")}},
}
