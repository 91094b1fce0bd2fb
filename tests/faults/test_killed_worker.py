"""A worker killed mid-job (issue 29, defect 2): its job is put back in the queue and the next worker
finishes the upload, with exactly the memberships one clean apply makes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from paritrana.core.actors import system_actor
from paritrana.core.models import BatchRun
from paritrana.core.tasks import jobs_recover
from paritrana.enrolment import services
from paritrana.enrolment.batch.enrol import BATCH_LINES
from paritrana.enrolment.models import StagedRow, Upload
from paritrana.registry.models import Membership
from tests.conftest import FLUSHABLE_APPS
from tests.faults.race import blocked_behind, kill_and_wait, other_connection, spawn, village_upload, wait_for

pytestmark = pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)

WORKER = """
from procrastinate.contrib.django import app
with app.replace_connector(app.connector.get_worker_connector()):
    app.run_worker(queues=["enrolment"], wait=False, install_signal_handlers=False)
"""


def _work_queue() -> None:
    from procrastinate.contrib.django import app

    try:
        with app.replace_connector(app.connector.get_worker_connector()):  # type: ignore[attr-defined]
            app.run_worker(queues=["enrolment"], wait=False, install_signal_handlers=False)
    finally:
        connection.close()


@pytest.mark.parametrize("point", ["early", "middle", "late"])
def test_a_killed_workers_upload_is_resumed_by_the_next_worker(world: dict[str, Any], point: str) -> None:
    holder = other_connection()
    if point == "early":
        upload = village_upload(500, 43)
        # Another apply of the same upload (the CLI, say) holds it: the worker's job waits inside it.
        holder.autocommit = True
        holder.execute("SELECT pg_advisory_lock(hashtext('enrolment_apply'), %s)", (upload.pk,))
        release: Any = lambda: holder.execute("SELECT pg_advisory_unlock_all()")  # noqa: E731
    else:
        # Three batches of the job's size (enrol.BATCH_LINES), a line of the second (middle) or the
        # third (late) held by another transaction: the batches around it commit, it waits there.
        upload = village_upload(2 * BATCH_LINES + 1_000, 44)
        held = (BATCH_LINES if point == "middle" else 2 * BATCH_LINES) + 500
        holder.execute(
            "SELECT 1 FROM enrolment_row WHERE upload_id = %s AND line = (SELECT min(line) FROM enrolment_row"
            " WHERE upload_id = %s AND line > %s AND NOT invalid) FOR UPDATE",
            (upload.pk, upload.pk, held),
        )
        release = holder.rollback
    services.upload_queue(actor=system_actor(), upload_id=upload.pk, channel="cli")
    worker = spawn(WORKER)
    try:
        doing = "SELECT id FROM procrastinate_jobs WHERE task_name LIKE %s AND status = 'doing'"
        job = wait_for(doing, ("%enrol_apply",))
        backend = blocked_behind(holder)
        if point != "early":
            # A batch committed before the kill.
            wait_for("SELECT 1 FROM enrolment_upload WHERE id = %s AND applied > 0", (upload.pk,))
        kill_and_wait(worker, backend, then=release)
    finally:
        if worker.poll() is None:
            worker.kill()
        holder.close()

    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", (job,))
        assert cursor.fetchone() == ("doing",)  # for ever, before issue 29
    recovered = jobs_recover(seconds_since_heartbeat=0)
    assert job in recovered["jobs"]
    assert BatchRun.objects.filter(job="enrolment_apply", status="running").count() == 0
    assert set(recovered["ledger"]) == set(
        BatchRun.objects.filter(job="enrolment_apply", detail__code="process_gone").values_list("pk", flat=True)
    )

    enrolled = Membership.objects.filter(sponsor__code="APBD-UJI-64.02").exclude(person=world["kukar_person"])
    stopped = Upload.objects.get(pk=upload.pk)
    if point != "early":
        # Said to have stopped, with whole batches enrolled and the held one still to do.
        pending = StagedRow.objects.filter(upload=upload, invalid=False, outcome="").count()
        assert stopped.status == "failed" and 0 < enrolled.count() == stopped.valid - pending < stopped.valid
    else:
        assert stopped.status == "queued" and enrolled.count() == 0  # its job back in the queue

    _work_queue()
    done = Upload.objects.get(pk=upload.pk)
    assert done.status == "applied" and done.applied == done.valid > 300
    persons = list(enrolled.values_list("person_id", flat=True))
    assert len(persons) == len(set(persons)) == done.valid
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", (job,))
        assert cursor.fetchone() == ("succeeded",)
