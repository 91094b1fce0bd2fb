"""Months and dates as Paritrana reads and counts them. Pure: no Django, no database.

A contribution month, a coverage month and a billing period are one thing, a :class:`Period`; the
database holds it as the month's first day (``Bill.period``, ``CoverageRollup.period``), which is
what :meth:`Period.sql` gives. Dates typed by people are read by :func:`parse_date` (ISO or the
day-first form Indonesian offices write, ``21/11/2026``).

>>> p = Period.parse("2024-12")
>>> str(p + 1), p.first_day, p.last_day
('2025-01', datetime.date(2024, 12, 1), datetime.date(2024, 12, 31))
>>> add_months(date(2024, 1, 31), 1)
datetime.date(2024, 2, 29)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .errors import DomainError

PERIOD_FORMAT = "TTTT-BB"
PERIOD_MESSAGE = "Periode harus berformat TTTT-BB, misalnya 2025-03."
_PERIOD = re.compile(r"(\d{4})-(\d{1,2})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# ISO first (what forms and the API send), then day-first as offices and banks write it.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


class PeriodInvalid(DomainError, ValueError):
    """Text that is no month of the form TTTT-BB: a refusal with a stable code wherever it is raised
    (the API and pages show it; a command's ``ValueError`` handler still catches it)."""

    def __init__(self, field: str = "period") -> None:
        super().__init__("period_invalid", PERIOD_MESSAGE, field=field)


@dataclass(frozen=True, order=True)
class Period:
    """One calendar month."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (1 <= self.month <= 12 and 1 <= self.year <= 9998):
            raise PeriodInvalid()

    @classmethod
    def parse(cls, text: str, *, field: str = "period") -> Period:
        """``2025-03`` (``2025-3`` too); anything else raises :class:`PeriodInvalid` naming ``field``."""
        match = _PERIOD.fullmatch(str(text).strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise PeriodInvalid(field)
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def parse_optional(cls, text: str | None, *, field: str = "period") -> Period | None:
        """None for an empty filter; otherwise as :meth:`parse`."""
        return cls.parse(text, field=field) if text and str(text).strip() else None

    @classmethod
    def of(cls, day: date) -> Period:
        """The month a day falls in."""
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def day(self, number: int) -> date:
        """The month's day ``number``, or its last day when the month is shorter (a due date on
        the 30th falls on 28 or 29 February)."""
        return date(self.year, self.month, min(number, calendar.monthrange(self.year, self.month)[1]))

    def __add__(self, months: int) -> Period:
        year, index = divmod(self.year * 12 + self.month - 1 + months, 12)
        return Period(year, index + 1)

    def __sub__(self, months: int) -> Period:
        return self + (-months)

    def months_since(self, earlier: Period) -> int:
        """How many months ``earlier`` lies before this one (0 for the same month)."""
        return (self.year - earlier.year) * 12 + self.month - earlier.month

    @property
    def sql(self) -> date:
        """The parameter the database compares with: the month's first day."""
        return self.first_day

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class SemesterInvalid(DomainError, ValueError):
    def __init__(self, field: str = "semester") -> None:
        super().__init__("semester_invalid", "Semester harus TTTT-1 atau TTTT-2.", field=field)


@dataclass(frozen=True, order=True)
class Semester:
    """Half a year, as the Inpres 2/2021 follow-up is reported: ``2025-1`` is January–June."""

    year: int
    half: int

    @classmethod
    def parse(cls, text: str, *, field: str = "semester") -> Semester:
        match = re.fullmatch(r"(\d{4})-([12])", str(text or "").strip())
        if not match:
            raise SemesterInvalid(field)
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def first(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def last(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.half}"


def month_start(day: date) -> date:
    """The first day of the month ``day`` falls in."""
    return day.replace(day=1)


def shift_month(month: date, n: int) -> date:
    """The first day of the month ``n`` months after (before, when negative) the month of ``month``."""
    return (Period.of(month) + n).first_day


def month_end(day: date) -> date:
    """The last day of the month ``day`` falls in."""
    return Period.of(day).last_day


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day when it is shorter."""
    return (Period.of(day) + months).day(day.day)


def whole_months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``: a month counts once its day of the month is reached."""
    return Period.of(end).months_since(Period.of(start)) - (end.day < start.day)


def months_touched(start: date, end: date) -> int:
    """Calendar months from the month of ``start`` to the month of ``end``, both counted; 0 when
    ``end`` is in an earlier month."""
    return max(Period.of(end).months_since(Period.of(start)) + 1, 0)


def parse_iso_date(value: Any) -> date | None:
    """A date as programs send it: exactly ``TTTT-BB-HH``; a ``date`` passes through; anything else
    (and an impossible day) is None. The API and the law's input take only this form, so that
    ``10-03-2025`` is never silently read one way or the other."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def parse_date(value: Any) -> date | None:
    """A date as people type it in a form or a bank writes it in a statement: ISO ``2026-11-21``,
    ``21/11/2026`` or ``21-11-2026``; a ``date`` passes through; anything else is None."""
    found = parse_iso_date(value)
    if found is not None or isinstance(value, date):
        return found
    text = str(value or "").strip()
    for fmt in DATE_FORMATS[1:]:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
