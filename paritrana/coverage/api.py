"""Coverage indicators as JSON, each with its definition and, for shares, its denominator."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from paritrana.core.api import ERRORS
from paritrana.core.errors import NotFound, Problem, ValidationFailed
from paritrana.core.exports import PDF_TYPE, file_response
from paritrana.core.periods import Period, Semester

from . import inpres, selectors
from .report import monev_pdf
from .rules.indicators import DENOMINATOR_KINDS, INDICATORS
from .schemas import ActionIn

router = Router(tags=["coverage"])


class IndicatorOut(Schema):
    code: str
    name: str
    definition: str


class DenominatorOut(Schema):
    kind: str
    label: str
    year: int
    value: int
    women: int | None = None
    disability: int | None = None
    source: str
    illustrative: bool


class RegionRowOut(Schema):
    code: str
    name: str
    active: int | None
    women: int | None
    women_share: Decimal | None
    disability: int | None
    disability_share: Decimal | None
    denominator: DenominatorOut | None
    coverage: Decimal | None
    women_parity: Decimal | None = None
    trend: list[int] | None = None


class TrendPointOut(Schema):
    period: str
    active: int | None


class TargetOut(Schema):
    segment: str
    value: int
    source: str
    gap: int
    trend: list[TrendPointOut]
    projected_december: int | None
    on_track: bool | None


class ParityOut(Schema):
    women: Decimal | None
    disability: Decimal | None
    women_share: Decimal | None
    women_share_workforce: Decimal | None
    disability_share: Decimal | None
    disability_share_workforce: Decimal | None


class ClaimsPaidOut(Schema):
    claims: int | None
    amount: int | None
    penalty: int | None


class ProgrammeMoneyOut(Schema):
    programme: str
    label: str
    contributions: int
    contributions_year: int
    paid: ClaimsPaidOut
    paid_year: ClaimsPaidOut


class FundFlowRowOut(Schema):
    programme: str
    label: str
    contributions: int
    benefits: int
    balance: int


class FundFlowOut(Schema):
    since: str
    definition: str
    programmes: list[FundFlowRowOut]


class FinanceOut(Schema):
    region: str
    name: str
    period: str
    definitions: dict[str, str]
    employers: int | None
    paid_lines: int | None
    contributions: int
    programmes: list[ProgrammeMoneyOut]
    fund_flow: FundFlowOut | None


class ReportOut(Schema):
    region: str
    name: str
    period: str
    indicator: dict[str, str]
    active: int | None
    by_segment: dict[str, int | None]
    by_sex: dict[str, int | None]
    by_disability: dict[str, int | None]
    by_age_band: dict[str, int | None]
    by_tag: dict[str, int | None]
    denominator: DenominatorOut | None
    coverage: Decimal | None
    parity: ParityOut
    targets: list[TargetOut]


class Filters(Schema):
    period: str | None = None  # YYYY-MM; the latest month computed when absent
    denominator: str = "employed"
    segment: str = ""


def _period(filters: Filters) -> date:
    if filters.denominator not in DENOMINATOR_KINDS:
        raise ValidationFailed(
            [Problem("denominator_unknown", "Penyebut: employed, labour_force, potential.", "denominator")]
        )
    if filters.segment not in ("", "PU", "BPU", "JAKON", "PMI"):
        raise ValidationFailed([Problem("segment_unknown", "Segmen: PU, BPU, JAKON, PMI.", "segment")])
    if filters.period:
        return Period.parse(filters.period).sql
    latest = selectors.latest_period()
    if latest is None:
        raise NotFound("Rollup cakupan")
    return latest


@router.get("/coverage/indicators", response={200: list[IndicatorOut], **ERRORS})
def indicators(request: HttpRequest) -> Any:
    """The indicators and their written definitions."""
    return [{"code": i.code, "name": i.name, "definition": i.definition} for i in INDICATORS.values()]


@router.get("/coverage/provinces", response={200: list[RegionRowOut], **ERRORS})
def provinces(request: HttpRequest, filters: Query[Filters]) -> Any:
    """Every province the caller may see, for one month: active participants, women, disability,
    and coverage against the chosen denominator (with its year and source)."""
    return selectors.province_table(
        user=request.user, period=_period(filters), kind=filters.denominator, segment=filters.segment
    )


@router.get("/coverage/finance/{code}", response={200: FinanceOut, **ERRORS})
def finance(request: HttpRequest, code: str, filters: Query[Filters]) -> Any:
    """Employers covered, contributions collected and claims paid per programme for a region ("ID",
    a province or a regency/city) and month; for "ID" also each programme's fund flow."""
    return selectors.finance_report(user=request.user, region=code, period=_period(filters))


