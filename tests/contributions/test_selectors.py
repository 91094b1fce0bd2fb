"""Reads of the contribution engine that other apps' bulk reports use (the award's compliance)."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from paritrana.contributions import selectors
from paritrana.contributions.batch.partitions import ensure_partition
from paritrana.contributions.models import Bill

pytestmark = pytest.mark.django_db


def _bill(*, region: str, due: date, amount_due: int, paid: int, **payer: Any) -> Bill:
    with connection.cursor() as cursor:
        ensure_partition(cursor, due.replace(day=1))  # bills are partitioned by month
    return Bill.objects.create(
        period=due.replace(day=1), due_date=due, region_id=region, amount_due=amount_due, paid_amount=paid, **payer
    )


def test_paid_and_due_by_region_counts_each_bill_at_most_its_due(world: dict[str, Any]) -> None:
    _bill(region="64.02", due=date(2024, 3, 15), amount_due=1_000_000, paid=1_200_000, sponsor=world["kukar_sponsor"])
    _bill(region="64.71", due=date(2024, 3, 15), amount_due=2_000_000, paid=500_000, employer=world["bpn_employer"])
    _bill(region="64", due=date(2024, 4, 15), amount_due=300_000, paid=300_000, sponsor=world["kukar_sponsor"])
    _bill(region="64.71", due=date(2025, 1, 15), amount_due=9_000_000, paid=0, employer=world["bpn_employer"])
    facts = selectors.paid_and_due_by_region(start=date(2024, 1, 1), end=date(2024, 12, 31))
    # An overpayment counts only up to what was due: Kukar 1,000,000 of 1,000,000.
    assert facts["64.02"] == (Decimal(1_000_000), Decimal(1_000_000))
    assert facts["64.71"] == (Decimal(500_000), Decimal(2_000_000))
    # The province takes its regencies' bills and its own: 1,000,000 + 500,000 + 300,000 of 3,300,000.
    assert facts["64"] == (Decimal(1_800_000), Decimal(3_300_000))


def test_employer_bills_report_arrears_and_the_period(world: dict[str, Any]) -> None:
    bpn, kukar = world["bpn_employer"], world["kukar_employer"]
    _bill(region="64.71", due=date(2024, 2, 15), amount_due=2_000_000, paid=2_000_000, employer=bpn)
    _bill(region="64.71", due=date(2024, 3, 15), amount_due=2_000_000, paid=1_500_000, employer=bpn)
    facts = selectors.employer_bills(ids=[bpn.pk, kukar.pk], start=date(2024, 1, 1), end=date(2024, 12, 31))
    assert facts[bpn.pk] == (True, Decimal(3_500_000), Decimal(4_000_000))
    # No bill at all: not in arrears, nothing due.
    assert facts[kukar.pk] == (False, None, None)
