"""``paritrana enrol apply`` killed with kill -9 early, mid-way and late (issue 29): each point is
found from the apply's own progress (the upload's ``applied_through``), then the apply is held at
its next batch's commit (a row lock on the upload, which every batch takes to record its progress)
and killed there. Resumed, it must give exactly one membership per valid line: nothing doubled,
nothing lost."""

from __future__ import annotations

import time
from typing import Any

import pytest

from paritrana.core.actors import system_actor
from paritrana.core.tasks import jobs_recover
from paritrana.enrolment import services
from paritrana.enrolment.models import Upload
from paritrana.registry.models import Membership
from tests.conftest import FLUSHABLE_APPS
from tests.faults.race import kill_and_wait, other_connection, spawn, village_upload, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)]
BATCH = 400


@pytest.mark.parametrize("point", [0.0, 0.5, 0.85], ids=["early", "middle", "late"])
def test_apply_killed_at_a_point_of_its_progress_resumes_to_a_clean_result(world: dict[str, Any], point: float) -> None:
    upload = village_upload(6_000, 47)
    holder = other_connection()
    hold = "SELECT 1 FROM enrolment_upload WHERE id = %s FOR UPDATE"
    if point == 0.0:
        holder.execute(hold, (upload.pk,))  # held before the first batch can record itself
    job = spawn(
        "from django.core.management import call_command\n"
        f"call_command('enrol', 'apply', '{upload.pk}', '--batch-lines', '{BATCH}')"
    )
    try:
        if point:
            target = int(upload.last_line * point)
            wait_for("SELECT 1 FROM enrolment_upload WHERE id = %s AND applied_through >= %s", (upload.pk, target))
            holder.execute(hold, (upload.pk,))
        backend = wait_for(
            "SELECT a.pid FROM pg_stat_activity a WHERE a.wait_event_type = 'Lock' AND a.pid <> %s AND a.query LIKE %s",
            (holder.info.backend_pid, "%enrolment_upload%"),
        )
        progress = Upload.objects.get(pk=upload.pk).applied_through
        kill_and_wait(job, backend, then=holder.rollback)
    finally:
        if job.poll() is None:
            job.kill()
        holder.close()
    # Every server process of the killed apply has ended (its second connection, when batches ran
    # side by side, too) before the ledger is looked at.
    deadline = time.monotonic() + 30
    while (
        Upload.objects.get(pk=upload.pk).status == "applying"
        and jobs_recover(seconds_since_heartbeat=0)["ledger"] == []
    ):
        assert time.monotonic() < deadline, "the killed apply's ledger row was never reaped"
        time.sleep(0.05)

    stopped = Upload.objects.get(pk=upload.pk)
    # Killed before its first batch committed, the upload is as it was; later, it is said to have
    # stopped, not "applying" for ever.
    assert stopped.status == ("validated" if point == 0.0 else "failed")
    assert progress < stopped.last_line
    enrolled = Membership.objects.filter(sponsor__code="APBD-UJI-64.02").exclude(person=world["kukar_person"])
    assert enrolled.count() < stopped.valid  # it was killed before the end

    done = services.upload_run(actor=system_actor(), upload_id=upload.pk, batch_lines=BATCH)
    assert done.status == "applied" and done.applied == done.valid and done.already_enrolled == 0
    persons = list(enrolled.values_list("person_id", flat=True))
    assert len(persons) == len(set(persons)) == done.valid
