"""A Citus cluster of embedded PostgreSQL servers (issue 32): ``paritrana cluster build|start|stop|status``.

Citus is not packaged for this machine's Debian or PyPI; its source is (``../shared/vendor``, or
``PARITRANA_CITUS_SOURCE``). ``build`` compiles it once against the embedded PostgreSQL 18 and
installs it outside the work tree and outside the wheel — under ``PARITRANA_CITUS_HOME``, by
default ``~/.cache/paritrana/citus`` — keyed by the source's digest and the server's version, so a
second build, a fresh clone or a second test run reuses it. The servers find it through PostgreSQL
18's ``extension_control_path`` and ``dynamic_library_path``.

``start`` runs a coordinator and N workers (each its own data directory under ``var/cluster``, its
own port on 127.0.0.1) and joins them; ``status`` reads the cluster's nodes and tables from the
coordinator, or from the Citus cluster ``DATABASE_URL`` names.

Like embedded_db, this module must not import Django.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import embedded_db

DATABASE_NAME = embedded_db.DATABASE_NAME
DEFAULT_WORKERS = 2
DEFAULT_PORT = 9700  # the coordinator's; worker i listens on DEFAULT_PORT + i
# gcc rejects flags of the clang that compiled the wheel's PostgreSQL (-Wmissing-variable-declarations):
# the build passes its own (shared/vendor/README.md).
CFLAGS = "-O2 -fPIC -fwrapv -fno-strict-aliasing -fexcess-precision=standard -std=gnu99"


class ClusterError(Exception):
    """A refusal with a stable code and a message in Indonesian (the CLI prints both as JSON)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


# -- build --------------------------------------------------------------------------------------


def citus_source() -> Path:
    configured = os.environ.get("PARITRANA_CITUS_SOURCE")
    if configured:
        return Path(configured).resolve()
    vendor = embedded_db.home().parent / "shared" / "vendor"
    found = sorted(vendor.glob("citus-*.tar.gz"))
    return found[-1] if found else vendor / "citus.tar.gz"


def citus_home() -> Path:
    configured = os.environ.get("PARITRANA_CITUS_HOME")
    if configured:
        return Path(configured).resolve()
    return Path.home() / ".cache" / "paritrana" / "citus"


def _pg_config() -> Path:
    return embedded_db._bin("pg_config")


