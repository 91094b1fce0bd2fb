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
