"""Input described once: the API takes these schemas as JSON, the pages read their forms with them
(core/forms.py ``read_form``)."""

from __future__ import annotations

import datetime as dt
from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from paritrana.core.forms import Rupiah

from .rules.claim_input import BENEFITS

HUNDRED = Decimal(100)


class CostIn(Schema):
    """One bill a JKK care claim reimburses (PP 44/2015 jo. PP 82/2019)."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(..., description="medical, rehabilitation, home_care, transport_land|sea|air, rtw")
    amount: Rupiah = Field(..., ge=0, le=Decimal("1e13"))
    date: dt.date | None = None


class ClaimDetails(Schema):
    """What a claim's officer adds to the facts the registry holds: the facts only the file shows (the
    doctor's percentage, the bills, the reason for JHT) and where to pay. The words each field may
    take and what each benefit needs are checked by ``rules.claim_input.check_input``."""

    model_config = ConfigDict(extra="forbid")

    disability_percent: Decimal | None = Field(None, ge=0, le=HUNDRED)
    disability_item: str | None = None
    function_loss_percent: Decimal | None = Field(None, ge=0, le=HUNDRED)
    left_handed: bool = False
    costs: list[CostIn] = []
    stmb_months: int | None = Field(None, ge=0, le=1200)
    reason: str | None = None
    separation_date: date | None = None
    claim_date: date | None = None
    payee_bank: str = Field("", max_length=60)
    payee_account: str = Field("", max_length=30)


class ClaimIn(ClaimDetails):
    person_id: int
    benefit: str = Field(..., description="Jenis klaim: " + ", ".join(b for b in BENEFITS if b != "SCHOLARSHIP"))
    event_date: date


class DocumentsIn(Schema):
    codes: list[str] = Field(default_factory=list, max_length=40)


class RenewIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    level: str


class ScholarshipRenewIn(RenewIn):
    """The renewals page: which scholarship is renewed, for the current school year."""

    scholarship: int


COST_LABELS = {"kind": "Jenis biaya", "amount": "Jumlah", "date": "Tanggal"}
CLAIM_LABELS = {
    "benefit": "Jenis klaim",
    "event_date": "Tanggal peristiwa",
    "disability_percent": "Persentase cacat",
    "disability_item": "Jenis cacat",
    "function_loss_percent": "Fungsi yang hilang",
    "stmb_months": "Bulan STMB",
    "reason": "Alasan",
    "separation_date": "Tanggal berhenti bekerja",
    "claim_date": "Tanggal pengajuan",
    "payee_bank": "Bank penerima",
    "payee_account": "Rekening penerima",
}


class RejectIn(Schema):
    code: str = Field(..., description="not_covered, contributions_unpaid, documents_invalid, …")
    note: str = Field("", max_length=500)


class RejectPageIn(RejectIn):
    """The page's rejection form asks the officer to confirm: a rejection cannot be undone."""

    confirm: bool = False


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


class PensionEndIn(Schema):
    """A pension ended by what the branch learned: the beneficiary's death, remarriage, marriage or work."""

    ended_on: date
    reason: str = Field(..., max_length=16)


class ProofDecisionIn(Schema):
    """A proof of life accepted, or refused with the reason the beneficiary reads."""

    proof: int
    note: str = Field("", max_length=300)


class PensionBatchIn(Schema):
    """A batch of the pension payments issued up to a payroll month, for one bank."""

    period: str = Field(..., description="YYYY-MM", pattern=r"^\d{4}-\d{2}$")
    bank: str = Field(..., min_length=1, max_length=60)


class PensionBatchOut(Schema):
    id: int
    name: str
    period: str
    bank: str
    status: str
    payments: int
    amount: int


class PensionResultsOut(Schema):
    lines: int
    updated: int
    unchanged: int
    reconciled_batches: int
    errors: list[dict[str, Any]]
