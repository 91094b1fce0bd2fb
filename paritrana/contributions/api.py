"""API doors of the contribution engine. The calculator is public, like BPJS's own simulator."""

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Body, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from paritrana.core.api import ERRORS, Mapped, ProblemOut
from paritrana.core.errors import NotFound, Problem, ValidationFailed
from paritrana.core.pagination import Paged
from paritrana.core.periods import Period
from paritrana.core.uploads import read_upload
from paritrana.registry import selectors as registry_selectors

from . import selectors, services
from .rules.contribution import input_schema
from .schemas import PaymentIn, WageReportIn, WageReportOut
from .services import contribution_calculate

if TYPE_CHECKING:  # types only: the API reads and writes through selectors and services
    from .models import Bill, Payment

router = Router(tags=["iuran"])


class ContributionLine(Schema):
    """One programme's line; ``detail`` holds wage_cap (JP), recomposed (JKP), bracket, bracket_from,
    bracket_to (JAKON on contract value), package_months, extra_months (PMI)."""

    program: str
    base: str | None
    rate: str | None
    employer: str
    worker: str
    government: str
    deferred: str
    note: str
    detail: dict[str, str]


class ContributionOut(Schema):
    segment: str
    period: str
    lines: list[ContributionLine]
    employer_total: str
    worker_total: str
    government_total: str
    deferred_total: str
    total_due: str
    due_date: str | None
    late_fee_rate_per_month: str
    legal_basis: list[str]


@router.post(
    "/calculator/contribution",
    auth=None,
    response={200: ContributionOut, 400: ProblemOut},
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": input_schema()}}, "required": True}},
    summary="Hitung iuran satu peserta untuk satu bulan",
)
def calculator_contribution(request: HttpRequest, payload: Body[dict[str, Any]]) -> Any:
    """Same JSON as `paritrana calc contribution --json`; amounts are strings of whole rupiah."""
    return contribution_calculate(payload)


# -- bills, payments, history ------------------------------------------------------------------------


class BillOut(Schema):
    id: int
    payer_kind: str
    payer_id: int
    period: str
    due_date: date | None
    region_code: str
    lines: int
    employer_amount: str
    worker_amount: str
    government_amount: str
    deferred_amount: str
    amount_due: str
    paid_amount: str
    status: str


def _bill_out(bill: "Bill") -> dict[str, Any]:
    kind = "employer" if bill.employer_id else "sponsor" if bill.sponsor_id else "person"
    return {
        "id": bill.pk,
        "payer_kind": kind,
        "payer_id": bill.employer_id or bill.sponsor_id or bill.person_id,
        "period": f"{bill.period:%Y-%m}",
        "due_date": bill.due_date,
        "region_code": bill.region_id,
        "lines": bill.lines,
        **{
            name: str(getattr(bill, name))
            for name in (
                "employer_amount",
                "worker_amount",
                "government_amount",
                "deferred_amount",
                "amount_due",
                "paid_amount",
            )
        },
        "status": bill.status,
    }


class BillFilter(Schema):
    payer_kind: str = ""
    payer_id: int | None = None
    period: str = ""
    status: str = ""


@router.get("/bills", response=list[BillOut], tags=["iuran"])
@paginate(Paged)
def bills_list(request: HttpRequest, filters: Query[BillFilter]) -> Any:
    """Bills in your scope, newest month first."""
    month = Period.parse_optional(filters.period)
    bills = selectors.bill_list(
        user=request.user,
        payer_kind=filters.payer_kind,
        payer_id=filters.payer_id,
        period=month.sql if month else None,
        status=filters.status,
    )
    return Mapped(bills, _bill_out)


class LineOut(Schema):
    membership_id: int
    kpj: str
    segment: str
    base: str | None
    programmes: list[dict[str, str | None]]
    employer_total: str
    worker_total: str


@router.get("/bills/{bill_id}", response={200: BillOut, **ERRORS})
def bills_get(request: HttpRequest, bill_id: int) -> Any:
    return _bill_out(selectors.bill_get(user=request.user, bill_id=bill_id))


