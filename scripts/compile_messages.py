"""Fill and compile the Indonesian catalogue without GNU gettext (polib): msgids are English,
the interface defaults to Indonesian (DESIGN.md §3.8).

Run after ``paritrana makemessages -l id``: .venv/bin/python scripts/compile_messages.py
"""

from __future__ import annotations

from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[1] / "paritrana" / "locale" / "id" / "LC_MESSAGES" / "django.po"

INDONESIAN = {
    "Home": "Beranda",
    "Welcome, %(name)s": "Selamat datang, %(name)s",
    "Scope": "Lingkup",
    "Persons": "Orang",
    "Active memberships": "Kepesertaan aktif",
    "Employers": "Pemberi kerja",
    "Sponsors": "Penanggung iuran",
    "Search by NIK, KPJ or name": "Cari menurut NIK, KPJ atau nama",
    "Search": "Cari",
    "Your role sees aggregate figures only; personal records are not shown.": "Peran Anda hanya melihat angka agregat; data pribadi tidak ditampilkan.",
    "My membership record": "Data kepesertaan saya",
    "Log in": "Masuk",
    "Username": "Nama pengguna",
    "Password": "Kata sandi",
    "Log out": "Keluar",
    "Language": "Bahasa",
    "Participants": "Peserta",
    "Name": "Nama",
    "Segment": "Segmen",
    "Status": "Status",
    "No participants within your scope.": "Tidak ada peserta dalam lingkup Anda.",
    "Previous": "Sebelumnya",
    "Next": "Berikutnya",
    "Sex": "Jenis kelamin",
    "Birth date": "Tanggal lahir",
    "Address": "Alamat",
    "Disability": "Disabilitas",
    "yes": "ya",
    "no": "tidak",
    "Phone": "Telepon",
    "Memberships": "Kepesertaan",
    "Employer or sponsor": "Pemberi kerja atau penanggung",
    "Programmes": "Program",
    "Wage / income": "Upah / penghasilan",
    "Valid": "Berlaku",
    "self-paying": "mandiri",
    "No memberships.": "Belum ada kepesertaan.",
    "Export CSV": "Unduh CSV",
    "Regency/city": "Kabupaten/kota",
    "Nothing found within your scope.": "Tidak ditemukan dalam lingkup Anda.",
    "Contribution simulation": "Simulasi iuran",
    "Contributions for one participant and one month, by the regulation in force in that month. Amounts are rounded to whole rupiah per line.": "Iuran satu peserta untuk satu bulan, menurut peraturan yang berlaku pada bulan itu. Jumlah dibulatkan ke rupiah penuh per baris.",
    "Contribution month": "Bulan iuran",
    "Wage earners (PU) and construction with known wages": "Penerima upah (PU) dan jasa konstruksi dengan upah diketahui",
    "Monthly wage (Rp)": "Upah sebulan (Rp)",
    "JKK risk group": "Kelompok risiko JKK",
    "Employer scale": "Skala usaha",
    "Eligible for PP 7/2025 relief": "Memenuhi syarat keringanan PP 7/2025",
    "Non-wage earners (BPU)": "Bukan penerima upah (BPU)",
    "Declared income (Rp)": "Penghasilan yang dilaporkan (Rp)",
    "Include JHT": "Ikut JHT",
    "Construction without known wages (JAKON)": "Jasa konstruksi tanpa data upah (JAKON)",
    "Contract value (Rp)": "Nilai kontrak (Rp)",
    "Migrant workers (PMI)": "Pekerja migran (PMI)",
    "Contract length (months)": "Lama kontrak (bulan)",
    "Pre-placement protection": "Perlindungan sebelum bekerja",
    "Calculate": "Hitung",
    "Programme": "Program",
    "Base": "Dasar",
    "Rate (%%)": "Tarif (%%)",
    "Employer": "Pemberi kerja",
    "Worker": "Pekerja",
    "Government": "Pemerintah",
    "Deferred": "Ditunda",
    "Total": "Jumlah",
    "To pay": "Yang harus dibayar",
    "due": "jatuh tempo",
    "late fee per month": "denda per bulan",
    "Legal basis": "Dasar hukum",
    "Arrears": "Tunggakan",
    "Per regency/city": "Per kabupaten/kota",
    "Per branch office": "Per kantor cabang",
    "Import bank statement": "Impor rekening koran",
    "Overdue bills within your scope, by months past the due date. Late fees accrue at 2%% a month of the unpaid amount.": "Tagihan lewat jatuh tempo dalam lingkup Anda, menurut lama keterlambatan. Denda 2%% per bulan dari jumlah yang belum dibayar.",
    "Branch office": "Kantor cabang",
    "Payers": "Pembayar",
    "Bills": "Tagihan",
    "month": "bulan",
    "Outstanding": "Sisa tagihan",
    "Late fee": "Denda",
    "No arrears within your scope.": "Tidak ada tunggakan dalam lingkup Anda.",
    "Bill": "Tagihan",
    "Due": "Jatuh tempo",
    "Amount due": "Jumlah tagihan",
    "Paid": "Dibayar",
    "Government (JKP)": "Pemerintah (JKP)",
    "Deferred (JP)": "Ditunda (JP)",
    "Payments applied": "Pembayaran yang diterapkan",
    "Reference": "Referensi",
    "Payment date": "Tanggal bayar",
    "Amount": "Jumlah",
    "Months late": "Bulan terlambat",
    "Contribution history": "Riwayat iuran",
    "Standing": "Status kepesertaan",
    "Month": "Bulan",
    "Partly paid": "Dibayar sebagian",
    "Unpaid": "Belum dibayar",
    "No contributions billed yet.": "Belum ada iuran yang ditagih.",
    "Contribution bills": "Tagihan iuran",
    "Credit (paid in advance)": "Kredit (dibayar di muka)",
    "No bills yet.": "Belum ada tagihan.",
    "Record a payment": "Catat pembayaran",
    "A payment pays the oldest open bill first; anything left is kept as credit for the next bills.": "Pembayaran melunasi tagihan terlama lebih dulu; sisanya disimpan sebagai kredit untuk tagihan berikutnya.",
    "Amount (Rp)": "Jumlah (Rp)",
    "Record payment": "Catat pembayaran",
    "CSV with the columns tanggal, referensi, kode_pembayar (NPP, sponsor code or KPJ) and jumlah. Rows already imported are recognised by their reference and not recorded twice.": "CSV dengan kolom tanggal, referensi, kode_pembayar (NPP, kode penanggung atau KPJ) dan jumlah. Baris yang sudah pernah diimpor dikenali dari referensinya dan tidak dicatat dua kali.",
    "Import": "Impor",
    "Rows": "Baris",
    "Recorded": "Dicatat",
    "Already recorded": "Sudah tercatat",
    "Invalid rows": "Baris tidak valid",
    "Amount recorded": "Jumlah dicatat",
    "Line": "Baris",
    "Column": "Kolom",
    "Code": "Kode",
    "Reason": "Alasan",
    "Contribution bills and payments": "Tagihan dan pembayaran iuran",
}
PLURALS = {"%(n)s person found": ("%(n)s orang ditemukan",)}


def main() -> None:
    po = polib.pofile(str(PO))
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing = []
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: PLURALS[entry.msgid][0]}
        elif entry.msgid in INDONESIAN:
            entry.msgstr = INDONESIAN[entry.msgid]
        else:
            missing.append(entry.msgid)
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    if missing:
        raise SystemExit(f"untranslated: {missing}")


if __name__ == "__main__":
    main()
