"""Benefit law as pure functions: what a participant or their heirs receive, and why not (issue 4).

Every amount comes from a dated parameter row (law/data/benefits.csv) in force on the event
date, and every component names its legal basis; rows marked [U] in regulation.md say "belum pasti".
Conditions are checked all at once: a refusal lists every unmet condition with a stable code and an
Indonesian message. Amounts are whole rupiah, rounded once per component, half up (core.money).
The claim itself is read and checked before this, by claim_input.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from paritrana.core.errors import Problem
from paritrana.core.money import format_rupiah, to_rupiah
from paritrana.core.periods import add_months, whole_months_between
from paritrana.law.rules.params import ParameterSet

from .claim_input import COST_KINDS, HUNDRED, JHT_PARTIAL, LEVELS, BenefitInput, Cost
from .disability import item_percent
from .disability import table as disability_table


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


# -- helpers ---------------------------------------------------------------------------------------


def _component(params: ParameterSet, name: str, amount: Decimal, key: str) -> Component:
    return Component(name, to_rupiah(amount), params.basis(key))


def _num(value: Decimal) -> str:
    """A parameter value as people write it: 100, not 100.000000."""
    return f"{value.normalize():f}"


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
        result.notes.append("Anak berhak atas beasiswa pendidikan; beasiswa diajukan tiap tahun ajaran.")
    else:
        result.notes.append(f"Beasiswa JKM memerlukan kepesertaan paling sedikit {_num(minimum)} bulan.")


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
    name = f"Santunan kematian ({_num(params.get('jkk.death_multiplier'))} × upah)"
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
            f"Santunan cacat total tetap ({_num(factor)} × upah)",
            data.wage * factor,
            "jkk.total_disability_multiplier",
        )
    )
    _jkk_periodic_and_funeral(params, result, funeral=False)


def _jkk_partial_disability(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # Partial disability: the table's percentage × 80 × the monthly wage (PP 82/2019 Lampiran); a
    # partial loss of function (cacat sebagian fungsi) is that share of the table's percentage.
    if not _need(params, result, "jkk.partial_disability_multiplier"):
        return
    assert data.wage is not None
    if data.disability_item is not None:
        percent = item_percent(data.disability_item, left_handed=data.left_handed)
        what = disability_table()[data.disability_item].description
        if data.left_handed and data.disability_item.startswith("arm_"):
            result.notes.append("Pekerja kidal: persentase lengan kanan dan kiri dipertukarkan (Lampiran PP 82/2019).")
    else:
        assert data.disability_percent is not None
        percent, what = data.disability_percent, "persentase tabel"
    if data.function_loss_percent is not None:
        result.notes.append(
            f"Cacat sebagian fungsi: {data.function_loss_percent} % kehilangan fungsi × {_num(percent)} % tabel."
        )
        percent = percent * data.function_loss_percent / HUNDRED
    if percent == 0:
        result.unmet.append(Problem("disability_none", "Persentase cacat 0 %: tidak ada santunan cacat."))
    factor = params.get("jkk.partial_disability_multiplier")
    result.components.append(
        _component(
            params,
            f"Santunan cacat sebagian — {what} ({_num(percent)} % × {_num(factor)} × upah)",
            percent / HUNDRED * factor * data.wage,
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
                f"STMB bulan 1–{early} ({_num(rate1)} % upah)",
                data.wage * rate1 / HUNDRED * early,
                "jkk.stmb.first_rate",
            )
        )
    if late:
        result.components.append(
            _component(
                params,
                f"STMB bulan {first + 1}–{data.stmb_months} ({_num(rate2)} % upah)",
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
            _component(params, f"JHT sebagian untuk {label} ({_num(rate)} % saldo)", balance * rate / HUNDRED, key)
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
        elif whole_months_between(data.separation_date, data.event_date) < wait:
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
    monthly = _jp_formula(params, data.contribution_months, data.avg_indexed_annual_wage)
    name = f"Manfaat pensiun hari tua per bulan (1 % × {data.contribution_months}/12 tahun × upah rata-rata sebulan)"
    result.components.append(_jp_bounded(params, result, monthly, name, "jp.accrual_rate"))


def _jp_disability(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # PP 45/2015 Pasal 16 huruf b: the disability pension of a participant in total permanent disability
    # (cacat total tetap) before pension age — once at pension age, the old-age pension is due instead.
    # Its amount is the formula of Pasal 17(2), which Pasal 17(1) gives every Manfaat Pensiun of Pasal 16,
    # within the year's bounds (Pasal 18). The conditions on membership and contribution density, and
    # whether a short masa iur counts as 15 years as for survivors (Permenaker 29/2015 Pasal 26), were
    # not obtained (regulation.md §2.5): the masa iur counts as paid, and the answer says so.
    assert data.birth_date is not None and data.contribution_months is not None
    assert data.avg_indexed_annual_wage is not None
    if not _need(params, result, "jp.accrual_rate"):
        return
    due = pension_date(data.birth_date, lambda day: params_on(day).get("jp.pension_age", Decimal(56)))
    if data.event_date >= due:
        result.unmet.append(
            Problem(
                "at_pension_age",
                f"Peserta sudah mencapai usia pensiun pada {due:%d/%m/%Y}: manfaatnya pensiun hari tua (JP_OLD_AGE).",
            )
        )
    if data.contribution_months < 1:
        result.unmet.append(Problem("no_contributions", "Tidak ada iuran JP yang dibayar."))
    result.notes.append(
        "Syarat kepesertaan dan kepadatan iuran pensiun cacat, dan apakah masa iur di bawah 15 tahun dihitung "
        "15 tahun, belum diperoleh dari sumbernya: masa iur dihitung sebagaimana dibayar [belum pasti]."
    )
    monthly = _jp_formula(params, data.contribution_months, data.avg_indexed_annual_wage)
    name = f"Manfaat pensiun cacat per bulan (1 % × {data.contribution_months}/12 tahun × upah rata-rata sebulan)"
    result.components.append(_jp_bounded(params, result, monthly, name, "jp.accrual_rate"))


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
    elif whole_months_between(data.event_date, claim) >= window:
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
                _component(params, f"Uang tunai bulan ke-{month} ({_num(rate)} % upah)", base * rate / HUNDRED, key)
            )


def _scholarship(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # PP 82/2019, Permenaker 5/2021: per child per year by level, at most two children, claimed yearly.
    if not _need(params, result, "scholarship.max_children", *(f"scholarship.{lv}.amount" for lv in LEVELS)):
        return
    if data.cause == "JKM":
        minimum = params.get("jkm.scholarship_min_membership_months", Decimal(36))
        if (data.membership_months or 0) < minimum:
            result.unmet.append(
                Problem(
                    "membership_too_short", f"Beasiswa JKM memerlukan kepesertaan paling sedikit {_num(minimum)} bulan."
                )
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


# Medical care has no ceiling and return-to-work costs are reimbursed as billed (PP 44/2015 jo. PP 82/2019,
# regulation.md §2.3); neither is a number, so their basis is named here rather than in a parameter row.
MEDICAL_BASIS = "PP 44/2015 jo. PP 82/2019 (perawatan sesuai kebutuhan medis, tanpa batas biaya)"
RTW_BASIS = "PP 82/2019 (program kembali bekerja; besaran sesuai tagihan — belum pasti)"
COST_LABELS = {
    "medical": "Perawatan dan pengobatan",
    "rehabilitation": "Rehabilitasi (alat bantu, orthose/prothese, gigi tiruan)",
    "home_care": "Perawatan di rumah (homecare)",
    "transport_land": "Pengangkutan darat, sungai atau danau",
    "transport_sea": "Pengangkutan laut",
    "transport_air": "Pengangkutan udara",
    "rtw": "Program kembali bekerja (return to work)",
}


def _cost_total(costs: tuple[Cost, ...], kind: str) -> Decimal:
    return sum((c.amount for c in costs if c.kind == kind), Decimal(0))


def _jkk_medical(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # Care according to medical need, without a cost ceiling; bills are reimbursed in full.
    for kind in COST_KINDS["JKK_MEDICAL"]:
        total = _cost_total(data.costs, kind)
        if total:
            result.components.append(Component(COST_LABELS[kind], to_rupiah(total), MEDICAL_BASIS))


def _jkk_home_care(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # PP 82/2019: home care for at most one year after the accident, at most Rp20,000,000 in all.
    if not _need(params, result, "jkk.home_care_cap", "jkk.home_care_months"):
        return
    months = int(params.get("jkk.home_care_months"))
    end = add_months(data.event_date, months)
    inside = [c for c in data.costs if c.day is None or data.event_date <= c.day < end]
    outside = [c for c in data.costs if c not in inside]
    if outside:
        result.notes.append(
            f"{len(outside)} tagihan di luar {months} bulan sejak kecelakaan (sampai {end:%d/%m/%Y}) tidak diganti."
        )
    if data.costs and not inside:
        result.unmet.append(
            Problem("home_care_period_passed", f"Perawatan di rumah hanya diganti {months} bulan sejak kecelakaan.")
        )
    billed = sum((c.amount for c in inside), Decimal(0))
    cap = params.get("jkk.home_care_cap")
    if billed > cap:
        result.notes.append(f"Tagihan {format_rupiah(to_rupiah(billed))} dibatasi {format_rupiah(cap)}.")
    result.components.append(
        _component(
            params,
            COST_LABELS["home_care"] + f" (paling banyak {format_rupiah(cap)})",
            min(billed, cap),
            "jkk.home_care_cap",
        )
    )


def _jkk_transport(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # PP 82/2019: each mode of transport is reimbursed up to its own cap (land 5, sea 2, air 10 million),
    # also for the journey to return-to-work therapy and training.
    for kind in COST_KINDS["JKK_TRANSPORT"]:
        billed = _cost_total(data.costs, kind)
        if not billed:
            continue
        key = f"jkk.transport.{kind.removeprefix('transport_')}_cap"
        if not _need(params, result, key):
            continue
        cap = params.get(key)
        if billed > cap:
            result.notes.append(
                f"{COST_LABELS[kind]}: tagihan {format_rupiah(to_rupiah(billed))} dibatasi {format_rupiah(cap)}."
            )
        result.components.append(
            _component(params, f"{COST_LABELS[kind]} (paling banyak {format_rupiah(cap)})", min(billed, cap), key)
        )


def _jkk_rtw(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # PP 82/2019 adds the return-to-work programme; no cap was sourced (regulation.md §2.3 "as listed").
    total = _cost_total(data.costs, "rtw")
    result.components.append(Component(COST_LABELS["rtw"], to_rupiah(total), RTW_BASIS))
    result.notes.append("Batas biaya program kembali bekerja belum ditemukan; tagihan diganti penuh sampai dikoreksi.")


def _jp_formula(params: ParameterSet, months: int, avg_annual: Decimal, share: Decimal = HUNDRED) -> Decimal:
    """PP 45/2015 Pasal 17(2): 1 % × masa iur ÷ 12 × the average indexed annual wage ÷ 12, × the survivor's share."""
    rate = params.get("jp.accrual_rate") / HUNDRED
    return to_rupiah(share / HUNDRED * rate * Decimal(months) / 12 * avg_annual / 12)


