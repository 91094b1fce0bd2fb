"""Birth dates as banks and programmes write them (linkage/rules/dates.py)."""

from __future__ import annotations

from datetime import date

import pytest

from paritrana.linkage.rules.dates import parse_birth_date

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("17-08-1975", date(1975, 8, 17)),
        ("17/8/1975", date(1975, 8, 17)),
        ("17.08.75", date(1975, 8, 17)),
        ("1975-08-17", date(1975, 8, 17)),
        ("19750817", date(1975, 8, 17)),
        ("17 Agustus 1975", date(1975, 8, 17)),
        ("17 Agt 1975", date(1975, 8, 17)),
        ("08/17/1975", date(1975, 8, 17)),  # day-first impossible, month-first real
        ("27623", date(1975, 8, 17)),  # a spreadsheet's serial day
        ("29-02-2001", None),  # not a leap year
        ("31/04/1990", None),
        ("tidak tahu", None),
        ("", None),
        ("01-01-2030", None),  # in the future
    ],
)
def test_birth_dates_in_common_formats(written: str, expected: date | None) -> None:
    assert parse_birth_date(written, today=TODAY) == expected


def test_two_digit_years_take_the_latest_past_century() -> None:
    assert parse_birth_date("05-06-07", today=TODAY) == date(2007, 6, 5)
    assert parse_birth_date("05-06-48", today=TODAY) == date(1948, 6, 5)
