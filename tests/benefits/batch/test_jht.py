"""The JHT ledger jobs against the real PostgreSQL: paid months credited once, the year's return as
rules/jht.py computes it, a withdrawal empties the account (issue 4 §5)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from paritrana.benefits import selectors, services
from paritrana.benefits.batch.jht import jht_credit, jht_return_credit
from paritrana.benefits.models import JhtEntry
from paritrana.benefits.rules.jht import yearly_return
from paritrana.core.errors import DomainError
from paritrana.registry.models import Membership
from paritrana.registry.rules.kpj import kpj_from_serial
from tests.benefits.conftest import bill_and_pay

pytestmark = pytest.mark.django_db

# PP 46/2015 Pasal 16(1): JHT is 3.7 % (employer) + 2 % (worker) of the wage; Rp5,000,000 → 285,000.
MONTH_JHT = Decimal(285_000)


@pytest.fixture
def saver(world: dict[str, Any]) -> dict[str, Any]:
    """The Balikpapan worker's membership moved back to 2022, January–March 2022 paid in Feb–Apr."""
    membership = Membership.objects.get(person=world["bpn_person"])
    membership.valid_from = date(2022, 1, 1)
    membership.save()
    bill_and_pay(
        world["users"]["admin"],
        "employer",
        world["bpn_employer"].pk,
        ["2022-01", "2022-02", "2022-03"],
        [date(2022, 2, 10), date(2022, 3, 10), date(2022, 4, 11)],
    )
    return {**world, "membership": membership}


def test_paid_months_are_credited_once_on_the_day_they_were_paid(saver: dict[str, Any]) -> None:
    # Issue 27: each month is credited as its bill is paid in full, inside the payment's transaction,
    # so the job finds nothing left to do.
    assert JhtEntry.objects.filter(membership=saver["membership"]).count() == 3
    assert jht_credit()["entries"] == 0
    # The job still credits what is missing (months paid before this change, or a restored ledger).
    JhtEntry.objects.filter(membership=saver["membership"]).delete()
    assert jht_credit()["entries"] == 3
    assert jht_credit()["entries"] == 0  # idempotent
    entries = JhtEntry.objects.filter(membership=saver["membership"]).order_by("period")
    assert [(e.entry_date, e.amount) for e in entries] == [
        (date(2022, 2, 10), MONTH_JHT),
        (date(2022, 3, 10), MONTH_JHT),
        (date(2022, 4, 11), MONTH_JHT),
    ]
    assert selectors.jht_balance(membership_id=saver["membership"].pk, on=date(2022, 3, 31)) == 2 * MONTH_JHT


def test_the_2022_return_at_6_81_percent(saver: dict[str, Any]) -> None:
    jht_credit()
    report = jht_return_credit(year=2022)
    assert report["entries"] == 1 and report["rate"] == "6.810000"
    assert jht_return_credit(year=2022)["entries"] == 0  # idempotent
    # Credited in February, March and April: 10, 9 and 8 months left in the year.
    # 285,000 × 27/12 = 641,250 × 6.81 % (bisnis.com, regulation.md §2.4) = 43,669.125 → Rp43,669.
    entry = JhtEntry.objects.get(membership=saver["membership"], kind="return")
    assert (entry.entry_date, entry.amount) == (date(2022, 12, 31), Decimal(43_669))
    with pytest.raises(DomainError) as exc:
        jht_return_credit(year=2019)
    assert exc.value.code == "return_rate_unknown"


def test_sql_return_equals_the_python_rule_on_random_accounts(world: dict[str, Any]) -> None:
    rng = random.Random(2022)
    person = world["bpn_person"]
    accounts = []
    for n in range(40):
        membership = Membership.objects.create(
            kpj=kpj_from_serial(9_300_000_000 + n),
            person=person,
            employer=world["bpn_employer"],
            segment="PU",
            programmes=["JHT"],
            wage=1,
            valid_from=date(2020, 1, 1),
            valid_until=date(2020, 1, 1 + n % 20),
            status="ended",
            regency_id="64.71",
        )
        moves = []
        for _ in range(rng.randint(1, 12)):
            day = date(rng.choice([2020, 2021, 2022, 2023]), rng.randint(1, 12), rng.randint(1, 28))
            amount = Decimal(rng.randint(-50_000, 400_000))
            moves.append((day, amount))
            JhtEntry.objects.create(
                membership=membership,
                person=person,
                entry_date=day,
                kind="contribution",
                amount=amount,
                period=date(1900 + len(moves), 1, 1),
            )
        accounts.append((membership, moves))
    jht_return_credit(year=2022)
    for membership, moves in accounts:
        expected = yearly_return(moves, year=2022, rate_percent=Decimal("6.81"))
        got = JhtEntry.objects.filter(membership=membership, kind="return").values_list("amount", flat=True).first()
        assert (got or Decimal(0)) == expected, (moves, got, expected)


