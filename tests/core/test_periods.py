"""core/periods.py: one month value and the date readers every app uses. No database."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paritrana.core.errors import DomainError
from paritrana.core.periods import (
    Period,
    PeriodInvalid,
    Semester,
    SemesterInvalid,
    add_months,
    month_end,
    months_touched,
    parse_date,
    parse_iso_date,
    shift_month,
    whole_months_between,
)

periods = st.builds(Period, st.integers(1900, 2200), st.integers(1, 12))


def test_parse_and_print() -> None:
    assert Period.parse("2025-03") == Period(2025, 3)
    assert Period.parse(" 2025-3 ") == Period(2025, 3)
    assert str(Period(2025, 3)) == "2025-03"
    assert Period.parse_optional("") is None and Period.parse_optional(None) is None


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "25-03", "2025/03", "maret 2025", "", "9999-12-01"])
def test_what_is_no_month_is_refused_with_a_stable_code(text: str) -> None:
    with pytest.raises(PeriodInvalid) as refused:
        Period.parse(text, field="bulan")
    assert isinstance(refused.value, DomainError) and isinstance(refused.value, ValueError)
    assert refused.value.code == "period_invalid" and refused.value.problem.field == "bulan"


def test_first_and_last_days_and_leap_february() -> None:
    assert Period(2024, 2).first_day == date(2024, 2, 1)
    assert Period(2024, 2).last_day == date(2024, 2, 29)
    assert Period(2025, 2).last_day == date(2025, 2, 28)
    assert Period(2025, 12).last_day == date(2025, 12, 31)
    assert Period(2025, 2).day(30) == date(2025, 2, 28)  # a due date on the 30th (PP 49/2020 Pasal 3)
    assert Period(2025, 4).sql == date(2025, 4, 1)


def test_arithmetic_across_years() -> None:
    assert Period(2024, 12) + 1 == Period(2025, 1)
    assert Period(2025, 1) - 1 == Period(2024, 12)
    assert Period(2025, 3) - 27 == Period(2022, 12)
    assert Period(2026, 1).months_since(Period(2024, 12)) == 13


@given(periods, st.integers(-600, 600))
def test_adding_then_subtracting_months_is_the_same_month(p: Period, n: int) -> None:
    assert (p + n) - n == p
    assert (p + n).months_since(p) == n


@given(periods, st.integers(-600, 600))
def test_order_follows_the_calendar(p: Period, n: int) -> None:
    assert (p + n > p) == (n > 0)
    assert ((p + n).first_day > p.first_day) == (n > 0)


def test_day_helpers() -> None:
    assert shift_month(date(2025, 1, 20), -1) == date(2024, 12, 1)
    assert month_end(date(2024, 2, 10)) == date(2024, 2, 29)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    # A month counts once its day of the month is reached.
    assert whole_months_between(date(2024, 1, 15), date(2024, 4, 14)) == 2
    assert whole_months_between(date(2024, 1, 15), date(2024, 4, 15)) == 3
    # Both end months counted; nothing when the end is in an earlier month.
    assert months_touched(date(2024, 1, 1), date(2026, 12, 31)) == 36
    assert months_touched(date(2024, 5, 1), date(2024, 4, 30)) == 0


@given(st.dates(date(1900, 1, 1), date(2200, 12, 31)), st.integers(-240, 240))
def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month(day: date, n: int) -> None:
    moved = add_months(day, n)
    assert Period.of(moved) == Period.of(day) + n
    assert moved.day == min(day.day, Period.of(moved).last_day.day)


def test_dates_as_programs_send_them_are_iso_only() -> None:
    assert parse_iso_date("2026-11-21") == date(2026, 11, 21)
    assert parse_iso_date(date(2026, 11, 21)) == date(2026, 11, 21)
    for text in ("21/11/2026", "10-03-2025", "2026-02-30", "2026-1-5", "", None):
        assert parse_iso_date(text) is None


def test_dates_as_people_type_them() -> None:
    assert parse_date("2026-11-21") == date(2026, 11, 21)
    assert parse_date("21/11/2026") == date(2026, 11, 21)
    assert parse_date(" 21-11-2026 ") == date(2026, 11, 21)
    assert parse_date("31/02/2026") is None
    assert parse_date("kemarin") is None and parse_date("") is None


def test_semesters() -> None:
    first = Semester.parse("2025-1")
    assert (first.first, first.last) == (date(2025, 1, 1), date(2025, 6, 30))
    assert Semester.parse("2025-2").first == date(2025, 7, 1) and str(Semester(2025, 2)) == "2025-2"
    for text in ("2025-3", "2025", "", "2025-12"):
        with pytest.raises(SemesterInvalid) as refused:
            Semester.parse(text)
        assert refused.value.code == "semester_invalid"