def _pg_paths() -> dict[str, str]:
    out = subprocess.run(  # noqa: S603 - the wheel's own pg_config, arguments as a list
        [str(_pg_config()), "--version", "--pkglibdir", "--sharedir"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return {"version": out[0].strip(), "pkglibdir": out[1].strip(), "sharedir": out[2].strip()}


@dataclass(frozen=True)
class Build:
    """Where a build of Citus lives: ``lib`` for dynamic_library_path, ``share`` for
    extension_control_path (it holds ``extension/citus.control``)."""

    key: str
    root: Path
    lib: Path
    share: Path

    @property
    def done(self) -> bool:
        return (self.root / "built.json").exists() and (self.lib / "citus.so").exists()

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "root": str(self.root), "lib": str(self.lib), "share": str(self.share)}


def build_for(source: Path | None = None) -> Build:
    """The build of ``source`` against this PostgreSQL (made or not)."""
    source = source or citus_source()
    if not source.exists():
        raise ClusterError("citus_source_missing", f"Sumber Citus tidak ditemukan: {source}")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    paths = _pg_paths()
    server = re.sub(r"[^0-9.]", "", paths["version"])
    key = f"{source.name.removesuffix('.tar.gz')}-{digest}-pg{server}"
    root = citus_home() / key
    return Build(key, root, root / "lib", root / "share")


def _run(args: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> None:
    with open(log, "a") as handle:
        handle.write(f"$ {' '.join(args)}\n")
        handle.flush()
        result = subprocess.run(  # noqa: S603 - configure and make of the source, arguments as a list
            args, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT, env=env, check=False
        )
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise ClusterError("citus_build_failed", f"Membangun Citus gagal ({args[0]}); log {log}:\n{tail}")


def build(source: Path | None = None, *, jobs: int = 2) -> dict[str, Any]:
    """Compile and install Citus once; a build already made for this source and server is reused."""
    made = build_for(source)
    if made.done:
        return {"built": False, "reused": True, **made.as_dict()}
    if shutil.which("make") is None or shutil.which("gcc") is None:
        raise ClusterError(
            "citus_toolchain_missing", "Membangun Citus memerlukan make dan gcc (apt install build-essential)."
        )
    started = time.perf_counter()
    shutil.rmtree(made.root, ignore_errors=True)
    src = made.root / "src"
    src.mkdir(parents=True)
    log = made.root / "build.log"
    with tarfile.open(source or citus_source()) as archive:
        archive.extractall(src, filter="data")
    tops = [p for p in src.iterdir() if p.is_dir()]
    top = src if (src / "configure").exists() else tops[0]
    env = {**os.environ, "CFLAGS": CFLAGS}
    _run(
        ["./configure", f"PG_CONFIG={_pg_config()}", "--without-libcurl", "--without-lz4", "--without-zstd"],
        top,
        log,
        env,
    )
    # Linked to find libpq beside itself ($ORIGIN), not in the wheel of the clone that built it: the
    # build serves every checkout on the machine.
    make = ["make", f"CFLAGS={CFLAGS}", "rpathdir=$$ORIGIN"]
    _run([*make, f"-j{jobs}"], top, log, env)
    staged = made.root / "install"
    _run([*make, "install", f"DESTDIR={staged}"], top, log, env)
    # `make install DESTDIR=…` writes under DESTDIR + the server's own directories: kept as lib/, share/.
    paths = _pg_paths()
    shutil.move(staged / paths["pkglibdir"].lstrip("/"), made.lib)
    shutil.move(staged / paths["sharedir"].lstrip("/"), made.share)
    shutil.rmtree(staged)
    for libpq in Path(paths["pkglibdir"]).glob("libpq.so.5*"):
        shutil.copy2(libpq, made.lib / libpq.name)
    _loadable_from_anywhere(made)
    _readable_by_server(made.root)
    seconds = round(time.perf_counter() - started, 1)
    (made.root / "built.json").write_text(json.dumps({"seconds": seconds, **made.as_dict()}))
    shutil.rmtree(src, ignore_errors=True)  # the objects are not needed once installed
    return {"built": True, "reused": False, "seconds": seconds, **made.as_dict()}


def _loadable_from_anywhere(made: Build) -> None:
    """The control files name their library ``$libdir/…`` (the server's own directory, where it is
    not): by its bare name, the server looks it up in dynamic_library_path."""
    for control in (made.share / "extension").glob("*.control"):
        text = control.read_text()
        control.write_text(re.sub(r"module_pathname\s*=\s*'\$libdir/([^']+)'", r"module_pathname = '\1'", text))


def _readable_by_server(root: Path) -> None:
    """As root, the unprivileged server account must read the build and pass through its parents."""
    if os.geteuid() != 0:
        return
    for parent in root.parents:
        with contextlib.suppress(OSError):
            parent.chmod(parent.stat().st_mode | 0o011)
    for base, dirs, files in os.walk(root):
        for name in dirs:
            (Path(base) / name).chmod((Path(base) / name).stat().st_mode | 0o055)
        for name in files:
            (Path(base) / name).chmod((Path(base) / name).stat().st_mode | 0o044)
    root.chmod(root.stat().st_mode | 0o055)


# -- servers ------------------------------------------------------------------------------------


def cluster_dir() -> Path:
    configured = os.environ.get("PARITRANA_CLUSTER_DIR")
    return Path(configured).resolve() if configured else embedded_db.home() / "var" / "cluster"


@dataclass(frozen=True)
class Node:
    name: str  # "coordinator", "worker1", …
    port: int

    @property
    def data_dir(self) -> Path:
        return cluster_dir() / self.name

    @property
    def running(self) -> bool:
        pid_file = self.data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return False
        return embedded_db._is_postmaster(pid, self.data_dir)

    def url(self, database: str = DATABASE_NAME) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"


def _settings(made: Build) -> dict[str, str]:
    """The embedded server's settings, as a node of a cluster: on TCP (the nodes connect to one
    another), Citus loaded from its build, WAL enough for Citus to move shards between nodes
    (logical replication), connections for the coordinator's fan-out to every shard."""
    settings = dict(embedded_db.SERVER_SETTINGS)
    settings.update(
        {
            "listen_addresses": "'127.0.0.1'",
            "max_connections": "300",
            "shared_buffers": "256MB",
            "wal_level": "logical",
            "max_wal_senders": "10",
            "max_replication_slots": "10",
            "shared_preload_libraries": "'citus'",
            "dynamic_library_path": f"'{made.lib}:$libdir'",
            "extension_control_path": f"'{made.share}:$system'",
        }
    )
    return settings


def _manifest() -> Path:
    return cluster_dir() / "cluster.json"


def nodes() -> list[Node]:
    """The nodes ``start`` made, from the cluster's manifest (none before the first start)."""
    try:
        saved = json.loads(_manifest().read_text())
    except (OSError, ValueError):
        return []
    return [Node(n["name"], int(n["port"])) for n in saved["nodes"]]


def _start_node(node: Node, made: Build) -> None:
    pgdata = node.data_dir
    if not (pgdata / "PG_VERSION").exists():
        shutil.rmtree(pgdata, ignore_errors=True)
        embedded_db._initdb(pgdata, _settings(made))
    else:
        embedded_db._prepare_permissions(pgdata)
    if node.running:
        return
    embedded_db._clear_stale_locks(pgdata)
    result, log = embedded_db._pg_ctl_start(pgdata, socket=pgdata, port=node.port)
    if result.returncode != 0:
        raise ClusterError(
            "node_start_failed",
            f"Server {node.name} (port {node.port}) gagal dijalankan:\n{result.stderr}\n{log[-3000:]}",
        )


def _connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=10)


def start(*, workers: int = DEFAULT_WORKERS, port: int = DEFAULT_PORT) -> dict[str, Any]:
    """A coordinator and ``workers`` workers running and joined; the nodes of an earlier start are
    started again as they were (their number and ports are the manifest's)."""
    made = build_for()
    if not made.done:
        raise ClusterError("citus_not_built", "Citus belum dibangun: jalankan 'paritrana cluster build' dahulu.")
    cluster = nodes() or [Node("coordinator", port)] + [Node(f"worker{i}", port + i) for i in range(1, workers + 1)]
    cluster_dir().mkdir(parents=True, exist_ok=True)
    with embedded_db._lock():
        for node in cluster:
            _start_node(node, made)
        _manifest().write_text(json.dumps({"nodes": [{"name": n.name, "port": n.port} for n in cluster]}))
    for node in cluster:
        with _connect(node.url("postgres")) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)).fetchone():
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        with _connect(node.url()) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS citus")
    coordinator, *rest = cluster
    with _connect(coordinator.url()) as conn:
        conn.execute("SELECT citus_set_coordinator_host('127.0.0.1', %s)", (coordinator.port,))
        known = {row[0] for row in conn.execute("SELECT nodeport FROM pg_dist_node WHERE groupid <> 0")}
        for node in rest:
            if node.port not in known:
                conn.execute("SELECT citus_add_node('127.0.0.1', %s)", (node.port,))
    return status()


