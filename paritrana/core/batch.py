"""The batch ledger: every set-based job runs inside ``batch_run`` and leaves a row."""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .models import BatchRun

log = logging.getLogger("paritrana.batch")


# The ledger's advisory-lock space: a running row's id is locked, for the session, by the
# connection running the job. A process killed (kill -9, the worker's host gone) or a database
# server that died drops its connections and so its locks; a "running" row whose lock nobody holds
# is a job that will never finish (issue 29, defect 7).
LEDGER_LOCK = 290_007
GONE = "Proses berhenti sebelum selesai (dihentikan, atau server basis data mati); jalankan lagi untuk melanjutkan."

REAP_SQL = """
UPDATE core_batchrun b
SET status = 'failed', finished_at = now(),
    detail = b.detail || jsonb_build_object('error', %(message)s::text, 'code', 'process_gone')
WHERE b.status = 'running'
  AND NOT EXISTS (
    SELECT 1 FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid = %(space)s::int::oid AND l.objid = b.id::int::oid AND l.objsubid = 2 AND l.granted)
RETURNING b.id, b.job, b.params
"""
# What each job's owner does when one of its runs is found dead (the upload or the matching run the
# job was working on): registered by the owning app's AppConfig.ready (``on_reaped``).
_ON_REAPED: dict[str, list[Callable[[dict[str, Any]], None]]] = {}


def on_reaped(job: str, handler: Callable[[dict[str, Any]], None]) -> None:
    """Call ``handler(params)`` for every run of ``job`` that ``batch_runs_reap`` marks failed."""
    if handler not in _ON_REAPED.setdefault(job, []):
        _ON_REAPED[job].append(handler)


def batch_runs_reap() -> list[tuple[int, str]]:
    """Mark failed every ledger row still "running" whose process is gone; returns (id, job) of each.
    Its ``detail`` keeps what the job had recorded; the job itself resumes when run again."""
    with connection.cursor() as cursor:
        cursor.execute(REAP_SQL, {"message": GONE, "space": LEDGER_LOCK})
        rows = cursor.fetchall()
    for run_id, job, params in rows:
        log.warning("batch %s #%s: its process is gone; marked failed", job, run_id)
        for handler in _ON_REAPED.get(job, []):
            handler(params if isinstance(params, dict) else json.loads(params))
    return [(int(i), str(j)) for i, j, _ in rows]


@contextlib.contextmanager
def batch_run(job: str, params: dict[str, Any] | None = None) -> Iterator[BatchRun]:
    """Open a ledger row, yield it (set ``run.rows``), close it as done or failed with timing.

    The row is locked by this connection while the job runs (``LEDGER_LOCK``), so that any later
    job can tell a run whose process died from one still running, and says so in the ledger."""
    batch_runs_reap()
    with transaction.atomic():
        # Created and locked in one transaction: no other connection sees the row unlocked.
        run = BatchRun.objects.create(job=job, params=params or {})
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", (LEDGER_LOCK, run.pk))
    started = time.perf_counter()
    log.info("batch %s started %s", job, params or {})
    try:
        yield run
    except BaseException as exc:
        run.status = BatchRun.Status.FAILED
        run.detail = {**run.detail, "error": str(exc)[:2000]}
        raise
    else:
        run.status = BatchRun.Status.DONE
    finally:
        try:
            run.finished_at = timezone.now()
            run.seconds = Decimal(f"{time.perf_counter() - started:.3f}")
            run.save(update_fields=["status", "finished_at", "seconds", "rows", "detail"])
            log.info("batch %s %s rows=%s seconds=%s", job, run.status, run.rows, run.seconds)
        finally:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", (LEDGER_LOCK, run.pk))


def durable_commit() -> None:
    """Make the current transaction's commit wait for its WAL to reach the disk.

    The embedded server runs with ``synchronous_commit = off`` (embedded_db.py): after a power cut
    the last ~0.6 s of acknowledged commits (three times ``wal_writer_delay``) may be gone, the
    database still consistent. That is acceptable for work that is simply done again (a re-imported
    statement, a re-run month), not for a commit whose result leaves the database: a BSU payment
    batch a bank pays from must never be issued from a commit that can vanish (issue 29). Call it
    inside ``transaction.atomic()``; it lasts for that transaction only."""
    if not connection.in_atomic_block:
        raise RuntimeError("durable_commit() belongs inside transaction.atomic()")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = on")
