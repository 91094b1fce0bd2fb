"""Rebuild a month's coverage rollup, set-based (rollup.sql); logged in the batch ledger."""

from __future__ import annotations

import re
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from paritrana.benefits.rules.claims import PROGRAMME
from paritrana.core.batch import batch_run
from paritrana.core.periods import month_end, month_start, shift_month

from ..rules.indicators import AGE_BANDS

_SQL = Path(__file__).with_name("rollup.sql").read_text(encoding="utf-8")
_PARTS = re.split(r"^-- step: (\w+)\s*$", _SQL, flags=re.MULTILINE)
STEPS = {name: body.strip().rstrip(";") for name, body in zip(_PARTS[1::2], _PARTS[2::2], strict=True)}


STEP_ORDER = (
    "paid", "month_cells", "tag_cells", "money_cells", "clear", "month", "clear_tags", "tags",
    "clear_provinces", "provinces", "clear_finance", "finance", "employers", "clear_claims", "claims",
)  # fmt: skip
# Work tables of a run (rollup.sql), dropped before it commits.
WORK_TABLES = ("coverage_paid", "coverage_cells", "coverage_tag_cells", "coverage_money_cells")


def refresh_month(period: date) -> dict[str, Any]:
    """Replace the rollup rows of ``period``'s month; the same month run twice gives the same rows."""
    period = month_start(period)
    params: dict[str, Any] = {
        "period": period,
        "month_end": month_end(period),
        # width_bucket's thresholds: the lower bound of every band after the first.
        "band_lows": [low for low, _, _ in AGE_BANDS[1:]],
        # Claims by the day they were paid, in the project's time zone (Asia/Jakarta).
        "month_start_at": timezone.make_aware(datetime.combine(period, datetime.min.time())),
        "next_month_at": timezone.make_aware(datetime.combine(shift_month(period, 1), datetime.min.time())),
        "benefits": list(PROGRAMME),
        # A scholarship continues a death or disability claim; it is paid out of JKK or JKM and shown
        # as its own line (the claim does not say which).
        "programmes": [programme or "BEASISWA" for programme in PROGRAMME.values()],
    }
    with batch_run("coverage_rollup", {"period": period.isoformat()}) as run, transaction.atomic():
        with connection.cursor() as cursor:
            # One rollup at a time: the steps share the work table coverage_paid (rollup.sql).
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('coverage_rollup'))")
            seconds = {}
            for step in STEP_ORDER:
                started = time.perf_counter()
                cursor.execute(STEPS[step], params)
                seconds[step] = round(time.perf_counter() - started, 2)
            cursor.execute("SELECT count(*) FROM coverage_paid")
            active = int(cursor.fetchone()[0])
            cursor.execute("DROP TABLE " + ", ".join(WORK_TABLES))
            cursor.execute("SELECT count(*) FROM coverage_month WHERE period = %s", (period,))
            cells = int(cursor.fetchone()[0])
            cursor.execute(
                "SELECT coalesce(sum(employers), 0), coalesce(sum(lines), 0) FROM coverage_finance_month"
                " WHERE period = %s",
                (period,),
            )
            employers, lines = (int(x) for x in cursor.fetchone())
            cursor.execute("SELECT coalesce(sum(claims), 0) FROM coverage_claim_month WHERE period = %s", (period,))
            claims = int(cursor.fetchone()[0])
        run.rows = active
        run.detail = {"active": active, "cells": cells, "employers": employers, "paid_lines": lines,
                      "claims_paid": claims, "seconds": seconds}  # fmt: skip
    return {
        "period": period.isoformat(),
        "active": active,
        "cells": cells,
        "employers": employers,
        "paid_lines": lines,
        "claims_paid": claims,
    }


def refresh_since(first: date, last: date) -> list[dict[str, Any]]:
    """Every month from ``first`` to ``last`` (inclusive), oldest first."""
    done = []
    month = month_start(first)
    while month <= last:
        done.append(refresh_month(month))
        month = shift_month(month, 1)
    return done
