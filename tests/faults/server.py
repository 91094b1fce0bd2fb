"""Killing a PostgreSQL server as a crash does: SIGKILL to the server alone (``kill -9`` of its PID,
the OOM killer) or to it and every process it started at once (a power cut), then waiting until
none of them is left (a zombie counts as gone)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path


def kill_server(pgdata: Path, *, everything: bool = True) -> None:
    postmaster = int((pgdata / "postmaster.pid").read_text().split()[0])
    family = [postmaster] + [
        int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == postmaster
    ]
    for pid in family if everything else [postmaster]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in family):
        assert time.monotonic() < deadline, "the server's processes did not end"
        time.sleep(0.05)


def _parent(proc: Path) -> int:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False
