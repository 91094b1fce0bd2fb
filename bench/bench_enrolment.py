"""Benchmark: bulk enrolment (COPY + set-based SQL) against Django ``bulk_create`` and a per-row ORM path.

Same database, same synthetic messy list (enrolment/synth.py, 30 % defective rows), same run:
  1. Paritrana: ``upload_create`` + ``upload_run`` (stage, validate, apply) of N rows;
  2. ``bulk_create``: the same rows read with ``csv``, checked in Python with the same rules
     (regions/rules/nik.parse_nik, split_titles, the region and registry looked up once into sets),
     persons and memberships written with ``bulk_create`` (batch 2,000), KPJ serials drawn in one query;
  3. per-row ORM: each row checked and written with its own queries and transaction, as a form
     would (``--orm-sample`` rows, timed, the rate scaled to N and said so).
Each path enrols into a fresh sponsor, so none finds the others' rows already enrolled.

Run: ``.venv/bin/python bench/bench_enrolment.py [--rows 100000] [--persons 200000] [--orm-sample 2000]``
(its own database ``paritrana_bench``; the registry is synthesised when it holds fewer persons).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import sys
import time
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from paritrana.core.actors import system_actor

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _setup import django_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("PARITRANA_DB_NAME", "paritrana_bench")
os.environ.setdefault("PARITRANA_LOG_LEVEL", "WARNING")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--orm-sample", type=int, default=2_000)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    django_setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from paritrana.demo.synth.load import load_geography, synth_run
    from paritrana.demo.synth.sponsor_lists import HEADERS, sponsor_list
    from paritrana.enrolment import services
    from paritrana.regions.models import Region
    from paritrana.regions.rules.nik import parse_nik
    from paritrana.regions.selectors import region_lookup
    from paritrana.registry.models import Membership, Person, Sponsor
    from paritrana.registry.rules.kpj import kpj_from_serial
    from paritrana.registry.rules.names import split_titles

    call_command("migrate", verbosity=0)
    if Person.objects.count() < args.persons:
        print(f"synthesising {args.persons:,} persons …", flush=True)
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE contributions_allocation, contributions_payment, contributions_contributionline,"
                " contributions_bill, registry_membership, registry_person, registry_sponsor, registry_employer,"
                " registry_changehistory RESTART IDENTITY CASCADE"
            )
        synth_run(persons=args.persons, seed=1)
    regency = "64.02"
    region = Region.objects.get(code=regency)
    stamp = int(time.time())

    def sponsor(tag: str) -> Sponsor:
        return Sponsor.objects.create(
            code=f"BENCH-{tag}-{stamp}",
            name=f"Bench {tag}",
            kind="apbd_regency",
            region=region,
            regency=region,
            province_id="64",
        )

    geo = load_geography(["64"])
    # Each path gets its own list (different NIK blocks), so no path enrols persons another created.
    lists = {
        name: sponsor_list(geo, rows=args.rows, regency=regency, seed=seed, first_block=block)
        for name, seed, block in (("paritrana", 41, 1_000), ("bulk_create", 42, 1_100), ("orm", 43, 1_200))
    }

    # Every run enrols new persons, as a first upload of a regency's list does: persons an earlier run
    # of this benchmark created from the same lists are removed first (not timed).
    nik_at = HEADERS.index("NIK")
    niks = [row[nik_at].strip() for listed in lists.values() for row in listed.rows]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_nik (nik text PRIMARY KEY) ON COMMIT DROP")
        with cursor.cursor.copy("COPY bench_nik FROM STDIN") as copy:
            for nik in set(niks):
                copy.write_row((nik,))
        cursor.execute(
            "DELETE FROM registry_membership m USING registry_person p, bench_nik b"
            " WHERE m.person_id = p.id AND p.nik = b.nik"
        )
        cursor.execute("DELETE FROM registry_person p USING bench_nik b WHERE p.nik = b.nik")
        removed = cursor.rowcount
    if removed:
        print(f"removed {removed:,} persons an earlier run enrolled", flush=True)
    registry = Person.objects.count()  # the registry every path enrols into
    # Vacuumed now, untimed: otherwise autovacuum cleans up after the deletions above while a path is
    # being timed, and whichever path runs then pays for it. The change history is among them: the
    # deletions wrote a history row each (registry_record_change), and autovacuum visits a table
    # after enough inserts as well as after deletions.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registry_person, registry_membership, registry_changehistory, enrolment_error")

    # The files as they arrive (bytes of a CSV upload), written before any clock starts: every path
    # then reads and parses its own file inside its timing.
    contents = {name: listed.csv_bytes() for name, listed in lists.items()}

    # 1. Paritrana
    started = time.perf_counter()
    upload = services.upload_create(
        actor=system_actor(),
        channel="cli",
        content=contents["paritrana"],
        file_name="bench.csv",
        sponsor_id=sponsor("P").pk,
    )
    validated = time.perf_counter() - started
    done = services.upload_run(actor=system_actor(), upload_id=upload.pk, channel="cli")
    ours = time.perf_counter() - started
    assert done.applied == len(lists["paritrana"].valid_lines), (done.applied, len(lists["paritrana"].valid_lines))
    result: dict[str, Any] = {
        "rows": args.rows,
        "registry_persons": registry,
        "paritrana": {
            "seconds": round(ours, 2),
            "validate_seconds": round(validated, 2),
            "applied": done.applied,
            "invalid": done.invalid,
            "steps": upload.detail.get("validate_steps"),
            "apply_steps": done.detail.get("apply_steps"),
        },
    }

    if not args.no_baseline:
        villages = set(Region.objects.filter(level=4, code__startswith=regency + ".").values_list("code", flat=True))
        regions = region_lookup()
        today = date.today()

        def check(cells: dict[str, str], seen: set[str]) -> dict[str, Any] | None:
            nik = cells["NIK"].strip()
            prefix, name, suffix = split_titles(cells["Nama Lengkap"])
            born_text = cells["Tanggal Lahir"].strip()
            born = None
            for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
                try:
                    born = time.strptime(born_text, fmt)
                    break
                except ValueError:
                    continue
            birth = date(born.tm_year, born.tm_mon, born.tm_mday) if born else None
            sex = {"L": "L", "LAKI-LAKI": "L", "P": "P", "PEREMPUAN": "P"}.get(cells["Jenis Kelamin"].strip().upper())
            parsed = parse_nik(nik, regions=regions, today=today, declared_birth_date=birth, declared_sex=sex)
            raw = cells["Penghasilan (BPU)"].replace("Rp", "").replace(" ", "").replace(".", "").replace(",00", "")
            try:
                income = Decimal(raw)
            except InvalidOperation:
                income = None
            village = cells["Kode Desa/Kelurahan"].strip()
            if (
                not parsed.valid
                or not name
                or birth is None
                or sex is None
                or village not in villages
                or income is None
                or not 1_000_000 <= income <= 20_700_000
                or nik in seen
            ):
                return None
            seen.add(nik)
            return {
                "nik": nik,
                "full_name": name,
                "title_prefix": prefix,
                "title_suffix": suffix,
                "birth_date": birth,
                "sex": sex,
                "village_id": village,
                "regency_id": village[:5],
                "province_id": village[:2],
                "income": income,
            }

        def rows_of(content: bytes) -> list[dict[str, str]]:
            return list(csv.DictReader(io.StringIO(content.decode())))

        # 2. bulk_create
        payer = sponsor("B")
        started = time.perf_counter()
        seen: set[str] = set()
        clean = [c for c in (check(r, seen) for r in rows_of(contents["bulk_create"])) if c]
        existing = set(Person.objects.filter(nik__in=[c["nik"] for c in clean]).values_list("nik", flat=True))
        with transaction.atomic():
            Person.objects.bulk_create(
                [Person(**{k: v for k, v in c.items() if k != "income"}) for c in clean if c["nik"] not in existing],
                batch_size=2_000,
            )
            ids = dict(Person.objects.filter(nik__in=[c["nik"] for c in clean]).values_list("nik", "id"))
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval('registry_kpj_seq') FROM generate_series(1, %s)", [len(clean)])
                serials = [r[0] for r in cursor.fetchall()]
            Membership.objects.bulk_create(
                [
                    Membership(
                        kpj=kpj_from_serial(serial),
                        person_id=ids[c["nik"]],
                        sponsor=payer,
                        segment="BPU",
                        programmes=["JKK", "JKM"],
                        declared_income=c["income"],
                        valid_from=today,
                        valid_until=date(today.year, 12, 31),
                        regency_id=regency,
                    )
                    for c, serial in zip(clean, serials, strict=True)
                ],
                batch_size=2_000,
            )
        bulk = time.perf_counter() - started
        result["bulk_create"] = {"seconds": round(bulk, 2), "applied": len(clean)}

        # 3. per-row ORM on a sample
        payer = sponsor("O")
        sample = rows_of(contents["orm"])[: args.orm_sample]
        started = time.perf_counter()
        seen = set()
        applied = 0
        for cells in sample:
            c = check(cells, seen)
            if c is None or not Region.objects.filter(code=c["village_id"], level=4).exists():
                continue
            with transaction.atomic():
                person = Person.objects.filter(nik=c["nik"]).first() or Person.objects.create(
                    **{k: v for k, v in c.items() if k != "income"}
                )
                if (
                    Membership.objects.filter(person=person, sponsor=payer, segment="BPU")
                    .exclude(status="ended")
                    .exists()
                ):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("SELECT nextval('registry_kpj_seq')")
                    serial = cursor.fetchone()[0]
                Membership.objects.create(
                    kpj=kpj_from_serial(serial),
                    person=person,
                    sponsor=payer,
                    segment="BPU",
                    programmes=["JKK", "JKM"],
                    declared_income=c["income"],
                    valid_from=today,
                    valid_until=date(today.year, 12, 31),
                    regency_id=regency,
                )
                applied += 1
        orm = time.perf_counter() - started
        scaled = orm * args.rows / len(sample)
        result["orm_per_row"] = {
            "sample_rows": len(sample),
            "sample_seconds": round(orm, 2),
            "applied": applied,
            "scaled_seconds": round(scaled, 1),
        }
        result["ratio_bulk_create"] = round(bulk / ours, 2)
        result["ratio_orm_per_row"] = round(scaled / ours, 1)
    result["machine"] = f"{platform.node()} {os.cpu_count()} CPU, Python {platform.python_version()}"
    result["date"] = date.today().isoformat()
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
