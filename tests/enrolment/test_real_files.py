"""Bulk lists as real offices write them, uploaded through the page (issue 28 §1): a stray byte of
another encoding, a quote left open, no-break spaces; each row's outcome and what was stored, the
names byte for byte as written."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.test import Client

from paritrana.enrolment.models import RowError, Upload
from paritrana.registry.models import Person
from tests.conftest import make_nik

pytestmark = pytest.mark.django_db

HEADER = "NIK;Nama Lengkap;Tanggal Lahir;Jenis Kelamin;Kode Desa/Kelurahan;Segmen;Penghasilan (BPU)\n"


def _row(village: str, born: date, serial: int, name: str, **cells: str) -> tuple[str, str]:
    nik = make_nik(village[:8], born, "P", serial)
    values = [
        cells.get("nik_cell", nik),
        name,
        f"{born:%d/%m/%Y}",
        "P",
        cells.get("village_cell", village),
        cells.get("segment_cell", "BPU"),
        "1.000.000",
    ]
    return nik, ";".join(values) + "\n"


def _upload(world: dict[str, Any], content: bytes, name: str = "daftar.csv") -> tuple[Any, Upload]:
    client = Client()
    client.force_login(world["users"]["sponsor"])
    upload_file = io.BytesIO(content)
    upload_file.name = name
    answer = client.post("/pendaftaran/", {"file": upload_file, "valid_from": "01/12/2026"})
    return answer, Upload.objects.order_by("-id").first()  # type: ignore[return-value]


def _errors(upload: Upload) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for line, code in RowError.objects.filter(upload=upload).values_list("line", "code"):
        found.setdefault(line, set()).add(code)
    return found


def test_a_stray_byte_costs_its_line_only_and_names_are_stored_as_written(world: dict[str, Any]) -> None:
    village = world["kukar_village"].code
    first, line2 = _row(village, date(1990, 1, 5), 1, "Nur’aini Ségolène")
    second, line3 = _row(village, date(1991, 2, 6), 2, "Caf? Jaya")
    third, line4 = _row(village, date(1992, 3, 7), 3, "Dewi  Kartika")
    stray = line3.encode().replace(b"Caf?", b"Caf\xe9")  # typed in another program: Windows-1252
    answer, upload = _upload(world, b"\xef\xbb\xbf" + HEADER.encode() + line2.encode() + stray + line4.encode())
    assert answer.status_code == 302
    assert (upload.rows, upload.invalid) == (3, 1) and _errors(upload) == {3: {"encoding_invalid"}}
    from paritrana.enrolment import services

    services.upload_run(actor=world["users"]["sponsor"], upload_id=upload.pk)
    assert Person.objects.get(nik=first).full_name == "Nur’aini Ségolène"
    assert not Person.objects.filter(nik=second).exists()
    assert Person.objects.get(nik=third).full_name == "Dewi Kartika"  # spaces inside a name tidied
    page = Client()
    page.force_login(world["users"]["sponsor"])
    shown = page.get(f"/pendaftaran/{upload.pk}/").content.decode()
    assert 'data-code="encoding_invalid"' in shown and "(seluruh baris)" in shown


def test_no_break_spaces_after_nik_village_and_segment_leave_the_row_valid(world: dict[str, Any]) -> None:
    village = world["kukar_village"].code
    nik, _ = _row(village, date(1990, 1, 5), 4, "Sari")
    _, line = _row(
        village,
        date(1990, 1, 5),
        4,
        "Sari",
        nik_cell=nik + "\u00a0",
        village_cell=village + "\u00a0",
        segment_cell="BPU\u00a0",
    )
    _answer, upload = _upload(world, (HEADER + line).encode())
    assert (upload.rows, upload.invalid) == (1, 0), _errors(upload)


def test_a_quote_left_open_is_a_row_error_not_a_server_error(world: dict[str, Any]) -> None:
    village = world["kukar_village"].code
    _, good = _row(village, date(1990, 1, 5), 5, "Sari")
    _, bad = _row(village, date(1991, 1, 5), 6, '"Ani')
    answer, upload = _upload(world, (HEADER + good + bad + "x" * 200_000 + "\n").encode())
    assert answer.status_code == 302
    errors = _errors(upload)
    assert upload.invalid == 1 and list(errors) == [3] and "cell_too_long" in errors[3]


def test_cells_typed_as_people_type_them_are_read_and_stored(world: dict[str, Any]) -> None:
    """A NIK with dots, dashes or an apostrophe, rupiah as "Rp 2.500.000,-", a date with a time and sex
    as a word or a number: valid rows, enrolled with what they mean (issue 28 §2)."""
    village = world["kukar_village"].code
    born = date(1988, 4, 9)
    plain = [make_nik(village[:8], born, "P", 20 + i) for i in range(4)]
    typed = [
        f"{n[:2]}.{n[2:4]}.{n[4:6]}.{n[6:12]}.{n[12:]}" if i == 0 else f"{n[:6]}-{n[6:12]}-{n[12:]}" if i == 1
        else f"'{n}" if i == 2 else f"{n}.0"
        for i, n in enumerate(plain)
    ]  # fmt: skip
    sexes = ["Perempuan", "2", "P", "wanita"]
    lines = [f"{t};Warga {i};09/04/1988 0:00;{sexes[i]};{village};BPU;Rp 1.500.000,-\n" for i, t in enumerate(typed)]
    _answer, upload = _upload(world, (HEADER + "".join(lines)).encode())
    assert (upload.rows, upload.invalid) == (4, 0), _errors(upload)
    from paritrana.enrolment import services
    from paritrana.registry.models import Membership

    services.upload_run(actor=world["users"]["sponsor"], upload_id=upload.pk)
    stored = Membership.objects.filter(person__nik__in=plain).values_list(
        "person__nik", "declared_income", "person__sex"
    )
    assert sorted(stored) == sorted((n, 1_500_000, "P") for n in plain)


def test_a_nik_excel_wrote_in_scientific_notation_is_refused_with_its_own_code(world: dict[str, Any]) -> None:
    village = world["kukar_village"].code
    _, line = _row(village, date(1990, 1, 5), 30, "Sari", nik_cell="6.40202E+15")
    _answer, upload = _upload(world, (HEADER + line).encode())
    assert _errors(upload)[2] >= {"nik_number_cell"}


@pytest.mark.parametrize("name", ["-", "?", "x", "N/A", "12345", "=1+1", "=cmd|' /C calc'!A0", "+Sari", "@Sari"])
def test_what_is_not_a_persons_name_is_refused_and_never_stored(world: dict[str, Any], name: str) -> None:
    village = world["kukar_village"].code
    nik, line = _row(village, date(1990, 1, 5), 40, name)
    _answer, upload = _upload(world, (HEADER + line).encode())
    assert "name_invalid" in _errors(upload).get(2, set())
    from paritrana.enrolment import services

    services.upload_run(actor=world["users"]["sponsor"], upload_id=upload.pk)
    assert not Person.objects.filter(nik=nik).exists()


def test_a_start_before_birth_a_bpu_without_jkk_jkm_and_a_regency_that_never_existed(world: dict[str, Any]) -> None:
    village = world["kukar_village"].code
    header = HEADER.rstrip("\n") + ";Program;Tanggal Mulai\n"
    _, row1 = _row(village, date(1990, 1, 5), 41, "Sari")
    _, row2 = _row(village, date(1990, 1, 5), 42, "Ani")
    # 64.99 was never a regency of Kalimantan Timur (Kepmendagri 2025, nor any former code).
    nik3 = "6499" + make_nik(village[:8], date(1990, 1, 5), "P", 43)[4:]
    _, row3 = _row(village, date(1990, 1, 5), 43, "Dewi", nik_cell=nik3)
    lines = row1.rstrip("\n") + ";;01/01/1989\n" + row2.rstrip("\n") + ";JKK;\n" + row3.rstrip("\n") + ";;\n"
    _answer, upload = _upload(world, (header + lines).encode())
    errors = _errors(upload)
    assert "start_before_birth" in errors[2] and "programme_required" in errors[3]
    assert errors[4] >= {"nik_regency_unknown"} and "region_unknown" not in errors[4]


def test_already_enrolled_rows_are_named_by_line(world: dict[str, Any]) -> None:
    import openpyxl

    village = world["kukar_village"].code
    _, line = _row(village, date(1990, 1, 5), 50, "Sari")
    from paritrana.enrolment import services

    _answer, first = _upload(world, (HEADER + line).encode())
    services.upload_run(actor=world["users"]["sponsor"], upload_id=first.pk)
    _answer, again = _upload(world, (HEADER + line).encode(), name="lagi.csv")
    assert again.already_enrolled == 1
    client = Client()
    client.force_login(world["users"]["sponsor"])
    page = client.get(f"/pendaftaran/{again.pk}/").content.decode()
    assert 'id="already"' in page and '<tr data-line="2">' in page
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/pendaftaran/{again.pk}/kesalahan.xlsx").content))
    rows = list(book["Sudah terdaftar"].iter_rows(values_only=True))
    assert rows[0] == ("Baris", "NIK", "Nama") and rows[1][0] == 2 and rows[1][2] == "Sari"


def test_a_district_code_that_is_not_known_today_is_a_warning_and_the_line_is_enrolled(world: dict[str, Any]) -> None:
    """Issue 28 §3: district histories are incomplete, so a NIK whose district code (digits 5–6) is
    not a district of its regency today is enrolled, with a warning on the page, in the report
    workbook and in the API's summary."""
    import openpyxl

    from paritrana.enrolment import services
    from paritrana.regions.models import Region

    village = world["kukar_village"].code
    # 64.02.99: Kutai Kartanegara has no district 99 (Kepmendagri 2025).
    assert not Region.objects.filter(code="64.02.99").exists()
    nik = "640299" + make_nik(village[:8], date(1990, 1, 5), "P", 60)[6:]
    _, line = _row(village, date(1990, 1, 5), 60, "Sri Wahyuni", nik_cell=nik)
    _, plain = _row(village, date(1991, 1, 5), 61, "Sri Rahayu")
    _answer, upload = _upload(world, (HEADER + line + plain).encode())
    assert upload.valid == 2 and upload.invalid == 0 and not _errors(upload)
    assert services.upload_summary(upload)["warnings"] == 1
    client = Client()
    client.force_login(world["users"]["sponsor"])
    page = client.get(f"/pendaftaran/{upload.pk}/").content.decode()
    assert 'id="warnings"' in page and '<tr data-line="2">' in page and "64.02.99" in page
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/pendaftaran/{upload.pk}/kesalahan.xlsx").content))
    rows = list(book["Peringatan"].iter_rows(values_only=True))
    assert rows[1][0] == 2 and rows[1][2] == "nik_district_unknown" and len(rows) == 2
    services.upload_run(actor=world["users"]["sponsor"], upload_id=upload.pk)
    assert Person.objects.filter(nik=nik, full_name="Sri Wahyuni").exists()


