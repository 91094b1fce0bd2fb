"""The contribution calculator: pure law, no database (rates come in a ``ParameterSet``).

Legal basis (regulation.md §1, §3, §4): PP 44/2015 Pasal 16 and 18 (JKK, JKM), PP 46/2015 Pasal 16
(JHT), PP 45/2015 Pasal 28–29 (JP and its wage cap), PP 37/2021 and PP 6/2025 Pasal 11 (JKP), the
BPU and construction tariffs of PP 44/2015 and BPJS Perdir 22/2022, Permenaker 4/2023 Pasal 18 (PMI),
Perpres 109/2013 Pasal 6 (programmes by employer scale), PP 49/2020 and PP 7/2025 (relief).

Rounding (Paritrana's rule; no regulation found states one): each amount on a line, for each party,
is computed exactly and then rounded once to whole rupiah, half up (``core.money.to_rupiah``). Totals
are sums of rounded line amounts, so a bill's total always equals the sum of its lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from paritrana.core.errors import Problem, ValidationFailed
from paritrana.core.money import to_rupiah
from paritrana.core.periods import Period
from paritrana.law.rules.params import ParameterSet

SEGMENTS = ("PU", "BPU", "JAKON", "PMI")
SCALES = ("large", "medium", "small", "micro")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
PMI_PACKAGES = (6, 12, 24)


@dataclass(frozen=True)
class ContributionInput:
    segment: str
    year: int
    month: int
    wage: Decimal | None = None
    jkk_risk_group: int | None = None
    employer_scale: str = "large"
    declared_income: Decimal | None = None
    include_jht: bool = False
    contract_value: Decimal | None = None
    contract_months: int | None = None
    pre_placement: bool = False
    relief_eligible: bool = False
    # A registered membership's own programmes (billing); None = derive from the employer's scale.
    programmes: tuple[str, ...] | None = None

    @property
    def period(self) -> str:
        return str(Period(self.year, self.month))

    @property
    def as_of(self) -> date:
        return Period(self.year, self.month).last_day


@dataclass
class Line:
    program: str
    base: Decimal | None
    rate: Decimal | None  # percent actually applied
    employer: Decimal = ZERO
    worker: Decimal = ZERO
    government: Decimal = ZERO
    deferred: Decimal = ZERO
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "program": self.program,
            "base": _text(self.base),
            "rate": _rate(self.rate),
            "employer": _text(self.employer),
            "worker": _text(self.worker),
            "government": _text(self.government),
            "deferred": _text(self.deferred),
            "note": self.note,
            "detail": dict(self.extra),
        }
        return out


@dataclass
class ContributionResult:
    segment: str
    period: str
    lines: list[Line]
    due_date: date | None
    legal_basis: list[str]
    late_fee_rate: Decimal

    @property
    def employer_total(self) -> Decimal:
        return sum((line.employer for line in self.lines), ZERO)

    @property
    def worker_total(self) -> Decimal:
        return sum((line.worker for line in self.lines), ZERO)

    @property
    def government_total(self) -> Decimal:
        return sum((line.government for line in self.lines), ZERO)

    @property
    def deferred_total(self) -> Decimal:
        return sum((line.deferred for line in self.lines), ZERO)

    @property
    def total_due(self) -> Decimal:
        """What the payer remits for the period: employer and worker shares (the government pays its own)."""
        return self.employer_total + self.worker_total

    def as_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "period": self.period,
            "lines": [line.as_dict() for line in self.lines],
            "employer_total": _text(self.employer_total),
            "worker_total": _text(self.worker_total),
            "government_total": _text(self.government_total),
            "deferred_total": _text(self.deferred_total),
            "total_due": _text(self.total_due),
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "late_fee_rate_per_month": _rate(self.late_fee_rate),
            "legal_basis": self.legal_basis,
        }


def _text(amount: Decimal | None) -> str | None:
    """Whole rupiah as a plain string ("1000000"), never exponent notation or a float."""
    if amount is None:
        return None
    return str(int(amount)) if amount == amount.to_integral_value() else format(amount, "f")


def _rate(rate: Decimal | None) -> str | None:
    if rate is None:
        return None
    return format(rate.normalize(), "f")


# -- input -----------------------------------------------------------------------------------------


def _decimal(data: dict[str, Any], name: str, problems: list[Problem]) -> Decimal | None:
    raw = data.get(name)
    if raw is None or raw == "":
        return None
    if isinstance(raw, (bool, float)):
        problems.append(
            Problem(f"{name}_invalid", f"{_LABELS[name]} harus angka rupiah tertulis (bukan pecahan biner).", name)
        )
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        problems.append(Problem(f"{name}_invalid", f"{_LABELS[name]} harus berupa angka.", name))
        return None
    if not value.is_finite() or value < 0:
        problems.append(Problem(f"{name}_invalid", f"{_LABELS[name]} harus angka tidak negatif.", name))
        return None
    if value > Decimal("1e15"):
        problems.append(Problem(f"{name}_invalid", f"{_LABELS[name]} terlalu besar.", name))
        return None
    return value


def _bool(data: dict[str, Any], name: str, problems: list[Problem]) -> bool:
    raw = data.get(name, False)
    if raw in (None, ""):
        return False
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in ("true", "false", "1", "0", "ya", "tidak", "on", "off"):
        return raw.lower() in ("true", "1", "ya", "on")
    problems.append(Problem(f"{name}_invalid", f"{_LABELS[name]} harus true atau false.", name))
    return False


def _int(data: dict[str, Any], name: str, problems: list[Problem]) -> int | None:
    raw = data.get(name)
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        problems.append(Problem(f"{name}_invalid", f"{_LABELS[name]} harus bilangan bulat.", name))
        return None
    try:
        return int(str(raw).strip())
    except ValueError:
        problems.append(Problem(f"{name}_invalid", f"{_LABELS[name]} harus bilangan bulat.", name))
        return None


@dataclass(frozen=True)
class Field:
    """One input of the calculator, described once: the label people read in messages, its JSON
    kind and bounds for the OpenAPI schema, and what a page's box holds (``amount``: rupiah as
    people type them; ``flag``: a tick box)."""

    label: str
    kind: str  # string | amount | integer | flag
    schema: dict[str, Any]


INPUT_FIELDS: dict[str, Field] = {
    "segment": Field("Segmen", "string", {"enum": list(SEGMENTS)}),
    "period": Field("Periode", "string", {"pattern": r"^\d{4}-\d{2}$", "example": "2025-03"}),
    "wage": Field("Upah", "amount", {"description": "upah sebulan (PU; JAKON bila upah diketahui)"}),
    "jkk_risk_group": Field("Kelompok risiko JKK", "integer", {"minimum": 1, "maximum": 5}),
    "employer_scale": Field("Skala usaha", "string", {"enum": list(SCALES), "default": "large"}),
    "declared_income": Field("Penghasilan yang dilaporkan", "amount", {"description": "penghasilan dilaporkan (BPU)"}),
    "include_jht": Field("Ikut JHT", "flag", {"default": False}),
    "contract_value": Field("Nilai kontrak", "amount", {"description": "nilai kontrak (JAKON tanpa upah)"}),
    "contract_months": Field("Lama kontrak (bulan)", "integer", {"minimum": 1, "maximum": 120}),
    "pre_placement": Field("Perlindungan sebelum bekerja", "flag", {"default": False}),
    "relief_eligible": Field("Memenuhi syarat keringanan PP 7/2025", "flag", {"default": False}),
}
REQUIRED_FIELDS = ("segment", "period")
_LABELS = {name: spec.label for name, spec in INPUT_FIELDS.items()}
_JSON_TYPES = {"string": "string", "amount": ["integer", "string"], "integer": "integer", "flag": "boolean"}


def input_schema() -> dict[str, Any]:
    """The JSON Schema of what ``parse_input`` reads, for the API's OpenAPI description."""
    return {
        "type": "object",
        "required": list(REQUIRED_FIELDS),
        "additionalProperties": False,
        "properties": {name: {"type": _JSON_TYPES[spec.kind], **spec.schema} for name, spec in INPUT_FIELDS.items()},
    }


