"""core/handlers.py: Django's own refusals (an unknown address) use the same Indonesian page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_the_refusal_page_not_a_url_list(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["users"]["hr"])
    answer = client.get("/tidak-ada-halaman-ini/")
    assert answer.status_code == 404
    text = answer.content.decode()
    assert "Tidak ditemukan" in text and 'data-code="not_found"' in text
    assert "urlpatterns" not in text and "URLconf" not in text
