"""The JKK disability table (PP 82/2019 Lampiran): a percentage per lost body part or function.

Only an extract is sourced so far (regulation.md §2.3, [S/U]); the table is data in
``benefits/data/disability_table.csv`` so that the full Lampiran can be loaded without code. A
left-handed worker's arms swap percentages (the Lampiran's note), and a partial loss of function
is that share of the item's percentage (cacat sebagian fungsi).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

TABLE_CSV = Path(__file__).resolve().parent.parent / "data" / "disability_table.csv"
# Items whose percentage belongs to the working hand: for a left-handed worker they swap.
MIRRORED = {"arm_shoulder_right": "arm_shoulder_left", "arm_shoulder_left": "arm_shoulder_right"}


@dataclass(frozen=True)
class DisabilityItem:
    code: str
    description: str
    percent: Decimal
    source: str
    certainty: str


@cache
def table() -> dict[str, DisabilityItem]:
    with TABLE_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: DisabilityItem(
                row["code"], row["description"], Decimal(row["percent"]), row["source"], row["certainty"]
            )
            for row in csv.DictReader(handle)
        }


def item_percent(code: str, *, left_handed: bool = False) -> Decimal:
    """The table's percentage for ``code``; a left-handed worker's arms take each other's."""
    items = table()
    if left_handed and code in MIRRORED:
        return items[MIRRORED[code]].percent
    return items[code].percent
