"""The claim workflow's law, pure: claim types, documents, heirs in legal order, service-level dates.

Legal basis: PP 44/2015 Pasal 37 (heirs in order, JKK paid within 7 working days or 1 % a day
more), PP 82/2019 and Permenaker 5/2021 (scholarships), PP 46/2015 Pasal 26 (JHT), PP 45/2015
(JP), PP 37/2021 and PP 6/2025 (JKP). Document lists follow BPJS Ketenagakerjaan's published
claim requirements; which documents apply is data here so that a branch can read why a claim waits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from paritrana.core.money import to_rupiah

# Claim type → the programme that must cover the event.
PROGRAMME = {
    "JKM": "JKM",
    "JKK_DEATH": "JKK",
    "JKK_TOTAL_DISABILITY": "JKK",
    "JKK_PARTIAL_DISABILITY": "JKK",
    "JKK_STMB": "JKK",
    "JKK_MEDICAL": "JKK",
    "JKK_HOME_CARE": "JKK",
    "JKK_TRANSPORT": "JKK",
    "JKK_RTW": "JKK",
    "JHT": "JHT",
    "JP_OLD_AGE": "JP",
    "JP_DISABILITY": "JP",
    "JP_SURVIVOR": "JP",
    "JP_LUMP_SUM": "JP",
    "JKP": "JKP",
    "SCHOLARSHIP": "",  # follows from the death or disability claim it continues
}
LABELS = {
    "JKM": "Jaminan Kematian",
    "JKK_DEATH": "JKK — meninggal karena kecelakaan kerja",
    "JKK_TOTAL_DISABILITY": "JKK — cacat total tetap",
    "JKK_PARTIAL_DISABILITY": "JKK — cacat sebagian",
    "JKK_STMB": "JKK — sementara tidak mampu bekerja",
    "JKK_MEDICAL": "JKK — penggantian biaya perawatan dan rehabilitasi",
    "JKK_HOME_CARE": "JKK — perawatan di rumah (homecare)",
    "JKK_TRANSPORT": "JKK — penggantian biaya pengangkutan",
    "JKK_RTW": "JKK — program kembali bekerja",
    "JHT": "Jaminan Hari Tua",
    "JP_OLD_AGE": "Jaminan Pensiun — hari tua",
    "JP_DISABILITY": "Jaminan Pensiun — cacat total tetap",
    "JP_SURVIVOR": "Jaminan Pensiun — janda/duda, anak atau orang tua",
    "JP_LUMP_SUM": "Jaminan Pensiun — manfaat sekaligus",
    "JKP": "Jaminan Kehilangan Pekerjaan",
    "SCHOLARSHIP": "Beasiswa tahunan",
}
DEATH_TYPES = frozenset({"JKM", "JKK_DEATH"})
# Claims whose scholarship follows (PP 82/2019: JKK death or total disability, JKM death).
SCHOLARSHIP_TYPES = frozenset({"JKM", "JKK_DEATH", "JKK_TOTAL_DISABILITY"})
# PP 44/2015 Pasal 37(2)-(3): only JKK benefits carry the 7-working-day duty and its penalty.
SLA_TYPES = frozenset(k for k, programme in PROGRAMME.items() if programme == "JKK")

_ID = ("kpj_card", "Kartu peserta BPJS Ketenagakerjaan")
_KTP = ("ktp", "KTP peserta")
_KK = ("family_card", "Kartu keluarga")
_BANK = ("bank_book", "Buku tabungan penerima")
_DEATH = [
    _ID,
    ("death_certificate", "Akta atau surat keterangan kematian"),
    _KK,
    ("heir_statement", "Surat keterangan ahli waris"),
    ("heir_ktp", "KTP ahli waris"),
    _BANK,
]
_ACCIDENT = [("accident_report", "Laporan kecelakaan kerja tahap I dan II dari pemberi kerja")]
_BILLS = ("invoices", "Kuitansi atau tagihan asli")
DOCUMENTS: dict[str, list[tuple[str, str]]] = {
    "JKM": _DEATH,
    "JKK_DEATH": _DEATH + _ACCIDENT,
    "JKK_TOTAL_DISABILITY": [_ID, _KTP, *_ACCIDENT, ("doctor_statement", "Surat keterangan dokter"), _BANK],
    "JKK_PARTIAL_DISABILITY": [_ID, _KTP, *_ACCIDENT, ("doctor_statement", "Surat keterangan dokter"), _BANK],
    "JKK_STMB": [_ID, _KTP, *_ACCIDENT, ("sick_leave", "Surat keterangan tidak mampu bekerja dari dokter"), _BANK],
    "JHT": [_ID, _KTP, _KK, ("separation_letter", "Surat keterangan berhenti bekerja (bila berhenti)"), _BANK],
    "JKK_MEDICAL": [_ID, _KTP, *_ACCIDENT, ("medical_resume", "Resume medis dari fasilitas kesehatan"), _BILLS, _BANK],
    "JKK_HOME_CARE": [
        _ID,
        _KTP,
        *_ACCIDENT,
        ("home_care_referral", "Rekomendasi dokter untuk perawatan di rumah"),
        _BILLS,
        _BANK,
    ],
    "JKK_TRANSPORT": [_ID, _KTP, *_ACCIDENT, _BILLS, _BANK],
    "JKK_RTW": [
        _ID,
        _KTP,
        *_ACCIDENT,
        ("rtw_plan", "Rencana program kembali bekerja dari dokter penasihat"),
        _BILLS,
        _BANK,
    ],
    "JP_OLD_AGE": [_ID, _KTP, _KK, _BANK],
    "JP_DISABILITY": [
        _ID,
        _KTP,
        _KK,
        ("disability_certificate", "Surat keterangan cacat total tetap dari dokter penasihat"),
        _BANK,
    ],
    "JP_SURVIVOR": [*_DEATH, ("marriage_certificate", "Buku nikah atau akta perkawinan (janda/duda)")],
    "JP_LUMP_SUM": [_ID, _KTP, _KK, _BANK],
    "JKP": [_ID, _KTP, ("phk_proof", "Bukti PHK"), ("job_search", "Bukti registrasi Pasker.id"), _BANK],
    "SCHOLARSHIP": [
        ("school_certificate", "Surat keterangan masih sekolah/kuliah dari lembaga pendidikan"),
        ("child_ktp_or_kk", "Kartu keluarga atau KTP anak"),
        _BANK,
    ],
}

# PP 44/2015 Pasal 37(5), regulation.md §2.1: the widow, widower or children; failing those lineal
# relatives up to the second degree, siblings, parents-in-law, a person named in a will. Earlier
# ranks exclude later ones. Whoever arranges the funeral receives only the funeral cost.
RELATIONSHIPS = {
    "spouse": ("Istri/suami (janda/duda)", 1),
    "child": ("Anak", 1),
    "parent": ("Orang tua", 2),
    "grandchild": ("Cucu", 2),
    "grandparent": ("Kakek/nenek", 2),
    "sibling": ("Saudara kandung", 3),
    "parent_in_law": ("Mertua", 4),
    "will": ("Pihak yang ditunjuk dalam wasiat", 5),
    "funeral_arranger": ("Pihak yang mengurus pemakaman", 9),
}

STATES = ("submitted", "verified", "approved", "paid", "rejected")
STATE_LABELS = {
    "submitted": "Diajukan",
    "verified": "Berkas lengkap",
    "approved": "Disetujui",
    "paid": "Dibayar",
    "rejected": "Ditolak",
}
# state → the states a claim may move to from there.
TRANSITIONS = {
    "submitted": ("verified", "rejected"),
    "verified": ("approved", "rejected"),
    "approved": ("paid",),
    "paid": (),
    "rejected": (),
}
# Reason codes for a rejection, stable for programs; the eligibility codes from the rules come too.
REJECTION_REASONS = {
    "not_covered": "Tidak terdaftar atau kepesertaan tidak berlaku pada tanggal peristiwa",
    "contributions_unpaid": "Iuran belum dibayar pada tanggal peristiwa",
    "employer_arrears": "Pemberi kerja menunggak iuran; manfaat menjadi tanggung jawab pemberi kerja",
    "documents_invalid": "Dokumen tidak sah atau tidak sesuai",
    "not_work_accident": "Bukan kecelakaan kerja menurut hasil investigasi",
    "duplicate_claim": "Klaim yang sama sudah pernah diajukan",
    "no_heir": "Tidak ada ahli waris yang berhak",
    "ineligible": "Syarat manfaat tidak terpenuhi",
    "withdrawn": "Dicabut atas permintaan pemohon",
}


@dataclass(frozen=True)
class HeirFacts:
    heir_id: int
    name: str
    relationship: str
    birth_date: date | None = None


@dataclass(frozen=True)
class Payout:
    heir_id: int | None
    name: str
    amount: Decimal
    components: tuple[str, ...]


def rank(relationship: str) -> int:
    return RELATIONSHIPS[relationship][1]


def death_payees(
    components: Sequence[tuple[str, Decimal]], heirs: Iterable[HeirFacts], *, funeral_names: Iterable[str]
) -> tuple[list[Payout], list[str]]:
    """Who receives a death benefit, and notes for the letter.

    The whole benefit goes to the heirs of the first rank present (PP 44/2015 Pasal 37(5)); the
    spouse is named payee for the rank, children otherwise, eldest first, and the rank's other members
    are listed on the letter. With no heir, the funeral cost goes to whoever arranged the funeral
    and the rest of the benefit reverts to the DJS (regulation.md §2.1)."""
    funeral = set(funeral_names)
    all_heirs = list(heirs)
    ranked = [h for h in all_heirs if rank(h.relationship) < 9]
    notes: list[str] = []
    if ranked:
        first = min(rank(h.relationship) for h in ranked)
        group = sorted(
            (h for h in ranked if rank(h.relationship) == first),
            key=lambda h: (h.relationship != "spouse", h.birth_date or date.max),
        )
        payee = group[0]
        if len(group) > 1:
            notes.append(
                f"Dibayarkan kepada {payee.name} untuk ahli waris golongan pertama yang ada: "
                + ", ".join(h.name for h in group)
                + "."
            )
        total = sum((amount for _, amount in components), Decimal(0))
        return [Payout(payee.heir_id, payee.name, to_rupiah(total), tuple(n for n, _ in components))], notes
    arrangers = [h for h in all_heirs if h.relationship == "funeral_arranger"]
    funeral_parts = [(n, a) for n, a in components if n in funeral]
    if arrangers and funeral_parts:
        who = arrangers[0]
        notes.append("Tidak ada ahli waris: santunan lainnya kembali ke Dana Jaminan Sosial.")
        total = sum((a for _, a in funeral_parts), Decimal(0))
        return [Payout(who.heir_id, who.name, to_rupiah(total), tuple(n for n, _ in funeral_parts))], notes
    return [], ["Tidak ada ahli waris maupun pihak yang mengurus pemakaman."]


def jp_survivor(heirs: Iterable[tuple[HeirFacts, bool]]) -> HeirFacts | None:
    """Who receives a JP survivor pension (PP 45/2015 Pasal 16): the widow or widower; failing one, a
    child still entitled (``True`` beside each: under 23, unmarried, not working), eldest first;
    failing both, a parent. Anyone else takes the lump sum as an heir."""
    listed = list(heirs)
    for relationship in ("spouse", "child", "parent"):
        found = sorted(
            (h for h, entitled in listed if h.relationship == relationship and entitled),
            key=lambda h: h.birth_date or date.max,
        )
        if found:
            return found[0]
    return None


def scholarship_children(heirs: Iterable[tuple[HeirFacts, bool]], cap: int) -> list[HeirFacts]:
    """The children who receive the scholarship: at most ``cap`` (two, PP 82/2019), eldest first, among
    those still entitled (``True`` beside each: under 23, unmarried, not working — Permenaker 5/2021)."""
    children = sorted(
        (h for h, entitled in heirs if h.relationship == "child" and entitled),
        key=lambda h: h.birth_date or date.max,
    )
    return children[:cap]


def scholarship_ended(*, birth_date: date | None, on: date, married: bool, employed: bool) -> str | None:
    """Why a child's scholarship has ended on ``on``, or None (Permenaker 5/2021: age 23, marriage, work)."""
    if married:
        return "Anak telah menikah."
    if employed:
        return "Anak telah bekerja."
    if birth_date is not None:
        age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
        if age >= 23:
            return "Anak telah berusia 23 tahun."
    return None


