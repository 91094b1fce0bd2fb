"""Monthly RANGE partitions loaded apart and attached: the bills and lines of a month billed for the
first time (contributions/batch/partitions.py), a month of pension payments paid for the first time
(benefits/batch/payroll.py).

A month's millions of rows go into a plain table of its own — no index to keep, no foreign key to
check per row — and join their parent afterwards: the keys are built once, each foreign key is
checked with one scan, and a bounds CHECK added just before ATTACH spares ATTACH its own scan of the
table (it is dropped after: the partition bound says the same).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from .periods import shift_month


def partition_name(parent: str, period: date) -> str:
    return f"{parent}_p{period:%Y%m}"


def has_partition(cursor: Any, parent: str, period: date) -> bool:
    cursor.execute(
        "SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass"
        " AND c.relname = %s",
        (parent, partition_name(parent, period)),
    )
    return cursor.fetchone() is not None


def create_detached(cursor: Any, parent: str, period: date) -> str:
    """A plain table for the month, shaped like its parent. Its CHECK constraints come along
    (INCLUDING CONSTRAINTS): ATTACH requires them, and a row that breaks one fails at insert, as it
    would through the parent; so do the columns' defaults (the ids' sequence)."""
    name = partition_name(parent, period)
    cursor.execute(f"CREATE TABLE {name} (LIKE {parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    return name


def attach_month(cursor: Any, parent: str, period: date, keys: Iterable[str] = ()) -> None:
    """Attach a month loaded by ``create_detached``, after building ``keys`` (statements with
    ``{name}`` for the table: its indexes and foreign keys, which ATTACH then adopts)."""
    name = partition_name(parent, period)
    start, end = f"{period:%Y-%m-%d}", f"{shift_month(period, 1):%Y-%m-%d}"
    for statement in keys:
        cursor.execute(statement.format(name=name))
    cursor.execute(f"ALTER TABLE {name} ADD CONSTRAINT {name}_bounds CHECK (period >= '{start}' AND period < '{end}')")
    cursor.execute(f"ALTER TABLE {parent} ATTACH PARTITION {name} FOR VALUES FROM ('{start}') TO ('{end}')")
    cursor.execute(f"ALTER TABLE {name} DROP CONSTRAINT {name}_bounds")
