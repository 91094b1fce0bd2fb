"""Pension payments go to the banks in batches and the banks' answers come back (issue 31 §1, §4):
a batch per bank from what the payroll issued, its file for the national administrator only (the
download audited), the bank's results file as a bank exports it (semicolons, Indonesian words, dd/mm/yyyy
dates, a BOM), a failed payment issued again by the next payroll into a later batch, the page and the
API, and nobody else reaching any of it."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from paritrana.benefits.batch.payroll import payroll_run
from paritrana.benefits.models import Pension, PensionBatch, PensionPayment
from paritrana.benefits.pensions import pension_batch_create, pension_results_import
from paritrana.core.errors import PermissionDenied, ValidationFailed
from paritrana.core.models import AuditEvent
from tests.benefits.test_payroll import _pension

pytestmark = pytest.mark.django_db


def _banked(pension: Pension, bank: str, account: str, name: str) -> Pension:
    Pension.objects.filter(pk=pension.pk).update(bank_name=bank, account_number=account, beneficiary_name=name)
    pension.refresh_from_db()
    return pension


def _issued(pension: Pension, period: date) -> PensionPayment:
    return PensionPayment.objects.get(pension=pension, period=period, state="issued")


def test_a_month_is_sent_to_two_banks_and_their_answers_come_back(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    january, february, march = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)
    widow = _banked(_pension(world, kind="spouse", first=january, base=900_000, number=1), "BRI", "002201000123", "Sri")
    child = _banked(
        _pension(world, kind="child", first=january, base=900_000, number=2), "bri", "", "Andi"
    )  # no account
    parent = _banked(
        _pension(world, kind="parent", first=january, base=500_000, number=3), "Mandiri", "1410009", "Siti"
    )
    payroll_run(period=february)

    client = Client()
    client.force_login(admin)
    overview = client.get("/api/v1/payroll").json()
    pending = {p["bank"]: p for p in overview["pending"]}
    # Pasal 18: the parent's 500,000 is above the 2024 minimum (393,500): paid as it is.
    assert pending["Mandiri"]["payments"] == 1 and pending["Mandiri"]["amount"] == 500_000
    assert sum(p["payments"] for p in pending.values() if p["bank"].lower() == "bri") == 2
    assert sum(p["no_account"] for p in pending.values()) == 1
    assert overview["in_payment"] == 3 and overview["runs"][0]["period"] == "2024-02"

    # The bank name as typed on another record ("bri") is the same bank; the one without an account waits.
    bri = pension_batch_create(actor=admin, period=february, bank=" bri ")
    assert (str(bri), bri.payments, int(bri.amount)) == ("JP-202402-0001", 1, 900_000)
    widow_feb = _issued(widow, february)
    assert widow_feb.batch_id == bri.pk and widow_feb.reference == f"JP-202402-0001-{widow_feb.pk:012d}"
    assert _issued(child, february).batch_id is None
    made = client.post(
        "/api/v1/payroll/batches", {"period": "2024-02", "bank": "Mandiri"}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["name"] == "JP-202402-0002" and made.json()["amount"] == 500_000
    again = client.post(
        "/api/v1/payroll/batches", {"period": "2024-02", "bank": "Mandiri"}, content_type="application/json"
    )
    assert again.status_code == 400 and again.json()["errors"][0]["code"] == "nothing_to_pay"
    mandiri = PensionBatch.objects.get(number=2)
    parent_feb = _issued(parent, february)

    # The file the bank pays from: whole account numbers, for the national administrator only, audited.
    answer = client.get(f"/pensiun/batch/{bri.pk}.csv")
    body = answer.content.decode()
    assert answer.status_code == 200 and "002201000123" in body and widow_feb.reference in body
    assert not body.startswith("\ufeff")
    assert AuditEvent.objects.filter(action="pension_batch_download", entity_id=str(bri.pk)).exists()
    branch = Client()
    branch.force_login(world["users"]["branch"])
    assert branch.get(f"/pensiun/batch/{bri.pk}.csv").status_code == 404
    assert branch.get("/pensiun/payroll/").status_code == 404
    assert branch.get("/api/v1/payroll").status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        pension_batch_create(actor=world["users"]["branch"], period=february, bank="BRI")

    # The banks' answer, as an Indonesian bank exports it: BOM, semicolons, its own words and dates.
    results = (
        "\ufeffNo Referensi;Status;Tanggal Bayar\r\n"
        f"{widow_feb.reference};Berhasil;05/03/2024\r\n"
        f"{parent_feb.reference};GAGAL - rekening ditutup;\r\n"
        "JP-202402-0009-000000000001;berhasil;05/03/2024\r\n"
        f"{parent_feb.reference[:-1]}X;entah;05/03/2024\r\n"
    ).encode()
    upload = SimpleUploadedFile("hasil-bank.csv", results, content_type="text/csv")
    imported = client.post("/api/v1/payroll/results", {"file": upload}).json()
    # "GAGAL - rekening ditutup": the bank's word and its reason; "entah" is no result: reported.
    assert imported["updated"] == 2 and imported["lines"] == 4
    assert [(e["line"], e["code"]) for e in imported["errors"]] == [(4, "reference_unknown"), (5, "status_unknown")]
    widow_feb.refresh_from_db()
    assert (widow_feb.state, widow_feb.result_on) == ("paid", date(2024, 3, 5))
    fixed = f"referensi,status\n{parent_feb.reference},Rekening tidak valid\n{widow_feb.reference},berhasil\n".encode()
    second = pension_results_import(actor=admin, content=fixed, file_name="hasil2.csv")
    assert (second["updated"], second["unchanged"], second["errors"]) == (0, 2, [])  # the same answers again
    parent_feb.refresh_from_db()
    assert parent_feb.state == "failed"
    bri.refresh_from_db()
    mandiri.refresh_from_db()
    assert (bri.status, mandiri.status) == ("reconciled", "reconciled")
    # A file that contradicts an answer already taken is reported, and changes nothing.
    contrary = f"reference,status\n{widow_feb.reference},gagal\n".encode()
    third = pension_results_import(actor=admin, content=contrary, file_name="salah.csv")
    assert third["updated"] == 0 and third["errors"][0]["code"] == "result_conflict"
    widow_feb.refresh_from_db()
    assert widow_feb.state == "paid"

    # March: the parent's February payment, returned, is issued again and goes with March's to Mandiri.
    ran = payroll_run(period=march)
    assert ran["reissued"] == 1
    march_batch = pension_batch_create(actor=admin, period=march, bank="MANDIRI")
    lines = sorted((f"{p.period:%Y-%m}", p.arrears) for p in march_batch.lines.all())
    assert lines == [("2024-02", True), ("2024-03", False)] and int(march_batch.amount) == 1_000_000

    # The page: the administrator's menu leads there; it shows the batches and their answers.
    page = client.get("/pensiun/payroll/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-batch="JP-202402-0001" data-status="reconciled"' in html
    assert "/pensiun/payroll/" in client.get("/").content.decode()


def test_the_page_makes_a_batch_and_reads_an_xlsx_answer(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    widow = _banked(_pension(world, kind="spouse", first=date(2024, 1, 1), base=800_000), "BNI", "0123", "Sri")
    payroll_run(period=date(2024, 2, 1))
    client = Client()
    client.force_login(admin)
    answer = client.post("/pensiun/payroll/", {"action": "batch", "period": "2024-02", "bank": "BNI"}, follow=True)
    assert answer.status_code == 200 and "JP-202402-0001" in answer.content.decode()
    bad = client.post("/pensiun/payroll/", {"action": "batch", "period": "2024-13", "bank": "BNI"})
    assert bad.status_code == 200 and "period" in bad.content.decode()
    payment = PensionPayment.objects.get(pension=widow, period=date(2024, 2, 1))
    book = Workbook()
    sheet = book.active
    sheet.append(["REFERENSI", "HASIL", "TANGGAL"])
    sheet.append([payment.reference, "Sukses", date(2024, 3, 4)])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("hasil.xlsx", data.getvalue())
    shown = client.post("/pensiun/payroll/", {"action": "results", "file": upload})
    assert shown.status_code == 200 and 'id="imported"' in shown.content.decode()
    payment.refresh_from_db()
    assert (payment.state, payment.result_on) == ("paid", date(2024, 3, 4))
    with pytest.raises(ValidationFailed):
        pension_results_import(actor=admin, content=b"nama,jumlah\nSri,1\n", file_name="x.csv")
