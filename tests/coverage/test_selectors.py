"""Reads of coverage monitoring that other apps' bulk reports use (the award's coverage rate and
regulations)."""

from datetime import date
from typing import Any

import pytest

from paritrana.coverage import selectors
from paritrana.coverage.models import Addressee, Denominator, FollowUpAction

pytestmark = pytest.mark.django_db


def test_employed_by_region_takes_the_newest_figure_of_the_year_or_before(world: dict[str, Any]) -> None:
    for year, value in ((2031, 410_000), (2032, 420_000), (2034, 440_000)):
        Denominator.objects.create(region_id="64.02", year=year, kind="employed", value=value, source="uji")
    Denominator.objects.create(region_id="64.02", year=2033, kind="labour_force", value=999_999, source="uji")
    # 2033: the newest "employed" figure of 2033 or before is 2032's; 2034's is not yet known then.
    assert selectors.employed_by_region(year=2033)["64.02"] == 420_000
    assert selectors.employed_by_region(year=2034)["64.02"] == 440_000


def test_regulations_by_region_counts_regulations_taken_in_the_period(world: dict[str, Any]) -> None:
    regent = Addressee.objects.create(kind="regent", title="Bupati Kutai Kartanegara (uji)", region_id="64.02")
    for day, kind in ((date(2024, 2, 1), "regulation"), (date(2024, 9, 1), "regulation"),
                      (date(2024, 5, 1), "budget"), (date(2025, 1, 2), "regulation")):  # fmt: skip
        FollowUpAction.objects.create(addressee=regent, kind=kind, taken_on=day, description="uji", evidence="uji")
    assert selectors.regulations_by_region(start=date(2024, 1, 1), end=date(2024, 12, 31))["64.02"] == 2
