"""``paritrana db backup --out FILE`` and ``paritrana db restore FILE [--database NAME] [--replace]``
(issue 30): PostgreSQL's own custom-format dump of the whole database, for the embedded server and
for ``DATABASE_URL`` alike.

The dump is taken in one snapshot (``pg_dump`` runs in a repeatable-read transaction), so a backup
made while jobs run is consistent. ``pg_dump`` must be at least the server's version, and a dump
restores best with the tools of the server's own version (a newer ``pg_dump`` writes settings an
older server does not know): the tools of the server's major version are used when the machine has
them (Debian's /usr/lib/postgresql/N/bin), else the embedded server's (PostgreSQL 18).

A restore goes into a database that is new or empty; ``--replace`` drops and recreates one that is
not (nobody may be connected to it). Point-in-time recovery for a real server: docs/deploy.md.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psycopg
from psycopg import sql

from . import embedded_db


class BackupError(Exception):
    """A refusal with a stable code and an Indonesian message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class Target:
    """Where the database is: libpq connection keywords, without the database's name."""

    params: dict[str, str]
    database: str

    @classmethod
    def configured(cls) -> Target:
        url = os.environ.get("DATABASE_URL", "").strip()
        if url:
            parts = urlparse(url)
            params = {
                "host": parts.hostname or "",
                "port": str(parts.port or 5432),
                "user": parts.username or "",
                "password": parts.password or "",
            }
            return cls({k: v for k, v in params.items() if v}, (parts.path or "/").lstrip("/") or "postgres")
        embedded_db.ensure_running()
        params = {"host": str(embedded_db.socket_dir()), "port": "5432", "user": "postgres"}
        return cls(params, os.environ.get("PARITRANA_DB_NAME", embedded_db.DATABASE_NAME))

    def connect(self, database: str | None = None) -> psycopg.Connection[Any]:
        conninfo = psycopg.conninfo.make_conninfo(dbname=database or self.database, **self.params)
        return psycopg.connect(conninfo, autocommit=True)

    def environ(self) -> dict[str, str]:
        """The connection for libpq's tools, as its environment variables (no password on argv)."""
        names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
        return {**os.environ, **{names[k]: v for k, v in self.params.items()}}


def _server_major(target: Target) -> int:
    with target.connect("postgres") as conn:
        return int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10_000  # type: ignore[index]


def tool(name: str, server_major: int) -> str:
    """``pg_dump`` or ``pg_restore`` of the server's major version if installed, else the embedded one."""
    own = Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")
    if own.exists():
        return str(own)
    embedded = embedded_db._bin(name)
    # "pg_dump (PostgreSQL) 18.6"
    version = subprocess.run([str(embedded), "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    if int(version.split()[2].split(".")[0]) < server_major:
        raise BackupError(
            "tools_too_old",
            f"{name} versi {server_major} atau lebih baru diperlukan untuk server PostgreSQL {server_major}; "
            f"pasang postgresql-client-{server_major}.",
        )
    return str(embedded)


def backup(out: Path) -> dict[str, Any]:
    target = Target.configured()
    started = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    done = subprocess.run(  # noqa: S603 - our own tools, arguments as a list
        [tool("pg_dump", _server_major(target)), "--format=custom", "--file", str(partial), target.database],
        env=target.environ(), capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError("backup_failed", f"pg_dump gagal: {done.stderr.strip()[-1500:]}")
    # Renamed only when whole: a file named FILE is always a complete dump.
    partial.replace(out)
    return {
        "database": target.database,
        "file": str(out),
        "bytes": out.stat().st_size,
        "seconds": round(time.perf_counter() - started, 3),
    }


def _tables(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public'"
    ).fetchone()
    return int(row[0]) if row else 0


def _sessions_on(admin: Any, name: str, *, grace: float = 5.0) -> int:
    """The other sessions on database ``name``, after waiting up to ``grace`` seconds for them to end: a
    client that has just disconnected (our own count of its tables a moment ago) stays listed in
    pg_stat_activity until its server process has exited, which on a busy machine takes a while."""
    deadline = time.monotonic() + grace
    while True:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (name,)
        ).fetchone()
        busy = int(row[0]) if row else 0
        if not busy or time.monotonic() >= deadline:
            return busy
        time.sleep(0.2)


def restore(dump: Path, *, database: str | None = None, replace: bool = False) -> dict[str, Any]:
    if not dump.is_file():
        raise BackupError("backup_missing", f"Berkas cadangan {dump} tidak ada.")
    target = Target.configured()
    name = database or target.database
    started = time.perf_counter()
    with target.connect("postgres") as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
        if exists:
            with target.connect(name) as conn:
                tables = _tables(conn)
            if tables and not replace:
                raise BackupError(
                    "database_not_empty",
                    f"Basis data {name} sudah berisi {tables} tabel; pulihkan ke basis data baru (--database) "
                    "atau ganti seluruhnya dengan --replace.",
                )
            if tables:
                busy = _sessions_on(admin, name)
                if busy:
                    raise BackupError(
                        "database_in_use",
                        f"Basis data {name} sedang dipakai ({busy} koneksi); hentikan paritrana serve dahulu.",
                    )
                admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
                exists = False
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        major = int(admin.execute("SHOW server_version_num").fetchone()[0]) // 10_000  # type: ignore[index]
    done = subprocess.run(  # noqa: S603 - our own tools, arguments as a list
        [tool("pg_restore", major), "--no-owner", "--exit-on-error", "--jobs", "2", "--dbname", name, str(dump)],
        env=target.environ(), capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        if "unsupported version" in done.stderr:
            raise BackupError(
                "backup_newer_than_server",
                f"Cadangan ini dibuat dari PostgreSQL yang lebih baru daripada server ini ({major}); pulihkan ke "
                "server dengan versi yang sama atau lebih baru.",
            )
        raise BackupError("restore_failed", f"pg_restore gagal: {done.stderr.strip()[-1500:]}")
    with target.connect(name) as conn:
        tables = _tables(conn)
    return {"database": name, "file": str(dump), "tables": tables, "seconds": round(time.perf_counter() - started, 3)}