def _office_file(world: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
    """One file with what offices write: a BOM, a stray Windows-1252 byte on one line, NIKs with dots,
    dashes and an apostrophe, rupiah as "Rp 2.500.000,-", a no-break space, a placeholder name and a
    NIK whose district code is not known today; with the outcome each door must report."""
    village = world["kukar_village"].code
    born = date(1987, 6, 3)
    niks = [make_nik(village[:8], born, "P", 70 + i) for i in range(5)]
    cells = [
        f"{niks[0][:2]}.{niks[0][2:4]}.{niks[0][4:6]}.{niks[0][6:12]}.{niks[0][12:]}",
        f"{niks[1][:6]}-{niks[1][6:12]}-{niks[1][12:]}",
        f"'{niks[2]}\u00a0",
        niks[3],
        "640299" + niks[4][6:],
    ]
    names = ["Nur’aini", "Caf\x00 Jaya", "Sri\u00a0Wahyuni", "N/A", "Dewi Lestari"]
    lines = [f"{c};{n};03/06/1987;P;{village};BPU;Rp 1.500.000,-\n".encode() for c, n in zip(cells, names, strict=True)]
    lines[1] = lines[1].replace(b"Caf\x00", b"Caf\xe9")  # typed in another program: Windows-1252
    expected = {"rows": 5, "invalid": 2, "errors_by_code": {"encoding_invalid": 1, "name_invalid": 1}, "warnings": 1}
    return b"\xef\xbb\xbf" + HEADER.encode() + b"".join(lines), expected


def test_the_same_office_file_reads_the_same_through_the_api_and_the_cli(
    world: dict[str, Any], tmp_path: Any, capsys: Any
) -> None:
    """Issue 28: the page's reading (tests above) is the API's and the CLI's; same rows, same
    refusals with the same codes, same warning."""
    import json

    from django.core.management import call_command

    content, expected = _office_file(world)
    client = Client()
    client.force_login(world["users"]["sponsor"])
    upload_file = io.BytesIO(content)
    upload_file.name = "daftar-kantor.csv"
    answer = client.post(
        "/api/v1/enrolment/uploads", {"file": upload_file, "valid_from": "2026-12-01", "dry_run": "true"}
    )
    assert answer.status_code == 201, answer.content
    by_api = answer.json()
    path = tmp_path / "daftar-kantor.csv"
    path.write_bytes(content)
    call_command("enrol", "import", str(path), "--sponsor", world["kukar_sponsor"].code, "--dry-run")
    by_cli = json.loads(capsys.readouterr().out)
    for door in (by_api, by_cli):
        assert {k: door[k] for k in expected} == expected, door


def test_a_title_above_the_table_and_notes_in_the_headers_are_read_as_an_office_writes_them(
    world: dict[str, Any],
) -> None:
    """A village office's list: a title and the village's name above the table, a blank line, and
    headers carrying notes in brackets. The header is found; rows keep the file's line numbers."""
    village = world["kukar_village"].code
    nik1 = make_nik(village[:8], date(1990, 1, 5), "P", 80)
    nik2 = make_nik(village[:8], date(1991, 2, 6), "P", 81)
    content = (
        "DAFTAR CALON PESERTA BPU TAHUN 2026;;;;;;\n"
        "DESA SUKAMAJU, KEC. TENGGARONG;;;;;;\n"
        "\n"
        "NIK (16 digit);Nama Lengkap (sesuai KTP);Tanggal Lahir (DD/MM/YYYY);Jenis Kelamin (L/P);"
        "Kode Desa/Kelurahan;Segmen;Penghasilan (Rp)\n"
        f"{nik1};Sri Rahayu;05/01/1990;P;{village};BPU;Rp 1.000.000\n"
        f"{nik2};N/A;06/02/1991;P;{village};BPU;Rp 1.000.000\n"
    )
    answer, upload = _upload(world, content.encode())
    assert answer.status_code == 302
    assert (upload.rows, upload.invalid) == (2, 1)
    assert _errors(upload) == {6: {"name_invalid"}}  # the file's own line 6


def test_a_workbook_with_instructions_first_and_a_title_row_is_read_from_its_table(world: dict[str, Any]) -> None:
    import openpyxl

    village = world["kukar_village"].code
    nik = make_nik(village[:8], date(1990, 1, 5), "P", 82)
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Petunjuk"
    notes.append(["Isi lembar Data; NIK sebagai teks."])
    data = book.create_sheet("Data")
    data.append(["DAFTAR PEKERJA RENTAN DESA SUKAMAJU"])
    data.append([])
    data.append(["No", "No. KTP", "Nama", "Tgl. Lahir", "L/P", "Kode Desa", "Penghasilan per Bulan"])
    data.append([1, nik, "Sri Wahyuni", date(1990, 1, 5), "P", village, 1500000])
    out = io.BytesIO()
    book.save(out)
    answer, upload = _upload(world, out.getvalue(), name="daftar.xlsx")
    assert answer.status_code == 302
    assert (upload.rows, upload.invalid) == (1, 0), _errors(upload)
    from paritrana.enrolment import services

    services.upload_run(actor=world["users"]["sponsor"], upload_id=upload.pk)
    assert Person.objects.filter(nik=nik, full_name="Sri Wahyuni").exists()


def test_place_and_date_of_birth_in_one_column_as_forms_write_them(world: dict[str, Any]) -> None:
    """ "Tempat, Tanggal Lahir" ("Tenggarong, 05-01-1990"): read as both the birth place and the birth
    date, checked against the NIK like any birth date."""
    from paritrana.enrolment import services
    from paritrana.registry.models import Person as Registered

    village = world["kukar_village"].code
    nik1 = make_nik(village[:8], date(1990, 1, 5), "P", 83)
    nik2 = make_nik(village[:8], date(1991, 2, 6), "P", 84)
    content = (
        "NIK;Nama;Tempat, Tanggal Lahir;L/P;Kode Desa;Penghasilan\n"
        f'{nik1};Sri Rahayu;"Tenggarong, 05-01-1990";P;{village};1.000.000\n'
        f"{nik2};Ani Lestari;Samarinda 7 Februari 1991;P;{village};1.000.000\n"
    )
    answer, upload = _upload(world, content.encode())
    assert answer.status_code == 302
    assert (upload.rows, upload.invalid) == (2, 1)
    assert _errors(upload) == {3: {"nik_birth_date_mismatch"}}  # 7 February is not the NIK's 6th
    services.upload_run(actor=world["users"]["sponsor"], upload_id=upload.pk)
    person = Registered.objects.get(nik=nik1)
    assert (person.birth_date, person.birth_place) == (date(1990, 1, 5), "Tenggarong")


def test_an_excel_97_list_is_enrolled_and_its_number_cell_nik_flagged(world: dict[str, Any]) -> None:
    """A village office's .xls (Excel 97–2003): read like a workbook; a NIK typed into a number cell
    is refused with its own code (Excel keeps 15 digits), the others enrolled."""
    import xlwt

    village = world["kukar_village"].code
    nik = make_nik(village[:8], date(1990, 1, 5), "P", 85)
    numeric = make_nik(village[:8], date(1990, 1, 5), "P", 86)
    book = xlwt.Workbook()
    sheet = book.add_sheet("Peserta")
    for col, header in enumerate(["NIK", "Nama", "Tgl Lahir", "JK", "Kode Desa", "Penghasilan"]):
        sheet.write(0, col, header)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for row, (cell, name) in enumerate([(nik, "Sri Wahyuni"), (int(numeric), "Ani")], start=1):
        sheet.write(row, 0, cell)
        sheet.write(row, 1, name)
        sheet.write(row, 2, date(1990, 1, 5), date_style)
        sheet.write(row, 3, "P")
        sheet.write(row, 4, village)
        sheet.write(row, 5, 1500000)
    out = io.BytesIO()
    book.save(out)
    answer, upload = _upload(world, out.getvalue(), name="daftar-desa.xls")
    assert answer.status_code == 302
    assert (upload.rows, upload.invalid) == (2, 1) and _errors(upload) == {3: {"nik_number_cell"}}
    from paritrana.enrolment import services

    services.upload_run(actor=world["users"]["sponsor"], upload_id=upload.pk)
    assert Person.objects.filter(nik=nik, full_name="Sri Wahyuni").exists()
