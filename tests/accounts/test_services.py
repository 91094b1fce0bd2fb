from typing import Any

import pytest
from django.test import Client

from paritrana.accounts.services import api_token_create
from paritrana.core.actors import system_actor

pytestmark = pytest.mark.django_db


def test_login_and_lockout_after_repeated_failures(world: dict[str, Any], settings: Any) -> None:
    settings.PARITRANA_LOGIN_MAX_FAILURES = 3
    client = Client()
    assert client.post("/masuk/", {"username": "t.kukar", "password": "pw-kukar-123"}).status_code == 302
    client = Client()
    for _ in range(3):
        assert client.post("/masuk/", {"username": "t.kukar", "password": "salah"}).status_code == 401
    locked = client.post("/masuk/", {"username": "t.kukar", "password": "pw-kukar-123"})
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan" in locked.content.decode()


def test_api_token(world: dict[str, Any]) -> None:
    _, secret = api_token_create(actor=system_actor(), user=world["users"]["bpn"], name="uji")
    client = Client()
    response = client.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert [p["full_name"] for p in response.json()["items"]] == ["Yohanes Balikpapan"]
    assert client.get("/api/v1/persons", HTTP_AUTHORIZATION="Bearer salah").status_code == 401


def test_provisioning_checks_the_password_with_djangos_validators(world: dict[str, Any]) -> None:
    from paritrana.accounts.services import user_provision
    from paritrana.core.errors import ValidationFailed

    for weak in ("pendek", "password123"):  # too short (AUTH_PASSWORD_VALIDATORS: 10); too common
        with pytest.raises(ValidationFailed) as refused:
            user_provision(
                actor=system_actor(), username="t.baru", password=weak, role="regency_officer", region_id="64.02"
            )
        assert refused.value.problems[0].field == "password"
    from django.contrib.auth.models import User

    assert not User.objects.filter(username="t.baru").exists()


def test_a_token_expires_and_only_its_owner_revokes_it(world: dict[str, Any]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from paritrana.accounts.models import ApiToken
    from paritrana.accounts.services import api_token_revoke
    from paritrana.core.errors import NotFound, PermissionDenied, ValidationFailed

    bpn, kukar = world["users"]["bpn"], world["users"]["kukar"]
    token, secret = api_token_create(actor=bpn, user=bpn, name="siak", days=30)
    assert token.expires_at is not None
    assert abs((token.expires_at - timezone.now()) - timedelta(days=30)) < timedelta(minutes=1)
    client = Client()
    assert client.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    with pytest.raises(ValidationFailed):
        api_token_create(actor=bpn, user=bpn, name="lama", days=366)
    with pytest.raises(PermissionDenied):
        api_token_create(actor=kukar, user=bpn, name="bukan milik saya")
    with pytest.raises(NotFound):
        api_token_revoke(actor=kukar, token_id=token.pk)
    api_token_revoke(actor=bpn, token_id=token.pk)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
