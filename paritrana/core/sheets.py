"""Reading an uploaded table: CSV or XLSX (first sheet), the one reader every upload goes through
(bulk enrolment, outside lists, bank statements, BSU files, the wage report; issue 28 §1).

Rows come out as the spreadsheet numbers them (the header is line 1), each cell as text. Excel's
own types are turned into what the officer saw: a date cell into YYYY-MM-DD, a whole number into
its digits. A NIK typed into a number cell is flagged, because Excel keeps only 15 significant
digits and a 16-digit NIK loses its last one.

A CSV is read as its writer wrote it, not as a guess from a sample:
- the encoding is decided for the file: UTF-8 (with or without a byte-order mark) when its lines
  are UTF-8, a line that is not being reported by its number (``Sheet.problems``) rather than
  changing how every other line is read; otherwise the encoding ``charset-normalizer`` detects
  (Windows-1252 for Excel's "CSV" on Windows);
- the delimiter is the one the header line uses (comma, semicolon, tab or bar, outside quotes);
- the header is the first line, or, when the caller says what a header looks like
  (``header_found``), the first such line among the first ``HEADER_SEARCH`` lines: offices put a
  title, the village's name or a blank line above the table. In a workbook, the first sheet that
  has such a line (an instructions sheet may come first);
- cells are quoted as the CSV standard says (a doubled quote is a quote), CRLF and LF alike;
- a cell longer than ``MAX_CELL`` characters (a quote left open swallows the file into one cell) is
  cut and its line reported, never a server error.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from paritrana.core.errors import Problem, ValidationFailed

MAX_BYTES = 100 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
# Excel 97–2003 (.xls) and other OLE2 documents: a binary format, not a text table.
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The longest cell kept: an address is 200 characters, a list's note a few hundred; 10,000 is no
# real cell, but a quote left open would be the rest of the file.
MAX_CELL = 10_000
DELIMITERS = (",", ";", "\t", "|")
HEADER_SEARCH = 20  # lines (or rows of a sheet) looked at for the header
LATIN_ENCODINGS = ("cp1252", "iso8859_15", "cp850", "mac_roman")
# The csv module's own limit (128 KB) would refuse a long cell as an unreadable file; cells are cut
# at MAX_CELL below instead, with their line reported.
csv.field_size_limit(MAX_BYTES)


@dataclass
class Sheet:
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (line number, raw cells)
    kind: str  # csv | xlsx
    encoding: str = ""
    # A line's problem found while reading it (an undecodable byte, a cell too long): filled as the
    # rows are read, so complete once ``rows`` is exhausted.
    problems: dict[int, Problem] = field(default_factory=dict)
    header_line: int = 1  # the file's line (or sheet's row) the header is on


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


def _encoding_problem(line: int, encoding: str) -> Problem:
    return Problem(
        "encoding_invalid",
        f"Baris {line}: ada karakter yang tidak sah dalam {encoding.upper()} (mis. tanda kutip dari program lain); "
        "periksa dan ketik ulang baris ini.",
        "file",
    )


def decode(content: bytes) -> tuple[str, str, dict[int, Problem]]:
    """The file's text, its encoding, and the lines (numbered from 1) that are not valid in it."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(bom):
            if name == "utf-16":
                return content.decode("utf-16", errors="replace"), name, {}
            content = content[len(bom) :]
            break
    try:
        return content.decode("utf-8"), "utf-8", {}
    except UnicodeDecodeError:
        pass
    lines = content.split(b"\n")
    texts: list[str] = []
    problems: dict[int, Problem] = {}
    multibyte = 0  # lines holding characters beyond ASCII that are valid UTF-8
    for number, raw in enumerate(lines, start=1):
        try:
            texts.append(raw.decode("utf-8"))
            multibyte += not raw.isascii()
        except UnicodeDecodeError:
            texts.append(raw.decode("utf-8", errors="replace"))
            problems[number] = _encoding_problem(number, "utf-8")
    # Valid multi-byte sequences do not happen by chance in another encoding: where there are as many
    # as lines that fail, the file is UTF-8 and those lines hold stray bytes.
    if multibyte and multibyte >= len(problems):
        return "\n".join(texts), "utf-8", problems
    from charset_normalizer import from_bytes

    # Among the encodings a Latin-script office's programs write: an unrestricted detector takes a
    # short list of Indonesian names and numbers for Hebrew or Central European. When none fits
    # cleanly, Windows-1252, what Excel on an Indonesian-locale Windows saves.
    best = from_bytes(content[:1_000_000], cp_isolation=list(LATIN_ENCODINGS)).best()
    encoding = best.encoding if best is not None else "cp1252"
    return content.decode(encoding, errors="replace"), encoding, {}


