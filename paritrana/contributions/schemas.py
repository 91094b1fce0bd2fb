"""Input described once: the API takes these schemas as JSON, the pages read their forms with them
(core/forms.py ``read_form``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema


class PaymentIn(Schema):
    payer_kind: str = ""
    payer_id: int | None = None
    payer_code: str = ""
    amount: int | str
    paid_on: date
    reference: str


PAYMENT_LABELS = {"amount": "Jumlah", "paid_on": "Tanggal bayar", "reference": "Referensi"}


class WageIn(Schema):
    kpj: str = Field(..., max_length=11)
    wage: Decimal = Field(..., gt=0, max_digits=15, decimal_places=2)


class WageReportIn(Schema):
    """The employer's monthly wage report (issue 27 §3): the wages in force from ``month`` on."""

    month: str = Field(..., description="TTTT-BB: the first month the wages are billed on")
    wages: list[WageIn] = Field(..., max_length=100_000)


class WageReportOut(Schema):
    month: str
    changed: int
