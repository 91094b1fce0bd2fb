"""Benchmark: monthly billing in set-based SQL against a Django ORM loop (``iterator()`` + ``bulk_create``).

Same database, same rules, same run:
  1. the ORM loop bills the first 100,000 memberships (Python rules per membership, bulk_create of
     bills and lines), then its rows are removed;
  2. ``billing_run`` bills the same 100,000 memberships (``max_membership_id``);
  3. ``billing_run`` bills every active membership of a month (target: 1,000,000 in ≤ 10 s).

Both paths produce the same rows (checked). Run: ``.venv/bin/python bench/bench_billing.py
[--persons N] [--period YYYY-MM] [--sample N]``; it synthesises the population in its own database
``paritrana_bench`` when there are fewer persons than asked.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _setup import django_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("PARITRANA_DB_NAME", "paritrana_bench")
os.environ.setdefault("PARITRANA_LOG_LEVEL", "WARNING")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--sample", type=int, default=100_000)
    parser.add_argument("--no-baseline", action="store_true", help="only the full month (e.g. for 10,000,000)")
    args = parser.parse_args()

    django_setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from paritrana.contributions.batch.billing import billing_run
    from paritrana.contributions.batch.partitions import ensure_partition
    from paritrana.contributions.models import Bill, ContributionLine
    from paritrana.contributions.rules.contribution import (
        BILLING_COLUMNS,
        ContributionInput,
        billing_columns,
        bpu_billing_income,
        calculate,
        due_date,
    )
    from paritrana.contributions.services import Payer
    from paritrana.core.periods import Period
    from paritrana.demo.synth.load import synth_run
    from paritrana.law.selectors import parameters_on
    from paritrana.registry.models import Membership, Person

    call_command("migrate", verbosity=0)
    have = Person.objects.count()
    if have != args.persons:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE contributions_allocation, contributions_payment, contributions_contributionline,"
                " contributions_bill, registry_membership, registry_person, registry_sponsor, registry_employer,"
                " registry_changehistory RESTART IDENTITY CASCADE"
            )
        print(f"synthesising {args.persons:,} persons …", flush=True)
        synth_run(persons=args.persons, seed=1)

    def clear() -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE contributions_allocation, contributions_contributionline, contributions_bill")
            cursor.execute("VACUUM ANALYZE contributions_bill")

    month_ = Period.parse(args.period)
    year, month = month_.year, month_.month
    first, last = f"{month_.first_day:%Y-%m-%d}", month_.last_day
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM registry_membership ORDER BY id OFFSET %s LIMIT 1", [args.sample - 1])
        max_id = cursor.fetchone()[0]

    def orm_loop() -> int:
        params = parameters_on(last)
        due = {s: due_date(s, year, month, params, frozenset()) for s in ("PU", "BPU", "JAKON", "PMI")}
        memberships = (
            Membership.objects.filter(id__lte=max_id, valid_from__lte=last)
            .exclude(valid_until__lt=first)
            .select_related("employer", "sponsor", "person")
            .order_by("id")
        )
        lines: list[tuple[Membership, dict[str, Decimal], tuple[str, int]]] = []
        bills: dict[tuple[str, int], dict[str, object]] = {}
        totals: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for m in memberships.iterator(chunk_size=5_000):
            segment = m.segment
            if (segment in ("PU", "JAKON") and m.wage is None) or (segment == "BPU" and m.declared_income is None):
                continue
            if segment == "PMI" and not (str(m.valid_from) >= first):
                continue
            income = bpu_billing_income(m.declared_income, params) if segment == "BPU" else None
            data = ContributionInput(
                segment=segment,
                year=year,
                month=month,
                wage=m.wage if segment in ("PU", "JAKON") else None,
                jkk_risk_group=m.employer.jkk_risk_group if m.employer else 1,
                declared_income=income,
                include_jht="JHT" in m.programmes,
                contract_months=24,
                relief_eligible=bool(m.employer and m.employer.jkk_relief_eligible),
                programmes=tuple(m.programmes),
            )
            cols = billing_columns(calculate(data, params))
            if m.sponsor_id:
                payer, region = ("sponsor", m.sponsor_id), m.sponsor.regency_id or m.sponsor.region_id
            elif m.employer_id:
                payer, region = ("employer", m.employer_id), m.employer.regency_id
            else:
                payer, region = ("person", m.person_id), m.person.regency_id
            bill = bills.setdefault(payer, {"region": region, "due": due[segment], "lines": 0})
            if due[segment] is not None and (bill["due"] is None or due[segment] < bill["due"]):
                bill["due"] = due[segment]
            bill["lines"] = int(bill["lines"]) + 1
            employer = cols["jkk_employer"] + cols["jkm_employer"] + cols["jht_employer"] + cols["jp_employer"]
            worker = (
                cols["jkk_worker"]
                + cols["jkm_worker"]
                + cols["jht_worker"]
                + cols["jp_worker"]
                + cols["package_worker"]
            )
            t = totals[payer]
            t["employer"] += employer
            t["worker"] += worker
            t["government"] += cols["jkp_government"]
            t["deferred"] += cols["jp_deferred"]
            lines.append((m, {**cols, "employer_total": employer, "worker_total": worker}, payer))
        with transaction.atomic():
            with connection.cursor() as cursor:
                ensure_partition(cursor.cursor, date.fromisoformat(first))
            created = Bill.objects.bulk_create(
                [
                    Bill(
                        **{f"{kind}_id": pid},
                        payer_key=Payer(kind, pid).key,
                        period=first,
                        due_date=info["due"],
                        region_id=info["region"],
                        lines=info["lines"],
                        employer_amount=totals[(kind, pid)]["employer"],
                        worker_amount=totals[(kind, pid)]["worker"],
                        government_amount=totals[(kind, pid)]["government"],
                        deferred_amount=totals[(kind, pid)]["deferred"],
                        amount_due=totals[(kind, pid)]["employer"] + totals[(kind, pid)]["worker"],
                    )
                    for (kind, pid), info in bills.items()
                ],
                batch_size=2_000,
            )
            bill_ids = {key: bill.pk for key, bill in zip(bills, created, strict=True)}
            ContributionLine.objects.bulk_create(
                [
                    ContributionLine(
                        membership_id=m.pk,
                        person_id=m.person_id,
                        period=first,
                        bill_id=bill_ids[payer],
                        segment=m.segment,
                        base=(
                            m.wage
                            if m.segment in ("PU", "JAKON")
                            else bpu_billing_income(m.declared_income, parameters)
                            if m.segment == "BPU"
                            else None
                        ),
                        **{k: v for k, v in cols.items() if k in BILLING_COLUMNS or k.endswith("_total")},
                    )
                    for m, cols, payer in lines
                ],
                batch_size=2_000,
            )
        return len(lines)

    parameters = parameters_on(last)
    results: dict[str, object] = {
        "machine": f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "period": args.period,
        "sample": args.sample,
    }

    def full_month(goal: str) -> tuple[Any, float]:
        clear()
        t = time.perf_counter()
        report = billing_run(args.period)
        seconds = time.perf_counter() - t
        print(
            f"billing (SQL)  {report.lines:,} lines, {report.bills_touched:,} bills: {seconds:.2f} s{goal}"
            f" steps={json.dumps(report.as_dict()['steps'])}",
            flush=True,
        )
        return report, seconds

    if args.no_baseline:
        full_month("")
        return
    clear()
    t = time.perf_counter()
    orm_lines = orm_loop()
    orm_s = time.perf_counter() - t
    orm_rows = sorted(
        ContributionLine.objects.values_list("membership_id", "employer_total", "worker_total", "jkp_government")
    )
    print(f"ORM loop       {orm_lines:,} lines: {orm_s:.2f} s", flush=True)
    clear()
    t = time.perf_counter()
    sample = billing_run(args.period, max_membership_id=max_id)
    sql_s = time.perf_counter() - t
    sql_rows = sorted(
        ContributionLine.objects.values_list("membership_id", "employer_total", "worker_total", "jkp_government")
    )
    assert sample.lines == orm_lines and sql_rows == orm_rows, "the two paths billed different amounts"
    print(f"billing (SQL)  {sample.lines:,} lines: {sql_s:.2f} s", flush=True)
    print(f"ratio ORM / SQL = {orm_s / sql_s:.1f}x (goal ≥ 6x)", flush=True)
    results.update({"orm_s": round(orm_s, 2), "sql_sample_s": round(sql_s, 2), "ratio": round(orm_s / sql_s, 1)})

    full, full_s = full_month(" (goal ≤ 10 s for 1,000,000)")
    results.update({"full_lines": full.lines, "full_bills": full.bills_touched, "full_s": round(full_s, 2)})
    t = time.perf_counter()
    again = billing_run(args.period)
    print(f"billing again (idempotent): {again.lines} lines added, {time.perf_counter() - t:.2f} s", flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
