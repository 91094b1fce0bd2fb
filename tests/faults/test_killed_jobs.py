"""Jobs killed with kill -9 (issue 29): the process is really killed, at a point found from the job's
own progress (its ledger row, the lock it waits on), never by sleeping; then the job is run again and
must give exactly what one clean run gives, nothing doubled and nothing lost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from paritrana.contributions.batch.billing import LOCK_CLASS, billing_run
from paritrana.contributions.models import Allocation, Bill, Payment
from paritrana.contributions.services import Payer, payment_record
from paritrana.core.actors import system_actor
from paritrana.core.batch import batch_runs_reap
from paritrana.core.models import BatchRun
from tests.conftest import FLUSHABLE_APPS
from tests.faults.race import kill_when_held, other_connection

pytestmark = pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)


def _month(period: str) -> tuple[int, int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), coalesce(sum(amount_due), 0), (SELECT count(*) FROM contributions_contributionline"
            " WHERE period = %s) FROM contributions_bill WHERE period = %s",
            (period, period),
        )
        return cursor.fetchone()


# Early: waiting for the month's lock (another run of the month holds it), its transaction begun.
# Middle: the month's own tables detached and emptied for the load, computing the lines (reading the
# reported wage changes). The late point is after the month's commit, as credit pays the new bills
# (the last test here): inside the transaction no lock can hold the run between its writes and the
# attach, since the DETACH at its start already took every lock the ATTACH needs.
BILLING_POINTS = {
    "early": (f"SELECT pg_advisory_xact_lock({LOCK_CLASS}, 202503)", "pg_advisory_xact_lock"),
    "middle": ("LOCK TABLE registry_wagechange IN ACCESS EXCLUSIVE MODE", "registry_wagechange"),
}


@pytest.mark.parametrize("point", list(BILLING_POINTS))
def test_billing_killed_in_its_transaction_leaves_nothing_and_runs_again(world: dict[str, Any], point: str) -> None:
    clean = billing_run("2025-02")  # the same memberships, billed without a fault
    hold, statement = BILLING_POINTS[point]
    holder = other_connection()
    holder.execute(hold)
    kill_when_held(
        holder, "from paritrana.contributions.batch.billing import billing_run; billing_run('2025-03')", statement
    )
    run_id = BatchRun.objects.get(job="billing", params__period="2025-03").pk

    # Nothing of the killed run remains but its ledger row, marked failed by the next look.
    assert _month("2025-03-01") == (0, 0, 0)
    assert (run_id, "billing") in batch_runs_reap()
    assert BatchRun.objects.get(pk=run_id).detail["code"] == "process_gone"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'billing\\_%%\\_202503'")
        assert cursor.fetchone() == (0,)

    again = billing_run("2025-03")
    assert (again.lines, again.bills_touched) == (clean.lines, clean.bills_touched) and again.lines > 0
    feb, mar = _month("2025-02-01"), _month("2025-03-01")
    assert mar == feb  # bills, their sum and their lines: as the clean month
    assert billing_run("2025-03").lines == 0 and _month("2025-03-01") == mar
    assert Bill.objects.filter(period="2025-03-01").count() == feb[0]


def test_billing_killed_while_credit_pays_the_new_bills_pays_each_bill_once_when_run_again(
    world: dict[str, Any],
) -> None:
    """Billing's late point. After the month commits, payers holding credit pay the new bills, each
    payer in a transaction of its own (services.credits_apply: payment allocation). Killed there, one
    payer's credit held by another transaction: the month is billed; run again, every payer's credit
    pays its bills once."""
    billing_run("2025-02")
    # The world's two payers: Kutai Kartanegara's APBD for its vulnerable worker, a Balikpapan employer.
    payers = [Payer("sponsor", world["kukar_sponsor"].pk), Payer("employer", world["bpn_employer"].pk)]
    paid_in = Decimal(50_000_000)
    for n, payer in enumerate(payers):
        # Paid in advance, on 10 February: February's bill is paid at once, the rest stays as credit.
        payment_record(
            actor=system_actor(), payer=payer, amount=paid_in, paid_on=date(2025, 2, 10), reference=f"MUKA-{n}",
            channel="bank",
        )  # fmt: skip
    held = Payment.objects.get(reference="MUKA-1")
    holder = other_connection()
    holder.execute("SELECT 1 FROM contributions_payment WHERE id = %s FOR UPDATE", (held.pk,))
    kill_when_held(
        holder,
        "from paritrana.contributions.batch.billing import billing_run; billing_run('2025-03')",
        "contributions_payment",
    )

    march = Bill.objects.filter(period="2025-03-01")
    assert march.count() == 2  # the month committed before the credit was applied
    assert march.get(**payers[1].filter).paid_amount == 0  # the held payer's credit never reached it
    assert BatchRun.objects.filter(job="billing", status="running").exists()
    batch_runs_reap()

    billing_run("2025-03")
    for payer in payers:
        bills = Bill.objects.filter(**payer.filter)
        due = sum(b.amount_due for b in bills)
        assert bills.count() == 2 and all(b.paid_amount == b.amount_due and b.status == "paid" for b in bills)
        # Each bill paid by exactly one allocation of its whole amount, paid before it fell due: no
        # late fee (the 2 % a month runs only from the due date, the 15th of the next month: PP 44/2015,
        # regulation.md § 1.7).
        allocations = Allocation.objects.filter(payment__reference__in=["MUKA-0", "MUKA-1"], bill__in=bills)
        assert sorted(a.bill_id for a in allocations) == sorted(b.pk for b in bills)
        assert sum(a.amount for a in allocations) == due and not any(a.late_fee for a in allocations)
        assert Payment.objects.get(**payer.filter).credit == paid_in - due
