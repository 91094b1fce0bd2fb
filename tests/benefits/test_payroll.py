"""The monthly pension payroll (issue 31 §1): amounts worked out by hand from PP 45/2015, the months a
pension is paid, arrears after a lapsed proof of life, re-issue of a returned payment, the command,
and the SQL against the pure rules over thousands of pensions and 24 months.

The indexation rates are the parameter rows `jp.indexation_rate` (law/data/benefits.csv: the previous
year's general inflation, BPS — 2024: 2.61 %, 2025: 1.57 %; Pasal 17(4) itself not obtained, [U]); the
bounds are `jp.benefit.min`/`max` (2023: Rp383,400 / Rp4,598,100; 2024 on: Rp393,500 / Rp4,718,100).
"""

from __future__ import annotations

import functools
import json
import random
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from paritrana.benefits.batch.payroll import payroll_run
from paritrana.benefits.models import Claim, Pension, PensionPayment, PensionSchedule, PensionStep, ProofOfLife
from paritrana.benefits.pensions import pension_end, put_in_payment
from paritrana.benefits.rules.pension import Beneficiary, add_months, amount_in, months_due, schedule
from paritrana.benefits.services import claim_pay, proof_of_life_decide
from paritrana.core.actors import system_actor
from paritrana.core.models import StoredFile
from paritrana.law.selectors import parameters_on
from paritrana.registry.models import Membership

pytestmark = pytest.mark.django_db


def _pension(
    world: dict[str, Any],
    *,
    kind: str = "old_age",
    first: date,
    base: int,
    paid_through: date | None = None,
    birth: date | None = None,
    ended_on: date | None = None,
    number: int = 0,
) -> Pension:
    """A pension in payment as claim_pay leaves it: its claim, its first step, its first month paid."""
    person = world["bpn_person"]
    claim = Claim.objects.create(
        benefit="JP_OLD_AGE" if kind == "old_age" else "JP_SURVIVOR",
        person=person,
        membership=Membership.objects.get(person=person),
        # One claim per membership, benefit and event: the event dates of many pensions of one member differ.
        event_date=date(1990, 1, 1) + timedelta(days=number) if number else first,
        state="paid",
        regency_id="64.71",
        amount=Decimal(base),
    )
    pension = Pension.objects.create(
        claim=claim,
        person=person,
        kind=kind,
        beneficiary_name=f"Penerima {number}",
        birth_date=birth,
        base_amount=base,
        ended_on=ended_on,
        state="ended" if ended_on else "in_payment",
        regency_id="64.71",
    )
    put_in_payment(pension, first=first, amount=Decimal(base), paid_through=paid_through or first)
    PensionPayment.objects.create(pension=pension, period=first, amount=base, state="paid", issued_in=first)
    return pension


def _confirm(world: dict[str, Any], pension: Pension, given: date) -> None:
    """A proof of life sent and accepted by the branch (the file's bytes do not matter to the payroll)."""
    stored = StoredFile.objects.create(sha256="0" * 64, size=1, content_type="image/jpeg", original_name="ktp.jpg")
    proof = ProofOfLife.objects.create(claim=pension.claim, given_on=given, file=stored)
    proof_of_life_decide(actor=world["users"]["admin"], proof_id=proof.pk, accept=True)


def _paid(pension: Pension) -> dict[str, int]:
    return {
        f"{p.period:%Y-%m}": int(p.amount)
        for p in PensionPayment.objects.filter(pension=pension)
        .exclude(state__in=["failed", "cancelled"])
        .order_by("period")
    }


