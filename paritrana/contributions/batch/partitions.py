"""Monthly partitions of contribution lines (migration 0005).

A month billed for the first time is loaded into a plain table of its own — no index, no foreign key
to check per row — then indexed and attached: PostgreSQL adopts the indexes and validates both
foreign keys of the partitioned table with one scan each. Later runs for the same month (memberships
registered afterwards) insert through the parent as usual.
"""

from __future__ import annotations

from datetime import date
from typing import Any

PARENT = "contributions_contributionline"


def partition_name(period: date) -> str:
    return f"{PARENT}_p{period:%Y%m}"


def _next_month(period: date) -> date:
    return date(period.year + 1, 1, 1) if period.month == 12 else date(period.year, period.month + 1, 1)


def partition_rows(cursor: Any, period: date) -> int | None:
    """None when the month has no partition yet, else whether it holds rows (0 or 1)."""
    cursor.execute(
        "SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass"
        " AND c.relname = %s",
        (PARENT, partition_name(period)),
    )
    if cursor.fetchone() is None:
        return None
    cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {partition_name(period)} LIMIT 1) x")
    return int(cursor.fetchone()[0])


def ensure_partition(cursor: Any, period: date) -> None:
    """An empty, attached partition for the month (for inserts through the parent)."""
    if partition_rows(cursor, period) is None:
        cursor.execute(
            f"CREATE TABLE {partition_name(period)} PARTITION OF {PARENT}"
            f" FOR VALUES FROM ('{period:%Y-%m-%d}') TO ('{_next_month(period):%Y-%m-%d}')"
        )


def begin_detached_load(cursor: Any, period: date) -> str:
    """A fresh, unattached table for the month's lines (an empty attached partition is dropped first)."""
    name = partition_name(period)
    if partition_rows(cursor, period) == 0:
        cursor.execute(f"DROP TABLE {name}")
    cursor.execute(f"CREATE TABLE {name} (LIKE {PARENT} INCLUDING DEFAULTS)")
    return name


def attach(cursor: Any, period: date) -> None:
    """Index the loaded month and attach it; the CHECK lets ATTACH skip its own scan of the bounds."""
    name = partition_name(period)
    start, end = f"{period:%Y-%m-%d}", f"{_next_month(period):%Y-%m-%d}"
    cursor.execute(f"ALTER TABLE {name} ADD CONSTRAINT {name}_bounds CHECK (period >= '{start}' AND period < '{end}')")
    cursor.execute(f"ALTER TABLE {name} ADD CONSTRAINT {name}_pkey PRIMARY KEY (membership_id, period)")
    cursor.execute(f"CREATE INDEX {name}_bill ON {name} (bill_id)")
    cursor.execute(f"ALTER TABLE {PARENT} ATTACH PARTITION {name} FOR VALUES FROM ('{start}') TO ('{end}')")
    cursor.execute(f"ALTER TABLE {name} DROP CONSTRAINT {name}_bounds")
