"""The scale-out path: the Splink stages of ``batch.link`` on Spark instead of DuckDB.

What moves to Spark is the work that grows with the list times the registry: training (u by random
sampling, m by expectation maximisation) and prediction (blocking, scoring, the threshold filter).
Loading and normalisation, the exact-NIK stage and the decisions stay in DuckDB: they are one pass
each over the list and the registry. The tables cross as Parquet files in the run's working folder,
so the same files could sit on a shared store for a cluster; here Spark runs in local mode
(``local[N]``), which is how the tests and the measurement in ``bench/bench_linkage.py`` run it.

The model is the one in ``batch.model``, written in Spark's SQL (``model.DIALECTS``); a model
trained on DuckDB is carried over by ``model.for_dialect`` with every probability kept, so a list
scored on either engine gets the same weights.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import duckdb

from ..rules.decide import Thresholds
from . import model as link_model
from .link import PAIRS_COLUMNS, training_sample_sql

log = logging.getLogger("paritrana.linkage")


def session(workdir: Path, *, master: str = "local[*]", memory: str = "4g") -> Any:
    """A Spark session with Splink's similarity functions (a Scala jar shipped with Splink)."""
    from pyspark.sql import SparkSession
    from splink.internals.spark.jar_location import similarity_jar_location

    spark = (
        SparkSession.builder.master(master)
        .appName("paritrana-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", memory)
        .config("spark.executor.memory", memory)  # a standalone worker's executor (local mode: the driver)
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.default.parallelism", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.local.dir", str(workdir / "spark-local"))
        # A standalone master's executors call the driver back: on this machine's loopback.
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(str(workdir / "spark-checkpoints"))
    return spark


def _api(spark: Any) -> Any:
    from splink import SparkAPI

    # Each Splink step is written out as Parquet ("break lineage"): Spark's plans stay short.
    return SparkAPI(spark_session=spark, break_lineage_method="parquet", num_partitions_on_repartition=8)


def _to_spark(duck: duckdb.DuckDBPyConnection, spark: Any, sql: str, path: Path) -> Any:
    """A DuckDB query's rows as a Spark DataFrame, through a Parquet file."""
    duck.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet)")
    return spark.read.parquet(str(path))


def train(
    duck: duckdb.DuckDBPyConnection,
    spark: Any,
    workdir: Path,
    *,
    registry_size: int,
    sample: int = link_model.TRAINING_SAMPLE,
) -> dict[str, Any]:
    """``batch.link.train`` on Spark: the same sample of the list (drawn in DuckDB), the same
    settings and estimation steps; the model is returned in DuckDB's SQL, the form every saved
    model has."""
    from splink import Linker

    api = _api(spark)
    listed = _to_spark(
        duck,
        spark,
        training_sample_sql(sample),
        workdir / "training_list.parquet",
    )
    registry = _to_spark(duck, spark, "SELECT * FROM registry", workdir / "registry.parquet")
    linker = Linker(
        [
            api.register(listed, dataset_display_name="training_list"),
            api.register(registry, dataset_display_name="registry"),
        ],
        link_model.settings(0.5 / max(registry_size, 1), "spark"),
        log_level=logging.WARNING,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=link_model.U_MAX_PAIRS, seed=1)
    for rule in link_model.EM_BLOCKS:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, fix_probability_two_random_records_match=True
        )
    model = link_model.floored(linker.misc.save_model_to_json())
    for view in ("training_list", "registry"):  # the names prediction registers next
        spark.catalog.dropTempView(view)
    return link_model.for_dialect(model, "duckdb")


