"""Proof of participation as PDF (Typst): membership cards printable in bulk and the payer's
certificate, each with a QR code that opens a public verification page (issue 5 §5).

The QR code carries a signed reference, not a bare KPJ: a public page that answered any KPJ typed
into it would let anyone walk the number range and learn who is covered. The signature (Django's
``Signer``, keyed by SECRET_KEY) makes the page answer only for cards and certificates this system
printed. The figures come from selectors; the templates only lay them out.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Literal

import segno
import typst
from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from paritrana.registry.selectors import audit_person_read

from . import selectors
from .models import Upload

_TYPST = Path(__file__).resolve().parent / "typst"
CARDS_TEMPLATE = (_TYPST / "cards.typ").read_bytes()
CERTIFICATE_TEMPLATE = (_TYPST / "certificate.typ").read_bytes()
_CARD = signing.Signer(salt="paritrana.enrolment.card")
_CERTIFICATE = signing.Signer(salt="paritrana.enrolment.certificate")

Format = Literal["pdf", "png"]

# One PDF holds at most this many cards (8 to an A4 page): a print shop's batch, and a file a
# browser downloads in seconds. Larger lists are printed in several files (``offset``).
CARDS_PER_FILE = 2_000


def card_token(kpj: str) -> str:
    return _CARD.sign(kpj)


def kpj_of_token(token: str) -> str | None:
    try:
        return _CARD.unsign(token)
    except signing.BadSignature:
        return None


def certificate_token(payer_kind: str, payer_id: int) -> str:
    return _CERTIFICATE.sign(f"{payer_kind}{payer_id}")


def payer_of_token(token: str) -> tuple[str, int] | None:
    try:
        value = _CERTIFICATE.unsign(token)
    except signing.BadSignature:
        return None
    kind, number = value[:1], value[1:]
    return (kind, int(number)) if kind in ("S", "E") and number.isdigit() else None


def verify_url(request: HttpRequest, name: str) -> str:
    """The verification page's address with "{token}" for each card's token: taken from the request,
    so a card printed from the demo opens the demo and one printed in production opens production."""
    return request.build_absolute_uri(reverse(name, args=["TOKEN"])).replace("TOKEN", "{token}")


def public_verify_url(name: str) -> str:
    """The same for the command line, which has no request: settings.PARITRANA_PUBLIC_URL."""
    return settings.PARITRANA_PUBLIC_URL + reverse(name, args=["TOKEN"]).replace("TOKEN", "{token}")


def qr_svg(url: str) -> str:
    """The QR code as SVG; error correction M survives a scuffed laminated card."""
    return str(segno.make(url, error="m", micro=False).svg_inline(scale=1, border=0))


def cards_pdf(cards: list[dict[str, Any]], *, verify_url: str, title: str, fmt: Format = "pdf") -> bytes:
    """``verify_url`` is the verification page's address with ``{token}`` in place of the token."""
    data = {
        "title": title,
        "cards": [{**card, "qr": qr_svg(verify_url.format(token=card_token(card["kpj"])))} for card in cards],
    }
    return _compile(CARDS_TEMPLATE, data, fmt)


def certificate_pdf(certificate: dict[str, Any], *, verify_url: str, fmt: Format = "pdf") -> bytes:
    token = certificate_token(certificate["payer_kind"], certificate["payer_id"])
    data = {**certificate, "qr": qr_svg(verify_url.format(token=token))}
    return _compile(CERTIFICATE_TEMPLATE, data, fmt)


def _compile(template: bytes, data: dict[str, Any], fmt: Format) -> bytes:
    """PDF, or (for the tests that scan the QR codes) the first page as PNG."""
    result = typst.compile(template, format=fmt, ppi=200, sys_inputs={"data": json.dumps(data)})
    return bytes(result[0] if isinstance(result, list) else result)


def upload_cards_pdf(
    upload: Upload, *, part: int, verify_url: str, actor: Any = None, channel: str = "cli"
) -> tuple[str, bytes] | None:
    """Part ``part`` (from 1) of the upload's cards as (file name, PDF); None past the last part.
    Printing cards reads names and KPJs: audited with every person on the part."""
    cards = selectors.upload_cards(upload=upload, offset=(part - 1) * CARDS_PER_FILE, limit=CARDS_PER_FILE)
    if not cards:
        return None
    audit_person_read(
        user=actor,
        action="cards_print",
        entity="enrolment_upload",
        entity_id=upload.pk,
        channel=channel,
        persons=selectors.upload_card_persons(upload=upload, offset=(part - 1) * CARDS_PER_FILE, limit=CARDS_PER_FILE),
        detail={"part": part},
    )
    pdf = cards_pdf(cards, verify_url=verify_url, title=f"Kartu peserta unggahan {upload.pk}")
    return f"kartu-peserta-unggahan-{upload.pk}-{part}.pdf", pdf


def person_cards_pdf(*, user: Any, person_id: int, verify_url: str, today: date) -> tuple[str, bytes] | None:
    """A participant's own cards as (file name, PDF); None without a membership."""
    cards = selectors.person_cards(user=user, person_id=person_id, today=today)
    if not cards:
        return None
    return f"kartu-peserta-{cards[0]['kpj']}.pdf", cards_pdf(cards, verify_url=verify_url, title="Kartu peserta")


def upload_certificate_pdf(upload: Upload, *, verify_url: str) -> tuple[str, bytes]:
    """The certificate of the upload's payer, as of today."""
    certificate = selectors.payer_certificate(
        sponsor=upload.sponsor, employer=None if upload.sponsor_id else upload.employer, today=timezone.localdate()
    )
    return f"sertifikat-{certificate['number']}.pdf", certificate_pdf(certificate, verify_url=verify_url)
