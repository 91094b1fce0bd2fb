"""API doors of benefits: the public calculator, and claims, heirs, scholarships and JHT statements (scoped).

No ``from __future__ import annotations`` here: Django Ninja reads the annotations at import time.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Body, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from paritrana.accounts.scope import scope_for
from paritrana.core.api import ERRORS, Mapped, ProblemOut
from paritrana.core.errors import DomainError, PermissionDenied
from paritrana.core.exports import PDF_TYPE, file_response
from paritrana.core.pagination import Paged
from paritrana.core.periods import Period
from paritrana.core.sheets import MAX_BYTES
from paritrana.core.uploads import read_upload

from . import access, pensions, selectors, services
from .letter import decision_letter_pdf
from .rules.claim_input import input_schema
from .schemas import (
    ClaimIn,
    DocumentsIn,
    HeirIn,
    PayIn,
    PensionBatchIn,
    PensionBatchOut,
    PensionEndIn,
    PensionResultsOut,
    RejectIn,
    RenewIn,
)

if TYPE_CHECKING:  # types only: the API reads and writes through selectors and services
    from .models import Claim

router = Router(tags=["manfaat"])


class UnmetOut(Schema):
    code: str
    message: str


class ComponentOut(Schema):
    name: str
    amount: str
    legal_basis: str


class BenefitOut(Schema):
    benefit: str
    event_date: str
    eligible: bool
    unmet: list[UnmetOut]
    components: list[ComponentOut]
    total: str
    legal_basis: list[str]
    notes: list[str]


@router.post(
    "/calculator/benefit",
    auth=None,
    response={200: BenefitOut, 400: ProblemOut},
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": input_schema()}}, "required": True}},
    summary="Hitung manfaat untuk satu peristiwa",
)
def calculator_benefit(request: HttpRequest, payload: Body[dict[str, Any]]) -> Any:
    """Same JSON as `paritrana calc benefit --json`; amounts are strings of whole rupiah. A refusal is
    still 200, with ``eligible`` false and every unmet condition; bad input is 400."""
    return services.benefit_calculate(payload)


# -- claims ----------------------------------------------------------------------------------------


class DocumentOut(Schema):
    code: str
    label: str
    received: bool


class PayoutOut(Schema):
    name: str
    amount: str
    components: list[str]


class ClaimOut(Schema):
    id: int
    benefit: str
    person_id: int
    kpj: str | None
    event_date: date
    state: str
    amount: str
    penalty: str
    rejection_code: str
    rejection_note: str
    due_by: date | None
    unmet: list[UnmetOut]
    components: list[ComponentOut]
    payouts: list[PayoutOut]
    documents: list[DocumentOut]
    scholarship_id: int | None
    school_year: int | None
    education_level: str


def _claim_out(claim: "Claim") -> dict[str, Any]:
    result = claim.result
    return {
        "id": claim.pk,
        "benefit": claim.benefit,
        "person_id": claim.person_id,
        "kpj": claim.membership.kpj if claim.membership else None,
        "event_date": claim.event_date,
        "state": claim.state,
        "amount": str(claim.amount),
        "penalty": str(claim.penalty),
        "rejection_code": claim.rejection_code,
        "rejection_note": claim.rejection_note,
        "due_by": claim.due_by,
        "unmet": result.get("unmet", []),
        "components": result.get("components", []),
        "payouts": [
            {"name": p["name"], "amount": p["amount"], "components": p["components"]} for p in result.get("payouts", [])
        ],
        "documents": [{"code": d.code, "label": d.label, "received": d.received} for d in claim.documents.all()],
        "scholarship_id": claim.scholarship_id,
        "school_year": claim.school_year,
        "education_level": claim.education_level,
    }


class ClaimFilter(Schema):
    state: str = ""
    benefit: str = ""
    person_id: int | None = None


class HeirOut(Schema):
    id: int
    name: str
    relationship: str
    birth_date: date | None
    education_level: str
    bank_name: str
    account_number: str


class JhtEntryOut(Schema):
    entry_date: date
    kpj: str
    kind: str
    amount: str
    balance: str
    note: str


class JhtStatementOut(Schema):
    person_id: int
    until: date | None
    total: str
    entries: list[JhtEntryOut]


class PensionStepOut(Schema):
    start: date
    amount: str
    rate: str | None


class PensionPaymentOut(Schema):
    period: date
    amount: str
    arrears: bool
    state: str


class PensionOut(Schema):
    """The pension a claim put in payment (issue 31), or ``in_payment`` false and nothing else."""

    in_payment: bool
    kind: str | None = None
    beneficiary: str | None = None
    first_period: date | None = None
    paid_through: date | None = None
    state: str | None = None
    ended_on: date | None = None
    ended_reason: str | None = None
    steps: list[PensionStepOut] = []
    payments: list[PensionPaymentOut] = []


def _claim(request: HttpRequest, claim_id: int) -> dict[str, Any]:
    return _claim_out(selectors.claim_get(user=request.user, claim_id=claim_id))


@router.get("/claims", response=list[ClaimOut])
@paginate(Paged)
def claims_list(request: HttpRequest, filters: Query[ClaimFilter]) -> Any:
    """Claims in your scope (a branch sees its area's queue; a participant their own)."""
    claims = selectors.claim_list(
        user=request.user, state=filters.state, benefit=filters.benefit, person_id=filters.person_id
    ).prefetch_related("documents")
    return Mapped(claims, _claim_out)


def _jsonable(value: Any) -> Any:
    """The calculator's input form: dates as ISO strings, amounts as strings of digits."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items() if v is not None}
    return value


@router.post("/claims", response={201: list[ClaimOut], **ERRORS}, summary="Ajukan klaim")
def claims_submit(request: HttpRequest, payload: ClaimIn) -> Any:
    """One claim per membership covering the benefit's programme; a claim whose conditions are not
    met is refused at once (``state`` rejected, every unmet condition in ``unmet``)."""
    claims = services.claim_submit(
        actor=request.user,
        person_id=payload.person_id,
        benefit=payload.benefit,
        event_date=payload.event_date,
        details=payload,
        channel="api",
    )
    return Status(201, [_claim_out(c) for c in claims])


@router.get("/claims/{claim_id}", response={200: ClaimOut, **ERRORS})
def claims_get(request: HttpRequest, claim_id: int) -> Any:
    return _claim_out(selectors.claim_get(user=request.user, claim_id=claim_id, channel="api", log_view="claim_view"))


@router.get("/claims/{claim_id}/pension", response={200: PensionOut, **ERRORS}, summary="Pensiun bulanan klaim")
def claims_pension(request: HttpRequest, claim_id: int) -> Any:
    """The monthly pension a paid JP claim put in payment: its amount by year (PP 45/2015 Pasal 17)
    and its last 36 payments, newest first."""
    claim = selectors.claim_get(user=request.user, claim_id=claim_id, channel="api", log_view="claim_view")
    found = selectors.pension_of(user=request.user, claim=claim)
    if found is None:
        return {"in_payment": False}
    pension = found["pension"]
    return {
        "in_payment": pension.state == "in_payment",
        "kind": pension.kind,
        "beneficiary": pension.beneficiary_name,
        "first_period": pension.schedule.first_period,
        "paid_through": pension.schedule.paid_through,
        "state": pension.state,
        "ended_on": pension.ended_on,
        "ended_reason": pension.ended_reason,
        "steps": [
            {"start": s.start, "amount": str(s.amount), "rate": None if s.rate is None else str(s.rate)}
            for s in found["steps"]
        ],
        "payments": [
            {"period": p.period, "amount": str(p.amount), "arrears": p.arrears, "state": p.state}
            for p in found["payments"]
        ],
    }


class PensionEndOut(Schema):
    pension: int
    ended_on: date
    reason: str
    cancelled: int
    overpaid_months: list[str]
    overpaid_amount: str
    successor: dict[str, Any] | None


@router.post("/claims/{claim_id}/pension/end", response={200: PensionEndOut, **ERRORS}, summary="Akhiri pensiun")
def claims_pension_end(request: HttpRequest, claim_id: int, payload: PensionEndIn) -> Any:
    """End the pension a claim put in payment (claim officers, within scope): the beneficiary died,
    remarried (widow(er)), married or works (child). Payments issued for later months are cancelled,
    paid ones reported as overpaid; the next survivor in the law's order is put in payment
    (``successor``: their claim and monthly amount), or null when nobody follows."""
    if not access.can_decide(request.user):
        raise PermissionDenied("Hanya petugas BPJS Ketenagakerjaan yang mengakhiri pensiun.")
    claim = selectors.claim_get(user=request.user, claim_id=claim_id, channel="api", log_view="claim_view")
    found = selectors.pension_of(user=request.user, claim=claim)
    if found is None:
        raise DomainError("no_pension", "Klaim ini tidak membayar pensiun bulanan.")
    return pensions.pension_end(
        actor=request.user, pension_id=found["pension"].pk, ended_on=payload.ended_on, reason=payload.reason,
        channel="api",
    )  # fmt: skip


@router.post("/claims/{claim_id}/documents", response={200: ClaimOut, **ERRORS}, summary="Catat dokumen diterima")
def claims_documents(request: HttpRequest, claim_id: int, payload: DocumentsIn) -> Any:
    services.claim_documents_receive(actor=request.user, claim_id=claim_id, codes=payload.codes, channel="api")
    return _claim(request, claim_id)


@router.post("/claims/{claim_id}/verify", response={200: ClaimOut, **ERRORS}, summary="Berkas lengkap")
def claims_verify(request: HttpRequest, claim_id: int) -> Any:
    services.claim_verify(actor=request.user, claim_id=claim_id, channel="api")
    return _claim(request, claim_id)


@router.post("/claims/{claim_id}/approve", response={200: ClaimOut, **ERRORS}, summary="Setujui klaim")
def claims_approve(request: HttpRequest, claim_id: int) -> Any:
    services.claim_approve(actor=request.user, claim_id=claim_id, channel="api")
    return _claim(request, claim_id)


@router.post("/claims/{claim_id}/reject", response={200: ClaimOut, **ERRORS}, summary="Tolak klaim")
def claims_reject(request: HttpRequest, claim_id: int, payload: RejectIn) -> Any:
    services.claim_reject(actor=request.user, claim_id=claim_id, code=payload.code, note=payload.note, channel="api")
    return _claim(request, claim_id)


@router.post("/claims/{claim_id}/pay", response={200: ClaimOut, **ERRORS}, summary="Catat pembayaran klaim")
def claims_pay(request: HttpRequest, claim_id: int, payload: PayIn) -> Any:
    services.claim_pay(
        actor=request.user, claim_id=claim_id, paid_on=payload.paid_on, reference=payload.reference, channel="api"
    )
    return _claim(request, claim_id)


@router.get("/claims/{claim_id}/letter.pdf", response={200: None, **ERRORS}, summary="Surat keputusan (PDF)")
def claims_letter(request: HttpRequest, claim_id: int) -> Any:
    claim = selectors.claim_get(user=request.user, claim_id=claim_id, channel="api", log_view="claim_letter_view")
    pdf = decision_letter_pdf(claim, full_nik=scope_for(request.user).full_nik_in_exports)
    return file_response(pdf, f"keputusan-klaim-{claim.pk}.pdf", content_type=PDF_TYPE)


@router.get("/persons/{person_id}/heirs", response={200: list[HeirOut], **ERRORS})
def heirs_list(request: HttpRequest, person_id: int) -> Any:
    return list(selectors.heirs_read(user=request.user, person_id=person_id, channel="api"))


@router.post("/persons/{person_id}/heirs", response={201: HeirOut, **ERRORS}, summary="Catat ahli waris")
def heirs_add(request: HttpRequest, person_id: int, payload: HeirIn) -> Any:
    heir = services.heir_add(actor=request.user, person_id=person_id, channel="api", **payload.dict())
    return Status(201, heir)


@router.post("/scholarships/{scholarship_id}/renew", response={201: ClaimOut, **ERRORS}, summary="Beasiswa tahunan")
def scholarships_renew(request: HttpRequest, scholarship_id: int, payload: RenewIn) -> Any:
    claim = services.scholarship_renew(
        actor=request.user, scholarship_id=scholarship_id, year=payload.year, level=payload.level, channel="api"
    )
    return Status(201, _claim_out(claim))


@router.get("/persons/{person_id}/jht", response={200: JhtStatementOut, **ERRORS}, summary="Rekening JHT")
def jht_statement(request: HttpRequest, person_id: int, until: date | None = None) -> Any:
    """Every JHT entry with the running balance per KPJ; ``until`` gives the balance on that date."""
    statement = selectors.jht_statement(user=request.user, person_id=person_id, until=until, channel="api")
    return {
        "person_id": person_id,
        "until": until,
        "total": str(statement["total"]),
        "entries": [
            {
                "entry_date": r["entry"].entry_date,
                "kpj": r["entry"].membership.kpj,
                "kind": r["entry"].kind,
                "amount": str(r["entry"].amount),
                "balance": str(r["balance"]),
                "note": r["entry"].note,
            }
            for r in statement["rows"]
        ],
    }


# -- the national pension payroll (issue 31 §4) ---------------------------------------------------------


class PayrollRunOut(Schema):
    period: str
    status: str
    payments: int
    seconds: float | None
    finished_at: datetime | None
    detail: dict[str, Any]


class PayrollPendingOut(Schema):
    bank: str
    payments: int
    amount: int
    no_account: int


class PayrollOut(Schema):
    in_payment: int
    kinds: dict[str, int]
    pending: list[PayrollPendingOut]
    batches: list[PensionBatchOut]
    runs: list[PayrollRunOut]


def _batch_out(batch: Any) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "name": str(batch),
        "period": f"{batch.period:%Y-%m}",
        "bank": batch.bank,
        "status": batch.status,
        "payments": batch.payments,
        "amount": int(batch.amount),
    }


@router.get("/payroll", response={200: PayrollOut, **ERRORS}, summary="Payroll pensiun nasional")
def payroll(request: HttpRequest) -> Any:
    """The national pension payroll (national administrators): pensions in payment by kind, what the
    payroll issued that no bank batch has sent yet, the batches and the last runs. Counts only; a
    batch's file, with names and accounts, is ``/pensiun/batch/{id}.csv`` (audited)."""
    found = selectors.payroll_overview(user=request.user)
    return {
        "in_payment": found["in_payment"],
        "kinds": {kind: n for kind, _label, n in found["kinds"]},
        "pending": [
            {
                "bank": p["bank"],
                "payments": p["payments"],
                "amount": int(p["amount"] or 0),
                "no_account": p["no_account"],
            }
            for p in found["pending"]
        ],
        "batches": [_batch_out(b) for b in found["batches"]],
        "runs": [
            {
                "period": str(r.params.get("period", ""))[:7],
                "status": r.status,
                "payments": r.rows,
                "seconds": None if r.seconds is None else float(r.seconds),
                "finished_at": r.finished_at,
                "detail": r.detail,
            }
            for r in found["runs"]
        ],
    }


@router.post("/payroll/batches", response={201: PensionBatchOut, **ERRORS}, summary="Batch pembayaran pensiun")
def payroll_batch(request: HttpRequest, payload: PensionBatchIn) -> Any:
    """A batch of the pension payments issued up to the payroll month ``period`` for one bank (400
    ``nothing_to_pay`` when none waits); each payment gets its reference for the bank's answer."""
    made = pensions.pension_batch_create(
        actor=request.user, period=Period.parse(payload.period).first_day, bank=payload.bank, channel="api"
    )
    return Status(201, _batch_out(made))


@router.post("/payroll/results", response={200: PensionResultsOut, **ERRORS}, summary="Hasil pembayaran dari bank")
def payroll_results(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """The bank's answer as CSV or XLSX (reference, status: berhasil/gagal/rekening tidak valid, date):
    each issued payment marked paid or failed (a failed one is issued again by the next payroll);
    unknown references, conflicts and unreadable lines reported by line."""
    content = read_upload(file, max_bytes=MAX_BYTES)
    return pensions.pension_results_import(
        actor=request.user, content=content, file_name=file.name or "hasil.csv", channel="api"
    )
