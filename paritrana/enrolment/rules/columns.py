"""The enrolment template's columns and how a file's headers map onto them (pure; no Django).

Sponsors and employers send lists in many shapes: the template's Indonesian headers, their own
payroll headers ("No KTP", "Tgl Lahir", "L/P"), or any header with a mapping they give. Headers are
compared after lower-casing and dropping everything but letters and digits, so "Tanggal Lahir",
"TANGGAL_LAHIR" and "tanggal lahir " are one header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool
    example: str
    note: str
    aliases: tuple[str, ...] = ()


# The template, in order. Required means the column must exist; whether a cell may be empty is
# decided per row (income is needed only for BPU rows, wage only for PU rows).
COLUMNS: tuple[Column, ...] = (
    Column("nik", "NIK", True, "6402015708900003", "16 digit, simpan sebagai teks", ("noktp", "nomorktp", "nomornik")),
    Column("full_name", "Nama Lengkap", True, "Siti Aminah", "gelar boleh ditulis", ("nama", "namapeserta")),
    Column("birth_date", "Tanggal Lahir", True, "17/08/1990", "DD/MM/YYYY", ("tgllahir", "tanggallahirddmmyyyy")),
    Column("sex", "Jenis Kelamin", True, "P", "L atau P", ("jk", "lp", "kelamin")),
    Column(
        "village_code",
        "Kode Desa/Kelurahan",
        True,
        "64.02.01.2001",
        "kode Kepmendagri, 10 digit boleh tanpa titik",
        ("kodedesa", "kodekelurahan", "kodewilayah"),
    ),
    Column("segment", "Segmen", False, "BPU", "BPU, PU, JAKON atau PMI; kosong = bawaan pengunggah", ("kategori",)),
    Column("tags", "Kelompok", False, "Pekerja rentan, Petani", "dipisah koma", ("tanda", "kelompokpekerja")),
    Column(
        "declared_income",
        "Penghasilan (BPU)",
        False,
        "1.000.000",
        "rupiah per bulan, wajib untuk BPU",
        ("penghasilan", "penghasilanbulanan"),
    ),
    Column("wage", "Upah (PU)", False, "", "rupiah per bulan, wajib untuk PU", ("upah", "gaji", "upahbulanan")),
    Column("programmes", "Program", False, "", "JKK, JKM, JHT...; kosong = bawaan segmen", ("programjaminan",)),
    Column("valid_from", "Tanggal Mulai", False, "", "DD/MM/YYYY; kosong = tanggal unggahan", ("mulai", "tmt")),
    Column("birth_place", "Tempat Lahir", False, "Tenggarong", "", ("tmplahir", "tempatlahir")),
    Column("address", "Alamat", False, "Jl. Mulawarman 12", "", ()),
    Column("phone", "No. HP", False, "081234567890", "", ("telepon", "hp", "nohp", "nomorhp")),
)
FIELDS = tuple(c.field for c in COLUMNS)
REQUIRED = tuple(c.field for c in COLUMNS if c.required)

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def header_key(header: str) -> str:
    return _NOT_ALNUM.sub("", header.lower())


_KNOWN: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, _column.field, *_column.aliases):
        _KNOWN[header_key(_name)] = _column.field


@dataclass(frozen=True)
class HeaderMap:
    """Which file column feeds which field, and what could not be placed."""

    positions: dict[str, int]  # field -> 0-based column index in the file
    ignored: tuple[str, ...]  # headers that feed nothing
    missing: tuple[str, ...]  # required fields no header maps to
    repeated: tuple[str, ...]  # fields two headers map to
    unknown_targets: tuple[str, ...]  # mapping values that are not fields


def map_headers(headers: list[str], mapping: dict[str, str] | None = None) -> HeaderMap:
    """Place each header: the uploader's mapping first (header as in the file -> field), then the
    template's headers and their aliases.

    >>> m = map_headers(["No KTP", "Nama", "Tgl Lahir", "L/P", "Desa", "Catatan"], {"Desa": "village_code"})
    >>> m.positions == {"nik": 0, "full_name": 1, "birth_date": 2, "sex": 3, "village_code": 4}, m.ignored
    (True, ('Catatan',))
    """
    given = {header_key(k): v for k, v in (mapping or {}).items()}
    unknown_targets = tuple(sorted({v for v in given.values() if v not in FIELDS and v != ""}))
    positions: dict[str, int] = {}
    ignored: list[str] = []
    repeated: list[str] = []
    for index, raw in enumerate(headers):
        key = header_key(str(raw or ""))
        field = given[key] if key in given else _KNOWN.get(key)
        if not field or field not in FIELDS:
            if key:
                ignored.append(str(raw).strip())
            continue
        if field in positions:
            repeated.append(field)
            continue
        positions[field] = index
    missing = tuple(f for f in REQUIRED if f not in positions)
    return HeaderMap(positions, tuple(ignored), missing, tuple(repeated), unknown_targets)