def test_a_pension_is_indexed_on_its_anniversary_and_paid_month_by_month(world: dict[str, Any]) -> None:
    # Old-age pension of Rp1,500,000 a month from March 2023, paid through December 2023.
    pension = _pension(world, first=date(2023, 3, 1), base=1_500_000, paid_through=date(2023, 12, 1))
    _confirm(world, pension, date(2024, 1, 8))  # the status confirmed within the last 12 months
    for month in ("2024-01", "2024-02", "2024-03", "2024-04"):
        payroll_run(period=date.fromisoformat(month + "-01"))
    # Pasal 17(1)b: from the first anniversary (March 2024) 1,500,000 × (100 + 2.61) / 100 = 1,539,150.
    assert _paid(pension) == {
        "2023-03": 1_500_000,
        "2024-01": 1_500_000,
        "2024-02": 1_500_000,
        "2024-03": 1_539_150,
        "2024-04": 1_539_150,
    }
    assert [(s.start, int(s.amount), s.rate) for s in PensionStep.objects.filter(pension=pension)] == [
        (date(2023, 3, 1), 1_500_000, None),
        (date(2024, 3, 1), 1_539_150, Decimal("2.61")),
    ]
    assert PensionSchedule.objects.get(pension=pension).paid_through == date(2024, 4, 1)


def test_the_years_minimum_and_maximum_bound_each_payment_not_the_indexed_amount(world: dict[str, Any]) -> None:
    # A widow's pension awarded at the 2023 minimum, Rp383,400, from June 2023.
    low = _pension(world, kind="spouse", first=date(2023, 6, 1), base=383_400, number=1)
    # An old-age pension awarded at the 2023 maximum, Rp4,598,100, from January 2023.
    high = _pension(world, first=date(2023, 1, 1), base=4_598_100, paid_through=date(2023, 12, 1), number=2)
    _confirm(world, low, date(2025, 5, 2))
    _confirm(world, high, date(2025, 5, 2))
    payroll_run(period=date(2025, 6, 1))
    paid = _paid(low)
    # 2023 months at the awarded amount (the 2023 minimum itself).
    assert paid["2023-07"] == paid["2023-12"] == 383_400
    # Pasal 18(3): in 2024 the minimum is Rp393,500; the pension's own amount is 383,400 until June and
    # 383,400 × 1.0261 = 393,406.74 → 393,407 after: below the minimum both times, so 393,500 is paid.
    assert paid["2024-01"] == paid["2024-05"] == paid["2024-06"] == paid["2025-05"] == 393_500
    # From June 2025: 393,407 × 1.0157 = 399,583.49 → 399,583, above the minimum: the pension's own.
    assert paid["2025-06"] == 399_583
    # The maximum: 4,598,100 × 1.0261 = 4,718,110.41 → 4,718,110 from January 2024, above the 2024
    # maximum of 4,718,100, which is paid.
    assert _paid(high)["2024-01"] == 4_718_100
    assert PensionStep.objects.get(pension=high, start=date(2024, 1, 1)).amount == 4_718_110
    # Months before the payroll's are arrears; the payroll's own is not.
    assert PensionPayment.objects.filter(pension=low, period=date(2025, 6, 1), arrears=False).exists()
    assert PensionPayment.objects.filter(pension=low, issued_in=date(2025, 6, 1), arrears=True).count() == 23


def test_a_childs_pension_stops_at_23(world: dict[str, Any]) -> None:
    # Child born 20 May 2002: 23 on 20 May 2025 (PP 45/2015 Pasal 16; regulation.md §2.5), so May 2025
    # (running on its first day) is the last month paid.
    child = _pension(
        world, kind="child", first=date(2024, 1, 1), base=600_000, paid_through=date(2024, 12, 1),
        birth=date(2002, 5, 20), number=3,
    )  # fmt: skip
    _confirm(world, child, date(2025, 3, 10))
    first = payroll_run(period=date(2025, 4, 1))
    assert first["payments"] == 4  # January to April 2025
    assert payroll_run(period=date(2025, 5, 1))["payments"] == 1
    assert payroll_run(period=date(2025, 6, 1))["payments"] == 0
    assert max(_paid(child)) == "2025-05"
    child.refresh_from_db()
    assert (child.state, child.ended_on) == ("ended", date(2025, 5, 19))
    # 600,000 × 1.0157 = 609,420 from January 2025, the first anniversary.
    assert _paid(child)["2025-05"] == 609_420


