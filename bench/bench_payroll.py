"""Benchmark: a month's pension payroll (benefits/batch/payroll.sql) against a per-beneficiary ORM loop.

Goal (issue 31): a month for 3,000,000 beneficiaries in ≤ 30 s on this machine, ≥ 10× a per-beneficiary
ORM loop, side by side. Same database, same run:
  1. ``payroll_run`` for one month over every pension (each due exactly that month; one in twelve on
     its anniversary, so it is also indexed);
  2. the ORM loop: for each pension of a sample (``--orm-sample``), read it, index it on its
     anniversary, compute the amount with rules/pension.py, write the steps and the payment and advance
     the pension — one transaction per beneficiary, as a form or a naive job would. Timed on the sample
     and scaled to the whole population (said so in the output); both pay November 2026.
The pensions are synthetic and written set-based: claims, pensions (first months spread over
2016–2026, each beneficiary's status confirmed this year), their steps up to October 2026 (every
anniversary indexed by the payroll's own index step), and the last six months of payments (the
table the payroll writes into has that history; a real one would have all of it).

Run: ``.venv/bin/python bench/bench_payroll.py [--pensions 3000000] [--orm-sample 5000]`` (its own
database ``paritrana_bench_payroll``; the pensions are made once and kept, a payroll month is undone
between runs).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _setup import django_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("PARITRANA_DB_NAME", "paritrana_bench_payroll")
os.environ.setdefault("PARITRANA_LOG_LEVEL", "WARNING")

PERIOD = date(2026, 11, 1)
THROUGH = date(2026, 10, 1)  # every pension paid through October 2026 before each run

MAKE = """
INSERT INTO benefits_claim (benefit, person_id, membership_id, event_date, state, regency_code, facts, result,
                            amount, penalty, rejection_code, rejection_note, education_level, submitted_at,
                            paid_at)
SELECT 'JP_SURVIVOR', %(person)s, NULL, date '2016-01-01' + (g %% 3650), 'paid', %(regency)s, '{}', '{}',
       300000 + (g::bigint * 7919) %% 4300000, 0, '', '', '', now(), now()
FROM generate_series(1, %(n)s) g;
INSERT INTO benefits_pension (claim_id, person_id, kind, beneficiary_name, birth_date, bank_name, account_number,
                              base_amount, state, ended_reason, regency_code, created_at)
SELECT c.id, c.person_id, (ARRAY['old_age', 'spouse', 'child', 'parent'])[1 + c.id %% 4], 'Penerima ' || c.id,
       CASE WHEN c.id %% 4 = 2 THEN date '2010-01-01' + (c.id %% 3000)::int END, 'BRI', lpad(c.id::text, 15, '0'),
       c.amount, 'in_payment', '', c.regency_code, now()
FROM benefits_claim c
WHERE c.benefit = 'JP_SURVIVOR' AND c.facts = '{}';
INSERT INTO benefits_pensionschedule (pension_id, first_period, paid_through, confirmed_on, step_start, step_amount)
SELECT p.id, f.first, %(through)s,
       date '2026-01-05' + (p.claim_id %% 280)::int,  -- each beneficiary confirmed their status this year
       f.first, p.base_amount
FROM benefits_pension p
CROSS JOIN LATERAL (SELECT date_trunc('month', date '2016-01-01' + (p.claim_id %% 3900)::int)::date AS first) f;
INSERT INTO benefits_pensionstep (pension_id, start, amount)
SELECT pension_id, first_period, step_amount FROM benefits_pensionschedule;
"""

# The last six months of each pension's history as paid payments (at its current amount: they are
# there for the size of the table the payroll writes into, not for their amounts).
HISTORY = """
INSERT INTO benefits_pensionpayment (pension_id, period, amount, arrears, state, issued_in, reference, created_at)
SELECT s.pension_id, m::date, s.step_amount, false, 'paid', m::date, '', now()
FROM benefits_pensionschedule s
CROSS JOIN generate_series(%(through)s::date - interval '5 months', %(through)s::date, interval '1 month') m
WHERE m >= s.first_period;
"""

# Between runs: the payroll's month undone (its partition dropped, so that each run loads the month
# afresh as a real payroll's first run does), steps after the month before removed.
UNDO = """
DROP TABLE IF EXISTS benefits_pensionpayment_p202611;
DELETE FROM benefits_pensionpayment WHERE issued_in = %(period)s;
DELETE FROM benefits_pensionstep WHERE start > %(through)s;
UPDATE benefits_pensionschedule p SET paid_through = %(through)s, step_start = s.start, step_amount = s.amount
FROM (SELECT DISTINCT ON (pension_id) pension_id, start, amount FROM benefits_pensionstep
      ORDER BY pension_id, start DESC) s
