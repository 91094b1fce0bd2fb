"""What a benefit claim says, read and checked before any law is applied (issue 4): the benefits and
their vocabularies, the calculator's input, and ``parse_input``, which reports every problem with a
payload at once (stable codes, Indonesian messages). The law itself is in ``benefit.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
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
    "JP_DISABILITY",
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
    "JP_DISABILITY": ("birth_date", "contribution_months", "avg_indexed_annual_wage"),
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


# The calculator's plain inputs, each described once: what it is (a date, an amount of rupiah, a
# percentage, a count of months) and, for the OpenAPI description, what it means. ``parse_input``
# reads each by its kind and ``input_schema`` describes it by the same kind.
SCALARS: dict[str, tuple[str, str]] = {
    "birth_date": ("date", ""),
    "wage": ("amount", "upah sebulan terakhir yang dilaporkan"),
    "membership_months": ("months", ""),
    "contribution_months": ("months", ""),
    "consecutive_months": ("months", ""),
    "contribution_months_last_24": ("months", ""),
    "avg_indexed_annual_wage": ("amount", "JP: rata-rata upah tertimbang setahun"),
    "disability_percent": ("percent", "JKK cacat sebagian: persentase dari tabel"),
    "stmb_months": ("months", ""),
    "jht_balance": ("amount", ""),
    "separation_date": ("date", ""),
    "claim_date": ("date", ""),
    "function_loss_percent": ("percent", "cacat sebagian fungsi: persen fungsi yang hilang"),
    "survivor_birth_date": ("date", ""),
    "jp_balance": ("amount", "JP_LUMP_SUM: iuran JP dan hasil pengembangannya"),
}
_KIND_SCHEMA: dict[str, dict[str, Any]] = {
    "date": {"type": "string", "format": "date"},
    "amount": {"type": ["integer", "string"]},
    "percent": {"type": ["integer", "string"]},
    "months": {"type": "integer", "minimum": 0, "maximum": 1200},
}


def _scalar(kind: str, value: Any, name: str, problems: list[Problem]) -> Any:
    if kind == "date":
        return _date(value, name, problems)
    if kind == "months":
        return _count(value, name, problems)
    return _amount(value, name, problems, upper=HUNDRED if kind == "percent" else AMOUNT_UPPER)


def input_schema() -> dict[str, Any]:
    """The JSON Schema of what ``parse_input`` reads, for the API's OpenAPI description."""
    scalars = {
        name: {**_KIND_SCHEMA[kind], **({"description": said} if said else {})}
        for name, (kind, said) in SCALARS.items()
    }
    return {
        "type": "object",
        "required": ["benefit", "event_date"],
        "properties": {
            "benefit": {"type": "string", "enum": list(BENEFITS)},
            "event_date": {**_KIND_SCHEMA["date"], "example": "2025-03-10"},
            **scalars,
            "disability_item": {
                "type": "string",
                "enum": list(disability_table()),
                "description": "JKK cacat sebagian: kode baris tabel cacat (pengganti disability_percent)",
            },
            "left_handed": {"type": "boolean", "default": False},
            "costs": {
                "type": "array",
                "description": "JKK_MEDICAL, JKK_HOME_CARE, JKK_TRANSPORT, JKK_RTW: tagihan yang diganti",
                "items": {
                    "type": "object",
                    "required": ["kind", "amount"],
                    "properties": {
                        "kind": {"type": "string", "enum": sorted({k for kinds in COST_KINDS.values() for k in kinds})},
                        "amount": _KIND_SCHEMA["amount"],
                        "date": _KIND_SCHEMA["date"],
                    },
                },
            },
            "survivor": {"type": "string", "enum": list(SURVIVORS), "description": "JP_SURVIVOR: penerima pensiun"},
            "children": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"education_level": {"type": ["string", "null"], "enum": [*LEVELS, None]}},
                },
            },
            "reason": {"type": "string", "enum": [*JHT_REASONS, *JHT_PARTIAL], "default": "retirement"},
            "cause": {"type": "string", "enum": ["JKM", "JKK"], "default": "JKM"},
        },
    }


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
    cause = payload.get("cause", "JKM")
    costs = _costs(payload.get("costs"), COST_KINDS.get(str(benefit), ()), problems)
    item = payload.get("disability_item")
    survivor = payload.get("survivor")
    left_handed = payload.get("left_handed", False)
    if not isinstance(left_handed, bool):
        problems.append(Problem("boolean_invalid", "left_handed harus true atau false.", "left_handed"))
    data = {name: _scalar(kind, payload.get(name), name, problems) for name, (kind, _) in SCALARS.items()}
    read = BenefitInput(
        benefit=benefit or "",
        event_date=event_date or date.min,
        children=tuple(children),
        reason=reason,
        cause=cause,
        costs=costs,
        disability_item=item,
        left_handed=bool(left_handed),
        survivor=survivor,
        **data,
    )
    # A field given but unreadable is reported once, as unreadable, not again as missing.
    problems += check_input(read, given=lambda name: payload.get(name) is not None)
    if problems or event_date is None or benefit not in BENEFITS:
        return None, problems
    return read, []


