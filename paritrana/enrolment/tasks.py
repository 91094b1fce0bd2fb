"""Background job of bulk enrolment (Procrastinate; ``paritrana procrastinate worker``)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from paritrana.core.actors import system_actor


@app.task(queue="enrolment", lock="enrolment-apply", retry=2)
def enrol_apply(upload_id: int) -> None:
    """Apply an upload; a retried or restarted job resumes after the last committed batch."""
    from .services import upload_run

    upload_run(upload_id=upload_id, actor=system_actor(), channel="job")
