"""Benefit law as pure functions: what a participant or their heirs receive, and why not (issue 4).

Every amount comes from a dated parameter row (benefits/data/parameters.csv) in force on the event
date, and every component names its legal basis; rows marked [U] in regulation.md say "belum pasti".
Conditions are checked all at once: a refusal lists every unmet condition with a stable code and an
Indonesian message. Amounts are whole rupiah, rounded once per component, half up (core.money).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from paritrana.contributions.rules.params import ParameterSet
from paritrana.core.errors import Problem
from paritrana.core.money import format_rupiah, to_rupiah

BENEFITS = (
    "JKM",
    "JKK_DEATH",
    "JKK_TOTAL_DISABILITY",
    "JKK_PARTIAL_DISABILITY",
    "JKK_STMB",
    "JHT",
    "JP_OLD_AGE",
    "JKP",
    "SCHOLARSHIP",
)
LEVELS = ("TK", "SD", "SMP", "SMA", "PT")
JHT_REASONS = ("retirement", "resignation", "dismissal", "death", "total_disability", "leaving_indonesia")
JHT_PARTIAL = ("partial_retirement", "partial_housing")
HUNDRED = Decimal(100)

# What each benefit reads; anything else in the input is ignored.
REQUIRED: dict[str, tuple[str, ...]] = {
    "JKM": ("membership_months",),
    "JKK_DEATH": ("wage",),
    "JKK_TOTAL_DISABILITY": ("wage",),
    "JKK_PARTIAL_DISABILITY": ("wage", "disability_percent"),
    "JKK_STMB": ("wage", "stmb_months"),
    "JHT": ("birth_date", "jht_balance"),
    "JP_OLD_AGE": ("birth_date", "contribution_months", "avg_indexed_annual_wage"),
    "JKP": ("wage", "contribution_months_last_24", "consecutive_months"),
    "SCHOLARSHIP": ("children",),
}


@dataclass(frozen=True)
class Child:
    education_level: str | None  # None: not yet at school (the scholarship starts when the child enrols)


@dataclass(frozen=True)
class BenefitInput:
    benefit: str
    event_date: date
    birth_date: date | None = None
    wage: Decimal | None = None
    membership_months: int | None = None
    contribution_months: int | None = None
    consecutive_months: int | None = None
    contribution_months_last_24: int | None = None
    avg_indexed_annual_wage: Decimal | None = None
    disability_percent: Decimal | None = None
    stmb_months: int | None = None
    jht_balance: Decimal | None = None
    children: tuple[Child, ...] = ()
    reason: str | None = None  # JHT: why it is claimed (JHT_REASONS + JHT_PARTIAL)
    separation_date: date | None = None  # JHT after resigning or dismissal; JKP: the PHK date
    claim_date: date | None = None  # JKP: when the claim is made (default: the event date)
    cause: str = "JKM"  # SCHOLARSHIP: the death or disability came under JKM or JKK


@dataclass
class Component:
    name: str
    amount: Decimal
    legal_basis: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "amount": str(self.amount), "legal_basis": self.legal_basis}


@dataclass
class BenefitResult:
    benefit: str
    event_date: date
    unmet: list[Problem] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.unmet

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.components), Decimal(0)) if self.eligible else Decimal(0)

    def as_dict(self) -> dict[str, Any]:
        basis = list(dict.fromkeys(c.legal_basis for c in self.components))
        return {
            "benefit": self.benefit,
            "event_date": self.event_date.isoformat(),
            "eligible": self.eligible,
            "unmet": [{"code": p.code, "message": p.message} for p in self.unmet],
            "components": [c.as_dict() for c in self.components] if self.eligible else [],
            "total": str(self.total),
            "legal_basis": basis,
            "notes": self.notes,
        }


# -- input -----------------------------------------------------------------------------------------


def _date(value: Any, name: str, problems: list[Problem]) -> date | None:
    if value is None:
        return None
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(Problem("date_invalid", f"{name} harus tanggal yang sah berformat TTTT-BB-HH.", name))
    return None


def _amount(value: Any, name: str, problems: list[Problem], *, upper: Decimal | None = None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        problems.append(Problem("amount_invalid", f"{name} harus berupa angka.", name))
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        problems.append(Problem("amount_invalid", f"{name} harus berupa angka.", name))
        return None
    if not amount.is_finite() or amount < 0 or (upper is not None and amount > upper):
        limit = f" dan paling banyak {upper}" if upper is not None else ""
        problems.append(Problem("amount_out_of_range", f"{name} harus 0 atau lebih{limit}.", name))
        return None
    return amount


def _count(value: Any, name: str, problems: list[Problem]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 1200:
        problems.append(Problem("months_invalid", f"{name} harus bilangan bulat 0–1200.", name))
        return None
    return value


def parse_input(payload: Any) -> tuple[BenefitInput | None, list[Problem]]:
    """The calculator's input, or every problem with it at once (codes stable, messages Indonesian)."""
    if not isinstance(payload, dict):
        return None, [Problem("json_not_object", "Masukan harus objek JSON.", None)]
    problems: list[Problem] = []
    benefit = payload.get("benefit")
    if benefit not in BENEFITS:
        problems.append(
            Problem("benefit_unknown", "benefit harus salah satu dari: " + ", ".join(BENEFITS) + ".", "benefit")
        )
    event_date = _date(payload.get("event_date"), "event_date", problems)
    if payload.get("event_date") is None:
        problems.append(Problem("field_required", "event_date wajib diisi.", "event_date"))
    children: list[Child] = []
    raw_children = payload.get("children")
    if raw_children is not None:
        if not isinstance(raw_children, list):
            problems.append(Problem("children_invalid", "children harus daftar.", "children"))
        else:
            for i, child in enumerate(raw_children):
                level = child.get("education_level") if isinstance(child, dict) else "?"
                if level is not None and level not in LEVELS:
                    problems.append(
                        Problem(
                            "education_level_unknown",
                            f"children[{i}].education_level harus salah satu dari: {', '.join(LEVELS)} (atau null).",
                            f"children[{i}].education_level",
                        )
                    )
                else:
                    children.append(Child(level))
    reason = payload.get("reason")
    if reason is not None and reason not in JHT_REASONS + JHT_PARTIAL:
        problems.append(
            Problem(
                "reason_unknown",
                "reason harus salah satu dari: " + ", ".join(JHT_REASONS + JHT_PARTIAL) + ".",
                "reason",
            )
        )
    cause = payload.get("cause", "JKM")
    if cause not in ("JKM", "JKK"):
        problems.append(Problem("cause_unknown", "cause harus JKM atau JKK.", "cause"))
    data: dict[str, Any] = {
        "birth_date": _date(payload.get("birth_date"), "birth_date", problems),
        "wage": _amount(payload.get("wage"), "wage", problems),
        "membership_months": _count(payload.get("membership_months"), "membership_months", problems),
        "contribution_months": _count(payload.get("contribution_months"), "contribution_months", problems),
        "consecutive_months": _count(payload.get("consecutive_months"), "consecutive_months", problems),
        "contribution_months_last_24": _count(
            payload.get("contribution_months_last_24"), "contribution_months_last_24", problems
        ),
        "avg_indexed_annual_wage": _amount(payload.get("avg_indexed_annual_wage"), "avg_indexed_annual_wage", problems),
        "disability_percent": _amount(payload.get("disability_percent"), "disability_percent", problems, upper=HUNDRED),
        "stmb_months": _count(payload.get("stmb_months"), "stmb_months", problems),
        "jht_balance": _amount(payload.get("jht_balance"), "jht_balance", problems),
        "separation_date": _date(payload.get("separation_date"), "separation_date", problems),
        "claim_date": _date(payload.get("claim_date"), "claim_date", problems),
    }
    if benefit in REQUIRED:
        for name in REQUIRED[benefit]:
            if payload.get(name) is None:
                problems.append(Problem("field_required", f"{name} wajib diisi untuk manfaat {benefit}.", name))
    if problems or event_date is None or benefit not in BENEFITS:
        return None, problems
    return BenefitInput(
        benefit=benefit, event_date=event_date, children=tuple(children), reason=reason, cause=cause, **data
    ), []


