"""Access is scoped in one place and holds for pages, API and exports (DESIGN.md §3.5).

The issue's own case: a regency officer of Kutai Kartanegara cannot read or change a person
registered only in Kota Balikpapan.
"""

from typing import Any

import pytest
from django.test import Client

from paritrana.core.models import AuditEvent
from paritrana.registry import selectors, services
from paritrana.registry.models import Person

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
