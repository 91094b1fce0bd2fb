"""A membership's standing from what its payer has paid: pure (the selectors gather the facts).

Legal basis: PP 44/2015 and PP 86/2013 tie benefits and sanctions to contributions being paid; PP
6/2025 Pasal 39 draws the line at more than 3 consecutive months of arrears for JKP. Paritrana uses
that threshold, kept as the parameter ``arrears.inactive_after_months`` [U], for every programme.

    >>> from datetime import date
    >>> standing(months=[(date(2025, 4, 15), True)], today=date(2025, 5, 1), inactive_after=3).status
    'active'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Standing:
    status: str  # not_billed | awaiting_payment | active | in_arrears | inactive
    months_in_arrears: int
    label: str


LABELS = {
    "not_billed": "Belum ditagih",
    "awaiting_payment": "Menunggu pembayaran",
    "active": "Aktif",
    "in_arrears": "Menunggak {n} bulan",
    "inactive": "Tidak aktif (menunggak {n} bulan)",
}


def standing(*, months: Iterable[tuple[date | None, bool]], today: date, inactive_after: int) -> Standing:
    """``months``: for each billed month, oldest first, its due date and whether its bill is paid."""
    billed = list(months)
    if not billed:
        return _make("not_billed", 0)
    overdue = sum(1 for due, paid in billed if not paid and due is not None and due < today)
    if overdue == 0:
        return _make("active" if billed[-1][1] else "awaiting_payment", 0)
    return _make("inactive" if overdue > inactive_after else "in_arrears", overdue)


def _make(status: str, months: int) -> Standing:
    return Standing(status, months, LABELS[status].format(n=months))


def months_late(*, due: date | None, paid_on: date) -> int:
    """Whole or started months between the due date and the payment (0 if on time)."""
    if due is None or paid_on <= due:
        return 0
    months = (paid_on.year - due.year) * 12 + paid_on.month - due.month
    return months + (1 if paid_on.day > due.day else 0)
