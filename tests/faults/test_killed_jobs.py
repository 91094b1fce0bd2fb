"""Jobs killed with kill -9 (issue 29): the process is really killed, at a point found from the job's
own progress (its ledger row, the lock it waits on), never by sleeping; then the job is run again and
must give exactly what one clean run gives, nothing doubled and nothing lost."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from paritrana.contributions.batch.billing import LOCK_CLASS, billing_run
from paritrana.contributions.models import Bill
from paritrana.core.batch import batch_runs_reap
from paritrana.core.models import BatchRun
from tests.conftest import FLUSHABLE_APPS
from tests.faults.race import blocked_behind, kill_and_wait, other_connection, spawn, wait_for

pytestmark = pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)


def _month(period: str) -> tuple[int, int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), coalesce(sum(amount_due), 0), (SELECT count(*) FROM contributions_contributionline"
            " WHERE period = %s) FROM contributions_bill WHERE period = %s",
            (period, period),
        )
        return cursor.fetchone()


def test_billing_killed_in_its_transaction_leaves_nothing_and_runs_again_whole(world: dict[str, Any]) -> None:
    clean = billing_run("2025-02")  # the same memberships, billed without a fault
    # Another run of the same month holds the month's lock: the killed run waits inside its
    # transaction, with its work tables and its detached partition begun.
    holder = other_connection()
    holder.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_CLASS, 202503))
    job = spawn("from paritrana.contributions.batch.billing import billing_run; billing_run('2025-03')")
    try:
        run_id = wait_for("SELECT id FROM core_batchrun WHERE job = 'billing' AND params->>'period' = '2025-03'")
        backend = blocked_behind(holder)
        kill_and_wait(job, backend, then=holder.rollback)
    finally:
        if job.poll() is None:
            job.kill()
        holder.close()

    # Nothing of the killed run remains but its ledger row, marked failed by the next look.
    assert _month("2025-03-01") == (0, 0, 0)
    assert (run_id, "billing") in batch_runs_reap()
    assert BatchRun.objects.get(pk=run_id).detail["code"] == "process_gone"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'billing\\_%%\\_202503'")
        assert cursor.fetchone() == (0,)

    again = billing_run("2025-03")
    assert (again.lines, again.bills_touched) == (clean.lines, clean.bills_touched) and again.lines > 0
    feb, mar = _month("2025-02-01"), _month("2025-03-01")
    assert mar == feb  # bills, their sum and their lines: as the clean month
    assert billing_run("2025-03").lines == 0 and _month("2025-03-01") == mar
    assert Bill.objects.filter(period="2025-03-01").count() == feb[0]