def test_a_lapsed_proof_of_life_suspends_and_a_new_one_pays_the_arrears(world: dict[str, Any]) -> None:
    pension = _pension(world, first=date(2024, 1, 1), base=1_000_000, paid_through=date(2024, 12, 1), number=4)
    # jp.proof_of_life_months = 12 [U]: the award (January 2024) confirms the status through December
    # 2024; January and February 2025 are suspended.
    assert payroll_run(period=date(2025, 1, 1))["payments"] == 0
    assert payroll_run(period=date(2025, 2, 1))["payments"] == 0
    _confirm(world, pension, date(2025, 2, 20))
    march = payroll_run(period=date(2025, 3, 1))
    # January and February as arrears with March: 3 × 1,000,000 × 1.0157 = 3 × 1,015,700.
    assert (march["payments"], march["amount"]) == (3, 3_047_100)
    assert sorted(_paid(pension))[-3:] == ["2025-01", "2025-02", "2025-03"]
    assert PensionPayment.objects.filter(pension=pension, issued_in=date(2025, 3, 1), arrears=True).count() == 2


def test_a_second_run_pays_nothing_and_a_returned_payment_is_issued_again_once(world: dict[str, Any]) -> None:
    pension = _pension(world, first=date(2026, 1, 1), base=2_000_000, number=5)
    out = StringIO()
    call_command("payroll", "run", "--period", "2026-03", stdout=out)
    printed = json.loads(out.getvalue())
    assert {k: printed[k] for k in ("period", "beneficiaries", "payments", "amount")} == {
        "period": "2026-03", "beneficiaries": 1, "payments": 2, "amount": 4_000_000,
    }  # fmt: skip
    assert set(printed) >= {"seconds"}
    again = StringIO()
    call_command("payroll", "run", "--period", "2026-03", stdout=again)
    assert json.loads(again.getvalue())["payments"] == 0
    # The bank returns March's transfer: the next payroll issues it again with April, once.
    PensionPayment.objects.filter(pension=pension, period=date(2026, 3, 1)).update(state="failed")
    april = payroll_run(period=date(2026, 4, 1))
    assert (april["payments"], april["reissued"], april["amount"]) == (2, 1, 4_000_000)
    assert payroll_run(period=date(2026, 4, 1))["payments"] == 0
    march = PensionPayment.objects.filter(pension=pension, period=date(2026, 3, 1)).order_by("id")
    assert [p.state for p in march] == ["failed", "issued"]


def test_paying_a_jp_claim_puts_its_pension_in_payment(world: dict[str, Any]) -> None:
    person = world["bpn_person"]
    claim = Claim.objects.create(
        benefit="JP_OLD_AGE",
        person=person,
        membership=Membership.objects.get(person=person),
        event_date=date(2026, 7, 1),
        state="approved",
        regency_id="64.71",
        amount=Decimal(400_000),
        facts={"payee_bank": "BRI", "payee_account": "0123456789"},
        result={"payouts": [{"heir_id": None, "name": person.full_name, "amount": "400000", "components": []}]},
    )
    claim_pay(actor=world["users"]["admin"], claim_id=claim.pk, paid_on=date(2026, 8, 10), reference="TRF-JP-1")
    pension = Pension.objects.get(claim=claim)
    assert (pension.kind, pension.schedule.first_period, pension.schedule.paid_through, pension.base_amount) == (
        "old_age", date(2026, 7, 1), date(2026, 7, 1), 400_000,
    )  # fmt: skip
    assert (pension.bank_name, pension.account_number) == ("BRI", "0123456789")
    # The next payroll pays August (arrears) and September.
    assert payroll_run(period=date(2026, 9, 1))["payments"] == 2
    assert _paid(pension) == {"2026-07": 400_000, "2026-08": 400_000, "2026-09": 400_000}


