"""The monthly pension payroll, set-based (payroll.sql): index the pensions whose anniversary came,
pay every payable month, issue again what the bank returned; first, end the pensions of children who
came of age and hand each over to the next child in the law's order (pensions.pension_succeed). One
ledger row a run; a second run of the same month adds nothing.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from paritrana.core.batch import batch_run
from paritrana.law.selectors import parameters_on

from ..models import Pension
from ..pensions import pension_succeed
from ..rules.pension import add_months, month_start

_SQL = Path(__file__).with_name("payroll.sql").read_text(encoding="utf-8")
_PARTS = re.split(r"^-- step: (\w+)\s*$", _SQL, flags=re.MULTILINE)
STEPS = {name: body.strip() for name, body in zip(_PARTS[1::2], _PARTS[2::2], strict=True)}

# The first month a JP pension can have been paid (PP 45/2015 in force from 1 July 2015).
JP_START = date(2015, 7, 1)


def law_for(period: date) -> dict[str, Any]:
    """The law the SQL needs, read from the parameters: the indexation rate in force on the first of
    every month since JP began, the bounds of every calendar year, the child's age limit and the
    proof-of-life term in force in the payroll's month."""
    months, rates = [], []
    month = JP_START
    while month <= period:
        params = parameters_on(month)
        months.append(month)
        rates.append(params.get("jp.indexation_rate") if params.has("jp.indexation_rate") else None)
        month = add_months(month, 1)
    years, mins, maxs = [], [], []
    for year in range(JP_START.year, period.year + 1):
        # The bounds of a year are those in force on its last day paid: 31 December, or the payroll's month.
        params = parameters_on(min(date(year, 12, 31), period))
        years.append(year)
        mins.append(params.get("jp.benefit.min") if params.has("jp.benefit.min") else None)
        maxs.append(params.get("jp.benefit.max") if params.has("jp.benefit.max") else None)
    now = parameters_on(period)
    return {
        "period": period,
        "months": months,
        "rates": rates,
        "years": years,
        "mins": mins,
        "maxs": maxs,
        "child_max_age": int(now.get("jp.child_max_age", Decimal(23))),
        "proof_months": int(now.get("jp.proof_of_life_months", Decimal(12))),
    }


def payroll_run(*, period: date) -> dict[str, Any]:
    """Pay the month ``period``; returns what ``paritrana payroll run`` prints."""
    period = month_start(period)
    law = law_for(period)
    with batch_run("payroll", {"period": period.isoformat()}) as run, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(STEPS["end"], law)
            ended_ids = [row[0] for row in cursor.fetchall()]
            # The next child in the law's order takes over (a handful a month: one at a time).
            handed = [p.pk for p in Pension.objects.filter(pk__in=ended_ids) if pension_succeed(p) is not None]
            ended = len(ended_ids)
            steps = 0
            while True:
                cursor.execute(STEPS["index"], law)
                if cursor.rowcount <= 0:
                    break
                steps += cursor.rowcount
            cursor.execute(STEPS["pay"], law)
            payments, amount = cursor.fetchone()
            cursor.execute(STEPS["reissue"], law)
            reissued, reissued_amount = cursor.fetchone()
            cursor.execute(STEPS["count"], law)
            (beneficiaries,) = cursor.fetchone()
        run.rows = payments + reissued
        run.detail = {"steps": steps, "reissued": reissued, "ended": ended, "succeeded": handed}
    return {
        "period": f"{period:%Y-%m}",
        "beneficiaries": beneficiaries,
        "payments": payments + reissued,
        "amount": int(amount + reissued_amount),
        "seconds": float(run.seconds or 0),
        "indexed": steps,
        "reissued": reissued,
        "ended": ended,
        "succeeded": len(handed),
    }
