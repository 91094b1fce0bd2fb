"""Reads of enrolment that other apps' bulk reports use (the award's APBD allocation)."""

from decimal import Decimal
from typing import Any

import pytest

from paritrana.enrolment import selectors
from paritrana.enrolment.models import SponsorBudget
from paritrana.registry.models import Sponsor

pytestmark = pytest.mark.django_db


def test_apbd_allocation_by_region_sums_the_regions_own_apbd_sponsors(world: dict[str, Any]) -> None:
    SponsorBudget.objects.create(sponsor=world["kukar_sponsor"], year=2024, allocation=750_000_000)
    second = Sponsor.objects.create(
        code="APBD-UJI-64.02-B", name="APBD Kukar 2 (uji)", kind="apbd_regency", region_id="64.02",
        regency_id="64.02", province_id="64",
    )  # fmt: skip
    SponsorBudget.objects.create(sponsor=second, year=2024, allocation=250_000_000)
    SponsorBudget.objects.create(sponsor=world["kukar_sponsor"], year=2025, allocation=900_000_000)
    csr = Sponsor.objects.create(
        code="CSR-UJI", name="CSR (uji)", kind="csr", region_id="64.02", regency_id="64.02", province_id="64"
    )
    SponsorBudget.objects.create(sponsor=csr, year=2024, allocation=5_000_000)
    # 2024 only, APBD sponsors only: 750,000,000 + 250,000,000.
    assert selectors.apbd_allocation_by_region(year=2024) == {"64.02": Decimal(1_000_000_000)}
