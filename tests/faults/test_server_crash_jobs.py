"""The database server killed during a real job (issue 29): monthly billing, on a server of the
test's own (its own PARITRANA_HOME, migrated, a small synthetic population), everything through the
``paritrana`` command as an operator runs it.

The billing is held inside its month's transaction (another connection holds the month's lock, the
waiting run seen in ``pg_locks``), then the server and every process of it are killed. The next
command starts the server at the first call; ``paritrana jobs recover`` marks the dead run failed;
the month billed again equals the same month billed without a fault in a twin of the database."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.faults.server import kill_server

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


class Operator:
    """The ``paritrana`` command with its own home, server and database."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PARITRANA_DB_NAME")}
        self.env.update(PARITRANA_HOME=str(home), DJANGO_SETTINGS_MODULE="config.settings.dev")

    def run(self, *args: str, database: str = "paritrana", timeout: float = 600) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "paritrana.cli", *args], env={**self.env, "PARITRANA_DB_NAME": database}, cwd=ROOT,
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        # The answer is the last JSON object printed (on one line, or indented over several).
        lines = done.stdout.splitlines()
        for start in reversed([n for n, line in enumerate(lines) if line.startswith("{")]):
            try:
                return json.loads("\n".join(lines[start:]))
            except json.JSONDecodeError:
                continue
        return None

    def spawn(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "paritrana.cli", *args], env=self.env, cwd=ROOT, text=True)

    def connect(self, database: str = "paritrana") -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(host=str(self.home / "var" / "pg"), port=5432, user="postgres", dbname=database)


@pytest.fixture(scope="module")
def operator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Operator]:
    home = tmp_path_factory.mktemp("operator")
    os.chmod(home, 0o755)  # noqa: S103 - the server runs as its own account and must reach its directory
    (home / "var").mkdir()
    op = Operator(home)
    op.run("migrate", "--verbosity", "0")
    op.run("synth", "--persons", "2000", "--seed", "3", "--provinces", "64", "--quiet")
    # A twin of the database, where the same month is billed without a fault: the reference.
    with op.connect("postgres") as admin:
        admin.autocommit = True
        admin.execute("CREATE DATABASE paritrana_clean TEMPLATE paritrana")
    try:
        yield op
    finally:
        subprocess.run([sys.executable, "-m", "paritrana.cli", "db", "stop"], env=op.env, cwd=ROOT, check=False)


def _month(conn: psycopg.Connection[tuple[Any, ...]], period: str) -> tuple[Any, ...]:
    row = conn.execute(
        "SELECT count(*), coalesce(sum(amount_due), 0), (SELECT count(*) FROM contributions_contributionline"
        " WHERE period = %s) FROM contributions_bill WHERE period = %s",
        (period, period),
    ).fetchone()
    assert row is not None
    return tuple(row)


def _crash_while_held(
    operator: Operator, hold: str, args: tuple[str, ...], statement: str, *, ledger_rows: int = 1
) -> dict[str, Any]:
    """Run ``paritrana *args`` while another transaction holds ``hold``; once the job's server process
    waits on it (``pg_blocking_pids``) in a statement containing ``statement``, kill the server and
    every process of it. Then start it as the operator would and recover the dead jobs."""
    holder = operator.connect()
    holder.execute(hold)
    job = operator.spawn(*args)
    try:
        with operator.connect() as watcher:
            watcher.autocommit = True
            deadline = time.monotonic() + 120
            while not (
                query := watcher.execute(
                    "SELECT query FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                    (holder.info.backend_pid,),
                ).fetchone()
            ):
                assert job.poll() is None and time.monotonic() < deadline, f"{args} never waited on {hold!r}"
                time.sleep(0.05)
            assert statement in query[0], f"held elsewhere than {statement!r}: {query[0][:200]}"
            # The run's ledger row is committed; with synchronous_commit off the server may not
            # have written it to disk yet, and a crash would take it along (docs/reliability.md).
            # A checkpoint makes it durable, so that the test sees it reaped.
            watcher.execute("CHECKPOINT")
        kill_server(operator.home / "var" / "pg")
        job.wait(60)
    finally:
        if job.poll() is None:
            job.kill()
        holder.close()

    # The server starts at the first call (no second pass needed: the note says when one was).
    started = operator.run("db", "start")
    assert started["running"] and "note" not in started
    recovered = operator.run("jobs", "recover", "--silent-seconds", "0")
    assert len(recovered["ledger"]) == ledger_rows
    with operator.connect() as conn:
        assert conn.execute("SELECT count(*) FROM core_batchrun WHERE status = 'running'").fetchone() == (0,)
        for run in recovered["ledger"]:
            said = conn.execute("SELECT status, detail->>'code' FROM core_batchrun WHERE id = %s", (run,))
            assert said.fetchone() == ("failed", "process_gone")
    return dict(recovered)