def test_a_jht_claim_after_resigning_pays_the_balance_and_empties_the_account(saver: dict[str, Any]) -> None:
    jht_credit()
    jht_return_credit(year=2022)
    admin = saver["users"]["admin"]
    balance = 3 * MONTH_JHT + Decimal(43_669)
    # Permenaker 4/2022: resignation paid after a one-month wait.
    [early] = services.claim_submit(
        actor=admin,
        person_id=saver["bpn_person"].pk,
        benefit="JHT",
        event_date=date(2023, 1, 20),
        details={"reason": "resignation", "separation_date": "2023-01-05"},
    )
    assert early.state == "rejected" and "waiting_period" in [u["code"] for u in early.result["unmet"]]
    [claim] = services.claim_submit(
        actor=admin,
        person_id=saver["bpn_person"].pk,
        benefit="JHT",
        event_date=date(2023, 2, 6),
        details={
            "reason": "resignation",
            "separation_date": "2023-01-05",
            "payee_bank": "BNI",
            "payee_account": "0112233445",
        },
    )
    # JHT is the worker's own savings: no contributions since March 2022 do not stop the payout.
    assert claim.state == "submitted"
    assert claim.amount == balance, claim.result
    [component] = claim.result["components"]
    assert component["amount"] == str(balance)
    for code in claim.documents.values_list("code", flat=True):
        services.claim_documents_receive(actor=admin, claim_id=claim.pk, codes=[code])
    services.claim_verify(actor=admin, claim_id=claim.pk)
    services.claim_approve(actor=admin, claim_id=claim.pk)
    services.claim_pay(actor=admin, claim_id=claim.pk, paid_on=date(2023, 2, 10), reference="TRF-JHT")
    assert selectors.jht_balance(membership_id=saver["membership"].pk, on=date(2023, 2, 10)) == 0
    statement = selectors.jht_statement(user=admin, person_id=saver["bpn_person"].pk)
    assert [r["entry"].kind for r in statement["rows"]] == ["contribution"] * 3 + ["return", "withdrawal"]
    assert statement["total"] == 0
    on_date = selectors.jht_statement(user=admin, person_id=saver["bpn_person"].pk, until=date(2022, 12, 31))
    assert on_date["total"] == balance


def test_a_payment_through_the_api_credits_jht_at_once(world: dict[str, Any]) -> None:
    """Issue 27 §4: a wage earner's JHT balance grows when the bill is paid, with no job run.
    Balikpapan's worker, Rp5,000,000: JHT 3.7 % + 2 % = Rp285,000 a month (PP 46/2015 Pasal 16)."""
    from django.test import Client

    from paritrana.accounts.services import api_token_create
    from paritrana.contributions.batch.billing import billing_run

    billing_run("2025-03")
    admin = world["users"]["admin"]
    _, secret = api_token_create(actor=admin, user=admin, name="uji")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    membership = world["bpn_person"].memberships.get()
    assert selectors.jht_balance(membership_id=membership.pk, on=date(2025, 12, 31)) == 0
    paid = api.post(
        "/api/v1/payments",
        {"payer_code": world["bpn_employer"].npp, "amount": "513500", "paid_on": "2025-04-14", "reference": "JHT-1"},
        content_type="application/json",
    )
    assert paid.status_code == 201
    entry = JhtEntry.objects.get(membership=membership)
    assert (entry.entry_date, entry.amount, entry.kind) == (date(2025, 4, 14), Decimal(285_000), "contribution")
    # A part payment pays no bill in full: nothing more is credited.
    billing_run("2025-04")
    api.post(
        "/api/v1/payments",
        {"payer_code": world["bpn_employer"].npp, "amount": "100000", "paid_on": "2025-05-14", "reference": "JHT-2"},
        content_type="application/json",
    )
    assert JhtEntry.objects.filter(membership=membership).count() == 1