def stop() -> dict[str, Any]:
    stopped = []
    with embedded_db._lock():
        for node in reversed(nodes()):
            if node.running:
                embedded_db._run_as_server_user(
                    [str(embedded_db._bin("pg_ctl")), "-D", str(node.data_dir), "-w", "-m", "fast", "stop"]
                )
                stopped.append(node.name)
    return {"stopped": stopped}


def coordinator_url() -> str:
    """The cluster's coordinator: ``DATABASE_URL`` when set (an existing Citus cluster), else ours."""
    configured = os.environ.get("DATABASE_URL")
    if configured:
        return configured
    cluster = nodes()
    if not cluster:
        raise ClusterError("cluster_not_started", "Klaster belum dijalankan: 'paritrana cluster start'.")
    return cluster[0].url()


def status() -> dict[str, Any]:
    """What ``paritrana cluster status --json`` prints: the coordinator, the workers (active or
    not) and the distributed and reference tables, read from the coordinator's metadata."""
    url = coordinator_url()
    try:
        conn = _connect(url)
    except Exception as refused:  # any refusal to connect is the cluster's state, said as such
        raise ClusterError("coordinator_unreachable", f"Koordinator tidak dapat dihubungi ({url}): {refused}") from None
    with conn:
        if not conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'").fetchone():
            raise ClusterError("not_citus", f"Basis data {url} bukan klaster Citus (ekstensi citus tidak terpasang).")
        workers = [
            {"host": host, "port": port, "active": active}
            for host, port, active in conn.execute(
                "SELECT nodename, nodeport, isactive FROM pg_dist_node"
                " WHERE groupid <> 0 AND noderole = 'primary' ORDER BY nodeport"
            )
        ]
        tables: dict[str, list[str]] = {"distributed": [], "reference": []}
        for name, kind in conn.execute("SELECT table_name::text, citus_table_type FROM citus_tables ORDER BY 1"):
            if kind in tables:
                tables[kind].append(name)
    return {
        "coordinator": url,
        "workers": workers,
        "distributed_tables": tables["distributed"],
        "reference_tables": tables["reference"],
    }
