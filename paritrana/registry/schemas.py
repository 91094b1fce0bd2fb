"""Input described once: the API takes these schemas as JSON, the pages read their forms with them
(core/forms.py ``read_form``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema


class MembershipEnd(Schema):
    valid_until: date
    reason: str = Field("", description="resigned, dismissed, contract_ended, retired, died, other")


class MembershipEndPageIn(MembershipEnd):
    """The page asks for the reason and a confirmation: ending a membership stops its cover."""

    confirm: bool = False


END_LABELS = {"valid_until": "Tanggal berakhir", "reason": "Alasan"}


class PersonIn(Schema):
    nik: str = Field(..., description="16 digit; spasi, titik dan tanda hubung diabaikan")
    full_name: str = Field(..., description="nama lengkap; gelar di depan/belakang dipisahkan otomatis")
    birth_date: date
    sex: str = Field(..., description="L atau P")
    village_code: str = Field(..., description="kode desa/kelurahan Kemendagri, mis. 64.02.01.2001")
    title_prefix: str = ""
    title_suffix: str = ""
    birth_place: str = ""
    disability: bool = False
    disability_kind: str = ""
    phone: str = ""
    address: str = ""


class EmployerIn(Schema):
    name: str
    kind: str
    scale: str
    sector: str = Field(..., description="bagian KBLI 2020, A–U")
    jkk_risk_group: int = Field(..., description="1–5 (PP 44/2015 Lampiran I)")
    regency_code: str
    npp: str = ""
    address: str = ""


class SponsorIn(Schema):
    code: str
    name: str
    kind: str
    region_code: str
    employer_id: int | None = None


class PersonPageIn(PersonIn):
    """The page asks once more when a person with the same name and birth date exists (issue 27 §2)."""

    confirm_same_name: bool = False


PERSON_LABELS = {
    "nik": "NIK",
    "full_name": "Nama lengkap",
    "birth_date": "Tanggal lahir",
    "sex": "Jenis kelamin",
    "village_code": "Desa/kelurahan",
    "birth_place": "Tempat lahir",
    "phone": "Telepon",
    "address": "Alamat",
}
EMPLOYER_LABELS = {
    "name": "Nama",
    "kind": "Jenis",
    "scale": "Skala usaha",
    "sector": "Sektor KBLI",
    "jkk_risk_group": "Kelompok risiko JKK",
    "regency_code": "Kabupaten/kota",
    "npp": "NPP",
    "address": "Alamat",
}
SPONSOR_LABELS = {
    "code": "Kode",
    "name": "Nama",
    "kind": "Jenis",
    "region_code": "Wilayah",
    "employer_id": "Pemberi kerja",
}


class MembershipPageIn(Schema):
    """A membership for a person already registered, from the person's page: the payer by its NPP or
    sponsor code, as officers know it."""

    segment: str
    payer: str = Field("", max_length=24, description="NPP pemberi kerja atau kode penanggung iuran")
    wage: Decimal | None = None
    declared_income: Decimal | None = None
    valid_from: date | None = None


MEMBERSHIP_LABELS = {
    "segment": "Segmen",
    "payer": "Pembayar",
    "wage": "Upah",
    "declared_income": "Penghasilan",
    "valid_from": "Berlaku sejak",
}


class MembershipMove(Schema):
    """A worker taken over by another employer keeps the KPJ and with it the JHT account."""

    npp: str = Field(..., max_length=8)
    confirm: bool = False


MOVE_LABELS = {"npp": "NPP pemberi kerja baru"}


class ContactIn(Schema):
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=200)
    confirm: bool = False


CONTACT_LABELS = {"phone": "Telepon", "address": "Alamat"}
