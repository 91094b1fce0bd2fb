"""Cells cleaned the way people type them (issue 28 §2), one place per kind of value."""

from __future__ import annotations

import pytest

from paritrana.core.rules.cells import amount_cell, date_cell, nik_cell, sex_cell


@pytest.mark.parametrize(
    ("typed", "nik", "exponent"),
    [
        ("'3171015708900003", "3171015708900003", False),  # kept as text in Excel with an apostrophe
        ("64.02.19.590187.7005", "6402195901877005", False),
        ("640204-560296-7004", "6402045602967004", False),
        ("3171 0157 0890 0003", "3171015708900003", False),
        ("3171015708900003.0", "3171015708900003", False),  # a number cell exported as text
        ("3.17102E+15", "3.17102E+15", True),  # digits lost: refused with its own code
        ("3,17102E+15", "3,17102E+15", True),
        ("tidak ada", "tidakada", False),  # not a NIK: left for the check to refuse
        ('="3171015708900003"', "3171015708900003", False),  # a CSV exporter's text-keeping formula
        ("`3171015708900003", "3171015708900003", False),
    ],
)
def test_nik_cells(typed: str, nik: str, exponent: bool) -> None:
    assert nik_cell(typed) == (nik, exponent)


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ("Rp 2.500.000,-", "2.500.000"),
        ("2.500.000,00", "2.500.000,00"),
        ("2500000", "2500000"),
        ("Rp2.500.000.-", "2.500.000"),
        ("-", "-"),
        ("", ""),
    ],
)
def test_amount_cells(typed: str, cleaned: str) -> None:
    assert amount_cell(typed) == cleaned


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ("8/12/1985 0:00", "8/12/1985"),
        ("1985-12-08 00:00:00", "1985-12-08"),
        ("08-12-1985 13.45 WIB", "08-12-1985"),
        # A month written as a word, as forms and letters write it, in numbers (day first).
        ("8 Desember 1985", "08/12/1985"),
        ("17 Agustus 1945 00:00", "17/08/1945"),
        ("3-Mei-90", "03/05/90"),
    ],
)
def test_date_cells(typed: str, cleaned: str) -> None:
    assert date_cell(typed) == cleaned


def test_sex_cells() -> None:
    assert [sex_cell(s) for s in ("L", "P", "Laki-laki", "PEREMPUAN", "Pria", "Wanita", "1", "2", "M", "F")] == [
        "L", "P", "L", "P", "L", "P", "L", "P", "L", "P",
    ]  # fmt: skip
    assert sex_cell("P", p_is_pria=True) == "L" and sex_cell("W", p_is_pria=True) == "P"
    assert sex_cell("X") == "X"
