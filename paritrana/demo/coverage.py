"""The demo's coverage: last month's bills paid by bank statement (most payers, not all), then the
month's rollup, so that the dashboards have real figures after ``make demo``."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone

from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.services import payment_import_statement
from paritrana.core.periods import shift_month
from paritrana.coverage.batch.rollup import refresh_month

# One payer in this many leaves its bill unpaid: their participants are not active for the month.
UNPAID_ONE_IN = 7


def demo_coverage(*, actor: Any) -> dict[str, Any]:
    period = shift_month(timezone.localdate(), -1)
    billing_run(period.strftime("%Y-%m"))  # adds only what is not billed yet
    with connection.cursor() as cursor:
        # The code a bank statement names each payer by: NPP, sponsor code, or the participant's KPJ.
        cursor.execute(
            """
            SELECT b.id, coalesce(e.npp, s.code, (
                SELECT m.kpj FROM registry_membership m WHERE m.person_id = b.person_id ORDER BY m.id LIMIT 1)),
              b.amount_due - b.paid_amount
            FROM contributions_bill b
            LEFT JOIN registry_employer e ON e.id = b.employer_id
            LEFT JOIN registry_sponsor s ON s.id = b.sponsor_id
            WHERE b.period = %s AND b.status <> 'paid' AND b.amount_due > b.paid_amount
            ORDER BY b.id
            """,
            (period,),
        )
        open_bills = cursor.fetchall()
    paid_on = period.replace(day=10) if period.replace(day=10) <= timezone.localdate() else timezone.localdate()
    lines = ["tanggal,referensi,kode_pembayar,jumlah"] + [
        f"{paid_on:%d/%m/%Y},DEMO-{period:%Y%m}-{bill_id},{code},{int(amount)}"
        for bill_id, code, amount in open_bills
        if bill_id % UNPAID_ONE_IN
    ]
    report = payment_import_statement(actor=actor, content="\n".join(lines) + "\n")
    rollup = refresh_month(period)
    # As the nightly job does, the current month too: the claims the demo paid today show on the
    # money page when its month is chosen; the dashboards still open on last month.
    refresh_month(timezone.localdate())
    return {"period": period.strftime("%Y-%m"), "payments": report.recorded, "active": rollup["active"]}
