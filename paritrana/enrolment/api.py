"""Bulk enrolment over HTTP: upload a list (multipart), read its counts and bad rows, queue its apply."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Path, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from paritrana.core.api import ERRORS
from paritrana.core.errors import NotFound
from paritrana.core.exports import PDF_TYPE, file_response
from paritrana.core.pagination import Paged
from paritrana.core.sheets import MAX_BYTES
from paritrana.core.uploads import read_upload
from paritrana.registry.selectors import sponsor_list

from . import proof, selectors, services
from .schemas import BudgetIn, UploadIn

if TYPE_CHECKING:  # types only: the API reads and writes through selectors and services
    from paritrana.registry.models import Sponsor

router = Router(tags=["enrolment"])


class UploadOut(Schema):
    upload: int
    status: str
    rows: int
    valid: int
    invalid: int
    applied: int
    already_enrolled: int
    errors_by_code: dict[str, int]
    warnings: int = 0  # valid lines worth a look (a NIK's district code not known today)
    seconds: float
    progress: int
    budget: dict[str, Any] | None = None


class RowErrorOut(Schema):
    line: int
    field: str
    code: str
    message: str


def _out(upload: Any) -> dict[str, Any]:
    return {**services.upload_summary(upload), "progress": upload.progress, "budget": upload.detail.get("budget")}


@router.post("/enrolment/uploads", response={201: UploadOut, **ERRORS})
def upload_create(
    request: HttpRequest,
    file: File[UploadedFile],
    details: Form[UploadIn],
) -> Any:
    """Stage and check a CSV/XLSX list (template headers or aliases). Bad rows are reported, not refused;
    a file whose required columns are missing is refused whole (422). Apply with ``/apply``."""
    upload = services.upload_create(
        actor=request.user,
        content=read_upload(file, max_bytes=MAX_BYTES),
        file_name=file.name or "unggahan",
        sponsor_code=details.sponsor_code or None,
        employer_npp=details.employer_npp or None,
        valid_from=details.valid_from,
        dry_run=details.dry_run,
        channel="api",
    )
    return 201, _out(upload)


@router.get("/enrolment/uploads/{upload_id}", response={200: UploadOut, **ERRORS})
def upload_get(request: HttpRequest, upload_id: int) -> Any:
    """An upload's counts and the progress of its apply job (percent of lines committed)."""
    return _out(selectors.upload_get(user=request.user, upload_id=upload_id))


@router.get("/enrolment/uploads/{upload_id}/errors", response={200: list[RowErrorOut], **ERRORS})
@paginate(Paged)
def upload_errors(request: HttpRequest, upload_id: int) -> Any:
    """Every problem of every bad row: line, column, stable code and the reason in Indonesian."""
    return selectors.upload_errors(upload=selectors.upload_get(user=request.user, upload_id=upload_id))


@router.post("/enrolment/uploads/{upload_id}/apply", response={202: UploadOut, **ERRORS})
def upload_apply(request: HttpRequest, upload_id: int) -> Any:
    """Queue the background job that enrols the valid rows; poll the upload for its progress."""
    return 202, _out(services.upload_queue(actor=request.user, upload_id=upload_id, channel="api"))


class CardVerificationOut(Schema):
    initials: str
    kpj: str
    status: str
    status_label: str
    checked_on: date


def _pdf(file_name: str, pdf: bytes) -> HttpResponse:
    return file_response(pdf, f"{file_name}", content_type=PDF_TYPE)


@router.get("/enrolment/uploads/{upload_id}/cards.pdf", response={200: None, **ERRORS}, summary="Kartu peserta (PDF)")
def upload_cards(request: HttpRequest, upload_id: int, part: int = Query(1, ge=1, le=100_000)) -> Any:
    """The membership cards of the upload's enrolled rows, 8 to an A4 page, 2,000 to a file (``part``),
    each with its KPJ and a QR code that opens the public verification page."""
    upload = selectors.upload_get(user=request.user, upload_id=upload_id)
    result = proof.upload_cards_pdf(
        upload,
        part=part,
        verify_url=proof.verify_url(request, "enrolment:verify_card"),
        actor=request.user,
        channel="api",
    )
    if result is None:
        raise NotFound("Kartu peserta")
    return _pdf(*result)


@router.get(
    "/enrolment/uploads/{upload_id}/certificate.pdf", response={200: None, **ERRORS}, summary="Sertifikat (PDF)"
)
def upload_certificate(request: HttpRequest, upload_id: int) -> Any:
    """The payer's certificate of participation: the workers it covers today, by segment and programme."""
    upload = selectors.upload_get(user=request.user, upload_id=upload_id)
    return _pdf(
        *proof.upload_certificate_pdf(upload, verify_url=proof.verify_url(request, "enrolment:verify_certificate"))
    )


@router.get(
    "/verification/cards/{token}",
    response={200: CardVerificationOut, **ERRORS},
    auth=None,
    summary="Verifikasi kartu peserta (publik)",
)
def verify_card(request: HttpRequest, token: str) -> Any:
    """Public: the initials and standing of the membership a card's QR code names; 404 for any token
    this system did not sign."""
    kpj = proof.kpj_of_token(token)
    result = selectors.card_verification(kpj=kpj, today=timezone.localdate()) if kpj else None
    if result is None:
        raise NotFound("Kartu peserta")
    return result


class BudgetOut(Schema):
    sponsor: str
    year: int
    allocation: Decimal | None
    months: int
    persons: int
    monthly: Decimal
    committed: Decimal
    left: Decimal | None
    document: str


class RenewOut(Schema):
    year: int
    renewed: int
    budget: BudgetOut


def _sponsor(request: HttpRequest, code: str) -> Sponsor:
    sponsor = sponsor_list(user=request.user, q=code).filter(code=code.strip().upper()).first()
    if sponsor is None:
        raise NotFound("Penanggung iuran")
    return sponsor


@router.get("/enrolment/sponsors/{code}/budgets/{year}", response={200: BudgetOut, **ERRORS})
def budget_get(request: HttpRequest, code: str, year: int = Path(..., ge=2000, le=2100)) -> Any:
    """The sponsor's budget year: allocation, workers covered × monthly contribution × months paid
    (committed), and what is left."""
    sponsor = _sponsor(request, code)
    return {"sponsor": sponsor.code, **selectors.budget_status(sponsor=sponsor, year=year)}


@router.put("/enrolment/sponsors/{code}/budgets/{year}", response={200: BudgetOut, **ERRORS})
def budget_put(request: HttpRequest, code: str, payload: BudgetIn, year: int = Path(..., ge=2000, le=2100)) -> Any:
    """Record the APBD allocation for the year (and the months it pays, and its budget document)."""
    sponsor = _sponsor(request, code)
    services.budget_set(
        actor=request.user,
        sponsor_id=sponsor.pk,
        year=year,
        allocation=payload.allocation,
        months=payload.months,
        document=payload.document,
        channel="api",
    )
    return {"sponsor": sponsor.code, **selectors.budget_status(sponsor=sponsor, year=year)}


@router.post("/enrolment/sponsors/{code}/budgets/{year}/renew", response={200: RenewOut, **ERRORS})
def budget_renew(request: HttpRequest, code: str, year: int = Path(..., ge=2000, le=2100)) -> Any:
    """Carry the sponsor's whole list into budget year ``year`` (memberships ending 31 December of
    the year before now end 31 December of ``year``)."""
    sponsor = _sponsor(request, code)
    result = services.budget_renew(actor=request.user, sponsor_id=sponsor.pk, year=year, channel="api")
    return {**result, "budget": {"sponsor": sponsor.code, **result["budget"]}}
