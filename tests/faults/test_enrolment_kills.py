"""``paritrana enrol apply`` killed with kill -9 early, mid-way and late (issue 29): the apply is
held where it reaches a point of its own work (early: its first batch's commit, by a lock on the
upload's row every batch updates; middle and late: a line of the middle or the last batch, by a lock
on that line's row), seen waiting there in ``pg_stat_activity``, and killed. Resumed, it must give
exactly one membership per valid line: nothing doubled, nothing lost."""

from __future__ import annotations

import time
from typing import Any

import pytest

from paritrana.core.actors import system_actor
from paritrana.core.tasks import jobs_recover
from paritrana.enrolment import services
from paritrana.enrolment.models import StagedRow, Upload
from paritrana.registry.models import Membership
from tests.conftest import FLUSHABLE_APPS
from tests.faults.race import kill_when_held, other_connection, village_upload

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)]
BATCH = 400


@pytest.mark.parametrize("point", ["early", "middle", "late"])
def test_apply_killed_at_a_point_of_its_progress_resumes_to_a_clean_result(world: dict[str, Any], point: str) -> None:
    upload = village_upload(6_000, 47)
    holder = other_connection()
    batches = (upload.last_line - 1) // BATCH + 1
    if point == "early":
        # The upload's row, which every batch updates as it commits: no batch can finish.
        holder.execute("SELECT 1 FROM enrolment_upload WHERE id = %s FOR UPDATE", (upload.pk,))
    else:
        # One valid line of the middle batch, or of the last: the apply writes every batch up to
        # it (the other, side by side, goes on) and stops on that line's outcome.
        after = (batches // 2 if point == "middle" else batches - 1) * BATCH
        holder.execute(
            "SELECT 1 FROM enrolment_row WHERE upload_id = %s AND line = (SELECT min(line) FROM enrolment_row"
            " WHERE upload_id = %s AND line > %s AND NOT invalid) FOR UPDATE",
            (upload.pk, upload.pk, after),
        )
    kill_when_held(
        holder,
        "from django.core.management import call_command\n"
        f"call_command('enrol', 'apply', '{upload.pk}', '--batch-lines', '{BATCH}')",
    )
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
    # Killed before any batch committed, the upload is as it was; later, it is said to have stopped,
    # not "applying" for ever.
    assert stopped.status == ("validated" if point == "early" else "failed")
    enrolled = Membership.objects.filter(sponsor__code="APBD-UJI-64.02").exclude(person=world["kukar_person"])
    pending = StagedRow.objects.filter(upload=upload, invalid=False, outcome="").count()
    assert pending > 0 and enrolled.count() == stopped.valid - pending  # killed before the end, whole batches
    if point != "early":
        assert enrolled.count() > 0

    done = services.upload_run(actor=system_actor(), upload_id=upload.pk, batch_lines=BATCH)
    assert done.status == "applied" and done.applied == done.valid and done.already_enrolled == 0
    persons = list(enrolled.values_list("person_id", flat=True))
    assert len(persons) == len(set(persons)) == done.valid
