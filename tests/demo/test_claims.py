"""The demo's claims (``paritrana demo``): a sponsor's month paid and claims at each stage, once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from paritrana.benefits.models import BenefitPayment, Claim, Scholarship
from paritrana.demo.claims import demo_claims
from paritrana.registry.models import Membership

pytestmark = pytest.mark.django_db


def test_demo_claims_show_each_stage_and_run_once(world: dict[str, Any]) -> None:
    membership = Membership.objects.get(person=world["kukar_person"])
    membership.valid_from = membership.valid_from.replace(year=2022)
    membership.save()
    made = demo_claims(actor=world["users"]["admin"], sponsor=world["kukar_sponsor"])
    [claim] = Claim.objects.filter(person=world["kukar_person"], benefit="JKM")
    # The sponsor's last month was paid, so the worker was covered: the JKM claim went through to
    # payment of Rp42,000,000 (PP 44/2015 Pasal 53 jo. PP 82/2019) to the widow.
    assert made["claims"] == [{"id": claim.pk, "benefit": "JKM", "state": "paid"}]
    assert BenefitPayment.objects.get(claim=claim).amount == Decimal(42_000_000)
    # Membership of more than 36 months: both children at school get this year's scholarship claim.
    assert Scholarship.objects.filter(origin=claim).count() == 2
    assert Claim.objects.filter(person=world["kukar_person"], benefit="SCHOLARSHIP").count() == 2
    again = demo_claims(actor=world["users"]["admin"], sponsor=world["kukar_sponsor"])
    assert again == {"skipped": True}
    assert Claim.objects.filter(benefit="JKM").count() == 1
