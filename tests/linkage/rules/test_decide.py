"""NIKs cleaned, swapped dates, and the decision from candidate weights (linkage/rules/decide.py)."""

from __future__ import annotations

from datetime import date

from paritrana.linkage.rules.decide import Thresholds, clean_nik, decide, outcome, swapped

TODAY = date(2026, 11, 21)


def test_nik_cleaned_and_cut_into_parts() -> None:
    parts = clean_nik("64.0201-570890 0003", today=TODAY)
    assert parts is not None and (parts.region, parts.born, parts.serial) == ("640201", "570890", "0003")
    assert clean_nik("6402015708900000", today=TODAY) is None  # serial 0000
    assert clean_nik("640201570890003", today=TODAY) is None  # 15 digits
    assert clean_nik("6402012902010003", today=TODAY) is None  # 29 February 2001
    assert clean_nik("6402016902000003", today=TODAY) is not None  # 29 February 2000, a woman (+40)
    assert clean_nik("", today=TODAY) is None


def test_swapped_day_and_month() -> None:
    assert swapped(date(1990, 4, 10)) == date(1990, 10, 4)
    assert swapped(date(1990, 4, 13)) is None and swapped(date(1990, 4, 4)) is None


def test_decision_from_candidate_weights() -> None:
    t = Thresholds(match=0.0, review=-6.0, lead=2.0)
    assert decide([9.0], t) == "match"
    assert decide([9.0, 6.5], t) == "match"  # a lead of 2.5 ≥ 2
    assert decide([9.0, 7.5], t) == "ambiguous"
    assert decide([-0.5], t) == "review"
    assert decide([-6.5], t) == "none" and decide([], t) == "none"


def test_outcome_of_a_decision() -> None:
    assert outcome("match", active=True) == "covered_active"
    assert outcome("match", active=True, in_arrears=True) == "covered_lapsed"
    assert outcome("match", active=False) == "covered_lapsed"
    assert outcome("none", active=None) == "not_covered"
    assert outcome("ambiguous", active=None) == outcome("review", active=None) == "ambiguous"
