"""API door of the benefit calculator: public, like the contribution calculator."""

from typing import Any

from django.http import HttpRequest
from ninja import Body, Router, Schema

from paritrana.contributions.api import ProblemOut

from .rules.benefit import BENEFITS, JHT_PARTIAL, JHT_REASONS, LEVELS
from .services import benefit_calculate

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


_MONTHS = {"type": "integer", "minimum": 0, "maximum": 1200}
_AMOUNT = {"type": ["integer", "string"]}
_DATE = {"type": "string", "format": "date"}
INPUT_SCHEMA = {
    "type": "object",
    "required": ["benefit", "event_date"],
    "properties": {
        "benefit": {"type": "string", "enum": list(BENEFITS)},
        "event_date": {**_DATE, "example": "2025-03-10"},
        "birth_date": _DATE,
        "wage": {**_AMOUNT, "description": "upah sebulan terakhir yang dilaporkan"},
        "membership_months": _MONTHS,
        "contribution_months": _MONTHS,
        "consecutive_months": _MONTHS,
        "contribution_months_last_24": _MONTHS,
        "avg_indexed_annual_wage": {**_AMOUNT, "description": "JP: rata-rata upah tertimbang setahun"},
        "disability_percent": {**_AMOUNT, "description": "JKK cacat sebagian: persentase dari tabel"},
        "stmb_months": _MONTHS,
        "jht_balance": _AMOUNT,
        "children": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"education_level": {"type": ["string", "null"], "enum": [*LEVELS, None]}},
            },
        },
        "reason": {"type": "string", "enum": [*JHT_REASONS, *JHT_PARTIAL], "default": "retirement"},
        "separation_date": _DATE,
        "claim_date": _DATE,
        "cause": {"type": "string", "enum": ["JKM", "JKK"], "default": "JKM"},
    },
}


@router.post(
    "/calculator/benefit",
    auth=None,
    response={200: BenefitOut, 400: ProblemOut},
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": INPUT_SCHEMA}}, "required": True}},
    summary="Hitung manfaat untuk satu peristiwa",
)
def calculator_benefit(request: HttpRequest, payload: Body[dict[str, Any]]) -> Any:
    """Same JSON as `paritrana calc benefit --json`; amounts are strings of whole rupiah. A refusal is
    still 200, with ``eligible`` false and every unmet condition; bad input is 400."""
    return benefit_calculate(payload)
