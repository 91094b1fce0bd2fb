"""The embedded server killed mid-job, then started again (issue 29, defect 3).

The test starts a server of its own (its own data directory under a temporary PARITRANA_HOME),
writes committed data, opens a transaction that creates a work table as a job would, and kills the
server and all its processes with SIGKILL, as a power cut would. ``embedded_db.start`` must then
start it at the first call, with the committed data whole and the interrupted work gone.

PostgreSQL itself fails the first start after a crash that interrupted a transaction which created
an UNLOGGED table ("could not create file … File exists"; the second start succeeds, its log
speaking of corrupted data). Paritrana's jobs no longer create UNLOGGED tables; ``start`` also
recovers from such a directory (one made before, or by another tool) and says what happened."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from paritrana.core import embedded_db
from tests.faults.server import kill_server

pytestmark = pytest.mark.slow


@pytest.fixture
def own_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PARITRANA_HOME", str(tmp_path))
    home = tmp_path / "var"
    home.mkdir()
    os.chmod(tmp_path, 0o755)  # noqa: S103 - the server runs as its own account and must reach its directory
    assert embedded_db.start().running
    try:
        yield embedded_db.data_dir()
    finally:
        embedded_db.stop()


def _connect(*, autocommit: bool) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(
        host=str(embedded_db.socket_dir()), port=embedded_db.PORT, user="postgres", dbname="postgres",
        autocommit=autocommit,
    )  # fmt: skip


def _crash_inside(pgdata: Path, work: str, *, everything: bool) -> None:
    with _connect(autocommit=True) as conn:
        conn.execute("CREATE TABLE kept AS SELECT g FROM generate_series(1, 1000) g")
    job = _connect(autocommit=False)
    job.execute(work)
    job.execute("SELECT count(*) FROM work_table")
    kill_server(pgdata, everything=everything)
    job.close()


def _after_restart() -> tuple[object, ...]:
    with _connect(autocommit=True) as conn:
        kept = conn.execute("SELECT count(*) FROM kept").fetchone()
        work = conn.execute("SELECT count(*) FROM pg_class WHERE relname = 'work_table'").fetchone()
    return (kept, work)


@pytest.mark.parametrize("everything", [False, True], ids=["kill-9-server", "power-cut"])
def test_a_job_killed_with_its_server_mid_transaction_starts_at_the_first_call(
    own_server: Path, everything: bool
) -> None:
    # As billing, BSU and coverage now make their work tables: ordinary, created in the transaction.
    _crash_inside(
        own_server, "CREATE TABLE work_table AS SELECT g FROM generate_series(1, 2000000) g", everything=everything
    )
    started = embedded_db.start()
    assert started.running and started.note == ""
    assert _after_restart() == ((1000,), (0,))


def test_an_interrupted_unlogged_table_is_recovered_and_said(own_server: Path) -> None:
    # As they made them before issue 29: the server's own first start fails on such a directory.
    _crash_inside(
        own_server, "CREATE UNLOGGED TABLE work_table AS SELECT g FROM generate_series(1, 2000000) g", everything=False
    )
    started = embedded_db.start()
    assert started.running and started.note == embedded_db.RECOVERED_NOTE
    assert "utuh" in started.as_dict()["note"]  # type: ignore[operator]
    assert _after_restart() == ((1000,), (0,))
    log = (own_server / "server.log").read_text()
    assert "could not create file" in log  # what PostgreSQL met, kept in its log
