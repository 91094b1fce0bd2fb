"""Background jobs of the contribution engine (Procrastinate; run a worker with
``paritrana procrastinate worker``)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from procrastinate.contrib.django import app

from paritrana.core.periods import Period

from .batch.billing import billing_run
from .batch.overdue import overdue_notify


def previous_month(moment: datetime) -> str:
    return str(Period.of(moment.date()) - 1)


@app.periodic(cron="0 1 1 * *", periodic_id="monthly-billing")
@app.task(queue="billing", lock="billing", queueing_lock="billing-monthly")
def monthly_billing(timestamp: int) -> None:
    """On the 1st at 01:00 (Asia/Jakarta), bill the month just ended; PU bills fall due on the 15th."""
    billing_run(previous_month(datetime.fromtimestamp(timestamp, tz=ZoneInfo("Asia/Jakarta"))))


@app.task(queue="billing", lock="billing")
def billing_for(period: str) -> None:
    billing_run(period)


@app.periodic(cron="0 0 * * *", periodic_id="bills-overdue")
@app.task(queue="mail", queueing_lock="bills-overdue")
def bills_overdue(timestamp: int) -> None:
    """Every day at 07:00 Asia/Jakarta (00:00 UTC), tell the payers of bills that became overdue
    (batch/overdue.py); the e-mails leave with the next minute's mail job."""
    overdue_notify(datetime.fromtimestamp(timestamp, tz=ZoneInfo("Asia/Jakarta")).date())
