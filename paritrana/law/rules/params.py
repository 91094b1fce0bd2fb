"""Dated parameters as the rules see them: pure, no database (the selectors load the rows).

A contribution month uses the rows in force on its **last day**. PP 6/2025 (JKP) and PP 7/2025 (JKK
relief) both took effect on 7 February 2025 and PP 7/2025 names February 2025 as its first
contribution month, so February 2025 falls under the new rules; the JP cap changes for the March
contribution month (regulation.md §1.3), which a row starting 1 March gives either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from paritrana.core.errors import DomainError


@dataclass(frozen=True)
class ParameterRow:
    key: str
    value: Decimal
    valid_from: date
    valid_until: date | None
    legal_basis: str
    certainty: str


class ParameterNotInForce(DomainError, KeyError):
    """No row of the law covers the date asked about (a period far in the future, or before the
    programme existed): the caller's input is out of the law's range, not a fault of the system."""

    def __init__(self, key: str, on: date) -> None:
        super().__init__(
            "law_not_in_force",
            f"Ketentuan {key} tidak berlaku pada {on:%d/%m/%Y}: tanggal atau periode di luar masa berlaku aturan.",
        )

    def __str__(self) -> str:
        return self.problem.message


class ParameterSet:
    """The parameters in force on one date, looked up by key."""

    def __init__(self, rows: Iterable[ParameterRow], on: date) -> None:
        self.on = on
        self._rows: dict[str, ParameterRow] = {}
        for row in rows:
            if row.valid_from <= on and (row.valid_until is None or on <= row.valid_until):
                self._rows[row.key] = row

    def has(self, key: str) -> bool:
        return key in self._rows

    def get(self, key: str, default: Decimal | None = None) -> Decimal:
        row = self._rows.get(key)
        if row is None:
            if default is None:
                raise ParameterNotInForce(key, self.on)
            return default
        return row.value

    def basis(self, key: str) -> str:
        row = self._rows.get(key)
        return f"{row.legal_basis}" + (" [belum pasti]" if row.certainty == "U" else "") if row else ""
