"""Two imports of the same bank statement at once (issue 29, defect 5): the reference another import
is recording meanwhile is the same payment, counted as already recorded; the statement's other rows
are recorded; no server error."""

from __future__ import annotations

from typing import Any

import pytest

from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.models import Allocation, Bill, Payment
from paritrana.contributions.services import payment_import_statement
from tests.conftest import FLUSHABLE_APPS
from tests.faults.race import other_connection, run_blocked_behind

pytestmark = pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)


def test_a_reference_recorded_meanwhile_is_already_recorded_and_the_rest_goes_on(world: dict[str, Any]) -> None:
    billing_run("2025-03")
    employer = world["bpn_employer"]
    statement = (
        "tanggal;referensi;kode_pembayar;jumlah\n"
        f"2025-04-10;BNI-101;{employer.npp};513.500\n"
        f"2025-04-11;BNI-102;{employer.npp};200.000\n"
    ).encode()
    # The other import, mid-way: its first row written, its transaction still open.
    writer = other_connection()
    writer.execute(
        """
        INSERT INTO contributions_payment
          (employer_id, payer_key, paid_on, amount, reference, channel, credit, created_at)
        VALUES (%s, %s * 3 + 2, '2025-04-10', 513500, 'BNI-101', 'bank', 513500, now())
        """,
        (employer.pk, employer.pk),
    )
    admin = world["users"]["admin"]
    report = run_blocked_behind(writer, lambda: payment_import_statement(actor=admin, content=statement)).as_dict()
    assert (report["rows"], report["recorded"], report["already_recorded"], report["invalid"]) == (2, 1, 1, 0)
    assert report["amount_recorded"] == "200000"
    assert sorted(Payment.objects.values_list("reference", flat=True)) == ["BNI-101", "BNI-102"]
    # Allocation went on as after any payment: the payer's credits, oldest first, paid March.
    march = Bill.objects.get(employer=employer, period="2025-03-01")
    assert march.status == "paid" and Allocation.objects.filter(bill_id=march.pk).exists()
