"""Each BSU round's conditions on constructed participants, from the regulation (regulation.md §3.3):
Permenaker 14/2020, 16/2021, 10/2022 and 5/2025. The terms are written here from the regulation, not
read from the code or the database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paritrana.subsidies.rules.rounds import (
    Facts,
    Terms,
    amount_per_person,
    instalment_amount,
    round_up_to_hundred_thousand,
    unmet_conditions,
    wage_ceiling,
)

# Permenaker 14/2020: Rp600,000 × 4 months in two tranches; wage below Rp5,000,000; BUMN parents out.
BSU_2020 = Terms(
    monthly_amount=Decimal(600_000),
    months=4,
    instalments=2,
    wage_ceiling=Decimal(5_000_000),
    ceiling_inclusive=False,
    uses_minimum_wage=False,
    employer_kinds_excluded=("bumn",),
    exclusion_kinds=("asn",),
)
# Permenaker 16/2021: Rp500,000 × 2 at once; at most Rp3,500,000 or UMP/UMK rounded up; not Aceh;
# priority sectors only (education P and health Q are not among them).
BSU_2021 = Terms(
    monthly_amount=Decimal(500_000),
    months=2,
    instalments=1,
    wage_ceiling=Decimal(3_500_000),
    ceiling_inclusive=True,
    uses_minimum_wage=True,
    provinces_excluded=("11",),
    sectors=("C", "F", "G", "H", "I", "J", "K", "L", "M", "N", "R", "S"),
)
# Permenaker 10/2022: Rp600,000; not PNS/TNI/Polri; not Prakerja, PKH or BPUM recipients.
BSU_2022 = Terms(
    monthly_amount=Decimal(600_000),
    months=1,
    instalments=1,
    wage_ceiling=Decimal(3_500_000),
    ceiling_inclusive=True,
    uses_minimum_wage=True,
    exclusion_kinds=("asn", "tni", "polri", "prakerja", "pkh", "bpum"),
)
# Permenaker 5/2025: Rp300,000 × 2 at once; not PKH recipients of the year; not ASN, TNI, Polri.
BSU_2025 = Terms(
    monthly_amount=Decimal(300_000),
    months=2,
    instalments=1,
    wage_ceiling=Decimal(3_500_000),
    ceiling_inclusive=True,
    uses_minimum_wage=True,
    exclusion_kinds=("asn", "tni", "polri", "pkh"),
)


def worker(wage: int | None = 3_000_000, **changes: object) -> Facts:
    facts = {
        "segments": ("PU",),
        "wage": Decimal(wage) if wage is not None else None,
        "month_paid_or_unbilled": True,
        "regency": "64.02",
        "sector": "C",
        "employer_kind": "private",
    }
    return Facts(**{**facts, **changes})  # type: ignore[arg-type]


def test_amounts_per_round() -> None:
    # 2020: Rp600,000 × 4 = Rp2,400,000 in two tranches of Rp1,200,000 (Permenaker 14/2020).
    assert amount_per_person(terms=BSU_2020) == Decimal(2_400_000)
    assert instalment_amount(terms=BSU_2020) == Decimal(1_200_000)
    # 2021: Rp500,000 × 2 = Rp1,000,000 (16/2021); 2022: Rp600,000 (10/2022); 2025: Rp300,000 × 2 (5/2025).
    assert amount_per_person(terms=BSU_2021) == instalment_amount(terms=BSU_2021) == Decimal(1_000_000)
    assert amount_per_person(terms=BSU_2022) == Decimal(600_000)
    assert amount_per_person(terms=BSU_2025) == instalment_amount(terms=BSU_2025) == Decimal(600_000)


def test_minimum_wage_rounded_up_to_the_full_hundred_thousand() -> None:
    # Kab. Tangerang's UMK Rp4,285,798 → Rp4,300,000 (regulation.md §3.3, BSU 2022).
    assert round_up_to_hundred_thousand(Decimal(4_285_798)) == Decimal(4_300_000)
    assert round_up_to_hundred_thousand(Decimal(3_500_000)) == Decimal(3_500_000)
    assert round_up_to_hundred_thousand(Decimal(3_500_001)) == Decimal(3_600_000)
    assert wage_ceiling(terms=BSU_2022, minimum_wage=Decimal(4_285_798)) == Decimal(4_300_000)
    # A minimum wage below Rp3,500,000 leaves the fixed ceiling (the higher of the two).
    assert wage_ceiling(terms=BSU_2022, minimum_wage=Decimal(2_100_000)) == Decimal(3_500_000)
    # 2020 has no regional ceiling.
    assert wage_ceiling(terms=BSU_2020, minimum_wage=Decimal(4_285_798)) == Decimal(5_000_000)


def test_2020_wage_below_five_million_and_bumn_parents_out() -> None:
    assert unmet_conditions(terms=BSU_2020, facts=worker(4_999_999)) == []
    # "di bawah Rp5.000.000": exactly five million does not qualify.
    assert unmet_conditions(terms=BSU_2020, facts=worker(5_000_000)) == ["wage_above_ceiling"]
    assert unmet_conditions(terms=BSU_2020, facts=worker(employer_kind="bumn")) == ["employer_excluded"]
    # No restriction by region or sector in 2020.
    assert unmet_conditions(terms=BSU_2020, facts=worker(regency="11.01", sector="P")) == []


def test_2021_ceiling_region_and_sector() -> None:
    assert unmet_conditions(terms=BSU_2021, facts=worker(3_500_000)) == []  # "paling banyak"
    assert unmet_conditions(terms=BSU_2021, facts=worker(3_500_001)) == ["wage_above_ceiling"]
    # Where the UMK rounded up is higher, it is the ceiling: Rp4,285,798 → Rp4,300,000.
    assert unmet_conditions(terms=BSU_2021, facts=worker(4_300_000, minimum_wage=Decimal(4_285_798))) == []
    assert unmet_conditions(terms=BSU_2021, facts=worker(4_300_001, minimum_wage=Decimal(4_285_798))) == [
        "wage_above_ceiling"
    ]
    assert unmet_conditions(terms=BSU_2021, facts=worker(regency="11.71")) == ["region_excluded"]  # Aceh
    assert unmet_conditions(terms=BSU_2021, facts=worker(sector="P")) == ["sector_excluded"]  # education
    assert unmet_conditions(terms=BSU_2021, facts=worker(sector="Q")) == ["sector_excluded"]  # health
    assert unmet_conditions(terms=BSU_2021, facts=worker(sector="H")) == []  # transport


def test_2022_and_2025_outside_lists() -> None:
    for kind in ("asn", "tni", "polri", "prakerja", "pkh", "bpum"):
        assert unmet_conditions(terms=BSU_2022, facts=worker(listed=(kind,))) == [f"listed_{kind}"]
    # 2025 excludes PKH, ASN, TNI, Polri; Prakerja is not an exclusion of Permenaker 5/2025.
    assert unmet_conditions(terms=BSU_2025, facts=worker(listed=("pkh",))) == ["listed_pkh"]
    assert unmet_conditions(terms=BSU_2025, facts=worker(listed=("prakerja",))) == []


def test_not_a_wage_earner_or_not_active() -> None:
    assert unmet_conditions(terms=BSU_2025, facts=worker(segments=())) == ["not_active"]
    # A BPU participant (self-employed) is not a wage earner: PU only in every round.
    assert unmet_conditions(terms=BSU_2025, facts=worker(segments=("BPU",), wage=None)) == ["segment_not_covered"]


def test_every_unmet_condition_is_reported_at_once() -> None:
    facts = worker(6_000_000, month_paid_or_unbilled=False, regency="11.01", sector="P", listed=("pkh", "asn", "tni"))
    assert unmet_conditions(terms=BSU_2021, facts=facts) == [
        "contribution_unpaid",
        "wage_above_ceiling",
        "region_excluded",
        "sector_excluded",
    ]
    assert unmet_conditions(terms=BSU_2022, facts=facts) == [
        "contribution_unpaid",
        "wage_above_ceiling",
        "listed_asn",
        "listed_tni",
        "listed_pkh",
    ]


@given(wage=st.integers(min_value=0, max_value=20_000_000), umk=st.integers(min_value=1_000_000, max_value=6_000_000))
def test_the_ceiling_never_falls_below_the_fixed_amount(wage: int, umk: int) -> None:
    ceiling = wage_ceiling(terms=BSU_2025, minimum_wage=Decimal(umk))
    assert ceiling >= Decimal(3_500_000) and ceiling % 100_000 == 0 and ceiling >= umk
    eligible = unmet_conditions(terms=BSU_2025, facts=worker(wage, minimum_wage=Decimal(umk))) == []
    assert eligible == (wage <= ceiling)


def test_uneven_instalments_are_refused() -> None:
    with pytest.raises(ValueError):
        instalment_amount(terms=Terms(**{**BSU_2020.__dict__, "instalments": 7}))
