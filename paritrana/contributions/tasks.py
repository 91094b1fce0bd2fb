"""Background jobs of the contribution engine (Procrastinate; run a worker with
``paritrana procrastinate worker``)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from procrastinate.contrib.django import app

from paritrana.core.periods import Period

from .batch.billing import billing_run


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
