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
from paritrana.enrolment.models import Upload
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


def test_a_killed_workers_upload_is_resumed_by_the_next_worker(world: dict[str, Any]) -> None:
    upload = village_upload(500, 43)
    # Another apply of the same upload (the CLI, say) holds it: the worker's job waits inside it.
    holder = other_connection()
    holder.autocommit = True
    holder.execute("SELECT pg_advisory_lock(hashtext('enrolment_apply'), %s)", (upload.pk,))
    services.upload_queue(actor=system_actor(), upload_id=upload.pk, channel="cli")
    worker = spawn(WORKER)
    try:
        doing = "SELECT id FROM procrastinate_jobs WHERE task_name LIKE %s AND status = 'doing'"
        job = wait_for(doing, ("%enrol_apply",))
        backend = blocked_behind(holder)
        kill_and_wait(worker, backend, then=lambda: holder.execute("SELECT pg_advisory_unlock_all()"))
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

    _work_queue()
    done = Upload.objects.get(pk=upload.pk)
    assert done.status == "applied" and done.applied == done.valid > 300
    enrolled = Membership.objects.filter(sponsor__code="APBD-UJI-64.02").exclude(person=world["kukar_person"])
    persons = list(enrolled.values_list("person_id", flat=True))
    assert len(persons) == len(set(persons)) == done.valid
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", (job,))
        assert cursor.fetchone() == ("succeeded",)
