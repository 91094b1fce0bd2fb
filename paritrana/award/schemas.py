"""Input described once: the API takes these schemas as JSON, the pages read their forms with them
(core/forms.py ``read_form``)."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, Schema


class EditionIn(Schema):
    year: int = Field(..., ge=2020, le=2100)


class JurorIn(Schema):
    """A seat on a jury: who, at which stage, for which category and (regional stages) province."""

    username: str = Field(..., max_length=150)
    stage: str = Field(..., max_length=20)
    category: str = Field("", max_length=40)
    province: str = Field("", max_length=2)
    title: str = Field("", max_length=200)


class MarksIn(Schema):
    marks: dict[str, Decimal]
    note: str = Field("", max_length=2000)


class CandidateIn(Schema):
    """A jury page's action on one candidate: its marks (``mark_<indicator>`` boxes), a conflict
    declared with its reason, or the verification's outcome."""

    candidate: int
    note: str = Field("", max_length=2000)
    reason: str = Field("", max_length=500)
    ok: bool = False


class WeightsIn(Schema):
    weights: dict[str, int]


class NominateIn(Schema):
    category: str = Field(..., max_length=40)
    employer: int | None = None


EDITION_LABELS = {"year": "Tahun"}
JUROR_LABELS = {"username": "Pengguna", "stage": "Tahap", "category": "Kategori", "province": "Provinsi"}
CANDIDATE_LABELS = {"candidate": "Kandidat", "note": "Catatan", "reason": "Alasan"}
NOMINATE_LABELS = {"category": "Kategori", "employer": "Badan usaha"}
