"""A bank statement's import killed with kill -9 early, mid-way and late (issue 29): the point is the
statement's own row 1, 25 or 40 of 40 (held by another transaction writing that row's reference, the
waiting server process named by ``pg_blocking_pids``). The rows before it stay recorded, each in its
own transaction; the file imported again records exactly the rest: nothing doubled, nothing lost,
the money allocated as one clean import allocates it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Sum

from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.models import Allocation, Payment
from paritrana.contributions.services import payment_import_statement
from tests.conftest import FLUSHABLE_APPS
from tests.faults.race import kill_when_held, other_connection

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)]
ROWS = 40


@pytest.mark.parametrize("held", [1, 25, ROWS], ids=["early", "middle", "late"])
def test_a_statement_import_killed_mid_way_is_finished_by_importing_it_again(
    world: dict[str, Any], tmp_path: Path, held: int
) -> None:
    billing_run("2025-03")
    billing_run("2025-04")
    payers = (world["bpn_employer"].npp, world["kukar_sponsor"].code)
    lines = [f"2025-04-{1 + n % 20:02d};BRI-{n:04d};{payers[n % 2]};{10_000 + 1_000 * n}" for n in range(1, ROWS + 1)]
    statement = tmp_path / "rekening.csv"
    statement.write_text("tanggal;referensi;kode_pembayar;jumlah\n" + "\n".join(lines) + "\n")
    total = sum(Decimal(10_000 + 1_000 * n) for n in range(1, ROWS + 1))

    # Another writer holds that row's reference: the import stops there.
    holder = other_connection()
    employer = world["bpn_employer"].pk
    holder.execute(
        "INSERT INTO contributions_payment"
        " (employer_id, payer_key, paid_on, amount, reference, channel, credit, created_at)"
        " VALUES (%s, %s * 3 + 2, '2025-04-06', %s, %s, 'bank', %s, now())",
        (employer, employer, 10_000 + 1_000 * held, f"BRI-{held:04d}", 10_000 + 1_000 * held),
    )
    admin = world["users"]["admin"].username
    kill_when_held(
        holder,
        "from django.contrib.auth import get_user_model\n"
        "from paritrana.contributions.services import payment_import_statement\n"
        f"user = get_user_model().objects.get(username={admin!r})\n"
        f"payment_import_statement(actor=user, content=open({str(statement)!r}, 'rb').read())",
        "contributions_payment",
    )
    assert Payment.objects.count() == held - 1  # the rows before the held one, each committed

    report = payment_import_statement(actor=world["users"]["admin"], content=statement.read_bytes()).as_dict()
    assert (report["recorded"], report["already_recorded"], report["invalid"]) == (ROWS - held + 1, held - 1, 0)
    assert Payment.objects.count() == ROWS
    assert Payment.objects.aggregate(s=Sum("amount"))["s"] == total
    # Every rupiah is either allocated to a bill or left as the payer's credit, once.
    allocated = Allocation.objects.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    credit = Payment.objects.aggregate(s=Sum("credit"))["s"] or Decimal(0)
    assert allocated + credit == total
