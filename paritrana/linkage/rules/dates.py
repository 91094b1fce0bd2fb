"""Birth dates as banks and programmes write them. Pure.

Indonesian lists write the day first (17-08-1975, 17/8/75, 17 Agustus 1975); some systems export ISO
(1975-08-17), compact (19750817) or a spreadsheet's serial day number. A day-first reading that is
impossible but valid month-first (08/17/1975) is read month-first, since some bank systems export US
order. Two-digit years take the latest century that is not in the future (as the NIK does).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from paritrana.core.rules.cells import MONTHS, date_cell

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{2}|\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})[-/. ]+([a-z]+)[-/. ,]+(\d{2}|\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = date(1899, 12, 30)  # spreadsheet serial 1 = 1900-01-01 (with the 1900 leap-year bug)


def _year(text: str, today: date) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    return year


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_birth_date(raw: object, *, today: date) -> date | None:
    """The date written in ``raw``, or None when it is empty or not a date.

    >>> t = date(2026, 11, 21)
    >>> [str(parse_birth_date(v, today=t)) for v in ("17-08-1975", "17/8/75", "1975-08-17", "08/17/1975")]
    ['1975-08-17', '1975-08-17', '1975-08-17', '1975-08-17']
    >>> str(parse_birth_date("17 Agustus 1975", today=t)), str(parse_birth_date("19750817", today=t))
    ('1975-08-17', '1975-08-17')
    >>> parse_birth_date("31-02-1980", today=t) is None, parse_birth_date("", today=t) is None
    (True, True)
    """
    if raw is None:
        return None
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _serial(float(raw), today)
    # A system export's time part ("8/12/1985 0:00") is no part of a birth date (issue 28 §2).
    text = date_cell(str(raw)).lower()
    if not text:
        return None
    found: date | None = None
    if m := _ISO.match(text):
        found = _date(int(m[1]), int(m[2]), int(m[3]))
    elif m := _DAY_FIRST.match(text):
        day, month, year = int(m[1]), int(m[2]), _year(m[3], today)
        found = _date(year, month, day) or (_date(year, day, month) if month > 12 else None)
    elif m := _WORDS.match(text):
        month_no = MONTHS.get(m[2])
        found = _date(_year(m[3], today), month_no, int(m[1])) if month_no else None
    elif m := _COMPACT.match(text):
        found = _date(int(m[1]), int(m[2]), int(m[3]))
    elif re.fullmatch(r"\d{4,5}(\.0+)?", text):
        found = _serial(float(text), today)
    if found is None or found > today or found.year < 1900:
        return None
    return found


def _serial(value: float, today: date) -> date | None:
    if not 1 <= value < 80_000:
        return None
    found = _EXCEL_EPOCH + timedelta(days=int(value))
    return found if found <= today else None