def test_paying_a_jp_disability_claim_puts_the_participants_own_pension_in_payment(world: dict[str, Any]) -> None:
    # PP 45/2015 Pasal 16 huruf b: total permanent disability on 10 May 2026; Rp450,000 a month decided.
    person = world["bpn_person"]
    claim = Claim.objects.create(
        benefit="JP_DISABILITY",
        person=person,
        membership=Membership.objects.get(person=person),
        event_date=date(2026, 5, 10),
        state="approved",
        regency_id="64.71",
        amount=Decimal(450_000),
        facts={"payee_bank": "BRI", "payee_account": "0123456789"},
        result={"payouts": [{"heir_id": None, "name": person.full_name, "amount": "450000", "components": []}]},
    )
    claim_pay(actor=world["users"]["admin"], claim_id=claim.pk, paid_on=date(2026, 6, 2), reference="TRF-JP-D1")
    pension = Pension.objects.get(claim=claim)
    assert (pension.kind, pension.schedule.first_period, int(pension.base_amount)) == (
        "disability",
        date(2026, 5, 1),
        450_000,
    )
    # June and July by the July payroll (June as arrears), within 2026's bounds (the amount stands).
    assert payroll_run(period=date(2026, 7, 1))["payments"] == 2
    assert _paid(pension) == {"2026-05": 450_000, "2026-06": 450_000, "2026-07": 450_000}


def test_the_payroll_sql_agrees_with_the_rules_over_thousands_of_pensions_and_24_months(
    world: dict[str, Any],
) -> None:
    rng = random.Random(31)
    kinds = ["old_age", "disability", "spouse", "child", "parent"]
    pensions: list[Pension] = []
    facts: dict[int, dict[str, Any]] = {}
    for number in range(2000):
        kind = rng.choice(kinds)
        first = add_months(date(2021, 1, 1), rng.randrange(0, 60))
        birth = None
        if kind == "child":  # some turn 23 within the 24 months, some before, some after
            birth = add_months(date(2001, 1, 1), rng.randrange(0, 72)) + timedelta(days=rng.randrange(28))
        ended = first + timedelta(days=rng.randrange(30, 1800)) if rng.random() < 0.15 else None
        base = rng.randrange(300_000, 5_000_000)
        pension = _pension(world, kind=kind, first=first, base=base, birth=birth, ended_on=ended, number=number)
        pensions.append(pension)
        facts[pension.pk] = {"kind": kind, "first": first, "base": Decimal(base), "birth": birth, "ended": ended,
                             "paid_through": first, "confirmed": None, "paid": {first: Decimal(base)}}  # fmt: skip
    stored = StoredFile.objects.create(sha256="1" * 64, size=1, content_type="image/jpeg", original_name="ktp.jpg")

    @functools.cache
    def rate_on(day: date) -> Decimal | None:
        params = parameters_on(day)
        return params.get("jp.indexation_rate") if params.has("jp.indexation_rate") else None

    def bounds(month: date) -> tuple[Decimal | None, Decimal | None]:
        return year_bounds(min(date(month.year, 12, 31), period))

    @functools.cache
    def year_bounds(day: date) -> tuple[Decimal | None, Decimal | None]:
        params = parameters_on(day)
        return (params.get("jp.benefit.min") if params.has("jp.benefit.min") else None,
                params.get("jp.benefit.max") if params.has("jp.benefit.max") else None)  # fmt: skip

    for step in range(24):
        period = add_months(date(2025, 1, 1), step)
        # Some beneficiaries confirm their status this month (accepted): a lapsed pension resumes.
        for pension in rng.sample(pensions, 60):
            given = period + timedelta(days=rng.randrange(0, 5)) - timedelta(days=20)
            proof = ProofOfLife.objects.create(claim=pension.claim, given_on=given, file=stored)
            proof_of_life_decide(actor=world["users"]["admin"], proof_id=proof.pk, accept=True)
            f = facts[pension.pk]
            f["confirmed"] = max(f["confirmed"] or given, given)
        payroll_run(period=period)
        for f in facts.values():
            b = Beneficiary(f["kind"], f["first"], f["ended"], f["birth"], f["confirmed"])
            due = months_due(b, paid_through=f["paid_through"], period=period, child_max_age=23, proof_months=12)
            if due:
                steps = schedule(f["base"], f["first"], due[-1], rate_on)
                for month in due:
                    f["paid"][month] = amount_in(steps, month, bounds(month))
                f["paid_through"] = due[-1]
    expected = {pk: {f"{m:%Y-%m}": int(a) for m, a in sorted(f["paid"].items())} for pk, f in facts.items()}
    actual = {pension.pk: _paid(pension) for pension in pensions}
    differing = [pk for pk in expected if expected[pk] != actual[pk]]
    assert not differing, (differing[:3], [(expected[pk], actual[pk]) for pk in differing[:1]])
    # The sample is not trivial: indexed, bounded, suspended and ended pensions all occurred.
    assert PensionStep.objects.filter(rate__isnull=False).count() > 1000
    assert sum(len(v) for v in expected.values()) > 20_000
    assert Pension.objects.filter(state="ended", kind="child").exists()


