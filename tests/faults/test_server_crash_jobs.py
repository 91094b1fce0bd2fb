"""The database server killed during a real job (issue 29): monthly billing, on a server of the
test's own (its own PARITRANA_HOME, migrated, a small synthetic population), everything through the
``paritrana`` command as an operator runs it.

The billing is held inside its month's transaction (another connection holds the month's lock, the
waiting run seen in ``pg_locks``), then the server and every process of it are killed. The next
command starts the server at the first call; ``paritrana jobs recover`` marks the dead run failed;
the month billed again equals the same month billed without a fault in a twin of the database."""

from __future__ import annotations

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
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        return json.loads(lines[-1]) if lines else None

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


# Early: waiting for the month's lock, its transaction just begun. Late: its work tables made and
# dropped, its bills and lines written, waiting to attach the month's partitions to the parents.
# Each point bills its own month (March, April), on both databases.
POINTS = {
    "early": (
        "2025-03",
        "SELECT pg_advisory_xact_lock(3001, 202503)",
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 3001::oid",
    ),
    "late": (
        "2025-04",
        "LOCK TABLE contributions_bill IN EXCLUSIVE MODE",
        "SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
        " WHERE c.relname = 'contributions_bill' AND NOT l.granted",
    ),
}


@pytest.mark.parametrize("point", list(POINTS))
def test_billing_with_its_server_killed_mid_month_is_billed_whole_after_restart(operator: Operator, point: str) -> None:
    month, hold, waiting = POINTS[point]
    first_day = f"{month}-01"
    clean = operator.run("billing", "run", "--period", month, database="paritrana_clean")
    assert clean["lines"] > 500
    holder = operator.connect()
    holder.execute(hold)
    job = operator.spawn("billing", "run", "--period", month)
    try:
        with operator.connect() as watcher:
            watcher.autocommit = True
            deadline = time.monotonic() + 120
            while not watcher.execute(waiting).fetchone():
                assert time.monotonic() < deadline, f"the billing never reached its {point} point"
                time.sleep(0.05)
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
    assert len(recovered["ledger"]) == 1
    with operator.connect() as conn:
        assert _month(conn, first_day) == (0, 0, 0)
        assert conn.execute("SELECT count(*) FROM core_batchrun WHERE status = 'running'").fetchone() == (0,)
        said = conn.execute(
            "SELECT status, detail->>'code' FROM core_batchrun WHERE id = %s", (recovered["ledger"][0],)
        )
        assert said.fetchone() == ("failed", "process_gone")
    again = operator.run("billing", "run", "--period", month)
    assert again["lines"] == clean["lines"]
    with operator.connect() as conn, operator.connect("paritrana_clean") as twin:
        assert _month(conn, first_day) == _month(twin, first_day)
