"""The coverage indicators, written down (issue 6 §1; data-sources.md § Workforce denominators).

Every number on a dashboard names its indicator and, for a share, its denominator. Pure: no Django,
no database; the rollups (batch/rollup.sql) count, these definitions say what was counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# Age bands at the end of the month, for the breakdowns; the last is open.
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 24, "< 25"),
    (25, 34, "25–34"),
    (35, 44, "35–44"),
    (45, 54, "45–54"),
    (55, 64, "55–64"),
    (65, None, "65+"),
)

# Counts below this are not shown to roles that see aggregates only (coordination, public): a cell
# of three persons in one village-level breakdown can point at a person (k-anonymity).
SUPPRESS_BELOW = 10


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    definition: str


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator(
            "active",
            "Peserta aktif",
            "Pasangan (orang, segmen) yang iurannya untuk bulan itu sudah dibayar lunas: ada baris iuran bulan "
            "itu dan tagihannya berstatus lunas. Dihitung di kabupaten/kota kepesertaan (tempat terdaftar, "
            "bukan domisili), sehingga wilayah pusat pemberi kerja bisa melampaui 100 % pekerjanya. Orang "
            "yang aktif di dua segmen dihitung di keduanya, seperti laporan BPJS per segmen.",
        ),
        Indicator(
            "coverage",
            "Cakupan",
            "Peserta aktif ÷ penyebut yang dipilih (penduduk bekerja, angkatan kerja, atau angka potensi resmi) "
            "untuk wilayah dan tahun yang sama; penyebut dan sumbernya disebut pada setiap angka.",
        ),
        Indicator(
            "target_gap",
            "Selisih terhadap target",
            "Target tahun itu (wilayah, segmen) dikurangi peserta aktif bulan terakhir yang dihitung.",
        ),
    )
}

DENOMINATOR_KINDS = {
    # Which survey a figure comes from is its source, said beside every share.
    "employed": "Penduduk bekerja",
    "labour_force": "Angkatan kerja",
    "potential": "Potensi peserta (angka resmi yang diimpor)",
}


def age_band(born: date, on: date) -> int:
    """Index into AGE_BANDS of a person born on ``born``, on ``on``."""
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for index, (_, high, _) in enumerate(AGE_BANDS):
        if high is None or age <= high:
            return index
    return len(AGE_BANDS) - 1


def share(numerator: int, denominator: int | Decimal | None) -> Decimal | None:
    """Percent to one decimal, half up; None without a denominator."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def suppress(count: int, *, aggregates_only: bool) -> int | None:
    """None stands for "fewer than SUPPRESS_BELOW" where the viewer sees aggregates only; zero is shown."""
    if aggregates_only and 0 < count < SUPPRESS_BELOW:
        return None
    return count
