"""The Paritrana Award's arithmetic: indicators, their normalisation and weights, the stages' scores
and the final ranking. Pure: the values come in, scores and the calculation behind them go out.

regulation.md § 6: the award (Kemenko PMK with BPJS Ketenagakerjaan, since 2017) judges provinces,
regencies/cities and enterprises on coverage of PU, BPU and employers, regulations issued and
implemented, budget, compliance, and the interview of the head of region or company. **No source
publishes the weights**: every weight here is the committee's to set per category and edition; the
defaults are illustrative and are marked so on the pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str  # Indonesian, shown on pages and certificates
    unit: str  # "%", "orang", "Rp", "dokumen", "hari"
    higher_is_better: bool = True


# Regions (provinces, regencies/cities): what Inpres 2/2021 asked of them, read from the registry.
REGION_INDICATORS: tuple[Indicator, ...] = (
    Indicator("coverage_rate", "Cakupan peserta aktif terhadap penduduk bekerja", "%"),
    Indicator("pu_growth", "Pertumbuhan peserta Penerima Upah", "%"),
    Indicator("bpu_growth", "Pertumbuhan peserta Bukan Penerima Upah", "%"),
    Indicator("employer_growth", "Pertumbuhan pemberi kerja aktif", "%"),
    Indicator("non_asn_vulnerable", "Pekerja non-ASN dan rentan terlindungi", "orang"),
    Indicator("apbd_allocation", "Alokasi APBD untuk iuran", "Rp"),
    Indicator("regulations", "Regulasi jaminan sosial ketenagakerjaan diterbitkan", "dokumen"),
    Indicator("compliance", "Kepatuhan bayar iuran (dibayar dari jatuh tempo)", "%"),
    Indicator("claims_days", "Lama layanan klaim (median hari)", "hari", higher_is_better=False),
)
# Enterprises: their own workers' protection and their compliance.
ENTERPRISE_INDICATORS: tuple[Indicator, ...] = (
    Indicator("workers_active", "Pekerja terlindungi aktif", "orang"),
    Indicator("workers_growth", "Pertumbuhan pekerja terlindungi", "%"),
    Indicator("compliance", "Kepatuhan bayar iuran (dibayar dari jatuh tempo)", "%"),
    Indicator("claims_days", "Lama layanan klaim (median hari)", "hari", higher_is_better=False),
)
INDICATORS = {i.code: i for i in REGION_INDICATORS + ENTERPRISE_INDICATORS}

# Illustrative committee weights (not published anywhere, regulation.md § 6).
REGION_WEIGHTS = {
    "coverage_rate": 25,
    "pu_growth": 10,
    "bpu_growth": 15,
    "employer_growth": 10,
    "non_asn_vulnerable": 10,
    "apbd_allocation": 10,
    "regulations": 10,
    "compliance": 5,
    "claims_days": 5,
}
ENTERPRISE_WEIGHTS = {"workers_active": 30, "workers_growth": 25, "compliance": 35, "claims_days": 10}
# How the stages add up to the final score (also the committee's; illustrative).
STAGE_WEIGHTS = {"indicators": 50, "provincial": 20, "interview": 30}

# The interview rubric (the jury's criteria; regulation.md § 6 lists attendance of the head of
# region, regulations and their implementation, budget, and interview performance).
RUBRIC: dict[str, str] = {
    "commitment": "Komitmen dan kehadiran pimpinan",
    "regulation": "Regulasi dan pelaksanaannya",
    "budget": "Anggaran dan keberlanjutan",
    "innovation": "Inovasi perluasan kepesertaan",
    "presentation": "Paparan dan jawaban",
}
PROVINCIAL_CRITERION = "panel"  # the provincial panel's one overall mark per candidate
SCORE_MAX = Decimal(100)

STAGES = ("setup", "provincial", "central", "interview", "final", "published")
JURY_STAGES = ("provincial", "central", "interview")

TWO = Decimal("0.01")


def _q(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def growth(start: int, end: int) -> Decimal | None:
    """Percentage growth; none when there was nothing at the start (a growth from zero is no rate)."""
    if start <= 0:
        return None
    return _q(Decimal(end - start) * 100 / Decimal(start))


def share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return _q(Decimal(part) * 100 / Decimal(whole))


@dataclass(frozen=True)
class Part:
    """One indicator's share in one candidate's indicator score: the calculation shown."""

    code: str
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    normalised: Decimal  # 0–100 within the category
    weight: Decimal
    points: Decimal  # normalised × weight ÷ total weight

    def as_dict(self) -> dict[str, str | None]:
        return {
            "value": None if self.value is None else str(self.value),
            "low": None if self.low is None else str(self.low),
            "high": None if self.high is None else str(self.high),
            "normalised": str(self.normalised),
            "weight": str(self.weight),
            "points": str(self.points),
        }


def normalise(value: Decimal | None, low: Decimal | None, high: Decimal | None, *, higher_is_better: bool) -> Decimal:
    """Min–max within the category's eligible candidates: the best gets 100, the worst 0; a missing
    value scores 0. When every candidate has the same value the indicator separates no one and gives
    no points (so a candidate without data is not behind one whose value is merely the same zero)."""
    if value is None or low is None or high is None or high == low:
        return Decimal(0)
    share_of_range = (value - low) / (high - low) if higher_is_better else (high - value) / (high - low)
    return _q(share_of_range * SCORE_MAX)


def indicator_scores(
    values: Mapping[int, Mapping[str, Decimal | None]], weights: Mapping[str, int | Decimal]
) -> dict[int, tuple[Decimal, list[Part]]]:
    """Each candidate's indicator score (0–100) and its parts, from every candidate's values in one
    category. Only indicators with a positive weight count."""
    used = {code: Decimal(w) for code, w in weights.items() if Decimal(w) > 0}
    total = sum(used.values(), Decimal(0))
    bounds: dict[str, tuple[Decimal | None, Decimal | None]] = {}
    for code in used:
        present = [v[code] for v in values.values() if v.get(code) is not None]
        bounds[code] = (min(present), max(present)) if present else (None, None)  # type: ignore[type-var]
    out: dict[int, tuple[Decimal, list[Part]]] = {}
    for candidate, vals in values.items():
        parts = []
        for code, weight in used.items():
            low, high = bounds[code]
            norm = normalise(vals.get(code), low, high, higher_is_better=INDICATORS[code].higher_is_better)
            parts.append(Part(code, vals.get(code), low, high, norm, weight, _q(norm * weight / total)))
        out[candidate] = (_q(sum((p.points for p in parts), Decimal(0))) if total else Decimal(0), parts)
    return out


def mean(marks: Iterable[Decimal]) -> Decimal | None:
    marks = list(marks)
    return _q(sum(marks, Decimal(0)) / len(marks)) if marks else None


def stage_total(
    indicators: Decimal, provincial: Decimal | None, interview: Decimal | None, weights: Mapping[str, int | Decimal]
) -> Decimal:
    """The weighted sum of the stages a candidate went through; a stage the category does not hold
    (no provincial panel for provinces) gives its weight to the others."""
    parts = {"indicators": indicators, "provincial": provincial, "interview": interview}
    held = {k: Decimal(weights.get(k, 0)) for k, v in parts.items() if v is not None}
    total = sum(held.values(), Decimal(0))
    if not total:
        return _q(indicators)
    return _q(sum((parts[k] * w for k, w in held.items()), Decimal(0)) / total)  # type: ignore[operator]


def ranked(scores: Mapping[int, tuple[Decimal, Decimal, str]]) -> list[int]:
    """Candidates best first: by score, then the indicator score, then name (stable, explainable)."""
    return sorted(scores, key=lambda c: (-scores[c][0], -scores[c][1], scores[c][2]))


def validate_mark(value: Decimal) -> str | None:
    """A juror's mark: 0–100 with at most two decimals; the stable code of what is wrong, if any."""
    if not value.is_finite() or value < 0 or value > SCORE_MAX:
        return "mark_out_of_range"
    if value != value.quantize(TWO):
        return "mark_too_precise"
    return None
