"""A winner's certificate (piagam) as PDF, from typst/certificate.typ."""

from __future__ import annotations

import json
from pathlib import Path

import segno
import typst

from .models import Candidate

TEMPLATE = (Path(__file__).resolve().parent / "typst" / "certificate.typ").read_bytes()


def _score(value: object) -> str:
    return "–" if value is None else str(value).replace(".", ",")


def pdf(candidate: Candidate, *, results_url: str) -> bytes:
    edition = candidate.category.edition
    data = {
        "edition": edition.name,
        "name": candidate.name,
        "category": candidate.category.name,
        "rank": str(candidate.rank),
        "period": f"{edition.period_start:%d-%m-%Y} s.d. {edition.period_end:%d-%m-%Y}",
        "indicator_score": _score(candidate.indicator_score),
        "provincial_score": _score(candidate.provincial_score),
        "interview_score": _score(candidate.interview_score),
        "final_score": _score(candidate.final_score),
        "published_on": f"{edition.published_at:%d-%m-%Y}" if edition.published_at else "",
        "qr": str(segno.make(results_url, error="m", micro=False).svg_inline(scale=1, border=0)),
    }
    return bytes(typst.compile(TEMPLATE, sys_inputs={"data": json.dumps(data)}))
