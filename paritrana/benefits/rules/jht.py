"""The JHT account's yearly development return, pure (PP 46/2015 Pasal 22–23).

The return for programme year Y is credited on 31 December at the rate declared for Y: the balance
carried in from earlier years earns the whole rate, and each movement during Y earns it for the
whole months left after the month it was entered (a contribution for a month paid in March earns
9/12). Rounded once per account and year to whole rupiah, half up (core.money). The SQL batch
(batch/jht.sql) is held to this function by a differential test.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from paritrana.core.money import to_rupiah


def yearly_return(entries: Iterable[tuple[date, Decimal]], *, year: int, rate_percent: Decimal) -> Decimal:
    """The return credited for ``year`` on an account whose movements are ``(entry_date, amount)``.

    >>> from decimal import Decimal as D
    >>> yearly_return([(date(2021, 6, 30), D(1_000_000)), (date(2022, 3, 20), D(120_000))],
    ...               year=2022, rate_percent=D("6.81"))
    Decimal('74229')
    """
    weighted = Decimal(0)
    for day, amount in entries:
        if day.year < year:
            weighted += amount
        elif day.year == year:
            weighted += amount * (12 - day.month) / 12
    return to_rupiah(weighted * rate_percent / 100) if weighted > 0 else Decimal(0)


def balance_with_returns(
    entries: Iterable[tuple[date, Decimal]], *, rates: dict[int, Decimal], until_year: int
) -> Decimal:
    """Contributions plus the development return of every whole year before ``until_year`` whose rate
    is known, each year's return earning in the years after it (credited on 31 December).

    The JP lump sum (UU 40/2004 Pasal 41) is the contributions paid and their return; JP has no
    ledger of its own, so it is worked out from the paid months the same way the JHT account is.

    >>> from decimal import Decimal as D
    >>> balance_with_returns([(date(2021, 6, 30), D(1_000_000)), (date(2022, 3, 20), D(120_000))],
    ...                      rates={2022: D("6.8")}, until_year=2023)
    Decimal('1194120')
    """
    movements = sorted(entries)
    if not movements:
        return Decimal(0)
    for year in range(movements[0][0].year, until_year):
        if year in rates:
            earned = yearly_return(movements, year=year, rate_percent=rates[year])
            if earned:
                movements.append((date(year, 12, 31), earned))
    return sum((amount for _, amount in movements), Decimal(0))
