"""A bank's or channel's returned results file, read the same way for every kind of payment (BSU
subsidies, monthly pensions): CSV or XLSX, as typed or exported by the bank, with a ``reference``
column, a ``status`` column (paid/berhasil/sukses/tersalurkan, failed/gagal, account_invalid/rekening
tidak valid) and optionally a ``date``. Headers are matched loosely (case, spaces, punctuation); a line
that cannot be read is reported by its number, never dropped silently."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from .errors import Problem, ValidationFailed
from .sheets import cell_text, open_sheet

PAID, FAILED, ACCOUNT_INVALID = "paid", "failed", "account_invalid"

RESULT_WORDS = {
    "paid": PAID,
    "berhasil": PAID,
    "sukses": PAID,
    "tersalurkan": PAID,
    "dibayar": PAID,
    "failed": FAILED,
    "gagal": FAILED,
    "ditolak": FAILED,
    "retur": FAILED,
    "account_invalid": ACCOUNT_INVALID,
    "rekening_tidak_valid": ACCOUNT_INVALID,
    "rekeningtidakvalid": ACCOUNT_INVALID,
}

# The codes of the lines that could not be read (the others are judged against the payments).
UNREADABLE = ("status_unknown", "date_invalid", "reference_missing")

# (line number in the file, reference, one of PAID/FAILED/ACCOUNT_INVALID, the result's date or None)
ResultRow = tuple[int, str, str, date | None]


def read_results(content: bytes, file_name: str) -> tuple[list[ResultRow], list[dict[str, Any]]]:
    """The readable lines of a results file and, by line, the problems of the others. Raises
    ValidationFailed when the reference or status column is missing (nothing could be read)."""
    sheet = open_sheet(content, file_name)
    keys = [re.sub(r"[^a-z]", "", h.lower()) for h in sheet.headers]

    def column(*names: str) -> int | None:
        return next((i for i, key in enumerate(keys) if key in names), None)

    ref_at = column("reference", "referensi", "noreferensi", "ref")
    status_at = column("status", "hasil", "keterangan")
    date_at = column("date", "tanggal", "tglbayar", "tanggalbayar")
    missing = [name for name, at in (("reference", ref_at), ("status", status_at)) if at is None]
    if missing:
        raise ValidationFailed([Problem("column_missing", f"Kolom {name} tidak ditemukan.", name) for name in missing])
    assert ref_at is not None and status_at is not None
    rows: list[ResultRow] = []
    errors: list[dict[str, Any]] = []
    for line, cells in sheet.rows:
        texts = [cell_text(c) for c in cells] + [""] * 3
        if not any(texts):
            continue
        status = result_of(texts[status_at])
        when = parse_day(texts[date_at]) if date_at is not None and texts[date_at] else None
        if status is None:
            errors.append(
                {"line": line, "code": "status_unknown", "message": f"Status '{texts[status_at]}' tidak dikenal."}
            )
        elif date_at is not None and texts[date_at] and when is None:
            errors.append({"line": line, "code": "date_invalid", "message": f"Tanggal '{texts[date_at]}' tidak sah."})
        elif not texts[ref_at].strip():
            errors.append({"line": line, "code": "reference_missing", "message": "Referensi kosong."})
        else:
            rows.append((line, texts[ref_at].strip(), status, when))
    return rows, errors


def judged(found: Iterable[tuple[int, str, str | None, str]], label: Callable[[str], str]) -> list[dict[str, Any]]:
    """The problems of readable lines once set against the payments: ``found`` holds, for each line
    that names no payment (current None) or a payment already answered otherwise, its line, reference,
    the payment's current state and the state the file wants; ``label`` names a state for people."""
    problems = []
    for line, reference, current, wanted in found:
        if current is None:
            problems.append(
                {"line": line, "code": "reference_unknown", "message": f"Referensi {reference} tidak dikenal."}
            )
        else:
            problems.append(
                {
                    "line": line,
                    "code": "result_conflict",
                    "message": f"Pembayaran {reference} sudah berstatus {label(current)};"
                    f" hasil {label(wanted)} diabaikan.",
                }
            )
    return problems


def result_of(text: str) -> str | None:
    """The result a bank's status cell says: the whole cell ("Rekening tidak valid"), or its leading
    words when the bank adds a reason ("GAGAL - rekening ditutup", "Berhasil dibayar"); None when
    neither is one of the known words (reported, never guessed)."""
    words = re.findall(r"[a-z]+", text.lower())
    for n in (len(words), 3, 1):
        if 0 < n <= len(words):
            found = RESULT_WORDS.get("_".join(words[:n])) or RESULT_WORDS.get("".join(words[:n]))
            if found:
                return found
    return None


def parse_day(text: str) -> date | None:
    """2024-08-31, 31/08/2024 or 31-08-2024 (a bank's own export); None when it is not a day."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[/-](\d{1,2})[/-](\d{4})", text.strip()[:10])
    if not match:
        return None
    y, m, d = (
        (match.group(1), match.group(2), match.group(3))
        if match.group(1)
        else (match.group(6), match.group(5), match.group(4))
    )
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None
