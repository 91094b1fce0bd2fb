"""The Paritrana Award over HTTP: editions, a category's board (the committee's ranking, or a
juror's own candidates), a juror's marks, and the public results."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from paritrana.core.api import ERRORS

from . import selectors, services
from .schemas import MarksIn

router = Router(tags=["award"])


class EditionOut(Schema):
    year: int
    name: str
    stage: str
    period_start: str
    period_end: str


class CandidateOut(Schema):
    id: int
    name: str
    province: str
    eligible: bool
    indicator_score: Decimal
    rank: int | None
    winner: bool


class RankedOut(CandidateOut):
    provincial_score: Decimal | None
    shortlisted: bool
    verified: bool | None
    interview_score: Decimal | None
    final_score: Decimal | None
    calculation: dict[str, Any]


class ResultOut(Schema):
    category: str
    name: str
    ranked: list[CandidateOut]


def _candidate(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "province": c.province_code,
        "eligible": c.eligible,
        "indicator_score": c.indicator_score,
        "rank": c.rank,
        "winner": c.winner,
    }


@router.get("/award/editions", response={200: list[EditionOut], **ERRORS}, summary="Edisi Paritrana Award")
def editions(request: HttpRequest) -> Any:
    return [
        {
            "year": e.year,
            "name": e.name,
            "stage": e.stage,
            "period_start": e.period_start.isoformat(),
            "period_end": e.period_end.isoformat(),
        }
        for e in selectors.edition_list(actor=request.user)
    ]


@router.get(
    "/award/editions/{year}/categories/{code}",
    response={200: list[RankedOut], **ERRORS},
    summary="Papan kategori: peringkat (panitia) atau kandidat kursi juri",
)
def board(request: HttpRequest, year: int, code: str) -> Any:
    found = selectors.board(actor=request.user, year=year, category=code)
    staff = found.juror is None
    return [
        {
            **_candidate(c),
            "provincial_score": c.provincial_score if staff else None,
            "shortlisted": c.shortlisted,
            "verified": c.verified if staff else None,
            "interview_score": c.interview_score if staff else None,
            "final_score": c.final_score if staff else None,
            "calculation": c.calculation,
        }
        for c in found.candidates
    ]


@router.put(
    "/award/candidates/{candidate_id}/marks",
    response={200: dict[str, Decimal], **ERRORS},
    summary="Nilai juri untuk satu kandidat (tahap yang dibuka)",
)
def marks(request: HttpRequest, candidate_id: int, payload: MarksIn) -> Any:
    saved = services.score_record(
        actor=request.user, candidate_id=candidate_id, marks=dict(payload.marks), note=payload.note, channel="api"
    )
    return {s.criterion: s.value for s in saved}


@router.get(
    "/award/editions/{year}/results",
    response={200: list[ResultOut], **ERRORS},
    auth=None,
    summary="Hasil yang diumumkan (publik)",
)
def results(request: HttpRequest, year: int) -> Any:
    found = selectors.results(year=year)
    return [
        {"category": x["category"].code, "name": x["category"].name, "ranked": [_candidate(c) for c in x["ranked"]]}
        for x in found["categories"]
    ]
