"""law/rules/params.py: the rows in force on a day, looked up by key. No database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from paritrana.law.rules.params import ParameterNotInForce, ParameterRow, ParameterSet

# The JP wage cap as published: Rp10.042.300 from March 2024, Rp10.547.400 from March 2025
# (regulation.md §1.3); the second row marked uncertain to see the basis say so.
ROWS = [
    ParameterRow("jp.wage_cap", Decimal("10042300"), date(2024, 3, 1), date(2025, 2, 28), "PP 45/2015 Pasal 5", "O"),
    ParameterRow("jp.wage_cap", Decimal("10547400"), date(2025, 3, 1), None, "PP 45/2015 Pasal 5", "U"),
]


def test_the_row_in_force_on_the_day_answers() -> None:
    assert ParameterSet(ROWS, date(2025, 2, 28)).get("jp.wage_cap") == Decimal("10042300")
    assert ParameterSet(ROWS, date(2025, 3, 1)).get("jp.wage_cap") == Decimal("10547400")
    assert ParameterSet(ROWS, date(2030, 1, 1)).basis("jp.wage_cap") == "PP 45/2015 Pasal 5 [belum pasti]"


def test_a_day_outside_the_law_is_a_refusal_not_a_fault() -> None:
    before = ParameterSet(ROWS, date(2024, 2, 29))
    assert not before.has("jp.wage_cap") and before.get("jp.wage_cap", Decimal(0)) == 0
    with pytest.raises(ParameterNotInForce) as refused:
        before.get("jp.wage_cap")
    assert refused.value.code == "law_not_in_force" and "29/02/2024" in str(refused.value)