WHERE s.pension_id = p.pension_id AND (p.paid_through > %(through)s OR p.step_start > %(through)s);
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pensions", type=int, default=3_000_000)
    parser.add_argument("--orm-sample", type=int, default=5_000)
    args = parser.parse_args()
    django_setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from paritrana.benefits.batch.payroll import STEPS, ensure_month, law_for, payroll_run
    from paritrana.benefits.models import Pension, PensionPayment, PensionSchedule, PensionStep
    from paritrana.benefits.rules.pension import Beneficiary, add_months, amount_in, months_due, schedule
    from paritrana.demo.synth.load import synth_run
    from paritrana.registry.models import Person

    call_command("migrate", verbosity=0)
    through = THROUGH
    have = Pension.objects.count()
    if have != args.pensions:
        print(f"making {args.pensions:,} pensions …", flush=True)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE benefits_pensionpayment, benefits_pensionstep, benefits_pension"
                " CASCADE;"
                " DELETE FROM benefits_claim WHERE benefit = 'JP_SURVIVOR' AND facts = '{}'"
            )
        person = Person.objects.order_by("id").first()
        if person is None:  # a new database: a few synthetic persons to hang the claims on
            synth_run(persons=1000, seed=2021, provinces=["64"])
            person = Person.objects.order_by("id").first()
        assert person is not None
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(MAKE, {"n": args.pensions, "person": person.pk, "regency": person.regency_id,
                                  "through": THROUGH})  # fmt: skip
            # Every anniversary up to October 2026 indexed, as a payroll run every month leaves it.
            law = law_for(THROUGH)
            while True:
                cursor.execute(STEPS["index"], law)
                if cursor.rowcount <= 0:
                    break
            for back in range(6):  # the history's months have their partitions, as the payroll leaves them
                ensure_month(cursor, add_months(THROUGH, -back))
            cursor.execute(HISTORY, {"through": THROUGH})
        with connection.cursor() as cursor:
            # Rewritten at its fillfactor: making passed every schedule through up to ten anniversaries in
            # a row, leaving the table three times its size; a payroll run month after month (with
            # autovacuum between) keeps each page half full, room for the month's new row versions.
            cursor.execute("VACUUM FULL ANALYZE benefits_pensionschedule")
            cursor.execute("VACUUM ANALYZE benefits_pension")
            cursor.execute("VACUUM ANALYZE benefits_pensionstep")
            cursor.execute("VACUUM ANALYZE benefits_pensionpayment")
            cursor.execute("VACUUM ANALYZE benefits_claim")
        print(f"  made in {time.perf_counter() - started:.0f} s", flush=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(UNDO, {"period": PERIOD, "through": through})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE benefits_pensionschedule")

    # 1. The ORM loop on a sample, paying November 2026.
    law = law_for(PERIOD)
    rates = dict(zip(law["months"], law["rates"], strict=True))
    bounds = {y: (lo, hi) for y, lo, hi in zip(law["years"], law["mins"], law["maxs"], strict=True)}
    sample = list(Pension.objects.order_by("?").values_list("id", flat=True)[: args.orm_sample])
    started = time.perf_counter()
    paid = 0
    for pension_id in sample:
        with transaction.atomic():
            pension = Pension.objects.select_for_update().get(pk=pension_id)
            plan = PensionSchedule.objects.select_for_update().get(pk=pension_id)
            b = Beneficiary(pension.kind, plan.first_period, pension.ended_on, pension.birth_date, plan.confirmed_on)
            due = months_due(b, paid_through=plan.paid_through, period=PERIOD,
                             child_max_age=law["child_max_age"], proof_months=law["proof_months"])  # fmt: skip
            if not due:
                continue
            steps = schedule(pension.base_amount, plan.first_period, due[-1], rates.get)
            have_steps = set(PensionStep.objects.filter(pension=pension).values_list("start", flat=True))
            for step in steps:
                if step.start not in have_steps:
                    PensionStep.objects.create(pension=pension, start=step.start, amount=step.amount, rate=step.rate)
            for month in due:
                PensionPayment.objects.create(pension=pension, period=month, amount=amount_in(steps, month,
                                              bounds[month.year]), arrears=month < PERIOD,
                                              issued_in=PERIOD)  # fmt: skip
                paid += 1
            plan.paid_through = due[-1]
            plan.step_start, plan.step_amount = steps[-1].start, steps[-1].amount
            plan.save(update_fields=["paid_through", "step_start", "step_amount"])
    orm_seconds = time.perf_counter() - started
    per_pension = orm_seconds / len(sample)

    # 2. The payroll for November 2026 over every other pension. A checkpoint first: the undo above
    # rewrote every schedule row, and a real payroll, a month after the last, writes each page's full
    # image into the WAL again on its first change after a checkpoint; so does this one.
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
    result = payroll_run(period=PERIOD)
    sql_seconds = result["seconds"]
    scaled = per_pension * args.pensions
    print(json.dumps(result))
    print(f"\n{args.pensions:,} pensions; {platform.machine()}, {os.cpu_count()} cores")
    print(f"payroll.sql (one month, every pension): {sql_seconds:8.1f} s  ({result['payments']:,} payments,"
          f" {result['indexed']:,} anniversaries indexed)")  # fmt: skip
    print(f"ORM loop: {len(sample):,} pensions in {orm_seconds:.1f} s ({paid:,} payments) ="
          f" {per_pension * 1000:.2f} ms a pension; scaled to {args.pensions:,}: {scaled:,.0f} s")  # fmt: skip
    print(f"ratio: {scaled / sql_seconds:.1f}x  (goal: payroll <= 30 s and >= 10x)")


if __name__ == "__main__":
    main()
