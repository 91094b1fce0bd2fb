"""``/healthz`` and ``/readyz`` (issue 30): what a load balancer, systemd or an operator asks.

``/healthz`` says only that the process answers (no database: a restart does not help a database
that is down). ``/readyz`` says whether this instance can do its work: the database answers, every
migration is applied, and the job queue is not stalled (no job is "doing" on a worker that stopped
beating, no job has waited past its time with no worker alive). Each check answers with a stable
code; 200 when all pass, 503 otherwise. Neither says anything about any person.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .tasks import STALLED_SECONDS

# A job due this long ago and still waiting, with no worker beating: nobody is taking jobs.
WAITING_SECONDS = 120
# Migrations are read from disk and the database: at most once a minute per process.
_MIGRATIONS_CACHE: dict[str, Any] = {"at": 0.0, "pending": None}
MIGRATIONS_TTL = 60.0


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _pending_migrations() -> list[str]:
    now = time.monotonic()
    if _MIGRATIONS_CACHE["pending"] is None or now - _MIGRATIONS_CACHE["at"] > MIGRATIONS_TTL:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        _MIGRATIONS_CACHE.update(at=now, pending=[f"{m.app_label}.{m.name}" for m, _ in plan])
    return list(_MIGRATIONS_CACHE["pending"])


def _jobs() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT
              (SELECT count(*) FROM procrastinate_workers
               WHERE last_heartbeat > now() - make_interval(secs => %(stalled)s)) AS workers,
              (SELECT count(*) FROM procrastinate_jobs j
               LEFT JOIN procrastinate_workers w ON w.id = j.worker_id
               WHERE j.status = 'doing'
                 AND (w.id IS NULL OR w.last_heartbeat < now() - make_interval(secs => %(stalled)s))) AS stalled,
              (SELECT count(*) FROM procrastinate_jobs
               WHERE status = 'todo' AND coalesce(scheduled_at, now()) < now() - make_interval(secs => %(waiting)s))
                AS overdue
            """,
            {"stalled": STALLED_SECONDS, "waiting": WAITING_SECONDS},
        )
        workers, stalled, overdue = cursor.fetchone()
    return {"workers": workers, "stalled": stalled, "overdue": overdue}


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, Any]] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
    except Exception as exc:  # any failure to reach it is the answer, not a server error
        checks["database"] = {"ok": False, "code": "database_unreachable", "message": str(exc)[:200]}
        return JsonResponse({"status": "unavailable", "checks": checks}, status=503)
    pending = _pending_migrations()
    checks["migrations"] = (
        {"ok": True} if not pending else {"ok": False, "code": "migrations_pending", "pending": pending[:20]}
    )
    jobs = _jobs()
    if jobs["stalled"]:
        checks["jobs"] = {"ok": False, "code": "jobs_stalled", **jobs}
    elif jobs["overdue"] and not jobs["workers"]:
        checks["jobs"] = {"ok": False, "code": "no_worker", **jobs}
    else:
        checks["jobs"] = {"ok": True, **jobs}
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ready" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
