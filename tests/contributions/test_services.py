"""Payments, allocation, credits, late fees, statements, standing and arrears (issue 3 §4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.models import Allocation, Bill, Payment
from paritrana.contributions.selectors import arrears_summary, membership_standing
from paritrana.contributions.services import Payer, payment_import_statement, payment_record
from paritrana.core.errors import NotFound, PermissionDenied, ValidationFailed
from paritrana.registry.models import Membership

pytestmark = pytest.mark.django_db

# The Balikpapan employer's monthly bill (world fixture: group IV, Rp5,000,000, five programmes):
# JKK 1.27 % 63,500 + JKM 0.30 % 15,000 + JHT 5.7 % 285,000 + JP 3 % 150,000 (PP 44/2015 Pasal 16,
# 18; PP 46/2015 Pasal 16; PP 45/2015 Pasal 28) = 513,500; JKP is paid by the government.
MONTHLY = Decimal(513_500)


@pytest.fixture
def billed(world: dict[str, Any]) -> dict[str, Any]:
    billing_run("2025-03")
    billing_run("2025-04")
    payer = Payer("employer", world["bpn_employer"].pk)
    march = Bill.objects.get(employer=world["bpn_employer"], period="2025-03-01")
    april = Bill.objects.get(employer=world["bpn_employer"], period="2025-04-01")
    assert march.amount_due == april.amount_due == MONTHLY
    return {**world, "payer": payer, "march": march, "april": april}


def test_payment_goes_to_the_oldest_bill_first(billed: dict[str, Any]) -> None:
    payment, created = payment_record(
        actor=billed["users"]["admin"],
        payer=billed["payer"],
        amount=700_000,
        paid_on=date(2025, 4, 10),
        reference="TRF-1",
    )
    assert created
    billed["march"].refresh_from_db()
    billed["april"].refresh_from_db()
    assert (billed["march"].status, billed["march"].paid_amount) == ("paid", MONTHLY)
    assert (billed["april"].status, billed["april"].paid_amount) == ("partial", Decimal(700_000) - MONTHLY)
    assert payment.credit == 0


def test_overpayment_is_a_credit_that_pays_the_next_bill(billed: dict[str, Any]) -> None:
    payment, _ = payment_record(
        actor=billed["users"]["admin"],
        payer=billed["payer"],
        amount=1_600_000,
        paid_on=date(2025, 4, 10),
        reference="TRF-2",
    )
    payment.refresh_from_db()
    assert payment.credit == Decimal(1_600_000) - 2 * MONTHLY
    report = billing_run("2025-05")
    assert report.credit_allocations == 1
    may = Bill.objects.get(employer=billed["bpn_employer"], period="2025-05-01")
    assert may.status == "paid"
    payment.refresh_from_db()
    assert payment.credit == Decimal(1_600_000) - 3 * MONTHLY


def test_late_payment_carries_the_late_fee(billed: dict[str, Any]) -> None:
    # March is due 15 April 2025; paid 20 May 2025 is two started months late: 2 % × 2 × 513,500.
    payment_record(
        actor=billed["users"]["admin"],
        payer=billed["payer"],
        amount=MONTHLY,
        paid_on=date(2025, 5, 20),
        reference="TRF-3",
    )
    allocation = Allocation.objects.get(bill=billed["march"])
    assert allocation.months_late == 2
    assert allocation.late_fee == Decimal(20_540)


def test_same_reference_twice_changes_nothing_and_a_conflict_is_refused(billed: dict[str, Any]) -> None:
    admin = billed["users"]["admin"]
    first, created = payment_record(
        actor=admin, payer=billed["payer"], amount=100_000, paid_on=date(2025, 4, 1), reference="R9"
    )
    again, created_again = payment_record(
        actor=admin, payer=billed["payer"], amount=100_000, paid_on=date(2025, 4, 1), reference="R9"
    )
    assert created and not created_again and first.pk == again.pk
    assert Allocation.objects.count() == 1
    with pytest.raises(ValidationFailed) as caught:
        payment_record(actor=admin, payer=billed["payer"], amount=999, paid_on=date(2025, 4, 1), reference="R9")
    assert caught.value.problems[0].code == "reference_conflict"


def test_bad_payment_input_reports_every_problem(billed: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        payment_record(
            actor=billed["users"]["admin"], payer=billed["payer"], amount=-5, paid_on=date(2999, 1, 1), reference=" "
        )
    assert {p.code for p in caught.value.problems} == {"amount_invalid", "paid_on_future", "reference_required"}
    assert not Payment.objects.exists()


def test_bank_statement_import_keeps_good_rows_reports_bad_ones_and_is_idempotent(billed: dict[str, Any]) -> None:
    npp = billed["bpn_employer"].npp
    sponsor = billed["kukar_sponsor"].code
    csv_text = (
        "tanggal;referensi;kode_pembayar;jumlah\n"
        f"10/04/2025;BNI-001;{npp};513.500\n"
        f"2025-03-16;BNI-002;{sponsor};16800\n"
        "2025-04-31;BNI-003;{npp};100\n"
        "2025-04-11;BNI-004;99999999;100\n"
        f"2025-04-11;BNI-005;{npp};-7\n"
    ).replace("{npp}", npp)
    admin = billed["users"]["admin"]
    report = payment_import_statement(actor=admin, content=csv_text.encode()).as_dict()
    assert (report["rows"], report["recorded"], report["invalid"]) == (5, 2, 3)
    assert report["amount_recorded"] == "530300"
    assert report["errors_by_code"] == {"date_invalid": 1, "payer_unknown": 1, "amount_invalid": 1}
    assert [e["line"] for e in report["errors"]] == [4, 5, 6]
    billed["march"].refresh_from_db()
    assert billed["march"].status == "paid"
    again = payment_import_statement(actor=admin, content=csv_text.encode()).as_dict()
    assert (again["recorded"], again["already_recorded"]) == (0, 2)
    assert Payment.objects.count() == 2 and Allocation.objects.count() == 2


def test_statement_without_the_columns_is_refused(billed: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        payment_import_statement(actor=billed["users"]["admin"], content=b"date,amount\n2025-01-01,5\n")
    assert caught.value.problems[0].code == "columns_missing"


def test_standing_follows_payment(billed: dict[str, Any]) -> None:
    membership = Membership.objects.get(person=billed["bpn_person"])
    # Billed for March and April; April not yet due on 1 May, March overdue since 15 April.
    assert membership_standing(membership=membership, today=date(2025, 4, 10)).status == "awaiting_payment"
    overdue = membership_standing(membership=membership, today=date(2025, 5, 1))
    assert (overdue.status, overdue.months_in_arrears) == ("in_arrears", 1)
    payment_record(
        actor=billed["users"]["admin"],
        payer=billed["payer"],
        amount=2 * MONTHLY,
        paid_on=date(2025, 5, 2),
        reference="T",
    )
    assert membership_standing(membership=membership, today=date(2025, 5, 3)).status == "active"


def test_more_than_three_months_unpaid_is_inactive(world: dict[str, Any]) -> None:
    for period in ("2025-01", "2025-02", "2025-03", "2025-04"):
        billing_run(period)
    membership = Membership.objects.get(person=world["bpn_person"])
    result = membership_standing(membership=membership, today=date(2025, 6, 1))
    assert (result.status, result.months_in_arrears) == ("inactive", 4)


def test_a_regency_officer_cannot_take_payments_or_see_bills_of_another_regency(billed: dict[str, Any]) -> None:
    kukar = billed["users"]["kukar"]
    # A regional government monitors; BPJS's officers take payments (issue 27).
    with pytest.raises(PermissionDenied):
        payment_record(actor=kukar, payer=billed["payer"], amount=1000, paid_on=date(2025, 4, 1), reference="X1")
    # A branch officer takes payments only from payers in the branch's area (Samarinda: Kukar, not Balikpapan).
    with pytest.raises(NotFound):
        branch = billed["users"]["branch"]
        payment_record(actor=branch, payer=billed["payer"], amount=1000, paid_on=date(2025, 4, 1), reference="X1")
    assert not Payment.objects.exists()
    rows = arrears_summary(user=kukar, today=date(2025, 6, 1))
    assert {r["key"] for r in rows} == {"64.02"}


def test_arrears_summary_ages_overdue_bills(billed: dict[str, Any]) -> None:
    rows = {r["key"]: r for r in arrears_summary(user=billed["users"]["admin"], today=date(2025, 6, 1))}
    bpn = rows["64.71"]
    # On 1 June 2025: March (due 15 April) is 2 months late, April (due 15 May) 1 month.
    assert bpn["bills"] == 2 and bpn["outstanding"] == 2 * MONTHLY
    assert bpn["age_1"] == MONTHLY and bpn["age_2"] == MONTHLY
    # 2 % × 1 × 513,500 + 2 % × 2 × 513,500
    assert bpn["late_fee"] == Decimal(10_270 + 20_540)


def test_hr_cannot_mark_its_own_bill_paid_and_the_invoices_code_pays_it(billed: dict[str, Any]) -> None:
    """Issue 27 §3: the bill is an invoice with a payment code; HR pays at the bank, never records its
    own payment (service, page, API or a "statement" of its own making); the bank's statement line
    carrying the code, imported by BPJS, pays the bill."""
    from django.test import Client

    from paritrana.accounts.services import api_token_create
    from paritrana.contributions.rules.payment_code import payment_code

    hr = billed["users"]["hr"]  # HR of the Balikpapan employer
    march = billed["march"]
    with pytest.raises(PermissionDenied):
        payment_record(actor=hr, payer=billed["payer"], amount=MONTHLY, paid_on=date(2025, 4, 10), reference="AKU")
    code = payment_code(march.pk)
    statement = f"tanggal,referensi,kode_pembayar,jumlah\n2025-04-10,BNI-VA-1,{code},513500\n".encode()
    with pytest.raises(PermissionDenied):
        payment_import_statement(actor=hr, content=statement)
    page = Client()
    page.force_login(hr)
    bills = page.get(f"/iuran/pembayar/employer/{billed['bpn_employer'].pk}/")
    assert bills.status_code == 200 and 'name="reference"' not in bills.content.decode()  # no payment form
    posted = page.post(
        f"/iuran/pembayar/employer/{billed['bpn_employer'].pk}/",
        {"amount": "513.500", "paid_on": "2025-04-10", "reference": "KARANGAN"},
    )
    assert posted.status_code in (400, 403)
    invoice = page.get(f"/iuran/tagihan/{march.pk}/").content.decode()
    assert f'data-code="{code}"' in invoice  # the invoice carries its payment code
    _, secret = api_token_create(actor=hr, user=hr, name="uji")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(
        "/api/v1/payments",
        {"payer_code": billed["bpn_employer"].npp, "amount": "513500", "paid_on": "2025-04-10", "reference": "API"},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert page.get("/iuran/impor-rekening/").status_code == 404
    assert not Payment.objects.exists()
    march.refresh_from_db()
    assert march.status != "paid"
    # The bank's statement, imported by an officer: the line with the invoice's code pays it.
    report = payment_import_statement(actor=billed["users"]["admin"], content=statement).as_dict()
    assert (report["recorded"], report["invalid"]) == (1, 0)
    march.refresh_from_db()
    assert march.status == "paid" and march.paid_amount == MONTHLY
    assert Payment.objects.get().employer_id == billed["bpn_employer"].pk
