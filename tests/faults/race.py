"""Races made on purpose: another connection holds a write open while the code under test runs in a
thread and reaches it; the test waits until that thread's backend waits on a lock (read from
``pg_stat_activity``, never guessed by sleeping), then lets the other write commit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from django.db import connection, connections

# The suite runs on small data in CI; PARITRANA_FAULTS_SCALE=34 runs the upload faults on about
# 200,000 rows, as the operator's worst day of issue 29 was tried.
SCALE = max(1, int(os.environ.get("PARITRANA_FAULTS_SCALE", "1")))


def other_connection() -> psycopg.Connection[Any]:
    """A connection of its own to the test database, outside Django's."""
    params = connection.get_connection_params()
    return psycopg.connect(**{k: v for k, v in params.items() if k in ("host", "port", "dbname", "user", "password")})


def run_blocked_behind(writer: psycopg.Connection[Any], work: Callable[[], Any], timeout: float = 60.0) -> Any:
    """Run ``work`` in a thread until its backend waits on a lock (``writer``'s open write), commit
    ``writer``, and return what ``work`` returned (or raise what it raised)."""
    pid: list[int] = []
    outcome: dict[str, Any] = {}

    def body() -> None:
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            outcome["value"] = work()
        except BaseException as exc:  # handed to the main thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=body)
    thread.start()
    try:
        _wait_until_waiting(pid, thread, timeout)
    finally:
        writer.commit()
        writer.close()
    thread.join(timeout * 2)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _wait_until_waiting(pid: list[int], thread: threading.Thread, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with other_connection() as watcher:
        while time.monotonic() < deadline:
            if not thread.is_alive():
                raise AssertionError("the work finished without ever waiting on the open write")
            if pid:
                row = watcher.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (pid[0],)
                ).fetchone()
                if row and row[0] == "Lock":
                    return
            time.sleep(0.02)
    raise AssertionError("the work never waited on the open write")


def spawn(code: str) -> subprocess.Popen[bytes]:
    """A Python process of its own running ``code`` with Django set up on this test's database, as
    the CLI or a worker would: a process the test can kill -9."""
    from tests.serving import env_on_test_database

    setup = "import django; django.setup()\n"
    return subprocess.Popen(
        [sys.executable, "-c", setup + code], env=env_on_test_database(), cwd=Path(__file__).resolve().parents[2]
    )


def wait_for(question: str, params: tuple[Any, ...] = (), timeout: float = 60.0) -> Any:
    """Poll the database until ``question`` returns a row; return its first value."""
    deadline = time.monotonic() + timeout
    with other_connection() as watcher:
        watcher.autocommit = True
        while time.monotonic() < deadline:
            row = watcher.execute(question, params).fetchone()
            if row:
                return row[0]
            time.sleep(0.02)
    raise AssertionError(f"never true: {question}")


def blocked_behind(holder: psycopg.Connection[Any], timeout: float = 60.0) -> int:
    """The server process, in this test's database, that waits on a lock ``holder`` has: named by
    ``pg_blocking_pids``. A wait matched by its query text alone could be a passing one of the work
    itself (two batches of one apply, side by side, wait on each other's commit for a moment): killed
    there, the work was killed somewhere else than the test says (issue 29; CI failed so once)."""
    return int(
        wait_for(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND %s = ANY(pg_blocking_pids(pid))"
            " ORDER BY backend_start LIMIT 1",
            (holder.info.backend_pid,),
            timeout,
        )
    )


def query_of(backend: int) -> str:
    """The statement a server process is running (or last ran)."""
    with other_connection() as watcher:
        row = watcher.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", (backend,)).fetchone()
    return str(row[0]) if row else ""


def kill_when_held(
    holder: psycopg.Connection[Any], code: str, statement: str = "", *, then: Callable[[], Any] | None = None
) -> int:
    """Run ``code`` in a process of its own; once its server process waits on a lock ``holder`` has
    (in a statement containing ``statement``, when given: the point's own), kill -9 it, let the lock go
    (``then``, else the holder's rollback) and wait until that server process has ended. The holder
    is closed. Returns the killed job's server process id."""
    job = spawn(code)
    try:
        backend = blocked_behind(holder)
        if statement:
            query = query_of(backend)
            assert statement in query, f"held elsewhere than {statement!r}: {query[:200]}"
        kill_and_wait(job, backend, then=then or holder.rollback)
    finally:
        if job.poll() is None:
            job.kill()
        holder.close()
    return backend


def kill_and_wait(process: subprocess.Popen[bytes], backend_pid: int, *, then: Callable[[], Any] | None = None) -> None:
    """kill -9 the process, run ``then`` (release what it waits on: a server process blocked on a
    lock notices its client is gone only when it next has work), then wait until its server process
    has ended too."""
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    if then is not None:
        then()
    wait_for("SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s)", (backend_pid,))


def village_upload(rows: int, seed: int, *, sponsor_code: str = "APBD-UJI-64.02") -> Any:
    """A regency's list of vulnerable workers (the world fixture's Kutai Kartanegara), uploaded and
    checked through the CLI channel: ``rows`` times the fault suite's scale."""
    from paritrana.core.actors import system_actor
    from paritrana.demo.synth.load import load_geography
    from paritrana.demo.synth.sponsor_lists import sponsor_list
    from paritrana.enrolment import services

    listed = sponsor_list(load_geography(["64"]), rows=rows * SCALE, regency="64.02", seed=seed)
    return services.upload_create(
        actor=system_actor(), channel="cli", content=listed.csv_bytes(), file_name=f"daftar-{seed}.csv",
        sponsor_code=sponsor_code,
    )  # fmt: skip
