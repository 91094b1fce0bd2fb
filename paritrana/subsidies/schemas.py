"""Input described once: the API takes these schemas as JSON, the pages read their forms with them
(core/forms.py ``read_form``)."""

from __future__ import annotations

from ninja import Field, Schema


class BatchIn(Schema):
    channel: str = Field(..., max_length=8, description="BRI, BNI, MANDIRI, BTN, BSI atau POS")
    instalment: int = Field(1, ge=1, le=12)
    region: str = Field("", max_length=13, description="kode provinsi atau kabupaten/kota; kosong = semua")
    limit: int | None = Field(None, ge=1, le=50_000_000)


BATCH_LABELS = {"channel": "Saluran", "instalment": "Tahap", "region": "Wilayah", "limit": "Batas"}
