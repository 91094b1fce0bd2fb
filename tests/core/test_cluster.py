"""A Citus cluster of embedded PostgreSQL servers (issue 32 §1, core/cluster.py): Citus built once
from its source against the embedded PostgreSQL 18 and kept outside the work tree; a coordinator and
two workers started, joined and distributing a table; the status as ``paritrana cluster status``
prints it; the nodes stopped and started again with their data.

Skipped only when Citus cannot be built on the machine (no compiler, or no source)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from paritrana.core import cluster

from .conftest import free_ports

REPO = Path(__file__).resolve().parents[2]


def test_a_coordinator_and_two_workers_distribute_a_table_and_keep_it_across_a_restart(
    built: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARITRANA_CLUSTER_DIR", str(tmp_path / "cluster"))
    monkeypatch.delenv("DATABASE_URL", raising=False)  # the suite's own server is not the cluster
    port = free_ports(3)
    # Reused, not rebuilt: a second build of the same source and server is the first.
    assert cluster.build()["reused"] is True
    try:
        started = cluster.start(workers=2, port=port)
        assert started["coordinator"] == f"postgresql://postgres@127.0.0.1:{port}/paritrana"
        assert started["workers"] == [
            {"host": "127.0.0.1", "port": port + 1, "active": True},
            {"host": "127.0.0.1", "port": port + 2, "active": True},
        ]
        with cluster._connect(started["coordinator"]) as conn:
            conn.execute("CREATE TABLE persons (id bigint PRIMARY KEY, regency_code text NOT NULL)")
            conn.execute("SELECT create_distributed_table('persons', 'id')")
            conn.execute("CREATE TABLE regions (code text PRIMARY KEY, name text NOT NULL)")
            conn.execute("SELECT create_reference_table('regions')")
            conn.execute("INSERT INTO regions VALUES ('64.02', 'Kutai Kartanegara'), ('64.71', 'Balikpapan')")
            conn.execute(
                "INSERT INTO persons SELECT g, CASE WHEN g % 2 = 0 THEN '64.02' ELSE '64.71' END"
                " FROM generate_series(1, 1000) g"
            )
            # The rows are on the workers, shard by shard; a join with the reference table runs there.
            placed = {
                row[0]
                for row in conn.execute(
                    "SELECT DISTINCT nodeport FROM citus_shards WHERE table_name = 'persons'::regclass"
                )
            }
            assert set(placed) == {port + 1, port + 2}  # shards on both workers, none on the coordinator
            by_regency = conn.execute(
                "SELECT r.name, count(*) FROM persons p JOIN regions r ON r.code = p.regency_code GROUP BY 1 ORDER BY 1"
            ).fetchall()
            assert by_regency == [("Balikpapan", 500), ("Kutai Kartanegara", 500)]
        shown = cluster.status()
        assert (shown["distributed_tables"], shown["reference_tables"]) == (["persons"], ["regions"])
        # The CLI prints the same.
        env = {**os.environ, "PARITRANA_CLUSTER_DIR": str(tmp_path / "cluster")}
        env.pop("DATABASE_URL", None)
        printed = subprocess.run(
            [sys.executable, "-m", "paritrana.cli", "cluster", "status", "--json"],
            capture_output=True, text=True, env=env, cwd=REPO, check=True, timeout=120,
        )  # fmt: skip
        assert json.loads(printed.stdout) == shown
        # Stopped, then started again: the same nodes, the same rows.
        assert cluster.stop()["stopped"] == ["worker2", "worker1", "coordinator"]
        again = cluster.start()
        assert [w["port"] for w in again["workers"]] == [port + 1, port + 2]
        with cluster._connect(again["coordinator"]) as conn:
            assert conn.execute("SELECT count(*) FROM persons").fetchone() == (1000,)
    finally:
        cluster.stop()


def test_status_without_a_cluster_says_so_with_a_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARITRANA_CLUSTER_DIR", str(tmp_path / "none"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(cluster.ClusterError) as refused:
        cluster.status()
    assert refused.value.code == "cluster_not_started"
