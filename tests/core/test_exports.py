"""core/exports.py: every table and file handed out, one way (BOM, XLSX, streaming, masked NIKs,
neutralised formulas)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from paritrana.core.errors import ValidationFailed
from paritrana.core.exports import (
    PDF_TYPE,
    Table,
    csv_cell,
    file_response,
    mask_nik,
    table_response,
    table_stream,
)

NIK = "6402015708900003"


def _table(full: bool) -> Table:
    return Table(
        "peserta uji/1", ["nik", "nama"], [[NIK, "=HYPERLINK(1)"], [NIK, "Siti"]], nik_columns=[0], full_nik=full
    )


def test_csv_for_people_has_a_bom_masked_niks_and_no_formulas() -> None:
    answer = table_response(_table(full=False), "csv")
    text = answer.content.decode("utf-8")
    assert text.startswith("\ufeff") and mask_nik(NIK) in text and NIK not in text
    assert "'=HYPERLINK(1)" in text
    assert answer["Content-Disposition"] == 'attachment; filename="peserta-uji-1.csv"'


def test_a_role_that_needs_the_nik_gets_it_and_a_bank_file_has_no_bom() -> None:
    text = table_response(_table(full=True), "csv", bom=False).content.decode("utf-8")
    assert not text.startswith("\ufeff") and NIK in text


def test_xlsx_keeps_text_as_text() -> None:
    book = load_workbook(io.BytesIO(table_response(_table(full=False), "xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1] == (mask_nik(NIK), "=HYPERLINK(1)")
    assert book.active["B2"].data_type == "s"


def test_streamed_csv_is_the_same_csv() -> None:
    streamed = b"".join(table_stream(_table(full=False)).streaming_content).decode("utf-8")  # type: ignore[arg-type]
    assert streamed == table_response(_table(full=False), "csv").content.decode("utf-8")


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        table_response(_table(full=False), "xls")
    assert refused.value.code == "format_unknown"


def test_files_get_a_safe_name() -> None:
    answer = file_response(b"%PDF", 'surat "klaim" 7.pdf', content_type=PDF_TYPE, inline=True)
    assert answer["Content-Disposition"] == 'inline; filename="surat-klaim-7.pdf"'
    assert csv_cell("-5000") == "-5000" and csv_cell("@SUM(A1)") == "'@SUM(A1)"