def test_the_claim_page_shows_the_pension_its_amounts_and_payments_within_scope(world: dict[str, Any]) -> None:
    from django.test import Client

    from paritrana.accounts.services import user_provision

    pension = _pension(world, first=date(2025, 3, 1), base=1_000_000, paid_through=date(2026, 1, 1), number=6)
    _confirm(world, pension, date(2026, 2, 2))
    payroll_run(period=date(2026, 4, 1))
    admin = Client()
    admin.force_login(world["users"]["admin"])
    page = admin.get(f"/klaim/{pension.claim_id}/").content.decode()
    # 1,000,000 × 1.0292 = 1,029,200 from March 2026, the first anniversary (2026's rate, 2.92 %).
    assert 'data-step="2026-03"' in page and "1.029.200" in page
    assert 'data-payment="2026-04" data-state="issued"' in page and "rapelan" in page
    me = Client()
    me.force_login(
        user_provision(
            actor=system_actor(), username="t.janda", password="pw-janda-1234", role="participant",
            person=world["bpn_person"],
        )
    )  # fmt: skip
    assert 'data-payment="2026-04"' in me.get(f"/klaim/{pension.claim_id}/").content.decode()
    # The same through the API: the amount by year and the payments, newest first.
    api = admin.get(f"/api/v1/claims/{pension.claim_id}/pension").json()
    assert api["in_payment"] is True and api["kind"] == "old_age"
    assert [(s["start"], s["amount"], s["rate"]) for s in api["steps"]] == [
        ("2025-03-01", "1000000", None), ("2026-03-01", "1029200", "2.92"),
    ]  # fmt: skip
    assert api["payments"][0] == {"period": "2026-04-01", "amount": "1029200", "arrears": False, "state": "issued"}
    # Kutai Kartanegara's officer does not see a Balikpapan claim.
    other = Client()
    other.force_login(world["users"]["kukar"])
    assert other.get(f"/klaim/{pension.claim_id}/").status_code == 404
    assert other.get(f"/api/v1/claims/{pension.claim_id}/pension").status_code == 404