def check_input(data: BenefitInput, *, given: Callable[[str], bool] | None = None) -> list[Problem]:
    """What a claim of well-typed values still lacks for its benefit: the words it must use (reasons,
    causes, the disability table's codes, survivors, the costs its benefit reimburses) and the facts
    its benefit reads (``REQUIRED``). Both doors use it: ``parse_input`` for JSON, the claim intake
    for the typed values of its form and of the registry. ``given`` says whether a field was given
    at all (by default: it is not empty)."""
    present = given or (lambda name: getattr(data, name) not in (None, ()))
    problems: list[Problem] = []
    if data.reason is not None and data.reason not in JHT_REASONS + JHT_PARTIAL:
        problems.append(
            Problem(
                "reason_unknown",
                "reason harus salah satu dari: " + ", ".join(JHT_REASONS + JHT_PARTIAL) + ".",
                "reason",
            )
        )
    if data.cause not in ("JKM", "JKK"):
        problems.append(Problem("cause_unknown", "cause harus JKM atau JKK.", "cause"))
    item = data.disability_item
    if item is not None and (not isinstance(item, str) or item not in disability_table()):
        problems.append(
            Problem(
                "disability_item_unknown",
                "disability_item harus kode dari tabel cacat: " + ", ".join(disability_table()) + ".",
                "disability_item",
            )
        )
    if data.benefit == "JKK_PARTIAL_DISABILITY" and not present("disability_percent") and item is None:
        problems.append(
            Problem(
                "field_required",
                "disability_percent atau disability_item wajib diisi untuk manfaat JKK_PARTIAL_DISABILITY.",
                "disability_percent",
            )
        )
    if data.survivor is not None and data.survivor not in SURVIVORS:
        problems.append(Problem("survivor_unknown", "survivor harus spouse, child atau parent.", "survivor"))
    kinds = COST_KINDS.get(data.benefit, ())
    for i, cost in enumerate(data.costs):
        if cost.kind not in kinds:
            allowed = ", ".join(kinds) or "(tidak ada untuk manfaat ini)"
            name = f"costs[{i}].kind"
            problems.append(Problem("cost_kind_unknown", f"{name} harus salah satu dari: {allowed}.", name))
    for name in REQUIRED.get(data.benefit, ()):
        if not present(name):
            problems.append(Problem("field_required", f"{name} wajib diisi untuk manfaat {data.benefit}.", name))
    return problems


def facts_of(data: BenefitInput) -> dict[str, Any]:
    """``data`` as the JSON a claim keeps of what it was decided on: the fields that were given, dates
    as ISO text and amounts as text of their digits (``parse_input`` reads it back as it was)."""

    def plain(value: Any) -> Any:
        if isinstance(value, (date, Decimal)):
            return str(value)
        if isinstance(value, Cost):
            return {k: plain(v) for k, v in (("kind", value.kind), ("amount", value.amount), ("date", value.day)) if v}
        if isinstance(value, Child):
            return {"education_level": value.education_level}
        if isinstance(value, tuple):
            return [plain(v) for v in value]
        return value

    defaults = BenefitInput(benefit=data.benefit, event_date=data.event_date)
    return {
        f.name: plain(getattr(data, f.name))
        for f in fields(BenefitInput)
        if getattr(data, f.name) is not None
        and (f.name in ("benefit", "event_date") or getattr(data, f.name) != getattr(defaults, f.name))
    }


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
