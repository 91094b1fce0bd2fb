"""Noisy outside lists with ground truth (``paritrana synth_list``).

A list is drawn from the registry (persons really registered, to be found again) and from persons
the registry has never seen (made by the population generator from blocks the registry does not
use, so their NIKs are new while their names and birth dates are as common as anyone's). Each row is
then damaged the way bank and programme lists are (data-sources.md § Names and § NIK): names in
old spellings and variant abbreviations, titles, typos, dropped words, case and spacing; NIKs missing
or mistyped; day and month swapped; a moved regency. The ``real`` profile (issue 28 §5) adds what
real office and bank exports carry: NIK cells with an apostrophe, a trailing ``.0``, a no-break
space, dashes, or turned by a spreadsheet into ``3.17116E+15``; a relative's NIK under the person's
own name and birth date; birth dates known only as a year (``01/01/1985``), a year off by one, with a
time part or as a spreadsheet serial; neither NIK nor birth date; names in the other order
(``EFFENDI ADI``, ``EFFENDI, ADI``); sex coded Pria/Wanita; regencies as ID cards write them or
misspelt. The truth column holds the registered NIK of the person the row really is, or nothing.

Each row's damages are written beside the list (``families_path``), one line per row, so recall can
be reported per kind of damage.

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
    # The families of real exports (issue 28 §5); zero in the older profiles, whose lists stay as
    # they were for the same seed (no random number is drawn for a family that cannot happen).
    nik_apostrophe: float = 0.0
    nik_float: float = 0.0
    nik_scientific: float = 0.0
    nik_dashes: float = 0.0
    nik_nbsp: float = 0.0
    nik_relative: float = 0.0
    no_nik_no_birth: float = 0.0
    birth_year_only: float = 0.0
    birth_year_off: float = 0.0
    birth_time: float = 0.0
    birth_serial: float = 0.0
    name_reversed: float = 0.0
    name_comma: float = 0.0
    name_nbsp: float = 0.0
    regency_ktp: float = 0.0
    regency_typo: float = 0.0
    sex_codes: tuple[tuple[str, str], ...] = (("L", "P"), ("Laki-laki", "Perempuan"))


PROFILES = {
    "easy": Profile(0.10, 0.05, 0.03, 0.15, 0.10, 0.03, 0.02, 0.3, 0.01, 0.01, 0.01, 0.02, 0.05, 0.05),
    "hard": Profile(0.15, 0.15, 0.10, 0.35, 0.15, 0.08, 0.05, 0.4, 0.04, 0.03, 0.03, 0.05, 0.12, 0.08),
    # A bank's export of borrowers (issue 28: about 65 % of them registered), typed in branches and
    # passed through spreadsheets.
    "real": Profile(
        outsiders=0.35,
        nik_missing=0.08,
        nik_typo=0.06,
        name_variant=0.30,
        name_title=0.12,
        name_typo=0.06,
        name_dropped=0.04,
        name_upper=0.6,
        birth_swapped=0.03,
        birth_typo=0.02,
        birth_missing=0.03,
        sex_missing=0.04,
        moved=0.10,
        regency_missing=0.05,
        nik_apostrophe=0.08,
        nik_float=0.04,
        nik_scientific=0.02,
        nik_dashes=0.04,
        nik_nbsp=0.03,
        nik_relative=0.02,
        no_nik_no_birth=0.02,
        birth_year_only=0.03,
        birth_year_off=0.03,
        birth_time=0.10,
        birth_serial=0.03,
        name_reversed=0.04,
        name_comma=0.02,
        name_nbsp=0.03,
        regency_ktp=0.30,
        regency_typo=0.03,
        sex_codes=(("P", "W"), ("Pria", "Wanita")),
    ),
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
        self.tags: list[str] = []  # the damages done to the current row

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def maybe(self, p: float, tag: str) -> bool:
        """A family that only some profiles have: no draw when it cannot happen."""
        if p and self.rng.random() < p:
            self.tags.append(tag)
            return True
        return False

    def nik(self, nik: str, relative: str | None = None) -> str:
        if self.chance(self.p.nik_missing):
            self.tags.append("nik_missing")
            return ""
        if relative and self.maybe(self.p.nik_relative, "nik_relative"):
            nik = relative
        if self.maybe(self.p.nik_scientific, "nik_scientific"):
            return f"{int(nik):.5E}"  # what a spreadsheet shows of a 16-digit number: digits lost
        if self.chance(self.p.nik_typo):
            self.tags.append("nik_typo")
            digits = list(nik)
            i = self.rng.randrange(16)
            if self.chance(0.3) and i < 15:
                digits[i], digits[i + 1] = digits[i + 1], digits[i]
            else:
                digits[i] = str((int(digits[i]) + self.rng.randrange(1, 10)) % 10)
            nik = "".join(digits)
        # Written with separators now and then, as exported from spreadsheets.
        if self.chance(0.05):
            self.tags.append("nik_separators")
            nik = f"{nik[:6]}.{nik[6:12]}.{nik[12:]}"
        elif self.maybe(self.p.nik_dashes, "nik_separators"):
            nik = (
                f"{nik[:6]}-{nik[6:12]}-{nik[12:]}"
                if self.chance(0.5)
                else f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}.{nik[6:12]}.{nik[12:]}"
            )
        if self.maybe(self.p.nik_apostrophe, "nik_apostrophe"):
            nik = "'" + nik
        elif self.maybe(self.p.nik_float, "nik_float"):
            nik += ".0"
        if self.maybe(self.p.nik_nbsp, "nik_nbsp"):
            nik += "\u00a0"
        return nik

    def name(self, name: str, sex: str) -> str:
        words = name.split()
        rng = self.rng
        if self.chance(self.p.name_variant):
            self.tags.append("name_variant")
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
            self.tags.append("name_dropped")
            words.pop(rng.randrange(len(words)))
        if self.chance(self.p.name_typo):
            self.tags.append("name_typo")
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
        # Family name first, as some bank systems store it ("EFFENDI ADI", "EFFENDI, ADI").
        comma = False
        if len(words) > 1 and self.maybe(self.p.name_reversed, "name_reversed"):
            words = [words[-1], *words[:-1]]
        elif len(words) > 1 and self.maybe(self.p.name_comma, "name_reversed"):
            words, comma = [words[-1], *words[:-1]], True
        text = f"{words[0]}, {' '.join(words[1:])}" if comma else " ".join(words)
        if not comma and self.chance(self.p.name_title):
            self.tags.append("name_title")
            text = f"{rng.choice(TITLES_BEFORE)} {text}" if self.chance(0.6) else f"{text}, {rng.choice(TITLES_AFTER)}"
        if self.chance(self.p.name_upper):
            text = text.upper()
        if self.chance(0.05):
            text = f" {text.replace(' ', '  ', 1)} "
        if " " in text.strip() and self.maybe(self.p.name_nbsp, "name_nbsp"):
            text = text.strip().replace(" ", "\u00a0", 1)
        return text

    def birth(self, born: date) -> str:
        rng = self.rng
        if self.chance(self.p.birth_missing):
            self.tags.append("birth_missing")
            return ""
        if self.chance(self.p.birth_swapped) and born.day <= 12 and born.day != born.month:
            self.tags.append("birth_swapped")
            born = born.replace(month=born.day, day=born.month)
        elif self.chance(self.p.birth_typo):
            self.tags.append("birth_typo")
            with contextlib.suppress(ValueError):
                born = born.replace(day=rng.randrange(1, 29))
        elif self.maybe(self.p.birth_year_only, "birth_year_only"):
            # Only the year known: the office writes the first of January.
            return rng.choice((f"01/01/{born.year}", f"1-1-{born.year}", f"{born.year}-01-01"))
        elif self.maybe(self.p.birth_year_off, "birth_year_off"):
            with contextlib.suppress(ValueError):
                born = born.replace(year=born.year + rng.choice((-1, 1)))
        if self.maybe(self.p.birth_serial, "birth_serial"):
            return str((born - date(1899, 12, 30)).days)  # a spreadsheet's day number
        if self.maybe(self.p.birth_time, "birth_time"):
            return f"{born.day}/{born.month}/{born.year} 0:00" if self.chance(0.5) else f"{born.isoformat()} 00:00:00"
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


def families_path(out: Path) -> Path:
    """Where ``generate_list`` writes each row's damages: ``<list>.families.csv``, line by line."""
    return out.with_name(out.stem + ".families.csv")


