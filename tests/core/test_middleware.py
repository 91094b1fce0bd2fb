"""core/middleware.py: the pages' one door for refusals (DomainRefusalMiddleware)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _client(world: dict[str, Any], role: str) -> Client:
    client = Client()
    client.force_login(world["users"][role])
    return client


def test_bad_input_a_view_does_not_handle_is_400_with_its_message(world: dict[str, Any]) -> None:
    answer = _client(world, "admin").get("/inpres/laporan.pdf?semester=2026-3")
    assert answer.status_code == 400
    assert b'data-code="semester_invalid"' in answer.content and b"TTTT-1" in answer.content


def test_what_is_outside_the_scope_or_the_role_is_404_on_a_page(world: dict[str, Any]) -> None:
    bpn_person = world["bpn_person"]
    answer = _client(world, "kukar").get(f"/iuran/peserta/{bpn_person.pk}/")
    assert answer.status_code == 404 and bpn_person.nik.encode() not in answer.content
    # A role refused a page altogether gets the same answer, not a server error.
    assert _client(world, "hr").get("/inpres/").status_code == 404


def test_a_json_page_refuses_with_the_api_body(world: dict[str, Any]) -> None:
    answer = _client(world, "participant").get("/pendaftaran/999999/kemajuan.json")
    assert answer.status_code == 404
    body = answer.json()
    assert body["code"] == "not_found" and body["errors"][0]["code"] == "not_found"
