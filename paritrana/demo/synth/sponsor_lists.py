"""Synthetic sponsor lists for tests, demos and benchmarks, with the truth about every row.

Persons come from the registry's own generator (registry/synth), so their NIKs, names and villages
are Paritrana's synthetic people; blocks far above the demo population's keep their NIKs apart.
A share of the rows gets exactly one defect of a known kind, and the expected error code of each
defective line is returned with the rows, so a test can compare what the validation reports with
what was put in, line by line. Clean rows are written in the many shapes officers use (dates as
31/01/1990 or 1990-01-31, "Laki-laki" or "L", "Rp 1.500.000"), and some with stray spaces.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import timedelta

from paritrana.demo.synth.generate import BLOCK, Generator, Geography
from paritrana.enrolment.rules.columns import COLUMNS

# Defect kind -> the error code the validation must give that line (and nothing else).
DEFECTS: dict[str, str] = {
    "nik_short": "nik_format",
    "nik_duplicate": "nik_duplicate_in_file",
    "date_impossible": "date_invalid",
    "date_not_nik": "nik_birth_date_mismatch",
    "sex_not_nik": "nik_sex_mismatch",
    "village_unknown": "region_unknown",
    "village_elsewhere": "region_out_of_scope",
    "name_empty": "required",
    "income_words": "amount_invalid",
    "income_too_low": "income_out_of_bounds",
    "tag_unknown": "tag_unknown",
}
HEADERS = [c.header for c in COLUMNS]
FIRST_BLOCK = 1_000  # demo and benchmark registries use blocks from 0; lists start far above


@dataclass
class SyntheticList:
    rows: list[list[str]]  # cells in HEADERS order
    expected: dict[int, str] = field(default_factory=dict)  # line -> the one expected error code
    spaced: list[int] = field(default_factory=list)  # clean lines written with stray spaces

    def csv_bytes(self, delimiter: str = ",") -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(HEADERS)
        writer.writerows(self.rows)
        return out.getvalue().encode("utf-8")

    @property
    def valid_lines(self) -> list[int]:
        return [line for line in range(2, len(self.rows) + 2) if line not in self.expected]


def sponsor_list(
    geo: Geography, *, rows: int, regency: str, seed: int, defect_share: float = 0.3, first_block: int = FIRST_BLOCK
) -> SyntheticList:
    """``rows`` BPU rows for a sponsor of ``regency``; about ``defect_share`` of them broken."""
    rng = random.Random(f"enrolment-list:{seed}")
    generator = Generator(geo, seed=seed, provinces=[regency[:2]])
    villages = [v for d in geo.districts_by_regency[regency] for v in geo.villages_by_district[d]]
    elsewhere = [
        v
        for r, ds in geo.districts_by_regency.items()
        if r != regency and r[:2] == regency[:2]
        for d in ds
        for v in geo.villages_by_district[d]
    ]
    people = [
        p
        for block in range((rows + BLOCK - 1) // BLOCK)
        for p, _ in generator.block(first_block + block, min(BLOCK, rows - block * BLOCK))
    ]
    result = SyntheticList(rows=[])
    kinds = list(DEFECTS)
    clean_lines: list[int] = []
    for index in range(rows):
        person = people[index]
        line = index + 2
        born, sex = person.birth_date, person.sex
        income = rng.choice((1_000_000, 1_500_000, 2_000_000, 3_000_000))
        dotted = f"{income:,}".replace(",", ".")
        cells = {
            "NIK": person.nik,
            "Nama Lengkap": " ".join(p for p in (person.title_prefix, person.full_name) if p)
            + (f", {person.title_suffix}" if person.title_suffix else ""),
            "Tanggal Lahir": rng.choice((f"{born:%d/%m/%Y}", born.isoformat(), f"{born:%d-%m-%Y}")),
            "Jenis Kelamin": rng.choice((sex, sex, {"L": "Laki-laki", "P": "Perempuan"}[sex])),
            "Kode Desa/Kelurahan": rng.choice(villages),
            "Segmen": rng.choice(("", "BPU")),
            "Kelompok": rng.choice(("Pekerja rentan, Petani", "vulnerable,trader", "Nelayan", "")),
            "Penghasilan (BPU)": rng.choice((str(income), dotted, f"Rp {dotted}", f"Rp{dotted},00")),
            "Upah (PU)": "",
            "Program": rng.choice(("", "", "JKK, JKM", "JKK,JKM,JHT")),
            "Tanggal Mulai": "",
            "Tempat Lahir": "",
            "Alamat": person.address,
            "No. HP": person.phone,
        }
        kind = kinds[int(rng.random() * len(kinds))] if rng.random() < defect_share else None
        if kind == "nik_duplicate" and not clean_lines:
            kind = None
        if kind == "nik_short":
            cells["NIK"] = person.nik[:15]
        elif kind == "nik_duplicate":
            original = result.rows[rng.choice(clean_lines) - 2]
            cells = dict(zip(HEADERS, original, strict=True))
        elif kind == "date_impossible":
            cells["Tanggal Lahir"] = f"31/02/{born.year}"
        elif kind == "date_not_nik":
            cells["Tanggal Lahir"] = f"{born + timedelta(days=1):%d/%m/%Y}"
        elif kind == "sex_not_nik":
            cells["Jenis Kelamin"] = "L" if sex == "P" else "P"
        elif kind == "village_unknown":
            cells["Kode Desa/Kelurahan"] = f"{regency}.99.9999"
        elif kind == "village_elsewhere":
            cells["Kode Desa/Kelurahan"] = rng.choice(elsewhere)
        elif kind == "name_empty":
            cells["Nama Lengkap"] = ""
        elif kind == "income_words":
            cells["Penghasilan (BPU)"] = rng.choice(("satu juta", "1.5 jt", "-"))
        elif kind == "income_too_low":
            cells["Penghasilan (BPU)"] = "500.000"
        elif kind == "tag_unknown":
            cells["Kelompok"] = "Petani, Astronot"
        if kind is not None:
            result.expected[line] = DEFECTS[kind]
        else:
            clean_lines.append(line)
            if rng.random() < 0.1:
                # Stray spaces, as copied from another sheet: must still be read correctly.
                cells["NIK"] = f" {cells['NIK']} "
                cells["Nama Lengkap"] = "  " + cells["Nama Lengkap"].replace(" ", "   ") + " "
                cells["Kode Desa/Kelurahan"] = cells["Kode Desa/Kelurahan"] + "  "
                result.spaced.append(line)
        result.rows.append([cells[h] for h in HEADERS])
    return result
