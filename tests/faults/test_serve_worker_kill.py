"""A job worker of ``paritrana serve`` killed with kill -9 mid-job (issue 30): serve starts a worker
again, the periodic ``jobs-recover`` puts the dead worker's job back once the worker has been silent
long enough (PARITRANA_JOBS_STALLED_SECONDS, 20 s here), and the new worker finishes the upload from
its last committed batch, nothing doubled and nothing lost. No command is run by hand."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from paritrana.core.actors import system_actor
from paritrana.enrolment import services
from paritrana.enrolment.batch.enrol import BATCH_LINES
from paritrana.enrolment.models import StagedRow, Upload
from paritrana.registry.models import Membership
from tests.conftest import FLUSHABLE_APPS
from tests.faults.race import blocked_behind, other_connection, village_upload, wait_for
from tests.serving import serving

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)]


def _job_workers(serve_pid: int) -> list[int]:
    """The job worker processes serve started (named after it)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                argv = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"worker" in argv and any(a.startswith(f"paritrana-{serve_pid}-".encode()) for a in argv):
                found.append(int(proc.name))
    return found


def test_a_killed_job_worker_of_serve_is_replaced_and_its_job_finished(world: dict[str, Any], tmp_path: Path) -> None:
    # Two batches of the job's size, a line of the second held: the first commits, the second waits.
    upload = village_upload(BATCH_LINES + 1_000, 45)
    with serving(tmp_path, PARITRANA_JOBS_STALLED_SECONDS="20") as (_, server):
        holder = other_connection()
        holder.execute(
            "SELECT 1 FROM enrolment_row WHERE upload_id = %s AND line = (SELECT min(line) FROM enrolment_row"
            " WHERE upload_id = %s AND line > %s AND NOT invalid) FOR UPDATE",
            (upload.pk, upload.pk, BATCH_LINES + 500),
        )
        try:
            services.upload_queue(actor=system_actor(), upload_id=upload.pk, channel="cli")
            backend = blocked_behind(holder, timeout=90)
            wait_for("SELECT 1 FROM enrolment_upload WHERE id = %s AND applied > 0", (upload.pk,))
            (worker,) = _job_workers(server.pid)
            os.kill(worker, signal.SIGKILL)
            holder.rollback()
            wait_for("SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s)", (backend,))
        finally:
            holder.close()
        half = Upload.objects.get(pk=upload.pk)
        pending = StagedRow.objects.filter(upload=upload, invalid=False, outcome="").count()
        assert half.status == "applying" and pending > 0  # killed mid-way, as the test says
        # serve starts a worker again; within two minutes the job is back and finished.
        deadline = time.monotonic() + 180
        while Upload.objects.get(pk=upload.pk).status != "applied":
            assert server.poll() is None and time.monotonic() < deadline, "the killed worker's job never finished"
            time.sleep(1)
        assert len(_job_workers(server.pid)) == 1 and _job_workers(server.pid) != [worker]
    done = Upload.objects.get(pk=upload.pk)
    assert done.applied == done.valid > 10_000
    enrolled = Membership.objects.filter(sponsor__code="APBD-UJI-64.02").exclude(person=world["kukar_person"])
    persons = list(enrolled.values_list("person_id", flat=True))
    assert len(persons) == len(set(persons)) == done.valid
