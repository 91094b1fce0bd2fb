"""Input described once: the API takes these schemas as JSON, the pages read their forms with them
(core/forms.py ``read_form``)."""

from __future__ import annotations

from ninja import Field, Schema


class ListIn(Schema):
    """What an imported list is: its kind and, for the reports, its name, bank, year and cohort."""

    kind: str = Field(..., description="kur, prakerja atau other")
    name: str = Field("", max_length=200)
    bank: str = Field("", max_length=60)
    year: int | None = Field(None, ge=2000, le=2100)
    cohort: str = Field("", max_length=60)


class DecisionIn(Schema):
    person_id: int | None = None


class ReviewIn(Schema):
    """The review page's form: the match decided, and the person chosen (none: not in the registry)."""

    match: int
    person: int | None = None


class DraftsIn(Schema):
    match: list[int] = Field(default_factory=list, max_length=10_000)
    sponsor: str = Field("", max_length=40)


class RerunIn(Schema):
    retrain: bool = False


LIST_LABELS = {"kind": "Jenis daftar", "name": "Nama", "bank": "Bank", "year": "Tahun", "cohort": "Angkatan"}
