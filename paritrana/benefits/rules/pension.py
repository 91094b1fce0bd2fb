"""Monthly pensions in payment: the amount in force each month and the months that are payable.

Pure functions; ``batch/payroll.sql`` does the same for every pension at once and
``tests/benefits/test_payroll.py`` checks the two agree.

The law (PP 45/2015):
- Pasal 17(1): the first year's pension is the formula of Pasal 17(2) (decided on the claim); each
  later year's is the previous year's × an indexation factor. The factor's definition, Pasal 17(4),
  has not been obtained [U]: the parameter ``jp.indexation_rate`` holds, per calendar year, the
  previous year's general inflation (the measure Pasal 18(3) uses for the benefit bounds). A year is
  counted from the pension's first month, so the amount changes on each anniversary of it, with the
  rate in force on that anniversary; each year's amount is a whole rupiah (it is what is paid).
- Pasal 18: every monthly payment is at least the minimum and at most the maximum of its calendar
  year (``jp.benefit.min`` and ``jp.benefit.max``; years without a published value are not bounded).
- Pasal 16 with the sources of regulation.md §2.5: a child's pension runs until the child turns 23
  (``jp.child_max_age``), marries or works; a widow(er)'s until death or remarriage; a pensioner's
  until death. A month is paid when the pension was still running on its first day.
- A beneficiary confirms being alive, and their status, periodically; when the last confirmation
  is older than ``jp.proof_of_life_months`` [U] the pension is suspended, and the months missed are
  paid as arrears once a new one is accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from paritrana.core.money import to_rupiah

HUNDRED = Decimal(100)

# Kinds of periodic benefit in payment (PP 45/2015 Pasal 16).
KINDS = {
    "old_age": "Pensiun hari tua",
    "disability": "Pensiun cacat",
    "spouse": "Pensiun janda/duda",
    "child": "Pensiun anak",
    "parent": "Pensiun orang tua",
}

# Why a pension ends before its natural end, by kind (PP 45/2015 Pasal 16 and regulation.md §2.5): a
# pensioner's and a parent's at death; a widow(er)'s at death or remarriage; a child's at death,
# marriage or work (its age limit the payroll applies by itself).
END_REASONS = {
    "died": "Penerima meninggal dunia",
    "remarried": "Janda/duda menikah lagi",
    "married": "Anak menikah",
    "working": "Anak bekerja",
}
END_REASONS_BY_KIND = {
    "old_age": ("died",),
    "disability": ("died",),
    "spouse": ("died", "remarried"),
    "child": ("died", "married", "working"),
    "parent": ("died",),
}


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, later: date) -> int:
    return (later.year - first.year) * 12 + later.month - first.month


def birthday(birth: date, age: int) -> date:
    """The day ``birth`` turns ``age``; someone born on 29 February turns it on 28 February in other
    years (as rules/benefit.py counts ages, and as PostgreSQL adds years to a date)."""
    year = birth.year + age
    return date(year, 2, 28) if (birth.month, birth.day) == (2, 29) else birth.replace(year=year)


@dataclass(frozen=True)
class Step:
    """From ``start`` (the first of a month) the pension is ``amount`` a month, before the bounds."""

    start: date
    amount: Decimal
    rate: Decimal | None  # the indexation applied at this anniversary (None: the first year, or unknown)


def schedule(base: Decimal, first_period: date, through: date, rate_on: Callable[[date], Decimal | None]) -> list[Step]:
    """The pension's yearly amounts up to the month ``through`` (Pasal 17(1)): year 1 is ``base``, each
    anniversary multiplies the previous year's by (100 + rate) / 100, rounded to the rupiah. An
    anniversary without a rate in force keeps the previous amount (``rate`` None on its step)."""
    steps = [Step(first_period, Decimal(base), None)]
    while (start := add_months(first_period, 12 * len(steps))) <= through:
        rate = rate_on(start)
        previous = steps[-1].amount
        amount = previous if rate is None else to_rupiah(previous * (HUNDRED + rate) / HUNDRED)
        steps.append(Step(start, amount, rate))
    return steps


def amount_in(steps: list[Step], month: date, bounds: tuple[Decimal | None, Decimal | None]) -> Decimal:
    """What is paid for ``month``: its year's step, within the month's calendar-year bounds (Pasal 18)."""
    amount = next(s.amount for s in reversed(steps) if s.start <= month)
    low, high = bounds
    if low is not None and amount < low:
        amount = low
    if high is not None and amount > high:
        amount = high
    return amount


@dataclass(frozen=True)
class Beneficiary:
    """What decides which months of one pension are payable."""

    kind: str
    first_period: date
    ended_on: date | None = None  # death, remarriage, marriage or work, as recorded
    birth_date: date | None = None  # the child's, for the age limit
    confirmed_on: date | None = None  # the last accepted proof of life (else the award)


def last_day(b: Beneficiary, child_max_age: int) -> date | None:
    """The last day the pension runs: the end recorded, or the day before a child turns the age limit."""
    ends = [b.ended_on] if b.ended_on else []
    if b.kind == "child" and b.birth_date is not None:
        ends.append(birthday(b.birth_date, child_max_age) - timedelta(days=1))
    return min(ends) if ends else None


def confirmation_valid(b: Beneficiary, period: date, proof_months: int) -> bool:
    """The beneficiary's status is known for ``period``: confirmed (or awarded) within the last
    ``proof_months`` months before the first of that month."""
    known = max(b.confirmed_on, b.first_period) if b.confirmed_on else b.first_period
    return add_months(month_start(known), proof_months) > month_start(period)


def months_due(
    b: Beneficiary, *, paid_through: date | None, period: date, child_max_age: int, proof_months: int
) -> list[date]:
    """The months the payroll of ``period`` pays: every month from the one after the last paid (or the
    first) up to ``period`` on whose first day the pension still ran; none while suspended (the
    missed months are paid, as arrears, by the first payroll after the status is confirmed)."""
    if not confirmation_valid(b, period, proof_months):
        return []
    start = b.first_period if paid_through is None else add_months(paid_through, 1)
    end = last_day(b, child_max_age)
    months = []
    month = start
    while month <= period and (end is None or month <= end):
        months.append(month)
        month = add_months(month, 1)
    return months


# -- who succeeds whom -----------------------------------------------------------------------------

# The beneficiaries PP 45/2015 names (Pasal 16; regulation.md §2.5): one widow(er), at most two
# children, one parent. The widow(er) comes first; a child when there is none, or when the widow(er)'s
# pension ends; a parent only when the participant left neither.
CHILD_CAP = 2
SHARE_KEYS = {
    "spouse": "jp.survivor.spouse_share",
    "child": "jp.survivor.child_share",
    "parent": "jp.survivor.parent_share",
}


@dataclass(frozen=True)
class Candidate:
    """An heir recorded for the participant, as the succession sees them on the day it happens."""

    heir_id: int
    relationship: str  # spouse | child | parent | … (benefits.rules.claims.RELATIONSHIPS)
    birth_date: date | None
    entitled: bool  # a child: under 23, unmarried, not working; anyone else: True


def successor(ended_kind: str, candidates: list[Candidate], served: set[int]) -> Candidate | None:
    """Who is paid after a pension of ``ended_kind`` ends, or None: after the participant's own
    (old age, disability) the widow(er), failing one an entitled child, failing both a parent; after a
    widow(er)'s an entitled child; after a child's the next entitled child, while fewer than two have
    been paid. ``served``: the heirs already paid a pension after this participant. Children in order
    of birth, eldest first, as the claim's own choice of survivor (rules/claims.jp_survivor) [U: the
    order among children and whether two are paid together or in turn are not in the texts obtained]."""
    order: tuple[str, ...]
    if ended_kind in ("old_age", "disability"):
        order = ("spouse", "child", "parent")
    elif ended_kind in ("spouse", "child"):
        order = ("child",)
    else:
        return None
    children_served = sum(1 for c in candidates if c.relationship == "child" and c.heir_id in served)
    for relationship in order:
        if relationship == "child" and children_served >= CHILD_CAP:
            continue
        found = sorted(
            (c for c in candidates if c.relationship == relationship and c.entitled and c.heir_id not in served),
            key=lambda c: c.birth_date or date.max,
        )
        if found:
            return found[0]
    return None


def successor_amount(amount: Decimal, from_share: Decimal, to_share: Decimal) -> Decimal:
    """The successor's monthly amount: the same formula at the successor's share (Pasal 16 with the
    shares of ``jp.survivor.*_share`` [U]). ``amount`` is the ended pension's amount in force, before
    the yearly bounds, at ``from_share`` percent of the formula (100 for the participant's own)."""
    return to_rupiah(Decimal(amount) * Decimal(to_share) / Decimal(from_share))
