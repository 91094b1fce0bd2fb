"""Single records by hand (issue 27 §2): a person, an employer, a sponsor, a membership and a move,
each through the page its officer uses, with the same checks as the API and bulk, within scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.models import Bill
from paritrana.core.audit import AuditEvent
from paritrana.registry.models import ChangeHistory, Employer, Membership, Person, Sponsor
from tests.conftest import make_nik

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _person_form(village: Any, nik: str, **extra: str) -> dict[str, str]:
    return {
        "nik": nik,
        "full_name": "Rahmawati",
        "birth_date": "12/05/1992",
        "sex": "P",
        "village_code": village.code,
        "address": "Jl. Uji 1",
        **extra,
    }


def test_a_person_is_registered_by_hand_and_a_namesake_is_asked_about(world: dict[str, Any]) -> None:
    village = world["kukar_village"]
    branch = _client(world["users"]["branch"])
    assert 'id="person-new"' in branch.get("/daftar/orang/").content.decode()
    first_nik = make_nik(village.code[:8], date(1992, 5, 12), "P", serial=11)
    answer = branch.post("/daftar/orang/", _person_form(village, first_nik))
    first = Person.objects.get(nik=first_nik)
    assert answer.status_code == 302 and answer["Location"] == f"/orang/{first.pk}/"
    assert (first.full_name, first.birth_date, first.regency_id) == ("Rahmawati", date(1992, 5, 12), "64.02")
    # The same name and birth date under another NIK: shown (masked) and asked about, not registered.
    second_nik = make_nik(village.code[:8], date(1992, 5, 12), "P", serial=12)
    asked = branch.post("/daftar/orang/", _person_form(village, second_nik, full_name="Hj. RAHMAWATI"))
    page = asked.content.decode()
    assert asked.status_code == 200 and 'id="same-name"' in page and 'name="confirm_same_name"' in page
    assert first_nik not in page and first_nik[:6] in page  # the namesake's NIK masked
    assert not Person.objects.filter(nik=second_nik).exists()
    assert AuditEvent.objects.filter(action="person_same_name_warning").exists()
    confirmed = branch.post("/daftar/orang/", _person_form(village, second_nik, confirm_same_name="on"))
    assert confirmed.status_code == 302 and Person.objects.filter(nik=second_nik).exists()


def test_a_nik_that_disagrees_with_the_form_is_refused_with_its_reason(world: dict[str, Any]) -> None:
    village = world["kukar_village"]
    branch = _client(world["users"]["branch"])
    # The NIK encodes 12 May 1992 for a woman (day + 40); the form says a man.
    nik = make_nik(village.code[:8], date(1992, 5, 12), "P", serial=13)
    answer = branch.post("/daftar/orang/", _person_form(village, nik, sex="L"))
    assert answer.status_code == 400 and 'data-field="nik"' in answer.content.decode()
    assert not Person.objects.filter(nik=nik).exists()
    # As typed: the check says what the NIK encodes, and never whether anyone holds it.
    said = branch.get("/wilayah/nik.json", {"nik": nik}).json()
    assert said["birth_date"] == "12/05/1992" and said["sex"] == "P" and not said["errors"]
    assert branch.get("/wilayah/nik.json", {"nik": "12345"}).json()["errors"][0]["code"] == "nik_format"


def test_an_employer_and_a_sponsor_are_registered_within_the_officers_region(world: dict[str, Any]) -> None:
    kukar = _client(world["users"]["kukar"])
    form = {"name": "CV Tenggarong Uji", "kind": "private", "scale": "small", "sector": "G", "jkk_risk_group": "2"}
    page = kukar.get("/daftar/pemberi-kerja/").content.decode()
    assert 'value="64.02"' in page and 'value="64.71"' not in page  # only the officer's regency offered
    outside = kukar.post("/daftar/pemberi-kerja/", {**form, "regency_code": "64.71"})
    assert outside.status_code == 400 and 'data-code="region_out_of_scope"' in outside.content.decode()
    made = kukar.post("/daftar/pemberi-kerja/", {**form, "regency_code": "64.02"})
    employer = Employer.objects.get(name="CV Tenggarong Uji")
    assert made.status_code == 302 and len(employer.npp) == 8 and employer.regency_id == "64.02"
    assert employer.branch_id == "KC-T1"  # served by the branch whose area holds the regency
    sponsor = kukar.post(
        "/daftar/penanggung/", {"code": "apbdes-uji-1", "name": "APBDes Uji", "kind": "apbdes", "region_code": "64.02"}
    )
    assert sponsor.status_code == 302 and Sponsor.objects.get(code="APBDES-UJI-1").regency_id == "64.02"
    # Employers' HR and the aggregate roles do not register organisations.
    for role in ("hr", "coord", "participant"):
        assert _client(world["users"][role]).get("/daftar/pemberi-kerja/").status_code == 404


def test_a_membership_for_a_registered_person_from_the_persons_page(world: dict[str, Any]) -> None:
    person = world["kukar_person"]
    branch = _client(world["users"]["branch"])
    assert 'id="membership-new"' in branch.get(f"/orang/{person.pk}/").content.decode()
    url = f"/orang/{person.pk}/kepesertaan-baru/"
    branch.post(url, {"segment": "PU", "payer": "90000001", "wage": "Rp4.200.000", "valid_from": "2026-12-01"})
    membership = Membership.objects.get(person=person, employer=world["kukar_employer"])
    assert (membership.segment, membership.wage, membership.valid_from) == ("PU", Decimal(4_200_000), date(2026, 12, 1))
    # A payer beyond the officer's branch is not found.
    branch.post(url, {"segment": "PU", "payer": "90000002", "wage": "4200000"})
    assert not Membership.objects.filter(person=person, employer=world["bpn_employer"]).exists()


def test_a_worker_moves_to_another_employer_keeping_kpj_and_is_billed_there_from_then(world: dict[str, Any]) -> None:
    billing_run("2025-03")
    membership = Membership.objects.get(person=world["bpn_person"], employer=world["bpn_employer"])
    admin = _client(world["users"]["admin"])
    url = f"/kepesertaan/{membership.pk}/pindah/"
    assert f'action="{url}"' in admin.get(f"/orang/{world['bpn_person'].pk}/").content.decode()
    admin.post(url, {"npp": "90000001"})  # without the confirmation nothing moves
    membership.refresh_from_db()
    assert membership.employer_id == world["bpn_employer"].pk
    # Employers' HR cannot move workers (neither side sees the other).
    assert _client(world["users"]["hr"]).post(url, {"npp": "90000001", "confirm": "on"}).status_code == 404
    admin.post(url, {"npp": "90000001", "confirm": "on"})
    moved = Membership.objects.get(pk=membership.pk)
    assert (moved.kpj, moved.employer_id, moved.regency_id) == (membership.kpj, world["kukar_employer"].pk, "64.02")
    assert ChangeHistory.objects.filter(table_name="registry_membership", row_id=membership.pk).exists()
    billing_run("2025-04")
    march = Bill.objects.get(period="2025-03-01", contribution_lines__membership=membership)
    april = Bill.objects.get(period="2025-04-01", contribution_lines__membership=membership)
    assert (march.employer_id, april.employer_id) == (world["bpn_employer"].pk, world["kukar_employer"].pk)
