"""Input described once: the API takes these schemas as JSON, the pages read their forms with them
(core/forms.py ``read_form``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from paritrana.core.forms import Rupiah


class BudgetIn(Schema):
    allocation: Rupiah = Field(ge=0, lt=Decimal(10) ** 15, max_digits=17, decimal_places=2)
    months: int = Field(12, ge=1, le=12)
    document: str = Field("", max_length=200)


BUDGET_LABELS = {"allocation": "Pagu", "months": "Bulan dibayar", "document": "Dokumen anggaran"}


class UploadIn(Schema):
    """Who pays for the listed workers (a sponsor's code or an employer's NPP; the caller's own when
    left out), when their cover starts, and whether the list is only checked."""

    sponsor_code: str = Field("", max_length=40)
    employer_npp: str = Field("", max_length=8)
    valid_from: date | None = None
    dry_run: bool = False


UPLOAD_LABELS = {"sponsor_code": "Penanggung", "employer_npp": "NPP", "valid_from": "Tanggal mulai"}
