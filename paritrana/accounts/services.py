"""Login with lockout, API tokens, and user provisioning. Every change is audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from paritrana.core.audit import audit_record
from paritrana.core.errors import NotFound, PermissionDenied, Problem, ValidationFailed

from . import throttle
from .models import ApiToken, Profile
from .scope import scope_for

LoginLocked = throttle.Locked


def client_address(request: Any) -> str:
    """Who is guessing: the connecting address, or the first address of the header a trusted proxy
    sets (``PARITRANA_CLIENT_IP_HEADER``, e.g. ``HTTP_X_FORWARDED_FOR``) when one is configured."""
    if request is None:
        return "-"
    header = settings.PARITRANA_CLIENT_IP_HEADER
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[0].strip()[:64]
    return str(request.META.get("REMOTE_ADDR") or "-")[:64]


def login_limits(username: str, client: str) -> list[throttle.Limit]:
    """Three limits: a name from one client (the usual lockout, which a stranger elsewhere cannot
    set off), one client across every name (guesses spread over accounts), and one name across every
    client (guessing from many addresses) — the last high, so that locking someone out takes many."""
    lock = timedelta(minutes=settings.PARITRANA_LOGIN_LOCK_MINUTES)
    return [
        throttle.Limit(f"login:{username}|{client}", settings.PARITRANA_LOGIN_MAX_FAILURES, lock, lock),
        throttle.Limit(f"client:{client}", settings.PARITRANA_LOGIN_MAX_FAILURES_PER_CLIENT, lock, lock),
        throttle.Limit(f"login:{username}", settings.PARITRANA_LOGIN_MAX_FAILURES_PER_USER, lock, lock),
    ]


def login_attempt(*, username: str, password: str, request: Any = None) -> User | None:
    """Check a password under three lockouts (``login_limits``); raises ``LoginLocked`` while any is
    locked, even for the right password, so guessing gains nothing. The attempt is counted before the
    password is checked (``throttle.attempt``), so parallel guesses cannot slip past the count."""
    username = (username or "").strip()[:150]
    client = client_address(request)
    limits = login_limits(username, client)
    for key in throttle.attempt(limits):
        audit_record(actor=None, action="login_locked", entity="user", entity_id=key[:64], channel="page")
    user = authenticate(request, username=username, password=password)
    if user is None:
        return None
    throttle.forgive(reset=[limits[0].key, limits[2].key], undo=[limits[1].key])
    audit_record(actor=user, action="login", entity="user", entity_id=user.pk)
    return user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# A token is a password that programs keep: it expires. A year at most, ninety days unless asked.
TOKEN_DAYS_DEFAULT = 90
TOKEN_DAYS_MAX = 365


def api_token_create(
    *, actor: Any, user: User, name: str, days: int = TOKEN_DAYS_DEFAULT, channel: str = "system"
) -> tuple[ApiToken, str]:
    """Issue a token; the clear text is returned once and never stored. A user issues their own (the
    page); the command line and the national administrator may issue for others."""
    problems = []
    name = " ".join(str(name or "").split())
    if not name:
        problems.append(Problem("required", "Nama token wajib diisi (untuk apa token ini).", "name"))
    elif len(name) > 80:
        problems.append(Problem("too_long", "Nama token paling panjang 80 karakter.", "name"))
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= TOKEN_DAYS_MAX:
        problems.append(Problem("days_invalid", f"Masa berlaku 1 sampai {TOKEN_DAYS_MAX} hari.", "days"))
    if problems:
        raise ValidationFailed(problems)
    if getattr(actor, "pk", None) != user.pk and not scope_for(actor).everything:
        raise PermissionDenied("Token hanya diterbitkan untuk akun Anda sendiri.")
    secret = "prt_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[4:12],
            key_hash=_hash(secret),
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit_record(
            actor=actor,
            action="api_token_create",
            entity="api_token",
            entity_id=token.pk,
            channel=channel,
            detail={"user": user.username, "name": name, "days": days},
        )
    return token, secret


TOKEN_USE_PRECISION = timedelta(minutes=1)


def api_token_user(secret: str) -> User | None:
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__profile")  # the caller's scope, in the same query
        .filter(key_hash=_hash(secret), revoked_at__isnull=True)
        .exclude(expires_at__lte=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    # "Last used" to the minute: one write a minute per token, not one per request (a program calling
    # the API many times a second would otherwise queue its requests on that one row's lock).
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_tokens_of(*, user: Any) -> list[ApiToken]:
    """The user's own tokens, newest first (never the secret: only its first characters)."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))


def api_token_revoke(*, actor: Any, token_id: int, channel: str = "system") -> None:
    """Revoke a token: its owner may, and the national administrator; anyone else gets NotFound."""
    tokens = ApiToken.objects.filter(pk=token_id)
    if not scope_for(actor).everything:
        tokens = tokens.filter(user=actor) if getattr(actor, "is_authenticated", False) else tokens.none()
    with transaction.atomic():
        token = tokens.select_for_update().first()
        if token is None:
            raise NotFound("Token")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token_revoke", entity="api_token", entity_id=token_id, channel=channel)


def account_email_set(*, actor: Any, email: str, channel: str = "page") -> User:
    """The caller's own e-mail address, where notifications go (paritrana/notifications): bills
    overdue, claims decided, uploads enrolled. Empty: no e-mail at all."""
    user = actor if isinstance(actor, User) else None
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Masuk terlebih dahulu.")
    email = email.strip()
    if email:
        try:
            if len(email) > 254:  # the column's width (RFC 5321's limit for a path)
                raise DjangoValidationError("too long")
            validate_email(email)
        except DjangoValidationError as exc:
            raise ValidationFailed(
                [Problem("email_invalid", "Alamat e-mail tidak sah, mis. nama@contoh.go.id.", "email")]
            ) from exc
    with transaction.atomic():
        previous = user.email
        user.email = email
        user.save(update_fields=["email"])
        audit_record(
            actor=user, action="account_email_set", entity="user", entity_id=user.pk, channel=channel,
            detail={"had_address": bool(previous), "has_address": bool(email)},
        )  # fmt: skip
    return user


def user_provision(*, actor: Any, username: str, password: str, role: str, **assignment: Any) -> User:
    """Create or update a user with a role and its assignment (region, branch, employer, sponsor, person).
    The password must pass the installation's validators (AUTH_PASSWORD_VALIDATORS)."""
    try:
        validate_password(password, User(username=username))
    except DjangoValidationError as exc:
        raise ValidationFailed(
            [Problem(e.code or "password_invalid", " ".join(e.messages), "password") for e in exc.error_list]
        ) from exc
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
