"""What each problem of a bulk list is called on a page and in the error report (issue 27 §6): the
codes stay stable for programs, people read these. Pure."""

from __future__ import annotations

from .columns import COLUMNS

PROBLEM_LABELS: dict[str, str] = {
    "nik_required": "NIK kosong",
    "nik_format": "NIK bukan 16 digit",
    "nik_number_cell": "NIK tersimpan sebagai angka (digit terakhir hilang)",
    "nik_province_unknown": "Kode provinsi NIK tidak dikenal",
    "nik_region_zero": "Kode wilayah NIK nol",
    "nik_serial_zero": "Nomor urut NIK nol",
    "nik_birth_date_invalid": "Tanggal lahir dalam NIK tidak sah",
    "nik_birth_date_mismatch": "Tanggal lahir tidak sesuai NIK",
    "nik_sex_mismatch": "Jenis kelamin tidak sesuai NIK",
    "nik_duplicate_in_file": "NIK muncul lebih dari sekali dalam berkas",
    "name_required": "Nama kosong",
    "name_too_long": "Nama terlalu panjang",
    "title_too_long": "Gelar terlalu panjang",
    "born_required": "Tanggal lahir kosong",
    "born_invalid": "Tanggal lahir tidak sah",
    "born_future": "Tanggal lahir di masa depan",
    "born_nik": "Tanggal lahir tidak sesuai NIK",
    "age_range": "Usia di luar batas kepesertaan",
    "sex_required": "Jenis kelamin kosong",
    "sex_invalid": "Jenis kelamin bukan L atau P",
    "sex_nik": "Jenis kelamin tidak sesuai NIK",
    "village_required": "Kode desa kosong",
    "village_unknown": "Kode desa tidak dikenal",
    "village_out_of_scope": "Desa di luar wilayah pembayar",
    "segment_unknown": "Segmen tidak dikenal",
    "segment_employer": "Segmen ini harus didaftarkan pemberi kerja",
    "tag_unknown": "Kelompok tidak dikenal",
    "income_required": "Penghasilan kosong (wajib untuk BPU)",
    "income_invalid": "Penghasilan bukan angka rupiah",
    "income_bounds": "Penghasilan di luar batas BPU",
    "wage_required": "Upah kosong (wajib untuk PU)",
    "wage_invalid": "Upah bukan angka rupiah",
    "programme_unknown": "Program tidak dikenal",
    "programme_jp": "JP hanya untuk Penerima Upah",
    "start_invalid": "Tanggal mulai tidak sah",
    "birth_place_too_long": "Tempat lahir terlalu panjang",
    "address_too_long": "Alamat terlalu panjang",
    "phone_too_long": "Nomor HP terlalu panjang",
    "person_mismatch": "NIK terdaftar dengan nama atau tanggal lahir lain",
    "already": "Sudah terdaftar",
}
COLUMN_HEADERS: dict[str, str] = {c.field: c.header for c in COLUMNS}


def problem_label(code: str) -> str:
    return PROBLEM_LABELS.get(code, code.replace("_", " "))


def column_header(field: str) -> str:
    return COLUMN_HEADERS.get(field, field)
