"""Background jobs of benefits (Procrastinate): the monthly pension payroll."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from procrastinate.contrib.django import app

from .batch.payroll import payroll_run


@app.periodic(cron="0 2 1 * *", periodic_id="monthly-payroll")
@app.task(queue="payroll", lock="payroll", queueing_lock="payroll-monthly")
def monthly_payroll(timestamp: int) -> None:
    """On the 1st of each month, pay that month's pensions (batch/payroll.py): a pension is paid for
    the month it is in, and a run that failed is simply run again (it adds only what is missing)."""
    payroll_run(period=datetime.fromtimestamp(timestamp, tz=ZoneInfo("Asia/Jakarta")).date().replace(day=1))
