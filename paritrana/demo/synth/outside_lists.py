"""Noisy outside lists with ground truth (``paritrana synth-list``).

A list is drawn from the registry (persons really registered, to be found again) and from persons
the registry has never seen (made by the population generator from blocks the registry does not
use, so their NIKs are new while their names and birth dates are as common as anyone's). Each row is
then damaged the way bank and programme lists are (data-sources.md § Names and § NIK): names in
old spellings and variant abbreviations, titles, typos, dropped words, case and spacing; NIKs missing
or mistyped; day and month swapped; a moved regency. The truth column holds the registered NIK of the
person the row really is, or nothing.

Only synthetic people: every row comes from Paritrana's own generator.
"""

from __future__ import annotations

import contextlib
import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection

from paritrana.demo.synth.generate import MAX_BLOCKS, Generator
from paritrana.demo.synth.load import load_geography

HEADERS = ["NIK", "NAMA", "TANGGAL_LAHIR", "JENIS_KELAMIN", "KABUPATEN_KOTA", "TELEPON", "ALAMAT", "BANK", "TAHUN"]
TRUTH = "NIK_SEBENARNYA"
BANKS = ("BRI", "BNI", "Mandiri", "BTN", "BSI", "BPD Kaltim", "BPD Jateng")
MONTHS_ID = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()


@dataclass(frozen=True)
class Profile:
    outsiders: float
    nik_missing: float
    nik_typo: float
    name_variant: float
    name_title: float
    name_typo: float
    name_dropped: float
    name_upper: float
    birth_swapped: float
    birth_typo: float
    birth_missing: float
    sex_missing: float
    moved: float
    regency_missing: float


PROFILES = {
    "easy": Profile(0.10, 0.05, 0.03, 0.15, 0.10, 0.03, 0.02, 0.3, 0.01, 0.01, 0.01, 0.02, 0.05, 0.05),
    "hard": Profile(0.15, 0.15, 0.10, 0.35, 0.15, 0.08, 0.05, 0.4, 0.04, 0.03, 0.03, 0.05, 0.12, 0.08),
}

VARIANTS = {
    "muhammad": ("Muhamad", "Mohammad", "Mochammad", "Moch.", "Moh.", "Muh.", "Mhd.", "M."),
    "ahmad": ("Achmad", "Akhmad"),
    "abdul": ("Abd.",),
    "siti": ("Sitti", "St."),
    "nur": ("Noor", "Nurul"),
}
# Today's spelling back to the old (pre-1972) one, one substitution per name.
OLD = (("u", "oe"), ("j", "dj"), ("c", "tj"), ("y", "j"), ("sy", "sj"), ("kh", "ch"))
TITLES_BEFORE = ("H.", "Hj.", "Dr.", "Ir.", "Drs.", "KH.")
TITLES_AFTER = ("S.Pd.", "S.E.", "S.H.", "S.Kom.", "A.Md.", "M.M.")


