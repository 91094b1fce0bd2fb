from typing import Any

import pytest
from django.test import Client

from paritrana.accounts.services import api_token_create

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
    _, secret = api_token_create(actor=None, user=world["users"]["bpn"], name="uji")
    client = Client()
    response = client.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert [p["full_name"] for p in response.json()["items"]] == ["Yohanes Balikpapan"]
    assert client.get("/api/v1/persons", HTTP_AUTHORIZATION="Bearer salah").status_code == 401