def _ktp_place(official: str, rng: random.Random) -> str:
    """A regency as an ID card or a bank system writes it: "KAB. BOGOR", "KOTA JAKARTA TIMUR"."""
    words = [w for w in official.split() if w.lower() != "administrasi"]
    kind, rest = words[0].lower(), " ".join(words[1:])
    if kind == "kabupaten":
        kind_text = rng.choice(("KAB.", "KAB", "KABUPATEN"))
    else:
        kind_text = rng.choice(("KOTA", "KOTA ADM.")) if official.lower().startswith("kota administrasi") else "KOTA"
    if official.lower().startswith("kota administrasi") and rng.random() < 0.4:
        return rest.upper()  # "JAKARTA TIMUR", as on a Jakarta KTP
    return f"{kind_text} {rest.upper()}".replace("KEPULAUAN", rng.choice(("KEP.", "KEPULAUAN")))


def _misspelt(official: str, rng: random.Random) -> str:
    """One letter of the place's own name (not its kind) changed, doubled or dropped."""
    kind, _, rest = official.partition(" ")
    if len(rest) < 6:
        return official
    i = rng.randrange(1, len(rest) - 1)
    while not rest[i].isalpha():
        i = rng.randrange(1, len(rest) - 1)
    op = rng.randrange(3)
    rest = rest[:i] + (rng.choice("aeiou") if op == 0 else rest[i] * 2 if op == 1 else "") + rest[i + 1 :]
    return f"{kind} {rest}"


