"""Write a synthetic population with COPY into staging tables, then set-based INSERT … SELECT.

Persons go through ``ON CONFLICT (nik) DO NOTHING`` and memberships join persons by NIK, so a run
never duplicates a person and the database, not Python, issues every KPJ number.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from paritrana.core.batch import batch_run
from paritrana.regions.models import HistoricalRegionCode, Region

from .generate import Generator, Geography, MembershipRow, PersonRow

log = logging.getLogger("paritrana.synth")
CHUNK = 20_000
REBUILD_INDEX_FROM = 50_000


def load_geography(provinces: list[str] | None = None) -> Geography:
    wanted = set(provinces or [])

    def keep(code: str) -> bool:
        return not wanted or code[:2] in wanted

    province_names: dict[str, str] = {}
    regency_names: dict[str, str] = {}
    districts: dict[str, list[str]] = {}
    villages: dict[str, list[str]] = {}
    village_names: dict[str, str] = {}
    for code, name, level in Region.objects.values_list("code", "name", "level").order_by("code"):
        if level == 1:
            province_names[code] = name
        elif not keep(code):
            continue
        elif level == 2:
            regency_names[code] = name
        elif level == 3:
            districts.setdefault(code[:5], []).append(code)
        else:
            villages.setdefault(code[:8], []).append(code)
            village_names[code] = name
    # Districts without villages cannot hold anyone.
    districts = {r: [d for d in ds if d in villages] for r, ds in districts.items()}
    regency_names = {r: n for r, n in regency_names.items() if districts.get(r)}
    former = {h.current_id: h.old_code for h in HistoricalRegionCode.objects.all()}
    geo = Geography(province_names, regency_names, districts, villages, former)
    geo.village_names = village_names  # type: ignore[attr-defined]
    return geo


def _text(value: Any) -> str:
    """One value in COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list):
        return "{" + ",".join(value) + "}"
    if isinstance(value, (date, Decimal, int)):
        return str(value)
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def _line(values: tuple[Any, ...]) -> str:
    return "\t".join(_text(v) for v in values) + "\n"


def person_line(p: PersonRow) -> str:
    return _line(
        (
            p.nik,
            p.full_name,
            p.title_prefix,
            p.title_suffix,
            p.birth_date,
            p.sex,
            p.disability,
            p.disability_kind,
            p.phone,
            p.address,
            p.village,
        )
    )


def membership_line(m: MembershipRow) -> str:
    return _line(
        (
            m.nik,
            m.employer_npp,
            m.sponsor_code,
            m.segment,
            m.tags,
            m.programmes,
            m.wage,
            m.declared_income,
            m.valid_from,
            m.valid_until,
            m.status,
            m.regency,
        )
    )


STAGING_SQL = """
DROP TABLE IF EXISTS synth_employer, synth_sponsor, synth_person, synth_membership;
CREATE TEMP TABLE synth_employer (npp text, name text, kind text, scale text, sector text, risk int,
  regency text) ON COMMIT DROP;
CREATE TEMP TABLE synth_sponsor (code text, name text, kind text, region text, regency text) ON COMMIT DROP;
CREATE TEMP TABLE synth_person (nik text, full_name text, title_prefix text, title_suffix text,
  birth_date date, sex text, disability boolean, disability_kind text, phone text, address text,
  village text) ON COMMIT DROP;
CREATE TEMP TABLE synth_membership (nik text, employer_npp text, sponsor_code text, segment text,
  tags text[], programmes text[], wage numeric, declared_income numeric, valid_from date,
  valid_until date, status text, regency text) ON COMMIT DROP;
"""

APPLY_ORGANISATIONS_SQL = """
INSERT INTO registry_employer (npp, name, kind, scale, sector, jkk_risk_group, address, regency_code,
  province_code, branch_id, created_at, updated_at)
SELECT e.npp, e.name, e.kind, e.scale, e.sector, e.risk, '', e.regency, left(e.regency, 2), ba.branch_id,
  now(), now()
FROM synth_employer e LEFT JOIN regions_brancharea ba ON ba.regency_id = e.regency
ON CONFLICT (npp) DO NOTHING;
INSERT INTO registry_sponsor (code, name, kind, region_id, regency_code, province_code, branch_id,
  employer_id, created_at, updated_at)
SELECT s.code, s.name, s.kind, s.region, s.regency, left(s.region, 2), ba.branch_id, NULL, now(), now()
FROM synth_sponsor s LEFT JOIN regions_brancharea ba ON ba.regency_id = s.regency
ON CONFLICT (code) DO NOTHING;
"""

APPLY_PERSONS_SQL = """
INSERT INTO registry_person (nik, full_name, title_prefix, title_suffix, birth_date, birth_place, sex,
  disability, disability_kind, phone, address, village_code, regency_code, province_code, created_at,
  updated_at)
SELECT nik, full_name, title_prefix, title_suffix, birth_date, '', sex, disability, disability_kind, phone,
  address, village, left(village, 5), left(village, 2), now(), now()
FROM synth_person
ON CONFLICT (nik) DO NOTHING
"""