@router.get("/coverage/provinces/{code}/regencies", response={200: list[RegionRowOut], **ERRORS})
def regencies(request: HttpRequest, code: str, filters: Query[Filters]) -> Any:
    """The province's regencies/cities with a 12-month trend of active participants."""
    return selectors.regency_table(
        user=request.user, province=code, period=_period(filters), kind=filters.denominator, segment=filters.segment
    )


@router.get("/coverage/regions/{code}", response={200: ReportOut, **ERRORS})
def region(request: HttpRequest, code: str, filters: Query[Filters]) -> Any:
    """One region (ID, a province 64, a regency 64.02): breakdowns by segment, sex, disability, age
    band and tag; coverage; targets and gaps. The same answer as ``paritrana coverage report``."""
    return selectors.region_report(user=request.user, region=code, period=_period(filters), kind=filters.denominator)


@router.get("/coverage/provinces/{code}/monev.pdf", response={200: None, **ERRORS}, summary="Laporan monev (PDF)")
def monev(request: HttpRequest, code: str, filters: Query[Filters]) -> Any:
    """The province's monev report: coverage by segment, sex and disability; regencies/cities and
    which have not budgeted for non-ASN and vulnerable workers; benefits paid this year."""
    data = selectors.monev_report(user=request.user, province=code, period=_period(filters), kind=filters.denominator)
    return file_response(monev_pdf(data), f"monev-{code}-{data['period']}.pdf", content_type=PDF_TYPE)


class MatrixRowOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    region: str
    confirmed: bool
    regulation: bool
    budget: bool
    licensing: bool
    registration: bool
    actions: int
    followed_up: bool


class ActionOut(Schema):
    id: int
    addressee: int
    kind: str
    taken_on: date


@router.get("/inpres/addressees", response={200: list[MatrixRowOut], **ERRORS})
def inpres_addressees(request: HttpRequest, kind: str = "", province: str = "") -> Any:
    """The Inpres 2/2021 status matrix: per addressee, whether regulation, budget, PTSP licensing and
    registration are evidenced, and how many actions are recorded."""
    return inpres.matrix(user=request.user, kind=kind, province=province)["rows"]


@router.post("/inpres/addressees/{addressee_id}/actions", response={201: ActionOut, **ERRORS})
def inpres_action(request: HttpRequest, addressee_id: int, payload: ActionIn) -> Any:
    """Record an addressee's action with its evidence (a regulation needs its type and number, an
    allocation its year and amount)."""
    action = inpres.action_record(actor=request.user, addressee_id=addressee_id, channel="api", **payload.dict())
    return 201, {"id": action.pk, "addressee": action.addressee_id, "kind": action.kind, "taken_on": action.taken_on}


@router.get("/inpres/report.pdf", response={200: None, **ERRORS}, summary="Laporan enam bulanan Inpres (PDF)")
def inpres_report(request: HttpRequest, semester: str) -> Any:
    """The six-monthly report (``semester``: 2026-1 for January–June, 2026-2 for July–December)."""
    parsed = Semester.parse(semester)
    return file_response(
        inpres.report_pdf(user=request.user, semester=parsed),
        f"laporan-inpres-{semester}.pdf",
        content_type=PDF_TYPE,
    )
