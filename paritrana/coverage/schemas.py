"""Input described once: the API takes these schemas as JSON, the pages read their forms with them
(core/forms.py ``read_form``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema


class ActionIn(Schema):
    kind: str
    taken_on: date
    description: str = Field(..., max_length=500)
    evidence: str = Field(..., max_length=500)
    regulation_type: str = Field("", max_length=60)
    regulation_number: str = Field("", max_length=60)
    budget_year: int | None = Field(None, ge=2000, le=2100)
    budget_amount: Decimal | None = Field(None, ge=0, lt=Decimal(10) ** 15, max_digits=17, decimal_places=0)
    workers: int | None = Field(None, ge=0, le=100_000_000)


ACTION_LABELS = {
    "kind": "Jenis tindak lanjut",
    "taken_on": "Tanggal",
    "description": "Uraian",
    "evidence": "Bukti",
    "regulation_type": "Jenis regulasi",
    "regulation_number": "Nomor regulasi",
    "budget_year": "Tahun anggaran",
    "budget_amount": "Jumlah anggaran",
    "workers": "Jumlah pekerja",
}
