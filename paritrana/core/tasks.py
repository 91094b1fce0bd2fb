"""Upkeep of the job queue itself (Procrastinate; ``paritrana procrastinate worker``): a job whose
worker was killed is put back in the queue, and a ledger row whose process is gone is marked failed.

Without it (issue 29, defect 2), a worker killed mid-job left its job "doing" for ever; every later
job sharing its lock (``enrolment-apply``, ``linkage-run``) waited behind it, and only a hand-run
``paritrana enrol apply`` finished the upload. Every job of the project resumes where it stopped
(enrolment after its last committed batch, billing and rollups whole, in one transaction), so putting
a job back is safe."""

from __future__ import annotations

import os
from typing import Any

from django.utils import timezone
from procrastinate import sql as procrastinate_sql
from procrastinate.contrib.django import app

from .batch import batch_runs_reap

# A worker beats every 10 s (Procrastinate's default); one silent for a minute is gone. An operator
# (or a test) may say otherwise with PARITRANA_JOBS_STALLED_SECONDS; under 20 s a live worker could be
# taken for dead.
STALLED_SECONDS = max(20, int(os.environ.get("PARITRANA_JOBS_STALLED_SECONDS", "60")))


def jobs_recover(*, seconds_since_heartbeat: float = STALLED_SECONDS) -> dict[str, list[Any]]:
    """Put back every job in "doing" whose worker stopped beating (or was pruned), and mark failed
    every ledger row whose process is gone. Returns the jobs' and the ledger rows' ids."""
    connector = app.connector.get_sync_connector()
    stalled = connector.execute_query_all(
        query=procrastinate_sql.queries["select_stalled_jobs_by_heartbeat"],
        queue=None,
        task_name=None,
        seconds_since_heartbeat=seconds_since_heartbeat,
    )
    now = timezone.now()
    for job in stalled:
        app.job_manager.retry_job_by_id(job["id"], retry_at=now)
    reaped = batch_runs_reap()
    return {"jobs": [job["id"] for job in stalled], "ledger": [run_id for run_id, _ in reaped]}


@app.periodic(cron="* * * * *", periodic_id="jobs-recover")
@app.task(queue="upkeep", queueing_lock="jobs-recover")
def jobs_recover_every_minute(timestamp: int) -> None:
    jobs_recover()