# Early: waiting for the month's lock, its transaction just begun. Middle: the month's own tables
# detached and emptied for the load, computing its lines (reading the reported wage changes). Each
# point bills its own month (March, April), on both databases. (Inside the transaction nothing can
# hold the run later than that: tests/faults/test_killed_jobs.py says why, and holds it after the
# commit instead.)
POINTS = {
    "early": ("2025-03", "SELECT pg_advisory_xact_lock(3001, 202503)", "pg_advisory_xact_lock"),
    "middle": ("2025-04", "LOCK TABLE registry_wagechange IN ACCESS EXCLUSIVE MODE", "registry_wagechange"),
}


@pytest.mark.parametrize("point", list(POINTS))
def test_billing_with_its_server_killed_mid_month_is_billed_whole_after_restart(operator: Operator, point: str) -> None:
    month, hold, statement = POINTS[point]
    first_day = f"{month}-01"
    clean = operator.run("billing", "run", "--period", month, database="paritrana_clean")
    assert clean["lines"] > 500
    _crash_while_held(operator, hold, ("billing", "run", "--period", month), statement)
    with operator.connect() as conn:
        assert _month(conn, first_day) == (0, 0, 0)
    again = operator.run("billing", "run", "--period", month)
    assert again["lines"] == clean["lines"]
    with operator.connect() as conn, operator.connect("paritrana_clean") as twin:
        assert _month(conn, first_day) == _month(twin, first_day)


def _rows(conn: psycopg.Connection[tuple[Any, ...]], sql: str) -> list[tuple[Any, ...]]:
    return sorted(conn.execute(sql).fetchall())


def _paid_month(operator: Operator, month: str) -> None:
    """``month`` billed on both databases, four bills in five paid: the same ones, chosen by their payer
    (a killed run may have drawn bill numbers in one twin and not the other)."""
    for database in ("paritrana", "paritrana_clean"):
        operator.run("billing", "run", "--period", month, database=database)
        with operator.connect(database) as conn:
            conn.execute(
                "UPDATE contributions_bill SET status = 'paid' WHERE period = %s AND id %% 5 <> 0", (f"{month}-01",)
            )


def test_coverage_rollup_with_its_server_killed_is_the_clean_month_after_restart(operator: Operator) -> None:
    _paid_month(operator, "2025-05")
    operator.run("coverage", "refresh", "--period", "2025-05", database="paritrana_clean")
    _crash_while_held(
        operator, "LOCK TABLE coverage_month IN SHARE MODE", ("coverage", "refresh", "--period", "2025-05"),
        "DELETE FROM coverage_month",
    )  # fmt: skip
    month = (
        "SELECT regency_code, segment, sex, disability, age_band, active FROM coverage_month"
        " WHERE period = '2025-05-01'"
    )
    with operator.connect() as conn:
        assert _rows(conn, month) == []  # nothing of the killed rollup
    operator.run("coverage", "refresh", "--period", "2025-05")
    with operator.connect() as conn, operator.connect("paritrana_clean") as twin:
        assert _rows(conn, month) == _rows(twin, month) != []


def test_jht_credit_with_its_server_killed_credits_each_month_once_after_restart(operator: Operator) -> None:
    _paid_month(operator, "2025-06")
    credit = ("jht", "credit", "--from", "2025-06", "--to", "2025-06")
    clean = operator.run(*credit, database="paritrana_clean")
    assert clean["entries"] > 100  # hundreds; the count moves with which bills _paid_month marks paid
    _crash_while_held(operator, "LOCK TABLE benefits_jhtentry IN SHARE MODE", credit, "INSERT INTO benefits_jhtentry")
    entries = "SELECT membership_id, entry_date, amount FROM benefits_jhtentry WHERE period = '2025-06-01'"
    with operator.connect() as conn:
        assert _rows(conn, entries) == []
    assert operator.run(*credit)["entries"] == clean["entries"]
    with operator.connect() as conn, operator.connect("paritrana_clean") as twin:
        assert _rows(conn, entries) == _rows(twin, entries)


