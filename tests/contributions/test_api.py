"""The contribution API: bills, lines, payments, statements, history — scoped (issue 3 §4, §5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from paritrana.accounts.services import api_token_create
from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.models import Payment

pytestmark = pytest.mark.django_db


def api(user: Any) -> Client:
    _, secret = api_token_create(actor=user, user=user, name="uji")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def billed(world: dict[str, Any]) -> dict[str, Any]:
    billing_run("2025-03")
    return world


def test_bills_lines_and_payment_through_the_api(billed: dict[str, Any]) -> None:
    client = api(billed["users"]["bpn"])
    bills = client.get("/api/v1/bills", {"period": "2025-03"}).json()
    assert bills["count"] == 1
    bill = bills["items"][0]
    assert (bill["payer_kind"], bill["amount_due"], bill["status"]) == ("employer", "513500", "open")
    lines = client.get(f"/api/v1/bills/{bill['id']}/lines").json()["items"]
    assert [p["program"] for p in lines[0]["programmes"]] == ["JKK", "JKM", "JHT", "JP", "JKP"]
    payload = {
        "payer_code": billed["bpn_employer"].npp,
        "amount": "513500",
        "paid_on": "2025-04-14",
        "reference": "API-1",
    }
    # The regency officer sees the bill but does not take payments (issue 27): BPJS's officers do.
    refused = client.post("/api/v1/payments", payload, content_type="application/json")
    assert refused.status_code == 403 and not Payment.objects.exists()
    client = api(billed["users"]["admin"])
    first = client.post("/api/v1/payments", payload, content_type="application/json")
    assert first.status_code == 201
    assert first.json()["allocations"][0]["amount"] == "513500"
    again = client.post("/api/v1/payments", payload, content_type="application/json")
    assert again.status_code == 200 and again.json()["created"] is False
    assert client.get(f"/api/v1/bills/{bill['id']}").json()["status"] == "paid"
    history = client.get(f"/api/v1/persons/{billed['bpn_person'].pk}/contributions").json()
    assert history["months"][0]["period"] == "2025-03"
    assert history["standings"][0]["status"] == "active"


def test_api_scope_for_bills_and_payments(billed: dict[str, Any]) -> None:
    client = api(billed["users"]["kukar"])
    periods = client.get("/api/v1/bills").json()
    assert {b["payer_kind"] for b in periods["items"]} == {"sponsor"}
    other = api(billed["users"]["bpn"]).get("/api/v1/bills").json()["items"][0]["id"]
    assert client.get(f"/api/v1/bills/{other}").status_code == 404
    # A branch officer takes payments, from payers in its area only (Samarinda: not Balikpapan).
    response = api(billed["users"]["branch"]).post(
        "/api/v1/payments",
        {
            "payer_kind": "employer",
            "payer_id": billed["bpn_employer"].pk,
            "amount": 1000,
            "paid_on": "2025-04-01",
            "reference": "NOPE",
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Payment.objects.exists()


def test_payment_api_reports_problems(billed: dict[str, Any]) -> None:
    client = api(billed["users"]["admin"])
    response = client.post(
        "/api/v1/payments",
        {"payer_code": billed["bpn_employer"].npp, "amount": "-1", "paid_on": "2025-04-01", "reference": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {e["code"] for e in response.json()["errors"]} == {"amount_invalid", "reference_required"}
    assert (
        client.post(
            "/api/v1/payments",
            {"amount": 5, "paid_on": "2025-04-01", "reference": "x"},
            content_type="application/json",
        ).json()["code"]
        == "payer_required"
    )


def test_statement_upload_through_the_api(billed: dict[str, Any]) -> None:
    client = api(billed["users"]["admin"])
    npp = billed["bpn_employer"].npp
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = f"tanggal,referensi,kode_pembayar,jumlah\n2025-04-10,API-RK,{npp},513500\n2025-04-10,,{npp},1\n".encode()
    report = client.post("/api/v1/payments/statement", {"file": SimpleUploadedFile("rk.csv", body)}).json()
    assert (report["recorded"], report["invalid"]) == (1, 1)
    assert report["errors"][0]["code"] == "reference_required"
