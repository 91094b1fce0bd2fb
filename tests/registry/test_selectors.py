"""Access is scoped in one place and holds for pages, API and exports (DESIGN.md §3.5).

The issue's own case: a regency officer of Kutai Kartanegara cannot read or change a person
registered only in Kota Balikpapan.
"""

from datetime import date
from typing import Any

import pytest
from django.test import Client

from paritrana.core.models import AuditEvent
from paritrana.registry import selectors, services
from paritrana.registry.models import Membership, Person

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_page_person_outside_regency_is_not_found(world: dict[str, Any]) -> None:
    kukar = client_for(world["users"]["kukar"])
    assert kukar.get(f"/orang/{world['kukar_person'].pk}/").status_code == 200
    response = kukar.get(f"/orang/{world['bpn_person'].pk}/")
    assert response.status_code == 404
    assert world["bpn_person"].nik.encode() not in response.content


def test_page_search_does_not_find_outside_regency(world: dict[str, Any]) -> None:
    kukar = client_for(world["users"]["kukar"])
    by_nik = kukar.get("/cari/", {"q": world["bpn_person"].nik})
    assert b"Yohanes" not in by_nik.content
    assert b"Sumarni" in kukar.get("/cari/", {"q": "Sumarni"}).content


def test_api_read_and_change_outside_regency_refused(world: dict[str, Any]) -> None:
    kukar = client_for(world["users"]["kukar"])
    target = world["bpn_person"]
    response = kukar.get(f"/api/v1/persons/{target.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    listed = kukar.get("/api/v1/persons", {"q": target.nik}).json()
    assert listed["count"] == 0
    patch = kukar.patch(f"/api/v1/persons/{target.pk}", {"full_name": "Diubah"}, content_type="application/json")
    assert patch.status_code == 404
    assert Person.objects.get(pk=target.pk).full_name == "Yohanes Balikpapan"
    own = kukar.get(f"/api/v1/persons/{world['kukar_person'].pk}")
    assert own.status_code == 200 and own.json()["nik"] == world["kukar_person"].nik


def test_export_leaves_out_other_regencies(world: dict[str, Any]) -> None:
    kukar = client_for(world["users"]["kukar"])
    body = b"".join(kukar.get("/orang/ekspor.csv", {"q": "a"}).streaming_content).decode()
    assert "Sumarni Lestari" in body
    assert "Yohanes" not in body and world["bpn_person"].nik not in body
    # A regency officer's export masks NIKs (DESIGN.md §3.7).
    assert world["kukar_person"].nik not in body and world["kukar_person"].nik[:6] + "********" in body


def test_service_change_outside_scope_refused(world: dict[str, Any]) -> None:
    from paritrana.core.errors import NotFound

    with pytest.raises(NotFound):
        services.person_update(actor=world["users"]["kukar"], person_id=world["bpn_person"].pk, phone="08000111")


def test_each_role_sees_what_it_should(world: dict[str, Any]) -> None:
    u = world["users"]
    names = lambda user: set(selectors.person_list(user=user).values_list("full_name", flat=True))  # noqa: E731
    both = {"Sumarni Lestari", "Yohanes Balikpapan"}
    assert names(u["admin"]) >= both
    assert names(u["kaltim"]) >= both
    assert names(u["kukar"]) == {"Sumarni Lestari"}
    assert names(u["bpn"]) == {"Yohanes Balikpapan"}
    assert names(u["branch"]) == {"Sumarni Lestari"}  # the test branch serves Kukar only
    assert names(u["hr"]) == {"Yohanes Balikpapan"}
    assert names(u["sponsor"]) == {"Sumarni Lestari"}
    assert names(u["participant"]) == {"Sumarni Lestari"}
    assert names(u["coord"]) == set()  # aggregates only


def test_coordination_viewer_gets_no_personal_record(world: dict[str, Any]) -> None:
    coord = client_for(world["users"]["coord"])
    assert coord.get(f"/orang/{world['kukar_person'].pk}/").status_code == 404
    assert coord.get("/api/v1/persons").json()["count"] == 0
    home = coord.get("/")
    assert home.status_code == 200


def test_staff_view_of_full_record_is_logged(world: dict[str, Any]) -> None:
    client_for(world["users"]["kukar"]).get(f"/orang/{world['kukar_person'].pk}/")
    event = AuditEvent.objects.get(action="person_view")
    assert event.actor == world["users"]["kukar"] and event.entity_id == str(world["kukar_person"].pk)
    client_for(world["users"]["participant"]).get(f"/orang/{world['kukar_person'].pk}/")
    assert AuditEvent.objects.filter(action="person_view").count() == 1  # a person reading their own is not


def test_anonymous_is_sent_to_login(world: dict[str, Any]) -> None:
    assert Client().get("/cari/").status_code == 302
    assert Client().get("/api/v1/persons").status_code == 401


# -- set-based facts for the award's indicators ------------------------------------------------------


def test_counts_in_force_by_region_per_regency_and_province(world: dict[str, Any]) -> None:
    """The world: Kukar's BPU member (vulnerable, from 1/1/2024) and Balikpapan's PU worker (from 1/1/2023)."""
    counts = selectors.counts_in_force_by_region(
        start=date(2023, 12, 31), end=date(2024, 12, 31), tags=["vulnerable", "non_asn"]
    )
    assert counts["64.02"] == {
        "active_end": 1, "pu_start": 0, "pu_end": 0, "bpu_start": 0, "bpu_end": 1,
        "employers_start": 0, "employers_end": 0, "tagged_end": 1,
    }  # fmt: skip
    assert counts["64.71"] == {
        "active_end": 1, "pu_start": 1, "pu_end": 1, "bpu_start": 0, "bpu_end": 0,
        "employers_start": 1, "employers_end": 1, "tagged_end": 0,
    }  # fmt: skip
    # The province counts both regencies' members once each.
    assert counts["64"]["active_end"] == 2 and counts["64"]["bpu_end"] == 1 and counts["64"]["tagged_end"] == 1
    # A membership that ended before the period's end is not in force at its end.
    Membership.objects.filter(person=world["bpn_person"]).update(valid_until=date(2024, 6, 30))
    later = selectors.counts_in_force_by_region(start=date(2023, 12, 31), end=date(2024, 12, 31), tags=[])
    assert later["64.71"]["pu_start"] == 1 and later["64.71"]["pu_end"] == 0 and later["64.71"]["active_end"] == 0


def test_employer_workers_at_the_start_and_end(world: dict[str, Any]) -> None:
    ids = [world["kukar_employer"].pk, world["bpn_employer"].pk]
    workers = selectors.employer_workers(ids=ids, start=date(2022, 12, 31), end=date(2023, 12, 31))
    # Balikpapan's worker joined on 1/1/2023: none at the start, one at the end; Kukar's employer has none.
    assert workers == {world["kukar_employer"].pk: (0, 0), world["bpn_employer"].pk: (0, 1)}


def test_search_finds_employers_and_sponsors_by_npp_code_or_name_within_scope(world: dict[str, Any]) -> None:
    """Issue 27: an NPP or an employer's name on /cari/ finds the employer (it found people only)."""
    admin, kukar = client_for(world["users"]["admin"]), client_for(world["users"]["kukar"])
    by_npp = admin.get("/cari/", {"q": "90000002"}).content.decode()
    assert 'id="employers"' in by_npp and "PT Teluk Uji" in by_npp
    by_name = kukar.get("/cari/", {"q": "Mahakam"}).content.decode()
    assert "PT Mahakam Uji" in by_name
    # Balikpapan's employer is outside Kukar's scope: not found there.
    assert "PT Teluk Uji" not in kukar.get("/cari/", {"q": "Teluk"}).content.decode()
    by_code = kukar.get("/cari/", {"q": "APBD-UJI-64.02"}).content.decode()
    assert 'id="sponsors"' in by_code and "APBD Kukar (uji)" in by_code


def test_a_persons_page_names_membership_tags_in_indonesian(world: dict[str, Any]) -> None:
    """Issue 27 §6: tags were shown as codes (vulnerable, farmer)."""
    page = client_for(world["users"]["kukar"]).get(f"/orang/{world['kukar_person'].pk}/").content.decode()
    assert 'data-tag="vulnerable">Pekerja rentan<' in page and 'data-tag="farmer">Petani<' in page


def test_an_employers_workforce_list_filters_by_name_kpj_status_and_segment(world: dict[str, Any]) -> None:
    """Issue 27 §3: HR finds a worker in its workforce list by name or KPJ, and by status."""
    membership = Membership.objects.get(person=world["bpn_person"])
    hr = client_for(world["users"]["hr"])
    url = f"/pemberi-kerja/{world['bpn_employer'].pk}/"
    assert f'data-kpj="{membership.kpj}"' in hr.get(url, {"q": "Yohanes"}).content.decode()
    assert f'data-kpj="{membership.kpj}"' in hr.get(url, {"q": membership.kpj}).content.decode()
    assert f'data-kpj="{membership.kpj}"' not in hr.get(url, {"q": "Sumarni"}).content.decode()
    assert f'data-kpj="{membership.kpj}"' not in hr.get(url, {"status": "ended"}).content.decode()
    assert f'data-kpj="{membership.kpj}"' in hr.get(url, {"status": "active", "segment": "PU"}).content.decode()
    assert f'data-kpj="{membership.kpj}"' not in hr.get(url, {"segment": "BPU"}).content.decode()