# -- helpers ---------------------------------------------------------------------------------------


def _component(params: ParameterSet, name: str, amount: Decimal, key: str) -> Component:
    return Component(name, to_rupiah(amount), params.basis(key))


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _birthday(birth: date, age: int) -> date:
    year = birth.year + age
    # Someone born on 29 February has their birthday on 28 February in other years.
    return (
        date(year, birth.month, min(birth.day, 28)) if (birth.month, birth.day) == (2, 29) else birth.replace(year=year)
    )


def pension_date(birth: date, age_in_force: Any) -> date:
    """The first birthday on which the participant is as old as the pension age in force that day
    (PP 45/2015 Pasal 15: 56, then 57 from 2019 and one year more every three years up to 65).
    ``age_in_force(day)`` gives the pension age on a date."""
    age = 56
    while True:
        day = _birthday(birth, age)
        if age >= age_in_force(day):
            return day
        age += 1


def _months_between(start: date, end: date) -> int:
    """Whole months from start to end (a month counts once its day of the month is reached)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day)


# -- the benefits ----------------------------------------------------------------------------------


def calculate(data: BenefitInput, params: ParameterSet, params_on: Any = None) -> BenefitResult:
    """The benefit ``data`` asks for under the rows in ``params`` (in force on the event date).

    ``params_on(day)`` gives the rows in force on another date (the pension age on a future birthday);
    without it, the event date's rows are used for every date."""
    result = BenefitResult(data.benefit, data.event_date)
    handler = _HANDLERS[data.benefit]
    handler(data, params, params_on or (lambda day: params), result)
    uncertain = [c.name for c in result.components if "belum pasti" in c.legal_basis]
    if uncertain:
        result.notes.append("Komponen dengan dasar hukum belum pasti: " + ", ".join(uncertain) + ".")
    return result


