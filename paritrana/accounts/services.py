"""Login with lockout, API tokens, and user provisioning. Every change is audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from paritrana.core.audit import audit_record
from paritrana.core.errors import DomainError

from .models import ApiToken, LoginThrottle, Profile


class LoginLocked(DomainError):
    status = 429

    def __init__(self, minutes: int) -> None:
        super().__init__("login_locked", f"Terlalu banyak percobaan gagal. Coba lagi dalam {minutes} menit.")


def login_attempt(*, username: str, password: str, request: Any = None) -> User | None:
    """Check a password, counting failures per username; lock the name after too many.

    Raises ``LoginLocked`` while locked, even for the right password, so guessing gains nothing.
    """
    now = timezone.now()
    username = (username or "").strip()
    with transaction.atomic():
        throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(username=username)
        if throttle.locked_until and throttle.locked_until > now:
            remaining = int((throttle.locked_until - now).total_seconds() // 60) + 1
            raise LoginLocked(remaining)
    user = authenticate(request, username=username, password=password)
    with transaction.atomic():
        throttle = LoginThrottle.objects.select_for_update().get(username=username)
        if user is None:
            throttle.failures += 1
            throttle.last_failure_at = now
            if throttle.failures >= settings.PARITRANA_LOGIN_MAX_FAILURES:
                throttle.locked_until = now + timedelta(minutes=settings.PARITRANA_LOGIN_LOCK_MINUTES)
                throttle.failures = 0
                audit_record(actor=None, action="login_locked", entity="user", entity_id=username)
            throttle.save()
            return None
        throttle.failures = 0
        throttle.locked_until = None
        throttle.save()
        audit_record(actor=user, action="login", entity="user", entity_id=user.pk)
    return user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, actor: Any, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token; the clear text is returned once and never stored."""
    secret = "prt_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=secret[4:12], key_hash=_hash(secret))
        audit_record(
            actor=actor,
            action="api_token_create",
            entity="api_token",
            entity_id=token.pk,
            detail={"user": user.username, "name": name},
        )
    return token, secret


def api_token_user(secret: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(secret), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def api_token_revoke(*, actor: Any, token_id: int) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit_record(actor=actor, action="api_token_revoke", entity="api_token", entity_id=token_id)


def user_provision(*, actor: Any, username: str, password: str, role: str, **assignment: Any) -> User:
    """Create or update a user with a role and its assignment (region, branch, employer, sponsor, person)."""
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.is_staff = role == "national_admin"
        user.is_superuser = role == "national_admin"
        user.save()
        Profile.objects.update_or_create(user=user, defaults={"role": role, **assignment})
        audit_record(
            actor=actor,
            action="user_provision",
            entity="user",
            entity_id=user.pk,
            detail={"role": role, "created": created},
        )
    return user
