"""Scenario S10, one worker's whole journey through the API and the CLI: registered, billed, paid, the
JHT credited, a fatal work accident, the heirs paid the JKK death benefit and the JHT balance, and the
child's scholarship paid every year from SMA into university (issue 4, "what it must show"); and, in
the pension years, a worker who retires, is paid monthly, dies, and whose widow is paid (issue 31)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from paritrana.accounts.services import api_token_create
from paritrana.law.models import Parameter
from tests.conftest import FLUSHABLE_APPS, make_nik

pytestmark = pytest.mark.django_db

WAGE = 4_000_000
# PP 46/2015 Pasal 16(1): JHT 3.7 % + 2 % of Rp4,000,000 = 148,000 + 80,000 a month.
JHT_MONTH = Decimal(228_000)
# regulation.md §2.3 (PP 82/2019): death from a work accident 48 × wage = Rp192,000,000, the periodic
# benefit Rp12,000,000 [U] and the funeral Rp10,000,000.
JKK_DEATH = Decimal(48 * WAGE + 12_000_000 + 10_000_000)


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def _through(api: Client, claim: dict[str, Any], reference: str, paid_on: str) -> dict[str, Any]:
    base = f"/api/v1/claims/{claim['id']}"
    codes = [d["code"] for d in claim["documents"]]
    _ok(api.post(f"{base}/documents", {"codes": codes}, content_type="application/json"))
    _ok(api.post(f"{base}/verify"))
    _ok(api.post(f"{base}/approve"))
    return _ok(api.post(f"{base}/pay", {"paid_on": paid_on, "reference": reference}, content_type="application/json"))


def _cli(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def test_s10_a_workers_whole_journey(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    _, secret = api_token_create(actor=admin, user=admin, name="uji-s10")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    village = world["kukar_village"]
    born = date(1980, 4, 15)

    # 1. Registration: the person, then the membership through the employer.
    person = _ok(
        api.post(
            "/api/v1/persons",
            {
                "nik": make_nik(village.code[:8], born, "L", serial=99),
                "full_name": "Slamet Riyadi",
                "birth_date": born.isoformat(),
                "sex": "L",
                "village_code": village.code,
            },
            content_type="application/json",
        ),
        201,
    )
    membership = _ok(
        api.post(
            "/api/v1/memberships",
            {
                "person_id": person["id"],
                "segment": "PU",
                "employer_id": world["kukar_employer"].pk,
                "programmes": ["JKK", "JKM", "JHT", "JP", "JKP"],
                "wage": WAGE,
                "valid_from": "2024-01-01",
            },
            content_type="application/json",
        ),
        201,
    )
    assert len(membership["kpj"]) == 11

    # 2. Contributions: two months billed by the CLI and paid through the API on time.
    for period, paid_on in (("2024-01", "2024-02-12"), ("2024-02", "2024-03-11")):
        _cli("billing", "run", "--period", period)
        bill = _ok(
            api.get(
                "/api/v1/bills", {"period": period, "payer_kind": "employer", "payer_id": world["kukar_employer"].pk}
            )
        )["items"][0]
        _ok(
            api.post(
                "/api/v1/payments",
                {
                    "payer_code": world["kukar_employer"].npp,
                    "amount": bill["amount_due"],
                    "paid_on": paid_on,
                    "reference": f"S10-{period}",
                },
                content_type="application/json",
            ),
            201,
        )
    # Both months were credited to JHT as they were paid (issue 27); the job has nothing left to add.
    assert _cli("jht", "credit")["entries"] == 0
    statement = _ok(api.get(f"/api/v1/persons/{person['id']}/jht"))
    assert Decimal(statement["total"]) == 2 * JHT_MONTH

    # 3. A fatal work accident on 8 March 2024; the widow and the son are recorded as heirs.
    _ok(
        api.post(
            f"/api/v1/persons/{person['id']}/heirs",
            {"name": "Wartini", "relationship": "spouse", "bank_name": "BNI", "account_number": "0445566778"},
            content_type="application/json",
        ),
        201,
    )
    _ok(
        api.post(
            f"/api/v1/persons/{person['id']}/heirs",
            {"name": "Bagus", "relationship": "child", "birth_date": "2006-10-01", "education_level": "SMA"},
            content_type="application/json",
        ),
        201,
    )
    [death] = _ok(
        api.post(
            "/api/v1/claims",
            {"person_id": person["id"], "benefit": "JKK_DEATH", "event_date": "2024-03-08"},
            content_type="application/json",
        ),
        201,
    )
    assert (death["state"], Decimal(death["amount"])) == ("submitted", JKK_DEATH)
    paid = _through(api, death, "S10-JKK", "2024-03-14")
    assert paid["state"] == "paid" and paid["payouts"][0]["name"] == "Wartini"

    # 4. The JHT balance goes to the heirs too, and the account is emptied.
    [jht] = _ok(
        api.post(
            "/api/v1/claims",
            {"person_id": person["id"], "benefit": "JHT", "event_date": "2024-03-08", "reason": "death"},
            content_type="application/json",
        ),
        201,
    )
    assert Decimal(jht["amount"]) == 2 * JHT_MONTH
    _through(api, jht, "S10-JHT", "2024-03-15")
    assert Decimal(_ok(api.get(f"/api/v1/persons/{person['id']}/jht"))["total"]) == 0

    # 5. Scholarships (Permenaker 5/2021): the last SMA year in 2024 (Rp3,000,000), then university
    # in 2025 and 2026 (Rp12,000,000 a year), each claimed in its year.
    [sma] = _ok(api.get("/api/v1/claims", {"person_id": person["id"], "benefit": "SCHOLARSHIP"}))["items"]
    assert (sma["school_year"], sma["education_level"], sma["amount"]) == (2024, "SMA", "3000000")
    _through(api, sma, "S10-SCH-2024", "2024-07-20")
    for year in (2025, 2026):
        renewed = _ok(
            api.post(
                f"/api/v1/scholarships/{sma['scholarship_id']}/renew",
                {"year": year, "level": "PT"},
                content_type="application/json",
            ),
            201,
        )
        assert renewed["amount"] == "12000000"
        _through(api, renewed, f"S10-SCH-{year}", f"{year}-08-01")
    claims = _ok(api.get("/api/v1/claims", {"person_id": person["id"], "state": "paid"}))["items"]
    total = sum(Decimal(c["amount"]) for c in claims)
    assert total == JKK_DEATH + 2 * JHT_MONTH + Decimal(3_000_000 + 2 * 12_000_000)


# The pension years of the journey: JP began in July 2015 and pays a pension after 180 months of
# contributions (PP 45/2015 Pasal 15–17), so the first can be due in 2030. The test lives in June 2032:
# Python's clock is moved (time-machine); the server's is not, which only its timestamps see.
PENSION_TODAY = datetime(2032, 6, 3, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


# Committed as it goes (transaction=True): 199 months of bills make 199 monthly partitions, whose
# locks one test transaction could not hold.
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
@time_machine.travel(PENSION_TODAY, tick=True)
def test_s10_the_worker_retires_is_paid_monthly_dies_and_the_widow_is_paid(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    _, secret = api_token_create(actor=admin, user=admin, name="uji-s10-pensiun")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    employer = world["kukar_employer"]
    village = world["kukar_village"]
    born = date(1971, 2, 10)
    person = _ok(
        api.post(
            "/api/v1/persons",
            {
                "nik": make_nik(village.code[:8], born, "L", serial=98),
                "full_name": "Sutrisno",
                "birth_date": born.isoformat(),
                "sex": "L",
                "village_code": village.code,
            },
            content_type="application/json",
        ),
        201,
    )
    _ok(
        api.post(
            "/api/v1/memberships",
            {
                "person_id": person["id"],
                "segment": "PU",
                "employer_id": employer.pk,
                "programmes": ["JKK", "JKM", "JHT", "JP"],
                "wage": WAGE,
                "valid_from": "2015-07-01",
            },
            content_type="application/json",
        ),
        201,
    )
    # The JP wage cap is published each year (PP 45/2015 Pasal 29(3)); from March 2027 none is known yet.
    # An administrator enters each as it comes: here the 2026 cap carried forward, marked uncertain —
    # the worker's Rp4,000,000 is under any of them, so no amount below depends on it.
    Parameter.objects.create(
        key="jp.wage_cap", value=Decimal(11_086_300), valid_from=date(2027, 3, 1),
        legal_basis="PP 45/2015 Pasal 29 ayat (3)", source="uji: batas 2026 diteruskan", certainty="U",
    )  # fmt: skip
    # 1. Every month from July 2015 to January 2032 billed by the CLI and paid on the 10th after it.
    month = date(2015, 7, 1)
    while month <= date(2032, 1, 1):
        period = f"{month:%Y-%m}"
        _cli("billing", "run", "--period", period)
        bill = _ok(api.get("/api/v1/bills", {"period": period, "payer_kind": "employer", "payer_id": employer.pk}))
        following = date(month.year + month.month // 12, month.month % 12 + 1, 10)
        _ok(
            api.post(
                "/api/v1/payments",
                {
                    "payer_code": employer.npp,
                    "amount": bill["items"][0]["amount_due"],
                    "paid_on": following.isoformat(),
                    "reference": f"S10P-{period}",
                },
                content_type="application/json",
            ),
            201,
        )
        month = following.replace(day=1)
    _ok(
        api.post(
            f"/api/v1/persons/{person['id']}/heirs",
            {
                "name": "Sumarni",
                "relationship": "spouse",
                "birth_date": "1974-08-17",
                "bank_name": "BRI",
                "account_number": "0033100200",
            },
            content_type="application/json",
        ),
        201,
    )

    # 2. He turns 61, the pension age of 2031–2033 (Pasal 15(3)), on 10 February 2032. 199 months paid
    # (July 2015 – January 2032) on Rp4,000,000 (under every year's JP wage cap): Pasal 17(2)
    # 1 % × 199/12 × 48,000,000/12 = 663,333.33 → Rp663,333 a month, within 2032's bounds.
    [claim] = _ok(
        api.post(
            "/api/v1/claims",
            {
                "person_id": person["id"],
                "benefit": "JP_OLD_AGE",
                "event_date": "2032-02-10",
                "payee_bank": "BRI",
                "payee_account": "0033100100",
            },
            content_type="application/json",
        ),
        201,
    )
    assert Decimal(claim["amount"]) == Decimal(663_333)
    paid = _through(api, claim, "S10-JP", "2032-02-25")
    assert paid["state"] == "paid"

    # 3. Paid every month by the payroll (the first month by the claim).
    for period in ("2032-03", "2032-04"):
        assert _cli("payroll", "run", "--period", period)["payments"] == 1
    pension = _ok(api.get(f"/api/v1/claims/{claim['id']}/pension"))
    assert [(p["period"], p["amount"]) for p in reversed(pension["payments"])] == [
        ("2032-02-01", "663333"),
        ("2032-03-01", "663333"),
        ("2032-04-01", "663333"),
    ]

    # 4. He dies on 20 April 2032: April is his; his widow's pension from May, at her share of the
    # formula (jp.survivor.spouse_share 50 % [U]) 663,333 × 50 % = 331,666.5 → Rp331,667, paid the
    # year's minimum (Pasal 18; jp.benefit.min, the 2024 value still in force [U]) Rp393,500.
    ended = _ok(
        api.post(
            f"/api/v1/claims/{claim['id']}/pension/end",
            {"ended_on": "2032-04-20", "reason": "died"},
            content_type="application/json",
        )
    )
    assert ended["successor"]["kind"] == "spouse" and ended["successor"]["amount"] == "331667"
    assert _cli("payroll", "run", "--period", "2032-05")["payments"] == 1
    widow = _ok(api.get(f"/api/v1/claims/{ended['successor']['claim']}/pension"))
    assert (widow["beneficiary"], widow["kind"], widow["state"]) == ("Sumarni", "spouse", "in_payment")
    assert [(p["period"], p["amount"]) for p in widow["payments"]] == [("2032-05-01", "393500")]
