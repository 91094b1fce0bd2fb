"""Coverage indicators, pure: recomposition split, year-end projection, parity, shares, suppression
of small cells and age bands."""

from datetime import date
from decimal import Decimal

from paritrana.coverage.rules.indicators import (
    age_band,
    parity,
    share,
    split_recomposition,
    suppress,
    year_end_projection,
)


def test_recomposition_split_and_projection_rules() -> None:
    # PP 37/2021 Pasal 11 (regulation.md §1.1): 0.14 % of wages from JKK and 0.10 % from JKM.
    assert split_recomposition(Decimal(2400), Decimal("0.14"), Decimal("0.10")) == (Decimal(1400), Decimal(1000))
    # 1,001 × 14/24 = 583.92 → 584 to JKK, the rest (417) to JKM: the parts add up exactly.
    assert split_recomposition(Decimal(1001), Decimal("0.14"), Decimal("0.10")) == (Decimal(584), Decimal(417))
    # PP 6/2025 (from 7 Feb 2025): JKM's part ended, everything comes from JKK.
    assert split_recomposition(Decimal(1001), Decimal("0.14"), Decimal(0)) == (Decimal(1001), Decimal(0))
    # Three months 100 → 110 → 130: +15 a month on average; nine months left → 130 + 135 = 265.
    assert year_end_projection([100, 110, 130], 9) == 265
    assert year_end_projection([500], 9) is None
    assert year_end_projection([100, 40], 10) == 0  # falling: never below zero
    # 30 % women among the active against 40 % in the workforce: parity 0.75.
    assert parity(30, 100, 400, 1000) == Decimal("0.75")
    assert parity(30, 100, None, 1000) is None and parity(0, 0, 400, 1000) is None


def test_shares_and_small_cells() -> None:
    # 1 of 3 → 33.3 %; 2 of 3 → 66.666… → 66.7 (half up); no denominator, no share.
    assert share(1, 3) == Decimal("33.3") and share(2, 3) == Decimal("66.7")
    assert share(5, 0) is None and share(5, None) is None
    # A viewer of aggregates only does not see cells of 1–9 people; zero and 10 are shown.
    assert suppress(9, aggregates_only=True) is None
    assert suppress(0, aggregates_only=True) == 0 and suppress(10, aggregates_only=True) == 10
    assert suppress(3, aggregates_only=False) == 3


def test_age_bands_count_whole_years_on_the_day() -> None:
    on = date(2025, 6, 30)
    assert age_band(date(2000, 7, 1), on) == 0  # 24 the day before the 25th birthday
    assert age_band(date(2000, 6, 30), on) == 1  # 25 on the birthday
    assert age_band(date(1960, 6, 30), on) == 5  # 65 and over
