"""Contribution pages, scoped by role and region (issue 3 §5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.models import Bill, Payment

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def billed(world: dict[str, Any]) -> dict[str, Any]:
    billing_run("2025-03")
    return world


def test_payer_page_lists_bills_and_takes_a_payment(billed: dict[str, Any]) -> None:
    url = f"/iuran/pembayar/employer/{billed['bpn_employer'].pk}/"
    # The regency officer reads the bills; payments are taken by BPJS's officers (issue 27).
    regency = client_for(billed["users"]["bpn"]).get(url).content.decode()
    assert "Rp513.500" in regency and 'name="reference"' not in regency
    client = client_for(billed["users"]["admin"])
    page = client.get(url)
    assert page.status_code == 200
    assert "Tagihan iuran" in page.content.decode() and "Rp513.500" in page.content.decode()
    response = client.post(url, {"amount": "513.500", "paid_on": "2025-04-10", "reference": "BNI-77"})
    assert response.status_code == 302
    bill = Bill.objects.get(employer=billed["bpn_employer"], period="2025-03-01")
    assert bill.status == "paid"
    detail = client.get(f"/iuran/tagihan/{bill.pk}/").content.decode()
    assert 'id="bill-status">Lunas<' in detail and "BNI-77" in detail


def test_payment_form_shows_every_problem(billed: dict[str, Any]) -> None:
    client = client_for(billed["users"]["admin"])
    response = client.post(
        f"/iuran/pembayar/employer/{billed['bpn_employer'].pk}/",
        {"amount": "0", "paid_on": "2025-04-10", "reference": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-code="amount_invalid"' in html and 'data-code="reference_required"' in html
    assert not Payment.objects.exists()


def test_kukar_officer_cannot_reach_balikpapan_bills(billed: dict[str, Any]) -> None:
    client = client_for(billed["users"]["kukar"])
    bill = Bill.objects.get(employer=billed["bpn_employer"], period="2025-03-01")
    assert client.get(f"/iuran/pembayar/employer/{billed['bpn_employer'].pk}/").status_code == 404
    assert client.get(f"/iuran/tagihan/{bill.pk}/").status_code == 404
    response = client.post(
        f"/iuran/pembayar/employer/{billed['bpn_employer'].pk}/",
        {"amount": "1000", "paid_on": "2025-04-10", "reference": "X"},
    )
    assert response.status_code == 404
    assert not Payment.objects.exists()
    assert client.get(f"/iuran/peserta/{billed['bpn_person'].pk}/").status_code == 404
    # Their own regency's sponsor bill is reachable.
    own = Bill.objects.get(sponsor=billed["kukar_sponsor"], period="2025-03-01")
    assert client.get(f"/iuran/tagihan/{own.pk}/").status_code == 200


def test_arrears_page_per_regency_and_branch(billed: dict[str, Any]) -> None:
    client = client_for(billed["users"]["admin"])
    # On the real date (after March 2025's due dates) both regencies' March bills are overdue.
    html = client.get("/iuran/tunggakan/").content.decode()
    assert "BALIKPAPAN" in html.upper() and "KUTAI KARTANEGARA" in html.upper()
    assert 'id="total-outstanding">Rp530.300<' in html  # 513,500 + 16,800
    by_branch = client.get("/iuran/tunggakan/?by=branch").content.decode()
    assert "Kantor Cabang Uji Samarinda" in by_branch and "Tanpa kantor cabang" in by_branch


def test_participant_history_shows_standing(billed: dict[str, Any]) -> None:
    client = client_for(billed["users"]["admin"])
    html = client.get(f"/iuran/peserta/{billed['bpn_person'].pk}/").content.decode()
    assert 'id="history"' in html and "03/2025" in html
    assert "standing-" in html


def test_statement_upload_page(billed: dict[str, Any]) -> None:
    client = client_for(billed["users"]["admin"])
    npp = billed["bpn_employer"].npp
    upload = SimpleUploadedFile(
        "rk.csv", f"tanggal,referensi,kode_pembayar,jumlah\n2025-04-10,RK-1,{npp},513500\n".encode()
    )
    html = client.post("/iuran/impor-rekening/", {"file": upload}).content.decode()
    assert 'id="recorded">1<' in html
    upload = SimpleUploadedFile(
        "rk.csv", f"tanggal,referensi,kode_pembayar,jumlah\n2025-04-10,RK-1,{npp},513500\n".encode()
    )
    html = client.post("/iuran/impor-rekening/", {"file": upload}).content.decode()
    assert 'id="already">1<' in html
    assert Payment.objects.count() == 1


def test_arrears_name_the_payers_of_a_regency(billed: dict[str, Any]) -> None:
    """Issue 27: from the summary a branch or regency officer opens a regency and sees who owes, each
    payer a link to its bills. Kukar's APBD sponsor owes March 2025: JKK 1 % of Rp1,000,000 + JKM
    Rp6,800 = Rp16,800 (PP 44/2015 Pasal 19, 20)."""
    client = client_for(billed["users"]["kukar"])
    summary = client.get("/iuran/tunggakan/").content.decode()
    assert 'href="?wilayah=64.02"' in summary and "impor-rekening" not in summary
    page = client.get("/iuran/tunggakan/", {"wilayah": "64.02"}).content.decode()
    sponsor = billed["kukar_sponsor"]
    assert f'href="/iuran/pembayar/sponsor/{sponsor.pk}/"' in page and "APBD Kukar (uji)" in page
    assert "APBD-UJI-64.02" in page and "Rp16.800" in page
    # Balikpapan is outside Kukar's scope: no list of its payers.
    assert client.get("/iuran/tunggakan/", {"wilayah": "64.71"}).status_code == 404
