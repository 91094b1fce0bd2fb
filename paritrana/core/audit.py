"""Recording audit events: writes (call inside the write's transaction) and reads of personal data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from .models import AuditEvent, AuditSubject


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


def audit_read(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    entity: str,
    entity_id: object = "",
    channel: str = "system",
    persons: QuerySet[Any] | Iterable[int] = (),
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record a read of personal data and every person it showed.

    ``persons`` is a list of person ids, or a queryset of them (``values_list("person_id",
    flat=True)``), which is inserted set-based — a read of a hundred thousand rows costs one
    statement, not a hundred thousand."""
    event = audit_record(actor=actor, action=action, entity=entity, entity_id=entity_id, channel=channel, detail=detail)
    if isinstance(persons, QuerySet):
        try:
            sql, params = persons.query.sql_with_params()
        except EmptyResultSet:  # a scope that sees nobody: the read showed no one
            return event
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO core_auditsubject (event_id, person_id) SELECT DISTINCT %s, s.p FROM ({sql}) AS s(p) "
                "WHERE s.p IS NOT NULL",
                [event.pk, *params],
            )
    else:
        ids = sorted({int(p) for p in persons if p is not None})
        AuditSubject.objects.bulk_create([AuditSubject(event=event, person_id=p) for p in ids], batch_size=5000)
    return event


def reads_of_person(*, person_id: int, limit: int = 500) -> list[AuditEvent]:
    """Every audited event that showed or changed this person, newest first: reads recorded with
    their persons (``AuditSubject``) and events about the person record itself."""
    from django.db.models import Exists, OuterRef, Q

    shown = AuditSubject.objects.filter(event=OuterRef("pk"), person_id=person_id)
    return list(
        AuditEvent.objects.filter(Q(Exists(shown)) | Q(entity="person", entity_id=str(person_id)))
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )
