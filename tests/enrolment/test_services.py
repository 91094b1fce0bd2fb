"""Bulk enrolment end to end against PostgreSQL: a messy list checked line by line against the truth
its generator recorded, re-upload, a crash mid-apply and its resumption, scope, budget, billing."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError
from openpyxl import Workbook

from paritrana.core.actors import system_actor
from paritrana.core.errors import NotFound, PermissionDenied, ValidationFailed
from paritrana.demo.synth.load import load_geography
from paritrana.demo.synth.sponsor_lists import HEADERS, sponsor_list
from paritrana.enrolment import selectors, services
from paritrana.enrolment.models import RowError, Upload
from paritrana.registry.models import Membership, Person
from paritrana.registry.rules.kpj import kpj_is_valid
from tests.conftest import make_nik
from tests.enrolment.crash import fail_membership_insert, remove_crash

pytestmark = pytest.mark.django_db


def _errors(upload: Upload) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for line, code in RowError.objects.filter(upload=upload).values_list("line", "code"):
        found.setdefault(line, set()).add(code)
    return found


def _csv(rows: list[list[str]]) -> bytes:
    return ("\r\n".join(",".join(f'"{c}"' for c in row) for row in [HEADERS, *rows]) + "\r\n").encode()


def test_messy_10000_rows_every_bad_row_reported_every_good_row_enrolled(world: dict[str, Any]) -> None:
    sponsor = world["kukar_sponsor"]
    listed = sponsor_list(load_geography(["64"]), rows=10_000, regency="64.02", seed=21)
    assert 2_000 < len(listed.expected) < 4_000 and len(listed.spaced) > 300

    upload = services.upload_create(
        actor=world["users"]["sponsor"], content=listed.csv_bytes(delimiter=";"), file_name="kukar.csv"
    )
    # Every defective line carries exactly the one error its defect must cause; no clean line has any.
    assert _errors(upload) == {line: {code} for line, code in listed.expected.items()}
    assert (upload.rows, upload.invalid, upload.valid) == (10_000, len(listed.expected), len(listed.valid_lines))

    done = services.upload_run(upload_id=upload.pk, actor=world["users"]["sponsor"], channel="page")
    assert (done.status, done.applied, done.already_enrolled) == ("applied", len(listed.valid_lines), 0)
    memberships = Membership.objects.filter(sponsor=sponsor).exclude(person=world["kukar_person"])
    assert memberships.count() == len(listed.valid_lines)
    enrolled = set(memberships.values_list("person__nik", flat=True))
    nik_at = HEADERS.index("NIK")
    assert enrolled == {listed.rows[line - 2][nik_at].strip() for line in listed.valid_lines}
    kpjs = list(memberships.values_list("kpj", flat=True))
    assert len(set(kpjs)) == len(kpjs) and all(kpj_is_valid(k) for k in kpjs)
    # Sponsored by the APBD: BPU, paid by the sponsor, administered in Kukar, ending with the budget year.
    assert set(memberships.values_list("segment", "regency_id", "employer_id")) == {("BPU", "64.02", None)}
    assert {m.valid_until for m in memberships} == {date(upload.valid_from.year, 12, 31)}
    # Stray spaces were read through: the NIK and the village match, and the name is tidy.
    for line in listed.spaced[:50]:
        nik = listed.rows[line - 2][nik_at].strip()
        person = Person.objects.get(nik=nik)
        assert "  " not in person.full_name and person.full_name == person.full_name.strip()
        assert person.village_id == listed.rows[line - 2][HEADERS.index("Kode Desa/Kelurahan")].strip()


def test_rupiah_and_dates_as_officers_type_them(world: dict[str, Any]) -> None:
    village = world["kukar_village"].code
    rows = []
    for serial, (income, born_text) in enumerate(
        [("Rp 1.500.000", "17/08/1990"), ("1.500.000,00", "1990-08-17"), ("1500000", "17-08-1990")], start=1
    ):
        nik = make_nik(village[:8], date(1990, 8, 17), "P", serial)
        rows.append([nik, "Siti Aminah", born_text, "Perempuan", village, "", "Petani", income, "", "", "", "", "", ""])
    upload = services.upload_create(
        actor=system_actor(), channel="cli", content=_csv(rows), file_name="a.csv", sponsor_id=world["kukar_sponsor"].pk
    )
    assert upload.invalid == 0
    services.upload_run(actor=system_actor(), upload_id=upload.pk)
    incomes = [
        (m.declared_income, m.tags)
        for m in Membership.objects.filter(sponsor=world["kukar_sponsor"], person__full_name="Siti Aminah")
    ]
    assert incomes == [(Decimal("1500000.00"), ["farmer"])] * 3


def test_same_file_twice_adds_nothing(world: dict[str, Any]) -> None:
    listed = sponsor_list(load_geography(["64"]), rows=1_500, regency="64.02", seed=22)
    content = listed.csv_bytes()
    first = services.upload_run(
        actor=system_actor(),
        upload_id=services.upload_create(
            actor=system_actor(), channel="cli", content=content, file_name="x.csv", sponsor_code="APBD-UJI-64.02"
        ).pk,
    )
    persons, memberships = Person.objects.count(), Membership.objects.count()
    second = services.upload_create(
        actor=system_actor(), channel="cli", content=content, file_name="x.csv", sponsor_code="APBD-UJI-64.02"
    )
    assert second.already_enrolled == first.applied == len(listed.valid_lines)
    again = services.upload_run(actor=system_actor(), upload_id=second.pk)
    assert (again.applied, again.already_enrolled) == (0, len(listed.valid_lines))
    assert (Person.objects.count(), Membership.objects.count()) == (persons, memberships)
    # Running a finished upload's job again is a no-op too.
    assert services.upload_run(actor=system_actor(), upload_id=first.pk).applied == first.applied
    assert Membership.objects.count() == memberships


def test_crash_mid_apply_resumes_without_duplicates_or_losses(world: dict[str, Any]) -> None:
    listed = sponsor_list(load_geography(["64"]), rows=3_000, regency="64.02", seed=23, defect_share=0.1)
    upload = services.upload_create(
        actor=system_actor(),
        channel="cli",
        content=listed.csv_bytes(),
        file_name="y.csv",
        sponsor_code="APBD-UJI-64.02",
    )
    # The third batch's membership insert fails, as when the server or the worker dies mid-job.
    fail_membership_insert(3)
    with pytest.raises(DatabaseError, match="simulated crash"):
        services.upload_run(actor=system_actor(), upload_id=upload.pk, batch_lines=1_000)
    stopped = Upload.objects.get(pk=upload.pk)
    assert stopped.status == "failed" and stopped.applied_through == 2_000
    committed = Membership.objects.filter(sponsor=world["kukar_sponsor"]).exclude(person=world["kukar_person"]).count()
    assert committed == sum(1 for line in listed.valid_lines if line <= 2_000)
    remove_crash()

    done = services.upload_run(actor=system_actor(), upload_id=upload.pk, batch_lines=1_000)
    assert done.status == "applied" and done.applied == len(listed.valid_lines)
    pairs = list(
        Membership.objects.filter(sponsor=world["kukar_sponsor"])
        .exclude(person=world["kukar_person"])
        .values_list("person_id", flat=True)
    )
    assert len(pairs) == len(set(pairs)) == len(listed.valid_lines)


def test_xlsx_with_number_cells_and_a_column_mapping(world: dict[str, Any]) -> None:
    village = world["kukar_village"].code
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["No KTP", "Nama Peserta", "Tgl Lahir", "L/P", "Desa", "Gaji Sebulan", "Catatan"])
    good = make_nik(village[:8], date(1988, 1, 5), "L", 7)
    sheet.append([good, "Budi Santoso S.E.", date(1988, 1, 5), "L", village, 2_000_000, "x"])
    numeric = make_nik(village[:8], date(1988, 1, 6), "L", 8)
    sheet.append([int(numeric), "Agus", date(1988, 1, 6), "L", village, 2_000_000, ""])
    sheet.append([None, None, None, None, None, None, None])  # a blank line is not a row
    out = io.BytesIO()
    book.save(out)
    upload = services.upload_create(
        actor=system_actor(),
        channel="cli",
        content=out.getvalue(),
        file_name="ppnpn.xlsx",
        employer_npp=world["kukar_employer"].npp,
        mapping={"Desa": "village_code", "Gaji Sebulan": "wage"},
    )
    assert upload.detail["ignored_columns"] == ["Catatan"]
    assert _errors(upload) == {3: {"nik_number_cell"}}
    services.upload_run(actor=system_actor(), upload_id=upload.pk)
    membership = Membership.objects.get(person__nik=good)
    # An employer's own workers: PU, paid by the employer, with the PU programmes (PP 44/2015, 46/2015, 45/2015).
    assert (membership.segment, membership.employer_id, membership.sponsor_id, membership.wage) == (
        "PU",
        world["kukar_employer"].pk,
        None,
        Decimal("2000000.00"),
    )
    assert membership.programmes == ["JKK", "JKM", "JHT", "JP", "JKP"] and membership.valid_until is None
    assert (membership.person.full_name, membership.person.title_suffix) == ("Budi Santoso", "S.E.")


def test_a_file_whose_columns_cannot_be_placed_is_refused_whole(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.upload_create(
            actor=system_actor(),
            channel="cli",
            content=b"Nama,Alamat\r\nSiti,Jl. A\r\n",
            file_name="z.csv",
            sponsor_code="APBD-UJI-64.02",
        )
    assert {p.field for p in refused.value.problems if p.code == "column_missing"} == {
        "nik",
        "birth_date",
        "sex",
        "village_code",
    }
    assert not Upload.objects.exists()


def test_scope_sponsor_operators_and_regions(world: dict[str, Any]) -> None:
    users = world["users"]
    content = _csv([])
    with pytest.raises(PermissionDenied):
        services.upload_create(actor=users["bpn"], content=content, file_name="a.csv", sponsor_code="APBD-UJI-64.02")
    with pytest.raises(PermissionDenied):
        services.upload_create(actor=users["hr"], content=content, file_name="a.csv", sponsor_code="APBD-UJI-64.02")
    listed = sponsor_list(load_geography(["64"]), rows=20, regency="64.02", seed=24)
    upload = services.upload_create(
        actor=users["kukar"], content=listed.csv_bytes(), file_name="a.csv", sponsor_code="APBD-UJI-64.02"
    )
    assert selectors.upload_get(user=users["sponsor"], upload_id=upload.pk) == upload
    for outsider in ("bpn", "hr", "coord", "participant"):
        with pytest.raises(NotFound):
            selectors.upload_get(user=users[outsider], upload_id=upload.pk)
        with pytest.raises(NotFound):
            services.upload_run(upload_id=upload.pk, actor=users[outsider], channel="page")


def test_budget_required_amount_warning_renewal_and_billing(world: dict[str, Any]) -> None:
    from paritrana.contributions.batch.billing import billing_run
    from paritrana.contributions.models import Bill

    sponsor = world["kukar_sponsor"]
    village = world["kukar_village"].code
    rows = [
        [
            make_nik(village[:8], date(1980, 2, 1 + i), "L", 1),
            f"Petani {i}",
            f"0{1 + i}/02/1980",
            "L",
            village,
            "BPU",
            "Petani",
            "1.000.000",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
        for i in range(3)
    ]
    services.budget_set(actor=world["users"]["sponsor"], sponsor_id=sponsor.pk, year=2026, allocation=Decimal(500_000))
    upload = services.upload_create(
        actor=world["users"]["sponsor"], content=_csv(rows), file_name="b.csv", valid_from=date(2026, 1, 1)
    )
    # Regulation.md §1.4 (PP 44/2015; star.grid.id): a BPU on Rp1,000,000 pays JKK 1 % = Rp10,000 and
    # JKM Rp6,800, Rp16,800 a month; three persons for twelve months need Rp604,800.
    budget = upload.detail["budget"]
    assert Decimal(budget["required"]) == 3 * Decimal(16_800) * 12
    assert budget["exceeds"] and "melebihi sisa pagu" in budget["warning"]
    services.upload_run(actor=system_actor(), upload_id=upload.pk)
    status = selectors.budget_status(sponsor=sponsor, year=2026)
    # The fixture's own sponsored farmer (Rp1,000,000, JKK+JKM) is on the list too.
    assert (status["persons"], status["committed"]) == (4, 4 * Decimal(16_800) * 12)
    # Over the pagu already (Rp500,000 − Rp806,400 = −Rp306,400): said as an overrun, not a
    # "remaining" amount below zero (issue 27).
    another = [make_nik(village[:8], date(1980, 2, 1), "L", 2), *rows[0][1:]]
    over = services.upload_create(
        actor=world["users"]["sponsor"], content=_csv([another]), file_name="c.csv", valid_from=date(2026, 1, 1)
    )
    assert "sudah terlampaui Rp306.400" in over.detail["budget"]["warning"]
    assert "sisa pagu -" not in over.detail["budget"]["warning"]

    billing_run("2026-01")
    bill = Bill.objects.get(sponsor=sponsor, period=date(2026, 1, 1))
    assert bill.amount_due == 4 * Decimal(16_800)

    renewed = services.budget_renew(actor=world["users"]["sponsor"], sponsor_id=sponsor.pk, year=2027)
    assert renewed["renewed"] == 3
    assert set(
        Membership.objects.filter(sponsor=sponsor, person__full_name__startswith="Petani").values_list(
            "valid_until", flat=True
        )
    ) == {date(2027, 12, 31)}


def test_registered_niks_are_matched_counted_or_refused(world: dict[str, Any]) -> None:
    """A NIK already registered is the same person: matched, not created again (and not changed); one
    already enrolled with this sponsor is counted, not enrolled twice; one whose record the file
    contradicts is refused with person_mismatch (check_registry, one pass for all three)."""
    village = world["kukar_village"].code
    sumarni, yohanes = world["kukar_person"], world["bpn_person"]
    # A legacy record whose birth date is a day off what its NIK encodes.
    legacy = Person.objects.create(
        nik=make_nik(village[:8], date(1990, 5, 5), "L", 77),
        full_name="Rahmat Hidayat",
        birth_date=date(1990, 5, 6),
        sex="L",
        village=world["kukar_village"],
        regency_id="64.02",
        province_id="64",
    )

    def row(person: Person, born: date, sex: str) -> list[str]:
        cells = [person.nik, person.full_name, born.strftime("%d/%m/%Y"), sex, village, "", "", "1500000"]
        return cells + [""] * (len(HEADERS) - len(cells))

    upload = services.upload_create(
        actor=system_actor(),
        channel="cli",
        content=_csv(
            [
                row(sumarni, sumarni.birth_date, "P"),
                row(yohanes, date(1979, 7, 1), "L"),
                row(legacy, date(1990, 5, 5), "L"),
            ]
        ),
        file_name="terdaftar.csv",
        sponsor_id=world["kukar_sponsor"].pk,
    )
    assert _errors(upload) == {4: {"person_mismatch"}}
    assert (upload.rows, upload.invalid, upload.already_enrolled) == (3, 1, 1)
    persons = Person.objects.count()
    done = services.upload_run(actor=system_actor(), upload_id=upload.pk)
    assert (done.applied, done.already_enrolled) == (1, 1)
    assert Person.objects.count() == persons
    assert Membership.objects.filter(sponsor=world["kukar_sponsor"], person=sumarni).count() == 1
    joined = Membership.objects.get(sponsor=world["kukar_sponsor"], person=yohanes)
    assert (joined.segment, joined.declared_income) == ("BPU", Decimal("1500000.00"))
    yohanes.refresh_from_db()
    assert yohanes.full_name == "Yohanes Balikpapan" and yohanes.village_id != village
    assert not Membership.objects.filter(sponsor=world["kukar_sponsor"], person=legacy).exists()


def test_cells_with_copy_escapes_are_kept_as_written(world: dict[str, Any]) -> None:
    """Rows reach staging as COPY text: a backslash, a tab or a line break inside a cell must arrive as
    written (spaces inside an address or birth place are then tidied), and a cell reading \\N is the
    text \\N, not an empty value."""
    village = world["kukar_village"].code
    nik = make_nik(village[:8], date(1991, 3, 4), "L", 91)
    cells = [nik, "Budi\\Santoso", "04/03/1991", "L", village, "", "Petani", "1500000", "", "", "", "\\N", "", ""]
    cells[HEADERS.index("Alamat")] = "Jl. Mawar 5\\B\nRT 01\tRW 02"
    content = io.StringIO()
    csv.writer(content, lineterminator="\r\n").writerows([HEADERS, cells])
    upload = services.upload_create(
        actor=system_actor(),
        channel="cli",
        content=content.getvalue().encode(),
        file_name="escapes.csv",
        sponsor_id=world["kukar_sponsor"].pk,
    )
    assert (upload.rows, upload.invalid) == (1, 0), _errors(upload)
    services.upload_run(actor=system_actor(), upload_id=upload.pk)
    person = Person.objects.get(nik=nik)
    assert (person.full_name, person.birth_place, person.address) == (
        "Budi\\Santoso",
        "\\N",
        "Jl. Mawar 5\\B RT 01 RW 02",
    )


def test_hr_registers_one_new_hire_by_hand_with_the_bulk_checks(world: dict[str, Any]) -> None:
    """Issue 27 §2–3: one worker typed on a page is enrolled at once when the bulk checks pass, and
    refused with the same codes, said per field, when they do not."""
    from django.test import Client

    from tests.conftest import make_nik

    hr = Client()
    hr.force_login(world["users"]["hr"])  # Balikpapan's employer
    village = world["bpn_village"]
    born = date(1994, 2, 14)
    form = {
        "segment": "PU",
        "nik": make_nik(village.code[:8], born, "P", serial=321),
        "full_name": "Rahmawati Putri",
        "birth_date": "14/02/1994",
        "sex": "P",
        "village_code": village.code,
        "wage": "4.750.000",
    }
    page = hr.get("/pendaftaran/satu/").content.decode()
    assert "data-village-picker" in page and 'name="payer"' not in page  # HR pays for its own workers
    wrong = hr.post("/pendaftaran/satu/", {**form, "sex": "L"})  # the NIK says a woman (day + 40)
    assert wrong.status_code == 400 and 'data-field="sex"' in wrong.content.decode()
    assert not Membership.objects.filter(person__full_name="Rahmawati Putri").exists()
    done = hr.post("/pendaftaran/satu/", form)
    assert done.status_code == 302 and done["Location"].startswith("/pendaftaran/")
    membership = Membership.objects.get(person__nik=form["nik"])
    assert (membership.employer_id, membership.segment, membership.wage) == (world["bpn_employer"].pk, "PU", 4_750_000)
    assert kpj_is_valid(membership.kpj)
    # The picker's steps: Kalimantan Timur's regencies and cities, by name.
    steps = hr.get("/wilayah/anak.json", {"kode": "64"}).json()["items"]
    assert {"code": "64.02", "name": "Kabupaten Kutai Kartanegara"} in steps
