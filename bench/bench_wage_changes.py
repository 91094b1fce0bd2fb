"""Benchmark: what the wage in force (issue 27 §3, ``registry_wagechange`` joined in billing.sql) costs
a month's billing, side by side in one run on one database:

  1. the billing SQL as it was before wage changes (``m.wage`` only), a full month;
  2. the billing SQL of today with no wage change recorded;
  3. the billing SQL of today with a change recorded after the month for ``--share`` of the wage
     earners (the worst case: every such line takes the wage the change replaced).

Each run bills the same month from empty. Run: ``.venv/bin/python bench/bench_wage_changes.py
[--persons N] [--period YYYY-MM] [--share 0.1] [--repeats 3]``; it uses (and when needed synthesises)
the population of ``paritrana_bench`` like bench_billing.py.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _setup import django_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("PARITRANA_DB_NAME", "paritrana_bench")
os.environ.setdefault("PARITRANA_LOG_LEVEL", "WARNING")

# The join as billing.sql has it, and what it replaced (the wage column read as it stands).
NEW_SELECT = "coalesce(w.previous_wage, m.wage) AS wage"
OLD_SELECT = "m.wage AS wage"
JOIN_START = "  LEFT JOIN (\n    SELECT DISTINCT ON (membership_id)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--share", type=float, default=0.1)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from paritrana.contributions.batch import billing
    from paritrana.core.periods import Period, shift_month
    from paritrana.demo.synth.load import synth_run
    from paritrana.registry.models import Person

    call_command("migrate", verbosity=0)
    if Person.objects.count() != args.persons:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE contributions_allocation, contributions_payment, contributions_contributionline,"
                " contributions_bill, registry_wagechange, registry_membership, registry_person, registry_sponsor,"
                " registry_employer, registry_changehistory RESTART IDENTITY CASCADE"
            )
        print(f"synthesising {args.persons:,} persons …", flush=True)
        synth_run(persons=args.persons, seed=1)

    new_sql = billing.SQL
    start = new_sql.index(JOIN_START)
    end = new_sql.index(") w ON w.membership_id = m.id\n", start) + len(") w ON w.membership_id = m.id\n")
    old_sql = new_sql[:start] + new_sql[end:]
    old_sql = old_sql.replace(NEW_SELECT, OLD_SELECT)
    assert "registry_wagechange" not in old_sql and OLD_SELECT in old_sql

    def clear() -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE contributions_allocation, contributions_contributionline, contributions_bill")

    def run(sql: str) -> tuple[float, int]:
        clear()
        billing.STEPS = billing._steps(sql)
        began = time.perf_counter()
        report = billing.billing_run(args.period)
        return time.perf_counter() - began, report.lines

    after = shift_month(Period.parse(args.period).first_day, 1)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE registry_wagechange")
    timings: dict[str, list[float]] = {"before": [], "no_changes": [], "changes": []}
    lines: dict[str, int] = {}
    for _ in range(args.repeats):
        for name, sql in (("before", old_sql), ("no_changes", new_sql)):
            seconds, lines[name] = run(sql)
            timings[name].append(seconds)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO registry_wagechange (membership_id, person_id, effective_from, wage, previous_wage, created_at)
            SELECT id, person_id, %s, wage * 1.1, wage, now() FROM registry_membership
            WHERE segment = 'PU' AND wage IS NOT NULL AND random() < %s
            """,
            [after, args.share],
        )
        changed = cursor.rowcount
        cursor.execute("ANALYZE registry_wagechange")
    for _ in range(args.repeats):
        seconds, lines["changes"] = run(new_sql)
        timings["changes"].append(seconds)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE registry_wagechange")
    clear()
    billing.STEPS = billing._steps(new_sql)

    median = {k: statistics.median(v) for k, v in timings.items()}
    print(f"machine: {platform.node()} {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"month {args.period}: {lines['before']:,} lines; wage changes after it: {changed:,}")
    for name, values in timings.items():
        print(f"  {name:<11} " + ", ".join(f"{v:.2f}" for v in values) + f" s (median {median[name]:.2f})")
    assert lines["before"] == lines["no_changes"] == lines["changes"]
    print(f"ratio today/before, no changes: {median['no_changes'] / median['before']:.2f}")
    print(f"ratio today/before, {changed:,} changes: {median['changes'] / median['before']:.2f}")


if __name__ == "__main__":
    main()
