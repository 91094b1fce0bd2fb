"""Recording audit events. Call inside the write's transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .models import AuditEvent


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    entity: str,
    entity_id: object = "",
    channel: str = "system",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    user = actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None
    return AuditEvent.objects.create(
        actor=user,  # type: ignore[misc]  # any user model
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        channel=channel,
        detail=detail or {},
    )
