"""The award's arithmetic, worked by hand (rules.award; regulation.md § 6: the weights are the
committee's, none is published, so the tests use their own)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paritrana.award.rules import award as rules


def test_growth_and_share() -> None:
    assert rules.growth(200, 250) == D("25.00")
    assert rules.growth(3, 2) == D("-33.33")
    assert rules.growth(0, 10) is None  # no rate from nothing
    assert rules.share(1, 3) == D("33.33")
    assert rules.share(5, 0) is None


def test_min_max_normalisation_both_directions() -> None:
    # Coverage 40 % between 20 % and 60 %: half-way, 50 points.
    assert rules.normalise(D(40), D(20), D(60), higher_is_better=True) == D("50.00")
    # Claims in 5 days where the fastest is 2 and the slowest 14: (14 − 5) / 12 = 75 points.
    assert rules.normalise(D(5), D(2), D(14), higher_is_better=False) == D("75.00")
    assert rules.normalise(None, D(2), D(14), higher_is_better=True) == 0
    # No spread: the indicator separates no one.
    assert rules.normalise(D(7), D(7), D(7), higher_is_better=True) == 0


def test_indicator_scores_by_hand() -> None:
    values = {
        1: {"coverage_rate": D("60"), "claims_days": D("2")},
        2: {"coverage_rate": D("20"), "claims_days": D("14")},
        3: {"coverage_rate": D("40"), "claims_days": D("5")},
        4: {"coverage_rate": None, "claims_days": D("8")},
    }
    weights = {"coverage_rate": 3, "claims_days": 1, "regulations": 0}
    got = rules.indicator_scores(values, weights)
    # Candidate 1: coverage 100 × 3/4 = 75, claims 100 × 1/4 = 25 → 100.
    assert got[1][0] == D("100.00")
    # Candidate 3: coverage 50 × 3/4 = 37.50, claims 75 × 1/4 = 18.75 → 56.25.
    assert got[3][0] == D("56.25")
    # Candidate 4: no coverage figure (0), claims (14 − 8)/12 = 50 × 1/4 = 12.50.
    assert got[4][0] == D("12.50")
    assert got[2][0] == D("0.00")
    parts = {p.code: p for p in got[3][1]}
    assert set(parts) == {"coverage_rate", "claims_days"}  # weight 0 is left out
    assert (parts["coverage_rate"].low, parts["coverage_rate"].high) == (D(20), D(60))


def test_stage_total_gives_an_absent_stage_weight_to_the_others() -> None:
    w = {"indicators": 50, "provincial": 20, "interview": 30}
    # (50 × 60 + 20 × 80 + 30 × 70) / 100 = 67
    assert rules.stage_total(D(60), D(80), D(70), w) == D("67.00")
    # Provinces have no provincial panel: (50 × 60 + 30 × 70) / 80 = 63.75
    assert rules.stage_total(D(60), None, D(70), w) == D("63.75")


def test_ranking_breaks_ties_by_indicators_then_name() -> None:
    scores = {1: (D(70), D(50), "Beta"), 2: (D(70), D(60), "Alfa"), 3: (D(70), D(50), "Alfa"), 4: (D(90), D(1), "Z")}
    assert rules.ranked(scores) == [4, 2, 3, 1]


@pytest.mark.parametrize(
    ("mark", "code"), [(D("0"), None), (D("100"), None), (D("87.25"), None), (D("-1"), "mark_out_of_range"),
                       (D("100.01"), "mark_out_of_range"), (D("NaN"), "mark_out_of_range"),
                       (D("80.125"), "mark_too_precise")],
)  # fmt: skip
def test_marks(mark: D, code: str | None) -> None:
    assert rules.validate_mark(mark) == code


@given(st.lists(st.decimals(min_value=0, max_value=10**9, places=2), min_size=2, max_size=30))
def test_normalised_scores_stay_within_0_and_100(raw: list[D]) -> None:
    values = {i: {"apbd_allocation": v} for i, v in enumerate(raw)}
    for total, _ in rules.indicator_scores(values, {"apbd_allocation": 1}).values():
        assert D(0) <= total <= D(100)
