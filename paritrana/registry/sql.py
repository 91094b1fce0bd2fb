"""SQL objects of the registry, created by migration: KPJ numbering and the change-history trigger."""

from __future__ import annotations

# KPJ = 10-digit serial + Luhn check digit (11 digits). The check digit catches every single-digit
# typo and most swaps of neighbours, which matters because officers key KPJ numbers by hand. The
# function is one arithmetic expression (no loop) so that PostgreSQL inlines it in bulk inserts;
# registry/rules/kpj.py is the same rule in Python, held to this by a differential test.
_TERMS = " + ".join(
    (f"(CASE WHEN (n / {10**k}) % 10 >= 5 THEN 2 * ((n / {10**k}) % 10) - 9 ELSE 2 * ((n / {10**k}) % 10) END)")
    if k % 2 == 0
    else f"((n / {10**k}) % 10)"
    for k in range(10)
)

# Not STRICT: PostgreSQL only inlines a SQL function whose body is as strict as its declaration, and a
# CASE is not; NULL in still gives NULL out. Inlined, a bulk insert that feeds it a plain column
# (``SELECT registry_kpj_from_serial(n) FROM (SELECT nextval(...) AS n ...)``) costs ~0.7 µs a row
# instead of ~8 µs for a call. An argument with nextval() itself is never inlined (it would be
# evaluated once per reference), so bulk inserts draw the serial in a subquery first.
KPJ_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION registry_kpj_from_serial(n bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lpad(n::text, 10, '0') || ((10 - (({_TERMS}) % 10)) % 10)::text
$$;
"""

KPJ_SQL = f"""
CREATE SEQUENCE IF NOT EXISTS registry_kpj_seq START WITH 1000000001 MINVALUE 1 MAXVALUE 9999999999;
CREATE SEQUENCE IF NOT EXISTS registry_npp_seq START WITH 10000001 MINVALUE 1 MAXVALUE 99999999;
{KPJ_FUNCTION_SQL}
ALTER TABLE registry_membership
  ALTER COLUMN kpj SET DEFAULT registry_kpj_from_serial(nextval('registry_kpj_seq'));
"""

KPJ_REVERSE_SQL = """
ALTER TABLE registry_membership ALTER COLUMN kpj DROP DEFAULT;
DROP FUNCTION IF EXISTS registry_kpj_from_serial(bigint);
DROP SEQUENCE IF EXISTS registry_kpj_seq;
DROP SEQUENCE IF EXISTS registry_npp_seq;
"""

HISTORY_TABLES = ("registry_person", "registry_employer", "registry_sponsor", "registry_membership")

HISTORY_SQL = """
CREATE OR REPLACE FUNCTION registry_record_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  actor text := nullif(current_setting('paritrana.actor_id', true), '');
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF to_jsonb(OLD) - 'updated_at' = to_jsonb(NEW) - 'updated_at' THEN
      RETURN NEW;  -- nothing but the timestamp changed
    END IF;
    INSERT INTO registry_changehistory (table_name, row_id, operation, at, actor_id, old, new)
    VALUES (TG_TABLE_NAME, OLD.id, 'UPDATE', now(), actor::bigint, to_jsonb(OLD), to_jsonb(NEW));
    RETURN NEW;
  ELSE
    INSERT INTO registry_changehistory (table_name, row_id, operation, at, actor_id, old, new)
    VALUES (TG_TABLE_NAME, OLD.id, 'DELETE', now(), actor::bigint, to_jsonb(OLD), NULL);
    RETURN OLD;
  END IF;
END
$$;
""" + "".join(
    f"""
CREATE TRIGGER {table}_history AFTER UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION registry_record_change();
"""
    for table in HISTORY_TABLES
)

HISTORY_REVERSE_SQL = "".join(f"DROP TRIGGER IF EXISTS {t}_history ON {t};\n" for t in HISTORY_TABLES) + (
    "DROP FUNCTION IF EXISTS registry_record_change();\n"
)

# The history names the person each change belongs to (migration 0011): a person's own row, or the
# person of a membership; 0 for employers and sponsors, which belong to no person. On a Citus cluster
# the history is distributed by that person, co-located with the persons (core/distribute.py), and
# the trigger runs on each shard of the table it watches: a shard cannot write a distributed table
# (Citus refuses it), so it writes the history's shard of the same person by name, which is on the
# same node. A reference table (employers, sponsors) has a placement on every node; only the node
# holding the history's shard of person 0 writes, so each change is written once. Each trigger is
# given its table's name and the column naming the person: on a shard TG_TABLE_NAME carries the
# shard's number. On one server the INSERT is a plain one; only a shard's is built by name.
HISTORY_TRIGGERS = (
    ("registry_person", "id"),
    ("registry_membership", "person_id"),
    ("registry_employer", ""),
    ("registry_sponsor", ""),
)
HISTORY_BY_PERSON_SQL = """
CREATE OR REPLACE FUNCTION registry_record_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  actor bigint := nullif(current_setting('paritrana.actor_id', true), '')::bigint;
  person bigint := 0;
  after jsonb := NULL;
  shard text;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF to_jsonb(OLD) - 'updated_at' = to_jsonb(NEW) - 'updated_at' THEN
      RETURN NEW;  -- nothing but the timestamp changed
    END IF;
    after := to_jsonb(NEW);
  END IF;
  IF TG_ARGV[1] <> '' THEN
    person := (to_jsonb(OLD) ->> TG_ARGV[1])::bigint;
  END IF;
  IF TG_TABLE_NAME = TG_ARGV[0] THEN
    INSERT INTO registry_changehistory (person_id, table_name, row_id, operation, at, actor_id, old, new)
    VALUES (person, TG_ARGV[0], OLD.id, TG_OP, now(), actor, to_jsonb(OLD), after);
  ELSE
    shard := 'registry_changehistory_' || get_shard_id_for_distribution_column('registry_changehistory', person);
    IF to_regclass(shard) IS NOT NULL THEN
      EXECUTE format(
        'INSERT INTO %I (id, person_id, table_name, row_id, operation, at, actor_id, old, new) '
        'VALUES (nextval(pg_get_serial_sequence(''registry_changehistory'', ''id'')), '
        '$1, $2, $3, $4, now(), $5, $6, $7)',
        shard
      ) USING person, TG_ARGV[0], OLD.id, TG_OP, actor, to_jsonb(OLD), after;
    END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
""" + "".join(
    f"""
DROP TRIGGER IF EXISTS {table}_history ON {table};
CREATE TRIGGER {table}_history AFTER UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION registry_record_change('{table}', '{column}');
"""
    for table, column in HISTORY_TRIGGERS
)
# Back to migration 0002's trigger (HISTORY_SQL creates the function and the triggers again).
HISTORY_BY_PERSON_REVERSE_SQL = HISTORY_REVERSE_SQL + HISTORY_SQL

# Django cannot express a CHECK across two foreign-key columns, so these are plain SQL.
REGION_CHECKS = [
    ("registry_person", "person_village_in_regency", "starts_with(village_code, regency_code || '.')"),
    ("registry_person", "person_regency_in_province", "starts_with(regency_code, province_code || '.')"),
    ("registry_employer", "employer_regency_in_province", "starts_with(regency_code, province_code || '.')"),
    (
        "registry_sponsor",
        "sponsor_regency_in_province",
        "regency_code IS NULL OR starts_with(regency_code, province_code || '.')",
    ),
]
# A person's regency and province are exactly the first 5 and 2 characters of a village code
# (migration 0006, which replaces the first two checks above): with region_code_by_level, the
# village's foreign key alone then proves all three exist.
PERSON_REGION_CHECK_SQL = """
ALTER TABLE registry_person DROP CONSTRAINT person_village_in_regency,
  DROP CONSTRAINT person_regency_in_province,
  ADD CONSTRAINT person_region_codes CHECK (
    village_code ~ '^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}$'
    AND regency_code = left(village_code, 5) AND province_code = left(village_code, 2));
"""
PERSON_REGION_CHECK_REVERSE_SQL = """
ALTER TABLE registry_person DROP CONSTRAINT person_region_codes,
  ADD CONSTRAINT person_village_in_regency CHECK (starts_with(village_code, regency_code || '.')),
  ADD CONSTRAINT person_regency_in_province CHECK (starts_with(regency_code, province_code || '.'));
"""
REGION_CHECKS_SQL = "".join(f"ALTER TABLE {t} ADD CONSTRAINT {n} CHECK ({c});\n" for t, n, c in REGION_CHECKS)
REGION_CHECKS_REVERSE_SQL = "".join(f"ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {n};\n" for t, n, _ in REGION_CHECKS)

# Name search: ``full_name__icontains`` compiles to UPPER(full_name::text) LIKE UPPER(…), which this
# trigram index serves (Django's OpClass cannot yet wrap an expression correctly).
NAME_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS person_name_trgm ON registry_person USING gin ((upper(full_name::text)) gin_trgm_ops);"
)
NAME_INDEX_REVERSE_SQL = "DROP INDEX IF EXISTS person_name_trgm;"
