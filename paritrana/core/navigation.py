"""Where a page may send people next."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, value: str, default: str = "") -> str:
    """``value`` when it is a path on this site, else ``default``.

    A path only: ``//evil.example`` and ``/\\evil.example`` (which browsers read as another host)
    and any absolute URL are refused, so a crafted link cannot send someone off-site after a form.

    """
    value = (value or "").strip()
    if (
        value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return default