APPLY_MEMBERSHIPS_SQL = """
INSERT INTO registry_membership (kpj, person_id, employer_id, sponsor_id, segment, tags, programmes, wage,
  declared_income, valid_from, valid_until, status, regency_code, created_at, updated_at)
SELECT registry_kpj_from_serial(nextval('registry_kpj_seq')), p.id, e.id, s.id, m.segment, m.tags,
  m.programmes, m.wage, m.declared_income, m.valid_from, m.valid_until, m.status, m.regency, now(), now()
FROM synth_membership m
JOIN registry_person p ON p.nik = m.nik
LEFT JOIN registry_employer e ON e.npp = m.employer_npp
LEFT JOIN registry_sponsor s ON s.code = m.sponsor_code
ON CONFLICT DO NOTHING
"""


@dataclass
class SynthReport:
    persons: int
    memberships: int
    employers: int
    sponsors: int
    seconds: float
    steps: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        return {
            "persons": self.persons,
            "memberships": self.memberships,
            "employers": self.employers,
            "sponsors": self.sponsors,
            "seconds": round(self.seconds, 2),
            "steps": {k: round(v, 2) for k, v in self.steps.items()},
        }


def synth_run(
    *,
    persons: int,
    seed: int,
    provinces: list[str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> SynthReport:
    """Generate and load ``persons`` synthetic persons with their memberships, deterministically."""
    started = time.perf_counter()
    steps: dict[str, float] = {}
    with batch_run("synth", {"persons": persons, "seed": seed, "provinces": provinces or "all"}) as run:
        geo = load_geography(provinces)
        generator = Generator(geo, seed=seed, provinces=provinces)
        population = generator.organisations(persons)
        with transaction.atomic(), connection.cursor() as django_cursor:
            cursor = django_cursor.cursor  # psycopg's own cursor: COPY
            cursor.execute(
                "SELECT nextval('registry_npp_seq') FROM generate_series(1, %s)",
                (len(population.employers),),
            )
            for row, (npp,) in zip(population.employers, cursor.fetchall(), strict=True):
                row.npp = f"{npp:08d}"
            cursor.execute(STAGING_SQL)
            t = time.perf_counter()
            with cursor.copy("COPY synth_employer FROM STDIN") as copy:
                for e in population.employers:
                    copy.write(_line((e.npp, e.name, e.kind, e.scale, e.sector, e.risk, e.regency)))
            with cursor.copy("COPY synth_sponsor FROM STDIN") as copy:
                for s in population.sponsors:
                    copy.write(_line((s.code, s.name, s.kind, s.region, s.regency)))
            cursor.execute(APPLY_ORGANISATIONS_SQL)
            steps["organisations"] = time.perf_counter() - t

            t = time.perf_counter()
            membership_lines: list[str] = []
            with cursor.copy("COPY synth_person FROM STDIN") as copy:
                buffer: list[str] = []
                for index, (person, memberships) in enumerate(generator.people(persons), start=1):
                    buffer.append(person_line(person))
                    membership_lines.extend(membership_line(m) for m in memberships)
                    if len(buffer) >= CHUNK:
                        copy.write("".join(buffer))
                        buffer.clear()
                        if progress:
                            progress("persons", index, persons)
                if buffer:
                    copy.write("".join(buffer))
            if progress:
                progress("persons", persons, persons)
            steps["generate_and_copy_persons"] = time.perf_counter() - t

            t = time.perf_counter()
            with cursor.copy("COPY synth_membership FROM STDIN") as copy:
                for start in range(0, len(membership_lines), CHUNK):
                    copy.write("".join(membership_lines[start : start + CHUNK]))
            steps["copy_memberships"] = time.perf_counter() - t

            t = time.perf_counter()
            cursor.execute(APPLY_PERSONS_SQL)
            inserted_persons = cursor.rowcount
            steps["insert_persons"] = time.perf_counter() - t
            if progress:
                progress("memberships", 0, len(membership_lines))
            t = time.perf_counter()
            cursor.execute(APPLY_MEMBERSHIPS_SQL)
            inserted_memberships = cursor.rowcount
            steps["insert_memberships"] = time.perf_counter() - t
            if progress:
                progress("memberships", len(membership_lines), len(membership_lines))
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_person; ANALYZE registry_membership; ANALYZE registry_employer")
        steps["analyze"] = time.perf_counter() - t
        run.rows = inserted_persons + inserted_memberships
        report = SynthReport(
            inserted_persons,
            inserted_memberships,
            len(population.employers),
            len(population.sponsors),
            time.perf_counter() - started,
            steps,
        )
        run.detail = report.as_dict()
    return report
