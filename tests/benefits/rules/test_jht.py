"""The JHT development return (PP 46/2015 Pasal 22–23): the balance carried in earns the whole
year's rate, a movement during the year earns it for the whole months left after its month;
rounded once per account and year, half up."""

from datetime import date
from decimal import Decimal

from paritrana.benefits.rules.jht import balance_with_returns, yearly_return


def test_a_year_carried_in_earns_the_whole_rate() -> None:
    # Rp10,000,000 carried into 2023 at 6.2 %: 620,000.
    assert yearly_return([(date(2022, 5, 31), Decimal(10_000_000))], year=2023, rate_percent=Decimal("6.2")) == 620_000


def test_a_movement_during_the_year_earns_the_months_left() -> None:
    # Rp1,200,000 entered in April 2023 earns 8/12 of 6.2 %: 1,200,000 × 8/12 × 0.062 = 49,600.
    assert yearly_return([(date(2023, 4, 10), Decimal(1_200_000))], year=2023, rate_percent=Decimal("6.2")) == 49_600
    # Entered in December: no whole month left, nothing earned; entered after the year: nothing.
    assert yearly_return([(date(2023, 12, 1), Decimal(1_200_000))], year=2023, rate_percent=Decimal("6.2")) == 0
    assert yearly_return([(date(2024, 1, 5), Decimal(1_200_000))], year=2023, rate_percent=Decimal("6.2")) == 0


def test_rounded_once_half_up() -> None:
    # 100,001 × 5/12 (July) × 6 % = 2,500.025 → 2,500; 100,030 × 5/12 × 6 % = 2,500.75 → 2,501.
    assert yearly_return([(date(2023, 7, 1), Decimal(100_001))], year=2023, rate_percent=Decimal(6)) == 2_500
    assert yearly_return([(date(2023, 7, 1), Decimal(100_030))], year=2023, rate_percent=Decimal(6)) == 2_501


def test_balance_compounds_each_years_return_into_the_next() -> None:
    # Rp1,000,000 in June 2021; 2021 at 6 %: 1,000,000 × 6/12 × 6 % = 30,000 (credited 31/12/2021);
    # 2022 at 5 %: (1,000,000 + 30,000) × 5 % = 51,500. Until 2023: 1,081,500.
    entries = [(date(2021, 6, 30), Decimal(1_000_000))]
    rates = {2021: Decimal(6), 2022: Decimal(5)}
    assert balance_with_returns(entries, rates=rates, until_year=2023) == Decimal(1_081_500)
    # A year whose rate is not yet published earns nothing yet.
    assert balance_with_returns(entries, rates={2021: Decimal(6)}, until_year=2023) == Decimal(1_030_000)
    assert balance_with_returns([], rates=rates, until_year=2023) == 0
