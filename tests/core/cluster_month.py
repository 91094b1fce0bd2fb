"""A month of Paritrana's set-based jobs on the database ``DATABASE_URL`` names, for the differential
test of one PostgreSQL against a Citus cluster (tests/core/test_cluster_month.py, issue 32 §3).

Run as a script, once per database: ``python tests/core/cluster_month.py [--cluster] --persons N``.
It migrates (distributing the schema with ``--cluster``), generates the synthetic population, bills
two months, pays most bills by bank statement (payment allocation and the JHT credit it makes),
rolls coverage up, decides a wage-subsidy round and computes the award's indicators (every region
and every employer); it prints the award's values as JSON (they are computed, not stored).
Everything else the test reads from the database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

MONTHS = (date(2025, 3, 1), date(2025, 4, 1))
# One payer in this many leaves its bill unpaid (their participants are not active for the month).
UNPAID_ONE_IN = 7


def pay_by_statement(period: date) -> None:
    """Most open bills of the month paid in full on the 10th, by a bank statement naming each payer as
    a bank would (NPP, sponsor code, or the participant's KPJ)."""
    from django.db import connection

    from paritrana.contributions.services import payment_import_statement
    from paritrana.core.actors import system_actor

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT b.payer_key, coalesce(e.npp, s.code, k.kpj), b.amount_due - b.paid_amount
            FROM contributions_bill b
            LEFT JOIN registry_employer e ON e.id = b.employer_id
            LEFT JOIN registry_sponsor s ON s.id = b.sponsor_id
            LEFT JOIN (SELECT DISTINCT ON (person_id) person_id, kpj FROM registry_membership
                       ORDER BY person_id, id) k ON k.person_id = b.person_id
            WHERE b.period = %s AND b.amount_due > b.paid_amount
            """,
            (period,),
        )
        # Ordered here by the payer, not by the bill's id: the two databases number bills alike only
        # if billing draws the sequence in the same order, which is not what is being tested.
        open_bills = sorted(cursor.fetchall())
    rows = ["tanggal,referensi,kode_pembayar,jumlah"] + [
        f"10/{period:%m/%Y},STMT-{period:%Y%m}-{key},{code},{int(amount)}"
        for key, code, amount in open_bills
        if key % UNPAID_ONE_IN
    ]
    report = payment_import_statement(actor=system_actor(), content="\n".join(rows) + "\n")
    assert not report.errors, report.errors[:3]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cluster", action="store_true")
    parser.add_argument("--persons", type=int, default=3000)
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from paritrana.award.batch.indicators import employer_values, region_values
    from paritrana.contributions.batch.billing import billing_run
    from paritrana.core.actors import system_actor
    from paritrana.coverage.batch.rollup import refresh_month
    from paritrana.demo.synth.load import synth_run
    from paritrana.registry.models import Employer
    from paritrana.subsidies.services import round_compute

    laps: dict[str, float] = {}

    def lap(name: str, started: float) -> None:
        laps[name] = round(laps.get(name, 0) + time.perf_counter() - started, 2)

    t = time.perf_counter()
    # Four shards a table: the cluster is a cluster all the same (two workers, shards on each), and
    # each multi-shard statement fans out to 4 shards rather than Citus's default 32, which on two
    # cores makes a row-by-row bank statement several times slower without changing any result.
    call_command("migrate", cluster=options.cluster, shards=4 if options.cluster else None, verbosity=0)
    lap("migrate", t)
    t = time.perf_counter()
    synth_run(persons=options.persons, seed=32)
    lap("population", t)
    for period in MONTHS:
        t = time.perf_counter()
        billing_run(f"{period:%Y-%m}")
        lap("billing", t)
        t = time.perf_counter()
        pay_by_statement(period)
        lap("payments", t)
        t = time.perf_counter()
        refresh_month(period)
        lap("rollup", t)
    t = time.perf_counter()
    round_compute(actor=system_actor(), code="BSU-2025")
    lap("subsidy_round", t)
    t = time.perf_counter()
    award = region_values(MONTHS[0], date(2025, 4, 30), 2025)
    employers = list(Employer.objects.order_by("id").values_list("id", flat=True))
    for employer, (values, exclusion) in employer_values(employers, MONTHS[0], date(2025, 4, 30)).items():
        award[f"employer {employer}"] = {**values, "exclusion": exclusion}
    lap("award", t)
    sys.stderr.write(json.dumps({"seconds": laps}) + "\n")
    print(json.dumps({code: {k: str(v) for k, v in values.items()} for code, values in sorted(award.items())}))


if __name__ == "__main__":
    main()
