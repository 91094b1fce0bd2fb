"""The batch ledger: every set-based job runs inside ``batch_run`` and leaves a row."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils import timezone

from .models import BatchRun

log = logging.getLogger("paritrana.batch")


@contextlib.contextmanager
def batch_run(job: str, params: dict[str, Any] | None = None) -> Iterator[BatchRun]:
    """Open a ledger row, yield it (set ``run.rows``), close it as done or failed with timing."""
    run = BatchRun.objects.create(job=job, params=params or {})
    started = time.perf_counter()
    log.info("batch %s started %s", job, params or {})
    try:
        yield run
    except BaseException as exc:
        run.status = BatchRun.Status.FAILED
        run.detail = {**run.detail, "error": str(exc)[:2000]}
        raise
    else:
        run.status = BatchRun.Status.DONE
    finally:
        run.finished_at = timezone.now()
        run.seconds = Decimal(f"{time.perf_counter() - started:.3f}")
        run.save(update_fields=["status", "finished_at", "seconds", "rows", "detail"])
        log.info("batch %s %s rows=%s seconds=%s", job, run.status, run.rows, run.seconds)
