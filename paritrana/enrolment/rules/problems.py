"""What each problem of a bulk list is called on a page and in the error report (issue 27 §6): the
codes stay stable for programs, people read these. Pure."""

from __future__ import annotations

from .columns import COLUMNS

# By the codes the report stores (enrol.sql, the third column of its code table), which stay stable
# for programs; the field beside each says which cell.
PROBLEM_LABELS: dict[str, str] = {
    "required": "Isian wajib kosong",
    "too_long": "Isian terlalu panjang",
    "date_invalid": "Tanggal tidak sah",
    "birth_date_future": "Tanggal lahir di masa depan",
    "nik_birth_date_mismatch": "Tanggal lahir tidak sesuai NIK",
    "sex_invalid": "Jenis kelamin bukan L atau P",
    "nik_sex_mismatch": "Jenis kelamin tidak sesuai NIK",
    "region_unknown": "Kode desa tidak dikenal",
    "region_out_of_scope": "Desa di luar wilayah pembayar",
    "segment_unknown": "Segmen tidak dikenal",
    "employer_required": "Segmen ini didaftarkan pemberi kerja",
    "tag_unknown": "Kelompok tidak dikenal",
    "programme_unknown": "Program tidak dikenal",
    "programme_not_open": "JP hanya untuk Penerima Upah",
    "amount_invalid": "Angka rupiah tidak sah",
    "income_out_of_bounds": "Penghasilan di luar batas BPU",
    "age_out_of_range": "Usia di luar batas kepesertaan",
    "nik_number_cell": "NIK tersimpan sebagai angka (digit terakhir hilang)",
    "nik_format": "NIK bukan 16 digit",
    "nik_province_unknown": "Kode provinsi NIK tidak dikenal",
    "nik_region_zero": "Kode wilayah NIK nol",
    "nik_birth_date_invalid": "Tanggal lahir dalam NIK tidak sah",
    "nik_serial_zero": "Nomor urut NIK nol",
    "nik_duplicate_in_file": "NIK muncul lebih dari sekali dalam berkas",
    "person_mismatch": "NIK terdaftar dengan nama atau tanggal lahir lain",
    "encoding_invalid": "Baris memuat karakter yang tidak sah",
    "name_invalid": "Bukan nama orang (tanda, angka atau rumus)",
    "start_before_birth": "Tanggal mulai sebelum tanggal lahir",
    "programme_required": "BPU wajib ikut JKK dan JKM",
    "nik_regency_unknown": "Kode kabupaten/kota NIK tidak pernah ada",
    "nik_district_unknown": "Kode kecamatan NIK tidak dikenal (peringatan)",
    "cell_too_long": "Sel terlalu panjang",
}
COLUMN_HEADERS: dict[str, str] = {c.field: c.header for c in COLUMNS} | {"line": "(seluruh baris)"}


def problem_label(code: str) -> str:
    return PROBLEM_LABELS.get(code, code.replace("_", " "))


def column_header(field: str) -> str:
    return COLUMN_HEADERS.get(field, field)