def _jp_bounded(params: ParameterSet, result: BenefitResult, monthly: Decimal, name: str, key: str) -> Component:
    """Pasal 18: the pension is at least the year's minimum and at most its maximum."""
    if params.has("jp.benefit.min") and monthly < params.get("jp.benefit.min"):
        return _component(
            params, name + " (dinaikkan ke paling sedikit)", params.get("jp.benefit.min"), "jp.benefit.min"
        )
    if params.has("jp.benefit.max") and monthly > params.get("jp.benefit.max"):
        return _component(params, name + " (dibatasi paling banyak)", params.get("jp.benefit.max"), "jp.benefit.max")
    if not params.has("jp.benefit.min"):
        result.notes.append(
            f"Batas paling sedikit dan paling banyak manfaat pensiun {result.event_date.year} belum diketahui."
        )
    return _component(params, name, monthly, key)


def _jp_survivor(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # PP 45/2015 Pasal 16: the widow(er), child or parent of a participant who died receives a share of
    # the pension formula. Dying before pension age with under 15 years' contributions, the pension is
    # computed as if 15 years had been paid when membership was at least a year and the contribution
    # density at least 80 % (Permenaker 29/2015 Pasal 26); otherwise the heirs take a lump sum.
    keys = ("jp.accrual_rate", "jp.min_months", f"jp.survivor.{data.survivor}_share", "jp.survivor.deemed_months")
    if not _need(params, result, *keys):
        return
    assert data.birth_date is not None and data.survivor is not None
    assert data.contribution_months is not None and data.membership_months is not None
    assert data.avg_indexed_annual_wage is not None
    due = pension_date(data.birth_date, lambda day: params_on(day).get("jp.pension_age", Decimal(56)))
    minimum = int(params.get("jp.min_months"))
    months = data.contribution_months
    if months < minimum:
        need_membership = int(params.get("jp.survivor.min_membership_months", Decimal(12)))
        need_density = params.get("jp.survivor.min_density", Decimal(80))
        density = Decimal(months) / Decimal(data.membership_months) * HUNDRED if data.membership_months else Decimal(0)
        if data.event_date >= due:
            result.unmet.append(
                Problem(
                    "contribution_months_short",
                    f"Masa iur {months} bulan, kurang dari {minimum} bulan: ahli waris menerima iuran dan hasil "
                    "pengembangannya sekaligus (JP_LUMP_SUM).",
                )
            )
        elif data.membership_months < need_membership or density < need_density:
            result.unmet.append(
                Problem(
                    "survivor_conditions_unmet",
                    f"Kepesertaan {data.membership_months} bulan dan kepadatan iuran "
                    f"{density.quantize(Decimal('0.1'))} %:"
                    f" pensiun ahli waris memerlukan kepesertaan paling sedikit {need_membership} bulan dan kepadatan"
                    f" iuran paling sedikit {_num(need_density)} %; ahli waris menerima manfaat sekaligus "
                    "(JP_LUMP_SUM).",
                )
            )
        else:
            months = int(params.get("jp.survivor.deemed_months"))
            result.notes.append(
                f"Masa iur {data.contribution_months} bulan dihitung seolah-olah {months} bulan "
                "(Permenaker 29/2015 Pasal 26)."
            )
    if data.survivor == "child":
        limit = int(params.get("jp.child_max_age", Decimal(23)))
        if data.survivor_birth_date is None:
            result.unmet.append(Problem("field_required", "survivor_birth_date wajib diisi untuk pensiun anak."))
        elif age_on(data.survivor_birth_date, data.event_date) >= limit:
            result.unmet.append(Problem("survivor_too_old", f"Pensiun anak hanya sampai anak berusia {limit} tahun."))
    key = f"jp.survivor.{data.survivor}_share"
    share = params.get(key)
    label = {"spouse": "janda/duda", "child": "anak", "parent": "orang tua"}[data.survivor]
    monthly = _jp_formula(params, months, data.avg_indexed_annual_wage, share)
    name = f"Manfaat pensiun {label} per bulan ({_num(share)} % × 1 % × {months}/12 tahun × upah rata-rata sebulan)"
    result.components.append(_jp_bounded(params, result, monthly, name, key))


def _jp_lump_sum(data: BenefitInput, params: ParameterSet, params_on: Any, result: BenefitResult) -> None:
    # UU 40/2004 Pasal 41 and PP 45/2015: a participant who reaches pension age with under 15 years'
    # contributions, or whose heirs do not qualify for a survivor pension, receives the contributions
    # paid and their development return at once.
    if not _need(params, result, "jp.min_months"):
        return
    assert data.birth_date is not None and data.contribution_months is not None and data.jp_balance is not None
    minimum = int(params.get("jp.min_months"))
    reason = data.reason or "retirement"
    if reason not in ("retirement", "death"):
        result.unmet.append(Problem("reason_unknown", "reason untuk JP_LUMP_SUM harus retirement atau death."))
    due = pension_date(data.birth_date, lambda day: params_on(day).get("jp.pension_age", Decimal(56)))
    if reason == "retirement":
        if data.event_date < due:
            result.unmet.append(
                Problem(
                    "below_pension_age",
                    f"Peserta belum mencapai usia pensiun; usia pensiun dicapai pada {due:%d/%m/%Y}.",
                )
            )
        if data.contribution_months >= minimum:
            result.unmet.append(
                Problem(
                    "pension_due",
                    f"Masa iur {data.contribution_months} bulan (≥ {minimum}): manfaat dibayar sebagai pensiun "
                    "bulanan (JP_OLD_AGE), bukan sekaligus.",
                )
            )
    elif data.contribution_months >= minimum:
        result.unmet.append(
            Problem(
                "pension_due",
                f"Masa iur {data.contribution_months} bulan (≥ {minimum}): ahli waris menerima pensiun bulanan "
                "(JP_SURVIVOR).",
            )
        )
    if data.jp_balance == 0:
        result.unmet.append(Problem("no_contributions", "Tidak ada iuran JP yang dibayar."))
    result.components.append(
        _component(params, "Akumulasi iuran JP dan hasil pengembangannya", data.jp_balance, "jp.min_months")
    )


_HANDLERS = {
    "JKM": _jkm,
    "JKK_DEATH": _jkk_death,
    "JKK_TOTAL_DISABILITY": _jkk_total_disability,
    "JKK_PARTIAL_DISABILITY": _jkk_partial_disability,
    "JKK_STMB": _jkk_stmb,
    "JKK_MEDICAL": _jkk_medical,
    "JKK_HOME_CARE": _jkk_home_care,
    "JKK_TRANSPORT": _jkk_transport,
    "JKK_RTW": _jkk_rtw,
    "JHT": _jht,
    "JP_OLD_AGE": _jp_old_age,
    "JP_DISABILITY": _jp_disability,
    "JP_SURVIVOR": _jp_survivor,
    "JP_LUMP_SUM": _jp_lump_sum,
    "JKP": _jkp,
    "SCHOLARSHIP": _scholarship,
}
