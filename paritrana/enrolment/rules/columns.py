"""The enrolment template's columns and how a file's headers map onto them (pure; no Django).

Sponsors and employers send lists in many shapes: the template's Indonesian headers, their own
payroll headers ("No KTP", "Tgl Lahir", "L/P"), or any header with a mapping they give. Headers are
compared after lower-casing, dropping a note in brackets ("Jenis Kelamin (L/P)", "Nama Lengkap
(sesuai KTP)", "Penghasilan (Rp)") and everything but letters and digits, so "Tanggal Lahir",
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
    Column(
        "nik",
        "NIK",
        True,
        "6402015708900003",
        "16 digit, simpan sebagai teks",
        (
            "noktp",
            "nomorktp",
            "nomornik",
            "nonik",
            "niktp",
            "nikktp",
            "nomorindukkependudukan",
            "noidentitas",
        ),
    ),
    Column(
        "full_name",
        "Nama Lengkap",
        True,
        "Siti Aminah",
        "gelar boleh ditulis",
        ("nama", "namapeserta", "namasesuaiktp", "namaktp", "namapekerja", "namatenagakerja", "namalengkapsesuaiktp"),
    ),
    Column(
        "birth_date",
        "Tanggal Lahir",
        True,
        "17/08/1990",
        "DD/MM/YYYY",
        ("tgllahir", "tanggallahirddmmyyyy", "tgllhr", "tanggallhr", "tgllahirddmmyyyy"),
    ),
    Column("sex", "Jenis Kelamin", True, "P", "L atau P", ("jk", "lp", "kelamin", "jeniskel", "sex", "gender")),
    Column(
        "village_code",
        "Kode Desa/Kelurahan",
        True,
        "64.02.01.2001",
        "kode Kepmendagri, 10 digit boleh tanpa titik",
        (
            "kodedesa",
            "kodekelurahan",
            "kodewilayah",
            "kodekeldesa",
            "kodedesakel",
            "kodedesakelurahan",
            "kodewilayahdesa",
        ),
    ),
    Column("segment", "Segmen", False, "BPU", "BPU, PU, JAKON atau PMI; kosong = bawaan pengunggah", ("kategori",)),
    Column("tags", "Kelompok", False, "Pekerja rentan, Petani", "dipisah koma", ("tanda", "kelompokpekerja")),
    Column(
        "declared_income",
        "Penghasilan (BPU)",
        False,
        "1.000.000",
        "rupiah per bulan, wajib untuk BPU",
        ("penghasilan", "penghasilanbulanan", "penghasilanperbulan", "pendapatan", "pendapatanperbulan"),
    ),
    Column(
        "wage",
        "Upah (PU)",
        False,
        "",
        "rupiah per bulan, wajib untuk PU",
        ("upah", "gaji", "upahbulanan", "upahperbulan", "gajiperbulan", "gajipokok"),
    ),
    Column("programmes", "Program", False, "", "JKK, JKM, JHT...; kosong = bawaan segmen", ("programjaminan",)),
    Column("valid_from", "Tanggal Mulai", False, "", "DD/MM/YYYY; kosong = tanggal unggahan", ("mulai", "tmt")),
    Column("birth_place", "Tempat Lahir", False, "Tenggarong", "", ("tmplahir", "tempatlahir", "tptlahir")),
    Column("address", "Alamat", False, "Jl. Mulawarman 12", "", ("alamatlengkap", "alamatktp", "alamatdomisili")),
    Column(
        "phone",
        "No. HP",
        False,
        "081234567890",
        "",
        ("telepon", "hp", "nohp", "nomorhp", "notelp", "notelepon", "nomortelepon", "nohpwa", "nowa", "telp"),
    ),
)
FIELDS = tuple(c.field for c in COLUMNS)
REQUIRED = tuple(c.field for c in COLUMNS if c.required)
# One column for place and date of birth, as Indonesian forms write them ("Tempat, Tanggal Lahir":
# "Tenggarong, 17-08-1990"): read as both when the file has no birth date column of its own.
PLACE_AND_DATE = "birth_place_date"
_PLACE_AND_DATE_KEYS = {"ttl", "tempattanggallahir", "tempattgllahir", "tempattgllhr", "tempatdantanggallahir"}
_DATE_AT_END = re.compile(
    r"^(?P<place>.*?)[\s,]*(?P<date>\d{1,2}[-/. ]\d{1,2}[-/. ]\d{2,4}|\d{1,2}\s+[A-Za-z]+\s+\d{2,4}"
    r"|\d{4}-\d{2}-\d{2})\s*$"
)


def split_place_and_date(text: str) -> tuple[str, str]:
    """Place and date of birth from one cell.

    >>> split_place_and_date("Tenggarong, 17-08-1990"), split_place_and_date("KUTAI KARTANEGARA 5 Mei 1985")
    (('Tenggarong', '17-08-1990'), ('KUTAI KARTANEGARA', '5 Mei 1985'))
    >>> split_place_and_date("Samarinda")
    ('Samarinda', '')
    """
    found = _DATE_AT_END.match(text.strip())
    if not found:
        return text.strip(), ""
    return found["place"].strip(" ,"), found["date"]


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^]]*\]")


def header_key(header: str) -> str:
    """
    >>> [header_key(h) for h in ("Jenis Kelamin (L/P)", "NAMA LENGKAP [sesuai KTP]", "Tgl. Lahir")]
    ['jeniskelamin', 'namalengkap', 'tgllahir']
    """
    return _NOT_ALNUM.sub("", _BRACKETED.sub("", header.lower())) or _NOT_ALNUM.sub("", header.lower())


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
        if key not in given and key in _PLACE_AND_DATE_KEYS:
            positions.setdefault(PLACE_AND_DATE, index)
            continue
        field = given[key] if key in given else _KNOWN.get(key)
        if not field or field not in FIELDS:
            if key:
                ignored.append(str(raw).strip())
            continue
        if field in positions:
            repeated.append(field)
            continue
        positions[field] = index
    if PLACE_AND_DATE in positions and "birth_date" in positions:
        del positions[PLACE_AND_DATE]  # the file's own birth date column stands
    placed = set(positions) | ({"birth_date"} if PLACE_AND_DATE in positions else set())
    missing = tuple(f for f in REQUIRED if f not in placed)
    return HeaderMap(positions, tuple(ignored), missing, tuple(repeated), unknown_targets)
