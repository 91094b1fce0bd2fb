"""Benchmark: a BSU round's eligibility over the registry, set-based, against a per-person ORM path.

Same database, same round (BSU 2025: active on 30 April 2025, PU, wage at most Rp3,500,000, PKH
list excluded), same run:
  1. Paritrana: ``services.round_compute`` (batch/eligibility.sql) over every person with a
     membership valid on the reference date; then one BRI batch of every eligible person and the
     bank's results (all paid) imported back;
  2. per-person ORM: each person's memberships, the month's contribution line and bill, employer and
     exclusion-list entry read with the ORM and decided with ``rules.rounds.unmet_conditions``, one
     ``Decision`` saved per person, as a loop over persons would (``--orm-sample`` persons, timed, the
     rate scaled to all and said so).

The registry is synthesised when the database holds fewer persons (untimed), April 2025 is billed by
``billing_run`` and six bills in seven marked paid (untimed), and a PKH list of 5 % of the registry
plus 10,000 NIKs not in it is loaded (untimed).

Run: ``.venv/bin/python bench/bench_subsidies.py [--persons 1000000] [--orm-sample 5000]``
(its own database ``paritrana_bench_bsu``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from paritrana.core.actors import system_actor

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _setup import django_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("PARITRANA_DB_NAME", "paritrana_bench_bsu")
os.environ.setdefault("PARITRANA_LOG_LEVEL", "WARNING")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--orm-sample", type=int, default=5_000)
    args = parser.parse_args()
    django_setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from paritrana.contributions.batch.billing import billing_run
    from paritrana.demo.synth.load import synth_run
    from paritrana.registry.models import Membership, Person
    from paritrana.subsidies import selectors, services
    from paritrana.subsidies.models import Decision, ExclusionList, Payment, Round
    from paritrana.subsidies.rules.rounds import Facts, unmet_conditions

    call_command("migrate", verbosity=0)
    if Person.objects.count() < args.persons:
        print(f"synthesising {args.persons:,} persons …", flush=True)
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE subsidies_payment, subsidies_batch, subsidies_decision, subsidies_exclusion_entry,"
                " subsidies_exclusion_list, contributions_allocation, contributions_payment,"
                " contributions_contributionline, contributions_bill, registry_membership, registry_person,"
                " registry_sponsor, registry_employer, registry_changehistory RESTART IDENTITY CASCADE"
            )
        synth_run(persons=args.persons, seed=1)
    registry = Person.objects.count()
    code = "BSU-2025"
    round_ = Round.objects.get(code=code)
    on = round_.active_on
    month = on.replace(day=1)

    # Untimed set-up: April 2025 billed and mostly paid; the round reopened; a PKH list loaded.
    billing_run(month.strftime("%Y-%m"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE contributions_bill SET status = 'paid' WHERE period = %s AND id %% 7 <> 0", (month,))
        cursor.execute("DELETE FROM subsidies_payment WHERE round_id = %s", (round_.pk,))
        cursor.execute("DELETE FROM subsidies_batch WHERE round_id = %s", (round_.pk,))
        cursor.execute("DELETE FROM subsidies_decision WHERE round_id = %s", (round_.pk,))
    ExclusionList.objects.filter(round=round_).delete()
    Round.objects.filter(pk=round_.pk).update(status="draft", approved_by=None, approved_at=None, counts={})
    niks = list(Person.objects.filter(id__lte=registry).order_by("id").values_list("nik", flat=True)[::20])
    outside = [f"99{n:014d}" for n in range(10_000)]
    listed = services.exclusion_import(
        actor=system_actor(),
        code=code,
        kind="pkh",
        content=("NIK\n" + "\n".join(niks + outside)).encode(),
        file_name="pkh-2025.csv",
        channel="cli",
    )

    # 1. Paritrana, set-based.
    started = time.perf_counter()
    computed = services.round_compute(actor=system_actor(), code=code, channel="cli")
    compute_seconds = time.perf_counter() - started
    Round.objects.filter(pk=round_.pk).update(status="approved")
    started = time.perf_counter()
    batch = services.batch_create(actor=system_actor(), code=code, channel_code="BRI", channel="cli")
    batch_seconds = time.perf_counter() - started
    _, rows = selectors.batch_file_rows(actor=system_actor(), code=code, number=batch.number, channel="cli")
    results = "reference,status\n" + "".join(f"{r[0]},paid\n" for r in rows[1:])
    started = time.perf_counter()
    imported = services.results_import(
        actor=system_actor(), content=results.encode(), file_name="bri.csv", channel="cli"
    )
    results_seconds = time.perf_counter() - started
    assert imported["updated"] == batch.payments == computed.counts["eligible"], imported["updated"]

    # 2. Per-person ORM path on a sample, into a scratch round so the real decisions stay.
    terms = services.terms_of(round_)
    pkh = set(niks)
    scratch, _ = Round.objects.update_or_create(
        code="BENCH-ORM",
        defaults={
            "name": "bench",
            "legal_basis": round_.legal_basis,
            "monthly_amount": round_.monthly_amount,
            "months": round_.months,
            "active_on": on,
            "wage_ceiling": round_.wage_ceiling,
            "segments": round_.segments,
            "channels": round_.channels,
        },
    )
    Decision.objects.filter(round=scratch).delete()
    sample = list(
        Membership.objects.filter(valid_from__lte=on)
        .exclude(valid_until__lt=on)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()[: args.orm_sample]
    )
    from paritrana.contributions.models import ContributionLine

    started = time.perf_counter()
    agree = 0
    for person_id in sample:
        with transaction.atomic():
            person = Person.objects.get(pk=person_id)
            valid = [
                m
                for m in Membership.objects.filter(person_id=person_id).select_related("employer")
                if m.valid_from <= on and (m.valid_until is None or m.valid_until >= on)
            ]
            covered = [m for m in valid if m.segment in terms.segments]
            wages: list[Decimal] = []
            paid = False
            for m in covered:
                line = ContributionLine.objects.filter(membership=m, period=month).select_related("bill").first()
                base = line.base if line and line.base is not None else m.wage
                if base is not None:
                    wages.append(base)
                paid = paid or line is None or line.bill.status == "paid"
            best = max(covered, key=lambda m: (m.wage or Decimal(-1), -m.id)) if covered else None
            facts = Facts(
                segments=tuple(m.segment for m in valid),
                wage=sum(wages, Decimal(0)) if wages else None,
                month_paid_or_unbilled=paid,
                regency=best.regency_id if best else None,
                sector=best.employer.sector if best and best.employer else None,
                employer_kind=best.employer.kind if best and best.employer else None,
                listed=("pkh",) if person.nik in pkh else (),
            )
            reasons = unmet_conditions(terms=terms, facts=facts)
            Decision.objects.create(
                round=scratch,
                person=person,
                membership=best,
                regency_id=best.regency_id if best else None,
                wage=facts.wage,
                eligible=not reasons,
                reasons=reasons,
            )
            agree += reasons == Decision.objects.get(round=round_, person_id=person_id).reasons
    orm = time.perf_counter() - started
    decided = computed.counts["decided"]
    scaled = orm * decided / len(sample)
    Decision.objects.filter(round=scratch).delete()
    result: dict[str, Any] = {
        "registry_persons": registry,
        "round": code,
        "decided": decided,
        "eligible": computed.counts["eligible"],
        "reasons": computed.counts["reasons"],
        "pkh_list": {"rows": listed.rows, "in_registry": listed.in_registry},
        "paritrana": {
            "eligibility_seconds": round(compute_seconds, 2),
            "steps": computed.counts["steps"],
            "batch_seconds": round(batch_seconds, 2),
            "batch_payments": batch.payments,
            "results_import_seconds": round(results_seconds, 2),
            "payments_paid": Payment.objects.filter(round=round_, status="paid").count(),
        },
        "orm_per_person": {
            "sample": len(sample),
            "sample_seconds": round(orm, 2),
            "agree_with_sql": agree,
            "scaled_seconds": round(scaled, 1),
        },
        "ratio_orm_per_person": round(scaled / compute_seconds, 1),
        "machine": f"{platform.node()} {os.cpu_count()} CPU, Python {platform.python_version()}",
        "date": date.today().isoformat(),
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