@router.get("/bills/{bill_id}/lines", response={200: list[LineOut], **ERRORS})
@paginate(Paged)
def bills_lines(request: HttpRequest, bill_id: int) -> Any:
    """The bill's lines: one per membership, each with its programmes."""
    bill = selectors.bill_get(user=request.user, bill_id=bill_id)

    def out(line: Any) -> dict[str, Any]:
        return {
            "membership_id": line.membership_id,
            "kpj": line.membership.kpj,
            "segment": line.segment,
            "base": None if line.base is None else str(line.base),
            "programmes": [
                {k: (None if v is None else str(v)) for k, v in row.items()} for row in selectors.line_programmes(line)
            ],
            "employer_total": str(line.employer_total),
            "worker_total": str(line.worker_total),
        }

    return Mapped(selectors.bill_lines(user=request.user, bill=bill, channel="api"), out)


class PaymentOut(Schema):
    id: int
    reference: str
    amount: str
    paid_on: date
    credit: str
    created: bool
    allocations: list[dict[str, str]]


def _payment_out(payment: "Payment", created: bool) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "reference": payment.reference,
        "amount": str(payment.amount),
        "paid_on": payment.paid_on,
        "credit": str(payment.credit),
        "created": created,
        "allocations": [
            {
                "bill_id": str(a.bill_id),
                "amount": str(a.amount),
                "months_late": str(a.months_late),
                "late_fee": str(a.late_fee),
            }
            for a in payment.allocations.order_by("id")
        ],
    }


@router.post("/payments", response={201: PaymentOut, 200: PaymentOut, **ERRORS})
def payments_create(request: HttpRequest, payload: PaymentIn) -> Any:
    """Record a payment by payer (kind and id, or the NPP / sponsor code / KPJ as ``payer_code``).

    The same reference again returns the recorded payment with status 200 and changes nothing."""
    if payload.payer_code:
        payer = services.payer_from_code(payload.payer_code)
        if payer is None:
            raise NotFound("Pembayar")
    elif payload.payer_kind in ("employer", "sponsor", "person") and payload.payer_id:
        payer = services.Payer(payload.payer_kind, payload.payer_id)
    else:
        raise ValidationFailed(
            [Problem("payer_required", "Sebutkan pembayar: payer_kind dan payer_id, atau payer_code.", "payer_code")]
        )
    payment, created = services.payment_record(
        actor=request.user,
        payer=payer,
        amount=str(payload.amount),
        paid_on=payload.paid_on,
        reference=payload.reference,
        channel="api",
    )
    return Status(201 if created else 200, _payment_out(payment, created))


@router.post("/payments/statement", response={200: dict[str, Any], **ERRORS})
def payments_statement(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """Import a bank-statement CSV (tanggal, referensi, kode_pembayar, jumlah); idempotent by reference."""
    content = read_upload(file, max_bytes=services.STATEMENT_MAX_BYTES)
    return services.payment_import_statement(actor=request.user, content=content, channel="bank").as_dict()


class HistoryOut(Schema):
    person_id: int
    standings: list[dict[str, Any]]
    months: list[dict[str, Any]]


@router.get("/persons/{person_id}/contributions", response={200: HistoryOut, **ERRORS})
def person_contributions(request: HttpRequest, person_id: int) -> Any:
    """A participant's billed months and each membership's standing (derived from what is paid)."""
    months = selectors.contribution_history(user=request.user, person_id=person_id, channel="api")
    memberships = registry_selectors.membership_list(user=request.user, person_id=person_id)
    standings = []
    for m in memberships:
        s = selectors.membership_standing(membership=m)
        standings.append({"kpj": m.kpj, "status": s.status, "months_in_arrears": s.months_in_arrears, "label": s.label})
    return {
        "person_id": person_id,
        "standings": standings,
        "months": [
            {
                k: (f"{v:%Y-%m}" if k == "period" else str(v) if isinstance(v, (Decimal, date, datetime)) else v)
                for k, v in row.items()
            }
            for row in months
        ],
    }


@router.post("/employers/{employer_id}/wages", response={200: WageReportOut, **ERRORS}, tags=["iuran"])
def employer_wages(request: HttpRequest, employer_id: int, payload: WageReportIn) -> Any:
    """The monthly wage report: each worker's wage from ``month`` on, by KPJ. Only wages that differ
    from the latest reported are recorded; a month already billed is refused (``wage_month_billed``)."""
    month = Period.parse(payload.month, field="month").first_day
    wages = {w.kpj: w.wage for w in payload.wages}
    changed = services.wage_report(actor=request.user, employer_id=employer_id, month=month, wages=wages, channel="api")
    return {"month": str(Period.of(month)), "changed": changed}