def test_a_widows_remarriage_ends_her_pension_cancels_later_issues_and_counts_what_was_overpaid(
    world: dict[str, Any],
) -> None:
    from paritrana.core.audit import AuditEvent
    from paritrana.core.errors import ValidationFailed

    widow = _pension(world, kind="spouse", first=date(2026, 1, 1), base=800_000, number=7)
    payroll_run(period=date(2026, 3, 1))  # February and March issued
    PensionPayment.objects.filter(pension=widow, period=date(2026, 2, 1)).update(state="paid")
    admin = world["users"]["admin"]
    # A widow's pension ends at death or remarriage, not at "work" (PP 45/2015 Pasal 16; regulation.md §2.5).
    with pytest.raises(ValidationFailed) as refused:
        pension_end(actor=admin, pension_id=widow.pk, ended_on=date(2026, 1, 20), reason="working")
    assert refused.value.problems[0].code == "reason_invalid"
    # Remarried on 20 January: January (running on its first day) was owed; February was paid and is
    # overpaid; March's issued payment is cancelled.
    done = pension_end(actor=admin, pension_id=widow.pk, ended_on=date(2026, 1, 20), reason="remarried")
    assert (done["cancelled"], done["overpaid_months"], done["overpaid_amount"]) == (1, ["2026-02"], "800000")
    assert AuditEvent.objects.filter(action="pension_end", entity_id=str(widow.claim_id)).exists()
    # No later payroll pays it, nor issues March again.
    assert payroll_run(period=date(2026, 4, 1))["payments"] == 0
    assert list(
        PensionPayment.objects.filter(pension=widow, period=date(2026, 3, 1)).values_list("state", flat=True)
    ) == ["cancelled"]
    # Kutai Kartanegara's officer cannot end a Balikpapan pension.
    other = _pension(world, kind="parent", first=date(2026, 1, 1), base=300_000, number=8)
    from paritrana.core.errors import NotFound, PermissionDenied

    with pytest.raises((NotFound, PermissionDenied)):
        pension_end(actor=world["users"]["kukar"], pension_id=other.pk, ended_on=date(2026, 2, 1), reason="died")


def test_a_month_paid_for_the_first_time_gets_a_partition_of_its_own_with_what_it_held_before(
    world: dict[str, Any],
) -> None:
    """Payments are partitioned by month (migration 0011): the payroll writes a month without a partition
    into a table of its own and attaches it, moving in that month's payments made before (here the first
    payment recorded when a pension was awarded) without paying them twice; a later run of the month
    goes through the parent; never two live payments of one month, whichever table holds them."""
    from django.db import IntegrityError, connection, transaction

    awarded = _pension(world, first=date(2029, 5, 1), base=500_000, number=11)  # paid May when awarded
    running = _pension(world, first=date(2029, 3, 1), base=700_000, paid_through=date(2029, 4, 1), number=12)

    def holders() -> dict[int, str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pension_id, tableoid::regclass::text FROM benefits_pensionpayment WHERE period = %s"
                " AND pension_id IN (%s, %s)",
                [date(2029, 5, 1), awarded.pk, running.pk],
            )
            return dict(cursor.fetchall())

    assert holders() == {awarded.pk: "benefits_pensionpayment_default"}
    may = payroll_run(period=date(2029, 5, 1))
    assert (may["payments"], may["amount"]) == (1, 700_000)  # only the running pension: May was paid at award
    assert holders() == {awarded.pk: "benefits_pensionpayment_p202905", running.pk: "benefits_pensionpayment_p202905"}
    assert _paid(awarded) == {"2029-05": 500_000}
    assert payroll_run(period=date(2029, 5, 1))["payments"] == 0
    with pytest.raises(IntegrityError), transaction.atomic():
        PensionPayment.objects.create(pension=running, period=date(2029, 5, 1), amount=1, issued_in=date(2029, 5, 1))
    # June: a returned May payment is issued again into May's partition, beside June's own.
    PensionPayment.objects.filter(pension=running, period=date(2029, 5, 1)).update(state="failed")
    june = payroll_run(period=date(2029, 6, 1))
    assert (june["payments"], june["reissued"], june["amount"]) == (3, 1, 500_000 + 700_000 + 700_000)
    assert _paid(running) == {"2029-03": 700_000, "2029-05": 700_000, "2029-06": 700_000}
