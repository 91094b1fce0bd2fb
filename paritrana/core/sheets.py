"""Reading an uploaded list: CSV (comma, semicolon or tab; UTF-8 or Windows-1252) or XLSX (first sheet).

Rows come out as the spreadsheet numbers them (the header is line 1), each cell as text. Excel's
own types are turned into what the officer saw: a date cell into YYYY-MM-DD, a whole number into
its digits. A NIK typed into a number cell is flagged, because Excel keeps only 15 significant
digits and a 16-digit NIK loses its last one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from paritrana.core.errors import Problem, ValidationFailed

MAX_BYTES = 100 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Sheet:
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (line number, raw cells)
    kind: str  # csv | xlsx


def cell_text(value: Any) -> str:
    if type(value) is str:  # every CSV cell, most XLSX cells: the common case first
        return value.replace("\x00", "").strip()
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\x00", "").strip()


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page.
        return content.decode("cp1252", errors="replace")


def _csv(content: bytes) -> Sheet:
    text = _decode(content)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        headers = next(reader)
    except StopIteration:
        headers = []
    except csv.Error as exc:
        raise _unreadable(reader.line_num) from exc

    def rows() -> Iterator[tuple[int, list[Any]]]:
        # The reader's own count: a quoted cell spanning lines keeps later line numbers true to the file.
        try:
            for cells in reader:
                yield reader.line_num, cells
        except csv.Error as exc:
            raise _unreadable(reader.line_num) from exc

    return Sheet([h.strip() for h in headers], rows(), "csv")


def _unreadable(line: int) -> ValidationFailed:
    # csv refuses a cell over 128 KB (csv.field_size_limit): no real cell is that long, and a quote
    # left open swallows the rest of the file into one. Either way the file is refused with its line.
    return ValidationFailed(
        [
            Problem(
                "file_unreadable",
                f"Baris {line}: sel terlalu panjang (lebih dari 128 KB) atau tanda kutip tidak ditutup.",
                "file",
            )
        ]
    )


# An XLSX is a zip of XML. Real sheets compress 5–30 times; a crafted one a thousand times, and
# openpyxl holds its shared strings in memory. Refused before any is read: more than this in all,
# or an entry that expands more than XLSX_MAX_RATIO times.
XLSX_MAX_UNCOMPRESSED = 1024 * 1024 * 1024
XLSX_MAX_RATIO = 200


def _check_zip(content: bytes) -> None:
    import zipfile

    try:
        entries = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ValidationFailed([Problem("file_unreadable", "Berkas XLSX tidak dapat dibaca.", "file")]) from exc
    total = sum(e.file_size for e in entries)
    inflated = any(
        e.file_size > 1024 * 1024 and e.file_size > XLSX_MAX_RATIO * max(e.compress_size, 1) for e in entries
    )
    if total > XLSX_MAX_UNCOMPRESSED or inflated:
        raise ValidationFailed(
            [Problem("file_too_large", "Isi berkas XLSX terlalu besar setelah dibuka (lebih dari 1 GB).", "file")]
        )


def _xlsx(content: bytes) -> Sheet:
    import openpyxl

    _check_zip(content)
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationFailed([Problem("file_unreadable", "Berkas XLSX tidak dapat dibaca.", "file")]) from exc
    sheet = book.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        headers = [cell_text(h) for h in next(iterator)]
    except StopIteration:
        headers = []

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for line, cells in enumerate(iterator, start=2):
            yield line, list(cells)
        book.close()

    return Sheet(headers, rows(), "xlsx")


def open_sheet(content: bytes, file_name: str) -> Sheet:
    if len(content) > MAX_BYTES:
        raise ValidationFailed([Problem("file_too_large", "Berkas paling besar 100 MB.", "file")])
    if not content.strip():
        raise ValidationFailed([Problem("file_empty", "Berkas kosong.", "file")])
    if content[:4] == XLSX_MAGIC or file_name.lower().endswith(".xlsx"):
        return _xlsx(content)
    return _csv(content)
