"""The same month on one PostgreSQL and on a Citus cluster of a coordinator and two workers (issue 32
§2–3): the schema distributed by ``paritrana migrate --cluster`` (core/distribute.py), then the
synthetic population, billing two months, payments by bank statement with their allocation and JHT
credit, the coverage rollups, a wage-subsidy round and the award's indicators of regions and
employers, with two lists enrolled by bulk upload, a person registered and corrected at the counter
and an employer, a membership and a wage changed — and every person, membership, enrolment outcome
and error, change history row, bill, line, payment, allocation, JHT entry, rollup row, subsidy
decision and award value compared, and each role's pages opened.

The expected values are not written here: they are what the single server computes, whose law the
rest of the suite checks against the regulations; this test holds the cluster to it. Skipped only
when Citus cannot be built on the machine (no compiler, or no source)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings

from paritrana.core import cluster

from .conftest import free_ports

REPO = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("cluster_month.py")
PERSONS = 1200

# Each table's rows as the test compares them: by what names them on both databases (persons by id,
# which the population numbers alike; memberships, bills and payments as _month says).
QUERIES = {
    "persons": """
        SELECT id, nik, full_name, birth_date, sex, village_code, regency_code, province_code
        FROM registry_person ORDER BY id""",
    "memberships": """
        SELECT person_id, segment, employer_id, sponsor_id, valid_from, valid_until, status, wage, declared_income,
          programmes, tags, regency_code
        FROM registry_membership ORDER BY person_id, segment, employer_id, sponsor_id, valid_from""",
    "enrolment_rows": """
        SELECT upload_id, line, nik, invalid, outcome, membership_id FROM enrolment_row ORDER BY upload_id, line""",
    "enrolment_errors": """
        SELECT upload_id, line, field, code FROM enrolment_error ORDER BY upload_id, line, code""",
    "bills": """
        SELECT payer_key, period, employer_id, sponsor_id, person_id, due_date, region_code, lines,
          employer_amount, worker_amount, government_amount, deferred_amount, amount_due, paid_amount, status
        FROM contributions_bill ORDER BY payer_key, period""",
    "lines": """
        SELECT membership_id, person_id, period, bill_id, segment, base, jkk_employer, jkk_worker, jkm_employer,
          jkm_worker, jht_employer, jht_worker, jp_base, jp_employer, jp_worker, jp_deferred, jkp_government,
          jkp_recomposed, package_worker, employer_total, worker_total
        FROM contributions_contributionline ORDER BY membership_id, period""",
    "payments": """
        SELECT reference, payer_key, employer_id, sponsor_id, person_id, paid_on, amount, credit, channel
        FROM contributions_payment ORDER BY reference""",
    "allocations": """
        SELECT bill_id, bill_period, payment_id, amount, late_fee, months_late
        FROM contributions_allocation ORDER BY bill_id, payment_id""",
    "jht": """
        SELECT membership_id, person_id, entry_date, kind, amount, period
        FROM benefits_jhtentry ORDER BY membership_id, period, kind""",
    "coverage_month": """
        SELECT period, regency_code, province_code, segment, sex, disability, age_band, active
        FROM coverage_month ORDER BY 1, 2, 4, 5, 6, 7""",
    "coverage_tag_month": """
        SELECT period, regency_code, province_code, segment, tag, active FROM coverage_tag_month ORDER BY 1, 2, 4, 5""",
    "coverage_province_month": """
        SELECT period, province_code, segment, active, women, disability FROM coverage_province_month
        ORDER BY 1, 2, 3""",
    "coverage_finance_month": """
        SELECT period, regency_code, province_code, employers, lines, jkk, jkm, jht, jp, jkp_government,
          jkp_recomposed, pmi_package
        FROM coverage_finance_month ORDER BY 1, 2""",
    "history": """
        SELECT table_name, row_id, person_id, operation, actor_id IS NOT NULL, old, new FROM registry_changehistory""",
    "subsidy_decisions": """
        SELECT d.person_id, d.membership_id, d.regency_code, d.wage, d.ceiling, d.eligible, d.reasons
        FROM subsidies_decision d ORDER BY d.person_id""",
}


def _suite_server_url(name: str) -> str:
    """A libpq URL for database ``name`` on the server the suite runs against (embedded or DATABASE_URL)."""
    db = settings.DATABASES["default"]
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    port = f"&port={db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{quote(db['USER'])}{password}@/{name}?host={quote(db['HOST'] or 'localhost')}{port}"


def _month(url: str, *, distributed: bool, cluster_dir: Path) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": url, "PARITRANA_CLUSTER_DIR": str(cluster_dir)}
    env.pop("PARITRANA_CITUS", None)
    args = [sys.executable, str(DRIVER), "--persons", str(PERSONS)] + (["--cluster"] if distributed else [])
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=REPO, timeout=1800)
    assert done.returncode == 0, done.stderr[-4000:]
    award = json.loads(done.stdout.strip().splitlines()[-1])
    with psycopg.connect(url) as conn:
        rows = {name: conn.execute(sql).fetchall() for name, sql in QUERIES.items()}
        # Bills, payments and allocations are numbered by sequences drawn in the jobs' own order; they
        # are compared by what names them (payer and month, bank reference).
        bill_of = {bill_id: (key, period) for bill_id, key, period in conn.execute(
            "SELECT id, payer_key, period FROM contributions_bill")}  # fmt: skip
        payment_of = dict(conn.execute("SELECT id, reference FROM contributions_payment").fetchall())
        # Memberships too: the population's INSERT … SELECT numbers them in the order the rows arrive,
        # which on a cluster is the workers'. A membership is its person, payer, segment and start.
        membership_of = {row[0]: row[1:] for row in conn.execute(
            "SELECT id, person_id, segment, coalesce(employer_id, 0), coalesce(sponsor_id, 0), valid_from"
            " FROM registry_membership")}  # fmt: skip
    rows["lines"] = sorted((membership_of[r[0]], *r[1:3], bill_of[r[3]], *r[4:]) for r in rows["lines"])
    rows["enrolment_rows"] = [(*r[:5], membership_of.get(r[5])) for r in rows["enrolment_rows"]]
    rows["allocations"] = sorted((bill_of[r[0]], r[1], payment_of[r[2]], *r[3:]) for r in rows["allocations"])
    rows["jht"] = sorted((membership_of[r[0]], *r[1:]) for r in rows["jht"])
    rows["subsidy_decisions"] = [(r[0], membership_of.get(r[1]), *r[2:]) for r in rows["subsidy_decisions"]]
    rows["history"] = sorted(_change(membership_of, *r) for r in rows["history"])
    return {"rows": rows, "award": award}


def _change(
    membership_of: dict[int, Any],
    table: str,
    row: int,
    person: int,
    operation: str,
    by_someone: bool,
    old: Any,
    new: Any,
) -> tuple[Any, ...]:
    """A row of the change history as both databases write it: the row changed (a membership by what
    names it) and the fields that changed, from what to what, not the ids and times each database
    draws for itself."""
    named = membership_of[row] if table == "registry_membership" else row
    drawn = {"id", "updated_at", "created_at"}
    changed = sorted(
        (k, str(old.get(k)), str((new or {}).get(k)))
        for k in old
        if k not in drawn and old.get(k) != (new or {}).get(k)
    )
    return (table, str(named), person, operation, by_someone, changed)


def test_a_month_on_one_postgresql_and_on_a_citus_cluster_gives_the_same_results(
    built: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster_dir = tmp_path / "cluster"
    monkeypatch.setenv("PARITRANA_CLUSTER_DIR", str(cluster_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    single = f"paritrana_single_{os.getpid()}"
    admin = _suite_server_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{single}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{single}"')
    port = free_ports(3)
    try:
        started = cluster.start(workers=2, port=port)
        on_one = _month(_suite_server_url(single), distributed=False, cluster_dir=cluster_dir)
        on_cluster = _month(started["coordinator"], distributed=True, cluster_dir=cluster_dir)

        # The cluster really holds the tables apart: distributed and reference tables as planned, the
        # person group's shards on both workers, none of them on the coordinator.
        shown = cluster.status()
        assert {"registry_person", "registry_membership", "contributions_contributionline", "contributions_bill",
                "contributions_payment", "subsidies_decision"} <= set(shown["distributed_tables"])  # fmt: skip
        assert {"regions_region", "law_parameter", "registry_employer"} <= set(shown["reference_tables"])
        with cluster._connect(started["coordinator"]) as conn:
            placed = conn.execute(
                "SELECT table_name::text, array_agg(DISTINCT nodeport ORDER BY nodeport) FROM citus_shards"
                " WHERE citus_table_type = 'distributed' GROUP BY 1"
            ).fetchall()
        assert {table: ports for table, ports in placed}["registry_person"] == [port + 1, port + 2]
        # The NIK directory holds every person's NIK once, and its key refuses a NIK registered twice:
        # the key the person's table cannot have on the cluster.
        with cluster._connect(started["coordinator"]) as conn:
            conn.execute("SET citus.enable_repartition_joins = on")
            persons = conn.execute("SELECT nik, id FROM registry_person ORDER BY nik").fetchall()
            directory = conn.execute("SELECT nik, person_id FROM registry_person_nik ORDER BY nik").fetchall()
            assert persons == directory
            with pytest.raises(psycopg.errors.UniqueViolation):
                conn.execute("INSERT INTO registry_person_nik (nik, person_id) VALUES (%s, -1)", (persons[0][0],))
        # The registry's changes (cluster_month.registry_changes and the NIK corrected) left their
        # history, naming the administrator who made them, on one server and so on the cluster.
        changed = {(r[0], r[3], r[4]) for r in on_one["rows"]["history"]}
        assert {("registry_employer", "UPDATE", True), ("registry_membership", "UPDATE", True),
                ("registry_person", "UPDATE", False)} <= changed, changed  # fmt: skip
        enrolled = {(r[0], r[4]) for r in on_one["rows"]["enrolment_rows"] if not r[3]}
        assert {outcome for _, outcome in enrolled} == {"applied", "already"}
        assert len(on_one["rows"]["bills"]) > 0 and len(on_one["rows"]["coverage_month"]) > 0

        # The month's results, table by table.
        for name in QUERIES:
            one, other = on_one["rows"][name], on_cluster["rows"][name]
            assert len(one) > 0, f"{name}: the single server wrote nothing to compare"
            differing = next((f"{a} ≠ {b}" for a, b in zip(one, other, strict=False) if a != b), "(lengths)")
            assert one == other, f"{name}: {len(one)} rows on one, {len(other)} on the cluster; first: {differing}"
        # Each role's pages (cluster_month.open_pages) open on the cluster as on one server.
        pages = {db: {page: int(status) for page, status in run["award"].pop("pages").items()}
                 for db, run in (("one", on_one), ("cluster", on_cluster))}  # fmt: skip
        screens = {page: status for page, status in pages["one"].items() if " API " not in page}
        assert len(screens) > 40 and all(status == 200 for status in screens.values()), screens
        # The API's read operations, each role: answered within its scope (200) or refused (403/404),
        # never failing; the admin reads them all.
        api = {page: status for page, status in pages["one"].items() if " API " in page}
        assert len(api) > 100 and set(api.values()) <= {200, 403, 404}, {p: s for p, s in api.items() if s != 200}
        refused = {page: status for page, status in api.items() if status != 200}
        assert not any(page.startswith("admin ") for page in refused), refused
        assert pages["cluster"] == pages["one"]
        assert on_one["award"] == on_cluster["award"]
    finally:
        cluster.stop()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{single}" WITH (FORCE)')
