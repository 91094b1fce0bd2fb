"""JHT ledger jobs, set-based (jht.sql): credit paid contributions, credit a year's return.

Both are idempotent (a unique index per month and per year) and leave a row in the batch ledger.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from paritrana.core.batch import batch_run
from paritrana.core.errors import DomainError
from paritrana.law.selectors import parameters_on

_SQL = Path(__file__).with_name("jht.sql").read_text(encoding="utf-8")
_PARTS = re.split(r"^-- step: (\w+)\s*$", _SQL, flags=re.MULTILINE)
STEPS = {name: body.strip() for name, body in zip(_PARTS[1::2], _PARTS[2::2], strict=True)}


def jht_credit(*, first: date = date(1900, 1, 1), last: date = date(9999, 12, 1)) -> dict[str, Any]:
    """Credit the JHT of every paid contribution month between ``first`` and ``last`` not yet credited."""
    params = {"first": first.isoformat(), "last": last.isoformat()}
    with batch_run("jht_credit", params) as run, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(STEPS["credit"], {"first": first, "last": last})
        run.rows = cursor.rowcount
    return {"job": "jht_credit", "entries": run.rows, "seconds": float(run.seconds or 0)}


def jht_credit_bills(*, bill_ids: list[int]) -> int:
    """Credit the JHT of the bills just paid in full, in the caller's transaction (no ledger row: this
    is part of recording a payment, not a bulk job). Returns the entries added."""
    with connection.cursor() as cursor:
        cursor.execute(STEPS["credit_bills"], {"bills": bill_ids})
        return cursor.rowcount


def credit_paid_bills(sender: object, *, bill_ids: list[int], **_: object) -> None:
    """Receiver of contributions.signals.bills_paid (connected in benefits/apps.py)."""
    jht_credit_bills(bill_ids=bill_ids)


def jht_return_credit(*, year: int) -> dict[str, Any]:
    """Credit programme year ``year``'s development return at the rate declared for it."""
    params = parameters_on(date(year, 12, 31))
    if not params.has("jht.return_rate"):
        raise DomainError(
            "return_rate_unknown",
            f"Imbal hasil JHT tahun {year} belum ditetapkan: tambahkan parameter jht.return_rate untuk tahun itu.",
            field="year",
        )
    rate = params.get("jht.return_rate")
    note = f"Hasil pengembangan {year} ({rate} %), {params.basis('jht.return_rate')}"[:200]
    with (
        batch_run("jht_return", {"year": year, "rate": str(rate)}) as run,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(STEPS["return"], {"year": year, "rate": rate, "note": note})
        run.rows = cursor.rowcount
    return {
        "job": "jht_return",
        "year": year,
        "rate": str(rate),
        "entries": run.rows,
        "seconds": float(run.seconds or 0),
    }