def test_bsu_eligibility_with_its_server_killed_keeps_no_half_decision_after_restart(operator: Operator) -> None:
    operator.run("bsu", "run", "BSU-2021", database="paritrana_clean")
    _crash_while_held(
        operator, "LOCK TABLE registry_membership IN ACCESS EXCLUSIVE MODE", ("bsu", "run", "BSU-2021"),
        "CREATE TABLE bsu_facts_",
    )  # fmt: skip
    decisions = (
        "SELECT d.person_id, d.membership_id, d.eligible, d.reasons FROM subsidies_decision d"
        " JOIN subsidies_round r ON r.id = d.round_id WHERE r.code = 'BSU-2021'"
    )
    with operator.connect() as conn:
        assert _rows(conn, decisions) == []
        assert conn.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'bsu_facts_%%'").fetchone() == (0,)
    operator.run("bsu", "run", "BSU-2021")
    with operator.connect() as conn, operator.connect("paritrana_clean") as twin:
        assert _rows(conn, decisions) == _rows(twin, decisions) != []


def test_an_upload_with_its_server_killed_mid_apply_resumes_to_the_clean_result(
    operator: Operator, tmp_path: Path
) -> None:
    # A regency's list of its vulnerable workers, from the generator (which reads the regions from the
    # operator's database).
    path = tmp_path / "daftar-apbd.csv"
    operator.run(
        "shell", "-c",
        "from pathlib import Path\nfrom paritrana.demo.synth.load import load_geography\n"
        "from paritrana.demo.synth.sponsor_lists import sponsor_list\n"
        "listed = sponsor_list(load_geography(['64']), rows=3_000, regency='64.02', seed=29)\n"
        f"Path({str(path)!r}).write_bytes(listed.csv_bytes())",
    )  # fmt: skip
    args = (
        "enrol",
        "import",
        str(path),
        "--sponsor",
        "APBD-64.02",
        "--valid-from",
        "2025-01-01",
        "--batch-lines",
        "200",
    )
    clean = operator.run(*args, database="paritrana_clean")
    assert clean["status"] == "applied" and clean["applied"] > 1_000
    # The middle of the file: another transaction is registering the people of 20 lines there (their
    # NIKs inserted, not committed). The apply's batch reaching the first valid one waits on it.
    lines = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    column = next(k for k in lines[0] if "nik" in k.lower())
    niks = [row[column] for row in lines[1_500:1_520] if row[column].isdigit() and len(row[column]) == 16]
    assert niks
    array = "ARRAY[" + ", ".join(f"'{nik}'" for nik in niks) + "]"  # digits only, checked above
    hold = (
        "INSERT INTO registry_person (nik, full_name, title_prefix, title_suffix, birth_date, birth_place, sex,"
        " disability, disability_kind, phone, address, village_code, regency_code, province_code, created_at,"
        " updated_at) SELECT n, 'Pendaftar Lain', '', '', date '1990-01-01', '', 'L', false, '', '', '',"
        " village_code, regency_code, province_code, now(), now() FROM unnest(" + array + ") AS n,"
        " (SELECT village_code, regency_code, province_code FROM registry_person LIMIT 1) AS v"
    )
    _crash_while_held(operator, hold, args, "INSERT INTO registry_person")
    with operator.connect() as conn:
        upload, status, valid = conn.execute(
            "SELECT id, status, valid FROM enrolment_upload ORDER BY id DESC LIMIT 1"
        ).fetchone()  # type: ignore[misc]
        assert status == "failed"  # said to have stopped, not "applying" for ever
        done_before = conn.execute(
            "SELECT count(*) FROM enrolment_row WHERE upload_id = %s AND outcome <> ''", (upload,)
        ).fetchone()
        assert done_before is not None and 0 < done_before[0] < valid  # whole batches up to the middle
    resumed = operator.run("enrol", "apply", str(upload), "--batch-lines", "200")
    assert {k: resumed[k] for k in ("status", "rows", "valid", "applied", "already_enrolled")} == {
        k: clean[k] for k in ("status", "rows", "valid", "applied", "already_enrolled")
    }
    with operator.connect() as conn:
        # One membership with the sponsor per applied line: nothing doubled, nothing lost.
        persons = conn.execute(
            "SELECT count(*), count(DISTINCT m.person_id) FROM enrolment_row r JOIN registry_membership m"
            " ON m.id = r.membership_id WHERE r.upload_id = %s AND r.outcome = 'applied'",
            (upload,),
        ).fetchone()
        assert persons == (clean["applied"], clean["applied"])


