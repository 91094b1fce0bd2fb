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
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ..rules.codes import DEFAULT_PROGRAMMES
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
        self.seed = seed
        self.today = today or date(2026, 11, 1)
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
        self._employers_by_province: dict[str, tuple[list[EmployerRow], list[float]]] = {}
        self._construction_by_province: dict[str, list[EmployerRow]] = {}
        self.population = Population([], [])

    # -- organisations -------------------------------------------------------------------------

    def organisations(self, persons: int) -> Population:
        """Employers (about one per 50 persons) and sponsors, including the scenario actors."""
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
        target = max(len(self.regencies) * 3, persons // 50)
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
        return self.regencies[bisect.bisect_right(self._regency_cum, self.rng.random() * self._regency_cum[-1])]

    def _name(self, province: str, sex: str, born: date) -> tuple[str, str, str]:
        rng = self.rng
        female = sex == "P"
        male_pool, female_pool = pools.GENERAL_MALE, pools.GENERAL_FEMALE
        family: list[str] | None = pools.GENERAL_FAMILY_FEMALE if female else pools.GENERAL_FAMILY
        family_chance = 0.6
        if province == "51" and rng.random() < 0.85:
            order = rng.choice(pools.BALINESE_ORDER_FEMALE if female else pools.BALINESE_ORDER_MALE)
            lead = "Ni" if female else "I"
            name = f"{lead} {order} {rng.choice(pools.BALINESE_GIVEN)}"
            return "", name, ""
        for prefixes, male, fem, fam, chance in pools.REGIONAL_POOLS:
            if province in prefixes and rng.random() < 0.7:
                male_pool, female_pool, family, family_chance = male, fem, fam, chance
                break
        given = rng.choice(female_pool if female else male_pool)
        # Older people often have one name only (mononyms are legitimate; nothing requires a surname).
        if born.year < 1975 and rng.random() < 0.35:
            name = given
        elif family and rng.random() < family_chance:
            name = f"{given} {rng.choice(family)}"
        else:
            second = rng.choice(female_pool if female else male_pool)
            name = f"{given} {second}" if second != given else given
        prefix = suffix = ""
        roll = rng.random()
        if roll < 0.04:
            prefix = "Hj." if female else "H."
        elif roll < 0.05:
            prefix = rng.choice(("Dr.", "dr.", "Ir.", "Dra." if female else "Drs."))
        if rng.random() < 0.08:
            suffix = rng.choice(pools.SUFFIX_TITLES)
        return prefix, name, suffix

    def _nik(self, district: str, born: date, sex: str) -> str:
        day = born.day + (40 if sex == "P" else 0)
        prefix = district.replace(".", "") + f"{day:02d}{born.month:02d}{born.year % 100:02d}"
        serial = self._serials.get(prefix, 0) + 1
        if serial > 9999:
            raise OverflowError(f"Nomor urut NIK habis untuk {prefix}")
        self._serials[prefix] = serial
        return f"{prefix}{serial:04d}"

    def person(self) -> PersonRow:
        rng = self.rng
        regency = self._regency()
        district = rng.choice(self.geo.districts_by_regency[regency])
        village = rng.choice(self.geo.villages_by_district[district])
        sex = "P" if rng.random() < FEMALE_SHARE else "L"
        age_days = int(rng.triangular(18, 64, 30) * 365.25)
        born = self.today - timedelta(days=age_days)
        # Most people keep the NIK of the district where they live; some moved since it was issued,
        # and in regions split since, older NIKs carry the retired code.
        nik_district = district
        if rng.random() < 0.12:
            other = self._regency()
            nik_district = rng.choice(self.geo.districts_by_regency[other])
        former = self.geo.former_codes.get(nik_district[:5])
        if former and born.year < 2005 and rng.random() < 0.6:
            nik_district = former + nik_district[5:]
        prefix, name, suffix = self._name(regency[:2], sex, born)
        disabled = rng.random() < DISABILITY_SHARE
        phone = f"08000{rng.randrange(1_000_000, 9_999_999)}" if rng.random() < 0.4 else ""
        rt, rw = rng.randint(1, 20), rng.randint(1, 10)
        address = f"Jl. {rng.choice(pools.STREETS)} No. {rng.randint(1, 250)}, RT {rt:03d}/RW {rw:03d}"
        return PersonRow(
            nik=self._nik(nik_district, born, sex),
            full_name=name,
            title_prefix=prefix,
            title_suffix=suffix,
            birth_date=born,
            sex=sex,
            disability=disabled,
            disability_kind=rng.choice(DISABILITY_KINDS) if disabled else "",
            phone=phone,
            address=address,
            village=village,
        )

    # -- memberships ---------------------------------------------------------------------------

    def _employer_near(self, province: str) -> EmployerRow:
        rows, cum = self._employer_cum.get(province) or next(iter(self._employer_cum.values()))
        return rows[bisect.bisect_right(cum, self.rng.random() * cum[-1])]

    def _valid(self) -> tuple[date, date | None, str]:
        rng = self.rng
        start = date(2015, 7, 1) + timedelta(days=rng.randrange(0, (self.today - date(2015, 7, 1)).days))
        if rng.random() < 0.12:
            end = start + timedelta(days=rng.randrange(30, 2000))
            if end < self.today:
                return start, end, "ended"
        return start, None, "active"

    def memberships(self, person: PersonRow) -> list[MembershipRow]:
        rng = self.rng
        regency = person.village[:5]
        province = regency[:2]
        roll = rng.random() * 100
        segment = "PU" if roll < 65 else "BPU" if roll < 87 else "JAKON" if roll < 95 else "PMI"
        rows = [self._membership(person, segment, regency, province)]
        if rng.random() < SECOND_MEMBERSHIP_SHARE:
            # A farmer who is BPU and a village guard who is PU: a second, different membership.
            other = "BPU" if segment != "BPU" else "PU"
            rows.append(self._membership(person, other, regency, province))
        return rows

    def _membership(self, person: PersonRow, segment: str, regency: str, province: str) -> MembershipRow:
        rng = self.rng
        start, end, status = self._valid()
        tags: list[str] = []
        employer: EmployerRow | None = None
        sponsor: str | None = None
        wage = income = None
        payer_regency = regency
        if segment == "PU":
            employer = self._employer_near(province)
            kind_tags = {
                "regional_government": ["non_asn"],
                "ministry": ["ppnpn", "non_asn"],
                "village_government": ["village_apparatus"],
                "bumd": ["bumd"],
            }
            tags = list(kind_tags.get(employer.kind, []))
            if employer.kind == "regional_government" and rng.random() < 0.1:
                tags.append(rng.choice(("tagana", "election_organizer")))
            if employer.kind == "village_government" and rng.random() < 0.3:
                tags = ["rt_rw"]
            # Monthly wage around regional minimum wages (Rp2.2–5.4 million in 2025), to the Rp1,000.
            wage = Decimal(int(rng.lognormvariate(15.1, 0.35)) // 1000 * 1000)
            payer_regency = employer.regency
        elif segment == "JAKON":
            candidates = self._construction_by_province.get(province)
            employer = rng.choice(candidates) if candidates else self._employer_near(province)
            wage = Decimal(int(rng.lognormvariate(14.9, 0.3)) // 1000 * 1000)
            payer_regency = employer.regency
        elif segment == "BPU":
            income = rng.choice(BPU_INCOME_STEPS[:4] if rng.random() < 0.8 else BPU_INCOME_STEPS)
            tags = [rng.choice(("farmer", "trader", "fisher", "driver", "farmer", "trader"))]
            if rng.random() < 0.35:
                # Vulnerable workers whose contributions the regency pays from its APBD (scenario S5).
                sponsor = f"APBD-{regency}"
                tags.append("vulnerable")
            elif rng.random() < 0.1:
                tags.append(rng.choice(("kur_recipient", "prakerja")))
        return MembershipRow(
            nik=person.nik,
            employer_npp=employer.npp if employer else None,
            sponsor_code=sponsor,
            segment=segment,
            tags=tags,
            programmes=list(DEFAULT_PROGRAMMES[segment]),
            wage=wage,
            declared_income=income,
            valid_from=start,
            valid_until=end,
            status=status,
            regency=payer_regency,
        )

    def people(self, count: int) -> Iterator[tuple[PersonRow, list[MembershipRow]]]:
        if not self.population.employers:
            self.organisations(count)
        for _ in range(count):
            person = self.person()
            yield person, self.memberships(person)


def _cumulative(weights: list[float]) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out
