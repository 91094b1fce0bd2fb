"""Input described once: the API takes these schemas as JSON, the pages read their forms with them
(core/forms.py ``read_form``)."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, Schema

from paritrana.core.forms import Rupiah


class BudgetIn(Schema):
    allocation: Rupiah = Field(ge=0, lt=Decimal(10) ** 15, max_digits=17, decimal_places=2)
    months: int = Field(12, ge=1, le=12)
    document: str = Field("", max_length=200)


BUDGET_LABELS = {"allocation": "Pagu", "months": "Bulan dibayar", "document": "Dokumen anggaran"}
