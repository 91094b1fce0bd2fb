"""Recording audit events: writes (call inside the write's transaction) and reads of personal data."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import EmptyResultSet
from django.core.serializers.json import DjangoJSONEncoder
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
) -> int:
    """Record a read of personal data and every person it showed; returns the event's id.

    ``persons`` is a list of person ids, or a queryset of them (``values_list("person_id",
    flat=True)``), which is inserted set-based — a read of a hundred thousand rows costs one
    statement, not a hundred thousand. The event and its persons are one statement (atomic by
    itself, one round trip): it runs on every search an officer or a program makes."""
    user = actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None
    event = [getattr(user, "pk", None), action, entity, str(entity_id), channel,
             json.dumps(detail or {}, cls=DjangoJSONEncoder)]  # fmt: skip
    insert_event = (
        "WITH e AS (INSERT INTO core_auditevent (at, actor_id, action, entity, entity_id, channel, detail)"
        " VALUES (now(), %s, %s, %s, %s, %s, %s::jsonb) RETURNING id)"
    )
    if isinstance(persons, QuerySet):
        try:
            sql, params = persons.query.sql_with_params()
        except EmptyResultSet:  # a scope that sees nobody: the read showed no one
            sql, params = "SELECT NULL::bigint WHERE false", ()
        statement = (
            f"{insert_event}, subjects AS (INSERT INTO core_auditsubject (event_id, person_id)"
            f" SELECT DISTINCT e.id, s.p FROM e, ({sql}) AS s(p) WHERE s.p IS NOT NULL)"
            " SELECT id FROM e"
        )
        values: list[Any] = [*event, *params]
    else:
        ids = sorted({int(p) for p in persons if p is not None})
        statement = (
            f"{insert_event}, subjects AS (INSERT INTO core_auditsubject (event_id, person_id)"
            " SELECT e.id, p FROM e, unnest(%s::bigint[]) AS p)"
            " SELECT id FROM e"
        )
        values = [*event, ids]
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        return int(cursor.fetchone()[0])


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
