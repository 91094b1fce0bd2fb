"""Background job of a matching run (Procrastinate; ``paritrana procrastinate worker``)."""

from __future__ import annotations

from procrastinate.contrib.django import app


@app.task(queue="linkage", lock="linkage-run")
def link_run(run_id: int) -> None:
    """Match a queued run's list against the registry; progress is kept on the run row."""
    from .batch.run import run_execute

    run_execute(run_id)
