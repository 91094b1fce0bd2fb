"""JKK care reimbursement, JP survivor pension and JP lump-sum claims against the real PostgreSQL: the
facts come from the registry and the paid bills, the payee from the recorded heirs (issue 4 §1, §4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from paritrana.benefits import selectors, services
from paritrana.benefits.models import BenefitPayment
from paritrana.registry.models import Membership
from tests.benefits.conftest import bill_and_pay
from tests.benefits.test_services import _through

pytestmark = pytest.mark.django_db


def _months(first: date, count: int) -> list[str]:
    index = first.year * 12 + first.month - 1
    return [f"{(index + i) // 12}-{(index + i) % 12 + 1:02d}" for i in range(count)]


@pytest.fixture
def bpn(world: dict[str, Any]) -> dict[str, Any]:
    """The Balikpapan employee (PU, all five programmes) at a wage of Rp8,000,000, with his widow."""
    membership = Membership.objects.get(person=world["bpn_person"])
    membership.wage = Decimal(8_000_000)
    membership.save()
    admin = world["users"]["admin"]
    services.heir_add(
        actor=admin,
        person_id=world["bpn_person"].pk,
        name="Sri Wahyuni",
        relationship="spouse",
        bank_name="BNI",
        account_number="0771234567",
    )
    return {**world, "membership": membership, "admin": admin}


def _pay_months(bpn: dict[str, Any], first: date, count: int) -> None:
    months = _months(first, count)
    # Each month paid on the 10th of the month after (PP 44/2015 Pasal 46's due date is the 15th).
    days = [date(int(m[:4]) + (m[5:] == "12"), int(m[5:]) % 12 + 1, 10) for m in months]
    bill_and_pay(bpn["admin"], "employer", bpn["bpn_employer"].pk, months, days)


def test_transport_bills_are_reimbursed_up_to_each_modes_cap_on_time(bpn: dict[str, Any]) -> None:
    _pay_months(bpn, date(2026, 10, 1), 1)
    [claim] = services.claim_submit(
        actor=bpn["admin"],
        person_id=bpn["bpn_person"].pk,
        benefit="JKK_TRANSPORT",
        event_date=date(2026, 11, 2),
        details={
            "costs": [
                {"kind": "transport_land", "amount": "6500000"},
                {"kind": "transport_air", "amount": "4200000"},
            ],
            "payee_bank": "BNI",
            "payee_account": "0779990001",
        },
    )
    # PP 82/2019 (regulation.md §2.3): land at most Rp5,000,000, air at most Rp10,000,000.
    assert claim.state == "submitted" and claim.amount == Decimal(9_200_000)
    assert {d.code for d in claim.documents.all()} >= {"accident_report", "invoices"}
    paid = _through(bpn["admin"], claim, paid_on=date(2026, 11, 21), reference="TRF-ANGKUT")
    # A JKK benefit: the 7-working-day service date applies and was met, so no penalty.
    assert paid.due_by is not None and paid.penalty == Decimal(0)
    assert BenefitPayment.objects.get(claim=claim).amount == Decimal(9_200_000)


def test_the_widow_receives_a_survivor_pension_counted_as_15_years(bpn: dict[str, Any]) -> None:
    membership = bpn["membership"]
    membership.valid_from = date(2025, 10, 1)
    membership.save()
    _pay_months(bpn, date(2025, 10, 1), 13)  # October 2025 – October 2026
    [claim] = services.claim_submit(
        actor=bpn["admin"], person_id=bpn["bpn_person"].pk, benefit="JP_SURVIVOR", event_date=date(2026, 11, 10)
    )
    # 13 paid of 14 months' membership (93 % ≥ 80 %, ≥ 1 year): counted as 180 months (Permenaker
    # 29/2015 Pasal 26). 1 % × 180/12 × Rp8,000,000 = Rp1,200,000 (PP 45/2015 Pasal 17(2)); the
    # widow's share 50 % [U] → Rp600,000 a month.
    assert claim.state == "submitted", claim.result["unmet"]
    assert claim.amount == Decimal(600_000)
    assert claim.facts["survivor"] == "spouse"
    _through(bpn["admin"], claim, paid_on=date(2026, 11, 20), reference="TRF-JP-JANDA")
    payment = BenefitPayment.objects.get(claim=claim)
    assert (payment.bank_name, payment.account_number, payment.amount) == ("BNI", "0771234567", Decimal(600_000))


def test_without_the_density_the_heirs_take_the_jp_contributions_at_once(bpn: dict[str, Any]) -> None:
    membership = bpn["membership"]
    membership.valid_from = date(2024, 10, 1)
    membership.save()
    _pay_months(bpn, date(2026, 9, 1), 2)  # only September and October 2026 paid of 26 months
    [survivor] = services.claim_submit(
        actor=bpn["admin"], person_id=bpn["bpn_person"].pk, benefit="JP_SURVIVOR", event_date=date(2026, 11, 10)
    )
    assert survivor.state == "rejected" and survivor.rejection_code == "survivor_conditions_unmet"
    [lump] = services.claim_submit(
        actor=bpn["admin"],
        person_id=bpn["bpn_person"].pk,
        benefit="JP_LUMP_SUM",
        event_date=date(2026, 11, 10),
        details={"reason": "death"},
    )
    # PP 45/2015 Pasal 28: JP contribution 3 % of the wage (2 % employer, 1 % worker): 2 × 3 % ×
    # Rp8,000,000 = Rp480,000; no return yet (2026 is not over).
    assert lump.state == "submitted", lump.result["unmet"]
    assert lump.amount == Decimal(480_000)
    _through(bpn["admin"], lump, paid_on=date(2026, 11, 20), reference="TRF-JP-SEKALIGUS")
    assert BenefitPayment.objects.get(claim=lump).account_number == "0771234567"  # the widow, as heir


def test_an_officer_enters_the_bills_on_the_intake_page(bpn: dict[str, Any], client: Any) -> None:
    _pay_months(bpn, date(2026, 10, 1), 1)
    client.force_login(bpn["admin"])
    response = client.post(
        f"/klaim/baru/?person={bpn['bpn_person'].pk}",
        {
            "benefit": "JKK_HOME_CARE",
            "event_date": "2026-11-02",
            "cost_kind_1": "home_care",
            "cost_amount_1": "12.500.000",
            "cost_date_1": "2026-11-15",
            "cost_kind_2": "home_care",
            "cost_amount_2": "9000000",
            "cost_date_2": "2026-11-18",
            "payee_bank": "BNI",
            "payee_account": "0779990001",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    claim = selectors.claim_list(user=bpn["admin"], benefit="JKK_HOME_CARE").get()
    # PP 82/2019: Rp21,500,000 of home care within the year is capped at Rp20,000,000.
    assert claim.amount == Decimal(20_000_000)
    page = client.get(f"/klaim/{claim.pk}/").content.decode()
    assert "Perawatan di rumah" in page and "20.000.000" in page
    # A bill of a kind this claim does not reimburse is refused on the page, with the field named.
    refused = client.post(
        f"/klaim/baru/?person={bpn['bpn_person'].pk}",
        {"benefit": "JKK_TRANSPORT", "event_date": "2026-11-02", "cost_kind_1": "home_care", "cost_amount_1": "1000"},
    )
    assert refused.status_code == 400 and "costs[0].kind" in refused.content.decode()