_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_input(data: dict[str, Any]) -> tuple[ContributionInput | None, list[Problem]]:
    """Read the calculator's JSON input; every problem is reported at once."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return None, [Problem("input_invalid", "Masukan harus berupa objek JSON.", None)]
    unknown = sorted(set(data) - set(_LABELS))
    for name in unknown:
        problems.append(Problem("field_unknown", f"Kolom '{name}' tidak dikenal.", name))
    segment = str(data.get("segment") or "").strip().upper()
    if not segment:
        problems.append(Problem("segment_required", "Segmen wajib diisi (PU, BPU, JAKON atau PMI).", "segment"))
    elif segment not in SEGMENTS:
        problems.append(Problem("segment_invalid", "Segmen harus PU, BPU, JAKON atau PMI.", "segment"))
    period = str(data.get("period") or "").strip()
    match = _PERIOD.match(period)
    year = month = 0
    if not period:
        problems.append(Problem("period_required", "Periode wajib diisi (format TTTT-BB).", "period"))
    elif not match or not 1 <= int(match.group(2)) <= 12:
        problems.append(Problem("period_invalid", "Periode harus berformat TTTT-BB, misalnya 2025-03.", "period"))
    else:
        year, month = int(match.group(1)), int(match.group(2))
    wage = _decimal(data, "wage", problems)
    income = _decimal(data, "declared_income", problems)
    contract_value = _decimal(data, "contract_value", problems)
    risk = _int(data, "jkk_risk_group", problems)
    months = _int(data, "contract_months", problems)
    include_jht = _bool(data, "include_jht", problems)
    pre_placement = _bool(data, "pre_placement", problems)
    relief = _bool(data, "relief_eligible", problems)
    scale = str(data.get("employer_scale") or "large").strip().lower()
    if scale not in SCALES:
        problems.append(
            Problem("employer_scale_invalid", "Skala usaha harus large, medium, small atau micro.", "employer_scale")
        )
    if segment == "PU":
        if wage is None and "wage_invalid" not in {p.code for p in problems}:
            problems.append(Problem("wage_required", "Upah wajib diisi untuk peserta penerima upah.", "wage"))
        elif wage is not None and wage == 0:
            problems.append(Problem("wage_invalid", "Upah harus lebih dari nol.", "wage"))
        if risk is None and "jkk_risk_group_invalid" not in {p.code for p in problems}:
            problems.append(
                Problem("jkk_risk_group_required", "Kelompok risiko JKK (1–5) wajib diisi.", "jkk_risk_group")
            )
    if risk is not None and not 1 <= risk <= 5:
        problems.append(Problem("jkk_risk_group_invalid", "Kelompok risiko JKK harus 1 sampai 5.", "jkk_risk_group"))
    if segment == "BPU" and income is None and "declared_income_invalid" not in {p.code for p in problems}:
        problems.append(
            Problem(
                "declared_income_required",
                "Penghasilan yang dilaporkan wajib diisi untuk peserta bukan penerima upah.",
                "declared_income",
            )
        )
    if segment == "JAKON":
        if wage is None and contract_value is None:
            problems.append(
                Problem(
                    "jakon_basis_required",
                    "Isi upah (bila upah pekerja diketahui) atau nilai kontrak proyek.",
                    "contract_value",
                )
            )
        elif wage is not None and contract_value is not None:
            problems.append(
                Problem("jakon_basis_ambiguous", "Isi upah atau nilai kontrak, tidak keduanya.", "contract_value")
            )
    if segment == "PMI":
        if months is None and "contract_months_invalid" not in {p.code for p in problems}:
            problems.append(
                Problem(
                    "contract_months_required", "Lama kontrak kerja (bulan) wajib diisi untuk PMI.", "contract_months"
                )
            )
        elif months is not None and not 1 <= months <= 120:
            problems.append(
                Problem("contract_months_invalid", "Lama kontrak harus 1 sampai 120 bulan.", "contract_months")
            )
    if problems:
        return None, problems
    return (
        ContributionInput(
            segment=segment,
            year=year,
            month=month,
            wage=wage,
            jkk_risk_group=risk,
            employer_scale=scale,
            declared_income=income,
            include_jht=include_jht,
            contract_value=contract_value,
            contract_months=months,
            pre_placement=pre_placement,
            relief_eligible=relief,
        ),
        [],
    )


# -- the law ---------------------------------------------------------------------------------------


def _pct(base: Decimal, rate: Decimal) -> Decimal:
    """``rate`` percent of ``base``, rounded to the rupiah (the one rounding step, see module note)."""
    return to_rupiah(base * rate / HUNDRED)


def _working_day_on_or_after(day: date, holidays: frozenset[date]) -> date:
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def _working_day_on_or_before(day: date, holidays: frozenset[date]) -> date:
    while day.weekday() >= 5 or day in holidays:
        day -= timedelta(days=1)
    return day


def due_date(segment: str, year: int, month: int, params: ParameterSet, holidays: frozenset[date]) -> date | None:
    """PU, JAKON: the 15th of the following month; BPU: the 15th of the same month; next working day
    if that is not one (regulation.md §1.4, §1.7). PP 49/2020 Pasal 3(2)a: the 30th of the following
    month, or the working day before it. PMI packages are paid at once before placement: no monthly date.
    """
    if segment == "PMI":
        return None
    following = Period(year, month) + 1
    if segment == "BPU":
        return _working_day_on_or_after(Period(year, month).day(int(params.get("due.bpu.day"))), holidays)
    if params.has("relief.pp49.due_day"):
        return _working_day_on_or_before(following.day(int(params.get("relief.pp49.due_day"))), holidays)
    return _working_day_on_or_after(following.day(int(params.get("due.pu.day"))), holidays)


def calculate(
    data: ContributionInput, params: ParameterSet, holidays: frozenset[date] = frozenset()
) -> ContributionResult:
    """Contributions for one participant and one month. ``params`` must be in force on ``data.as_of``."""
    basis: list[str] = []

    def cite(key: str) -> None:
        text = params.basis(key)
        if text and text not in basis:
            basis.append(text)

    if not params.has("jkm.rate"):
        raise ValidationFailed(
            [
                Problem(
                    "period_out_of_range",
                    "Belum ada tarif iuran untuk periode ini (program mulai Juli 2015).",
                    "period",
                )
            ]
        )
    # PP 49/2020 Pasal 3(2)b: JKK and JKM at 1 % of the normal contribution, Aug 2020 – Jan 2021.
    pp49 = Decimal(1)
    if params.has("relief.pp49.jkk_jkm_factor"):
        pp49 = params.get("relief.pp49.jkk_jkm_factor")
        cite("relief.pp49.jkk_jkm_factor")
    lines: list[Line]
    if data.segment == "PU":
        lines = _wage_earner(data, params, pp49, cite)
    elif data.segment == "BPU":
        lines = _self_employed(data, params, pp49, cite)
    elif data.segment == "JAKON":
        lines = _construction(data, params, pp49, cite)
    else:
        lines = _migrant(data, params, cite)
    late_fee = params.get("late_fee.rate")
    cite("late_fee.rate")
    if params.has("relief.pp49.late_fee_rate"):
        late_fee = params.get("relief.pp49.late_fee_rate")
        cite("relief.pp49.late_fee_rate")
    return ContributionResult(
        segment=data.segment,
        period=data.period,
        lines=lines,
        due_date=due_date(data.segment, data.year, data.month, params, holidays),
        legal_basis=basis,
        late_fee_rate=late_fee,
    )


def programmes_for_scale(scale: str, params: ParameterSet) -> list[str]:
    """Perpres 109/2013 Pasal 6: large and medium JKK, JKM, JHT, JP; small JKK, JKM, JHT; micro JKK, JKM.
    JKP (PP 37/2021 Pasal 4, regulation.md §2.6) follows for those in JHT as well as JKK and JKM."""
    programmes = ["JKK", "JKM"]
    for programme in ("JHT", "JP"):
        if params.get(f"obligation.{scale}.{programme}") == 1:
            programmes.append(programme)
    if "JHT" in programmes and params.has("jkp.rate.government"):
        programmes.append("JKP")
    return programmes


def _wage_earner(data: ContributionInput, params: ParameterSet, pp49: Decimal, cite: Any) -> list[Line]:
    assert data.wage is not None and data.jkk_risk_group is not None
    wage = data.wage
    if data.programmes is None:
        programmes = programmes_for_scale(data.employer_scale, params)
        cite(f"obligation.{data.employer_scale}.JP")
    else:
        programmes = [p for p in data.programmes if p != "JKP" or params.has("jkp.rate.government")]
    lines: list[Line] = []
    # JKK: PP 44/2015 Pasal 16(1) by risk group, all paid by the employer.
    jkk_rate = params.get(f"jkk.rate.{data.jkk_risk_group}") * pp49
    cite(f"jkk.rate.{data.jkk_risk_group}")
    note = ""
    if data.relief_eligible and params.has("relief.pp7.jkk_factor"):
        jkk_rate *= params.get("relief.pp7.jkk_factor")
        cite("relief.pp7.jkk_factor")
        note = "keringanan 50% JKK (PP 7/2025)"
    elif data.relief_eligible:
        note = "keringanan PP 7/2025 tidak berlaku pada periode ini"
    lines.append(Line("JKK", wage, jkk_rate, employer=_pct(wage, jkk_rate), note=note))
    # JKM: PP 44/2015 Pasal 18(1), employer.
    jkm_rate = params.get("jkm.rate") * pp49
    cite("jkm.rate")
    lines.append(Line("JKM", wage, jkm_rate, employer=_pct(wage, jkm_rate)))
    if "JHT" in programmes:
        # JHT: PP 46/2015 Pasal 16(1), 3.7 % employer and 2 % worker, no cap, no PP 49/2020 discount.
        employer_rate, worker_rate = params.get("jht.rate.employer"), params.get("jht.rate.worker")
        cite("jht.rate.employer")
        lines.append(
            Line(
                "JHT",
                wage,
                employer_rate + worker_rate,
                employer=_pct(wage, employer_rate),
                worker=_pct(wage, worker_rate),
            )
        )
    if "JP" in programmes:
        # JP: PP 45/2015 Pasal 28(3) 2 % + 1 % of the wage up to the cap of Pasal 29.
        cap = params.get("jp.wage_cap")
        cite("jp.wage_cap")
        base = min(wage, cap)
        employer_rate, worker_rate = params.get("jp.rate.employer"), params.get("jp.rate.worker")
        cite("jp.rate.employer")
        employer, worker = _pct(base, employer_rate), _pct(base, worker_rate)
        deferred = ZERO
        if params.has("relief.pp49.jp_deferred"):
            # PP 49/2020 Pasal 3(2)c: 99 % of JP deferred; each party pays 1 % of its share now.
            share_now = Decimal(1) - params.get("relief.pp49.jp_deferred")
            cite("relief.pp49.jp_deferred")
            paid_employer, paid_worker = to_rupiah(employer * share_now), to_rupiah(worker * share_now)
            deferred = employer - paid_employer + worker - paid_worker
            employer, worker = paid_employer, paid_worker
        lines.append(
            Line(
                "JP",
                base,
                employer_rate + worker_rate,
                employer=employer,
                worker=worker,
                deferred=deferred,
                extra={"wage_cap": _text(cap) or ""},
            )
        )
    if "JKP" in programmes:
        # JKP: PP 37/2021 Pasal 11 (0.46 % = 0.22 government + 0.14 from JKK + 0.10 from JKM), PP 6/2025
        # (0.36 %: JKM recomposition dropped [U]), on the wage up to Rp5,000,000. The employer pays
        # nothing more: the recomposed part is inside the JKK and JKM lines above.
        cap = params.get("jkp.wage_cap")
        base = min(wage, cap)
        government_rate = params.get("jkp.rate.government")
        recomposed_rate = params.get("jkp.rate.recomposed_jkk") + params.get("jkp.rate.recomposed_jkm")
        cite("jkp.rate.government")
        cite("jkp.rate.recomposed_jkm")
        lines.append(
            Line(
                "JKP",
                base,
                government_rate + recomposed_rate,
                government=_pct(base, government_rate),
                note="bagian rekomposisi sudah termasuk dalam iuran JKK/JKM",
                extra={"recomposed": str(_pct(base, recomposed_rate))},
            )
        )
    return lines


def _self_employed(data: ContributionInput, params: ParameterSet, pp49: Decimal, cite: Any) -> list[Line]:
    assert data.declared_income is not None
    income = data.declared_income
    low, high = params.get("bpu.income.min"), params.get("bpu.income.max")
    if not low <= income <= high:
        raise ValidationFailed(
            [
                Problem(
                    "declared_income_out_of_bounds",
                    f"Penghasilan yang dilaporkan harus antara Rp{int(low):,} dan Rp{int(high):,}.".replace(",", "."),
                    "declared_income",
                )
            ]
        )
    # BPU: JKK 1 % of declared income, JKM flat Rp6,800, JHT 2 % if chosen; the participant pays all.
    jkk_rate = params.get("bpu.jkk.rate") * pp49
    cite("bpu.jkk.rate")
    cite("bpu.income.max")
    lines = [Line("JKK", income, jkk_rate, worker=_pct(income, jkk_rate))]
    jkm = to_rupiah(params.get("bpu.jkm.amount") * pp49)
    cite("bpu.jkm.amount")
    lines.append(Line("JKM", None, None, worker=jkm, note="iuran tetap per bulan"))
    if data.include_jht:
        rate = params.get("bpu.jht.rate")
        cite("bpu.jht.rate")
        lines.append(Line("JHT", income, rate, worker=_pct(income, rate)))
    return lines


def _construction(data: ContributionInput, params: ParameterSet, pp49: Decimal, cite: Any) -> list[Line]:
    if data.wage is not None:
        # Wages known: JKK 1.74 % + JKM 0.30 % = 2.04 % of wage (Perdir BPJS 22/2022), employer.
        jkk_rate = params.get("jakon.wage.jkk_rate") * pp49
        jkm_rate = params.get("jakon.wage.jkm_rate") * pp49
        cite("jakon.wage.jkk_rate")
        return [
            Line("JKK", data.wage, jkk_rate, employer=_pct(data.wage, jkk_rate)),
            Line("JKM", data.wage, jkm_rate, employer=_pct(data.wage, jkm_rate)),
        ]
    assert data.contract_value is not None
    # Wages unknown: marginal brackets on the contract value; each rate applies only to the part of
    # the value inside its bracket (regulation.md §1.5).
    lines: list[Line] = []
    lower = ZERO
    value = data.contract_value
    bracket = 1
    cite("jakon.contract.1.jkk_rate")
    while params.has(f"jakon.contract.{bracket}.jkk_rate") and value > lower:
        upper = params.get(f"jakon.contract.{bracket}.upper") if params.has(f"jakon.contract.{bracket}.upper") else None
        portion = (min(value, upper) if upper is not None else value) - lower
        for programme in ("JKK", "JKM"):
            rate = params.get(f"jakon.contract.{bracket}.{programme.lower()}_rate") * pp49
            lines.append(
                Line(
                    programme,
                    portion,
                    rate,
                    employer=_pct(portion, rate),
                    extra={
                        "bracket": str(bracket),
                        "bracket_from": str(lower),
                        "bracket_to": str(upper) if upper else "",
                    },
                )
            )
        if upper is None:
            break
        lower = upper
        bracket += 1
    return lines


def _migrant(data: ContributionInput, params: ParameterSet, cite: Any) -> list[Line]:
    assert data.contract_months is not None
    if not params.has("pmi.package.24"):
        raise ValidationFailed(
            [Problem("period_out_of_range", "Paket iuran PMI untuk periode ini belum tersedia.", "period")]
        )
    cite("pmi.package.24")
    lines: list[Line] = []
    if data.pre_placement:
        lines.append(Line("JKK+JKM", None, None, worker=params.get("pmi.pre_placement"), note="sebelum bekerja"))
    # Permenaker 4/2023 Pasal 18: the package for the contract's length; a contract longer than 24
    # months adds Rp13,500 a month, paid at once. Which package a contract between two package
    # lengths takes is not in the sources: Paritrana takes the shortest package that covers it [U].
    months = data.contract_months
    package = next((p for p in PMI_PACKAGES if months <= p), PMI_PACKAGES[-1])
    amount = params.get(f"pmi.package.{package}")
    extra_months = max(0, months - package)
    lines.append(
        Line(
            "JKK+JKM",
            None,
            None,
            worker=amount,
            note=f"selama dan setelah bekerja, paket {package} bulan",
            extra={"package_months": str(package)},
        )
    )
    if extra_months:
        per_month = params.get("pmi.extra_month")
        lines.append(
            Line(
                "JKK+JKM",
                None,
                None,
                worker=to_rupiah(per_month * extra_months),
                note=f"tambahan {extra_months} bulan × Rp{int(per_month):,}".replace(",", "."),
                extra={"extra_months": str(extra_months)},
            )
        )
    return lines


BILLING_COLUMNS = (
    "jkk_employer",
    "jkk_worker",
    "jkm_employer",
    "jkm_worker",
    "jht_employer",
    "jht_worker",
    "jp_employer",
    "jp_worker",
    "jp_deferred",
    "jkp_government",
    "jkp_recomposed",
    "package_worker",
)


def billing_columns(result: ContributionResult) -> dict[str, Decimal]:
    """A result as one contribution line row (models.ContributionLine): one column per programme and party."""
    out = {name: ZERO for name in BILLING_COLUMNS}
    for item in result.lines:
        if item.program == "JKP":
            out["jkp_government"] += item.government
            out["jkp_recomposed"] += Decimal(item.extra.get("recomposed", "0"))
        elif item.program == "JKK+JKM":
            out["package_worker"] += item.worker
        else:
            key = item.program.lower()
            out[f"{key}_employer"] += item.employer
            out[f"{key}_worker"] += item.worker
            if item.program == "JP":
                out["jp_deferred"] += item.deferred
    return out


def bpu_billing_income(declared_income: Decimal, params: ParameterSet) -> Decimal:
    """Billing a registered BPU membership whose declared income lies outside the bounds uses the
    nearest bound (the registration checks should have refused it; billing must still bill) [U]."""
    return min(max(declared_income, params.get("bpu.income.min")), params.get("bpu.income.max"))