def generate_list(
    out: Path, *, records: int, profile: str = "hard", seed: int = 7, kind: str = "kur"
) -> dict[str, int]:
    """Write a list of ``records`` rows to ``out`` (CSV) and each row's damages to
    ``families_path(out)``. Returns how many are registered."""
    noise = Noise(PROFILES[profile], seed)
    p = noise.p
    geo = load_geography()
    regencies = sorted(geo.regency_names)
    names = geo.regency_names
    outsiders = round(records * p.outsiders)
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
    # A relative's NIK: another registered person of the same regency (a spouse's or parent's card).
    neighbours: dict[str, list[str]] = {}
    if p.nik_relative:
        for r in rows:
            if r[-1]:
                neighbours.setdefault(r[4], []).append(r[0])
    registered = 0
    with out.open("w", newline="", encoding="utf-8") as f, families_path(out).open("w", newline="") as fam:
        writer = csv.writer(f)
        families = csv.writer(fam)
        writer.writerow([*HEADERS, TRUTH])
        families.writerow(["BARIS", "TERDAFTAR", "DERAU"])
        for line, (nik, full_name, born, sex, regency, phone, address, known) in enumerate(rows, start=2):
            noise.tags = []
            registered += known
            if noise.chance(p.regency_missing):
                noise.tags.append("regency_missing")
                place = ""
            else:
                code = regency
                if noise.chance(p.moved):
                    noise.tags.append("moved")
                    code = noise.rng.choice(regencies)
                place = names.get(code, code)
                if noise.maybe(p.regency_ktp, "regency_ktp"):
                    place = _ktp_place(place, noise.rng)
                elif noise.maybe(p.regency_typo, "regency_typo"):
                    place = _misspelt(place, noise.rng)
                place = place.upper() if noise.chance(0.3) else place
            pool = neighbours.get(regency) if known else None
            relative = noise.rng.choice(pool) if pool and len(pool) > 1 else None
            both_missing = noise.maybe(p.no_nik_no_birth, "no_nik_no_birth")
            written_nik = "" if both_missing else noise.nik(nik, relative if relative != nik else None)
            written_name = noise.name(full_name, sex)
            written_birth = "" if both_missing else noise.birth(born)
            if noise.chance(p.sex_missing):
                noise.tags.append("sex_missing")
                written_sex = ""
            else:
                written_sex = noise.rng.choice(p.sex_codes)[0 if sex == "L" else 1]
            writer.writerow(
                [
                    written_nik,
                    written_name,
                    written_birth,
                    written_sex,
                    place,
                    phone,
                    address,
                    noise.rng.choice(BANKS) if kind == "kur" else "",
                    noise.rng.choice((2020, 2021)),
                    nik if known else "",
                ]
            )
            families.writerow([line, int(known), " ".join(noise.tags) or "clean"])
    return {"records": len(rows), "registered": registered}


def scores_by_family(run_id: int, list_id: int, out: Path) -> dict[str, dict[str, float | int]]:
    """Per kind of damage (a row counts under each it carries, and under "all"): registered rows,
    recall of the run and of the exact-NIK lookup (the list's NIK digits equal to a registered NIK),
    and the run's precision over the rows it matched. Read from the run's answers and the list's
    truth column; the families come from ``families_path(out)``."""
    with families_path(out).open(newline="") as f:
        reader = csv.reader(f)
        next(reader)
        lines = [(int(line), tags.split()) for line, _known, tags in reader]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT lp.line, lp.truth <> '', m.decision = 'match', m.decision = 'match' AND p.nik = lp.truth,
                   coalesce(nik.nik = lp.truth, false), nik.nik IS NOT NULL
            FROM linkage_listedperson lp
            JOIN linkage_match m ON m.listed_id = lp.id AND m.run_id = %s
            LEFT JOIN registry_person p ON p.id = m.person_id
            LEFT JOIN registry_person nik ON nik.nik = regexp_replace(lp.nik_raw, '[^0-9]', '', 'g')
            WHERE lp.list_id = %s
            """,
            (run_id, list_id),
        )
        answers = {row[0]: row[1:] for row in cursor.fetchall()}
    totals: dict[str, list[int]] = {}
    for line, tags in lines:
        if line not in answers:
            continue
        known, matched, right, nik_right, nik_matched = answers[line]
        for tag in ("all", *tags):
            t = totals.setdefault(tag, [0, 0, 0, 0, 0, 0])
            t[0] += known
            t[1] += right
            t[2] += matched
            t[3] += nik_right
            t[4] += nik_matched
            t[5] += 1
    return {
        tag: {
            "rows": t[5],
            "registered": t[0],
            "recall": round(t[1] / t[0], 5) if t[0] else 0.0,
            "precision": round(t[1] / t[2], 5) if t[2] else 0.0,
            "exact_nik_recall": round(t[3] / t[0], 5) if t[0] else 0.0,
            "exact_nik_precision": round(t[3] / t[4], 5) if t[4] else 0.0,
        }
        for tag, t in sorted(totals.items())
    }
