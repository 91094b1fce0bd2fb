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
        Indicator(
            "employers",
            "Pemberi kerja tercakup",
            "Pemberi kerja yang tagihan iuran bulan itu berstatus lunas, dihitung di kabupaten/kota pemberi kerja.",
        ),
        Indicator(
            "contributions",
            "Iuran terkumpul",
            "Jumlah baris iuran bulan itu pada tagihan yang lunas, per program, dihitung di wilayah pembayar "
            "(kabupaten/kota pemberi kerja, wilayah pemda penanggung, atau kabupaten/kota peserta mandiri; "
            "tagihan APBD provinsi tercatat di provinsi). Tagihan yang baru dibayar sebagian belum dihitung. Iuran JKP "
            "terdiri atas bagian pemerintah pusat dan rekomposisi yang diambil dari iuran JKK dan JKM "
            "(PP 37/2021 Pasal 11): rekomposisi dikurangkan dari JKK dan JKM menurut tarifnya.",
        ),
        Indicator(
            "claims_paid",
            "Manfaat dibayar",
            "Klaim berstatus dibayar, menurut tanggal bayarnya, per program dan kabupaten/kota layanan; "
            "jumlah manfaat tanpa denda keterlambatan, yang disebut terpisah.",
        ),
        Indicator(
            "fund_flow",
            "Saldo arus dana per program",
            "Iuran terkumpul dikurangi manfaat dibayar (termasuk denda keterlambatan), dijumlahkan sejak bulan "
            "pertama yang direkap sampai bulan yang dipilih. Tanpa saldo awal, hasil investasi dan biaya "
            "operasional, yang tidak dicatat Paritrana: ini arus dana, bukan saldo dana jaminan sosial.",
        ),
        Indicator(
            "parity",
            "Paritas",
            "Bagian perempuan (atau penyandang disabilitas) di antara peserta aktif dibagi bagiannya di "
            "antara penyebut. 1,00 berarti setara; di bawah 1,00 kelompok itu kurang tercakup. Hanya "
            "tersedia bila penyebut yang diimpor memuat rinciannya.",
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


def parity(part: int, whole: int, workforce_part: int | None, workforce: int | None) -> Decimal | None:
    """A group's share among the active divided by its share of the workforce, to two decimals half
    up; None when the denominator has no breakdown or either share is undefined."""
    if not whole or not workforce or not workforce_part:
        return None
    ratio = (Decimal(part) / Decimal(whole)) / (Decimal(workforce_part) / Decimal(workforce))
    return ratio.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def year_end_projection(series: list[int], months_left: int) -> int | None:
    """Active participants expected in December if the average monthly change of ``series`` (the
    year's months so far, oldest first) goes on for ``months_left`` more months; None from one month."""
    if len(series) < 2:
        return None
    step = Decimal(series[-1] - series[0]) / (len(series) - 1)
    return max(0, int((series[-1] + step * months_left).quantize(Decimal("1"), rounding=ROUND_HALF_UP)))


def split_recomposition(recomposed: Decimal, rate_jkk: Decimal, rate_jkm: Decimal) -> tuple[Decimal, Decimal]:
    """The JKP recomposition taken out of JKK and out of JKM (PP 37/2021 Pasal 11: 0.14 % of wages from
    JKK, 0.10 % from JKM; PP 6/2025: JKM's part ended): shared by the rates, JKK's part rounded half
    up to the rupiah and JKM taking the rest, so the two add up to the recomposition exactly."""
    total = rate_jkk + rate_jkm
    if not total:
        return Decimal(0), Decimal(0)
    from_jkk = (recomposed * rate_jkk / total).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return from_jkk, recomposed - from_jkk
