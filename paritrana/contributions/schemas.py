"""Input described once: the API takes these schemas as JSON, the pages read their forms with them
(core/forms.py ``read_form``)."""

from __future__ import annotations

from datetime import date

from ninja import Schema


class PaymentIn(Schema):
    payer_kind: str = ""
    payer_id: int | None = None
    payer_code: str = ""
    amount: int | str
    paid_on: date
    reference: str


PAYMENT_LABELS = {"amount": "Jumlah", "paid_on": "Tanggal bayar", "reference": "Referensi"}
