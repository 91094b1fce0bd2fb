"""The national holidays and collective leave days (issue 31 §3): loaded from their decrees, they move
a contribution's due date and a JKK claim's service date, and the answers say which calendar they used.

Dates worked out by hand from the decrees' lists (law/data/holidays.csv, with sources) and a calendar.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from paritrana.benefits import services as benefit_services
from paritrana.benefits.rules.claims import add_working_days
from paritrana.contributions.services import contribution_calculate
from paritrana.law.loading import load_holidays
from paritrana.law.models import Holiday, Parameter
from paritrana.law.selectors import calendar_basis, public_holidays
from tests.benefits.conftest import bill_and_pay

pytestmark = pytest.mark.django_db


def _collective_leave_counts(value: int) -> None:
    Parameter.objects.filter(key="calendar.collective_leave_non_working").update(value=value)


def test_each_year_holds_the_days_its_decree_lists(world: dict[str, Any]) -> None:
    def count(year: int, kind: str) -> int:
        return Holiday.objects.filter(day__year=year, kind=kind).count()

    # SKB 1017/2024 (2025): 17 national holidays and 10 collective leave days, and SKB 933/2025 added
    # 18 August 2025. SKB 1497/2025 (2026): 17 and 8. SKB 855/2023 (2024): 17 and 10, and the two
    # polling days made holidays (14 February, UU 7/2017 Pasal 167(3); 27 November, Keppres 33/2024).
    assert (count(2025, "national"), count(2025, "collective_leave")) == (17, 11)
    assert (count(2026, "national"), count(2026, "collective_leave")) == (17, 8)
    assert (count(2024, "national"), count(2024, "collective_leave")) == (19, 10)
    assert Holiday.objects.filter(legal_basis="").count() == 0 and Holiday.objects.filter(source="").count() == 0
    assert load_holidays(Holiday) == 0  # loading again adds nothing


def test_a_collective_leave_day_moves_the_employers_due_date(world: dict[str, Any]) -> None:
    payload = {"segment": "PU", "period": "2026-04", "wage": 5_000_000, "jkk_risk_group": 1}
    # PP 44/2015 (regulation.md §1.7): April's contributions are due on 15 May, or the next working day.
    # 15 May 2026 is a Friday and the collective leave after Ascension (SKB 1497/2025): Monday 18 May.
    answer = contribution_calculate(payload)
    assert answer["due_date"] == "2026-05-18"
    assert any("1497/2025" in basis and "belum pasti" in basis for basis in answer["legal_basis"])
    # Counted as a working day (the parameter is [U]), the date stays the Friday.
    _collective_leave_counts(0)
    assert contribution_calculate(payload)["due_date"] == "2026-05-15"


def test_an_idulfitri_leave_moves_the_due_date_and_a_year_without_a_calendar_says_so(world: dict[str, Any]) -> None:
    # 15 April 2024 was a Monday and collective leave for Idulfitri 1445 H (SKB 855/2023): 16 April.
    march = {"segment": "PU", "period": "2024-03", "wage": 4_000_000, "jkk_risk_group": 1}
    assert contribution_calculate(march)["due_date"] == "2024-04-16"
    # 15 May 2023 was a Monday; no 2023 calendar is loaded, so only weekends count, and the answer says so.
    april_2023 = dict(march, period="2023-04")
    answer = contribution_calculate(april_2023)
    assert answer["due_date"] == "2023-05-15"
    assert "Hari libur tahun 2023 belum dimuat: hanya Sabtu dan Minggu dihitung [belum pasti]" in answer["legal_basis"]


def test_idulfitri_2025_moves_a_jkk_service_date(world: dict[str, Any]) -> None:
    # PP 44/2015 Pasal 37(2): JKK is paid within 7 working days of complete documents. Complete on
    # Thursday 27 March 2025: Fri 28 (Nyepi leave), Mon 31 and Tue 1 April (Idulfitri 1446 H), 2–4 and
    # Mon 7 April (Idulfitri leave) are not working days; 8, 9, 10, 11, 14, 15, 16 April are the seven.
    assert add_working_days(date(2025, 3, 27), 7, public_holidays()) == date(2025, 4, 16)
    # With only the national holidays: 28 March, 2, 3, 4, 7, 8, 9 April → 9 April.
    _collective_leave_counts(0)
    assert add_working_days(date(2025, 3, 27), 7, public_holidays()) == date(2025, 4, 9)
    # From Tuesday 22 December 2026, leave still counted as working: 23, 24 (Christmas leave), 28, 29,
    # 30, 31 December and 1 January 2027 — New Year's Day, but no 2027 calendar is loaded yet, so it
    # counts (the answers say so, calendar_basis). Leave not counted: 23, 28, 29, 30, 31, 1, Mon 4 Jan.
    assert add_working_days(date(2026, 12, 22), 7, public_holidays()) == date(2027, 1, 1)
    _collective_leave_counts(1)
    assert add_working_days(date(2026, 12, 22), 7, public_holidays()) == date(2027, 1, 4)


def test_a_claim_verified_before_holidays_is_due_after_them(world: dict[str, Any]) -> None:
    """claim_verify counts the holidays in the table: the fortnight after today made holidays, the
    seven working days begin after it."""
    admin = world["users"]["admin"]
    bill_and_pay(admin, "employer", world["bpn_employer"].pk, ["2026-10"], [date(2026, 11, 9)])
    [claim] = benefit_services.claim_submit(
        actor=admin,
        person_id=world["bpn_person"].pk,
        benefit="JKK_STMB",
        event_date=date(2026, 11, 2),
        details={"stmb_months": 1, "payee_bank": "Mandiri", "payee_account": "1410000555"},
    )
    codes = list(claim.documents.values_list("code", flat=True))
    benefit_services.claim_documents_receive(actor=admin, claim_id=claim.pk, codes=codes)
    today = timezone.localdate()
    for d in range(1, 15):
        Holiday.objects.get_or_create(
            day=today + timedelta(days=d),
            defaults={"kind": "national", "name": "uji", "legal_basis": "uji", "source": "uji", "certainty": "U"},
        )
    verified = benefit_services.claim_verify(actor=admin, claim_id=claim.pk)
    start = timezone.localdate(verified.verified_at)
    assert start == today  # (the test would need its fortnight again across midnight)
    off = public_holidays()
    after = [today + timedelta(days=d) for d in range(15, 40)]
    working = [d for d in after if d.weekday() < 5 and d not in off]
    assert verified.due_by == working[6]
    assert calendar_basis(today).startswith(f"Hari libur {today.year}")
