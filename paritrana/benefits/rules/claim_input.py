"""What a benefit claim says, read and checked before any law is applied (issue 4): the benefits and
their vocabularies, the calculator's input, and ``parse_input``, which reports every problem with a
payload at once (stable codes, Indonesian messages). The law itself is in ``benefit.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from paritrana.core.errors import Problem
from paritrana.core.periods import parse_iso_date

from .disability import table as disability_table

BENEFITS = (
    "JKM",
    "JKK_DEATH",
    "JKK_TOTAL_DISABILITY",
    "JKK_PARTIAL_DISABILITY",
    "JKK_STMB",
    "JKK_MEDICAL",
    "JKK_HOME_CARE",
    "JKK_TRANSPORT",
    "JKK_RTW",
    "JHT",
    "JP_OLD_AGE",
    "JP_SURVIVOR",
    "JP_LUMP_SUM",
    "JKP",
    "SCHOLARSHIP",
)
# The costs each JKK care benefit reimburses (PP 44/2015 jo. PP 82/2019, regulation.md §2.3).
COST_KINDS = {
    "JKK_MEDICAL": ("medical", "rehabilitation"),
    "JKK_HOME_CARE": ("home_care",),
    "JKK_TRANSPORT": ("transport_land", "transport_sea", "transport_air"),
    "JKK_RTW": ("rtw",),
}
SURVIVORS = ("spouse", "child", "parent")
LEVELS = ("TK", "SD", "SMP", "SMA", "PT")
JHT_REASONS = ("retirement", "resignation", "dismissal", "death", "total_disability", "leaving_indonesia")
JHT_PARTIAL = ("partial_retirement", "partial_housing")
HUNDRED = Decimal(100)

# What each benefit reads; anything else in the input is ignored.
REQUIRED: dict[str, tuple[str, ...]] = {
    "JKM": ("membership_months",),
    "JKK_DEATH": ("wage",),
    "JKK_TOTAL_DISABILITY": ("wage",),
    "JKK_PARTIAL_DISABILITY": ("wage",),  # and disability_percent or disability_item
    "JKK_STMB": ("wage", "stmb_months"),
    "JKK_MEDICAL": ("costs",),
    "JKK_HOME_CARE": ("costs",),
    "JKK_TRANSPORT": ("costs",),
    "JKK_RTW": ("costs",),
    "JHT": ("birth_date", "jht_balance"),
    "JP_OLD_AGE": ("birth_date", "contribution_months", "avg_indexed_annual_wage"),
    "JP_SURVIVOR": ("birth_date", "survivor", "contribution_months", "membership_months", "avg_indexed_annual_wage"),
    "JP_LUMP_SUM": ("birth_date", "contribution_months", "jp_balance"),
    "JKP": ("wage", "contribution_months_last_24", "consecutive_months"),
    "SCHOLARSHIP": ("children",),
}


@dataclass(frozen=True)
class Child:
    education_level: str | None  # None: not yet at school (the scholarship starts when the child enrols)


@dataclass(frozen=True)
class Cost:
    kind: str
    amount: Decimal
    day: date | None = None  # when the cost was incurred (home care counts only within its year)


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
    costs: tuple[Cost, ...] = ()  # JKK care: the bills to reimburse
    disability_item: str | None = None  # JKK partial disability: a row of the Lampiran table
    function_loss_percent: Decimal | None = None  # cacat sebagian fungsi: the share of function lost
    left_handed: bool = False
    survivor: str | None = None  # JP_SURVIVOR: spouse, child or parent
    survivor_birth_date: date | None = None  # JP_SURVIVOR child: the child's birth date
    jp_balance: Decimal | None = None  # JP_LUMP_SUM: contributions paid and their returns


# -- input -----------------------------------------------------------------------------------------


def _date(value: Any, name: str, problems: list[Problem]) -> date | None:
    if value is None:
        return None
    day = parse_iso_date(value)
    if day is None:
        problems.append(Problem("date_invalid", f"{name} harus tanggal yang sah berformat TTTT-BB-HH.", name))
    return day


# No rupiah amount a claim carries comes near a quadrillion; past it a figure is a typing error, and
# the decimal context (28 digits) could not round the benefit computed from it.
AMOUNT_UPPER = Decimal(10) ** 15


def _amount(value: Any, name: str, problems: list[Problem], *, upper: Decimal | None = AMOUNT_UPPER) -> Decimal | None:
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
    benefit = benefit if isinstance(benefit, str) else None  # a list or object is just unknown
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
    costs = _costs(payload.get("costs"), COST_KINDS.get(str(benefit), ()), problems)
    item = payload.get("disability_item")
    if item is not None and (not isinstance(item, str) or item not in disability_table()):
        problems.append(
            Problem(
                "disability_item_unknown",
                "disability_item harus kode dari tabel cacat: " + ", ".join(disability_table()) + ".",
                "disability_item",
            )
        )
    if benefit == "JKK_PARTIAL_DISABILITY" and payload.get("disability_percent") is None and item is None:
        problems.append(
            Problem(
                "field_required",
                "disability_percent atau disability_item wajib diisi untuk manfaat JKK_PARTIAL_DISABILITY.",
                "disability_percent",
            )
        )
    survivor = payload.get("survivor")
    if survivor is not None and survivor not in SURVIVORS:
        problems.append(Problem("survivor_unknown", "survivor harus spouse, child atau parent.", "survivor"))
    left_handed = payload.get("left_handed", False)
    if not isinstance(left_handed, bool):
        problems.append(Problem("boolean_invalid", "left_handed harus true atau false.", "left_handed"))
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
        "function_loss_percent": _amount(
            payload.get("function_loss_percent"), "function_loss_percent", problems, upper=HUNDRED
        ),
        "survivor_birth_date": _date(payload.get("survivor_birth_date"), "survivor_birth_date", problems),
        "jp_balance": _amount(payload.get("jp_balance"), "jp_balance", problems),
    }
    if benefit in REQUIRED:
        for name in REQUIRED[benefit]:
            if payload.get(name) is None:
                problems.append(Problem("field_required", f"{name} wajib diisi untuk manfaat {benefit}.", name))
    if problems or event_date is None or benefit not in BENEFITS:
        return None, problems
    return BenefitInput(
        benefit=benefit,
        event_date=event_date,
        children=tuple(children),
        reason=reason,
        cause=cause,
        costs=costs,
        disability_item=item,
        left_handed=bool(left_handed),
        survivor=survivor,
        **data,
    ), []


def _costs(raw: Any, kinds: tuple[str, ...], problems: list[Problem]) -> tuple[Cost, ...]:
    """``[{"kind", "amount", "date"?}]``: the bills a JKK care claim reimburses."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        problems.append(Problem("costs_invalid", "costs harus daftar tagihan yang tidak kosong.", "costs"))
        return ()
    costs = []
    for i, item in enumerate(raw):
        name = f"costs[{i}]"
        if not isinstance(item, dict):
            problems.append(Problem("costs_invalid", f"{name} harus objek dengan kind dan amount.", name))
            continue
        kind = item.get("kind")
        if kind not in kinds:
            allowed = ", ".join(kinds) or "(tidak ada untuk manfaat ini)"
            problems.append(
                Problem("cost_kind_unknown", f"{name}.kind harus salah satu dari: {allowed}.", f"{name}.kind")
            )
        amount = _amount(item.get("amount"), f"{name}.amount", problems)
        if item.get("amount") is None:
            problems.append(Problem("field_required", f"{name}.amount wajib diisi.", f"{name}.amount"))
        day = _date(item.get("date"), f"{name}.date", problems)
        if kind in kinds and amount is not None:
            costs.append(Cost(kind, amount, day))
    return tuple(costs)
