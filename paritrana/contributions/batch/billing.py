"""``billing_run(period)``: the month's bills for every active membership, set-based (billing.sql).

The rates are read once from the dated parameter rows in force for the month and passed to the SQL
as parameters; rules/contribution.py is the same law in Python, and a differential test holds the two
together on thousands of random memberships.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from paritrana.core.batch import batch_run
from paritrana.core.distribute import is_distributed
from paritrana.core.errors import DomainError
from paritrana.core.money import to_rupiah
from paritrana.core.periods import Period
from paritrana.law import selectors as law
from paritrana.law.rules.params import ParameterSet

from ..rules.contribution import due_date
from ..services import credits_apply
from . import partitions

SQL = (Path(__file__).with_name("billing.sql")).read_text(encoding="utf-8")
_STEP = re.compile(r"^-- step: (\w+)\s*$", re.MULTILINE)


_WHEN = re.compile(r"^-- when: (first_load|again)\s*$", re.MULTILINE)


def _steps(sql: str) -> list[tuple[str, list[tuple[str | None, str]]]]:
    """billing.sql as steps of (condition, statement); a statement marked ``-- when: first_load`` runs
    only for a month billed for the first time, ``-- when: again`` only for a month already billed."""
    parts = _STEP.split(sql)
    steps = []
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        # Statements end with ";" at the end of a line (so a comment must not end with one).
        statements = [s.strip() for s in re.split(r";\s*$", body, flags=re.MULTILINE) if s.strip()]
        # Drop comment-only fragments.
        statements = [s for s in statements if any(not ln.strip().startswith("--") for ln in s.splitlines())]
        steps.append((name, [((m.group(1) if (m := _WHEN.search(s)) else None), s) for s in statements]))
    return steps


STEPS = _steps(SQL)
# The working tables of a run (billing.sql's {new}, {sums}, {payers}), named after the month.
WORK_TABLES = ("new", "sums", "payers")
# pg_advisory_xact_lock's first key for billing runs (the second is the month, YYYYMM).
LOCK_CLASS = 3_001
SESSION_SETTINGS = {
    # Grouping a national month by payer keeps numeric sums per payer: with the default work_mem the
    # hash table spills to disk in batches.
    "work_mem": "'256MB'",
    # Computing the lines is one scan of the memberships with arithmetic per row, which PostgreSQL
    # splits across its parallel workers only when told that starting them is cheap next to the work.
    "parallel_setup_cost": "0",
    "parallel_tuple_cost": "0.001",
}


def _compute_lines_distributed(cursor: Any, statement: str, table: str, values: dict[str, Any]) -> None:
    """On a Citus cluster the month's computed lines are a table distributed by person, co-located with
    the memberships they come from: each worker computes its own shards' lines and keeps them, and
    only the per-payer sums cross to the coordinator (docs/scale.md). ``CREATE TABLE … AS`` would make
    a coordinator table and pull every line there, so the table is created empty with the query's
    own column types, distributed, then filled by ``INSERT … SELECT``, which Citus runs on the shards."""
    query = statement.removeprefix(f"CREATE TABLE {table} AS").rstrip().rstrip(";")
    params = {k: v for k, v in values.items() if f"%({k})s" in query}
    cursor.execute(f"CREATE TABLE {table} AS {query} WITH NO DATA", params)
    cursor.execute("SELECT create_distributed_table(%s, 'person_id', colocate_with => 'registry_person')", (table,))
    cursor.execute(f"INSERT INTO {table} {query}", params)


@dataclass
class BillingReport:
    period: str
    lines: int
    bills_touched: int
    seconds: float
    steps: dict[str, float]  # seconds per step
    credit_allocations: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "lines": self.lines,
            "bills": self.bills_touched,
            "credit_allocations": self.credit_allocations,
            "seconds": round(self.seconds, 2),
            "steps": {k: round(v, 2) for k, v in self.steps.items()},
        }


def billing_parameters(year: int, month: int, params: ParameterSet, holidays: frozenset[date]) -> dict[str, Any]:
    """The month's rates as SQL parameters (percent values, as in the parameter rows)."""
    one = Decimal(1)

    def opt(key: str, default: Decimal) -> Decimal:
        return params.get(key) if params.has(key) else default

    jkp_on = params.has("jkp.rate.government")
    hundred = Decimal(100)
    pp49 = opt("relief.pp49.jkk_jkm_factor", one)
    pp7 = opt("relief.pp7.jkk_factor", one)
    jp_now = one - opt("relief.pp49.jp_deferred", Decimal(0))
    jkk = [params.get(f"jkk.rate.{g}") for g in range(1, 6)]
    # Each rate as the fraction of the base it takes (percent / 100), relief factors applied, exactly as
    # rules/contribution.py multiplies them: round(base × fraction) = round(base × rate / 100).
    return {
        "period": Period(year, month).sql,
        "period_end": Period(year, month).last_day,
        "jkk_fracs": [r * pp49 / hundred for r in jkk],
        "jkk_relief_fracs": [r * pp49 * pp7 / hundred for r in jkk],
        "jkm_frac": params.get("jkm.rate") * pp49 / hundred,
        "jht_employer_frac": params.get("jht.rate.employer") / hundred,
        "jht_worker_frac": params.get("jht.rate.worker") / hundred,
        "jp_employer_frac": params.get("jp.rate.employer") / hundred,
        "jp_worker_frac": params.get("jp.rate.worker") / hundred,
        "jp_cap": params.get("jp.wage_cap"),
        "jp_now": jp_now,
        "jp_deferring": jp_now != one,
        "jkp_on": jkp_on,
        "jkp_cap": opt("jkp.wage_cap", Decimal(0)),
        "jkp_government_frac": opt("jkp.rate.government", Decimal(0)) / hundred,
        "jkp_recomposed_frac": (opt("jkp.rate.recomposed_jkk", Decimal(0)) + opt("jkp.rate.recomposed_jkm", Decimal(0)))
        / hundred,
        "bpu_min": params.get("bpu.income.min"),
        "bpu_max": params.get("bpu.income.max"),
        "bpu_jkk_frac": params.get("bpu.jkk.rate") * pp49 / hundred,
        "bpu_jkm_amount": to_rupiah(params.get("bpu.jkm.amount") * pp49),
        "bpu_jht_frac": params.get("bpu.jht.rate") / hundred,
        "jakon_jkk_frac": params.get("jakon.wage.jkk_rate") * pp49 / hundred,
        "jakon_jkm_frac": params.get("jakon.wage.jkm_rate") * pp49 / hundred,
        "pmi_on": params.has("pmi.package.24"),
        "pmi_package": opt("pmi.package.24", Decimal(0)),
        "due_pu": due_date("PU", year, month, params, holidays),
        "due_bpu": due_date("BPU", year, month, params, holidays),
    }


