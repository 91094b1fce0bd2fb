"""Input described once: the API takes these schemas as JSON, the pages read their forms with them
(core/forms.py ``read_form``)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from paritrana.core.forms import Rupiah


class BatchIn(Schema):
    channel: str = Field(..., max_length=8, description="BRI, BNI, MANDIRI, BTN, BSI atau POS")
    instalment: int = Field(1, ge=1, le=12)
    region: str = Field("", max_length=13, description="kode provinsi atau kabupaten/kota; kosong = semua")
    limit: int | None = Field(None, ge=1, le=50_000_000)


BATCH_LABELS = {"channel": "Saluran", "instalment": "Tahap", "region": "Wilayah", "limit": "Batas"}


class RoundIn(Schema):
    """Terms to set; those left out keep their value (a new round: those of ``copy_of``)."""

    copy_of: str | None = Field(None, max_length=24)
    name: str | None = Field(None, max_length=200)
    legal_basis: str | None = Field(None, max_length=200)
    source: str | None = Field(None, max_length=300)
    note: str | None = Field(None, max_length=2000)
    active_on: date | None = None
    monthly_amount: Rupiah | None = Field(None, gt=0, lt=10**12, decimal_places=0)
    months: int | None = Field(None, ge=1, le=120)
    instalments: int | None = Field(None, ge=1, le=12)
    wage_ceiling: Rupiah | None = Field(None, gt=0, lt=10**12, decimal_places=0)
    ceiling_inclusive: bool | None = None
    minimum_wage_year: int | None = Field(None, ge=2000, le=2100)
    segments: list[str] | None = Field(None, max_length=10)
    provinces_excluded: list[str] | None = Field(None, max_length=40)
    regions_included: list[str] | None = Field(None, max_length=600)
    sectors: list[str] | None = Field(None, max_length=30)
    employer_kinds_excluded: list[str] | None = Field(None, max_length=20)
    exclusion_kinds: list[str] | None = Field(None, max_length=10)
    channels: list[str] | None = Field(None, max_length=10)


class ExclusionIn(Schema):
    """An exclusion list sent for a round: its kind (civil servants, PKH recipients, …) and where it
    came from."""

    kind: str = Field(..., max_length=20)
    origin: str = Field("", max_length=300)


ROUND_LABELS = {
    "copy_of": "Salin dari",
    "name": "Nama",
    "legal_basis": "Dasar hukum",
    "note": "Catatan",
    "active_on": "Tanggal acuan",
    "monthly_amount": "Besar per bulan",
    "months": "Bulan",
    "instalments": "Tahap",
    "wage_ceiling": "Batas upah",
    "minimum_wage_year": "Tahun upah minimum",
    "segments": "Segmen",
    "provinces_excluded": "Provinsi dikecualikan",
    "regions_included": "Wilayah",
    "sectors": "Sektor",
    "employer_kinds_excluded": "Jenis pemberi kerja dikecualikan",
    "exclusion_kinds": "Daftar pengecualian",
    "channels": "Saluran",
}
