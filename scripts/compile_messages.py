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