def billing_run(period: str, *, max_membership_id: int | None = None) -> BillingReport:
    """Bill ``period`` (YYYY-MM). Running it again adds only memberships not yet billed for the month.

    ``max_membership_id`` limits the run to memberships up to that id (the benchmark's sample)."""
    month_ = Period.parse(period)
    year, month = month_.year, month_.month
    params = law.parameters_on(month_.last_day)
    if not params.has("jkm.rate"):
        raise DomainError(
            "rates_not_in_force", "Belum ada tarif iuran untuk periode ini (program mulai Juli 2015).", field="period"
        )
    values = billing_parameters(year, month, params, law.public_holidays())
    values["max_membership_id"] = max_membership_id if max_membership_id is not None else 2**62
    started = time.perf_counter()
    steps: dict[str, float] = {}
    counts: dict[str, int] = {}
    with batch_run("billing", {"period": period}) as run:
        with transaction.atomic(), connection.cursor() as django_cursor:
            cursor = django_cursor.cursor
            # A month billed for the first time is loaded into tables of its own and attached afterwards
            # (partitions.py); a month already holding bills and lines takes new ones through the parents.
            # Two runs for the same month would race for the same payers' bills: the second waits.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_CLASS, year * 100 + month))
            # On a Citus cluster the month's partitions are created distributed and filled through
            # the parents: a table loaded apart would be a coordinator table (docs/scale.md).
            distributed = is_distributed(cursor, partitions.LINES)
            first_load = not distributed and partitions.month_is_empty(cursor, values["period"])
            if distributed:
                partitions.ensure_partition(cursor, values["period"])
            values["first_load"] = first_load
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", (partitions.BILLS,))
            values["bill_sequence"] = cursor.fetchone()[0]
            for setting, value in SESSION_SETTINGS.items():
                cursor.execute(f"SET LOCAL {setting} = {value}")
            names = {key: f"billing_{key}_{year}{month:02d}" for key in WORK_TABLES}
            names["bills_table"], names["lines_table"] = partitions.BILLS, partitions.LINES
            if first_load:
                # The month's bills go into a table of its own; its lines table is created by the SQL.
                names["bills_table"] = partitions.begin_detached_load(cursor, values["period"], partitions.BILLS)
                names["lines_table"] = partitions.clear_empty_partition(cursor, values["period"], partitions.LINES)
            written = (names["bills_table"], names["lines_table"], partitions.BILLS)
            for name, statements in STEPS:
                t = time.perf_counter()
                counts[name] = 0
                for when, statement in statements:
                    if when is not None and (when == "first_load") != first_load:
                        continue
                    statement = statement.format(**names)
                    if distributed and statement.startswith(f"CREATE TABLE {names['new']} AS"):
                        _compute_lines_distributed(cursor, statement, names["new"], values)
                        continue
                    cursor.execute(statement, {k: v for k, v in values.items() if f"%({k})s" in statement})
                    words = next(ln for ln in statement.splitlines() if not ln.lstrip().startswith("--")).split()
                    # The rows an INSERT, UPDATE or CREATE TABLE … AS wrote into bills or lines.
                    target = words[2] if words[0] in ("INSERT", "CREATE") else words[1]
                    if words[0] in ("INSERT", "UPDATE", "CREATE") and target in written:
                        counts[name] += max(cursor.rowcount, 0)
                steps[name] = time.perf_counter() - t
            cursor.execute("DROP TABLE " + ", ".join(names[key] for key in WORK_TABLES))
            if first_load:
                t = time.perf_counter()
                for parent in partitions.TABLES:
                    partitions.attach(cursor, values["period"], parent)
                steps["index_and_attach"] = time.perf_counter() - t
            commit_started = time.perf_counter()
        steps["commit"] = time.perf_counter() - commit_started
        # Payers holding credit from earlier overpayments pay the new bills at once.
        t = time.perf_counter()
        credit_allocations = credits_apply()
        steps["apply_credits"] = time.perf_counter() - t
        report = BillingReport(
            period,
            counts.get("insert_lines", 0),
            counts.get("upsert_bills", 0),
            time.perf_counter() - started,
            steps,
            credit_allocations,
        )
        run.rows = report.lines
        run.detail = report.as_dict()
    return report