def test_a_linkage_run_with_its_server_killed_is_failed_and_the_next_run_is_the_clean_one(
    operator: Operator, tmp_path: Path
) -> None:
    listed = tmp_path / "kur.csv"
    operator.run("synth_list", "--records", "300", "--profile", "hard", "--seed", "9", "--out", str(listed))
    args = ("link", "run", "--list", str(listed), "--kind", "kur", "--json")
    clean = operator.run(*args, database="paritrana_clean")
    # Copying the registry out to the matching engine: held there by a lock on the registry's persons.
    recovered = _crash_while_held(
        operator, "LOCK TABLE registry_person IN ACCESS EXCLUSIVE MODE", args, "registry_person"
    )
    with operator.connect() as conn:
        said = conn.execute("SELECT id, status FROM linkage_linkrun ORDER BY id DESC LIMIT 1").fetchone()
        assert said is not None and said[1] == "failed", recovered
    again = operator.run(*args)
    keys = ("records", "matched", "covered_active", "covered_lapsed", "not_covered", "ambiguous")
    assert {k: again[k] for k in keys} == {k: clean[k] for k in keys}
    with operator.connect() as conn:
        # The list imported once, though its file was run twice.
        assert conn.execute("SELECT count(*) FROM linkage_outsidelist").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM linkage_listedperson").fetchone() == (300,)


def test_a_statement_import_with_its_server_killed_records_each_payment_once_after_restart(
    operator: Operator, tmp_path: Path
) -> None:
    for database in ("paritrana", "paritrana_clean"):
        operator.run("billing", "run", "--period", "2025-07", database=database)
    with operator.connect() as conn:
        payers = [row[0] for row in conn.execute("SELECT npp FROM registry_employer ORDER BY id LIMIT 5")]
    statement = tmp_path / "rekening.csv"
    statement.write_text(
        "tanggal;referensi;kode_pembayar;jumlah\n"
        + "".join(f"2025-08-{1 + n % 20:02d};MDR-{n:04d};{payers[n % len(payers)]};{1_000_000 + 1_000 * n}\n"
                  for n in range(1, 41))
    )  # fmt: skip
    code = (
        "from pathlib import Path\nfrom paritrana.core.actors import system_actor\n"
        "from paritrana.contributions.services import payment_import_statement\n"
        f"content = Path({str(statement)!r}).read_bytes()\n"
        "print(payment_import_statement(actor=system_actor(), content=content).as_dict())"
    )
    operator.run("shell", "-c", code, database="paritrana_clean")
    # Row 25's reference written meanwhile by another (uncommitted) transaction: the import waits there.
    hold = (
        "INSERT INTO contributions_payment"
        " (employer_id, payer_key, paid_on, amount, reference, channel, credit, created_at)"
        " SELECT id, id * 3 + 2, date '2025-08-05', 1025000, 'MDR-0025', 'bank', 1025000, now()"
        " FROM registry_employer"
        f" WHERE npp = '{payers[25 % len(payers)]}'"
    )
    # A statement's import keeps no ledger row: each row is its own transaction, and the import again
    # is the resumption.
    _crash_while_held(operator, hold, ("shell", "-c", code), "contributions_payment", ledger_rows=0)
    payments = "SELECT reference, amount, paid_on FROM contributions_payment WHERE reference LIKE 'MDR-%'"
    with operator.connect() as conn:
        before = _rows(conn, payments)
        assert [r[0] for r in before] == [f"MDR-{n:04d}" for n in range(1, 25)]  # each row its own commit
    operator.run("shell", "-c", code)
    money = (
        "SELECT p.reference, p.amount, p.credit, coalesce(sum(a.amount), 0), count(a.id) FROM contributions_payment p"
        " LEFT JOIN contributions_allocation a ON a.payment_id = p.id WHERE p.reference LIKE 'MDR-%'"
        " GROUP BY p.reference, p.amount, p.credit"
    )
    with operator.connect() as conn, operator.connect("paritrana_clean") as twin:
        assert len(_rows(conn, money)) == 40 and _rows(conn, money) == _rows(twin, money)
