"""Proof of participation (issue 5 §5): membership cards printed in bulk with KPJ and a QR code, the
payer's certificate, and the public pages the QR codes open, which show initials and status only."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import zxingcpp
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from paritrana.demo.synth.load import load_geography
from paritrana.demo.synth.sponsor_lists import sponsor_list
from paritrana.enrolment import proof, selectors, services
from paritrana.enrolment.models import Upload
from paritrana.enrolment.rules.proof import initials
from paritrana.registry.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(world: dict[str, Any]) -> Upload:
    listed = sponsor_list(load_geography(["64"]), rows=30, regency="64.02", seed=77, defect_share=0.0)
    upload = services.upload_create(
        actor=world["users"]["sponsor"], content=listed.csv_bytes(), file_name="kukar-30.csv", channel="page"
    )
    done = services.upload_run(upload_id=upload.pk, actor=world["users"]["sponsor"], channel="page")
    assert done.applied == 30
    return done


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _memberships(upload: Upload) -> list[Membership]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT membership_id FROM enrolment_row WHERE upload_id = %s ORDER BY line", (upload.pk,))
        ids = [row[0] for row in cursor.fetchall()]
    by_id = Membership.objects.select_related("person").in_bulk(ids)
    return [by_id[i] for i in ids]


def test_cards_pdf_holds_every_kpj_and_qr_codes_open_the_public_page(
    world: dict[str, Any], enrolled: Upload, client: Client
) -> None:
    memberships = _memberships(enrolled)
    client.force_login(world["users"]["sponsor"])
    response = client.get(f"/pendaftaran/{enrolled.pk}/kartu.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 4  # 30 cards, 8 to a page
    text = _pdf_text(pdf)
    for m in memberships:
        assert m.kpj in text
        assert m.person.full_name.split()[0] in text

    # The QR codes, read back by a barcode reader from the first page rendered as an image: each
    # opens, for anyone, a page with the initials and the status and nothing else of the person.
    cards = selectors.upload_cards(upload=enrolled, limit=8)
    png = proof.cards_pdf(cards, verify_url="http://testserver/verifikasi/{token}/", title="t", fmt="png")
    urls = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]
    assert len(urls) == 8
    anonymous = Client()
    seen = set()
    for url in urls:
        page = anonymous.get(urlparse(url).path)
        assert page.status_code == 200
        body = page.content.decode()
        kpj = urlparse(url).path.split("/")[2].split(":")[0]
        m = next(x for x in memberships if x.kpj == kpj)
        seen.add(kpj)
        assert initials(m.person.full_name) in body and "Aktif" in body
        assert m.person.full_name not in body and m.person.nik not in body
        assert m.person.birth_date.strftime("%d/%m/%Y") not in body and m.person.village_id not in body
    assert seen == {m.kpj for m in memberships[:8]}


def test_verification_refuses_unsigned_or_tampered_tokens(world: dict[str, Any], enrolled: Upload) -> None:
    m = _memberships(enrolled)[0]
    token = proof.card_token(m.kpj)
    anonymous = Client()
    assert anonymous.get(f"/verifikasi/{token}/").status_code == 200
    # A bare KPJ, or another KPJ under this card's signature, proves nothing: no walking the range.
    other = _memberships(enrolled)[1].kpj
    for bad in (m.kpj, f"{other}:{token.split(':')[1]}", token[:-2] + "xx"):
        page = anonymous.get(f"/verifikasi/{bad}/")
        assert page.status_code == 404 and initials(m.person.full_name) not in page.content.decode()
    api = anonymous.get(f"/api/v1/verification/cards/{token}")
    assert api.status_code == 200
    assert api.json() == {
        "initials": initials(m.person.full_name),
        "kpj": m.kpj,
        "status": "active",
        "status_label": "Aktif",
        "checked_on": timezone.localdate().isoformat(),
    }
    assert anonymous.get(f"/api/v1/verification/cards/{m.kpj}").status_code == 404

    # The card of a membership that has since ended says so.
    today = timezone.localdate()
    Membership.objects.filter(pk=m.pk).update(
        valid_from=today - timedelta(days=40), valid_until=today - timedelta(days=1)
    )
    assert anonymous.get(f"/api/v1/verification/cards/{token}").json()["status"] == "ended"


def test_certificate_counts_the_registry(world: dict[str, Any], enrolled: Upload, client: Client) -> None:
    sponsor = world["kukar_sponsor"]
    today = timezone.localdate()
    # Counted directly: the sponsor's memberships in force today (the 30 enrolled, the fixture's one).
    in_force = [
        m
        for m in Membership.objects.filter(sponsor=sponsor)
        if m.status == "active" and m.valid_from <= today and (m.valid_until is None or m.valid_until >= today)
    ]
    assert len(in_force) == 31
    client.force_login(world["users"]["sponsor"])
    response = client.get(f"/pendaftaran/{enrolled.pk}/sertifikat.pdf")
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert sponsor.name in text and "SERTIFIKAT KEPESERTAAN" in text and "31" in text

    certificate = selectors.payer_certificate(sponsor=sponsor, today=today)
    assert certificate["total_count"] == len(in_force)
    png = proof.certificate_pdf(certificate, verify_url="http://testserver/verifikasi/sertifikat/{token}/", fmt="png")
    (url,) = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]
    page = Client().get(urlparse(url).path)
    assert page.status_code == 200
    body = page.content.decode()
    assert sponsor.name in body and '<dd id="covered">31</dd>' in body
    assert Client().get("/verifikasi/sertifikat/S1/").status_code == 404


def test_cards_and_certificate_are_scoped(world: dict[str, Any], enrolled: Upload) -> None:
    for who in ("bpn", "hr", "coord", "participant"):
        c = Client()
        c.force_login(world["users"][who])
        assert c.get(f"/pendaftaran/{enrolled.pk}/kartu.pdf").status_code == 404, who
        assert c.get(f"/pendaftaran/{enrolled.pk}/sertifikat.pdf").status_code == 404, who
        assert c.get(f"/api/v1/enrolment/uploads/{enrolled.pk}/cards.pdf").status_code in (403, 404), who
    c = Client()
    c.force_login(world["users"]["kukar"])
    response = c.get(f"/api/v1/enrolment/uploads/{enrolled.pk}/cards.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert c.get(f"/api/v1/enrolment/uploads/{enrolled.pk}/cards.pdf?part=2").status_code == 404
    assert c.get(f"/api/v1/enrolment/uploads/{enrolled.pk}/certificate.pdf").content.startswith(b"%PDF")


def test_cli_prints_cards_and_certificate(
    world: dict[str, Any], enrolled: Upload, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("enrol", "cards", str(enrolled.pk), "--out", str(tmp_path / "kartu"))
    printed = json.loads(capsys.readouterr().out)
    assert printed["cards"] == 30 and len(printed["files"]) == 1
    text = _pdf_text(Path(printed["files"][0]).read_bytes())
    assert all(m.kpj in text for m in _memberships(enrolled))
    call_command("enrol", "certificate", "--sponsor", world["kukar_sponsor"].code, "--out", str(tmp_path / "s.pdf"))
    printed = json.loads(capsys.readouterr().out)
    assert printed["covered"] == 31 and (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")


def test_cards_follow_the_file_order_in_parts(world: dict[str, Any], enrolled: Upload) -> None:
    cards = selectors.upload_cards(upload=enrolled, offset=10, limit=5)
    assert [c["kpj"] for c in cards] == [m.kpj for m in _memberships(enrolled)[10:15]]


def test_a_participant_carries_their_card_on_the_phone_and_as_pdf(world: dict[str, Any]) -> None:
    """Issue 27 §4: the digital card (KPJ, payer, validity, standing) and its QR code, which opens the
    same public verification page as the printed card; the PDF holds the same card."""
    membership = world["kukar_person"].memberships.get()
    client = Client()
    client.force_login(world["users"]["participant"])
    page = client.get("/saya/kartu/").content.decode()
    assert f'data-kpj="{membership.kpj}"' in page and "APBD Kukar (uji)" in page and 'data-status="active"' in page
    # The QR code is the printed card's: it encodes the signed verification address of this KPJ.
    verify = f"/verifikasi/{proof.card_token(membership.kpj)}/"
    assert proof.qr_svg(f"http://testserver{verify}") in page
    public = Client().get(verify).content.decode()
    assert initials(world["kukar_person"].full_name) in public and "Aktif" in public
    pdf = client.get("/saya/kartu.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert membership.kpj in text
    # Staff and other roles have no "own card" page.
    staff = Client()
    staff.force_login(world["users"]["kukar"])
    assert staff.get("/saya/kartu/").status_code == 404
