"""The synthetic population: deterministic, NIKs consistent, shapes as asked (issue: foundation §8)."""

from datetime import date

import psycopg
import pytest
from django.db import connection, transaction
from django.db.models import Count

from paritrana.core.bulk import bulk_load_mode
from paritrana.demo.synth import generate, load, names
from paritrana.demo.synth.generate import Generator
from paritrana.demo.synth.load import load_geography, synth_run
from paritrana.regions.rules.nik import parse_nik
from paritrana.regions.selectors import region_lookup
from paritrana.registry.models import Employer, Membership, Person

pytestmark = pytest.mark.django_db


def test_same_seed_same_people() -> None:
    geo = load_geography(["64", "65"])
    first = [p for p, _ in Generator(geo, seed=5, provinces=["64", "65"]).people(300)]
    second = [p for p, _ in Generator(geo, seed=5, provinces=["64", "65"]).people(300)]
    other = [p for p, _ in Generator(geo, seed=6, provinces=["64", "65"]).people(300)]
    assert first == second
    assert first != other


def test_names_are_as_varied_as_a_registry_needs() -> None:
    """Linkage is measured against this population, so its names must not be a few thousand
    repeated: a name and a birth date should usually point to one person, as they do in a real
    registry (data-sources.md § Names: mononyms for the old, regional pools, no surname required)."""
    geo = load_geography(None)
    people = [p for p, _ in Generator(geo, seed=3).people(20_000)]
    names_seen = [p.full_name for p in people]
    words = [len(n.split()) for n in names_seen]
    assert len(set(names_seen)) > 0.5 * len(people)  # the pools before held 14,019 names in 10 million
    assert len({(p.full_name, p.birth_date) for p in people}) > 0.995 * len(people)
    assert 0.2 < words.count(3) / len(people) < 0.5  # three words are common among the young
    mononyms = [p for p in people if len(p.full_name.split()) == 1]
    assert mononyms and all(p.birth_date.year < 1975 for p in mononyms)


def test_loaded_population_is_consistent() -> None:
    report = synth_run(persons=3000, seed=11, provinces=["64", "65", "31", "32", "51", "12"])
    assert report.persons == 3000 and Person.objects.count() == 3000
    lookup = region_lookup()
    today = date(2026, 11, 21)
    for person in Person.objects.all()[:3000]:
        result = parse_nik(
            person.nik,
            regions=lookup,
            today=today,
            declared_birth_date=person.birth_date,
            declared_sex=person.sex,
        )
        assert result.valid, (person.nik, result.errors)
        assert person.village_id.startswith(person.regency_id + ".")
    provinces = set(Person.objects.values_list("province_id", flat=True))
    assert provinces == {"64", "65", "31", "32", "51", "12"}
    women = Person.objects.filter(sex="P").count() / 3000
    assert 0.25 < women < 0.35
    segments = dict(Membership.objects.values_list("segment").annotate(n=Count("id")).values_list("segment", "n"))
    total = sum(segments.values())
    assert 0.58 < segments["PU"] / total < 0.70
    assert 0.17 < segments["BPU"] / total < 0.29
    assert 0.08 < (segments["JAKON"] + segments["PMI"]) / total < 0.18
    # Scenario actors: the ministry with PPNPN staff and a regency paying for vulnerable workers.
    ministry = Employer.objects.get(name="Kementerian Koordinator Bidang Perekonomian")
    assert Membership.objects.filter(employer=ministry, tags__contains=["ppnpn"]).exists()
    assert Membership.objects.filter(sponsor__code="APBD-64.02", tags__contains=["vulnerable"]).exists()
    # Several memberships per person happen.
    assert Person.objects.annotate(n=Count("memberships")).filter(n__gt=1).exists()


def test_running_again_adds_no_duplicate_person() -> None:
    synth_run(persons=500, seed=3, provinces=["65"])
    again = synth_run(persons=500, seed=3, provinces=["65"])
    assert again.persons == 0
    assert Person.objects.count() == 500