class Noise:
    def __init__(self, profile: Profile, seed: int) -> None:
        self.p = profile
        self.rng = random.Random(seed)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def nik(self, nik: str) -> str:
        if self.chance(self.p.nik_missing):
            return ""
        if self.chance(self.p.nik_typo):
            digits = list(nik)
            i = self.rng.randrange(16)
            if self.chance(0.3) and i < 15:
                digits[i], digits[i + 1] = digits[i + 1], digits[i]
            else:
                digits[i] = str((int(digits[i]) + self.rng.randrange(1, 10)) % 10)
            nik = "".join(digits)
        # Written with separators now and then, as exported from spreadsheets.
        return f"{nik[:6]}.{nik[6:12]}.{nik[12:]}" if self.chance(0.05) else nik

    def name(self, name: str, sex: str) -> str:
        words = name.split()
        rng = self.rng
        if self.chance(self.p.name_variant):
            lowered = [w.lower() for w in words]
            for i, w in enumerate(lowered):
                if w in VARIANTS:
                    words[i] = rng.choice(VARIANTS[w])
                    break
            else:
                i = rng.randrange(len(words))
                for new, old in OLD:
                    if new in words[i].lower():
                        words[i] = words[i].lower().replace(new, old, 1).capitalize()
                        break
                else:
                    if words[0].lower().startswith("nur") and len(words[0]) > 5:
                        words[0:1] = ["Nur", words[0][3:].capitalize()]
        if len(words) > 1 and self.chance(self.p.name_dropped):
            words.pop(rng.randrange(len(words)))
        if self.chance(self.p.name_typo):
            i = rng.randrange(len(words))
            w = words[i]
            if len(w) > 3:
                j = rng.randrange(1, len(w))
                op = rng.randrange(3)
                letter = rng.choice("aeiounrstkmgh")
                words[i] = (
                    w[:j] + letter + w[j + 1 :]
                    if op == 0
                    else (w[:j] + w[j + 1 :] if op == 1 else w[:j] + letter + w[j:])
                )
        text = " ".join(words)
        if self.chance(self.p.name_title):
            text = f"{rng.choice(TITLES_BEFORE)} {text}" if self.chance(0.6) else f"{text}, {rng.choice(TITLES_AFTER)}"
        if self.chance(self.p.name_upper):
            text = text.upper()
        if self.chance(0.05):
            text = f" {text.replace(' ', '  ', 1)} "
        return text

    def birth(self, born: date) -> str:
        rng = self.rng
        if self.chance(self.p.birth_missing):
            return ""
        if self.chance(self.p.birth_swapped) and born.day <= 12 and born.day != born.month:
            born = born.replace(month=born.day, day=born.month)
        elif self.chance(self.p.birth_typo):
            with contextlib.suppress(ValueError):
                born = born.replace(day=rng.randrange(1, 29))
        style = rng.randrange(4)
        if style == 0:
            return f"{born.day:02d}-{born.month:02d}-{born.year}"
        if style == 1:
            return f"{born.day}/{born.month}/{born.year}"
        if style == 2:
            return born.isoformat()
        return f"{born.day} {MONTHS_ID[born.month - 1]} {born.year}"


def _registered(count: int, seed: int) -> Iterator[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_person")
        total = cursor.fetchone()[0]
        if not total or not count:
            return
        share = min(100.0, 100.0 * count * 1.2 / total)
        cursor.execute("SELECT setseed(%s)", (((seed % 1000) / 1000.0),))
        cursor.execute(
            """
            SELECT p.nik, p.full_name, p.birth_date, p.sex, p.regency_code, p.phone, p.address
            FROM registry_person p TABLESAMPLE BERNOULLI (%s) REPEATABLE (%s)
            LIMIT %s
            """,
            (share, seed, count),
        )
        yield from cursor.fetchall()


def generate_list(
    out: Path, *, records: int, profile: str = "hard", seed: int = 7, kind: str = "kur"
) -> dict[str, int]:
    """Write a list of ``records`` rows to ``out`` (CSV). Returns how many are registered."""
    noise = Noise(PROFILES[profile], seed)
    geo = load_geography()
    regencies = sorted(geo.regency_names)
    names = geo.regency_names
    outsiders = round(records * PROFILES[profile].outsiders)
    rows: list[tuple[Any, ...]] = [(*r, True) for r in _registered(records - outsiders, seed)]
    generator = Generator(geo, seed=seed + 1000)
    generator.organisations(1000)
    # Blocks from the top of the range: their NIK serials are never used by a registry made of the
    # lower blocks, so these persons are new to the registry.
    index = MAX_BLOCKS - 1
    while (need := records - len(rows)) > 0:
        for person, _ in generator.block(index, min(25_000, need)):
            rows.append(
                (person.nik, person.full_name, person.birth_date, person.sex, person.village[:5], person.phone,
                 person.address, False)
            )  # fmt: skip
        index -= 1
    noise.rng.shuffle(rows)
    registered = 0
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow([*HEADERS, TRUTH])
        for nik, full_name, born, sex, regency, phone, address, known in rows:
            registered += known
            if noise.chance(noise.p.regency_missing):
                place = ""
            else:
                code = noise.rng.choice(regencies) if noise.chance(noise.p.moved) else regency
                place = names.get(code, code)
                place = place.upper() if noise.chance(0.3) else place
            writer.writerow(
                [
                    noise.nik(nik),
                    noise.name(full_name, sex),
                    noise.birth(born),
                    ""
                    if noise.chance(noise.p.sex_missing)
                    else noise.rng.choice({"L": ("L", "Laki-laki"), "P": ("P", "Perempuan")}[sex]),
                    place,
                    phone,
                    address,
                    noise.rng.choice(BANKS) if kind == "kur" else "",
                    noise.rng.choice((2020, 2021)),
                    nik if known else "",
                ]
            )
    return {"records": len(rows), "registered": registered}
