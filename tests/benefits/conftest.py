from datetime import date
from typing import Any

import pytest

from tests.conftest import ensure_contribution_law


@pytest.fixture(autouse=True)
def _benefit_law(request: Any) -> None:
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("db")
        ensure_contribution_law()


def bill_and_pay(actor: Any, payer_kind: str, payer_id: int, months: list[str], paid_on: list[date]) -> None:
    """Bill each month (YYYY-MM) for every active membership and pay the payer's bill in full on the
    matching date, through the real billing run and payment service."""
    from paritrana.contributions.batch.billing import billing_run
    from paritrana.contributions.models import Bill
    from paritrana.contributions.services import Payer, payment_record

    for month, day in zip(months, paid_on, strict=True):
        billing_run(month)
        bill = Bill.objects.get(**{f"{payer_kind}_id": payer_id}, period=f"{month}-01")
        payment_record(
            actor=actor,
            payer=Payer(payer_kind, payer_id),
            amount=bill.amount_due,
            paid_on=day,
            reference=f"T-{payer_kind}-{payer_id}-{month}",
        )
        bill.refresh_from_db()
        assert bill.status == "paid"
