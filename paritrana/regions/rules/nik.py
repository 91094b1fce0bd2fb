"""NIK (Nomor Induk Kependudukan) structure rules. Pure: region names come in through ``RegionLookup``.

Legal basis: UU 24/2013 jo. UU 23/2006 (Administrasi Kependudukan) Pasal 13 — a NIK is unique, for
life; its layout ``PP KK CC DDMMYY SSSS`` (province, regency/city, district of first registration,
birth date with the day + 40 for women, serial) follows Permendagri 7/2019 and is described in
``reference/data-sources.md`` § NIK. There is no check digit, so a declared birth date and sex are the
only defence against a typo.

Each failure has a stable code and an Indonesian message; every failure is reported at once.

>>> from datetime import date
>>> lookup = StaticRegionLookup({"64": "Kalimantan Timur", "64.02": "Kabupaten Kutai Kartanegara",
...                              "64.02.01": "Samboja"})
>>> r = parse_nik("6402015708900003", regions=lookup, today=date(2026, 11, 21))
>>> (r.valid, r.sex, r.birth_date.isoformat())
(True, 'P', '1990-08-17')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

_SEPARATORS = re.compile(r"[\s.\-]")
_SIXTEEN = re.compile(r"[0-9]{16}")


class RegionLookup(Protocol):
    def name(self, code: str) -> str | None:
        """Name of a current province ("64"), regency ("64.02") or district ("64.02.01")."""

    def successor(self, old_regency_code: str) -> tuple[str, str] | None:
        """For a retired regency code: (current code, name); None when the code was never retired."""


@dataclass(frozen=True)
class StaticRegionLookup:
    """A lookup over plain dicts, for tests and for callers that preload the region table."""

    names: dict[str, str]
    successors: dict[str, tuple[str, str]] = field(default_factory=dict)

    def name(self, code: str) -> str | None:
        return self.names.get(code)

    def successor(self, old_regency_code: str) -> tuple[str, str] | None:
        return self.successors.get(old_regency_code)


@dataclass(frozen=True)
class Issue:
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass
class NikResult:
    input: str
    nik: str | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    province_code: str | None = None
    regency_code: str | None = None
    district_code: str | None = None
    province: str | None = None
    regency: str | None = None
    district: str | None = None
    # For a retired prefix: the regency that carries it today.
    current_regency_code: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    serial: str | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def error_codes(self) -> list[str]:
        return [e.code for e in self.errors]

    @property
    def warning_codes(self) -> list[str]:
        return [w.code for w in self.warnings]

    def as_dict(self) -> dict[str, object]:
        def region(code: str | None, name: str | None) -> dict[str, str | None] | None:
            return None if code is None else {"code": code, "name": name}

        regency = region(self.regency_code, self.regency)
        if regency is not None and self.current_regency_code:
            regency["current_code"] = self.current_regency_code
        return {
            "nik": self.nik,
            "valid": self.valid,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
            "province": region(self.province_code, self.province),
            "regency": regency,
            "district": region(self.district_code, self.district),
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
        }


def clean_nik(raw: str) -> str:
    """Strip spaces, dots and dashes, the separators people type into a NIK.

    >>> clean_nik("64.02.01 570890-0003")
    '6402015708900003'
    """
    return _SEPARATORS.sub("", str(raw))


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def birth_date_from_nik(day: int, month: int, yy: int, *, today: date) -> date | None:
    """The birth date encoded in a NIK: the latest century that is not in the future.

    >>> birth_date_from_nik(29, 2, 0, today=date(2026, 11, 21))
    datetime.date(2000, 2, 29)
    >>> birth_date_from_nik(1, 1, 30, today=date(2026, 11, 21))
    datetime.date(1930, 1, 1)
    """
    for year in (2000 + yy, 1900 + yy):
        found = _real_date(year, month, day)
        if found is not None and found <= today:
            return found
    return None


def parse_nik(
    raw: str,
    *,
    regions: RegionLookup,
    today: date,
    declared_birth_date: date | None = None,
    declared_sex: str | None = None,
) -> NikResult:
    """Check a NIK's structure and, when given, its agreement with a declared birth date and sex."""
    result = NikResult(input=str(raw))
    digits = clean_nik(raw)
    if not _SIXTEEN.fullmatch(digits):
        result.errors.append(Issue("nik_format", "NIK harus terdiri dari 16 digit angka."))
        return result
    result.nik = digits
    pp, kk, cc = digits[0:2], digits[2:4], digits[4:6]
    result.province_code = pp
    result.regency_code = f"{pp}.{kk}"
    result.district_code = f"{pp}.{kk}.{cc}"

    result.province = regions.name(pp)
    if result.province is None:
        result.errors.append(Issue("nik_province_unknown", f"Kode provinsi {pp} pada NIK tidak dikenal."))
    if kk == "00" or cc == "00":
        result.errors.append(Issue("nik_region_zero", "Kode kabupaten/kota dan kecamatan pada NIK tidak boleh 00."))
    elif result.province is not None:
        _check_region_prefix(result, regions)

    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex = "P" if day > 40 else "L"
    if day > 40:
        day -= 40
    born = birth_date_from_nik(day, month, yy, today=today) if day >= 1 else None
    if born is None:
        result.errors.append(
            Issue("nik_birth_date_invalid", "Tanggal lahir pada NIK (digit 7–12) bukan tanggal yang sah.")
        )
    else:
        result.birth_date = born
        result.sex = sex

    result.serial = digits[12:]
    if result.serial == "0000":
        result.errors.append(Issue("nik_serial_zero", "Nomor urut NIK (4 digit terakhir) tidak boleh 0000."))

    if declared_birth_date is not None and born is not None and declared_birth_date != born:
        result.errors.append(
            Issue(
                "nik_birth_date_mismatch",
                f"Tanggal lahir {declared_birth_date:%d/%m/%Y} tidak sesuai dengan NIK ({born:%d/%m/%Y}).",
            )
        )
    if declared_sex is not None and born is not None and declared_sex != sex:
        label = {"L": "laki-laki", "P": "perempuan"}
        result.errors.append(
            Issue(
                "nik_sex_mismatch",
                f"Jenis kelamin {label.get(declared_sex, declared_sex)} tidak sesuai dengan NIK "
                f"({label[sex]}; tanggal lahir perempuan ditambah 40).",
            )
        )
    return result


def _check_region_prefix(result: NikResult, regions: RegionLookup) -> None:
    """An unknown regency/district is a warning: the NIK may carry a code from before a split."""
    assert result.regency_code is not None and result.district_code is not None
    result.regency = regions.name(result.regency_code)
    if result.regency is not None:
        result.district = regions.name(result.district_code)
        if result.district is None:
            result.warnings.append(
                Issue(
                    "nik_district_unknown",
                    f"Kode kecamatan {result.district_code} tidak ada di data Kemendagri terbaru "
                    "(mungkin kode lama sebelum pemekaran).",
                )
            )
        return
    successor = regions.successor(result.regency_code)
    if successor is not None:
        current_code, name = successor
        result.current_regency_code = current_code
        result.regency = name
        result.district = regions.name(current_code + result.district_code[5:])
        result.warnings.append(
            Issue(
                "nik_region_historical",
                f"Kode wilayah {result.regency_code} pada NIK adalah kode lama; kini {current_code} {name}.",
            )
        )
        return
    result.warnings.append(
        Issue(
            "nik_region_unknown",
            f"Kode kabupaten/kota {result.regency_code} tidak ada di data Kemendagri terbaru "
            "(mungkin kode lama sebelum pemekaran).",
        )
    )
