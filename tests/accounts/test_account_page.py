"""One's own account page (issue 30 §6): every role sets, changes or removes the e-mail address its
notifications go to; a wrong address is refused with its code and nothing is changed; each change is
audited; nobody changes anyone else's address through it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paritrana.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["participant", "hr", "sponsor", "branch", "coord", "admin"])
def test_each_role_sets_its_own_address_from_the_page(world: dict[str, Any], role: str) -> None:
    user = world["users"][role]
    client = Client()
    client.force_login(user)
    page = client.get("/akun/")
    assert page.status_code == 200 and 'name="email"' in page.content.decode()
    saved = client.post("/akun/", {"email": "  Nama.Saya@Contoh.go.id "})
    assert saved.status_code == 200 and 'id="email-saved"' in saved.content.decode()
    user.refresh_from_db()
    assert user.email == "Nama.Saya@Contoh.go.id"
    assert AuditEvent.objects.filter(action="account_email_set", entity_id=str(user.pk), actor=user).count() == 1


def test_a_wrong_address_is_refused_and_nothing_changes(world: dict[str, Any]) -> None:
    user: User = world["users"]["hr"]
    user.email = "hr@pt-teluk.test"
    user.save()
    client = Client()
    client.force_login(user)
    for wrong in ("bukan-alamat", "a@b", "nama@contoh.go.id\nBcc: x@y.id", "x" * 250 + "@contoh.go.id"):
        refused = client.post("/akun/", {"email": wrong})
        assert refused.status_code == 400 and 'data-code="email_invalid"' in refused.content.decode()
    user.refresh_from_db()
    assert user.email == "hr@pt-teluk.test"
    # Emptied: no more mail, said so.
    cleared = client.post("/akun/", {"email": ""})
    assert cleared.status_code == 200 and "tidak ada e-mail" in cleared.content.decode()
    user.refresh_from_db()
    assert user.email == ""


def test_the_page_changes_only_the_callers_own_address(world: dict[str, Any]) -> None:
    hr, other = world["users"]["hr"], world["users"]["sponsor"]
    client = Client()
    client.force_login(hr)
    client.post("/akun/", {"email": "hr@uji.test", "user": str(other.pk), "username": other.username})
    other.refresh_from_db()
    assert other.email == "" and User.objects.get(pk=hr.pk).email == "hr@uji.test"
    assert Client().get("/akun/").status_code == 302  # signed out: to the login page
