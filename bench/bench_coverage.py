"""Benchmark: coverage dashboards from the monthly rollup against the same page from raw tables.

Same database, same month, same run:
  1. the month's rollup (``coverage.batch.rollup.refresh_month``) timed (goal ≤ 60 s);
  2. the national dashboard ``/cakupan/`` served from the rollup, ``--requests`` times, server time
     p50 / p95 (goal p95 ≤ 50 ms);
  3. the same page computed from the raw tables (contribution lines ⨝ bills ⨝ memberships ⨝
     persons, grouped per request, then the same template), ``--raw-requests`` times;
  the ratio of the two p95s (goal ≥ 20×). Both pages show the same numbers (checked).

The month is billed by ``billing_run`` if it is not yet, and most bills are then marked paid
directly (one payer in seven left unpaid; untimed, a benchmark shortcut for the bank statements).
Run: ``.venv/bin/python bench/bench_coverage.py [--persons 10000000] [--period 2026-10]`` in the
database ``paritrana_bench10m`` (synthesised when it holds fewer persons).
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
from typing import Any

from paritrana.core.actors import system_actor

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _setup import django_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("PARITRANA_DB_NAME", "paritrana_bench10m")
os.environ.setdefault("PARITRANA_LOG_LEVEL", "WARNING")

RAW_PROVINCES = """
WITH paid AS (
  SELECT DISTINCT ON (m.person_id, m.segment) m.person_id, m.regency_code
  FROM contributions_contributionline l
  JOIN contributions_bill b ON b.id = l.bill_id AND b.status = 'paid'
  JOIN registry_membership m ON m.id = l.membership_id
  WHERE l.period = %s
  ORDER BY m.person_id, m.segment, m.id
)
SELECT left(c.regency_code, 2), count(*), count(*) FILTER (WHERE p.sex = 'P'), count(*) FILTER (WHERE p.disability)
FROM paid c JOIN registry_person p ON p.id = c.person_id
GROUP BY 1
"""


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=10_000_000)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--raw-requests", type=int, default=3)
    args = parser.parse_args()
    django_setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import Client, RequestFactory

    from paritrana.accounts.services import user_provision
    from paritrana.contributions.batch.billing import billing_run
    from paritrana.contributions.models import Bill
    from paritrana.coverage import selectors, views
    from paritrana.coverage.batch.rollup import refresh_month
    from paritrana.coverage.rules.indicators import share
    from paritrana.demo.synth.load import synth_run
    from paritrana.registry.models import Person

    call_command("migrate", verbosity=0)
    if Person.objects.count() < args.persons:
        print(f"synthesising {args.persons:,} persons …", flush=True)
        synth_run(persons=args.persons, seed=1)
    year, month = (int(x) for x in args.period.split("-"))
    period = date(year, month, 1)
    result: dict[str, Any] = {"persons": Person.objects.count(), "period": args.period}
    if not Bill.objects.filter(period=period).exists():
        started = time.perf_counter()
        report = billing_run(args.period)
        result["billing_seconds"] = round(time.perf_counter() - started, 2)
        result["billing"] = report.as_dict() if hasattr(report, "as_dict") else str(report)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE contributions_bill SET status = 'paid', paid_amount = amount_due"
                " WHERE period = %s AND id %% 7 <> 0",
                (period,),
            )
            cursor.execute("ANALYZE contributions_bill")
        print("billed and paid", flush=True)

    started = time.perf_counter()
    rollup = refresh_month(period)
    result["rollup_seconds"] = round(time.perf_counter() - started, 2)
    result["rollup"] = rollup

    user = User.objects.filter(username="bench.admin").first() or user_provision(
        actor=system_actor(), username="bench.admin", password=os.urandom(12).hex(), role="national_admin"
    )
    client = Client(SERVER_NAME="localhost")  # the development settings serve 127.0.0.1 and localhost only
    client.force_login(user)
    url = f"/cakupan/?bulan={args.period}"
    client.get(url)  # warm
    ours = []
    for _ in range(args.requests):
        t = time.perf_counter()
        response = client.get(url)
        ours.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    page_from_rollup = response.content.decode()
    # The other pages users open from it, also from the rollups: a province and the money page.
    others: dict[str, list[float]] = {}
    for name, other in (("province_64", f"/cakupan/64/?bulan={args.period}"),
                        ("finance_national", f"/cakupan/keuangan/?bulan={args.period}")):  # fmt: skip
        client.get(other)
        times = []
        for _ in range(args.requests):
            t = time.perf_counter()
            assert client.get(other).status_code == 200
            times.append((time.perf_counter() - t) * 1000)
        others[name] = times

    # The same page from raw tables: the province rows counted per request, then the same template.
    request = RequestFactory().get(url)
    request.user = user
    raw = []
    for _ in range(args.raw_requests):
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(RAW_PROVINCES, (period,))
            sums = {code: (a, w, d) for code, a, w, d in cursor.fetchall()}
        rows = selectors.province_table(user=user, period=period)  # names and denominators only
        for row in rows:
            active, women, disabled = sums.get(row["code"], (0, 0, 0))
            row.update(
                active=active,
                women=women,
                women_share=share(women, active),
                disability=disabled,
                coverage=share(active, row["denominator"]["value"]) if row["denominator"] else None,
            )
        html = render_to_string(
            "coverage/national.html", {**views._choices(request), "rows": rows, "tiles": []}, request
        )
        raw.append((time.perf_counter() - t) * 1000)
        assert html
    check = {r["code"]: r["active"] for r in rows}
    from_rollup = {r["code"]: r["active"] for r in selectors.province_table(user=user, period=period)}
    assert check == from_rollup, "the raw page and the rollup page disagree"

    result.update(
        {
            "dashboard_ms": {"p50": round(_p(ours, 0.5), 1), "p95": round(_p(ours, 0.95), 1), "n": len(ours)},
            "other_pages_ms": {
                name: {"p50": round(_p(t, 0.5), 1), "p95": round(_p(t, 0.95), 1), "n": len(t)}
                for name, t in others.items()
            },
            "raw_ms": {"p50": round(_p(raw, 0.5), 1), "p95": round(_p(raw, 0.95), 1), "n": len(raw)},
            "ratio_p95": round(_p(raw, 0.95) / _p(ours, 0.95), 1),
            "national_active": sum(from_rollup.values()),
            "page_bytes": len(page_from_rollup),
            "machine": f"vm {os.cpu_count()} CPU, Python {platform.python_version()}",
            "date": date.today().isoformat(),
        }
    )
    print(json.dumps(result, indent=1, default=str))


if __name__ == "__main__":
    main()
