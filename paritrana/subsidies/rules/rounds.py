"""The wage subsidy (Bantuan Subsidi Upah, BSU): who qualifies in a round and for how much.

Pure: a round's terms arrive as a ``Terms`` value (from the ``subsidies_round`` row, which the data
migration filled from the regulations), a participant's facts as a ``Facts`` value. The set-based
eligibility run (``batch/eligibility.sql``) applies the same conditions to the whole registry; the
differential test holds it to ``unmet_conditions``.

Legal basis: Permenaker 14/2020 (BSU 2020), Permenaker 16/2021 (BSU 2021), Permenaker 10/2022
(BSU 2022), Permenaker 5/2025 (BSU 2025); regulation.md §3.3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

HUNDRED_THOUSAND = Decimal(100_000)

# Every condition a participant can fail, with the reason a person reads. Codes are stable: the
# API, the CLI and the exports carry them.
REASONS: dict[str, str] = {
    "not_active": "Tidak tercatat sebagai peserta aktif pada tanggal acuan.",
    "segment_not_covered": "Pada tanggal acuan bukan peserta segmen yang dicakup (Penerima Upah).",
    "contribution_unpaid": "Iuran bulan acuan belum dibayar.",
    "wage_unknown": "Upah yang dilaporkan tidak diketahui.",
    "wage_above_ceiling": "Upah yang dilaporkan melebihi batas upah.",
    "region_excluded": "Tempat kerja di luar wilayah yang dicakup.",
    "sector_excluded": "Sektor usaha pemberi kerja tidak dicakup.",
    "employer_excluded": "Jenis pemberi kerja dikecualikan.",
    "listed_asn": "Tercatat sebagai ASN (PNS/PPPK).",
    "listed_tni": "Tercatat sebagai anggota TNI.",
    "listed_polri": "Tercatat sebagai anggota Polri.",
    "listed_pkh": "Tercatat sebagai penerima Program Keluarga Harapan (PKH).",
    "listed_prakerja": "Tercatat sebagai penerima Kartu Prakerja.",
    "listed_bpum": "Tercatat sebagai penerima Banpres Produktif Usaha Mikro (BPUM).",
    "listed_other": "Tercatat dalam daftar pengecualian lain.",
}
LIST_KINDS = ("asn", "tni", "polri", "pkh", "prakerja", "bpum", "other")


@dataclass(frozen=True)
class Terms:
    """A round's conditions, as its regulation sets them."""

    monthly_amount: Decimal
    months: int
    instalments: int
    wage_ceiling: Decimal
    ceiling_inclusive: bool  # "paling banyak" (at most) rather than "di bawah" (below)
    uses_minimum_wage: bool  # the regional minimum wage, rounded up, where it is higher
    segments: tuple[str, ...] = ("PU",)
    provinces_excluded: tuple[str, ...] = ()
    regions_included: tuple[str, ...] = ()  # province or regency codes; empty: everywhere
    sectors: tuple[str, ...] = ()  # KBLI sections; empty: every sector
    employer_kinds_excluded: tuple[str, ...] = ()
    exclusion_kinds: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Facts:
    """What the registry says of one person on the round's reference date. ``segments`` are those of
    the memberships valid on that date; ``wage`` is the sum of the reported wages of the covered
    ones (the month's contribution base where billed); the workplace is the best-paid one's."""

    segments: tuple[str, ...]
    wage: Decimal | None
    month_paid_or_unbilled: bool
    regency: str | None
    sector: str | None
    employer_kind: str | None
    minimum_wage: Decimal | None = None  # the regency's UMK, else the province's UMP, that year
    listed: tuple[str, ...] = ()  # kinds of outside lists the person's NIK is on


def round_up_to_hundred_thousand(amount: Decimal) -> Decimal:
    """The minimum wage "dibulatkan ke atas hingga ratus ribu penuh".

    Legal basis: Permenaker 16/2021 and 10/2022 (the ceiling is Rp3,500,000 or the UMP/UMK rounded up
    to the full hundred thousand where higher); regulation.md §3.3 gives Kab. Tangerang's UMK
    Rp4,285,798 → Rp4,300,000.

    >>> round_up_to_hundred_thousand(Decimal("4285798"))
    Decimal('4300000')
    """
    return (amount / HUNDRED_THOUSAND).to_integral_value(rounding=ROUND_CEILING) * HUNDRED_THOUSAND


def wage_ceiling(*, terms: Terms, minimum_wage: Decimal | None) -> Decimal:
    """The highest wage that still qualifies in the participant's region.

    Legal basis: Permenaker 14/2020 (below Rp5,000,000, no regional ceiling); Permenaker 16/2021,
    10/2022 and 5/2025 (at most Rp3,500,000, or the regional minimum wage rounded up where higher).
    """
    if terms.uses_minimum_wage and minimum_wage is not None:
        return max(terms.wage_ceiling, round_up_to_hundred_thousand(minimum_wage))
    return terms.wage_ceiling


def amount_per_person(*, terms: Terms) -> Decimal:
    """Monthly amount × months: Rp600,000 × 4 in 2020, Rp500,000 × 2 in 2021, Rp300,000 × 2 in 2025
    (Permenaker 14/2020, 16/2021, 5/2025)."""
    return terms.monthly_amount * terms.months


def instalment_amount(*, terms: Terms) -> Decimal:
    """What one payment carries: 2020's Rp2,400,000 went in two tranches of Rp1,200,000
    (Permenaker 14/2020); the later rounds paid at once."""
    total = amount_per_person(terms=terms)
    if total % terms.instalments:
        raise ValueError("the amount does not divide into equal instalments")
    return total / terms.instalments


def unmet_conditions(*, terms: Terms, facts: Facts) -> list[str]:
    """Every condition the person fails, each by its code (empty: eligible). All are reported, not
    the first, so that a participant and an officer see the whole answer.

    Legal basis: as the module; the reference date, ceiling, regions, sectors and exclusions are the
    round's terms.
    """
    if not facts.segments:
        return ["not_active"]
    unmet: list[str] = []
    if not set(facts.segments) & set(terms.segments):
        return ["segment_not_covered"]
    if not facts.month_paid_or_unbilled:
        unmet.append("contribution_unpaid")
    if facts.wage is None:
        unmet.append("wage_unknown")
    else:
        ceiling = wage_ceiling(terms=terms, minimum_wage=facts.minimum_wage)
        if facts.wage > ceiling or (facts.wage == ceiling and not terms.ceiling_inclusive):
            unmet.append("wage_above_ceiling")
    regency = facts.regency or ""
    if regency[:2] in terms.provinces_excluded or (
        terms.regions_included
        and not any(regency == code or regency.startswith(code + ".") for code in terms.regions_included)
    ):
        unmet.append("region_excluded")
    if terms.sectors and facts.sector not in terms.sectors:
        unmet.append("sector_excluded")
    if facts.employer_kind in terms.employer_kinds_excluded:
        unmet.append("employer_excluded")
    unmet += [f"listed_{kind}" for kind in LIST_KINDS if kind in facts.listed and kind in terms.exclusion_kinds]
    return unmet
