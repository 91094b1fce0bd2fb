"""Outside lists over HTTP: the lists, a run's counts and summaries, its review queue, and a
clerk's decision on a pair."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from paritrana.core.api import ERRORS

from . import selectors, services
from .schemas import DecisionIn

router = Router(tags=["linkage"])


class ListOut(Schema):
    id: int
    name: str
    kind: str
    bank: str
    year: int | None
    cohort: str
    origin: str
    rows: int
    imported_at: datetime
    latest_run: int | None


class GroupOut(Schema):
    label: str
    total: int
    covered_active: int
    covered_lapsed: int
    not_covered: int
    ambiguous: int


class RunOut(Schema):
    run: int
    list_id: int
    status: str
    progress: int
    model_version: int | None
    records: int
    matched: int
    covered_active: int
    covered_lapsed: int
    not_covered: int
    ambiguous: int
    seconds: float
    by_bank: list[GroupOut]
    by_province: list[GroupOut]


class CandidateOut(Schema):
    person_id: int
    nik: str
    name: str
    birth_date: date | None = Field(None, description="Only for a candidate in the reader's scope")
    birth_year: int
    sex: str
    regency: str
    weight: float
    evidence: dict[str, float]
    in_scope: bool


class ReviewOut(Schema):
    match_id: int
    line: int
    decision: str
    nik_raw: str
    name_raw: str
    birth_date_raw: str
    sex_raw: str
    region_raw: str
    candidates: list[CandidateOut]


@router.get("/linkage/lists", response={200: list[ListOut], **ERRORS})
def lists(request: HttpRequest) -> Any:
    """Imported outside lists (KUR, Prakerja, other), newest first, with their latest run."""
    return [
        {**{f: getattr(x, f) for f in ("name", "kind", "bank", "year", "cohort", "origin", "rows", "imported_at")},
         "id": x.pk, "latest_run": getattr(selectors.latest_run(x.pk), "pk", None)}
        for x in selectors.list_lists(actor=request.user)
    ]  # fmt: skip


@router.get("/linkage/runs/{run_id}", response={200: RunOut, **ERRORS})
def run(request: HttpRequest, run_id: int) -> Any:
    """A run's status and counts, with the outcomes per bank and per province."""
    found = selectors.run_get(actor=request.user, run_id=run_id, channel="api")
    summary = selectors.run_summary(actor=request.user, run_id=run_id)
    report = selectors.run_report(found)
    return {
        "list_id": report["list"],
        **{k: report[k] for k in ("run", "model_version", "records", "matched", "covered_active",
                                  "covered_lapsed", "not_covered", "ambiguous", "seconds")},
        "status": found.status,
        "progress": found.progress,
        "by_bank": summary["bank"],
        "by_province": summary["province"],
    }  # fmt: skip


@router.get("/linkage/runs/{run_id}/review", response={200: list[ReviewOut], **ERRORS})
def review(request: HttpRequest, run_id: int) -> Any:
    """Uncertain listed persons of the reader's regencies with their candidates and match weights."""
    out = []
    for item in selectors.review_queue(actor=request.user, run_id=run_id):
        lp = item["listed"]
        out.append(
            {
                "match_id": item["match"].pk,
                "line": lp.line,
                "decision": item["match"].decision,
                **{f: getattr(lp, f) for f in ("nik_raw", "name_raw", "birth_date_raw", "sex_raw", "region_raw")},
                "candidates": [{**c, "evidence": dict(c["evidence"])} for c in item["candidates"]],
            }
        )
    return out


@router.post("/linkage/matches/{match_id}/decision", response={200: ReviewOut, **ERRORS})
def decision(request: HttpRequest, match_id: int, payload: DecisionIn) -> Any:
    """A clerk's decision: one of the candidates (``person_id``), or none of them (null)."""
    match = services.review_decide(actor=request.user, match_id=match_id, person_id=payload.person_id, channel="api")
    lp = match.listed
    return {
        "match_id": match.pk,
        "line": lp.line,
        "decision": match.decision,
        **{f: getattr(lp, f) for f in ("nik_raw", "name_raw", "birth_date_raw", "sex_raw", "region_raw")},
        "candidates": [],
    }
