"""The embedded server's ``postmaster.pid`` left by a kill -9 or a power cut (issue 29, defect 4): a
number that now belongs to another live process, or to a zombie, is not a running server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from paritrana.core import embedded_db


@pytest.fixture
def stale_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    pgdata = tmp_path / "pg"
    pgdata.mkdir()
    (pgdata / "PG_VERSION").write_text("18\n")
    # The socket file survives a kill -9 as well.
    (pgdata / f".s.PGSQL.{embedded_db.PORT}").write_text("")
    monkeypatch.setattr(embedded_db, "data_dir", lambda: pgdata)
    monkeypatch.setattr(embedded_db, "socket_dir", lambda: pgdata)
    return pgdata


def _pid_file(pgdata: Path, pid: int) -> None:
    (pgdata / "postmaster.pid").write_text(f"{pid}\n{pgdata}\n1700000000\n{embedded_db.PORT}\n")


def test_a_pid_now_held_by_another_live_process_is_not_the_server(stale_dir: Path) -> None:
    _pid_file(stale_dir, os.getpid())  # this test's own Python: alive, not postgres
    current = embedded_db.status()
    assert current.initialised and not current.running and current.pid is None


def test_a_zombie_is_not_the_server(stale_dir: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    # Exited and not yet reaped: a zombie until wait() below.
    deadline = time.monotonic() + 30
    while Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
        assert time.monotonic() < deadline, "the child never exited"
        time.sleep(0.01)
    try:
        _pid_file(stale_dir, child.pid)
        assert not embedded_db.status().running
    finally:
        child.wait()


def test_a_postgres_of_another_directory_is_not_this_server(stale_dir: Path) -> None:
    others = [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and _argv0(p) in ("postgres", "postmaster") and "-D" in _argv(p)
    ]
    if not others:
        pytest.skip("no PostgreSQL server runs on this machine to borrow a PID from")
    _pid_file(stale_dir, others[0])
    assert not embedded_db.status().running


def test_the_running_embedded_server_is_still_seen_running() -> None:
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the tests run on an outside server (DATABASE_URL): the embedded one may be stopped")
    current = embedded_db.status()
    assert current.running and current.pid


def _argv(proc: Path) -> list[str]:
    try:
        return [a.decode(errors="replace") for a in (proc / "cmdline").read_bytes().split(b"\0") if a]
    except OSError:
        return []


def _argv0(proc: Path) -> str:
    argv = _argv(proc)
    return Path(argv[0]).name if argv else ""
