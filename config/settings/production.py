"""Production: the secret and the hosts come from the environment, HTTPS is required.

Refuses to start without its own PARITRANA_SECRET_KEY (at least 50 characters) and hosts: with a
guessable key anyone could forge the QR verification tokens and session cookies.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import _env_bool

DEBUG = False
SECRET_KEY = os.environ.get("PARITRANA_SECRET_KEY", "")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "PARITRANA_SECRET_KEY wajib di-set (paling sedikit 50 karakter acak), misalnya: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = [h for h in os.environ.get("PARITRANA_ALLOWED_HOSTS", "").split(",") if h and h != "testserver"]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("PARITRANA_ALLOWED_HOSTS wajib di-set (nama host yang dilayani, dipisah koma).")
# Notifications go out by e-mail, or by no way at all, said so: never to a file nobody reads.
if not PARITRANA_EMAIL_URL:  # noqa: F405
    raise ImproperlyConfigured(
        "PARITRANA_EMAIL_URL wajib di-set: smtp://pengguna:sandi@host:587?starttls=1, smtps://host:465, "
        "atau none bila tanpa notifikasi e-mail."
    )
if PARITRANA_MAIL_ENABLED and not os.environ.get("PARITRANA_EMAIL_FROM", "").strip():  # noqa: F405
    raise ImproperlyConfigured("PARITRANA_EMAIL_FROM wajib di-set, mis. 'Paritrana <noreply@bpjs.contoh.id>'.")
CSRF_TRUSTED_ORIGINS = [f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS if h != "*"]

SECURE_SSL_REDIRECT = _env_bool("PARITRANA_SSL_REDIRECT", True)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (the proxy must overwrite it).
if _env_bool("PARITRANA_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("PARITRANA_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Joining browsers' HSTS preload list binds the whole domain for months: its owner decides
# (PARITRANA_HSTS_PRELOAD=1), and until then ``check --deploy`` is not asked to insist.
SECURE_HSTS_PRELOAD = _env_bool("PARITRANA_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = int(os.environ.get("PARITRANA_SESSION_SECONDS", str(4 * 3600)))
