"""A month of Paritrana's set-based jobs on the database ``DATABASE_URL`` names, for the differential
test of one PostgreSQL against a Citus cluster (tests/core/test_cluster_month.py, issue 32 §3).

Run as a script, once per database: ``python tests/core/cluster_month.py [--cluster] --persons N``.
It migrates (distributing the schema with ``--cluster``), generates the synthetic population,
enrols two lists by bulk upload and registers a person at the counter (enrolment apply, the
registry's services), changes an employer, a membership and a wage (the registry's change history),
bills two months, pays most bills by bank statement (payment allocation and the JHT credit it
makes), rolls coverage up, decides a wage-subsidy round and computes the award's indicators (every
region and every employer); it prints the award's values as JSON (they are computed, not stored).
Everything else the test reads from the database."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

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


def enrol_lists(valid_from: date) -> None:
    """A province's lists enrolled through the service, as an office uploads them (enrolment apply).
    The first: new people, people registered but not with this payer (enrolled under it), people
    whose file contradicts the registry (refused, the registry unchanged), a NIK twice in the file
    and a NIK that is none. The second: ten people of the first (already enrolled, not added again)
    and ten new."""
    from django.db.models import Count

    from paritrana.core.actors import system_actor
    from paritrana.enrolment.services import upload_create, upload_run
    from paritrana.regions.models import Region
    from paritrana.registry.models import Person, Sponsor
    from paritrana.registry.services import person_create, person_update

    province = (
        Person.objects.values("province_id").annotate(n=Count("id")).order_by("-n", "province_id")[0]["province_id"]
    )
    sponsor = Sponsor.objects.get(code=f"APBD-{province}")
    villages = list(Region.objects.filter(level=4, code__startswith=f"{province}.").order_by("code")[:20])
    header = "NIK;Nama Lengkap;Tanggal Lahir;Jenis Kelamin;Kode Desa/Kelurahan;Segmen;Penghasilan (BPU)"

    def new_person(n: int) -> str:
        village = villages[n % len(villages)].code
        born = date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
        sex = "P" if n % 2 else "L"
        day = born.day + (40 if sex == "P" else 0)
        nik = f"{village[:8].replace('.', '')}{day:02d}{born.month:02d}{born.year % 100:02d}{9000 + n:04d}"
        return f"{nik};Peserta Daftar {n};{born:%d/%m/%Y};{sex};{village};BPU;{1_500_000 + n * 10_000}"

    first = [new_person(n) for n in range(60)]
    registered = Person.objects.filter(province_id=province).exclude(memberships__sponsor=sponsor).order_by("id")
    for n, person in enumerate(registered[:30]):
        # One in five written with another birth date: the registry is not changed, the row is refused.
        born = person.birth_date
        if n % 5 == 4:
            born = born.replace(day=28 if born.day != 28 else 27)
        first.append(f"{person.nik};{person.full_name};{born:%d/%m/%Y};{person.sex};{person.village_id};BPU;2000000")
    first.append(first[0])  # the first new person twice
    first.append(f"12345;Bukan NIK;01/01/1990;L;{villages[0].code};BPU;1500000")
    second = first[:10] + [new_person(n) for n in range(60, 70)]
    actor = system_actor()
    for lines in (first, second):
        content = ("\n".join([header, *lines]) + "\n").encode()
        upload = upload_create(
            actor=actor, content=content, file_name="daftar.csv", sponsor_id=sponsor.pk, valid_from=valid_from
        )
        # One batch: batches applied side by side draw person ids in the order they run, on either
        # database alike.
        upload_run(actor=actor, upload_id=upload.pk)

    # One person registered at the counter, her NIK then corrected by the national administrator (and
    # her birth date with it), and the NIK she first had registered for another: on a cluster each
    # step writes the NIK directory (core/distribute.py), which must let the freed NIK go.
    def fields(n: int) -> dict[str, str]:
        nik, name, born, sex, village = new_person(n).split(";")[:5]
        day, month, year = born.split("/")
        return {
            "nik": nik,
            "full_name": name,
            "birth_date": f"{year}-{month}-{day}",
            "sex": sex,
            "village_code": village,
        }

    counter = person_create(actor=actor, **fields(70))
    corrected = fields(71)
    person_update(actor=actor, person_id=counter.pk, **{k: corrected[k] for k in ("nik", "birth_date", "sex")})
    person_create(actor=actor, **fields(70))


def registry_changes() -> None:
    """A national administrator's changes to the registry, each leaving a row of the registry's change
    history with her as its actor (the history trigger, registry/sql.py; on the cluster it runs on the
    shards): an employer renamed (a reference table), one membership ended and another's wage
    reported from April (the membership's wage changes)."""
    from decimal import Decimal

    from paritrana.accounts.services import user_provision
    from paritrana.core.actors import system_actor
    from paritrana.registry.models import Employer, Membership
    from paritrana.registry.services import employer_update, membership_end, wage_changes_record

    admin = user_provision(
        actor=system_actor(), username="t.registrar", password="pw-registrar-12345", role="national_admin"
    )
    employer = Employer.objects.order_by("id").first()
    assert employer is not None
    employer_update(actor=admin, employer_id=employer.pk, name=f"{employer.name} Baru")
    # Named by person and start, not by id: memberships are numbered differently on the two databases.
    ended, reported = Membership.objects.filter(segment="PU", status="active", valid_from__lte=MONTHS[0]).order_by(
        "person_id", "valid_from"
    )[:2]
    membership_end(actor=admin, membership_id=ended.pk, valid_until=date(2025, 3, 31), reason="resigned")
    wage_changes_record(
        actor=admin,
        month=MONTHS[1],
        wages={reported.pk: reported.wage + Decimal(250_000)},
        open_from={reported.pk: MONTHS[1]},
    )


def open_pages() -> dict[str, int]:
    """Each role's home and every page of its menu, opened as the role would (Django's test client),
    and the staff's pages of one person, one bill and one payer: the HTTP status of each, by role and
    page (a page that fails answers 500). Issue 32 asks the jobs to run on the cluster; these are the
    pages that read the tables the jobs wrote."""
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment

    from paritrana.accounts.services import user_provision
    from paritrana.contributions.models import Bill
    from paritrana.core.actors import system_actor
    from paritrana.enrolment.models import Upload
    from paritrana.portal.menu import menu_for
    from paritrana.registry.models import Employer, Membership, Person, Sponsor

    setup_test_environment()  # the test client's host allowed, as under pytest
    actor = system_actor()
    bill = Bill.objects.filter(sponsor__isnull=False).order_by("payer_key", "period").first()
    assert bill is not None and bill.sponsor_id is not None
    sponsor = Sponsor.objects.get(pk=bill.sponsor_id)
    employer = Employer.objects.annotate(n=Count("memberships")).order_by("-n", "id").first()
    member = Membership.objects.filter(sponsor=sponsor).order_by("person_id").first()
    assert employer is not None and member is not None
    roles = {
        "admin": {"role": "national_admin"},
        "province": {"role": "province_officer", "region_id": sponsor.province_id},
        "sponsor": {"role": "sponsor_operator", "sponsor": sponsor},
        "hr": {"role": "employer_hr", "employer": employer},
        "participant": {"role": "participant", "person_id": member.person_id},
    }
    # Named, not by address: ids of bills differ between the two databases (docs: cluster_month).
    staff_pages = {
        "person": f"/orang/{member.person_id}/",
        "contribution history": f"/iuran/peserta/{member.person_id}/",
        "bill": f"/iuran/tagihan/{bill.pk}/",
        "sponsor's bills": f"/iuran/pembayar/sponsor/{sponsor.pk}/",
        "sponsor": f"/penanggung/{sponsor.pk}/",
        "employer": f"/pemberi-kerja/{employer.pk}/",
    }
    person = Person.objects.get(pk=member.person_id)
    upload = Upload.objects.order_by("id").first()
    assert upload is not None
    operations = api_operations(
        {
            "person_id": person.pk,
            "employer_id": employer.pk,
            "sponsor_id": sponsor.pk,
            "membership_id": member.pk,
            "bill_id": bill.pk,
            "upload_id": upload.pk,
            "nik": person.nik,
            "year": 2025,
        },
        {
            "/api/v1/coverage/finance/": person.province_id,
            "/api/v1/coverage/provinces/": person.province_id,
            "/api/v1/coverage/regions/": person.regency_id,
            "/api/v1/bsu/rounds/": "BSU-2025",
            "/api/v1/enrolment/sponsors/": sponsor.code,
        },
    )
    statuses: dict[str, int] = {}
    for name, assignment in roles.items():
        user = user_provision(actor=actor, username=f"t.{name}", password=f"pw-{name}-12345", **assignment)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        pages = {"home": "/", **dict(menu_for(user)), **(staff_pages if name == "admin" else {}), **operations}
        for label, url in pages.items():
            statuses[f"{name} {label}"] = client.get(url).status_code
    return statuses


def api_operations(values: dict[str, Any], codes: dict[str, str]) -> dict[str, str]:
    """Every GET operation of the API's OpenAPI schema, its path filled with the objects of
    ``values`` (by parameter name) and ``codes`` (a region, round or sponsor code, by the path's
    start): label "API <path>" → address. Left out: operations needing a required query parameter,
    and paths naming objects the month does not make (claims, linkage runs, card tokens, award
    editions)."""
    from paritrana.api import api

    operations: dict[str, str] = {}
    for path, methods in api.get_openapi_schema(path_prefix="/api/v1")["paths"].items():
        parameters = methods.get("get", {}).get("parameters")
        if "get" not in methods or any(p["in"] == "query" and p.get("required") for p in parameters or ()):
            continue
        if path.startswith("/api/v1/award/editions/"):  # no edition is opened in the month
            continue
        filled = path
        for parameter in (p["name"] for p in parameters or () if p["in"] == "path"):
            code = next((c for start, c in codes.items() if path.startswith(start)), None)
            value = code if parameter == "code" else values.get(parameter)
            if value is None:
                break
            filled = filled.replace(f"{{{parameter}}}", str(value))
        else:
            operations[f"API {path}"] = filled
    return operations


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
    t = time.perf_counter()
    enrol_lists(MONTHS[0])
    lap("enrolment", t)
    t = time.perf_counter()
    registry_changes()
    lap("registry", t)
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
    t = time.perf_counter()
    award["pages"] = open_pages()
    lap("pages", t)
    sys.stderr.write(json.dumps({"seconds": laps}) + "\n")
    print(json.dumps({code: {k: str(v) for k, v in values.items()} for code, values in sorted(award.items())}))


if __name__ == "__main__":
    main()
