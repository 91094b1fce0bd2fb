"""The monthly pension payroll, set-based (payroll.sql): index the pensions whose anniversary came,
pay every payable month, issue again what the bank returned; first, end the pensions of children who
came of age and hand each over to the next child in the law's order (pensions.pension_succeed). One
ledger row a run; a second run of the same month adds nothing.

Payments are partitioned by month (migration benefits 0011). A month paid for the first time is
written into a table of its own — no index to update, no foreign key queued per row — and attached
(``attach_month``, core/partitions.py): its keys are built once and each foreign key checked with one
scan.
Arrears and later runs of the same month go through the parent table.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from paritrana.core import partitions
from paritrana.core.batch import batch_run
from paritrana.law.selectors import parameters_on

from ..models import Pension
from ..pensions import pension_succeed
from ..rules.pension import add_months, month_start

PAYMENTS = "benefits_pensionpayment"
DEFAULT_PARTITION = f"{PAYMENTS}_default"
LIVE_ONCE = "ON CONFLICT (pension_id, period) WHERE NOT (state IN ('failed', 'cancelled')) DO NOTHING"
# Two payrolls of one month would race for the same pensions: the second waits (pg_advisory_xact_lock).
LOCK_CLASS = 31

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


def partition_name(period: date) -> str:
    return partitions.partition_name(PAYMENTS, period)


def has_partition(cursor: Any, period: date) -> bool:
    return partitions.has_partition(cursor, PAYMENTS, period)


def begin_month(cursor: Any, period: date) -> str:
    """A plain table for a month without a partition (core.partitions.create_detached), holding the
    payments of that month already in the default partition (moved out of it: the default may not
    keep a month that has its own)."""
    name = partitions.create_detached(cursor, PAYMENTS, period)
    cursor.execute(
        f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} WHERE period >= %s AND period < %s RETURNING *)"
        f" INSERT INTO {name} SELECT * FROM moved",
        (period, add_months(period, 1)),
    )
    return name


# What a month of payments needs before it joins its parent, made explicitly (ATTACH adopts them):
# the parent's indexes and foreign keys (migration 0011), each built or checked once over the month.
MONTH_KEYS = (
    "ALTER TABLE {name} ADD CONSTRAINT {name}_pkey PRIMARY KEY (id, period)",
    "CREATE UNIQUE INDEX {name}_live_once ON {name} (pension_id, period) WHERE NOT (state IN ('failed', 'cancelled'))",
    "CREATE INDEX {name}_run ON {name} (issued_in, state)",
    "CREATE INDEX {name}_reference ON {name} (reference) WHERE NOT (reference = '')",
    "CREATE INDEX {name}_batch ON {name} (batch_id) WHERE batch_id IS NOT NULL",
    "ALTER TABLE {name} ADD CONSTRAINT pension_payment_pension_fk FOREIGN KEY (pension_id)"
    " REFERENCES benefits_pension (id) DEFERRABLE INITIALLY DEFERRED",
    "ALTER TABLE {name} ADD CONSTRAINT pension_payment_batch_fk FOREIGN KEY (batch_id)"
    " REFERENCES benefits_pensionbatch (id) DEFERRABLE INITIALLY DEFERRED",
)


def attach_month(cursor: Any, period: date) -> None:
    """Attach a month loaded by ``begin_month`` with its keys. ATTACH still scans the default
    partition for rows of the month (moved out beforehand)."""
    partitions.attach_month(cursor, PAYMENTS, period, MONTH_KEYS)


def ensure_month(cursor: Any, period: date) -> None:
    """The month's own partition, empty or holding what the default partition held of it."""
    if not has_partition(cursor, period):
        begin_month(cursor, period)
        attach_month(cursor, period)


def year_bounds(law: dict[str, Any], year: int) -> tuple[Decimal | None, Decimal | None]:
    at = law["years"].index(year)
    return law["mins"][at], law["maxs"][at]


def payroll_run(*, period: date) -> dict[str, Any]:
    """Pay the month ``period``; returns what ``paritrana payroll run`` prints."""
    period = month_start(period)
    law = law_for(period)
    with batch_run("payroll", {"period": period.isoformat()}) as run, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_CLASS, period.year * 100 + period.month))
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
            # The arrears (months before the payroll's) through the parent, into their months' partitions.
            cursor.execute(STEPS["pay"], {**law, "upto": add_months(period, -1)})
            payments, amount = cursor.fetchone()
            # The payroll's month: a table of its own the first time, without an index until it is
            # attached (one row a pension; a payment it holds already is skipped by the SQL).
            target, conflict = PAYMENTS, LIVE_ONCE
            first_load = not has_partition(cursor, period)
            if first_load:
                target = begin_month(cursor, period)
                conflict = ""
            low, high = year_bounds(law, period.year)
            month = STEPS["month"].format(payments=target, on_conflict=conflict)
            cursor.execute(month, {**law, "low": low, "high": high})
            month_payments, month_amount = cursor.fetchone()
            payments, amount = payments + month_payments, amount + month_amount
            if first_load:
                attach_month(cursor, period)
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
