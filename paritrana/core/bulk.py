"""Bulk-load mode: build secondary indexes and check foreign keys once per load, not once per row.

Loading a million rows with every index and foreign key in place costs one B-tree insertion per index
and one deferred lookup per foreign key for each row; building an index from sorted input and checking
a foreign key with one anti-join are many times cheaper. ``bulk_load_mode`` drops the non-unique
indexes (unique ones included) and the foreign keys of the given tables, lets the caller load, then recreates
the indexes and
re-adds each foreign key ``NOT VALID`` followed by ``VALIDATE CONSTRAINT``, which PostgreSQL checks
for every row with a single scan. Rebuilding a unique index checks uniqueness over the whole table;
CHECK constraints and primary keys stay and are checked row by row. Callers that need "skip what is
already there" use an anti-join, not ON CONFLICT (which needs the unique index in place).

Everything runs inside the caller's transaction: if the load or a validation fails, the drops are
rolled back with it and the tables are exactly as before. The mode takes an ACCESS EXCLUSIVE lock on
the tables, so it is meant for bulk loaders (the synthetic population, first imports), not for
requests; callers decide with ``worth_bulk_mode`` whether the load is large enough to pay for
rebuilding what is already there.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

log = logging.getLogger("paritrana.bulk")


def table_rows_estimate(cursor: Any, table: str) -> int:
    cursor.execute("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass", (table,))
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def worth_bulk_mode(cursor: Any, table: str, incoming: int, *, minimum: int = 20_000) -> bool:
    """Rebuilding pays when the load is large in itself and not small next to what the table holds."""
    return incoming >= minimum and incoming * 2 >= table_rows_estimate(cursor, table)


@contextlib.contextmanager
def bulk_load_mode(cursor: Any, tables: list[str]) -> Iterator[None]:
    """Drop secondary indexes and foreign keys of ``tables``; restore and validate them on exit.

    ``cursor`` is a DB-API cursor inside an open transaction. On an exception nothing is restored
    here: the caller's transaction rollback restores it.
    """
    # Deferred checks already queued in this transaction must run before their constraints are dropped.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conrelid::regclass::text,
          c.conname, pg_get_constraintdef(c.oid)
        FROM pg_index i
        LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype = 'u'
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint o WHERE o.conindid = i.indexrelid AND o.contype <> 'u')
        ORDER BY 1
        """,
        (tables,),
    )
    indexes = cursor.fetchall()
    cursor.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint
        WHERE conrelid = ANY(%s::regclass[]) AND contype = 'f'
        ORDER BY 1, 2
        """,
        (tables,),
    )
    foreign_keys = cursor.fetchall()
    for table, name, _definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition, table, constraint, _constraint_definition in indexes:
        if constraint:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
        else:
            cursor.execute(f"DROP INDEX {name}")
    log.info("bulk mode: %d indexes and %d foreign keys set aside", len(indexes), len(foreign_keys))
    yield
    for _name, definition, table, constraint, constraint_definition in indexes:
        # A unique index is rebuilt from the whole table: a duplicate raises and rolls the load back.
        if constraint:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {constraint_definition}')
        else:
            cursor.execute(definition)
    for table, name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID')
    for table, name, _definition in foreign_keys:
        # One scan checks every row; a violation raises here and rolls the whole load back.
        cursor.execute(f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"')
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
