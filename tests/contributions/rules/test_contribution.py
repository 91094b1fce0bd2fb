"""The contribution calculator against the regulation (issue 3, "what it must show").

Every expected amount below is worked out by hand from the rate in the cited article, then rounded
to whole rupiah, half up, per line (the rounding rule in rules/contribution.py). The parameters come
from law/data/contributions.csv, the same rows the data migration loads.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from paritrana.contributions.rules.contribution import calculate, parse_input
from paritrana.core.errors import ValidationFailed
from paritrana.law.loading import parameter_records
from paritrana.law.rules.params import ParameterRow, ParameterSet

ROWS = [
    ParameterRow(r["key"], r["value"], r["valid_from"], r["valid_until"], r["legal_basis"], r["certainty"])
    for r in parameter_records()
]


def calc(**payload: Any) -> dict[str, Any]:
    data, problems = parse_input(payload)
    assert not problems, problems
    assert data is not None
    return calculate(data, ParameterSet(ROWS, data.as_of)).as_dict()


def line(result: dict[str, Any], program: str) -> dict[str, Any]:
    found = [x for x in result["lines"] if x["program"] == program]
    assert len(found) == 1, (program, result["lines"])
    return found[0]


def programmes(result: dict[str, Any]) -> list[str]:
    return [x["program"] for x in result["lines"]]


# -- PU ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "jkk"),
    # PP 44/2015 Pasal 16(1): 0.24 / 0.54 / 0.89 / 1.27 / 1.74 % of Rp5,000,000.
    [(1, "12000"), (2, "27000"), (3, "44500"), (4, "63500"), (5, "87000")],
)
def test_pu_each_risk_group(group: int, jkk: str) -> None:
    result = calc(segment="PU", period="2024-06", wage=5_000_000, jkk_risk_group=group)
    assert line(result, "JKK")["employer"] == jkk
    assert line(result, "JKM")["employer"] == "15000"  # PP 44/2015 Pasal 18(1): 0.30 %
    jht = line(result, "JHT")  # PP 46/2015 Pasal 16(1): 3.7 % + 2 %
    assert (jht["employer"], jht["worker"]) == ("185000", "100000")
    jp = line(result, "JP")  # PP 45/2015 Pasal 28(3): 2 % + 1 % (wage under the 2024 cap 10,042,300)
    assert (jp["employer"], jp["worker"], jp["base"]) == ("100000", "50000", "5000000")
    # PP 37/2021 Pasal 11: government 0.22 % of the wage up to Rp5,000,000; 0.14 + 0.10 recomposed.
    jkp = line(result, "JKP")
    assert (jkp["government"], jkp["detail"]["recomposed"], jkp["employer"]) == ("11000", "12000", "0")
    employer = int(jkk) + 15000 + 185000 + 100000
    assert result["employer_total"] == str(employer)
    assert result["worker_total"] == "150000"
    assert result["government_total"] == "11000"
    assert result["total_due"] == str(employer + 150000)


@pytest.mark.parametrize(
    ("period", "base", "employer", "worker"),
    [
        # PP 45/2015 Pasal 29 and the March boundary (regulation.md §1.3): February 2025 still uses the
        # 2024 cap of Rp10,042,300; March 2025 the 2025 cap of Rp10,547,400.
        ("2025-02", "10042300", "200846", "100423"),
        ("2025-03", "10547400", "210948", "105474"),
        # 2020 cap 8,939,700 from March 2020; February 2020 still 8,512,400.
        ("2020-02", "8512400", "170248", "85124"),
        ("2020-03", "8939700", "178794", "89397"),
    ],
)
def test_pu_jp_wage_above_the_cap_in_february_and_march(period: str, base: str, employer: str, worker: str) -> None:
    jp = line(calc(segment="PU", period=period, wage=12_000_000, jkk_risk_group=1), "JP")
    assert (jp["base"], jp["employer"], jp["worker"]) == (base, employer, worker)


@pytest.mark.parametrize("period", ["2025-02", "2025-03"])
def test_pu_jp_wage_below_the_cap_either_side_of_march(period: str) -> None:
    jp = line(calc(segment="PU", period=period, wage=8_000_000, jkk_risk_group=1), "JP")
    assert (jp["base"], jp["employer"], jp["worker"]) == ("8000000", "160000", "80000")


def test_pu_rounds_each_line_half_up_to_the_rupiah() -> None:
    result = calc(segment="PU", period="2024-06", wage=3_333_333, jkk_risk_group=1)
    assert line(result, "JKK")["employer"] == "8000"  # 7,999.9992
    assert line(result, "JKM")["employer"] == "10000"  # 9,999.999
    jht = line(result, "JHT")
    assert (jht["employer"], jht["worker"]) == ("123333", "66667")  # 123,333.321 and 66,666.66
    jp = line(result, "JP")
    assert (jp["employer"], jp["worker"]) == ("66667", "33333")  # 66,666.66 and 33,333.33


def test_programmes_follow_employer_scale() -> None:
    # Perpres 109/2013 Pasal 6: large/medium JKK JKM JHT JP; small JKK JKM JHT; micro JKK JKM.
    def of(scale: str) -> list[str]:
        return programmes(calc(segment="PU", period="2024-06", wage=4_000_000, jkk_risk_group=2, employer_scale=scale))

    assert of("large") == of("medium") == ["JKK", "JKM", "JHT", "JP", "JKP"]
    assert of("small") == ["JKK", "JKM", "JHT", "JKP"]
    assert of("micro") == ["JKK", "JKM"]


# -- JKP under both regimes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "rate", "recomposed"),
    [
        ("2025-01", "0.46", "12000"),  # PP 37/2021 Pasal 11: 0.22 + 0.14 + 0.10
        ("2025-02", "0.36", "7000"),  # PP 6/2025 (from 7 Feb 2025; a month takes the rule of its last day)
        ("2026-01", "0.36", "7000"),
    ],
)
def test_jkp_under_pp_37_2021_and_pp_6_2025(period: str, rate: str, recomposed: str) -> None:
    jkp = line(calc(segment="PU", period=period, wage=7_500_000, jkk_risk_group=1), "JKP")
    assert jkp["base"] == "5000000"  # capped at Rp5,000,000
    assert (jkp["rate"], jkp["government"], jkp["detail"]["recomposed"]) == (rate, "11000", recomposed)


def test_no_jkp_before_pp_37_2021() -> None:
    assert "JKP" not in programmes(calc(segment="PU", period="2020-12", wage=4_000_000, jkk_risk_group=1))


# -- relief --------------------------------------------------------------------------------------


def test_pp_49_2020_relief() -> None:
    result = calc(segment="PU", period="2020-10", wage=4_000_000, jkk_risk_group=2)
    # Pasal 3(2)b: JKK and JKM at 1 % of normal: 4,000,000 × 0.54 % × 1 % and × 0.30 % × 1 %.
    assert line(result, "JKK")["employer"] == "216"
    assert line(result, "JKM")["employer"] == "120"
    # JHT: no discount.
    assert (line(result, "JHT")["employer"], line(result, "JHT")["worker"]) == ("148000", "80000")
    # Pasal 3(2)c: 99 % of JP deferred; 1 % of 80,000 and of 40,000 paid now.
    jp = line(result, "JP")
    assert (jp["employer"], jp["worker"], jp["deferred"]) == ("800", "400", "118800")
    assert result["deferred_total"] == "118800"
    # Pasal 3(2)a: due the 30th of the following month (30 Nov 2020 is a Monday); late fee 0.5 %.
    assert result["due_date"] == "2020-11-30"
    assert result["late_fee_rate_per_month"] == "0.5"


def test_pp_49_2020_due_date_moves_to_the_working_day_before() -> None:
    # 30 January 2021 is a Saturday: the working day before is Friday 29 January.
    assert calc(segment="PU", period="2020-12", wage=4_000_000, jkk_risk_group=1)["due_date"] == "2021-01-29"


def test_pp_49_2020_ends_with_january_2021() -> None:
    result = calc(segment="PU", period="2021-02", wage=4_000_000, jkk_risk_group=2)
    assert line(result, "JKK")["employer"] == "21600"
    assert result["late_fee_rate_per_month"] == "2"


def test_pp_49_2020_bpu_jkm_is_68_rupiah() -> None:
    # Pasal 12: BPU JKM 1 % × Rp6,800 = Rp68; JKK 1 % × 1 % × Rp1,000,000 = Rp100.
    result = calc(segment="BPU", period="2020-09", declared_income=1_000_000)
    assert (line(result, "JKK")["worker"], line(result, "JKM")["worker"]) == ("100", "68")


@pytest.mark.parametrize(
    ("period", "jkk"),
    [
        ("2025-01", "44500"),  # before PP 7/2025
        ("2025-02", "22250"),  # PP 7/2025 Pasal 4(1): group III 0.445 %
        ("2025-07", "22250"),
        ("2025-12", "22250"),  # PP 36/2025 Pasal 10A extension [U]
        ("2026-02", "44500"),  # after January 2026
    ],
)
def test_pp_7_2025_halves_jkk_for_eligible_employers(period: str, jkk: str) -> None:
    result = calc(segment="PU", period=period, wage=5_000_000, jkk_risk_group=3, relief_eligible=True)
    assert line(result, "JKK")["employer"] == jkk
    assert line(result, "JKM")["employer"] == "15000"  # JKM not discounted


def test_pp_7_2025_needs_eligibility() -> None:
    result = calc(segment="PU", period="2025-05", wage=5_000_000, jkk_risk_group=3)
    assert line(result, "JKK")["employer"] == "44500"


# -- BPU -----------------------------------------------------------------------------------------


def test_bpu_minimum_package_with_and_without_jht() -> None:
    # Rp16,800 = JKK Rp10,000 (1 % of Rp1,000,000) + JKM Rp6,800; with JHT 2 %: Rp36,800 (regulation.md §1.4).
    without = calc(segment="BPU", period="2024-06", declared_income=1_000_000)
    assert without["total_due"] == "16800"
    assert without["employer_total"] == "0"
    with_jht = calc(segment="BPU", period="2024-06", declared_income=1_000_000, include_jht=True)
    assert line(with_jht, "JHT")["worker"] == "20000"
    assert with_jht["total_due"] == "36800"
    # BPU pays by the 15th of the same month; 15 June 2024 is a Saturday → Monday 17 June.
    assert without["due_date"] == "2024-06-17"


def test_bpu_income_outside_the_bounds_is_refused() -> None:
    data, _ = parse_input({"segment": "BPU", "period": "2024-06", "declared_income": 900_000})
    assert data is not None
    with pytest.raises(ValidationFailed) as caught:
        calculate(data, ParameterSet(ROWS, data.as_of))
    assert caught.value.problems[0].code == "declared_income_out_of_bounds"


# -- JAKON ---------------------------------------------------------------------------------------


def test_jakon_with_known_wages_is_2_04_percent() -> None:
    result = calc(segment="JAKON", period="2024-01", wage=4_000_000)
    assert (line(result, "JKK")["employer"], line(result, "JKM")["employer"]) == ("69600", "12000")
    assert result["total_due"] == "81600"  # 2.04 % of Rp4,000,000


@pytest.mark.parametrize(
    ("value", "jkk", "jkm"),
    [
        # Marginal brackets (regulation.md §1.5): 0.21+0.03 % to 100 M; 0.17+0.02 % to 500 M;
        # 0.13+0.02 % to 1 bn; 0.11+0.01 % to 5 bn; 0.09+0.01 % above.
        (50_000_000, 105_000, 15_000),
        (100_000_000, 210_000, 30_000),
        (300_000_000, 210_000 + 340_000, 30_000 + 40_000),
        (800_000_000, 210_000 + 680_000 + 390_000, 30_000 + 80_000 + 60_000),
        (2_000_000_000, 210_000 + 680_000 + 650_000 + 1_100_000, 30_000 + 80_000 + 100_000 + 100_000),
        (
            7_000_000_000,
            210_000 + 680_000 + 650_000 + 4_400_000 + 1_800_000,
            30_000 + 80_000 + 100_000 + 400_000 + 200_000,
        ),
    ],
)
def test_jakon_contract_value_across_every_bracket(value: int, jkk: int, jkm: int) -> None:
    result = calc(segment="JAKON", period="2024-01", contract_value=value)
    paid = {"JKK": 0, "JKM": 0}
    for x in result["lines"]:
        paid[x["program"]] += int(x["employer"])
    assert paid == {"JKK": jkk, "JKM": jkm}
    assert result["total_due"] == str(jkk + jkm)


# -- PMI -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "pre", "total"),
    [
        # Permenaker 4/2023 Pasal 18: 37,500 before work; 108,000 / 189,000 / 332,500 for 6 / 12 / 24
        # months; Rp13,500 for each month beyond 24.
        (6, False, 108_000),
        (12, False, 189_000),
        (24, False, 332_500),
        (24, True, 370_000),
        (30, False, 332_500 + 6 * 13_500),
        (9, False, 189_000),  # the shortest package that covers the contract [U]
    ],
)
def test_pmi_packages_and_extra_months(months: int, pre: bool, total: int) -> None:
    result = calc(segment="PMI", period="2024-01", contract_months=months, pre_placement=pre)
    assert result["total_due"] == str(total)
    assert result["due_date"] is None


# -- due dates and input ---------------------------------------------------------------------------


def test_pu_due_date_is_the_15th_of_the_next_month_or_the_next_working_day() -> None:
    assert calc(segment="PU", period="2025-03", wage=4_000_000, jkk_risk_group=1)["due_date"] == "2025-04-15"
    # 15 June 2025 is a Sunday.
    assert calc(segment="PU", period="2025-05", wage=4_000_000, jkk_risk_group=1)["due_date"] == "2025-06-16"


def test_every_input_problem_at_once() -> None:
    data, problems = parse_input(
        {"segment": "PU", "period": "2025-13", "wage": "tiga juta", "jkk_risk_group": 7, "colour": "red"}
    )
    assert data is None
    assert {p.code for p in problems} == {"field_unknown", "period_invalid", "wage_invalid", "jkk_risk_group_invalid"}
    assert all(p.message and p.field for p in problems)


def test_required_fields_per_segment() -> None:
    codes = {p.code for p in parse_input({"segment": "PU", "period": "2025-01"})[1]}
    assert codes == {"wage_required", "jkk_risk_group_required"}
    assert {p.code for p in parse_input({"segment": "BPU", "period": "2025-01"})[1]} == {"declared_income_required"}
    assert {p.code for p in parse_input({"segment": "JAKON", "period": "2025-01"})[1]} == {"jakon_basis_required"}
    assert {p.code for p in parse_input({"segment": "PMI", "period": "2025-01"})[1]} == {"contract_months_required"}
    assert {p.code for p in parse_input({})[1]} == {"segment_required", "period_required"}


def test_amounts_are_never_floats() -> None:
    problems = parse_input({"segment": "PU", "period": "2025-01", "wage": 3_500_000.5, "jkk_risk_group": 1})[1]
    assert [p.code for p in problems] == ["wage_invalid"]
    result = calc(segment="PU", period="2025-01", wage="3500000", jkk_risk_group=1)
    assert all(isinstance(x["employer"], str) for x in result["lines"])


def test_a_period_before_the_programmes_is_refused() -> None:
    data, _ = parse_input({"segment": "PU", "period": "2015-06", "wage": 3_000_000, "jkk_risk_group": 1})
    assert data is not None
    with pytest.raises(ValidationFailed) as caught:
        calculate(data, ParameterSet(ROWS, data.as_of))
    assert caught.value.problems[0].code == "period_out_of_range"


def test_parameters_apply_on_the_last_day_of_the_month() -> None:
    params = ParameterSet(ROWS, date(2025, 2, 28))
    assert params.get("jkp.rate.recomposed_jkm") == Decimal(0)
    assert params.get("jp.wage_cap") == Decimal(10_042_300)
