"""API doors of the contribution engine. The calculator is public, like BPJS's own simulator."""

from typing import Any

from django.http import HttpRequest
from ninja import Body, Router, Schema

from .rules.contribution import SCALES, SEGMENTS
from .services import contribution_calculate

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


class ProblemOut(Schema):
    code: str
    message: str
    field: str | None
    errors: list[dict[str, Any]]


INPUT_SCHEMA = {
    "type": "object",
    "required": ["segment", "period"],
    "additionalProperties": False,
    "properties": {
        "segment": {"type": "string", "enum": list(SEGMENTS)},
        "period": {"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-03"},
        "wage": {"type": ["integer", "string"], "description": "upah sebulan (PU; JAKON bila upah diketahui)"},
        "jkk_risk_group": {"type": "integer", "minimum": 1, "maximum": 5},
        "employer_scale": {"type": "string", "enum": list(SCALES), "default": "large"},
        "declared_income": {"type": ["integer", "string"], "description": "penghasilan dilaporkan (BPU)"},
        "include_jht": {"type": "boolean", "default": False},
        "contract_value": {"type": ["integer", "string"], "description": "nilai kontrak (JAKON tanpa upah)"},
        "contract_months": {"type": "integer", "minimum": 1, "maximum": 120},
        "pre_placement": {"type": "boolean", "default": False},
        "relief_eligible": {"type": "boolean", "default": False},
    },
}


@router.post(
    "/calculator/contribution",
    auth=None,
    response={200: ContributionOut, 400: ProblemOut},
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": INPUT_SCHEMA}}, "required": True}},
    summary="Hitung iuran satu peserta untuk satu bulan",
)
def calculator_contribution(request: HttpRequest, payload: Body[dict[str, Any]]) -> Any:
    """Same JSON as `paritrana calc contribution --json`; amounts are strings of whole rupiah."""
    return contribution_calculate(payload)
