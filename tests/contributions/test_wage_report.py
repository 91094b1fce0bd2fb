"""The employer's monthly wage report (issue 27 §3): a wage changed from a month is billed from that
month on, never for a month already billed, on the page, by XLSX and through the API."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client

from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.models import Bill
from paritrana.core.audit import AuditEvent
from paritrana.registry.models import Membership, WageChange

pytestmark = pytest.mark.django_db

# The Balikpapan worker (world fixture): PU, all five programmes, JKK risk group IV, Rp5,000,000.
# Employer's bill for a month at Rp5,000,000 (test_billing.test_who_pays_which_bill): JKK 1.27 %
# (PP 44/2015 Lampiran I group IV) + JKM 0.30 % (Pasal 18) + JHT 3.7 % + 2 % (PP 46/2015 Pasal 16)
# + JP 2 % + 1 % (PP 45/2015 Pasal 28) = Rp513,500; JKP's government part 0.22 % of the Rp5,000,000
# cap (PP 6/2025) is billed apart.
AT_5M = Decimal(63_500 + 15_000 + 185_000 + 100_000 + 100_000 + 50_000)
# The same rates on Rp6,000,000 (under the 2025 JP wage cap of Rp10,547,400, so no cap applies):
AT_6M = Decimal(76_200 + 18_000 + 222_000 + 120_000 + 120_000 + 60_000)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _worker(world: dict[str, Any]) -> Membership:
    return Membership.objects.get(person=world["bpn_person"], employer=world["bpn_employer"])


def test_a_wage_reported_from_a_month_is_billed_from_that_month(world: dict[str, Any]) -> None:
    billing_run("2025-03")
    worker = _worker(world)
    hr = _client(world["users"]["hr"])
    page = hr.get(f"/iuran/laporan-upah/{world['bpn_employer'].pk}/")
    assert page.status_code == 200 and worker.kpj in page.content.decode()
    answer = hr.post(
        f"/iuran/laporan-upah/{world['bpn_employer'].pk}/", {"month": "2025-04", f"wage-{worker.pk}": "Rp6.000.000"}
    )
    assert answer.status_code == 302
    worker.refresh_from_db()
    assert worker.wage == Decimal(6_000_000)
    change = WageChange.objects.get(membership=worker)
    assert (change.effective_from, change.wage, change.previous_wage) == (date(2025, 4, 1), 6_000_000, 5_000_000)
    billing_run("2025-04")
    billing_run("2025-02")  # a month before the change, billed later, keeps the wage then in force
    bills = {b.period: b.amount_due for b in Bill.objects.filter(employer=world["bpn_employer"])}
    assert bills == {date(2025, 2, 1): AT_5M, date(2025, 3, 1): AT_5M, date(2025, 4, 1): AT_6M}
    assert AuditEvent.objects.filter(action="wage_report", channel="page").exists()


def test_a_month_already_billed_is_refused_and_nothing_changes(world: dict[str, Any]) -> None:
    billing_run("2025-03")
    worker = _worker(world)
    hr = _client(world["users"]["hr"])
    answer = hr.post(
        f"/iuran/laporan-upah/{world['bpn_employer'].pk}/", {"month": "2025-03", f"wage-{worker.pk}": "6000000"}
    )
    assert answer.status_code == 400
    assert 'data-code="wage_month_billed"' in answer.content.decode()
    worker.refresh_from_db()
    assert worker.wage == Decimal(5_000_000) and not WageChange.objects.exists()


def test_the_wage_list_goes_out_as_xlsx_and_comes_back_filled_in(world: dict[str, Any]) -> None:
    worker = _worker(world)
    hr = _client(world["users"]["hr"])
    sheet = hr.get(f"/iuran/laporan-upah/{world['bpn_employer'].pk}/?format=xlsx")
    assert sheet.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("KPJ", "NIK", "Nama", "Upah")
    assert rows[1][0] == worker.kpj and "*" in rows[1][1]
    # HR types the new wage as text with thousand dots, as people do, and a KPJ as a number.
    book.worksheets[0].cell(row=2, column=1).value = int(worker.kpj)
    book.worksheets[0].cell(row=2, column=4).value = "7.250.000"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "upah.xlsx"
    answer = hr.post(f"/iuran/laporan-upah/{world['bpn_employer'].pk}/", {"month": "2026-12", "file": out})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    worker.refresh_from_db()
    assert worker.wage == Decimal(7_250_000)


def test_a_filled_in_sheet_with_a_stranger_changes_nothing(world: dict[str, Any]) -> None:
    hr = _client(world["users"]["hr"])
    out = io.BytesIO(b"KPJ;Upah\n99999999999;6.000.000\n")
    out.name = "upah.csv"
    answer = hr.post(f"/iuran/laporan-upah/{world['bpn_employer'].pk}/", {"month": "2026-12", "file": out})
    assert answer.status_code == 400
    assert 'data-code="kpj_unknown"' in answer.content.decode()
    assert not WageChange.objects.exists()


def test_the_api_takes_the_report_by_kpj(world: dict[str, Any]) -> None:
    worker = _worker(world)
    hr = _client(world["users"]["hr"])
    url = f"/api/v1/employers/{world['bpn_employer'].pk}/wages"
    answer = hr.post(
        url, {"month": "2026-12", "wages": [{"kpj": worker.kpj, "wage": 5_500_000}]}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json() == {"month": "2026-12", "changed": 1}
    again = hr.post(
        url, {"month": "2026-12", "wages": [{"kpj": worker.kpj, "wage": 5_500_000}]}, content_type="application/json"
    )
    assert again.json()["changed"] == 0
    assert WageChange.objects.get(membership=worker).wage == Decimal(5_500_000)


def test_another_employer_and_the_aggregate_roles_cannot_report_wages(world: dict[str, Any]) -> None:
    url = f"/iuran/laporan-upah/{world['kukar_employer'].pk}/"
    assert _client(world["users"]["hr"]).get(url).status_code == 404
    # A page does not tell a role what exists beyond it (core/middleware.py): 404, not 403.
    assert _client(world["users"]["coord"]).get(url).status_code == 404
    assert _client(world["users"]["kukar"]).get(f"/iuran/laporan-upah/{world['bpn_employer'].pk}/").status_code == 404


def test_a_large_employer_finds_its_workers_by_name_or_kpj(world: dict[str, Any]) -> None:
    worker = _worker(world)
    hr = _client(world["users"]["hr"])
    url = f"/iuran/laporan-upah/{world['bpn_employer'].pk}/"
    assert f'data-kpj="{worker.kpj}"' in hr.get(url, {"q": "yohanes"}).content.decode()
    assert f'data-kpj="{worker.kpj}"' in hr.get(url, {"q": worker.kpj}).content.decode()
    assert 'data-kpj="' not in hr.get(url, {"q": "Sumarni"}).content.decode()