def predict(
    duck: duckdb.DuckDBPyConnection,
    spark: Any,
    workdir: Path,
    model_json: dict[str, Any],
    thresholds: Thresholds,
) -> int:
    """``batch.link.predict`` on Spark: the residual against the registry in one pass (Spark spills
    to disk rather than holding the pairs), then the kept pairs back into DuckDB's ``pairs``."""
    from pyspark.sql import functions as F
    from splink import Linker

    duck.execute(f"CREATE OR REPLACE TABLE pairs ({PAIRS_COLUMNS})")
    if int(duck.execute("SELECT count(*) FROM residual").fetchone()[0]) == 0:  # type: ignore[index]
        return 0
    api = _api(spark)
    residual = _to_spark(duck, spark, "SELECT * FROM residual", workdir / "residual.parquet")
    registry_path = workdir / "registry.parquet"
    registry = (
        spark.read.parquet(str(registry_path))
        if registry_path.exists()
        else _to_spark(duck, spark, "SELECT * FROM registry", registry_path)
    )
    settings = {**link_model.for_dialect(model_json, "spark"), "retain_intermediate_calculation_columns": True}
    linker = Linker(
        [
            api.register(residual, dataset_display_name="listed_part"),
            api.register(registry, dataset_display_name="registry"),
        ],
        settings,
        log_level=logging.WARNING,
    )
    scored = linker.inference.predict(threshold_match_weight=thresholds.review).as_spark_dataframe()
    weights = [c for c in scored.columns if c.startswith("mw_")]
    # The evidence a clerk sees, as in batch.link: each comparison's match weight, rounded.
    evidence = F.to_json(F.struct(*[F.round(F.col(c), 2).alias(c[3:]) for c in weights])) if weights else F.lit("{}")
    left_is_list = F.col("source_dataset_l") == F.lit("listed_part")
    # As in batch.link.predict (the same SQL: Spark has abs too).
    names_differ = F.expr(link_model.names_differ_sql(model_json, list(scored.columns)))
    out = workdir / "pairs.parquet"
    scored.select(
        F.when(left_is_list, F.col("uid_l")).otherwise(F.col("uid_r")).cast("bigint").alias("listed_id"),
        F.when(left_is_list, F.col("uid_r")).otherwise(F.col("uid_l")).cast("bigint").alias("person_id"),
        F.col("match_weight").cast("double").alias("match_weight"),
        evidence.alias("evidence"),
        names_differ.cast("boolean").alias("names_differ"),
    ).write.mode("overwrite").parquet(str(out))
    duck.execute(f"INSERT INTO pairs SELECT * FROM read_parquet('{out}/*.parquet')")
    return int(duck.execute("SELECT count(*) FROM pairs").fetchone()[0])  # type: ignore[index]


# -- a Spark standalone cluster on this machine (issue 32 §4) -----------------------------------


class StandaloneCluster:
    """A Spark standalone master and workers, each a JVM of its own as on a real cluster (not
    ``local[*]``, where the executors share the driver's JVM): the driver ships its jobs and the
    similarity functions' jar over the network to executors in other processes. On one machine
    the run's working folder is the shared store; across machines it would be a shared mount.

    Used as a context manager; ``master`` is the URL for ``session`` (and for the setting
    ``PARITRANA_LINKAGE_SPARK_MASTER``)."""

    def __init__(
        self, workdir: Path, *, port: int = 7077, ui_port: int = 8080, workers: int = 1, cores: int = 1,
        memory: str = "2g",
    ) -> None:  # fmt: skip
        self.workdir, self.port, self.ui_port = workdir, port, ui_port
        self.workers, self.cores, self.memory = workers, cores, memory
        self.processes: list[Any] = []

    @property
    def master(self) -> str:
        return f"spark://127.0.0.1:{self.port}"

    def _spark_class(self, *args: str, log_name: str) -> Any:
        import os
        import subprocess

        import pyspark

        home = Path(pyspark.__file__).parent
        env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1",
               "SPARK_WORKER_DIR": str(self.workdir / "spark-work"), "SPARK_LOG_DIR": str(self.workdir)}  # fmt: skip
        log_file = open(self.workdir / log_name, "w")  # noqa: SIM115 — the JVM writes to it until stopped
        return subprocess.Popen(  # noqa: S603 — pyspark's own launcher, arguments as a list
            [str(home / "bin" / "spark-class"), *args],
            env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def state(self) -> dict[str, Any]:
        """The master's own view (its web UI's JSON): the workers and whether each is alive."""
        import json
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{self.ui_port}/json/", timeout=5) as answer:
            return dict(json.load(answer))

    def __enter__(self) -> StandaloneCluster:
        import time

        self.workdir.mkdir(parents=True, exist_ok=True)
        self.processes.append(
            self._spark_class(
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--webui-port",
                str(self.ui_port),
                log_name="spark-master.log",
            )
        )
        for i in range(self.workers):
            self.processes.append(
                self._spark_class(
                    "org.apache.spark.deploy.worker.Worker",
                    self.master,
                    "--host",
                    "127.0.0.1",
                    "--cores",
                    str(self.cores),
                    "--memory",
                    self.memory,
                    "--webui-port",
                    "0",
                    log_name=f"spark-worker{i + 1}.log",
                )
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                alive = [w for w in self.state().get("workers", []) if w.get("state") == "ALIVE"]
                if len(alive) >= self.workers:
                    return self
            except OSError:
                pass
            if any(p.poll() is not None for p in self.processes):
                break
            time.sleep(0.5)
        self.__exit__(None, None, None)
        logs = "\n".join((self.workdir / f).read_text(errors="replace")[-2000:] for f in ("spark-master.log",))
        raise RuntimeError(f"Spark standalone did not come up on {self.master}:\n{logs}")

    def __exit__(self, *exc: object) -> None:
        import os
        import signal

        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except Exception:  # a JVM that ignores TERM is killed
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()
