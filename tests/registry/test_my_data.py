"""A participant keeps their contact data and heirs up to date, with a confirmation step (issue 27 §4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from paritrana.benefits.models import Heir
from paritrana.core.audit import AuditEvent
from paritrana.registry.models import Person

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_contact_data_is_changed_only_after_the_participant_confirms_it(world: dict[str, Any]) -> None:
    me = _client(world["users"]["participant"])
    person = world["kukar_person"]
    assert me.get("/saya/data/").status_code == 200
    preview = me.post("/saya/data/", {"phone": "+62 812-3456-7890", "address": "Jl.  Mawar   3, RT 02"})
    page = preview.content.decode()
    assert 'id="contact-confirm"' in page and "Jl. Mawar 3, RT 02" in page
    person.refresh_from_db()
    assert person.phone == "" and person.address == ""  # nothing kept before the confirmation
    saved = me.post("/saya/data/", {"phone": "+62 812-3456-7890", "address": "Jl. Mawar 3, RT 02", "confirm": "on"})
    assert saved.status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.address) == ("+62 812-3456-7890", "Jl. Mawar 3, RT 02")
    assert AuditEvent.objects.filter(action="contact_update_own", entity_id=str(person.pk)).exists()
    refused = me.post("/saya/data/", {"phone": "telp 0812", "address": "", "confirm": "on"})
    assert refused.status_code == 400 and 'data-code="phone_invalid"' in refused.content.decode()
    assert Person.objects.get(pk=person.pk).phone == "+62 812-3456-7890"


def test_staff_have_no_own_data_page(world: dict[str, Any]) -> None:
    for role in ("branch", "hr", "coord"):
        assert _client(world["users"][role]).get("/saya/data/").status_code == 404


def test_a_participant_adds_an_heir_after_declaring_it_true(world: dict[str, Any]) -> None:
    me = _client(world["users"]["participant"])
    person = world["kukar_person"]
    url = f"/peserta/{person.pk}/ahli-waris/"
    heir = {"name": "Andi Lestari", "relationship": "child", "birth_date": "2010-02-03", "education_level": "SMP"}
    unconfirmed = me.post(url, heir)
    assert unconfirmed.status_code == 400 and "confirm_required" in unconfirmed.content.decode()
    assert not Heir.objects.filter(person=person).exists()
    assert me.post(url, {**heir, "confirm": "on"}).status_code == 302
    assert Heir.objects.get(person=person).name == "Andi Lestari"
    # Not for someone else's family.
    other = world["bpn_person"]
    assert me.post(f"/peserta/{other.pk}/ahli-waris/", {**heir, "confirm": "on"}).status_code == 404
    assert not Heir.objects.filter(person=other).exists()
