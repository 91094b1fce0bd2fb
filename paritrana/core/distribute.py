"""The schema distributed over a Citus cluster (issue 32; docs/scale.md): ``paritrana migrate --cluster``.

The migrations are the same on one PostgreSQL and on a Citus coordinator; on the coordinator they
leave every table a plain table. ``distribute`` then applies the plan below, once and idempotently:

- **Reference tables** (a copy on every node, joined locally by any shard): regions, branches, the
  law's parameters and holidays, employers and sponsors, regional minimum wages.
- **The person group**, distributed by the person's id and co-located: the person, their memberships,
  wage changes, contribution lines, wage-subsidy decisions. Billing and the coverage
  rollup join these on each worker (the SQL names the person in every join for that reason).
- **The payer group**, by ``payer_key`` (one bigint for the employer, sponsor or self-paying
  participant): bills and payments. Allocations by their bill.
- Everything else stays on the coordinator (accounts, the audit trail, the job queue, claims, …).

Citus requires what a single server does not, and the plan makes it so:

- A distributed table's primary and unique keys must contain its distribution column: keys gain it
  (membership (id) → (id, person_id), a payer's bill of the month (payer_key, period), a payment's
  reference (reference, payer_key): one payer's, not any payer's). Keys that cannot (a person's NIK,
  a membership's KPJ) are dropped: see ``DROPPED_UNIQUE``; the NIK's is kept by ``NIK_DIRECTORY``.
- Foreign keys: between a distributed table and a coordinator table Citus has none; to a reference
  table they stay; within the person group they stay when they follow the person. So every foreign
  key touching a planned table is dropped first — otherwise making ``regions_region`` a reference
  table converts every table connected to it into a Citus-local table, which Citus 14.0.1 refuses
  for a partitioned table with a CHECK (docs/scale.md) — and those Citus allows are added back.
- Triggers run on the shards: the history trigger writes its person's shard of the history (``_triggers``).

Like cluster.py this module needs no Django: it takes a DB-API cursor on the coordinator.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

REFERENCE = (
    "regions_region",
    "regions_branch",
    "regions_brancharea",
    "regions_historicalregioncode",
    "regions_workforcefigure",
    "law_parameter",
    "law_holiday",
    "registry_employer",
    "registry_sponsor",
    "subsidies_minimum_wage",
)


@dataclass(frozen=True)
class Distributed:
    table: str
    column: str
    colocate_with: str  # "none" starts a group
    # Primary and unique keys rebuilt with the distribution column: (constraint, columns).
    keys: tuple[tuple[str, str], ...] = ()


# In the order Citus needs: each group's first table before the tables co-located with it.
DISTRIBUTED = (
    Distributed("registry_person", "id", "none"),
    Distributed(
        "registry_membership",
        "person_id",
        "registry_person",
        (("registry_membership_pkey", "PRIMARY KEY (id, person_id)"),),
    ),
    Distributed(
        "registry_wagechange",
        "person_id",
        "registry_person",
        (
            ("registry_wagechange_pkey", "PRIMARY KEY (id, person_id)"),
            ("wagechange_one_per_month", "UNIQUE (membership_id, effective_from, person_id)"),
        ),
    ),
    Distributed(
        "contributions_contributionline",
        "person_id",
        "registry_person",
        (("contributions_contributionline_pkey", "PRIMARY KEY (membership_id, period, person_id)"),),
    ),
    # The registry's change history by the person each change belongs to (0: an employer's or a
    # sponsor's), written on the shards by the history trigger (registry/sql.py, _triggers below).
    Distributed(
        "registry_changehistory",
        "person_id",
        "registry_person",
        (("registry_changehistory_pkey", "PRIMARY KEY (id, person_id)"),),
    ),
    Distributed(
        "subsidies_decision",
        "person_id",
        "registry_person",
        (("subsidies_decision_pkey", "PRIMARY KEY (id, person_id)"),),
    ),
    # The payer group: a payer's bills and payments on one shard, so that allocating a payment locks
    # rows of one node (services.allocate, Payer.filter names the key).
    Distributed(
        "contributions_bill",
        "payer_key",
        "none",
        (
            ("contributions_bill_pkey", "PRIMARY KEY (id, period, payer_key)"),
            ("bill_one_per_payer_month", "UNIQUE (payer_key, period)"),
        ),
    ),
    Distributed(
        "contributions_payment",
        "payer_key",
        "contributions_bill",
        (
            ("contributions_payment_pkey", "PRIMARY KEY (id, payer_key)"),
            ("contributions_payment_reference_key", "UNIQUE (reference, payer_key)"),
        ),
    ),
    Distributed(
        "contributions_allocation",
        "bill_id",
        "none",
        (("contributions_allocation_pkey", "PRIMARY KEY (id, bill_id)"),),
    ),
)

# Unique keys that cannot contain their table's distribution column, dropped on the cluster. The
# answer is a directory table per key, distributed by the key and written in the row's transaction;
# a trigger cannot write it (a distributed write from a shard: Citus refuses it, and with
# citus.allow_nested_distributed_execution the worker crashed, 2026-12-07), so the writers do.
# The person's NIK has one, NIK_DIRECTORY, written by every writer of persons (the registry's
# services, the enrolment apply, the synthetic population): its key is what refuses a NIK twice. A
# membership's KPJ has none: it is drawn from one sequence (registry_kpj_seq) by every writer.
DROPPED_UNIQUE = (
    ("registry_person", "person_nik_unique"),
    ("registry_membership", "membership_kpj_unique"),
)
# Triggers on the planned tables (the registry's change history, registry/sql.py) are dropped while
# the tables are placed and created again after, with citus.enable_unsafe_triggers: Citus then creates
# them on every shard and placement, and on the shards it creates later (rebalancing). Citus calls them
# unsafe because a trigger runs on a shard and sees only that node; the history trigger writes its
# own person's shard of the history, on the same node, by name.


def _triggers(cursor: Any, planned: set[str]) -> list[tuple[str, str, str]]:
    """The user triggers on planned tables (not a partition's copies): (table, name, definition)."""
    cursor.execute(
        """
        SELECT t.tgrelid::regclass::text, t.tgname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t
        WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND t.tgrelid::regclass::text = ANY(%s)
        ORDER BY 1, 2
        """,
        (sorted(planned),),
    )
    return list(cursor.fetchall())


NIK_DIRECTORY = "registry_person_nik"
NIK_DIRECTORY_SQL = f"""
CREATE TABLE IF NOT EXISTS {NIK_DIRECTORY} (
  nik varchar(16) PRIMARY KEY,
  person_id bigint NOT NULL
)
"""


# What a connection has answered, so that a registration does not ask the catalogue twice each time
# (registry services, per person): a server without Citus stays without it, and a distributed table
# stays distributed, for a connection's life. "Citus, table not yet distributed" is not kept: it
# changes when ``distribute`` runs on the same connection (``paritrana migrate --cluster``).
_ANSWERED: weakref.WeakKeyDictionary[Any, set[str] | None] = weakref.WeakKeyDictionary()


def is_citus(cursor: Any) -> bool:
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
    return cursor.fetchone() is not None


def is_distributed(cursor: Any, table: str) -> bool:
    """Whether ``table`` is a distributed table of a Citus cluster (false on a single PostgreSQL)."""
    connection = getattr(cursor, "connection", None)
    try:
        known = _ANSWERED.get(connection, set()) if connection is not None else set()
    except TypeError:  # a connection that cannot be weakly referenced: ask every time
        connection, known = None, set()
    if known is None:
        return False
    if table in known:
        return True
    if not is_citus(cursor):
        if connection is not None:
            _ANSWERED[connection] = None
        return False
    cursor.execute("SELECT 1 FROM pg_dist_partition WHERE logicalrelid = %s::regclass AND partmethod = 'h'", (table,))
    distributed = cursor.fetchone() is not None
    if distributed and connection is not None:
        _ANSWERED[connection] = known | {table}
    return distributed


def _planned() -> set[str]:
    return set(REFERENCE) | {d.table for d in DISTRIBUTED}


def _citus_tables(cursor: Any) -> dict[str, str]:
    cursor.execute("SELECT table_name::text, citus_table_type FROM citus_tables")
    return dict(cursor.fetchall())


def _foreign_keys(cursor: Any, planned: set[str]) -> list[tuple[str, str, str, str]]:
    """Every foreign key with a planned table on either side: (table, name, definition, referenced)."""
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.confrelid::regclass::text
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.conparentid = 0
          AND (c.conrelid::regclass::text = ANY(%s) OR c.confrelid::regclass::text = ANY(%s))
        """,
        (sorted(planned), sorted(planned)),
    )
    return list(cursor.fetchall())


def _kept(table: str, definition: str, referenced: str) -> bool:
    """Whether a foreign key comes back once the tables are placed: between reference tables; within
    the person group when it follows the person (``(person_id) → registry_person(id)``). Not from a
    distributed table to a reference table, though Citus allows it: it then runs every later
    command of a transaction that touched the reference table over one connection per node
    ("cannot modify table … because there was a parallel operation"), which would make billing
    sequential; the codes and ids they carry come from the same reference rows the jobs join."""
    distributed = {d.table: d for d in DISTRIBUTED}
    if referenced in REFERENCE:
        return table in REFERENCE
    if referenced == "registry_person" and table in distributed:
        return distributed[table].column == "person_id" and definition.startswith("FOREIGN KEY (person_id)")
    return False


def distribute(cursor: Any, *, shards: int | None = None) -> dict[str, Any]:
    """Apply the plan on a Citus coordinator whose migrations have run. Idempotent: tables already
    placed are left as they are. Returns what was done. ``shards``: shards per distributed table
    (Citus's default, 32, when None); every co-located table has as many as its group's first."""
    if not is_citus(cursor):
        raise RuntimeError("not a Citus coordinator: the citus extension is not installed")
    placed = _citus_tables(cursor)
    planned = _planned()
    done: dict[str, Any] = {
        "reference": [],
        "distributed": [],
        "foreign_keys_dropped": [],
        "foreign_keys_kept": [],
        "triggers": [],
    }
    if all(t in placed for t in planned | {NIK_DIRECTORY}):
        return done | {"already": True}
    cursor.execute("SET LOCAL citus.multi_shard_modify_mode = 'sequential'")
    if shards is not None:
        cursor.execute(f"SET LOCAL citus.shard_count = {int(shards)}")
    keys = _foreign_keys(cursor, planned)
    for table, name, _definition, _referenced in keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        done["foreign_keys_dropped"].append(f"{table}.{name}")
    for table, constraint in DROPPED_UNIQUE:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT IF EXISTS "{constraint}"')
    triggers = _triggers(cursor, planned)
    for table, trigger, _definition in triggers:
        cursor.execute(f'DROP TRIGGER "{trigger}" ON {table}')
    for table in REFERENCE:
        if table not in placed:
            cursor.execute("SELECT create_reference_table(%s)", (table,))
            done["reference"].append(table)
    for spec in DISTRIBUTED:
        if spec.table in placed:
            continue
        for constraint, definition in spec.keys:
            cursor.execute(f'ALTER TABLE {spec.table} DROP CONSTRAINT IF EXISTS "{constraint}"')
            cursor.execute(f'ALTER TABLE {spec.table} ADD CONSTRAINT "{constraint}" {definition}')
        cursor.execute(
            "SELECT create_distributed_table(%s, %s, colocate_with => %s)",
            (spec.table, spec.column, spec.colocate_with),
        )
        done["distributed"].append(spec.table)
    if NIK_DIRECTORY not in placed:
        # Every person's NIK, distributed by the NIK: the key the person's table cannot have.
        cursor.execute(NIK_DIRECTORY_SQL)
        cursor.execute("SELECT create_distributed_table(%s, 'nik', colocate_with => 'none')", (NIK_DIRECTORY,))
        cursor.execute(f"INSERT INTO {NIK_DIRECTORY} (nik, person_id) SELECT nik, id FROM registry_person")
        done["distributed"].append(NIK_DIRECTORY)
    cursor.execute("SET LOCAL citus.enable_unsafe_triggers = on")
    for _table, trigger, definition in triggers:
        cursor.execute(definition)
        done["triggers"].append(trigger)
    placed = _citus_tables(cursor)
    for table, name, definition, referenced in keys:
        if _kept(table, definition, referenced) and table in placed and referenced in placed:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            done["foreign_keys_kept"].append(f"{table}.{name}")
    return done
