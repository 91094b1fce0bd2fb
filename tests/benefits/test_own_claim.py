"""A participant's own JHT claim with its documents as files (issue 27 §4–5): sent from the
participant's pages, decided on the registry's facts, left for the branch to verify; the files are
checked by what they are, kept outside the web root and shown only within the claim's scope."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from paritrana.accounts.services import user_provision
from paritrana.benefits.models import Claim
from paritrana.core.actors import system_actor
from paritrana.core.audit import AuditEvent
from paritrana.registry import services as registry_services
from paritrana.registry.models import Membership
from tests.benefits.conftest import bill_and_pay

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _file(content: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def leaver(world: dict[str, Any]) -> dict[str, Any]:
    """The Balikpapan worker, with two months paid (JHT credited as paid) and resigned on 31 October
    2026, signed in as a participant."""
    users = world["users"]
    bill_and_pay(
        users["admin"],
        "employer",
        world["bpn_employer"].pk,
        ["2026-08", "2026-09"],
        [date(2026, 8, 20), date(2026, 9, 20)],
    )
    membership = Membership.objects.get(person=world["bpn_person"])
    registry_services.membership_end(
        actor=users["admin"], membership_id=membership.pk, valid_until=date(2026, 10, 31), reason="resigned"
    )
    user = user_provision(
        actor=system_actor(),
        username="t.yohanes",
        password="pw-yohanes-123",
        role="participant",
        person=world["bpn_person"],
    )
    return {**world, "me": user, "membership": membership}


def test_a_participant_claims_jht_with_files_and_the_branch_sees_them(leaver: dict[str, Any]) -> None:
    me = _client(leaver["me"])
    mine = me.get("/saya/klaim/").content.decode()
    assert 'href="/saya/klaim/jht/"' in mine
    form = me.get("/saya/klaim/jht/").content.decode()
    # The reasons in plain Indonesian; no death claim for oneself.
    assert "Mengundurkan diri" in form and 'value="death"' not in form and "resignation<" not in form
    answer = me.post(
        "/saya/klaim/jht/",
        {
            "reason": "resignation",
            "separation_date": "31/10/2026",
            "payee_bank": "BRI",
            "payee_account": "0123-4567-89",
            "confirm": "on",
            "ktp": _file(PNG, "ktp.png"),
            "bank_book": _file(PDF, "buku-tabungan.pdf"),
        },
    )
    assert answer.status_code == 302 and answer["Location"] == "/saya/klaim/"
    claim = Claim.objects.get(person=leaver["bpn_person"], benefit="JHT")
    assert claim.state == "submitted", claim.rejection_note
    assert claim.membership_id == leaver["membership"].pk
    assert (claim.facts["reason"], claim.facts["payee_bank"], claim.facts["payee_account"]) == (
        "resignation",
        "BRI",
        "0123456789",
    )
    # JHT 5.7 % of Rp5,000,000 for each of two paid months (PP 46/2015 Pasal 16: 3.7 % + 2 %), with
    # whatever development return the months earned on top.
    assert claim.amount >= Decimal(2 * 285_000)
    files = {d.code: d.file for d in claim.documents.select_related("file") if d.file}
    assert set(files) == {"ktp", "bank_book"}
    assert (files["ktp"].content_type, files["bank_book"].content_type) == ("image/png", "application/pdf")
    stored = Path(settings.PRIVATE_FILES_DIR) / files["bank_book"].sha256[:2] / files["bank_book"].sha256
    assert stored.read_bytes() == PDF and not str(stored).startswith(str(settings.STATIC_ROOT))
    # The branch officer of the regency sees and opens the file; the read is audited.
    admin = _client(leaver["users"]["admin"])
    page = admin.get(f"/klaim/{claim.pk}/").content.decode()
    assert f"/klaim/{claim.pk}/dokumen/bank_book/" in page
    shown = admin.get(f"/klaim/{claim.pk}/dokumen/bank_book/")
    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf" and shown.content == PDF
    assert AuditEvent.objects.filter(action="claim_document_view", entity_id=str(claim.pk)).exists()
    # Someone outside the claim's scope gets nothing.
    assert _client(leaver["users"]["kukar"]).get(f"/klaim/{claim.pk}/dokumen/bank_book/").status_code == 404
    assert _client(leaver["users"]["participant"]).get(f"/klaim/{claim.pk}/dokumen/bank_book/").status_code == 404


def test_a_file_that_is_not_a_document_is_refused_and_no_claim_is_made(leaver: dict[str, Any]) -> None:
    me = _client(leaver["me"])
    answer = me.post(
        "/saya/klaim/jht/",
        {
            "reason": "resignation",
            "separation_date": "2026-10-31",
            "payee_bank": "BRI",
            "payee_account": "0123456789",
            "confirm": "on",
            # An executable renamed to .pdf: judged by its bytes, not its name.
            "ktp": _file(b"MZ\x90\x00" + b"\x00" * 60, "ktp.pdf"),
        },
    )
    assert answer.status_code == 400 and 'data-code="file_type"' in answer.content.decode()
    assert not Claim.objects.filter(person=leaver["bpn_person"]).exists()


def test_the_participant_adds_a_missing_document_until_the_branch_verifies(leaver: dict[str, Any]) -> None:
    me = _client(leaver["me"])
    me.post(
        "/saya/klaim/jht/",
        {
            "reason": "resignation",
            "separation_date": "2026-10-31",
            "payee_bank": "BNI",
            "payee_account": "998877",
            "confirm": "on",
        },
    )
    claim = Claim.objects.get(person=leaver["bpn_person"], benefit="JHT")
    assert f'action="/klaim/{claim.pk}/dokumen/family_card/"' in me.get(f"/klaim/{claim.pk}/").content.decode()
    me.post(f"/klaim/{claim.pk}/dokumen/family_card/", {"file": _file(PDF, "kk.pdf")})
    assert claim.documents.get(code="family_card").file is not None
    assert AuditEvent.objects.filter(action="claim_document_upload", entity_id=str(claim.pk)).exists()
    # Another participant cannot add to it.
    other = _client(leaver["users"]["participant"])
    assert other.post(f"/klaim/{claim.pk}/dokumen/ktp/", {"file": _file(PDF, "x.pdf")}).status_code == 404
    assert claim.documents.get(code="ktp").file is None
