"""JKK care reimbursements, the disability table, JP survivor pensions and the JP lump sum (issue 4 §1).

Expected amounts are worked out by hand from the rule cited in regulation.md §2.3 and §2.5; the rows
come from law/data/benefits.csv and benefits/data/disability_table.csv.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from paritrana.benefits.rules.jht import balance_with_returns
from tests.benefits.rules.test_benefit import amounts, calc, codes


def test_medical_care_has_no_ceiling() -> None:
    # PP 44/2015 jo. PP 82/2019: care according to medical need with no cost ceiling (regulation.md §2.3).
    result = calc(
        benefit="JKK_MEDICAL",
        event_date="2025-05-02",
        costs=[
            {"kind": "medical", "amount": 180_000_000},
            {"kind": "medical", "amount": "45000000"},
            {"kind": "rehabilitation", "amount": 12_500_000},
        ],
    )
    assert result["eligible"]
    assert amounts(result) == [225_000_000, 12_500_000]
    assert "tanpa batas biaya" in result["components"][0]["legal_basis"]


def test_home_care_is_capped_at_20_million_within_one_year() -> None:
    # PP 82/2019: home care for at most one year, at most Rp20,000,000 (regulation.md §2.3). The accident
    # is on 10 March 2025: bills up to 9 March 2026 count (Rp14,000,000 + Rp8,000,000 = Rp22,000,000,
    # capped at Rp20,000,000); the bill of 10 March 2026 is outside the year.
    result = calc(
        benefit="JKK_HOME_CARE",
        event_date="2025-03-10",
        costs=[
            {"kind": "home_care", "amount": 14_000_000, "date": "2025-04-01"},
            {"kind": "home_care", "amount": 8_000_000, "date": "2026-03-09"},
            {"kind": "home_care", "amount": 3_000_000, "date": "2026-03-10"},
        ],
    )
    assert amounts(result) == [20_000_000]
    assert any("1 tagihan di luar 12 bulan" in n for n in result["notes"])
    late_only = calc(
        benefit="JKK_HOME_CARE",
        event_date="2025-03-10",
        costs=[{"kind": "home_care", "amount": 1_000_000, "date": "2026-04-01"}],
    )
    assert codes(late_only) == ["home_care_period_passed"]


def test_transport_is_capped_per_mode() -> None:
    # PP 82/2019: land, river or lake at most Rp5,000,000, sea Rp2,000,000, air Rp10,000,000, each
    # mode capped separately (regulation.md §2.3). Land 3.5 + 2.5 = 6 → 5; sea 1.2 stays; air 12 → 10.
    result = calc(
        benefit="JKK_TRANSPORT",
        event_date="2025-05-02",
        costs=[
            {"kind": "transport_land", "amount": 3_500_000},
            {"kind": "transport_land", "amount": 2_500_000},
            {"kind": "transport_sea", "amount": 1_200_000},
            {"kind": "transport_air", "amount": 12_000_000},
        ],
    )
    assert amounts(result) == [5_000_000, 1_200_000, 10_000_000]
    assert result["total"] == "16200000"


def test_a_cost_of_the_wrong_kind_is_refused_as_input() -> None:
    from paritrana.benefits.rules.claim_input import parse_input

    _, problems = parse_input(
        {"benefit": "JKK_TRANSPORT", "event_date": "2025-05-02", "costs": [{"kind": "medical", "amount": 1}]}
    )
    assert [p.code for p in problems] == ["cost_kind_unknown"]


def test_return_to_work_is_reimbursed_as_billed_and_says_the_cap_is_unknown() -> None:
    # PP 82/2019 lists the return-to-work programme without a sourced amount (regulation.md §2.3).
    result = calc(benefit="JKK_RTW", event_date="2025-05-02", costs=[{"kind": "rtw", "amount": 7_250_000}])
    assert amounts(result) == [7_250_000]
    assert "belum pasti" in result["components"][0]["legal_basis"]


def test_partial_disability_from_the_table_with_the_left_handed_swap_and_loss_of_function() -> None:
    # PP 82/2019 Lampiran (regulation.md §2.3): right arm from the shoulder 40 %, left arm 35 %,
    # reversed for left-handed workers; benefit = % × 80 × monthly wage. Wage Rp4,000,000:
    # right arm, right-handed: 40 % × 80 × 4,000,000 = Rp128,000,000.
    right = calc(
        benefit="JKK_PARTIAL_DISABILITY", event_date="2025-05-02", wage=4_000_000, disability_item="arm_shoulder_right"
    )
    assert amounts(right) == [128_000_000]
    # The same worker left-handed losing the left arm: 40 % as well; the right arm would be 35 %.
    left = calc(
        benefit="JKK_PARTIAL_DISABILITY",
        event_date="2025-05-02",
        wage=4_000_000,
        disability_item="arm_shoulder_right",
        left_handed=True,
    )
    assert amounts(left) == [112_000_000]  # 35 % × 80 × 4,000,000
    # Loss of function (cacat sebagian fungsi): 50 % of one eye's 35 % = 17.5 % × 80 × 4,000,000.
    eye = calc(
        benefit="JKK_PARTIAL_DISABILITY",
        event_date="2025-05-02",
        wage=4_000_000,
        disability_item="eye_one",
        function_loss_percent=50,
    )
    assert amounts(eye) == [56_000_000]


def test_a_widow_of_a_participant_who_died_early_is_paid_as_if_15_years_were_paid() -> None:
    # Permenaker 29/2015 Pasal 26: death before pension age with 60 months' contributions over
    # 70 months' membership (density 85.7 % ≥ 80 %, membership ≥ 1 year) → Masa Iur counted as 180.
    # PP 45/2015 Pasal 17(2): 1 % × 180/12 × (Rp120,000,000 ÷ 12) = Rp1,500,000 a month formula;
    # the widow's share 50 % [U] → Rp750,000, above the 2025 minimum Rp393,500 (row of 2024, [U]).
    result = calc(
        benefit="JP_SURVIVOR",
        event_date="2025-06-01",
        birth_date="1985-02-01",
        survivor="spouse",
        contribution_months=60,
        membership_months=70,
        avg_indexed_annual_wage=120_000_000,
    )
    assert result["eligible"], result["unmet"]
    assert amounts(result) == [750_000]
    assert "belum pasti" in result["components"][0]["legal_basis"]


def test_a_survivor_pension_needs_80_percent_density_otherwise_the_lump_sum() -> None:
    # Permenaker 29/2015 Pasal 26: 40 of 70 months is 57 % < 80 % → no pension; the heirs take the lump sum.
    result = calc(
        benefit="JP_SURVIVOR",
        event_date="2025-06-01",
        birth_date="1985-02-01",
        survivor="spouse",
        contribution_months=40,
        membership_months=70,
        avg_indexed_annual_wage=120_000_000,
    )
    assert codes(result) == ["survivor_conditions_unmet"]
    assert result["total"] == "0"


def test_a_parent_pension_is_raised_to_the_minimum_and_a_child_over_23_has_none() -> None:
    # 200 months × 1 % × Rp36,000,000/12 = Rp500,000 formula; the parent's share 20 % [U] = Rp100,000,
    # below the minimum Rp393,500 in force in 2025 (PP 45/2015 Pasal 18; row of 2024 [U]).
    parent = calc(
        benefit="JP_SURVIVOR",
        event_date="2025-06-01",
        birth_date="1970-02-01",
        survivor="parent",
        contribution_months=200,
        membership_months=200,
        avg_indexed_annual_wage=36_000_000,
    )
    assert amounts(parent) == [393_500]
    # The child pension runs until 23 (regulation.md §2.5).
    child = calc(
        benefit="JP_SURVIVOR",
        event_date="2025-06-01",
        birth_date="1970-02-01",
        survivor="child",
        survivor_birth_date="2002-01-01",
        contribution_months=200,
        membership_months=200,
        avg_indexed_annual_wage=36_000_000,
    )
    assert codes(child) == ["survivor_too_old"]


def test_the_jp_lump_sum_at_pension_age_with_under_15_years_and_not_with_more() -> None:
    # UU 40/2004 Pasal 41, PP 45/2015: under 180 months at pension age → contributions and returns at
    # once. Born 1 March 1966: 58 on 1 March 2024, when the pension age is 58 (Pasal 15, 2022–2024).
    lump = calc(
        benefit="JP_LUMP_SUM",
        event_date="2025-04-01",
        birth_date="1966-03-01",
        contribution_months=96,
        jp_balance="14250000",
    )
    assert lump["eligible"] and amounts(lump) == [14_250_000]
    early = calc(
        benefit="JP_LUMP_SUM",
        event_date="2024-02-29",
        birth_date="1966-03-01",
        contribution_months=200,
        jp_balance="14250000",
    )
    assert codes(early) == ["below_pension_age", "pension_due"]


def test_the_jp_balance_compounds_each_year_whose_return_is_published() -> None:
    # Rp3,000,000 paid by the end of 2021 and Rp600,000 on 15 July 2022; 2022's JP return 6.8 %
    # (bisnis.com 20230512, regulation.md §2.4): 3,000,000 × 6.8 % = 204,000 plus
    # 600,000 × 5/12 × 6.8 % = 17,000 → 221,000; 2023 has no published rate, so nothing more.
    total = balance_with_returns(
        [(date(2021, 12, 20), Decimal(3_000_000)), (date(2022, 7, 15), Decimal(600_000))],
        rates={2022: Decimal("6.8")},
        until_year=2024,
    )
    assert total == Decimal(3_821_000)
