"""The demo's pensions (issue 31 §4): a survivor's pension decided by the calculator, paid its first
month, confirmed this year, and last month's payroll paying every month since, once."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from paritrana.benefits.models import Heir, Pension, PensionBatch, PensionPayment
from paritrana.benefits.rules.pension import add_months, months_between
from paritrana.demo.pensions import demo_pensions

pytestmark = pytest.mark.django_db


def test_demo_pensions_are_paid_every_month_since_the_death_and_run_once(world: dict[str, Any]) -> None:
    made = demo_pensions(actor=world["users"]["admin"])
    # The world has one PU member with JP (Balikpapan): the first case, a widow since May 2019.
    [pension] = Pension.objects.all()
    assert (pension.kind, pension.schedule.first_period.isoformat()) == ("spouse", "2019-05-01")
    assert made["pensions"][0]["survivor"] == "spouse"
    last = add_months(timezone.localdate().replace(day=1), -1)
    paid = PensionPayment.objects.filter(pension=pension)
    # One payment for every month from May 2019 to last month, no more: the first by the claim.
    assert paid.count() == months_between(pension.schedule.first_period, last) + 1
    assert paid.values("period").distinct().count() == paid.count()
    assert made["payroll"]["payments"] == paid.count() - 1
    # All sent to BRI in one batch; the bank paid all but one, which it returned (issued again next month).
    assert made["bank_answer"]["updated"] == made["payroll"]["payments"] and made["bank_answer"]["errors"] == []
    assert paid.filter(state="failed").count() == 1 and not paid.filter(state="issued").exists()
    assert PensionBatch.objects.get().status == "reconciled"
    # Her son is recorded as an heir: ending her pension would hand it to him.
    assert Heir.objects.filter(person=pension.person, relationship="child").exists()
    # Indexed on each anniversary with a rate (May 2022 on: 2022's 1.87 %, ...): later years pay more.
    first, latest = paid.order_by("period").first(), paid.order_by("period").last()
    assert first is not None and latest is not None and latest.amount > first.amount
    assert demo_pensions(actor=world["users"]["admin"]) == {"skipped": True}


def test_the_demo_widow_is_a_registered_woman_who_sees_her_pension_from_her_own_login(world: dict[str, Any]) -> None:
    from datetime import date

    from paritrana.accounts.services import user_provision
    from paritrana.benefits.selectors import claim_list
    from paritrana.core.actors import system_actor
    from paritrana.registry.models import Person
    from tests.conftest import make_nik

    # A woman of Balikpapan born in 1978, 41 at the May 2019 death: the demo makes her the widow.
    village = world["bpn_village"]
    her = Person.objects.create(
        nik=make_nik(village.code[:8], date(1978, 8, 9), "P", serial=7), full_name="Ratna Sari Dewi",
        birth_date=date(1978, 8, 9), sex="P", village=village, regency_id="64.71", province_id="64",
    )  # fmt: skip
    made = demo_pensions(actor=world["users"]["admin"])
    assert made["widow_person"] == her.pk
    [pension] = Pension.objects.all()
    assert (pension.heir.nik, pension.beneficiary_name) == (her.nik, "Ratna Sari Dewi")
    login = user_provision(actor=system_actor(), username="t.janda", password="pw-janda-1234", role="participant",
                           person=her)  # fmt: skip
    assert list(claim_list(user=login).values_list("pk", flat=True)) == [pension.claim_id]


def test_the_demo_puts_a_disability_pension_in_payment_when_a_fourth_member_has_jp(world: dict[str, Any]) -> None:
    from datetime import date
    from decimal import Decimal

    from paritrana.registry.models import Membership, Person
    from paritrana.registry.rules.kpj import kpj_from_serial
    from tests.conftest import make_nik

    # Three more PU members with JP beside Balikpapan's: the survivors take the first three, the fourth
    # (by person id) is the one in total permanent disability since September 2023.
    village = world["bpn_village"]
    for n in range(3):
        person = Person.objects.create(
            nik=make_nik(village.code[:8], date(1980 + n, 2, 1), "L", serial=20 + n), full_name=f"Pekerja {n}",
            birth_date=date(1980 + n, 2, 1), sex="L", village=village, regency_id="64.71", province_id="64",
        )  # fmt: skip
        Membership.objects.create(
            kpj=kpj_from_serial(9_000_000_100 + n), person=person, employer=world["bpn_employer"], segment="PU",
            programmes=["JKK", "JKM", "JHT", "JP"], wage=6_000_000, valid_from=date(2016, 1, 1), regency_id="64.71",
        )  # fmt: skip
    made = demo_pensions(actor=world["users"]["admin"])
    kinds = sorted(Pension.objects.values_list("kind", flat=True))
    assert kinds == ["child", "disability", "parent", "spouse"]
    disability = Pension.objects.get(kind="disability")
    # 1 % × (84/12) × (Rp72,000,000/12) = 1 % × 7 × Rp6,000,000 = Rp420,000 a month (PP 45/2015 Pasal 17(2)),
    # above the 2023 minimum Rp383,400 (Pasal 18).
    assert disability.base_amount == Decimal(420_000) and disability.claim.benefit == "JP_DISABILITY"
    assert disability.schedule.first_period == date(2023, 9, 1)
    assert made["pensions"][-1]["kind"] == "disability"
    last = add_months(timezone.localdate().replace(day=1), -1)
    assert PensionPayment.objects.filter(pension=disability).count() == months_between(date(2023, 9, 1), last) + 1
