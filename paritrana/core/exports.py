"""Every table Paritrana hands out as a file (CSV or XLSX), written one way.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula
by Excel and LibreOffice ("CSV injection", OWASP). Names, file names and the cells of outside lists
are typed by people Paritrana does not control, so no export may pass them through as written:

- in CSV such a cell is prefixed with an apostrophe, which the spreadsheet shows as text;
- in XLSX the cell is stored with the string type, so it is text whatever it starts with.

A plain number written as text (``-5000``, ``+62``) is no formula and is left alone only when it is
all digits after its sign; anything else that starts so is neutralised.

CSV meant for people carries a byte-order mark so that Excel opens UTF-8 (names with é, ñ, Arabic
script) correctly; a file meant for another system (a bank's payment file) goes without one.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpResponse, StreamingHttpResponse
    from django.http.response import HttpResponseBase

FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
BOM = "\ufeff"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(value: object) -> bool:
    """Whether a spreadsheet would evaluate ``value`` if it were written as typed.

    >>> is_formula_like("=HYPERLINK(\\"http://x\\")"), is_formula_like("@SUM(A1)"), is_formula_like("-5000")
    (True, True, False)
    >>> is_formula_like("Siti"), is_formula_like(-3)
    (False, False)
    """
    return isinstance(value, str) and value.startswith(FORMULA_LEADERS) and _PLAIN_NUMBER.fullmatch(value) is None


def csv_cell(value: object) -> object:
    """The value as a CSV cell: formula-like text gets a leading apostrophe.

    >>> csv_cell("=1+1"), csv_cell("Budi"), csv_cell(None)
    ("'=1+1", 'Budi', '')
    """
    if value is None:
        return ""
    if is_formula_like(value):
        return "'" + str(value)
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> Iterator[str]:
    """CSV text one line at a time (for a streamed response), every cell neutralised."""
    writer = csv.writer(_Echo())
    if bom:
        yield BOM
    yield writer.writerow([csv_cell(v) for v in header])
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> bytes:
    return "".join(csv_lines(header, rows, bom=bom)).encode("utf-8")


def write_csv(path: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> None:
    """The same CSV to a file (the command line's exports)."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        for line in csv_lines(header, rows, bom=bom):
            out.write(line)


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str] | None, Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook of ``(title, header or None, rows)`` sheets; text cells are always text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        if header is not None:
            cells = []
            for name in header:
                cell = WriteOnlyCell(sheet, value=_xlsx_value(name))
                cell.font = bold
                cells.append(_as_text(cell, name))
            sheet.append(cells)
        for row in rows:
            sheet.append([_as_text(WriteOnlyCell(sheet, value=_xlsx_value(v)), v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value: object) -> object:
    # XML 1.0 cannot carry most control characters, and a cell typed in a real office may hold one
    # (a pasted form feed, a NUL from a bank export): dropped, where openpyxl would refuse the file.
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _as_text(cell: Any, value: object) -> Any:
    if isinstance(value, str):
        cell.data_type = "s"  # never "f": a cell starting with "=" stays the text people typed
    return cell


def mask_nik(nik: str) -> str:
    """Keep the region prefix and the last two digits: enough to tell people apart in a list,
    not enough to impersonate them (birth date and serial hidden; DESIGN.md §3.7).

    >>> mask_nik("6402015708900003")
    '640201********03'
    """
    return nik[:6] + "*" * 8 + nik[14:]


@dataclass
class Table:
    """A table to hand out: ``name`` is the file's name without its extension, ``title`` the
    sheet's; the columns named in ``nik_columns`` carry NIKs, masked unless ``full_nik`` (the
    caller's role needs them whole: ``Scope.full_nik_in_exports``)."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    title: str = "Data"
    nik_columns: Sequence[int] = ()
    full_nik: bool = False

    def cells(self) -> Iterator[Sequence[Any]]:
        masked = () if self.full_nik else tuple(self.nik_columns)
        for row in self.rows:
            if masked:
                row = [mask_nik(v) if i in masked and isinstance(v, str) and v else v for i, v in enumerate(row)]
            yield row


FORMATS = ("csv", "xlsx")


def _attachment(response: HttpResponseBase, table: Table, fmt: str) -> None:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", table.name).strip("-") or "data"
    response["Content-Disposition"] = f'attachment; filename="{safe}.{fmt}"'


def table_response(table: Table, fmt: str = "csv", *, bom: bool = True) -> HttpResponse:
    """The one way a page hands a table out: CSV (with a byte-order mark for Excel unless another
    system reads it) or XLSX; every cell neutralised, NIKs masked as the table says."""
    from django.http import HttpResponse

    from .errors import Problem, ValidationFailed

    if fmt not in FORMATS:
        raise ValidationFailed([Problem("format_unknown", "Format berkas: csv atau xlsx.", "format")])
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes([(table.title, table.header, table.cells())]), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_bytes(table.header, table.cells(), bom=bom), content_type=CSV_TYPE)
    _attachment(response, table, fmt)
    return response


def table_stream(table: Table, *, bom: bool = True) -> StreamingHttpResponse:
    """The same CSV streamed row by row, for tables too long to hold in memory (a registry search
    of a whole province); the rows should come from ``QuerySet.iterator()``."""
    from django.http import StreamingHttpResponse

    response = StreamingHttpResponse(csv_lines(table.header, table.cells(), bom=bom), content_type=CSV_TYPE)
    _attachment(response, table, "csv")
    return response


PDF_TYPE = "application/pdf"


def file_response(content: bytes, file_name: str, *, content_type: str, inline: bool = False) -> HttpResponse:
    """A generated file (a PDF letter or report, a workbook) handed to the browser under its name."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=content_type)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", file_name).strip("-") or "berkas"
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{safe}"'
    return response