def _need(params: ParameterSet, result: BenefitResult, *keys: str) -> bool:
    missing = [k for k in keys if not params.has(k)]
    if missing:
        result.unmet.append(
            Problem(
                "law_not_in_force",
                f"Belum ada aturan manfaat yang berlaku pada {result.event_date:%d/%m/%Y} ({', '.join(missing)}).",
            )
        )
    return not missing


def _jkm(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # PP 44/2015 Pasal 53 as amended by PP 82/2019: lump sum, periodic benefit paid at once, funeral.
    if not _need(params, result, "jkm.lump_sum", "jkm.periodic", "jkm.funeral"):
        return
    if (data.membership_months or 0) < 1:
        result.unmet.append(Problem("not_covered", "Peserta tidak tercatat sebagai peserta JKM pada tanggal kematian."))
    result.components += [
        _component(params, "Santunan kematian sekaligus", params.get("jkm.lump_sum"), "jkm.lump_sum"),
        _component(
            params, "Santunan berkala (24 bulan, dibayar sekaligus)", params.get("jkm.periodic"), "jkm.periodic"
        ),
        _component(params, "Biaya pemakaman", params.get("jkm.funeral"), "jkm.funeral"),
    ]
    minimum = params.get("jkm.scholarship_min_membership_months", Decimal(36))
    if (data.membership_months or 0) >= minimum:
        result.notes.append("Anak berhak atas beasiswa (hitung dengan benefit SCHOLARSHIP).")
    else:
        result.notes.append(f"Beasiswa JKM memerlukan kepesertaan paling sedikit {minimum} bulan.")


def _jkk_periodic_and_funeral(params: ParameterSet, result: BenefitResult, *, funeral: bool) -> None:
    if params.has("jkk.periodic"):
        result.components.append(
            _component(
                params, "Santunan berkala (24 bulan, dibayar sekaligus)", params.get("jkk.periodic"), "jkk.periodic"
            )
        )
    if funeral:
        result.components.append(_component(params, "Biaya pemakaman", params.get("jkk.funeral"), "jkk.funeral"))


def _jkk_death(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # 60 % × 80 × the monthly wage = 48 × wage, but no less than the JKM death benefit (regulation.md §2.3).
    if not _need(params, result, "jkk.death_multiplier", "jkk.funeral"):
        return
    assert data.wage is not None
    amount = data.wage * params.get("jkk.death_multiplier")
    floor = params.get("jkk.death_minimum", Decimal(0))
    name = f"Santunan kematian ({params.get('jkk.death_multiplier')} × upah)"
    if amount < floor:
        amount, name = floor, "Santunan kematian (paling sedikit santunan kematian JKM)"
        result.components.append(_component(params, name, amount, "jkk.death_minimum"))
    else:
        result.components.append(_component(params, name, amount, "jkk.death_multiplier"))
    _jkk_periodic_and_funeral(params, result, funeral=True)


def _jkk_total_disability(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # Permanent total disability: 70 % × 80 × wage = 56 × wage, plus the periodic benefit.
    if not _need(params, result, "jkk.total_disability_multiplier"):
        return
    assert data.wage is not None
    factor = params.get("jkk.total_disability_multiplier")
    result.components.append(
        _component(
            params,
            f"Santunan cacat total tetap ({factor} × upah)",
            data.wage * factor,
            "jkk.total_disability_multiplier",
        )
    )
    _jkk_periodic_and_funeral(params, result, funeral=False)


def _jkk_partial_disability(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # Partial disability: the table's percentage × 80 × the monthly wage (PP 82/2019 Lampiran).
    if not _need(params, result, "jkk.partial_disability_multiplier"):
        return
    assert data.wage is not None and data.disability_percent is not None
    if data.disability_percent == 0:
        result.unmet.append(Problem("disability_none", "Persentase cacat 0 %: tidak ada santunan cacat."))
    factor = params.get("jkk.partial_disability_multiplier")
    amount = data.disability_percent / HUNDRED * factor * data.wage
    result.components.append(
        _component(
            params,
            f"Santunan cacat sebagian ({data.disability_percent} % × {factor} × upah)",
            amount,
            "jkk.partial_disability_multiplier",
        )
    )


def _jkk_stmb(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # Temporary inability to work: 100 % of the wage for months 1–12, then 50 % until recovery.
    if not _need(params, result, "jkk.stmb.first_rate", "jkk.stmb.first_months", "jkk.stmb.later_rate"):
        return
    assert data.wage is not None and data.stmb_months is not None
    if data.stmb_months == 0:
        result.unmet.append(Problem("stmb_none", "Tidak ada bulan tidak mampu bekerja."))
    first = int(params.get("jkk.stmb.first_months"))
    early, late = min(data.stmb_months, first), max(data.stmb_months - first, 0)
    rate1, rate2 = params.get("jkk.stmb.first_rate"), params.get("jkk.stmb.later_rate")
    if early:
        result.components.append(
            _component(
                params,
                f"STMB bulan 1–{early} ({rate1} % upah)",
                data.wage * rate1 / HUNDRED * early,
                "jkk.stmb.first_rate",
            )
        )
    if late:
        result.components.append(
            _component(
                params,
                f"STMB bulan {first + 1}–{data.stmb_months} ({rate2} % upah)",
                data.wage * rate2 / HUNDRED * late,
                "jkk.stmb.later_rate",
            )
        )


def _jht(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # PP 46/2015 as amended by PP 60/2015 Pasal 26; Permenaker 4/2022 (resignation and dismissal paid
    # after a one-month wait); partial withdrawal of 10 % or 30 % once, after 10 years of membership.
    assert data.birth_date is not None and data.jht_balance is not None
    reason = data.reason or "retirement"
    balance = data.jht_balance
    if reason in JHT_PARTIAL:
        minimum = params.get("jht.partial.min_membership_months", Decimal(120))
        if (data.membership_months or 0) < minimum:
            result.unmet.append(
                Problem(
                    "membership_too_short",
                    f"Pengambilan sebagian memerlukan kepesertaan paling sedikit {minimum} bulan.",
                )
            )
        key = "jht.partial.retirement_rate" if reason == "partial_retirement" else "jht.partial.housing_rate"
        rate = params.get(key)
        label = "persiapan pensiun" if reason == "partial_retirement" else "perumahan"
        result.components.append(
            _component(params, f"JHT sebagian untuk {label} ({rate} % saldo)", balance * rate / HUNDRED, key)
        )
        result.notes.append("Pengambilan sebagian hanya sekali selama kepesertaan.")
        return
    if reason == "retirement":
        age = params.get("jht.retirement_age", Decimal(56))
        if age_on(data.birth_date, data.event_date) < age:
            result.unmet.append(Problem("below_retirement_age", f"Usia peserta belum {age} tahun pada tanggal klaim."))
    if reason in ("resignation", "dismissal"):
        wait = int(params.get("jht.resignation_wait_months", Decimal(1)))
        if data.separation_date is None:
            result.unmet.append(
                Problem("separation_date_missing", "Tanggal berhenti bekerja (separation_date) wajib diisi.")
            )
        elif _months_between(data.separation_date, data.event_date) < wait:
            result.unmet.append(
                Problem("waiting_period", f"Klaim JHT baru dapat diajukan {wait} bulan sesudah berhenti bekerja.")
            )
    result.components.append(_component(params, "Saldo JHT dan hasil pengembangannya", balance, "jht.retirement_age"))


def _jp_old_age(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # PP 45/2015 Pasal 17(2): 1 % × years of contribution × the average indexed annual wage ÷ 12 a month,
    # within the year's minimum and maximum (Pasal 18); pension age per Pasal 15; 15 years' contributions.
    assert data.birth_date is not None and data.contribution_months is not None
    assert data.avg_indexed_annual_wage is not None
    if not _need(params, result, "jp.accrual_rate", "jp.min_months"):
        return
    due = pension_date(data.birth_date, lambda day: params_on(day).get("jp.pension_age", Decimal(56)))
    result.notes.append(f"Usia pensiun dicapai pada {due:%d/%m/%Y}.")
    if data.event_date < due:
        result.unmet.append(
            Problem(
                "below_pension_age", f"Peserta belum mencapai usia pensiun; usia pensiun dicapai pada {due:%d/%m/%Y}."
            )
        )
    minimum = int(params.get("jp.min_months"))
    if data.contribution_months < minimum:
        result.unmet.append(
            Problem(
                "contribution_months_short",
                f"Masa iur {data.contribution_months} bulan, kurang dari {minimum} bulan: iuran dan hasil "
                "pengembangannya dibayar sekaligus, bukan pensiun bulanan.",
            )
        )
    rate = params.get("jp.accrual_rate") / HUNDRED
    monthly = to_rupiah(rate * Decimal(data.contribution_months) / 12 * data.avg_indexed_annual_wage / 12)
    name = f"Manfaat pensiun hari tua per bulan (1 % × {data.contribution_months}/12 tahun × upah rata-rata sebulan)"
    key = "jp.accrual_rate"
    if params.has("jp.benefit.min") and monthly < params.get("jp.benefit.min"):
        monthly, name, key = (
            params.get("jp.benefit.min"),
            "Manfaat pensiun per bulan (dinaikkan ke paling sedikit)",
            "jp.benefit.min",
        )
    elif params.has("jp.benefit.max") and monthly > params.get("jp.benefit.max"):
        monthly, name, key = (
            params.get("jp.benefit.max"),
            "Manfaat pensiun per bulan (dibatasi paling banyak)",
            "jp.benefit.max",
        )
    elif not params.has("jp.benefit.min"):
        result.notes.append(
            f"Batas paling sedikit dan paling banyak manfaat pensiun {data.event_date.year} belum diketahui."
        )
    result.components.append(_component(params, name, monthly, key))


def _jkp(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # PP 37/2021 (45 % × 3 months, 25 % × 3 months) and PP 6/2025 Pasal 21 (60 % × 6 months) of the last
    # reported wage capped at Rp5,000,000; 12 months' contributions within 24, 6 of them consecutive
    # (PP 37/2021 Pasal 19); the claim within 3 months of the PHK, 6 under PP 6/2025.
    if not _need(params, result, "jkp.benefit.first_rate", "jkp.benefit.months", "jkp.benefit.wage_cap"):
        return
    assert data.wage is not None
    assert data.contribution_months_last_24 is not None and data.consecutive_months is not None
    need24 = int(params.get("jkp.min_months_last_24"))
    need_run = int(params.get("jkp.min_consecutive_months"))
    if data.contribution_months_last_24 < need24:
        result.unmet.append(
            Problem("contribution_months_short", f"Masa iur dalam 24 bulan terakhir kurang dari {need24} bulan.")
        )
    if data.consecutive_months < need_run:
        result.unmet.append(
            Problem("consecutive_months_short", f"Iuran tidak dibayar {need_run} bulan berturut-turut sebelum PHK.")
        )
    window = int(params.get("jkp.claim_window_months"))
    claim = data.claim_date or data.event_date
    if claim < data.event_date:
        result.unmet.append(Problem("claim_before_event", "Tanggal klaim sebelum tanggal PHK."))
    elif _months_between(data.event_date, claim) >= window:
        result.unmet.append(
            Problem(
                "claim_window_passed", f"Klaim JKP harus diajukan paling lambat {window} bulan sesudah PHK; hak gugur."
            )
        )
    base = min(data.wage, params.get("jkp.benefit.wage_cap"))
    if data.wage > base:
        result.notes.append(f"Upah dibatasi {format_rupiah(base)} untuk manfaat JKP.")
    months = int(params.get("jkp.benefit.months"))
    first = int(params.get("jkp.benefit.first_months"))
    rate1, rate2 = params.get("jkp.benefit.first_rate"), params.get("jkp.benefit.later_rate")
    for month in range(1, months + 1):
        rate, key = (rate1, "jkp.benefit.first_rate") if month <= first else (rate2, "jkp.benefit.later_rate")
        if rate:
            result.components.append(
                _component(params, f"Uang tunai bulan ke-{month} ({rate} % upah)", base * rate / HUNDRED, key)
            )


def _scholarship(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # PP 82/2019, Permenaker 5/2021: per child per year by level, at most two children, claimed yearly.
    if not _need(params, result, "scholarship.max_children", *(f"scholarship.{lv}.amount" for lv in LEVELS)):
        return
    if data.cause == "JKM":
        minimum = params.get("jkm.scholarship_min_membership_months", Decimal(36))
        if (data.membership_months or 0) < minimum:
            result.unmet.append(
                Problem("membership_too_short", f"Beasiswa JKM memerlukan kepesertaan paling sedikit {minimum} bulan.")
            )
    cap = int(params.get("scholarship.max_children"))
    if len(data.children) > cap:
        result.notes.append(
            f"Beasiswa diberikan untuk paling banyak {cap} anak; anak ke-{cap + 1} dan seterusnya tidak."
        )
    if not data.children:
        result.unmet.append(Problem("no_children", "Tidak ada anak yang didaftarkan untuk beasiswa."))
    for number, child in enumerate(data.children[:cap], start=1):
        if child.education_level is None:
            result.notes.append(f"Anak ke-{number} belum bersekolah: beasiswa dimulai saat anak masuk sekolah.")
            continue
        key = f"scholarship.{child.education_level}.amount"
        result.components.append(
            _component(
                params, f"Beasiswa anak ke-{number} ({child.education_level}) untuk tahun ini", params.get(key), key
            )
        )
        remaining = LEVELS[LEVELS.index(child.education_level) :]
        entitlement = sum(
            (params.get(f"scholarship.{lv}.amount") * params.get(f"scholarship.{lv}.years") for lv in remaining),
            Decimal(0),
        )
        result.notes.append(
            f"Anak ke-{number}: sampai lulus perguruan tinggi paling banyak {format_rupiah(entitlement)}, diklaim"
            " setiap tahun."
        )


_HANDLERS = {
    "JKM": _jkm,
    "JKK_DEATH": _jkk_death,
    "JKK_TOTAL_DISABILITY": _jkk_total_disability,
    "JKK_PARTIAL_DISABILITY": _jkk_partial_disability,
    "JKK_STMB": _jkk_stmb,
    "JHT": _jht,
    "JP_OLD_AGE": _jp_old_age,
    "JKP": _jkp,
    "SCHOLARSHIP": _scholarship,
}
