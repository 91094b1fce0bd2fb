"""Benchmark: ``paritrana synth`` (COPY + INSERT … SELECT) against Django ``bulk_create``.

Same generator, same seed, same rows, same database, same run:
  1. 100,000 persons with their memberships through ``synth_run`` (COPY, set-based);
  2. the same 100,000 persons and memberships through ``Model.objects.bulk_create``;
  3. 1,000,000 persons with their memberships through ``synth_run`` (target ≤ 60 s).

Run: ``make bench`` (or ``.venv/bin/python bench/bench_synth.py [--large N] [--sample N]``).
Uses its own database ``paritrana_bench`` on the embedded server (or DATABASE_URL's server).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _setup import django_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("PARITRANA_DB_NAME", "paritrana_bench")
os.environ.setdefault("PARITRANA_LOG_LEVEL", "WARNING")

RESET_SQL = """
TRUNCATE registry_membership, registry_person, registry_sponsor, registry_employer, registry_changehistory,
  core_batchrun RESTART IDENTITY CASCADE;
ALTER SEQUENCE registry_kpj_seq RESTART; ALTER SEQUENCE registry_npp_seq RESTART;
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    django_setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from paritrana.demo.synth.generate import Generator
    from paritrana.demo.synth.load import load_geography, synth_run
    from paritrana.registry.models import Employer, Membership, Person, Sponsor

    call_command("migrate", verbosity=0)

    def reset() -> None:
        with connection.cursor() as cursor:
            cursor.execute(RESET_SQL)
            cursor.execute("VACUUM ANALYZE registry_person")

    def bulk_create_run(n: int) -> tuple[int, int]:
        geo = load_geography()
        gen = Generator(geo, seed=args.seed)
        pop = gen.organisations(n)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval('registry_npp_seq') FROM generate_series(1, %s)", [len(pop.employers)])
                for row, (npp,) in zip(pop.employers, cursor.fetchall(), strict=True):
                    row.npp = f"{npp:08d}"
            employers = Employer.objects.bulk_create(
                [
                    Employer(
                        npp=e.npp,
                        name=e.name,
                        kind=e.kind,
                        scale=e.scale,
                        sector=e.sector,
                        jkk_risk_group=e.risk,
                        regency_id=e.regency,
                        province_id=e.regency[:2],
                    )
                    for e in pop.employers
                ],
                batch_size=2000,
            )
            sponsors = Sponsor.objects.bulk_create(
                [
                    Sponsor(
                        code=s.code,
                        name=s.name,
                        kind=s.kind,
                        region_id=s.region,
                        regency_id=s.regency,
                        province_id=s.region[:2],
                    )
                    for s in pop.sponsors
                ],
                batch_size=2000,
            )
            employer_ids = {e.npp: e.pk for e in employers}
            sponsor_ids = {s.code: s.pk for s in sponsors}
            people, memberships = [], []
            for p, ms in gen.people(n):
                people.append(
                    Person(
                        nik=p.nik,
                        full_name=p.full_name,
                        title_prefix=p.title_prefix,
                        title_suffix=p.title_suffix,
                        birth_date=p.birth_date,
                        sex=p.sex,
                        disability=p.disability,
                        disability_kind=p.disability_kind,
                        phone=p.phone,
                        address=p.address,
                        village_id=p.village,
                        regency_id=p.village[:5],
                        province_id=p.village[:2],
                    )
                )
                memberships.append(ms)
            Person.objects.bulk_create(people, batch_size=2000)
            rows = []
            with connection.cursor() as cursor:
                total = sum(len(ms) for ms in memberships)
                cursor.execute(
                    "SELECT registry_kpj_from_serial(nextval('registry_kpj_seq')) FROM generate_series(1, %s)", [total]
                )
                kpjs = iter(r[0] for r in cursor.fetchall())
            for person, ms in zip(people, memberships, strict=True):
                for m in ms:
                    rows.append(
                        Membership(
                            kpj=next(kpjs),
                            person_id=person.pk,
                            employer_id=employer_ids.get(m.employer_npp) if m.employer_npp else None,
                            sponsor_id=sponsor_ids.get(m.sponsor_code) if m.sponsor_code else None,
                            segment=m.segment,
                            tags=m.tags,
                            programmes=m.programmes,
                            wage=m.wage,
                            declared_income=m.declared_income,
                            valid_from=m.valid_from,
                            valid_until=m.valid_until,
                            status=m.status,
                            regency_id=m.regency,
                        )
                    )
            Membership.objects.bulk_create(rows, batch_size=2000)
        return len(people), len(rows)

    results: dict[str, object] = {
        "machine": f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "sample": args.sample,
        "large": args.large,
    }
    reset()
    t = time.perf_counter()
    report = synth_run(persons=args.sample, seed=args.seed)
    copy_s = time.perf_counter() - t
    print(f"synth (COPY)  {args.sample:,} persons, {report.memberships:,} memberships: {copy_s:.2f} s", flush=True)

    reset()
    t = time.perf_counter()
    persons, memberships = bulk_create_run(args.sample)
    bulk_s = time.perf_counter() - t
    print(f"bulk_create   {persons:,} persons, {memberships:,} memberships: {bulk_s:.2f} s", flush=True)
    assert persons == report.persons and memberships == report.memberships, "the two paths wrote different rows"
    print(f"ratio bulk_create / synth = {bulk_s / copy_s:.1f}x (goal ≥ 10x)", flush=True)
    results.update(
        {
            "synth_sample_s": round(copy_s, 2),
            "bulk_create_sample_s": round(bulk_s, 2),
            "ratio": round(bulk_s / copy_s, 1),
            "sample_memberships": memberships,
        }
    )

    if args.large:
        reset()
        t = time.perf_counter()
        large = synth_run(persons=args.large, seed=args.seed)
        large_s = time.perf_counter() - t
        print(
            f"synth (COPY)  {args.large:,} persons, {large.memberships:,} memberships: {large_s:.2f} s "
            f"(goal ≤ 60 s) steps={json.dumps(large.as_dict()['steps'])}",
            flush=True,
        )
        results.update(
            {
                "synth_large_s": round(large_s, 2),
                "large_memberships": large.memberships,
                "large_steps": large.as_dict()["steps"],
            }
        )
    reset()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
