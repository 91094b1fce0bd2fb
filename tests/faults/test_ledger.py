"""Ledger rows whose process is gone (issue 29, defect 7): a "running" row stays running only while
the connection that runs its job is alive; a killed job's row is marked failed, with what it had
recorded, by the next job or by ``batch_runs_reap``."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest
from django.db import connection

from paritrana.core.batch import LEDGER_LOCK, batch_run, batch_runs_reap
from paritrana.core.models import BatchRun
from tests.conftest import FLUSHABLE_APPS
from tests.faults.race import other_connection

pytestmark = pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)


def _running_elsewhere(job: str) -> tuple[int, psycopg.Connection[Any]]:
    """A job's ledger row opened and locked by another connection, as batch_run does."""
    other = other_connection()
    other.autocommit = True
    row = other.execute(
        "INSERT INTO core_batchrun (job, params, status, started_at, rows, detail)"
        " VALUES (%s, '{}', 'running', now(), 0, '{\"batches\": 3}') RETURNING id",
        (job,),
    ).fetchone()
    assert row is not None
    other.execute("SELECT pg_advisory_lock(%s, %s)", (LEDGER_LOCK, row[0]))
    return int(row[0]), other


def _gone(conn: psycopg.Connection[Any]) -> None:
    """Close ``conn`` as a killed process would lose it, and wait until its server process has ended
    (it lets go of its locks as it ends, a moment after the client is gone)."""
    pid = conn.info.backend_pid
    conn.close()
    with other_connection() as watcher:
        for _ in range(500):
            if not watcher.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone():
                return
            time.sleep(0.01)
    raise AssertionError(f"server process {pid} did not end")


def test_a_live_job_stays_running_and_a_dead_one_is_marked_failed() -> None:
    alive, alive_conn = _running_elsewhere("billing")
    dead, dead_conn = _running_elsewhere("coverage_rollup")
    _gone(dead_conn)  # the process is gone: its connection, and so its lock, with it
    try:
        assert batch_runs_reap() == [(dead, "coverage_rollup")]
        assert BatchRun.objects.get(pk=alive).status == "running"
        failed = BatchRun.objects.get(pk=dead)
        assert failed.status == "failed" and failed.finished_at is not None
        # What the job had recorded stays; why it stopped is said.
        assert failed.detail["batches"] == 3 and failed.detail["code"] == "process_gone"
        assert "jalankan lagi" in failed.detail["error"]
        assert batch_runs_reap() == []
    finally:
        alive_conn.close()


def test_the_next_job_reaps_and_its_own_row_is_never_taken_for_dead() -> None:
    dead, dead_conn = _running_elsewhere("bsu_eligibility")
    _gone(dead_conn)
    with batch_run("billing", {"period": "2025-03"}) as run:
        assert BatchRun.objects.get(pk=dead).status == "failed"
        # Seen from another connection, the live job's row is locked: not reaped.
        with other_connection() as watcher:
            held = watcher.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s::int::oid"
                " AND objid = %s::int::oid AND granted",
                (LEDGER_LOCK, run.pk),
            ).fetchone()
        assert held == (1,)
        assert batch_runs_reap() == []
        run.rows = 7
    assert BatchRun.objects.get(pk=run.pk).status == "done"


def test_a_durable_commit_waits_for_the_disk_for_its_transaction_only() -> None:
    from django.db import transaction

    from paritrana.core.batch import durable_commit

    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return str(cursor.fetchone()[0])

    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")  # as the embedded server runs
    with transaction.atomic():
        durable_commit()
        assert setting() == "on"
    assert setting() == "off"
    with pytest.raises(RuntimeError):
        durable_commit()
