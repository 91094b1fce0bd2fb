"""One reader for every uploaded table (issue 28 §1): files as real offices write them."""

from __future__ import annotations

import io
from datetime import date

import pytest

from paritrana.core.errors import ValidationFailed
from paritrana.core.sheets import MAX_CELL, decode, delimiter_of, open_sheet


def _rows(content: bytes, name: str = "daftar.csv") -> tuple[list[str], list[tuple[int, list[str]]], dict]:
    sheet = open_sheet(content, name)
    rows = list(sheet.rows)
    return sheet.headers, rows, sheet.problems


def test_a_stray_windows_byte_is_reported_on_its_line_and_the_rest_stays_utf8() -> None:
    content = (
        "\ufeffNIK;Nama\n".encode()
        + "6402015708900003;Nur’aini\n".encode()
        + b"6402015708900004;Caf\xe9 Jaya\n"  # typed in another program: one Windows-1252 byte
        + "6402015708900005;Ségolène Wuryani\n".encode()
    )
    headers, rows, problems = _rows(content)
    assert headers == ["NIK", "Nama"]  # the byte-order mark is not part of the first header
    assert rows[0] == (2, ["6402015708900003", "Nur’aini"]) and rows[2] == (4, ["6402015708900005", "Ségolène Wuryani"])
    assert set(problems) == {3} and problems[3].code == "encoding_invalid"


def test_a_file_saved_by_excel_on_windows_is_read_in_its_own_encoding() -> None:
    content = "NIK,Nama,Alamat\n6402015708900003,Nur’aini,Jl. Café\n".encode("cp1252") * 1
    content += "6402015708900004,Dédé,Jl. Mawar\n".encode("cp1252") * 50
    _, rows, problems = _rows(content)
    assert rows[0][1] == ["6402015708900003", "Nur’aini", "Jl. Café"] and not problems


def test_doubled_quotes_far_into_the_file_are_read_as_the_standard_says() -> None:
    filler = "".join(f"64020157089{i:05d};Warga {i};Jl. Biasa {i}\n" for i in range(400))  # > 8 KB
    content = (
        "NIK;Nama;Alamat\n" + filler + '6402015708900999;Sari;"Jl. Mawar (depan toko ""Sinar""); RT 2"\n'
    ).encode()
    _, rows, _ = _rows(content)
    assert rows[-1][1][2] == 'Jl. Mawar (depan toko "Sinar"); RT 2'


def test_the_delimiter_is_the_header_lines_not_a_guess_from_the_rows() -> None:
    assert delimiter_of("NIK;Nama;Alamat") == ";"
    assert delimiter_of('"NIK","Nama, lengkap"') == ","
    assert delimiter_of("NIK\tNama") == "\t" and delimiter_of("NIK") == ","
    content = b"NIK,Nama\n6402015708900003,Putri | Sari\n6402015708900004,Ani|Budi\n"
    headers, rows, _ = _rows(content)
    assert headers == ["NIK", "Nama"] and rows[0][1] == ["6402015708900003", "Putri | Sari"]


def test_a_quote_left_open_cuts_a_cell_and_reports_the_line_instead_of_failing() -> None:
    content = ('NIK,Nama\n6402015708900003,"Sari\n' + "x" * 200_000 + "\n").encode()
    _, rows, problems = _rows(content)
    assert len(rows[0][1][1]) == MAX_CELL and problems[rows[0][0]].code == "cell_too_long"


def test_crlf_blank_lines_and_no_break_spaces() -> None:
    _headers, rows, _ = _rows("NIK,Nama\r\n6402015708900003\u00a0,Sari\r\n\r\n".encode())
    assert rows[0][1] == ["6402015708900003\u00a0", "Sari"]  # cell_text strips it for the checks
    from paritrana.core.sheets import cell_text

    assert cell_text(rows[0][1][0]) == "6402015708900003"


def test_an_empty_or_oversized_file_is_refused_with_a_code() -> None:
    with pytest.raises(ValidationFailed) as empty:
        open_sheet(b"  \n", "x.csv")
    assert empty.value.problems[0].code == "file_empty"
    with pytest.raises(ValidationFailed) as broken:
        open_sheet(b"PK\x03\x04 not a zip", "x.xlsx")
    assert broken.value.problems[0].code == "file_unreadable"


def test_decode_names_the_encoding() -> None:
    assert decode("Nur’aini".encode())[1] == "utf-8"
    assert decode(b"NIK,Nama\n" + "Dédé,Jl. Café\n".encode("cp1252") * 30)[1] == "cp1252"


def _ods(rows: list[list[str]]) -> bytes:
    """A LibreOffice sheet as LibreOffice writes its parts: mimetype first, then content and manifest."""
    import zipfile

    def cells(row: list[str]) -> str:
        return "".join(
            f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>' for v in row
        )

    body = "".join(f"<table:table-row>{cells(r)}</table:table-row>" for r in rows)
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="Data">{body}</table:table></office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_an_excel_97_file_is_read_like_a_workbook_and_a_nik_in_a_number_cell_stays_a_number() -> None:
    """Offices still save .xls (Excel 97–2003): read through calamine, a title row above the table,
    dates as dates, a NIK typed into a number cell kept as a number for the check that flags it."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Data")
    sheet.write(0, 0, "DAFTAR PESERTA")
    for col, header in enumerate(["NIK", "Nama", "Tanggal Lahir"]):
        sheet.write(2, col, header)
    sheet.write(3, 0, "6402015708900003")
    sheet.write(3, 1, "Nur’aini")
    sheet.write(3, 2, date(1990, 8, 17), xlwt.easyxf(num_format_str="DD/MM/YYYY"))
    sheet.write(4, 0, 6402015708900004)
    sheet.write(4, 1, "Budi")
    out = io.BytesIO()
    book.save(out)
    for name in ("daftar.xls", "daftar.csv"):  # by its bytes as well as by its name
        read = open_sheet(out.getvalue(), name, header_found=lambda cells: "NIK" in cells)
        assert (read.headers, read.header_line) == (["NIK", "Nama", "Tanggal Lahir"], 3)
        rows = list(read.rows)
        assert rows[0] == (4, ["6402015708900003", "Nur’aini", date(1990, 8, 17)])
        assert rows[1][0] == 5 and rows[1][1][0] == 6402015708900004.0


def test_a_libreoffice_sheet_is_read_and_a_damaged_one_refused_with_a_code() -> None:
    read = open_sheet(_ods([["NIK", "Nama"], ["6402015708900003", "Dédé"]]), "daftar.ods")
    assert read.headers == ["NIK", "Nama"] and list(read.rows) == [(2, ["6402015708900003", "Dédé"])]
    with pytest.raises(ValidationFailed) as broken:
        open_sheet(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "daftar.xls")
    assert broken.value.problems[0].code == "file_unreadable"


def test_the_header_is_found_under_a_title_with_the_file_lines_kept() -> None:
    content = b"REKAP PESERTA\nDesa Sukamaju;;\n\nNIK;Nama;Tgl\n1;Ani;x\n\n2;Budi;y\n"
    sheet = open_sheet(content, "r.csv", header_found=lambda cells: "NIK" in cells)
    assert sheet.headers == ["NIK", "Nama", "Tgl"] and sheet.header_line == 4
    assert list(sheet.rows) == [(5, ["1", "Ani", "x"]), (7, ["2", "Budi", "y"])]
    # Without a header the caller recognises, the first line stays the header.
    assert open_sheet(content, "r.csv", header_found=lambda cells: False).headers == ["REKAP PESERTA"]
