"""Proof of life for a pension in payment, as a file (issue 27 §5; issue 31 §2): sent by the
pensioner from their claim page or recorded by the branch, checked by the branch, within scope."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from paritrana.accounts.services import user_provision
from paritrana.benefits.models import Claim, ProofOfLife
from paritrana.core.actors import system_actor
from paritrana.core.audit import AuditEvent
from paritrana.registry.models import Membership

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _photo(name: str = "saya-dan-ktp.jpg") -> io.BytesIO:
    upload = io.BytesIO(JPEG)
    upload.name = name
    return upload


@pytest.fixture
def pension(world: dict[str, Any]) -> dict[str, Any]:
    """An old-age pension approved for the Balikpapan worker (set up directly: its amount is not what
    these tests are about), and the worker signed in as a participant."""
    membership = Membership.objects.get(person=world["bpn_person"])
    claim = Claim.objects.create(
        benefit="JP_OLD_AGE",
        person=world["bpn_person"],
        membership=membership,
        event_date=date(2026, 7, 1),
        state="approved",
        regency_id="64.71",
        amount=Decimal(400_000),
    )
    me = user_provision(
        actor=system_actor(),
        username="t.pensiun",
        password="pw-pensiun-123",
        role="participant",
        person=world["bpn_person"],
    )
    return {**world, "claim": claim, "me": me}


def test_the_pensioner_sends_a_proof_and_the_branch_accepts_it(pension: dict[str, Any]) -> None:
    claim = pension["claim"]
    me = _client(pension["me"])
    page = me.get(f"/klaim/{claim.pk}/").content.decode()
    assert 'id="proof-form"' in page
    assert me.post(f"/klaim/{claim.pk}/bukti-hidup/", {"file": _photo()}).status_code == 302
    proof = ProofOfLife.objects.get(claim=claim)
    assert (proof.state, proof.file.content_type) == ("submitted", "image/jpeg")
    # The branch's queue holds it; the officer opens the photo (audited) and accepts it.
    admin = _client(pension["users"]["admin"])
    assert f'data-proof="{proof.pk}"' in admin.get("/klaim/bukti-hidup/").content.decode()
    shown = admin.get(f"/bukti-hidup/{proof.pk}/berkas/")
    assert shown.status_code == 200 and shown.content == JPEG
    assert AuditEvent.objects.filter(action="proof_of_life_view", entity_id=str(claim.pk)).exists()
    admin.post(f"/klaim/{claim.pk}/", {"action": "proof_accept", "proof": proof.pk})
    proof.refresh_from_db()
    assert proof.state == "accepted" and proof.decided_at is not None
    assert f'data-proof="{proof.pk}"' not in admin.get("/klaim/bukti-hidup/").content.decode()


def test_a_refusal_needs_a_reason_the_pensioner_reads(pension: dict[str, Any]) -> None:
    claim = pension["claim"]
    _client(pension["me"]).post(f"/klaim/{claim.pk}/bukti-hidup/", {"file": _photo()})
    proof = ProofOfLife.objects.get(claim=claim)
    admin = _client(pension["users"]["admin"])
    admin.post(f"/klaim/{claim.pk}/", {"action": "proof_refuse", "proof": proof.pk})
    proof.refresh_from_db()
    assert proof.state == "submitted"
    admin.post(f"/klaim/{claim.pk}/", {"action": "proof_refuse", "proof": proof.pk, "note": "Wajah tidak terlihat"})
    proof.refresh_from_db()
    assert (proof.state, proof.note) == ("refused", "Wajah tidak terlihat")
    assert "Wajah tidak terlihat" in _client(pension["me"]).get(f"/klaim/{claim.pk}/").content.decode()


def test_no_proof_for_a_claim_not_in_payment_or_out_of_scope(pension: dict[str, Any]) -> None:
    claim = pension["claim"]
    # Others see neither the claim nor its proofs.
    other = _client(pension["users"]["participant"])
    assert other.post(f"/klaim/{claim.pk}/bukti-hidup/", {"file": _photo()}).status_code == 404
    assert _client(pension["users"]["kukar"]).get("/klaim/bukti-hidup/").status_code == 404
    # A lump sum is paid once: no proof of life is asked.
    claim.benefit = "JP_LUMP_SUM"
    claim.save()
    _client(pension["me"]).post(f"/klaim/{claim.pk}/bukti-hidup/", {"file": _photo()})
    assert not ProofOfLife.objects.exists()