def test_blocks_made_in_parallel_equal_blocks_made_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes generate the same population as one: blocks are independent (generate.py)."""
    monkeypatch.setattr(generate, "BLOCK", 150)
    geo = load_geography(["64"])
    serial = Generator(geo, seed=9, provinces=["64"])
    serial.organisations(600)
    with load.block_texts(serial, 600, "now", processes=1) as texts:
        one_by_one = list(texts)
    for_pool = Generator(geo, seed=9, provinces=["64"])
    for_pool.organisations(600)
    with load.block_texts(for_pool, 600, "now", processes=2) as texts:
        in_parallel = list(texts)
    assert len(in_parallel) == 4
    assert in_parallel == one_by_one
    niks = [line.split("\t")[0] for _, text, _ in in_parallel for line in text.splitlines()]
    assert len(niks) == len(set(niks)) == 600


def test_generated_text_needs_no_copy_escaping() -> None:
    """person_line writes names and streets unescaped, so no pool may hold a tab, newline or backslash."""

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, (list, tuple, set, frozenset)):
            return [s for item in value for s in strings(item)]
        return []

    words = [s for name, value in vars(names).items() if name.isupper() for s in strings(value)]
    assert len(words) > 500  # every pool, the regional ones included
    assert not [w for w in words if set(w) & {"\t", "\n", "\r", "\\"}]


def test_bulk_mode_keeps_every_index_and_constraint(monkeypatch: pytest.MonkeyPatch) -> None:
    """A load in bulk mode (core/bulk.py) ends with the same indexes and constraints, all validated."""

    def catalogue() -> list[tuple[str, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT 'index', indexname, indexdef FROM pg_indexes
                WHERE tablename IN ('registry_person', 'registry_membership')
                UNION ALL
                SELECT 'constraint', conname, pg_get_constraintdef(oid) || ' valid=' || convalidated
                FROM pg_constraint WHERE conrelid IN ('registry_person'::regclass, 'registry_membership'::regclass)
                ORDER BY 1, 2
                """
            )
            return cursor.fetchall()

    before = catalogue()
    monkeypatch.setattr(load, "BULK_FROM", 0)
    first = synth_run(persons=400, seed=21, provinces=["65"])
    second = synth_run(persons=400, seed=22, provinces=["65"])
    assert first.bulk_mode and first.first_load
    assert second.bulk_mode and not second.first_load
    assert catalogue() == before
    assert Person.objects.count() == first.persons + second.persons


def test_bulk_mode_refuses_a_broken_foreign_key_and_restores_everything() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'registry_person'")
        indexes = cursor.fetchone()[0]
        with (
            pytest.raises(psycopg.errors.ForeignKeyViolation),
            transaction.atomic(),
            bulk_load_mode(cursor.cursor, ["registry_person"]),
        ):
            cursor.execute(
                "INSERT INTO registry_person (nik, full_name, title_prefix, title_suffix, birth_date, birth_place,"
                " sex, disability, disability_kind, phone, address, village_code, regency_code, province_code,"
                " created_at, updated_at) VALUES ('6501010101900001', 'X', '', '', '1990-01-01', '', 'L', false,"
                " '', '', '', '65.01.01.9999', '65.01', '65', now(), now())"
            )
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'registry_person'")
        assert cursor.fetchone()[0] == indexes
    assert not Person.objects.filter(nik="6501010101900001").exists()


def test_a_colliding_nik_from_another_seed_takes_nobody_elses_memberships() -> None:
    synth_run(persons=800, seed=31, provinces=["65"])
    before = dict(Person.objects.annotate(n=Count("memberships")).values_list("nik", "n"))
    report = synth_run(persons=800, seed=32, provinces=["65"])
    after = dict(Person.objects.annotate(n=Count("memberships")).values_list("nik", "n"))
    assert {nik: after[nik] for nik in before} == before
    assert len(after) == len(before) + report.persons
    assert all(n >= 1 for n in after.values())