def delimiter_of(header_line: str) -> str:
    """The delimiter the header line uses outside quotes (a comma when it uses none)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _too_long(line: int, problems: dict[int, Problem]) -> None:
    said = (
        f"Baris {line}: satu sel lebih dari {MAX_CELL:,} karakter (tanda kutip tidak ditutup?); baris ini tidak dibaca."
    )
    problems.setdefault(line, Problem("cell_too_long", said.replace(",", "."), "file"))


def _cut(cells: list[str], line: int, problems: dict[int, Problem]) -> list[str]:
    if all(len(c) <= MAX_CELL for c in cells):
        return cells
    _too_long(line, problems)
    return [c[:MAX_CELL] for c in cells]


HeaderFound = Callable[[list[str]], bool]


def header_line_index(text: str, header_found: HeaderFound | None) -> int:
    """The 0-based index of the header among the text's lines (0 without ``header_found`` or when no
    line among the first ``HEADER_SEARCH`` looks like one)."""
    if header_found is None:
        return 0
    for index, line in enumerate(text.split("\n", HEADER_SEARCH)[:HEADER_SEARCH]):
        if not line.strip():
            continue
        try:
            cells = next(csv.reader([line.rstrip("\r")], delimiter=delimiter_of(line), quotechar='"'))
        except (csv.Error, StopIteration):
            continue
        if header_found([c.replace("\ufeff", "").strip() for c in cells]):
            return index
    return 0


def _csv(content: bytes, header_found: HeaderFound | None = None) -> Sheet:
    text, encoding, problems = decode(content)
    skipped = header_line_index(text, header_found)
    if skipped:
        text = text.split("\n", skipped)[-1]  # the lines above the header: a title, not data
    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(header_line), quotechar='"')
    try:
        headers = next(reader)
    except StopIteration:
        headers = []
    except csv.Error as exc:
        raise _unreadable(reader.line_num + skipped) from exc
    sheet = Sheet([h.replace("\ufeff", "").strip() for h in headers], iter(()), "csv", encoding, {}, skipped + 1)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        # The reader's own count: a quoted cell spanning lines keeps later line numbers true to the
        # file; a row is numbered by the line it starts on, as the officer finds it in the file.
        first = reader.line_num + 1
        try:
            for cells in reader:
                last = reader.line_num
                if not cells:
                    first = last + 1
                    continue  # a blank line
                for physical in range(first + skipped, last + skipped + 1):
                    if physical in problems:
                        sheet.problems.setdefault(first + skipped, _encoding_problem(first + skipped, encoding))
                yield first + skipped, _cut(cells, first + skipped, sheet.problems)
                first = last + 1
        except csv.Error as exc:
            raise _unreadable(reader.line_num + skipped) from exc

    sheet.rows = rows()
    return sheet


def _unreadable(line: int) -> ValidationFailed:
    return ValidationFailed(
        [Problem("file_unreadable", f"Baris {line}: berkas CSV tidak dapat dibaca dari baris ini.", "file")]
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


def _xlsx(content: bytes, header_found: HeaderFound | None = None) -> Sheet:
    import openpyxl

    _check_zip(content)
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationFailed([Problem("file_unreadable", "Berkas XLSX tidak dapat dibaca.", "file")]) from exc
    sheet, header_row = book.worksheets[0], 1
    if header_found is not None:
        found = next(
            (
                (candidate, number)
                for candidate in book.worksheets
                for number, cells in enumerate(candidate.iter_rows(max_row=HEADER_SEARCH, values_only=True), start=1)
                if header_found([cell_text(c) for c in cells])
            ),
            None,
        )
        if found:
            sheet, header_row = found
    iterator = sheet.iter_rows(min_row=header_row, values_only=True)
    try:
        headers = [cell_text(h) for h in next(iterator)]
    except StopIteration:
        headers = []

    read = Sheet(headers, iter(()), "xlsx", "xlsx", {}, header_row)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for line, cells in enumerate(iterator, start=header_row + 1):
            values = list(cells)
            if any(isinstance(v, str) and len(v) > MAX_CELL for v in values):
                values = [v[:MAX_CELL] if isinstance(v, str) else v for v in values]
                _too_long(line, read.problems)
            yield line, values
        book.close()

    read.rows = rows()
    return read


def _older_workbook(content: bytes, header_found: HeaderFound | None) -> Sheet:
    """An Excel 97–2003 (.xls) or LibreOffice (.ods) file through calamine, read like an XLSX: the
    first sheet with a header the caller recognises (or the first sheet), rows numbered as the
    spreadsheet numbers them. Such a file holds at most 65,536 rows (.xls), so it is read whole."""
    from python_calamine import CalamineWorkbook

    if content[:4] == XLSX_MAGIC:
        _check_zip(content)  # an .ods is a zip too
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheets = [book.get_sheet_by_index(i).to_python(skip_empty_area=False) for i in range(len(book.sheet_names))]
    except Exception as exc:  # calamine raises its own kinds for a damaged file
        raise ValidationFailed([Problem("file_unreadable", "Berkas .xls/.ods tidak dapat dibaca.", "file")]) from exc
    rows, header_row = (sheets[0] if sheets else []), 1
    if header_found is not None:
        found = next(
            (
                (candidate, number)
                for candidate in sheets
                for number, cells in enumerate(candidate[:HEADER_SEARCH], start=1)
                if header_found([cell_text(c) for c in cells])
            ),
            None,
        )
        if found:
            rows, header_row = found
    headers = [cell_text(h) for h in rows[header_row - 1]] if len(rows) >= header_row else []
    read = Sheet(headers, iter(()), "xls", "xls", {}, header_row)

    def body() -> Iterator[tuple[int, list[Any]]]:
        for line, cells in enumerate(rows[header_row:], start=header_row + 1):
            # calamine gives an empty string for an empty cell where openpyxl gives None.
            values = [None if v == "" else v for v in cells]
            if any(isinstance(v, str) and len(v) > MAX_CELL for v in values):
                values = [v[:MAX_CELL] if isinstance(v, str) else v for v in values]
                _too_long(line, read.problems)
            yield line, values

    read.rows = body()
    return read


def is_older_workbook(content: bytes, file_name: str) -> bool:
    """An Excel 97–2003 (.xls, an OLE2 document) or LibreOffice (.ods) file, by its bytes or name."""
    return content[:8] == XLS_MAGIC or file_name.lower().endswith((".xls", ".ods"))


def open_sheet(content: bytes, file_name: str, *, header_found: HeaderFound | None = None) -> Sheet:
    """The file's table. ``header_found`` says whether a row of cells is the caller's header; without
    it the first row is the header."""
    if len(content) > MAX_BYTES:
        raise ValidationFailed([Problem("file_too_large", "Berkas paling besar 100 MB.", "file")])
    if not content.strip():
        raise ValidationFailed([Problem("file_empty", "Berkas kosong.", "file")])
    if is_older_workbook(content, file_name):
        return _older_workbook(content, header_found)
    if content[:4] == XLSX_MAGIC or file_name.lower().endswith(".xlsx"):
        return _xlsx(content, header_found)
    return _csv(content, header_found)
