"""Deterministic synthetic population: persons, employers, sponsors, memberships.

Only synthetic people, ever: names come from pools of common given names, NIKs are built from the
person's own region, birth date and sex with serials counted per prefix, phone numbers use the
0800 service prefix (no personal mobile number can be hit), addresses are made up.

Shapes (illustrative, data-sources.md and scenarios.md): memberships PU ≈ 65 %, BPU ≈ 22 %,
JAKON + PMI ≈ 13 %; women ≈ 30 % of participants (BPJS Dec 2023: 12.57 of 41.56 million active);
about 1.5 % with a disability; persons spread over provinces by active participants per province
(BPJS Dec 2023 where published, the rest by an equal share) and over regencies evenly.

The generator produces rows; ``load.py`` writes them with COPY.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from statistics import NormalDist
from typing import TypeVar

from paritrana.registry.rules.codes import DEFAULT_PROGRAMMES

from . import names as pools

# Active participants by province, Dec 2023 (data-sources.md § Participation), used as weights.
PROVINCE_WEIGHTS_PUBLISHED = {
    "31": 7_498_532,
    "32": 4_855_121,
    "35": 4_583_246,
    "33": 3_947_422,
    "36": 2_631_601,
    "12": 2_057_246,
    "64": 1_323_233,
    "14": 1_108_274,
    "51": 1_027_234,
    "73": 1_003_082,
    "65": 245_948,
}
# Provinces without a published figure share what is left of 41.56 million equally.
UNPUBLISHED_TOTAL = 41_560_000 - sum(PROVINCE_WEIGHTS_PUBLISHED.values())

SEGMENT_WEIGHTS = (("PU", 65), ("BPU", 22), ("JAKON", 8), ("PMI", 5))
FEMALE_SHARE = 0.30
DISABILITY_SHARE = 0.015
SECOND_MEMBERSHIP_SHARE = 0.08
DISABILITY_KINDS = ("fisik", "sensorik", "intelektual", "mental", "ganda")
T = TypeVar("T")
QUANTILES = 4096
MEMBERSHIP_EPOCH = date(2015, 7, 1)  # JP began 1 July 2015 (PP 45/2015); synthetic memberships start after
KIND_TAGS: dict[str, tuple[str, ...]] = {
    "regional_government": ("non_asn",),
    "ministry": ("ppnpn", "non_asn"),
    "village_government": ("village_apparatus",),
    "bumd": ("bumd",),
}
PROGRAMME_LISTS = {segment: list(programmes) for segment, programmes in DEFAULT_PROGRAMMES.items()}
# Persons are generated in blocks (see Generator.block). Block b owns the NIK serials 5b+1 … 5b+5, so
# 1,999 blocks fit the NIK's four-digit serial (just under 50 million persons). A sixth person of one
# block with the same district, birth date and sex (rare: the draws spread over thousands of districts
# and days) is given another birth date.
BLOCK = 25_000
SERIALS_PER_BLOCK = 5
MAX_BLOCKS = 1_999
BPU_INCOME_STEPS = [Decimal(1_000_000 + 500_000 * i) for i in range(9)]


@dataclass
class Geography:
    """Region codes the generator draws from (loaded from the regions table)."""

    province_names: dict[str, str]
    regency_names: dict[str, str]
    districts_by_regency: dict[str, list[str]]
    villages_by_district: dict[str, list[str]]
    former_codes: dict[str, str] = field(default_factory=dict)  # current regency → retired code


@dataclass
class EmployerRow:
    ref: int
    npp: str
    name: str
    kind: str
    scale: str
    sector: str
    risk: int
    regency: str
    weight: float


@dataclass
class SponsorRow:
    code: str
    name: str
    kind: str
    region: str
    regency: str | None


@dataclass
class PersonRow:
    nik: str
    full_name: str
    title_prefix: str
    title_suffix: str
    birth_date: date
    sex: str
    disability: bool
    disability_kind: str
    phone: str
    address: str
    village: str


@dataclass
class MembershipRow:
    nik: str
    employer_npp: str | None
    sponsor_code: str | None
    segment: str
    tags: list[str]
    programmes: list[str]
    wage: Decimal | None
    declared_income: Decimal | None
    valid_from: date
    valid_until: date | None
    status: str
    regency: str


@dataclass
class Population:
    employers: list[EmployerRow]
    sponsors: list[SponsorRow]


# Sector → JKK risk group typical of it (PP 44/2015 Lampiran I groups companies by risk; BPJS assigns
# the group per company, so this is only a plausible synthetic draw).
SECTOR_RISK = {
    "A": 3,
    "B": 5,
    "C": 3,
    "D": 4,
    "E": 3,
    "F": 5,
    "G": 1,
    "H": 4,
    "I": 1,
    "J": 1,
    "K": 1,
    "L": 1,
    "M": 1,
    "N": 2,
    "O": 1,
    "P": 1,
    "Q": 2,
    "R": 2,
    "S": 1,
}
PRIVATE_SECTORS = "AABCCCCFFGGGGHHIIJKMNQS"
# The general pools with the extra names (dict.fromkeys keeps the order and drops repeats).
_MALE = tuple(dict.fromkeys(pools.GENERAL_MALE + pools.MORE_MALE))
_FEMALE = tuple(dict.fromkeys(pools.GENERAL_FEMALE + pools.MORE_FEMALE))
_FAMILY = tuple(dict.fromkeys(pools.GENERAL_FAMILY + pools.MORE_FAMILY))
_FAMILY_FEMALE = tuple(dict.fromkeys(pools.GENERAL_FAMILY_FEMALE + pools.MORE_FAMILY_FEMALE))


class Generator:
    def __init__(
        self,
        geography: Geography,
        *,
        seed: int,
        provinces: list[str] | None = None,
        today: date | None = None,
    ) -> None:
        self.geo = geography
        self.rng = random.Random(seed)
        self.rnd = self.rng.random
        self._name_rnd = random.Random(f"{seed}:names").random
        self.seed = seed
        self.today = today or date(2026, 11, 1)
        # Lookup tables drawn from by index: a table of quantiles replaces a call to a Python-level
        # lognormal draw for every membership (wages are rounded to Rp1,000, so 4,096 quantiles lose
        # nothing visible); birth dates and their NIK digits are formatted once per day.
        self._births = [self.today - timedelta(days=d) for d in range(int(65 * 365.25) + 2)]
        self._nik_dates = {
            sex: [f"{b.day + (40 if sex == 'P' else 0):02d}{b.month:02d}{b.year % 100:02d}" for b in self._births]
            for sex in ("L", "P")
        }
        normal = NormalDist()
        self._pu_wages = [
            Decimal(int(math.exp(15.1 + 0.35 * normal.inv_cdf((i + 0.5) / QUANTILES))) // 1000 * 1000)
            for i in range(QUANTILES)
        ]
        self._jakon_wages = [
            Decimal(int(math.exp(14.9 + 0.3 * normal.inv_cdf((i + 0.5) / QUANTILES))) // 1000 * 1000)
            for i in range(QUANTILES)
        ]
        self._start_days = (self.today - MEMBERSHIP_EPOCH).days
        chosen = sorted(provinces) if provinces else sorted(geography.province_names)
        unknown = [p for p in chosen if p not in geography.province_names]
        if unknown:
            raise ValueError(f"Kode provinsi tidak dikenal: {', '.join(unknown)}")
        others = [p for p in geography.province_names if p not in PROVINCE_WEIGHTS_PUBLISHED]
        equal = UNPUBLISHED_TOTAL / max(len(others), 1)
        self.regencies: list[str] = []
        weights: list[float] = []
        for province in chosen:
            regencies = sorted(r for r in geography.regency_names if r.startswith(province + "."))
            share = PROVINCE_WEIGHTS_PUBLISHED.get(province, equal) / max(len(regencies), 1)
            for regency in regencies:
                self.regencies.append(regency)
                weights.append(share)
        self._regency_cum = _cumulative(weights)
        self.provinces = chosen
        self._serials: dict[str, int] = {}
        self._serial_base = 0
        self._employers_by_province: dict[str, tuple[list[EmployerRow], list[float]]] = {}
        self._construction_by_province: dict[str, list[EmployerRow]] = {}
        self.population = Population([], [])

    # -- organisations -------------------------------------------------------------------------

    def organisations(self, persons: int, employers_wanted: int | None = None) -> Population:
        """Employers (about one per 50 persons, or ``employers_wanted``) and sponsors, including the
        scenario actors."""
        rng = self.rng
        employers: list[EmployerRow] = []
        npp = 10_000_001

        def add(name: str, kind: str, scale: str, sector: str, regency: str, weight: float) -> EmployerRow:
            nonlocal npp
            row = EmployerRow(
                len(employers),
                f"{npp:08d}",
                name,
                kind,
                scale,
                sector,
                SECTOR_RISK.get(sector, 1),
                regency,
                weight,
            )
            npp += 1
            employers.append(row)
            return row

        # Scenario S1: the Coordinating Ministry for the Economy registers its PPNPN staff.
        if "31" in self.provinces:
            add("Kementerian Koordinator Bidang Perekonomian", "ministry", "large", "O", "31.71", 40.0)
        # Each regency/city government employs non-ASN staff; each regency has village governments.
        for regency in self.regencies:
            add(
                f"Pemerintah {self.geo.regency_names[regency]}",
                "regional_government",
                "large",
                "O",
                regency,
                12.0,
            )
        for regency in self.regencies:
            for _ in range(max(1, persons // 20_000)):
                district = rng.choice(self.geo.districts_by_regency[regency])
                village = rng.choice(self.geo.villages_by_district[district])
                add(
                    f"Pemerintah Desa {self._village_name(village)}",
                    "village_government",
                    "small",
                    "O",
                    regency,
                    1.0,
                )
        target = employers_wanted or max(len(self.regencies) * 3, persons // 50)
        while len(employers) < target:
            regency = self._regency()
            roll = rng.random()
            scale, weight = (
                ("large", 30.0)
                if roll < 0.05
                else ("medium", 8.0)
                if roll < 0.25
                else ("small", 2.0)
                if roll < 0.65
                else ("micro", 0.6)
            )
            kind_roll = rng.random()
            if kind_roll < 0.03:
                kind, prefix, sector = "bumd", "Perumda", rng.choice("DEH")
            elif kind_roll < 0.05:
                kind, prefix, sector = "bumn", "PT (Persero)", rng.choice("BDHK")
            elif kind_roll < 0.09:
                kind, prefix, sector = "cooperative", "Koperasi", rng.choice("AGK")
            elif kind_roll < 0.11:
                kind, prefix, sector = "foundation", "Yayasan", rng.choice("PQ")
            else:
                kind, prefix, sector = (
                    "private",
                    rng.choice(("PT", "PT", "PT", "CV")),
                    rng.choice(PRIVATE_SECTORS),
                )
            words = rng.sample(pools.COMPANY_WORDS, 2)
            add(f"{prefix} {words[0]} {words[1]}", kind, scale, sector, regency, weight)
        sponsors: list[SponsorRow] = []
        for province in self.provinces:
            sponsors.append(
                SponsorRow(
                    f"APBD-{province}",
                    f"APBD {self.geo.province_names[province]}",
                    "apbd_province",
                    province,
                    None,
                )
            )
        for regency in self.regencies:
            sponsors.append(
                SponsorRow(
                    f"APBD-{regency}",
                    f"APBD {self.geo.regency_names[regency]}",
                    "apbd_regency",
                    regency,
                    regency,
                )
            )
        self.population = Population(employers, sponsors)
        for row in employers:
            province = row.regency[:2]
            bucket = self._employers_by_province.setdefault(province, ([], []))
            bucket[0].append(row)
            bucket[1].append(row.weight)
            if row.sector == "F":
                self._construction_by_province.setdefault(province, []).append(row)
        self._employer_cum = {p: (rows, _cumulative(w)) for p, (rows, w) in self._employers_by_province.items()}
        return self.population

    def _village_name(self, code: str) -> str:
        return getattr(self.geo, "village_names", {}).get(code, code)

    # -- persons -------------------------------------------------------------------------------

    def _regency(self) -> str:
        return self.regencies[bisect.bisect_right(self._regency_cum, self.rnd() * self._regency_cum[-1])]

    def _name(self, province: str, sex: str, born: date) -> tuple[str, str, str]:
        # Names draw from a stream of their own, so that richer name pools never move the other
        # attributes of a seed's persons.
        rnd = self._name_rnd
        female = sex == "P"
        male_pool: Sequence[str] = _MALE
        female_pool: Sequence[str] = _FEMALE
        family: Sequence[str] | None = _FAMILY_FEMALE if female else _FAMILY
        family_chance = 0.6
        if province == "51" and rnd() < 0.85:
            order = _pick(rnd, pools.BALINESE_ORDER_FEMALE if female else pools.BALINESE_ORDER_MALE)
            lead = "Ni" if female else "I"
            name = f"{lead} {order} {_pick(rnd, pools.BALINESE_GIVEN)}"
            return "", name, ""
        for prefixes, male, fem, fam, chance in pools.REGIONAL_POOLS:
            if province in prefixes and rnd() < 0.7:
                male_pool, female_pool, family, family_chance = male, fem, fam, chance
                break
        own_pool = female_pool if female else male_pool
        given = _pick(rnd, own_pool)
        # Older people often have one name only (mononyms are legitimate; nothing requires a
        # surname); the young more often carry three words than two.
        three = 0.05 if born.year < 1975 else (0.25 if born.year < 1990 else 0.5)
        if born.year < 1975 and rnd() < 0.35:
            name = given
        else:
            if rnd() < three:
                lead = (
                    _pick(rnd, pools.FEMALE_LEADS if female else pools.MALE_LEADS)
                    if rnd() < 0.25
                    else _pick(rnd, own_pool)
                )
                given = f"{lead} {given}" if lead != given else given
            last_pool = family if family and rnd() < family_chance else own_pool
            last = _pick(rnd, last_pool)
            while last in given.split():  # "Asep Asep" is no one's name
                last = _pick(rnd, last_pool)
            name = f"{given} {last}"
        prefix = suffix = ""
        roll = rnd()
        if roll < 0.04:
            prefix = "Hj." if female else "H."
        elif roll < 0.05:
            prefix = _pick(rnd, ("Dr.", "dr.", "Ir.", "Dra." if female else "Drs."))
        if rnd() < 0.08:
            suffix = _pick(rnd, pools.SUFFIX_TITLES)
        return prefix, name, suffix

    def _nik(self, district: str, age_days: int, sex: str) -> str | None:
        prefix = district.replace(".", "") + self._nik_dates[sex][age_days]
        local = self._serials.get(prefix, 0) + 1
        if local > SERIALS_PER_BLOCK:
            return None
        self._serials[prefix] = local
        # Each block owns its own serials, so blocks made apart never share a NIK.
        return f"{prefix}{self._serial_base + local:04d}"

    def person(self) -> PersonRow:
        rng = self.rng
        rnd = rng.random
        regency = self._regency()
        district = _pick(rnd, self.geo.districts_by_regency[regency])
        village = _pick(rnd, self.geo.villages_by_district[district])
        sex = "P" if rnd() < FEMALE_SHARE else "L"
        nik = None
        while nik is None:  # drawn again only when this block's serials for the prefix are used up
            age_days = int(_triangular_quantile(rnd(), 18, 64, 30) * 365.25)
            born = self._births[age_days]
            # Most people keep the NIK of the district where they live; some moved since it was
            # issued, and in regions split since, older NIKs carry the retired code.
            nik_district = district
            if rnd() < 0.12:
                other = self._regency()
                nik_district = _pick(rnd, self.geo.districts_by_regency[other])
            former = self.geo.former_codes.get(nik_district[:5])
            if former and born.year < 2005 and rnd() < 0.6:
                nik_district = former + nik_district[5:]
            nik = self._nik(nik_district, age_days, sex)
        prefix, name, suffix = self._name(regency[:2], sex, born)
        disabled = rnd() < DISABILITY_SHARE
        phone = f"08000{1_000_000 + int(rnd() * 8_999_999)}" if rnd() < 0.4 else ""
        rt, rw = 1 + int(rnd() * 20), 1 + int(rnd() * 10)
        address = f"Jl. {_pick(rnd, pools.STREETS)} No. {1 + int(rnd() * 250)}, RT {rt:03d}/RW {rw:03d}"
        return PersonRow(
            nik=nik,
            full_name=name,
            title_prefix=prefix,
            title_suffix=suffix,
            birth_date=born,
            sex=sex,
            disability=disabled,
            disability_kind=_pick(rnd, DISABILITY_KINDS) if disabled else "",
            phone=phone,
            address=address,
            village=village,
        )

    # -- memberships ---------------------------------------------------------------------------

    def _employer_near(self, province: str) -> EmployerRow:
        rows, cum = self._employer_cum.get(province) or next(iter(self._employer_cum.values()))
        return rows[bisect.bisect_right(cum, self.rnd() * cum[-1])]

    def _valid(self) -> tuple[date, date | None, str]:
        rng = self.rng
        rnd = rng.random
        start = MEMBERSHIP_EPOCH + timedelta(days=int(rnd() * self._start_days))
        if rnd() < 0.12:
            end = start + timedelta(days=30 + int(rnd() * 1970))
            if end < self.today:
                return start, end, "ended"
        return start, None, "active"

    def memberships(self, person: PersonRow) -> list[MembershipRow]:
        rng = self.rng
        rnd = rng.random
        regency = person.village[:5]
        province = regency[:2]
        roll = rnd() * 100
        segment = "PU" if roll < 65 else "BPU" if roll < 87 else "JAKON" if roll < 95 else "PMI"
        rows = [self._membership(person, segment, regency, province)]
        if rnd() < SECOND_MEMBERSHIP_SHARE:
            # A farmer who is BPU and a village guard who is PU: a second, different membership.
            other = "BPU" if segment != "BPU" else "PU"
            rows.append(self._membership(person, other, regency, province))
        return rows

    def _membership(self, person: PersonRow, segment: str, regency: str, province: str) -> MembershipRow:
        rng = self.rng
        rnd = rng.random
        start, end, status = self._valid()
        tags: list[str] = []
        employer: EmployerRow | None = None
        sponsor: str | None = None
        wage = income = None
        payer_regency = regency
        if segment == "PU":
            employer = self._employer_near(province)
            tags = list(KIND_TAGS.get(employer.kind, ()))
            if employer.kind == "regional_government" and rnd() < 0.1:
                tags.append(_pick(rnd, ("tagana", "election_organizer")))
            if employer.kind == "village_government" and rnd() < 0.3:
                tags = ["rt_rw"]
            # Monthly wage around regional minimum wages (Rp2.2–5.4 million in 2025), to the Rp1,000.
            wage = self._pu_wages[int(rnd() * QUANTILES)]
            payer_regency = employer.regency
        elif segment == "JAKON":
            candidates = self._construction_by_province.get(province)
            employer = _pick(rnd, candidates) if candidates else self._employer_near(province)
            wage = self._jakon_wages[int(rnd() * QUANTILES)]
            payer_regency = employer.regency
        elif segment == "BPU":
            income = _pick(rnd, BPU_INCOME_STEPS[:4] if rnd() < 0.8 else BPU_INCOME_STEPS)
            tags = [_pick(rnd, ("farmer", "trader", "fisher", "driver", "farmer", "trader"))]
            if rnd() < 0.35:
                # Vulnerable workers whose contributions the regency pays from its APBD (scenario S5).
                sponsor = f"APBD-{regency}"
                tags.append("vulnerable")
            elif rnd() < 0.1:
                tags.append(_pick(rnd, ("kur_recipient", "prakerja")))
        return MembershipRow(
            nik=person.nik,
            employer_npp=employer.npp if employer else None,
            sponsor_code=sponsor,
            segment=segment,
            tags=tags,
            programmes=PROGRAMME_LISTS[segment],  # shared, never mutated
            wage=wage,
            declared_income=income,
            valid_from=start,
            valid_until=end,
            status=status,
            regency=payer_regency,
        )

    def block(self, index: int, count: int) -> Iterator[tuple[PersonRow, list[MembershipRow]]]:
        """Persons ``index * BLOCK`` onwards: each block has its own random stream and NIK serials.

        Blocks are independent, so they can be generated in any order or in parallel and still give
        the same population; a population of N persons is always the same blocks of BLOCK persons.
        """
        if not self.population.employers:
            self.organisations(count)
        if not 0 <= index < MAX_BLOCKS:
            raise OverflowError(f"Populasi sintetis paling banyak {MAX_BLOCKS * BLOCK:,} orang")
        self.rng = random.Random(f"{self.seed}:{index}")
        self.rnd = self.rng.random
        self._name_rnd = random.Random(f"{self.seed}:{index}:names").random
        self._serials = {}
        self._serial_base = index * SERIALS_PER_BLOCK
        for _ in range(count):
            person = self.person()
            yield person, self.memberships(person)

    def people(self, count: int) -> Iterator[tuple[PersonRow, list[MembershipRow]]]:
        for index, size in blocks(count):
            yield from self.block(index, size)


def blocks(count: int) -> list[tuple[int, int]]:
    """The blocks of a population of ``count`` persons: (index, size)."""
    return [(i, min(BLOCK, count - i * BLOCK)) for i in range((count + BLOCK - 1) // BLOCK)]


def _pick(random: Callable[[], float], seq: Sequence[T]) -> T:
    """``random.choice`` without its bounds checks: the generator draws tens of millions of times."""
    return seq[int(random() * len(seq))]


def _triangular_quantile(q: float, low: float, high: float, mode: float) -> float:
    """Inverse CDF of the triangular distribution (the same shape as ``random.triangular``)."""
    cut = (mode - low) / (high - low)
    if q < cut:
        return low + math.sqrt(q * (high - low) * (mode - low))
    return high - math.sqrt((1 - q) * (high - low) * (high - mode))


def _cumulative(weights: list[float]) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out
