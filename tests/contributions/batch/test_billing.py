"""Monthly billing in SQL held to the Python rules (issue 3 §3), idempotent, recorded."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Sum

from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.models import Bill, ContributionLine
from paritrana.contributions.rules.contribution import (
    BILLING_COLUMNS,
    ContributionInput,
    billing_columns,
    bpu_billing_income,
    calculate,
)
from paritrana.core.models import BatchRun
from paritrana.core.periods import Period
from paritrana.demo.synth.load import synth_run
from paritrana.law.rules.params import ParameterSet
from paritrana.law.selectors import parameters_on
from paritrana.registry.models import Employer, Membership

pytestmark = pytest.mark.django_db

# Periods across the regimes: PP 49/2020 relief, before JKP, JKP under PP 37/2021, the PP 7/2025 window
# with JKP under PP 6/2025 and the March cap change, the PP 36/2025 extension [U], after relief.
PERIODS = ["2020-10", "2021-01", "2021-06", "2025-01", "2025-02", "2025-03", "2025-09", "2026-03"]


def expected(membership: Membership, year: int, month: int, params: ParameterSet) -> dict[str, Decimal]:
    employer = membership.employer
    segment = membership.segment
    income = membership.declared_income
    if segment == "BPU" and income is not None:
        income = bpu_billing_income(income, params)
    data = ContributionInput(
        segment=segment,
        year=year,
        month=month,
        wage=membership.wage if segment in ("PU", "JAKON") else None,
        jkk_risk_group=employer.jkk_risk_group if employer else 1,
        declared_income=income,
        include_jht="JHT" in membership.programmes,
        contract_months=24,
        relief_eligible=bool(employer and employer.jkk_relief_eligible),
        programmes=tuple(membership.programmes),
    )
    return billing_columns(calculate(data, params))


def test_sql_billing_equals_the_python_rules_on_random_memberships() -> None:
    synth_run(persons=9_500, seed=77, provinces=["31", "32", "64", "65"])
    rng = random.Random(5)
    # Spread the facts the law depends on: risk groups, relief eligibility, wages around the JP cap
    # and the JKP cap, BPU incomes across (and outside) the bounds.
    employers = list(Employer.objects.all())
    for employer in employers:
        employer.jkk_risk_group = rng.randint(1, 5)
        employer.jkk_relief_eligible = rng.random() < 0.4
    Employer.objects.bulk_update(employers, ["jkk_risk_group", "jkk_relief_eligible"])
    memberships = list(Membership.objects.all())
    assert len(memberships) >= 10_000
    for m in memberships:
        if m.wage is not None:
            m.wage = Decimal(rng.choice([1_000_000, 3_333_333, 4_999_999, 5_000_001, 8_754_601, 12_345_678]))
            m.wage += rng.randint(0, 999)
        if m.declared_income is not None:
            m.declared_income = Decimal(rng.choice([500_000, 1_000_000, 2_750_500, 20_700_000, 25_000_000]))
        m.valid_from = m.valid_from.replace(year=rng.choice([2016, 2019, 2020, 2021, 2024, 2025]), day=1)
        if m.valid_until is not None and m.valid_until < m.valid_from:
            m.valid_until = None
    with connection.cursor() as cursor:  # one UPDATE; bulk_update's CASE per row takes ~20 s here
        cursor.execute(
            "UPDATE registry_membership m SET wage = v.wage, declared_income = v.income, valid_from = v.vf,"
            " valid_until = v.vu FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::date[], %s::date[])"
            " AS v(id, wage, income, vf, vu) WHERE m.id = v.id",
            [
                [m.pk for m in memberships],
                [m.wage for m in memberships],
                [m.declared_income for m in memberships],
                [m.valid_from for m in memberships],
                [m.valid_until for m in memberships],
            ],
        )

    compared = 0
    segments: set[str] = set()
    for period in PERIODS:
        year, month = int(period[:4]), int(period[5:])
        report = billing_run(period)
        params = parameters_on(Period(year, month).last_day)
        lines = ContributionLine.objects.filter(period=f"{period}-01").select_related("membership__employer")
        assert report.lines == lines.count() > 0
        for line in lines:
            want = expected(line.membership, year, month, params)
            got = {name: getattr(line, name) for name in BILLING_COLUMNS}
            assert got == want, (period, line.membership_id, line.segment)
            compared += 1
            segments.add(line.segment)
        # Each bill is the sum of its lines.
        sums = {
            row["bill"]: row
            for row in ContributionLine.objects.filter(period=f"{period}-01")
            .values("bill")
            .annotate(e=Sum("employer_total"), w=Sum("worker_total"), n=Count("pk"))
        }
        for bill in Bill.objects.filter(period=f"{period}-01"):
            assert bill.amount_due == sums[bill.pk]["e"] + sums[bill.pk]["w"]
            assert bill.lines == sums[bill.pk]["n"]
    assert compared >= 10_000
    assert segments == {"PU", "BPU", "JAKON", "PMI"}


def _snapshot() -> list[Any]:
    return list(
        Bill.objects.order_by("id").values_list("id", "amount_due", "lines", "employer_amount", "worker_amount")
    )


def test_billing_a_month_twice_gives_the_same_bills() -> None:
    synth_run(persons=1_500, seed=78, provinces=["64"])
    first = billing_run("2025-03")
    before = _snapshot()
    lines = ContributionLine.objects.count()
    second = billing_run("2025-03")
    assert first.lines == lines > 0
    assert second.lines == 0
    assert _snapshot() == before
    runs = BatchRun.objects.filter(job="billing").order_by("id")
    assert [r.rows for r in runs] == [first.lines, 0]
    assert all(r.status == "done" and r.seconds is not None and r.finished_at for r in runs)


def test_a_membership_added_later_joins_its_payers_bill(world: dict[str, Any]) -> None:
    billing_run("2025-03")
    bill = Bill.objects.get(employer=world["bpn_employer"], period="2025-03-01")
    before = bill.amount_due
    bpn = world["bpn_person"]
    from paritrana.registry.rules.kpj import kpj_from_serial

    Membership.objects.create(
        kpj=kpj_from_serial(9_000_000_077),
        person=world["kukar_person"],
        employer=world["bpn_employer"],
        segment="PU",
        programmes=["JKK", "JKM"],
        wage=4_000_000,
        valid_from="2025-03-10",
        regency_id=bpn.regency_id,
    )
    billing_run("2025-03")
    bill.refresh_from_db()
    # JKK group IV 1.27 % + JKM 0.30 % of Rp4,000,000 (PP 44/2015 Pasal 16(1), 18(1)).
    assert bill.amount_due - before == Decimal(50_800 + 12_000)
    assert bill.lines == 2


def test_who_pays_which_bill(world: dict[str, Any]) -> None:
    billing_run("2025-03")
    # The Kukar vulnerable farmer's BPU contribution is billed to the regency's APBD (scenario S5):
    # JKK 1 % of Rp1,000,000 + JKM Rp6,800, due the 15th of the same month (Saturday 15 March 2025 → Monday 17th).
    sponsor_bill = Bill.objects.get(sponsor=world["kukar_sponsor"], period="2025-03-01")
    assert sponsor_bill.amount_due == Decimal(16_800)
    assert str(sponsor_bill.due_date) == "2025-03-17"
    assert sponsor_bill.region_id == "64.02"
    # The Balikpapan worker's employer: group IV, all five programmes on Rp5,000,000, due 15 April 2025.
    employer_bill = Bill.objects.get(employer=world["bpn_employer"], period="2025-03-01")
    assert employer_bill.amount_due == Decimal(63_500 + 15_000 + 185_000 + 100_000 + 100_000 + 50_000)
    assert employer_bill.government_amount == Decimal(11_000)
    assert str(employer_bill.due_date) == "2025-04-15"


def test_a_first_billed_month_is_attached_with_its_keys_checked(world: dict[str, Any]) -> None:
    report = billing_run("2025-03")
    assert report.steps.get("index_and_attach") is not None  # the month was loaded detached
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent IN ('contributions_bill'::regclass, 'contributions_contributionline'::regclass)"
            " ORDER BY 1"
        )
        attached = [name for (name,) in cursor.fetchall()]
        assert {"contributions_bill_p202503", "contributions_contributionline_p202503"} <= set(attached)
        # ATTACH gave the partitions the parents' keys and indexes, every foreign key validated.
        cursor.execute(
            "SELECT conrelid::regclass::text, contype, bool_and(convalidated), count(*) FROM pg_constraint"
            " WHERE conrelid IN ('contributions_bill_p202503'::regclass,"
            " 'contributions_contributionline_p202503'::regclass) AND contype IN ('f', 'p', 'u')"
            " GROUP BY 1, 2 ORDER BY 1, 2"
        )
        assert cursor.fetchall() == [
            ("contributions_bill_p202503", "f", True, 4),  # employer, sponsor, person, region
            ("contributions_bill_p202503", "p", True, 1),
            ("contributions_bill_p202503", "u", True, 1),  # one bill per payer and month
            ("contributions_contributionline_p202503", "f", True, 2),  # bill, membership
            ("contributions_contributionline_p202503", "p", True, 1),
        ]
    # The ORM still reaches bills by id alone, and lines by their bill.
    bill = Bill.objects.get(employer=world["bpn_employer"], period="2025-03-01")
    assert Bill.objects.get(pk=bill.pk).amount_due == bill.amount_due
    assert bill.contribution_lines.count() == bill.lines


def test_a_detached_month_with_a_broken_key_is_refused_at_attach(world: dict[str, Any]) -> None:
    from datetime import date

    from django.db import transaction
    from psycopg.errors import ForeignKeyViolation

    from paritrana.contributions.batch import partitions

    period = date(2024, 7, 1)
    with (
        pytest.raises(ForeignKeyViolation, match="bill_region_fk"),
        transaction.atomic(),
        connection.cursor() as django_cursor,
    ):
        cursor = django_cursor.cursor
        table = partitions.begin_detached_load(cursor, period, partitions.BILLS)
        cursor.execute(
            f"INSERT INTO {table} (employer_id, payer_key, period, region_code, lines, employer_amount,"
            " worker_amount, government_amount, deferred_amount, amount_due, paid_amount, status, created_at,"
            " updated_at) VALUES (%s, %s * 3 + 2, %s, '99.99', 1, 1, 0, 0, 0, 1, 0, 'open', now(), now())",
            (world["bpn_employer"].pk, world["bpn_employer"].pk, period),
        )
        partitions.attach(cursor, period, partitions.BILLS)
    assert not Bill.objects.filter(period=period).exists()
