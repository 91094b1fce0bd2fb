"""Loading the region fixtures with COPY (used by the data migration and by tests)."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"

# BPS Sakernas August rounds, national (data-sources.md § Workforce denominators). Formal counts are
# the published share × employed, rounded to the person [C]; informal = employed − formal.
NATIONAL_SAKERNAS = [
    # period, labour force, employed, formal share %
    ("2022-08", 143_720_000, 135_300_000, "40.69"),
    ("2023-08", 147_710_000, 139_850_000, "40.89"),
    ("2024-08", 152_110_000, 144_640_000, "42.05"),
    ("2025-08", 154_000_000, 146_540_000, "42.20"),
]
SAKERNAS_SOURCE = "BPS Sakernas Agustus (data-sources.md: Workforce denominators)"

# Provincial figures quoted in data-sources.md (BPS Sakernas Agustus 2024 as reported).
PROVINCIAL_SAKERNAS: list[tuple[str, str, int | None, int | None, str | None]] = [
    # code, period, labour force, employed, formal share % or None
    ("64", "2024-08", 2_083_469, 1_976_447, "57.68"),
    ("64", "2023-08", None, 1_847_295, None),
    ("65", "2024-08", 393_704, 378_361, None),
    ("31", "2024-08", None, 5_110_000, None),
]


def copy_regions(cursor: Any) -> int:
    """COPY the 91,599 regions into regions_region; returns the number of rows."""
    raw = gzip.decompress((DATA / "regions.csv.gz").read_bytes()).decode()
    reader = csv.reader(io.StringIO(raw))
    next(reader)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    count = 0
    for code, name, level, kind, parent, postal in reader:
        writer.writerow([code, name, level, kind, parent, postal])
        count += 1
    with cursor.copy(
        "COPY regions_region (code, name, level, kind, parent_id, postal_code) "
        "FROM STDIN WITH (FORMAT csv, NULL '', FORCE_NOT_NULL (postal_code))"
    ) as copy:
        copy.write(out.getvalue())
    return count


def historical_rows() -> list[dict[str, str]]:
    with open(DATA / "historical_codes.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def formal_of(employed: int | None, share: str | None) -> tuple[int | None, int | None]:
    if employed is None or share is None:
        return None, None
    from decimal import ROUND_HALF_UP, Decimal

    formal = int((Decimal(employed) * Decimal(share) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return formal, employed - formal
