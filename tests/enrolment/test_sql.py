"""The SQL NIK checks used for set-based enrolment agree with the Python rule (regions/rules/nik.py)
on every NIK of a seeded sample that mixes valid, edge and broken layouts: the same error codes in the
same order, the same birth date and the same sex (DESIGN.md §3.2, a differential test)."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.db import connection

from paritrana.regions.rules.nik import parse_nik
from paritrana.regions.selectors import region_lookup

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 21)
STRUCTURAL = ("nik_format", "nik_province_unknown", "nik_region_zero", "nik_birth_date_invalid", "nik_serial_zero")


def _sample(n: int) -> list[str]:
    rng = random.Random(2021)
    provinces = ["11", "31", "64", "65", "94", "99", "00", "10"]
    niks = []
    for _ in range(n):
        day = rng.choice([rng.randint(1, 31), rng.randint(41, 71), 0, 32, 40, 72, 29, 69, 30, 31])
        month = rng.choice([rng.randint(1, 12), 0, 13, 2])
        yy = rng.choice([rng.randint(0, 99), 0, 26, 27, 25])
        nik = (
            rng.choice(provinces)
            + rng.choice(["00", "01", "02", "71"])
            + rng.choice(["00", "01", "15"])
            + f"{day:02d}{month:02d}{yy:02d}"
            + rng.choice(["0000", "0001", f"{rng.randint(0, 9999):04d}"])
        )
        kind = rng.random()
        if kind < 0.05:
            nik = nik[:15]
        elif kind < 0.08:
            nik = nik[:10] + "x" + nik[11:]
        niks.append(nik)
    return niks


def test_sql_nik_checks_match_parse_nik() -> None:
    niks = _sample(3000)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n, enrol_nik_errors(n, %s), enrol_nik_birth_date(n, %s), enrol_nik_sex(n)"
            " FROM unnest(%s::text[]) n",
            [TODAY, TODAY, niks],
        )
        rows = cursor.fetchall()
    lookup = region_lookup()
    mismatches = []
    for nik, codes, born, sex in rows:
        expected = parse_nik(nik, regions=lookup, today=TODAY)
        want = [c for c in expected.error_codes if c in STRUCTURAL]
        sql_born = born if "nik_format" not in codes else None
        if (list(codes), sql_born, sex if born else None) != (want, expected.birth_date, expected.sex):
            mismatches.append((nik, codes, born, sex, want, expected.birth_date, expected.sex))
    assert not mismatches, mismatches[:5]
    # The sample exercises every code.
    seen = {c for _, codes, _, _ in rows for c in codes}
    assert seen == set(STRUCTURAL)


@pytest.mark.parametrize("today", [TODAY, date(2099, 12, 31), date(2000, 2, 28)])
def test_nik_date_lookup_agrees_with_the_function_on_every_code(today: date) -> None:
    """The staging reads a NIK's birth date from enrolment_nik_date (enrolment/sql.py LOOKUPS); every
    one of its codes, and every day/month/year digit pair around them it lacks (day 00-79, month
    00-13), must mean what enrol_nik_birth_date says."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE n.code IS NOT NULL),
              count(*) FILTER (WHERE enrol_nik_century(n.d1900, n.d2000, %(today)s)
                IS DISTINCT FROM enrol_nik_birth_date('640201' || c.code || '0001', %(today)s))
            FROM generate_series(0, 79) AS dd, generate_series(0, 13) AS mm, generate_series(0, 99) AS yy,
              LATERAL (SELECT lpad(dd::text, 2, '0') || lpad(mm::text, 2, '0') || lpad(yy::text, 2, '0')) AS c(code)
            LEFT JOIN enrolment_nik_date n ON n.code = c.code
            """,
            {"today": today},
        )
        codes, found, disagreeing = cursor.fetchone()
    # 200 years of days for men and women, each DDMMYY standing for one day in each century it exists.
    assert (codes, found, disagreeing) == (80 * 14 * 100, 2 * 36_525, 0)
