"""The four BSU rounds, from their regulations (regulation.md §3.3; docs/domain/legal-basis.md).

Where the references leave a term open it is said in the round's note, marked [U] or [C]:
- 2020: "active as of June 2020" is read as valid on 30 June 2020 [C]; "BUMN parents" are the
  employers of kind BUMN (the registry does not tell a parent from a subsidiary) [C].
- 2021: only Aceh's exclusion is given; the 167 regencies/cities under PPKM level 3/4 (Inmendagri
  22 and 23/2021) are not in the references [U], so the round covers every other province until
  their codes are set in ``regions_included``. The priority sectors are mapped to KBLI sections [C].
- 2022: the monthly breakdown of Rp600,000 was not confirmed [U]: one month of Rp600,000, paid once.
"""

from decimal import Decimal

from django.db import migrations

HIMBARA = ["BRI", "BNI", "MANDIRI", "BTN"]

ROUNDS = [
    {
        "code": "BSU-2020",
        "name": "Bantuan Subsidi Upah 2020",
        "legal_basis": "Permenaker 14/2020",
        "source": "flipbuilder tmse p.401 (28 Aug 2020); pontianak.tribunnews 2020/08/12; tribunnews 2021/08/19",
        "note": "Aktif per Juni 2020 dibaca sebagai berlaku pada 30/06/2020 [C]. BUMN induk: pemberi kerja berjenis BUMN [C].",
        "monthly_amount": Decimal(600_000),
        "months": 4,
        "instalments": 2,
        "active_on": "2020-06-30",
        "wage_ceiling": Decimal(5_000_000),
        "ceiling_inclusive": False,
        "minimum_wage_year": None,
        "employer_kinds_excluded": ["bumn"],
        "exclusion_kinds": ["asn", "tni", "polri"],
        "channels": HIMBARA,
    },
    {
        "code": "BSU-2021",
        "name": "Bantuan Subsidi Upah 2021",
        "legal_basis": "Permenaker 16/2021",
        "source": "motorplus; tribunnews 2021/09/01 and 2021/08/19; jpnn 4 Aug 2021; bantuan.kemnaker.go.id",
        "note": (
            "Wilayah PPKM level 3/4 (Inmendagri 22 dan 23/2021, 167 kabupaten/kota) tidak ada di referensi [U]:"
            " isikan kodenya pada wilayah yang dicakup sebelum menghitung; Aceh dikecualikan."
            " Sektor prioritas dipetakan ke seksi KBLI [C]."
        ),
        "monthly_amount": Decimal(500_000),
        "months": 2,
        "instalments": 1,
        "active_on": "2021-06-30",
        "wage_ceiling": Decimal(3_500_000),
        "ceiling_inclusive": True,
        "minimum_wage_year": 2021,
        "provinces_excluded": ["11"],
        # Industri barang konsumsi and aneka industri (C), properti dan real estat (F, L), transportasi (H),
        # perdagangan dan jasa except education (P) and health (Q).
        "sectors": ["C", "F", "G", "H", "I", "J", "K", "L", "M", "N", "R", "S"],
        "exclusion_kinds": ["asn", "tni", "polri"],
        "channels": [*HIMBARA, "BSI"],
    },
    {
        "code": "BSU-2022",
        "name": "Bantuan Subsidi Upah 2022",
        "legal_basis": "Permenaker 10/2022",
        "source": "kompas.tv 3 Sep 2022; okezone 2022/09/06; kontan 3 May 2022",
        "note": "Rincian bulanan Rp600.000 tidak dikonfirmasi [U]: dicatat sebagai satu kali Rp600.000.",
        "monthly_amount": Decimal(600_000),
        "months": 1,
        "instalments": 1,
        "active_on": "2022-07-31",
        "wage_ceiling": Decimal(3_500_000),
        "ceiling_inclusive": True,
        "minimum_wage_year": 2022,
        "exclusion_kinds": ["asn", "tni", "polri", "prakerja", "pkh", "bpum"],
        "channels": [*HIMBARA, "POS"],
    },
    {
        "code": "BSU-2025",
        "name": "Bantuan Subsidi Upah 2025",
        "legal_basis": "Permenaker 5/2025 (mengubah Permenaker 10/2022)",
        "source": "okezone 2025/06/15, 06/16, 06/18; jubirtvnews; bajalinks",
        "note": "Penerima PKH tahun berjalan dikecualikan: unggah daftar PKH 2025.",
        "monthly_amount": Decimal(300_000),
        "months": 2,
        "instalments": 1,
        "active_on": "2025-04-30",
        "wage_ceiling": Decimal(3_500_000),
        "ceiling_inclusive": True,
        "minimum_wage_year": 2025,
        "exclusion_kinds": ["asn", "tni", "polri", "pkh"],
        "channels": [*HIMBARA, "BSI", "POS"],
    },
]


def forwards(apps, schema_editor):
    Round = apps.get_model("subsidies", "Round")
    for row in ROUNDS:
        Round.objects.update_or_create(code=row["code"], defaults={"segments": ["PU"], **row})


def backwards(apps, schema_editor):
    apps.get_model("subsidies", "Round").objects.filter(code__in=[r["code"] for r in ROUNDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
