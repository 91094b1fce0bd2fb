"""The synthetic population: deterministic, NIKs consistent, shapes as asked (issue: foundation §8)."""

from datetime import date

import pytest
from django.db.models import Count

from paritrana.regions.rules.nik import parse_nik
from paritrana.regions.selectors import region_lookup
from paritrana.registry.models import Employer, Membership, Person
from paritrana.registry.synth.generate import Generator
from paritrana.registry.synth.load import load_geography, synth_run

pytestmark = pytest.mark.django_db


def test_same_seed_same_people() -> None:
    geo = load_geography(["64", "65"])
    first = [p for p, _ in Generator(geo, seed=5, provinces=["64", "65"]).people(300)]
    second = [p for p, _ in Generator(geo, seed=5, provinces=["64", "65"]).people(300)]
    other = [p for p, _ in Generator(geo, seed=6, provinces=["64", "65"]).people(300)]
    assert first == second
    assert first != other


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
