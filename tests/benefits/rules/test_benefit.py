"""The benefit calculator against the regulation (issue 4, "what it must show").

Each expected amount is worked out by hand from the rule cited (regulation.md §2, with its sources),
not read back from the code. The rows come from law/data/benefits.csv, which the data
migration loads.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from paritrana.benefits.rules.benefit import calculate, pension_date
from paritrana.benefits.rules.claim_input import parse_input
from paritrana.law.loading import chapter_path, parameter_records
from paritrana.law.rules.params import ParameterRow, ParameterSet

ROWS = [
    ParameterRow(r["key"], r["value"], r["valid_from"], r["valid_until"], r["legal_basis"], r["certainty"])
    for r in parameter_records(chapter_path("benefits"))
]


def calc(**payload: Any) -> dict[str, Any]:
    data, problems = parse_input(payload)
    assert not problems, problems
    assert data is not None
    return calculate(data, ParameterSet(ROWS, data.event_date), lambda day: ParameterSet(ROWS, day)).as_dict()


def amounts(result: dict[str, Any]) -> list[int]:
    return [int(c["amount"]) for c in result["components"]]


def codes(result: dict[str, Any]) -> list[str]:
    return [u["code"] for u in result["unmet"]]


def test_jkm_is_42_million_in_three_parts() -> None:
    # PP 44/2015 Pasal 53 as amended by PP 82/2019: Rp20,000,000 lump sum + Rp12,000,000 periodic
    # (24 × Rp500,000 at once) + Rp10,000,000 funeral = Rp42,000,000 (regulation.md §2.1).
    result = calc(benefit="JKM", event_date="2024-02-15", membership_months=5)
    assert result["eligible"]
    assert amounts(result) == [20_000_000, 12_000_000, 10_000_000]
    assert result["total"] == "42000000"


def test_two_jkm_memberships_mean_two_benefits() -> None:
    # regulation.md §2.1: a BPU and a PU membership paid Rp84 million (jatengpos Klaten, 15 Feb 2024):
    # each membership is its own calculation.
    one = calc(benefit="JKM", event_date="2024-02-15", membership_months=12)
    two = calc(benefit="JKM", event_date="2024-02-15", membership_months=30)
    assert int(one["total"]) + int(two["total"]) == 84_000_000


def test_jkm_refused_when_not_a_member_with_the_reason() -> None:
    result = calc(benefit="JKM", event_date="2024-02-15", membership_months=0)
    assert not result["eligible"] and result["total"] == "0" and result["components"] == []
    assert codes(result) == ["not_covered"]


def test_scholarship_per_level_and_the_two_child_cap() -> None:
    # Permenaker 5/2021 / PP 82/2019: TK and SD Rp1,500,000, SMP Rp2,000,000, SMA Rp3,000,000,
    # higher education Rp12,000,000 per child per year; at most two children (regulation.md §2.2).
    result = calc(
        benefit="SCHOLARSHIP",
        event_date="2024-07-01",
        membership_months=48,
        children=[{"education_level": "SMP"}, {"education_level": "PT"}, {"education_level": "SD"}],
    )
    assert result["eligible"]
    assert amounts(result) == [2_000_000, 12_000_000]  # the third child gets nothing
    assert any("paling banyak 2 anak" in note for note in result["notes"])
    # Entitlement from SMP: 3 × 2 + 3 × 3 + 5 × 12 = 75 million; from PT: 5 × 12 = 60 million.
    assert any("Rp75.000.000" in note for note in result["notes"])
    assert any("Rp60.000.000" in note for note in result["notes"])


def test_two_children_from_kindergarten_make_the_174_million_maximum() -> None:
    # 2 × (8 × 1.5 + 3 × 2 + 3 × 3 + 5 × 12) million = Rp174,000,000 (regulation.md §2.2 [C]).
    result = calc(
        benefit="SCHOLARSHIP",
        event_date="2024-07-01",
        cause="JKK",
        children=[{"education_level": "TK"}, {"education_level": "TK"}],
    )
    # Each child from TK: 2 × 1.5 + 6 × 1.5 + 3 × 2 + 3 × 3 + 5 × 12 = 87 million; two children, 174 million.
    assert [n for n in result["notes"] if "Rp87.000.000," in n] == result["notes"] and len(result["notes"]) == 2
    assert amounts(result) == [1_500_000, 1_500_000]


def test_jkm_scholarship_needs_three_years_of_membership_but_jkk_does_not() -> None:
    # regulation.md §2.1: at least 3 years of membership for a JKM scholarship; none for JKK.
    children = [{"education_level": "SD"}]
    short = calc(benefit="SCHOLARSHIP", event_date="2024-07-01", membership_months=35, children=children)
    assert codes(short) == ["membership_too_short"]
    jkk = calc(benefit="SCHOLARSHIP", event_date="2024-07-01", membership_months=2, cause="JKK", children=children)
    assert jkk["eligible"] and jkk["total"] == "1500000"


def test_a_child_not_yet_at_school_waits() -> None:
    result = calc(benefit="SCHOLARSHIP", event_date="2024-07-01", cause="JKK", children=[{"education_level": None}])
    assert result["eligible"] and result["total"] == "0"
    assert any("belum bersekolah" in note for note in result["notes"])


def test_jkk_death_is_48_times_the_wage_plus_periodic_and_funeral() -> None:
    # 60 % × 80 × Rp5,000,000 = Rp240,000,000; periodic Rp12,000,000 [U]; funeral Rp10,000,000 (§2.3).
    result = calc(benefit="JKK_DEATH", event_date="2024-05-02", wage=5_000_000)
    assert amounts(result) == [240_000_000, 12_000_000, 10_000_000]
    assert any("belum pasti" in c["legal_basis"] for c in result["components"])  # the periodic amount is [U]


def test_jkk_death_never_below_the_jkm_death_benefit() -> None:
    # 48 × Rp300,000 = Rp14,400,000 < Rp20,000,000, the JKM lump sum (§2.3, the floor itself [U]).
    result = calc(benefit="JKK_DEATH", event_date="2024-05-02", wage=300_000)
    assert amounts(result)[0] == 20_000_000


def test_jkk_total_disability_is_56_times_the_wage() -> None:
    # 70 % × 80 × Rp4,200,000 = Rp235,200,000, plus the periodic benefit Rp12,000,000 (§2.3).
    result = calc(benefit="JKK_TOTAL_DISABILITY", event_date="2024-05-02", wage=4_200_000)
    assert amounts(result) == [235_200_000, 12_000_000]


def test_jkk_partial_disability_from_the_table() -> None:
    # One eye: 35 % in the PP 82/2019 table; 35 % × 80 × Rp4,500,000 = Rp126,000,000 (§2.3).
    result = calc(benefit="JKK_PARTIAL_DISABILITY", event_date="2024-05-02", wage=4_500_000, disability_percent=35)
    assert amounts(result) == [126_000_000]
    # Hearing loss of 30 dB in one ear: 3 % per 10 dB = 9 %; 9 % × 80 × Rp3,333,333 = Rp23,999,997.6 → Rp23,999,998.
    hearing = calc(benefit="JKK_PARTIAL_DISABILITY", event_date="2024-05-02", wage=3_333_333, disability_percent=9)
    assert amounts(hearing) == [23_999_998]


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        # PP 82/2019 schedule: 100 % for months 1–12, then 50 % until recovery (§2.3), wage Rp4,000,000.
        (11, [44_000_000]),
        (12, [48_000_000]),
        (13, [48_000_000, 2_000_000]),
        (15, [48_000_000, 6_000_000]),
    ],
)
def test_stmb_across_month_12(months: int, expected: list[int]) -> None:
    result = calc(benefit="JKK_STMB", event_date="2024-05-02", wage=4_000_000, stmb_months=months)
    assert amounts(result) == expected


@pytest.mark.parametrize(
    ("event", "wage", "expected"),
    [
        # PP 37/2021: 45 % × 3 months + 25 % × 3 months of the wage, capped at Rp5,000,000.
        ("2024-06-10", 4_000_000, [1_800_000] * 3 + [1_000_000] * 3),
        ("2024-06-10", 5_000_000, [2_250_000] * 3 + [1_250_000] * 3),
        ("2024-06-10", 9_000_000, [2_250_000] * 3 + [1_250_000] * 3),  # above the cap
        # PP 6/2025 Pasal 21 (PHK from 7 February 2025): 60 % × 6 months, same cap.
        ("2025-02-07", 4_000_000, [2_400_000] * 6),
        ("2025-03-01", 5_000_000, [3_000_000] * 6),
        ("2025-03-01", 12_000_000, [3_000_000] * 6),
    ],
)
def test_jkp_under_both_regimes(event: str, wage: int, expected: list[int]) -> None:
    result = calc(benefit="JKP", event_date=event, wage=wage, contribution_months_last_24=12, consecutive_months=6)
    assert result["eligible"], result["unmet"]
    assert amounts(result) == expected


def test_jkp_lists_every_unmet_condition_at_once() -> None:
    # PP 37/2021 Pasal 19: 12 months within 24, 6 consecutive; claim within 3 months of the PHK (6 under PP 6/2025).
    result = calc(
        benefit="JKP",
        event_date="2024-01-10",
        claim_date="2024-04-10",
        wage=4_000_000,
        contribution_months_last_24=11,
        consecutive_months=5,
    )
    assert codes(result) == ["contribution_months_short", "consecutive_months_short", "claim_window_passed"]
    assert all(u["message"] for u in result["unmet"])
    # Under PP 6/2025 the same three months late is still within the six-month window.
    later = calc(
        benefit="JKP",
        event_date="2025-03-10",
        claim_date="2025-06-10",
        wage=4_000_000,
        contribution_months_last_24=12,
        consecutive_months=6,
    )
    assert later["eligible"]


@pytest.mark.parametrize("birth", ["1959-07-01", "1961-02-28", "1964-12-31", "1968-05-05", "1975-09-09", "1990-01-01"])
def test_pension_age_by_year_of_birth(birth: str) -> None:
    # PP 45/2015 Pasal 15 (regulation.md §2.5): 56 until 2018, 57 from 2019, one more every three years, 65 from 2043.
    def age_in(year: int) -> int:
        return 56 if year < 2019 else min(57 + (year - 2019) // 3, 65)

    born = date.fromisoformat(birth)
    # The first birthday on which the participant's age reaches the age in force that year.
    expected = next(born.replace(year=born.year + age) for age in range(56, 70) if age >= age_in(born.year + age))
    assert pension_date(born, lambda day: ParameterSet(ROWS, day).get("jp.pension_age")) == expected


def test_pension_ages_worked_by_hand() -> None:
    def due(birth: str) -> str:
        return pension_date(
            date.fromisoformat(birth), lambda d: ParameterSet(ROWS, d).get("jp.pension_age")
        ).isoformat()

    # Born 1960: 56 on 15 Mar 2016, when the pension age was 56.
    assert due("1960-03-15") == "2016-03-15"
    # Born 1963: 56 in 2019 (age 57 then) → 57 on 1 Aug 2020 (57).
    assert due("1963-08-01") == "2020-08-01"
    # Born 1965: 56 in 2021 (57), 57 in 2022 (58), 58 in 2023 (58).
    assert due("1965-01-10") == "2023-01-10"
    # Born 1970: 58 in 2028 (60), 59 in 2029 (60), 60 in 2030 (60).
    assert due("1970-06-30") == "2030-06-30"


def test_jp_pension_formula_and_the_minimum() -> None:
    # PP 45/2015 Pasal 17(2): 1 % × (240/12) × (Rp60,000,000/12) = 1 % × 20 × Rp5,000,000 = Rp1,000,000 a month.
    result = calc(
        benefit="JP_OLD_AGE",
        event_date="2023-06-01",
        birth_date="1965-01-10",
        contribution_months=240,
        avg_indexed_annual_wage=60_000_000,
    )
    assert result["eligible"] and amounts(result) == [1_000_000]
    # 1 % × 15 × (Rp18,000,000/12) = Rp225,000 < the 2023 minimum Rp383,400 (Pasal 18(3); kontan 25 Oct 2023).
    low = calc(
        benefit="JP_OLD_AGE",
        event_date="2023-06-01",
        birth_date="1965-01-10",
        contribution_months=180,
        avg_indexed_annual_wage=18_000_000,
    )
    assert amounts(low) == [383_400] and "paling sedikit" in low["components"][0]["name"]
    # 1 % × 30 × (Rp240,000,000/12) = Rp6,000,000 > the 2023 maximum Rp4,598,100.
    high = calc(
        benefit="JP_OLD_AGE",
        event_date="2023-06-01",
        birth_date="1965-01-10",
        contribution_months=360,
        avg_indexed_annual_wage=240_000_000,
    )
    assert amounts(high) == [4_598_100]


def test_jp_disability_pension_by_the_formula_within_the_bounds_before_pension_age() -> None:
    # PP 45/2015 Pasal 16 huruf b, 17(1)-(2): 1 % × (96/12) × (Rp60,000,000/12) = 1 % × 8 × Rp5,000,000
    # = Rp400,000 a month, above the 2024 minimum Rp393,500 (Pasal 18(3); jatim.suaraindonesia 29 Apr 2024).
    result = calc(
        benefit="JP_DISABILITY",
        event_date="2024-06-10",
        birth_date="1980-02-01",
        contribution_months=96,
        avg_indexed_annual_wage=60_000_000,
    )
    assert result["eligible"] and amounts(result) == [400_000]
    assert any("belum pasti" in note for note in result["notes"])  # the unsourced conditions, said
    # 1 % × 3 × Rp5,000,000 = Rp150,000, raised to the 2024 minimum Rp393,500.
    low = calc(
        benefit="JP_DISABILITY",
        event_date="2024-06-10",
        birth_date="1980-02-01",
        contribution_months=36,
        avg_indexed_annual_wage=60_000_000,
    )
    assert amounts(low) == [393_500]
    # Pension age (58 in 2023 for one born in 1965, reached 10 Jan 2023) already reached: old age instead.
    late = calc(
        benefit="JP_DISABILITY",
        event_date="2023-06-01",
        birth_date="1965-01-10",
        contribution_months=96,
        avg_indexed_annual_wage=60_000_000,
    )
    assert codes(late) == ["at_pension_age"]


def test_jp_before_pension_age_and_short_of_15_years_says_both() -> None:
    result = calc(
        benefit="JP_OLD_AGE",
        event_date="2022-06-01",
        birth_date="1965-01-10",
        contribution_months=100,
        avg_indexed_annual_wage=60_000_000,
    )
    assert codes(result) == ["below_pension_age", "contribution_months_short"]


def test_jht_paid_in_full_at_retirement_and_after_the_one_month_wait() -> None:
    # PP 60/2015 Pasal 26; Permenaker 4/2022: resignation paid after a one-month waiting period.
    full = calc(benefit="JHT", event_date="2024-01-02", birth_date="1967-12-01", jht_balance="85000000")
    assert full["eligible"] and full["total"] == "85000000"
    early = calc(
        benefit="JHT",
        event_date="2024-01-20",
        birth_date="1990-01-01",
        jht_balance=30_000_000,
        reason="resignation",
        separation_date="2024-01-02",
    )
    assert codes(early) == ["waiting_period"]
    after = calc(
        benefit="JHT",
        event_date="2024-02-02",
        birth_date="1990-01-01",
        jht_balance=30_000_000,
        reason="resignation",
        separation_date="2024-01-02",
    )
    assert after["eligible"] and after["total"] == "30000000"


def test_jht_partial_withdrawal_after_ten_years() -> None:
    # At most 10 % (retirement preparation) or 30 % (housing), once, after 10 years (regulation.md §2.4).
    housing = calc(
        benefit="JHT",
        event_date="2024-01-02",
        birth_date="1985-01-01",
        jht_balance=50_000_001,
        membership_months=120,
        reason="partial_housing",
    )
    assert amounts(housing) == [15_000_000]  # 30 % × 50,000,001 = 15,000,000.3 → 15,000,000
    short = calc(
        benefit="JHT",
        event_date="2024-01-02",
        birth_date="1985-01-01",
        jht_balance=50_000_000,
        membership_months=119,
        reason="partial_retirement",
    )
    assert codes(short) == ["membership_too_short"]


def test_bad_input_reports_every_problem_at_once() -> None:
    data, problems = parse_input(
        {"benefit": "JKX", "event_date": "2024-13-01", "wage": -5, "children": [{"education_level": "S3"}]}
    )
    assert data is None
    assert {p.code for p in problems} == {
        "benefit_unknown",
        "date_invalid",
        "amount_out_of_range",
        "education_level_unknown",
    }
    _, missing = parse_input({"benefit": "JKP", "event_date": "2024-01-01"})
    assert sorted(p.field for p in missing if p.code == "field_required") == [
        "consecutive_months",
        "contribution_months_last_24",
        "wage",
    ]


def test_a_date_before_the_law_says_so() -> None:
    result = calc(benefit="JKM", event_date="2018-05-01", membership_months=12)
    assert codes(result) == ["law_not_in_force"]


def test_amounts_are_whole_rupiah_strings() -> None:
    result = calc(benefit="JKK_STMB", event_date="2024-05-02", wage="3333333.33", stmb_months=1)
    assert result["components"][0]["amount"] == "3333333"
    assert isinstance(Decimal(result["total"]), Decimal)
