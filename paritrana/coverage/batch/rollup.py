"""Rebuild a month's coverage rollup, set-based (rollup.sql); logged in the batch ledger."""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from paritrana.core.batch import batch_run

from ..rules.indicators import AGE_BANDS

_SQL = Path(__file__).with_name("rollup.sql").read_text(encoding="utf-8")
_PARTS = re.split(r"^-- step: (\w+)\s*$", _SQL, flags=re.MULTILINE)
STEPS = {name: body.strip().rstrip(";") for name, body in zip(_PARTS[1::2], _PARTS[2::2], strict=True)}


def refresh_month(period: date) -> dict[str, Any]:
    """Replace the rollup rows of ``period``'s month; the same month run twice gives the same rows."""
    period = period.replace(day=1)
    params: dict[str, Any] = {
        "period": period,
        "month_end": period.replace(day=calendar.monthrange(period.year, period.month)[1]),
        # width_bucket's thresholds: the lower bound of every band after the first.
        "band_lows": [low for low, _, _ in AGE_BANDS[1:]],
    }
    with batch_run("coverage_rollup", {"period": period.isoformat()}) as run, transaction.atomic():
        with connection.cursor() as cursor:
            for step in ("paid", "clear", "clear_tags", "month", "tags"):
                cursor.execute(STEPS[step], params)
            cursor.execute("SELECT count(*) FROM coverage_paid")
            active = int(cursor.fetchone()[0])
            cursor.execute("DROP TABLE coverage_paid")
            cursor.execute("SELECT count(*) FROM coverage_month WHERE period = %s", (period,))
            cells = int(cursor.fetchone()[0])
        run.rows = active
        run.detail = {"active": active, "cells": cells}
    return {"period": period.isoformat(), "active": active, "cells": cells}


def refresh_since(first: date, last: date) -> list[dict[str, Any]]:
    """Every month from ``first`` to ``last`` (inclusive), oldest first."""
    done = []
    month = first.replace(day=1)
    while month <= last:
        done.append(refresh_month(month))
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return done
