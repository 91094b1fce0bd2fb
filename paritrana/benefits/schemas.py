"""Input described once: the API takes these schemas as JSON, the pages read their forms with them
(core/forms.py ``read_form``)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema


class RejectIn(Schema):
    code: str = Field(..., description="not_covered, contributions_unpaid, documents_invalid, …")
    note: str = Field("", max_length=500)


class PayIn(Schema):
    paid_on: date
    reference: str = Field(..., min_length=1, max_length=60)


class HeirIn(Schema):
    name: str = Field(..., max_length=150)
    relationship: str
    nik: str = Field("", max_length=16)
    birth_date: date | None = None
    education_level: str = ""
    married: bool = False
    employed: bool = False
    bank_name: str = Field("", max_length=60)
    account_number: str = Field("", max_length=30)


HEIR_LABELS = {
    "name": "Nama",
    "relationship": "Hubungan",
    "nik": "NIK",
    "birth_date": "Tanggal lahir",
    "education_level": "Jenjang pendidikan",
    "bank_name": "Bank",
    "account_number": "Nomor rekening",
}
PAY_LABELS = {"paid_on": "Tanggal bayar", "reference": "Referensi"}
