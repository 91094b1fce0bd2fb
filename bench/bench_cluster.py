"""Benchmark (issue 32): billing a month and the month's coverage rollup at 2,000,000 persons on one
PostgreSQL and on a Citus cluster of a coordinator and two workers, side by side in one run, with
each node's CPU time — the per-node cost docs/scale.md extrapolates from, and the coordinator's share.

For each target, in a child process of its own (DATABASE_URL names it): a fresh database, the
migrations (distributed with ``--cluster`` on the coordinator, Citus's default 32 shards a table),
the synthetic population (``synth_run``, seed 1), then, timed:
  1. ``billing_run`` for the month (the first billing of that month: lines and bills written);
  2. most bills marked paid directly (one payer in seven left unpaid; untimed, the benchmark's
     shortcut for bank statements, as bench_coverage.py does), and the bills analysed;
  3. ``refresh_month`` (the coverage rollup).
Then a third worker joins the cluster and the shards are rebalanced onto it (timed, bytes per node).
Around each timed step the CPU seconds of every node's server processes are read from /proc
(live backends plus what the postmaster has reaped from exited ones): on this one machine all nodes
share two cores, so wall time says little of a node's cost; CPU seconds do.

The cluster is started by the benchmark (``paritrana cluster start`` in ``var/bench-cluster``,
127.0.0.1:9800–9802) and stopped at the end; the single server is the embedded one (database
``paritrana_bench_cluster``). Both runs must give the same number of lines, bills and active
participants (checked).

Then (``--parts linkage``, on by default) the issue's third measurement: an outside list of 100,000
against a registry of 1,000,000 matched on DuckDB and on a Spark standalone master and worker (not
``local[*]``), side by side in one run — ``bench_linkage.py --engines duckdb,spark --spark-master
standalone`` in a child process, with its own database (``paritrana_bench_link1m`` for 1,000,000, the
registry synthesised there once, untimed) and list files (``var/bench1m``); its steps (training, prediction)
are the per-node figures docs/scale.md sizes the 13-million-row list from.

Run: ``.venv/bin/python bench/bench_cluster.py [--persons 2000000] [--period 2026-10]
[--parts jobs,linkage] [--linkage-records 100000] [--linkage-persons 1000000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CLUSTER_DIR = REPO / "var" / "bench-cluster"
PORT = 9800
SINGLE_DB = "paritrana_bench_cluster"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def _postmaster(data_dir: Path) -> int:
    return int((data_dir / "postmaster.pid").read_text().splitlines()[0])


def node_cpu_seconds(data_dir: Path) -> float:
    """CPU seconds used so far by a server: the postmaster, its live children (backends, parallel
    workers, Citus's maintenance daemon) and the children it has reaped (cutime, cstime)."""
    pid = _postmaster(data_dir)
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid = int(fields[1])
        if int(entry.name) == pid:
            total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
        elif ppid == pid:
            total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


# -- the child: one target ---------------------------------------------------------------------


def child(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("PARITRANA_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from paritrana.contributions.batch.billing import billing_run
    from paritrana.core.periods import Period
    from paritrana.coverage.batch.rollup import refresh_month
    from paritrana.demo.synth.load import synth_run

    nodes = [Path(p) for p in args.nodes.split(",")]
    out: dict[str, Any] = {}

    def measured(name: str, job: Any) -> Any:
        before = [node_cpu_seconds(n) for n in nodes]
        started = time.perf_counter()
        result = job()
        wall = time.perf_counter() - started
        after = [node_cpu_seconds(n) for n in nodes]
        out[name] = {
            "seconds": round(wall, 2),
            "cpu_seconds": {n.name: round(b - a, 2) for n, a, b in zip(nodes, before, after, strict=True)},
        }
        return result

    t = time.perf_counter()
    call_command("migrate", cluster=args.distributed, verbosity=0)
    out["migrate_seconds"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    synth_run(persons=args.persons, seed=1)
    out["population_seconds"] = round(time.perf_counter() - t, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    report = measured("billing", lambda: billing_run(args.period))
    out["billing"]["lines"], out["billing"]["bills"] = report.lines, report.bills_touched
    out["billing"]["steps"] = report.steps
    period = Period.parse(args.period).first_day
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE contributions_bill SET status = 'paid', paid_amount = amount_due"
            " WHERE period = %s AND payer_key %% 7 <> 0",
            (period,),
        )
        # Statistics as the rollup will find them after a day of payments (autovacuum's analyze).
        cursor.execute("ANALYZE contributions_bill")
    rollup = measured("rollup", lambda: refresh_month(period))
    out["rollup"]["active"] = rollup["active"]
    if args.distributed:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nodeport, sum(shard_size) FROM citus_shards"
                " WHERE table_name = 'contributions_contributionline'::regclass OR table_name::text LIKE"
                " 'contributions_contributionline_p%%' GROUP BY 1 ORDER BY 1"
            )
            out["lines_bytes_by_node"] = {str(port): int(size) for port, size in cursor.fetchall()}
    print(json.dumps(out))


# -- rebalancing: a third worker joins ----------------------------------------------------------


def rebalance(coordinator: str) -> dict[str, Any]:
    """A third worker started and added, the shards moved onto it by ``rebalance_table_shards``
    (logical replication, writes allowed meanwhile): the seconds and the bytes moved."""
    from paritrana.core import cluster

    made = cluster.build_for()
    node = cluster.Node("worker3", PORT + 3)
    cluster._start_node(node, made)
    manifest = json.loads(cluster._manifest().read_text())
    manifest["nodes"].append({"name": node.name, "port": node.port})
    cluster._manifest().write_text(json.dumps(manifest))
    with cluster._connect(node.url("postgres")) as conn:
        conn.execute(f'CREATE DATABASE "{cluster.DATABASE_NAME}"')
    with cluster._connect(node.url()) as conn:
        conn.execute("CREATE EXTENSION citus")
    with cluster._connect(coordinator) as conn:
        conn.execute("SELECT citus_add_node('127.0.0.1', %s)", (node.port,))
        started = time.perf_counter()
        conn.execute("SELECT rebalance_table_shards()")
        seconds = time.perf_counter() - started
        by_node = dict(
            conn.execute(
                "SELECT nodeport, sum(shard_size)::bigint FROM citus_shards"
                " WHERE citus_table_type = 'distributed' GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )
    return {"seconds": round(seconds, 1), "distributed_bytes_by_node": {str(k): int(v) for k, v in by_node.items()}}


# -- the parent: both targets side by side --------------------------------------------------------


def _run_child(url: str, nodes: list[Path], distributed: bool, args: argparse.Namespace) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, __file__, "--child", "--persons", str(args.persons), "--period", args.period,
               "--nodes", ",".join(str(n) for n in nodes)] + (["--distributed"] if distributed else [])  # fmt: skip
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-5000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def linkage(records: int, persons: int) -> dict[str, Any]:
    """Linkage on DuckDB and on a Spark standalone cluster, side by side (bench_linkage.py): each
    engine's seconds and steps, accuracy, and the Spark / DuckDB ratio."""
    # A database and folder per registry size: the registry is synthesised once in each.
    size = f"{persons // 1_000_000}m" if persons % 1_000_000 == 0 else str(persons)
    env = {
        **os.environ,
        "PARITRANA_DB_NAME": f"paritrana_bench_link{size}",
        "PARITRANA_BENCH_DIR": str(REPO / f"var/bench{size}"),
    }
    env.pop("DATABASE_URL", None)
    command = [sys.executable, str(REPO / "bench" / "bench_linkage.py"), "--persons", str(persons), "--records",
               str(records), "--engines", "duckdb,spark", "--spark-master", "standalone", "--skip-default"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    if done.returncode != 0:
        raise SystemExit(f"bench_linkage.py failed:\n{done.stderr[-3000:]}")
    out = done.stdout
    found = json.loads(out[out.rindex("\n{\n") + 1 :])  # its last print: the whole result, indented
    duck, spark = found["paritrana"], found["paritrana_spark"]
    return {
        "registry": found["registry"],
        "records": found["records"],
        "duckdb": duck,
        "spark_standalone": spark,
        "spark_over_duckdb": round(spark["seconds"] / duck["seconds"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=2_000_000)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--parts", default="jobs,linkage", help="jobs (billing, rollup, rebalancing), linkage")
    parser.add_argument("--linkage-records", type=int, default=100_000)
    parser.add_argument("--linkage-persons", type=int, default=1_000_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--distributed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--nodes", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    parts = set(args.parts.split(","))
    results: dict[str, Any] = {
        "machine": f"{platform.node()} {os.cpu_count()} cores, {platform.platform()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    if "jobs" in parts:
        results |= jobs(args)
    if "linkage" in parts:
        print("linkage, DuckDB and Spark standalone …", file=sys.stderr, flush=True)
        results["linkage"] = linkage(args.linkage_records, args.linkage_persons)
    print(json.dumps(results, indent=1))


def jobs(args: argparse.Namespace) -> dict[str, Any]:
    """Billing and the rollup on one server and on the 1 + 2 cluster, then rebalancing."""
    import psycopg

    from paritrana.core import cluster, embedded_db

    # The single server: the embedded one, a fresh database.
    embedded_db.start()
    single_dir = embedded_db.data_dir()
    host, port = str(embedded_db.socket_dir()), embedded_db.PORT
    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SINGLE_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{SINGLE_DB}"')
    single_url = f"postgresql://postgres@/{SINGLE_DB}?host={host}&port={port}"

    # The cluster: fresh nodes.
    os.environ["PARITRANA_CLUSTER_DIR"] = str(CLUSTER_DIR)
    os.environ.pop("DATABASE_URL", None)
    cluster.build()
    cluster.stop()
    subprocess.run(["rm", "-rf", str(CLUSTER_DIR)], check=True)
    started = cluster.start(workers=2, port=PORT)
    cluster_nodes = [n.data_dir for n in cluster.nodes()]

    results: dict[str, Any] = {"persons": args.persons, "period": args.period}
    try:
        print("one PostgreSQL …", file=sys.stderr, flush=True)
        results["single"] = _run_child(single_url, [single_dir], False, args)
        print(json.dumps(results["single"]), file=sys.stderr, flush=True)
        print("Citus 1 + 2 …", file=sys.stderr, flush=True)
        results["cluster"] = _run_child(started["coordinator"], cluster_nodes, True, args)
        print("a third worker: rebalancing …", file=sys.stderr, flush=True)
        results["rebalance"] = rebalance(started["coordinator"])
    finally:
        cluster.stop()
    one, many = results["single"], results["cluster"]
    assert one["billing"]["lines"] == many["billing"]["lines"], "the two runs billed different lines"
    assert one["billing"]["bills"] == many["billing"]["bills"], "the two runs wrote different bills"
    assert one["rollup"]["active"] == many["rollup"]["active"], "the two rollups counted different participants"
    for job in ("billing", "rollup"):
        cpu = many[job]["cpu_seconds"]
        workers = {k: v for k, v in cpu.items() if k != "coordinator"}
        single_cpu = sum(one[job]["cpu_seconds"].values())
        results[job] = {
            "wall_ratio_cluster_over_single": round(many[job]["seconds"] / one[job]["seconds"], 2),
            "single_cpu_seconds": round(single_cpu, 2),
            "cluster_cpu_seconds": round(sum(cpu.values()), 2),
            "coordinator_share": round(cpu["coordinator"] / max(sum(cpu.values()), 1e-9), 3),
            "worker_cpu_seconds": workers,
        }
    lines = one["billing"]["lines"]
    billing = results["billing"]
    billing["lines_per_cpu_second_single"] = round(lines / max(billing["single_cpu_seconds"], 1e-9))
    billing["lines_per_worker_cpu_second"] = round(lines / max(sum(billing["worker_cpu_seconds"].values()), 1e-9))
    return results


if __name__ == "__main__":
    main()