def scholarship_years_left(level: str, used: dict[str, int], years: dict[str, int]) -> int:
    """Years still payable at ``level``: TK and SD share eight years (regulation.md §2.2)."""
    if level in ("TK", "SD"):
        return years["TK"] + years["SD"] - used.get("TK", 0) - used.get("SD", 0)
    return years[level] - used.get(level, 0)


def add_working_days(start: date, days: int, holidays: frozenset[date] = frozenset()) -> date:
    """The date ``days`` working days after ``start`` (weekends and the given holidays skipped)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day


def delay_penalty(amount: Decimal, *, due: date, paid: date, rate_per_day: Decimal) -> tuple[int, Decimal]:
    """Days late and BPJS's penalty: ``rate_per_day`` % of the benefit for each day after ``due``
    (PP 44/2015 Pasal 37(3)). Counted in calendar days: the article says "per hari"."""
    late = max((paid - due).days, 0)
    return late, to_rupiah(amount * rate_per_day / Decimal(100) * late)


# Why JHT is taken, as people say it (PP 46/2015 Pasal 26 jo. PP 60/2015; Permenaker 4/2022 Pasal 3-7).
JHT_REASON_LABELS: dict[str, str] = {
    "retirement": "Mencapai usia pensiun (56 tahun)",
    "resignation": "Mengundurkan diri",
    "dismissal": "Terkena pemutusan hubungan kerja (PHK)",
    "death": "Meninggal dunia (diajukan ahli waris)",
    "total_disability": "Cacat total tetap",
    "leaving_indonesia": "Meninggalkan Indonesia untuk selamanya",
    "partial_retirement": "Sebagian (30 %) untuk persiapan pensiun, kepesertaan minimal 10 tahun",
    "partial_housing": "Sebagian (10 %) untuk kepemilikan rumah, kepesertaan minimal 10 tahun",
}


# Benefits paid every month for as long as the beneficiary lives and qualifies (PP 45/2015 Pasal 15-
# 24): a periodic proof of life and status is asked of their beneficiaries (issue 31 §2).
PERIODIC_TYPES = frozenset({"JP_OLD_AGE", "JP_DISABILITY", "JP_SURVIVOR"})
# A claim whose pension is in payment: approved, or its first payment made.
IN_PAYMENT_STATES = ("approved", "paid")
