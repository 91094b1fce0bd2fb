"""Background job of coverage monitoring (Procrastinate; ``paritrana procrastinate worker``): the
rollups are kept by this nightly job, so dashboards never count the registry per request."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from procrastinate.contrib.django import app

from paritrana.core.periods import Period

from .batch.rollup import refresh_since


def nightly_months(moment: datetime) -> tuple[date, date]:
    """The previous and the current month: a month's count changes until its bills are paid, and a
    wage earner's month falls due on the 15th of the next (regulation.md §1.7), late payers later."""
    current = Period.of(moment.date())
    return (current - 1).first_day, current.first_day


@app.periodic(cron="30 2 * * *", periodic_id="coverage-nightly")
@app.task(queue="coverage", lock="coverage-rollup", queueing_lock="coverage-nightly")
def nightly_rollup(timestamp: int) -> None:
    """Every night at 02:30 (after the day's bank statements), rebuild the previous and the current
    month; each month is replaced whole and logged in the batch ledger (batch/rollup.py)."""
    first, last = nightly_months(datetime.fromtimestamp(timestamp, tz=ZoneInfo("Asia/Jakarta")))
    refresh_since(first, last)


@app.task(queue="coverage", lock="coverage-rollup")
def rollup_months(first: str, last: str) -> None:
    """Rebuild the months ``first``..``last`` (YYYY-MM-DD), e.g. after a correction to old bills."""
    refresh_since(date.fromisoformat(first), date.fromisoformat(last))
