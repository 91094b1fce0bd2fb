"""The claim workflow's pure law: heirs in order, scholarships' children and years, service dates."""

from datetime import date
from decimal import Decimal

from paritrana.benefits.rules.claims import (
    HeirFacts,
    add_working_days,
    death_payees,
    delay_penalty,
    scholarship_children,
    scholarship_ended,
    scholarship_years_left,
)

JKM = [
    ("Santunan kematian sekaligus", Decimal(20_000_000)),
    ("Santunan berkala", Decimal(12_000_000)),
    ("Biaya pemakaman", Decimal(10_000_000)),
]


def test_the_first_rank_present_takes_everything_spouse_before_children() -> None:
    # PP 44/2015 Pasal 37(5): widow/widower or children first; parents only failing those.
    heirs = [
        HeirFacts(1, "Ibu", "parent"),
        HeirFacts(2, "Anak", "child", date(2010, 1, 1)),
        HeirFacts(3, "Suami", "spouse"),
    ]
    [payout], notes = death_payees(JKM, heirs, funeral_names=["Biaya pemakaman"])
    assert (payout.heir_id, payout.amount) == (3, Decimal(42_000_000))
    assert "Anak" in notes[0]
    [payout], _ = death_payees(
        JKM, [HeirFacts(1, "Ibu", "parent"), HeirFacts(4, "Kakak", "sibling")], funeral_names=["Biaya pemakaman"]
    )
    assert payout.heir_id == 1


def test_without_heirs_only_the_funeral_cost_is_paid() -> None:
    [payout], notes = death_payees(
        JKM, [HeirFacts(9, "Ketua RT", "funeral_arranger")], funeral_names=["Biaya pemakaman"]
    )
    assert payout.amount == Decimal(10_000_000) and "Dana Jaminan Sosial" in notes[0]
    assert death_payees(JKM, [], funeral_names=["Biaya pemakaman"])[0] == []


def test_two_eldest_entitled_children_get_the_scholarship() -> None:
    kids = [
        (HeirFacts(1, "A", "child", date(2012, 1, 1)), True),
        (HeirFacts(2, "B", "child", date(2008, 1, 1)), False),
        (HeirFacts(3, "C", "child", date(2015, 1, 1)), True),
        (HeirFacts(4, "D", "child", date(2018, 1, 1)), True),
    ]
    assert [c.heir_id for c in scholarship_children(kids, 2)] == [1, 3]


def test_scholarship_ends_at_23_marriage_or_work_and_tk_sd_share_eight_years() -> None:
    assert scholarship_ended(birth_date=date(2003, 6, 1), on=date(2026, 6, 1), married=False, employed=False)
    assert scholarship_ended(birth_date=date(2003, 6, 2), on=date(2026, 6, 1), married=False, employed=False) is None
    assert scholarship_ended(birth_date=None, on=date(2026, 6, 1), married=True, employed=False)
    years = {"TK": 2, "SD": 6, "SMP": 3, "SMA": 3, "PT": 5}
    assert scholarship_years_left("SD", {"TK": 2, "SD": 5}, years) == 1
    assert scholarship_years_left("SMA", {"SMA": 3}, years) == 0


def test_seven_working_days_skip_weekends_and_holidays_and_the_penalty_is_per_day() -> None:
    # Friday 20 November 2026 + 7 working days = Tuesday 1 December 2026.
    assert add_working_days(date(2026, 11, 20), 7) == date(2026, 12, 1)
    assert add_working_days(date(2026, 11, 20), 7, frozenset({date(2026, 11, 23)})) == date(2026, 12, 2)
    # PP 44/2015 Pasal 37(3): 1 % a day; Rp10,000,000 four days late → Rp400,000.
    assert delay_penalty(
        Decimal(10_000_000), due=date(2026, 12, 1), paid=date(2026, 12, 5), rate_per_day=Decimal(1)
    ) == (4, Decimal(400_000))
    assert delay_penalty(
        Decimal(10_000_000), due=date(2026, 12, 1), paid=date(2026, 11, 30), rate_per_day=Decimal(1)
    ) == (0, Decimal(0))
