"""Benchmark: matching an outside list against the registry (issue 7), three ways in one run.

Same database, same list (``synth-list`` hard profile: registered persons with typos, name variants
and old spellings, titles, dropped words, swapped day/month, missing or mistyped NIKs, moved
regencies, plus persons never registered), same truth column:

  1. Paritrana, end to end: ``services.list_import`` (file → PostgreSQL), ``run_execute`` (registry
     and list copied into DuckDB, exact NIK with birth date and sex, Splink on the rest with names
     normalised and the NIK compared as parts, decisions, outcomes written back);
  2. the exact-NIK join, in PostgreSQL: the list's NIK (digits only) equal to a registered NIK;
  3. Splink with default-style settings on the same DuckDB tables: lower-cased names by
     Jaro-Winkler, the **whole NIK by Levenshtein**, birth date, sex and regency exact; blocking on
     NIK and on birth date + the name's first four letters; trained the same way (u by sampling,
     m by EM), a match at probability ≥ 0.9 with the best candidate taken.

Precision = right matches / matches; recall = right matches / listed persons who are registered.
Peak memory is this process's (DuckDB runs in it; PostgreSQL is the server beside it).

With ``--engines duckdb,spark`` Paritrana runs twice, the second time training and scoring on a local
Spark (``batch.spark``, the scale-out path); the Spark JVM's memory is its own, not in the peak. With
``--spark-master standalone`` that Spark is a standalone master and a worker started by the benchmark,
each its own JVM, the executor in the worker's (issue 32 §4), instead of ``local[*]``.

With ``--profile real`` the list carries the families of real exports (issue 28 §5: apostrophes and
``.0`` in NIK cells, NIKs lost to ``3.17E+15``, a relative's NIK, year-only dates, names family-name
first, Pria/Wanita, regencies as on ID cards or misspelt, …). Recall and precision are printed per
family beside the exact-NIK lookup's recall on the same rows.

Run: ``.venv/bin/python bench/bench_linkage.py [--persons 10000000] [--records 1000000]
[--profile hard|real] [--seed 11] [--engines duckdb,spark] [--spark-master local|standalone]``
(its own database ``paritrana_bench_link``; the registry is synthesised when smaller, untimed).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import sys
import time
from datetime import date
from pathlib import Path

from paritrana.core.actors import system_actor

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _setup import django_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("PARITRANA_DB_NAME", "paritrana_bench_link")
os.environ.setdefault("PARITRANA_LOG_LEVEL", "WARNING")


def _peak_gib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024, 2)


def _scores(predicted: int, correct: int, registered: int) -> dict[str, float]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / registered if registered else 0.0
    return {"precision": round(precision, 5), "recall": round(recall, 5)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=10_000_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--profile", default="hard", help="the list's noise: hard, or real (issue 28's families)")
    parser.add_argument("--skip-default", action="store_true")
    parser.add_argument("--engines", default="duckdb", help="duckdb,spark: Paritrana on each engine")
    parser.add_argument(
        "--spark-master",
        default="local",
        help="local (local[*], executors in the driver's JVM) or standalone: a Spark standalone master and"
        " one worker started here, each its own JVM (issue 32 §4)",
    )
    parser.add_argument("--spark-worker-memory", default="6g")
    args = parser.parse_args()
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from paritrana.demo.synth.load import synth_run
    from paritrana.demo.synth.outside_lists import TRUTH, generate_list, scores_by_family
    from paritrana.linkage import selectors, services
    from paritrana.linkage.batch import link as engine
    from paritrana.linkage.batch.run import run_execute
    from paritrana.registry.models import Person

    call_command("migrate", verbosity=0)
    if Person.objects.count() < args.persons:
        print(f"synthesising {args.persons:,} persons …", flush=True)
        synth_run(persons=args.persons, seed=1)
    registry = Person.objects.count()
    work = Path(os.environ.get("PARITRANA_BENCH_DIR", "var/bench"))
    work.mkdir(parents=True, exist_ok=True)
    listed_file = work / f"kur-{args.profile}-{args.records}-seed{args.seed}.csv"
    if not listed_file.exists():
        print(f"generating the list ({args.records:,} rows) …", flush=True)
        made = generate_list(listed_file, records=args.records, profile=args.profile, seed=args.seed)
        print(made, flush=True)
    # Earlier runs are cleared, and the run trains its own model: training is inside the time.
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE linkage_candidate, linkage_match, linkage_linkrun, linkage_linkmodel, linkage_listedperson,"
            " linkage_outsidelist RESTART IDENTITY CASCADE"
        )
    results: dict[str, object] = {"registry": registry, "records": args.records}

    # 1. Paritrana, end to end, on each engine asked for (each imports the list and trains its own
    # model: both are inside the time). On a standalone Spark its master and worker are up before the
    # clock starts, as a cluster is.
    standalone = None
    if args.spark_master == "standalone":
        import socket

        from django.conf import settings

        from paritrana.linkage.batch.spark import StandaloneCluster

        def free_port() -> int:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                return int(s.getsockname()[1])

        standalone = StandaloneCluster(
            work / "spark-standalone", port=free_port(), ui_port=free_port(), cores=os.cpu_count() or 2,
            memory=args.spark_worker_memory,
        ).__enter__()  # fmt: skip
        settings.PARITRANA_LINKAGE_SPARK_MASTER = standalone.master
        print(f"Spark standalone: {standalone.master}, one worker", flush=True)
    for engine_name in args.engines.split(","):
        started = time.perf_counter()
        listed = services.list_import(
            actor=system_actor(), path=listed_file, file_name=listed_file.name, kind="kur", truth=TRUTH, channel="cli"
        )
        imported = time.perf_counter() - started
        run = services.run_create(
            actor=system_actor(), list_id=listed.pk, channel="cli", retrain=True, engine_name=engine_name
        )
        run = run_execute(run.pk)
        seconds = time.perf_counter() - started
        report = selectors.run_report(run, truth=True, seconds=seconds)
        key = "paritrana" if engine_name == "duckdb" else f"paritrana_{engine_name}"
        results[key] = {
            "seconds": round(seconds, 2),
            "import_seconds": round(imported, 2),
            "steps": run.steps,
            "peak_gib": _peak_gib(),
            **{k: report[k] for k in ("matched", "covered_active", "covered_lapsed", "not_covered", "ambiguous")},
            "precision": report["precision"],
            "recall": report["recall"],
            "f1": report["f1"],
        }
        print(engine_name, json.dumps(results[key]), flush=True)
        # Per kind of damage, beside the exact-NIK lookup on the same rows (issue 28 §5).
        families = scores_by_family(run.pk, listed.pk, listed_file)
        results[f"{key}_families"] = families
        print(f"{'family':<18} {'rows':>8} {'registered':>10} {'recall':>8} {'precision':>9} {'NIK recall':>10}")
        for tag, f in families.items():
            print(
                f"{tag:<18} {f['rows']:>8} {f['registered']:>10} {f['recall']:>8.4f} {f['precision']:>9.4f}"
                f" {f['exact_nik_recall']:>10.4f}",
                flush=True,
            )

    if standalone is not None:
        results["spark_master"] = standalone.master
        standalone.__exit__(None, None, None)

    # 2. The exact-NIK join in PostgreSQL.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE p.nik = lp.truth),
                   (SELECT count(*) FROM linkage_listedperson WHERE list_id = %(list)s AND truth <> '')
            FROM linkage_listedperson lp
            JOIN registry_person p ON p.nik = regexp_replace(lp.nik_raw, '[^0-9]', '', 'g')
            WHERE lp.list_id = %(list)s
            """,
            {"list": listed.pk},
        )
        predicted, correct, registered = cursor.fetchone()
    results["exact_nik"] = {"seconds": round(time.perf_counter() - started, 2), "matched": predicted,
                            **_scores(predicted, correct, registered)}  # fmt: skip
    print(json.dumps(results["exact_nik"]), flush=True)

    # 3. Splink with default-style settings (whole-NIK Levenshtein, raw names).
    if not args.skip_default:
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on

        started = time.perf_counter()
        duck_dir = work / "default-splink"
        duck = engine.open_duck(duck_dir, memory_limit="10GB")
        with connection.cursor() as cursor:
            # Its own registry copy: names as registered, lower-cased (no variant handling).
            engine.copy_out(
                cursor.cursor,
                "COPY (SELECT id, nik, lower(full_name), birth_date, sex, regency_code FROM registry_person)"
                " TO STDOUT (FORMAT csv)",
                (),
                duck_dir / "reg.csv",
            )
            duck.execute(
                f"CREATE OR REPLACE TABLE reg_d AS SELECT * FROM read_csv('{duck_dir / 'reg.csv'}', header = false,"
                " columns = {'uid': 'BIGINT', 'nik': 'VARCHAR', 'name': 'VARCHAR', 'birth_date': 'DATE',"
                " 'sex': 'VARCHAR', 'regency_code': 'VARCHAR'})"
            )
            # The list as Paritrana reads it (dates parsed, NIK digits), but the name only lower-cased.
            engine.load_list(duck, cursor.cursor, listed.pk, duck_dir, today=date.today())
            engine.copy_out(
                cursor.cursor,
                "COPY (SELECT id, truth FROM linkage_listedperson WHERE list_id = %s) TO STDOUT (FORMAT csv)",
                (listed.pk,),
                duck_dir / "truth.csv",
            )
            duck.execute(
                f"CREATE OR REPLACE TABLE truth_d AS SELECT * FROM read_csv('{duck_dir / 'truth.csv'}', header = false,"
                " columns = {'uid': 'BIGINT', 'truth': 'VARCHAR'})"
            )
        duck.execute(
            "CREATE OR REPLACE TABLE list_d AS SELECT l.uid, l.nik, lower(trim(r.name_raw)) AS name, l.birth_date,"
            " l.sex, l.regency_code FROM listed l JOIN list_raw r ON r.uid::BIGINT = l.uid"
        )
        settings = SettingsCreator(
            link_type="link_only",
            unique_id_column_name="uid",
            probability_two_random_records_match=0.5 / registry,
            blocking_rules_to_generate_predictions=[block_on("nik"), block_on("birth_date", "substr(name, 1, 4)")],
            comparisons=[
                cl.LevenshteinAtThresholds("nik", [1, 2]),
                cl.JaroWinklerAtThresholds("name", [0.9, 0.7]),
                cl.ExactMatch("birth_date"),
                cl.ExactMatch("sex"),
                cl.ExactMatch("regency_code"),
            ],
        )
        db_api = DuckDBAPI(duck)
        duck.execute("CREATE OR REPLACE TABLE list_train AS SELECT * FROM list_d USING SAMPLE 100000 ROWS")
        trainer = Linker([db_api.register("list_train"), db_api.register("reg_d")], settings, log_level=logging.WARNING)
        trainer.training.estimate_u_using_random_sampling(max_pairs=2_000_000, seed=1)
        for rule in (block_on("nik"), block_on("birth_date", "substr(name, 1, 4)")):
            trainer.training.estimate_parameters_using_expectation_maximisation(rule)
        model = trainer.misc.save_model_to_json()
        linker = Linker(
            [db_api.register("list_d", dataset_display_name="listed_d"), db_api.register("reg_d", table_name="reg_d2")],
            model,
            log_level=logging.WARNING,
        )
        scored = linker.inference.predict(threshold_match_probability=0.9)
        duck.execute(
            f"""
            CREATE OR REPLACE TABLE best AS
            SELECT CASE WHEN source_dataset_l = 'listed_d' THEN uid_l ELSE uid_r END AS listed_id,
                   arg_max(CASE WHEN source_dataset_l = 'listed_d' THEN uid_r ELSE uid_l END, match_weight) AS person_id
            FROM {scored.physical_name} GROUP BY 1
            """
        )
        seconds = time.perf_counter() - started
        predicted, correct = duck.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE reg.nik = r.truth)
            FROM best b JOIN reg_d reg ON reg.uid = b.person_id JOIN truth_d r ON r.uid = b.listed_id
            """
        ).fetchone()  # type: ignore[misc]
        registered = duck.execute("SELECT count(*) FROM truth_d WHERE truth IS NOT NULL AND truth <> ''").fetchone()[0]  # type: ignore[index]
        results["splink_default"] = {"seconds": round(seconds, 2), "matched": predicted, "peak_gib": _peak_gib(),
                                     **_scores(predicted, correct, registered)}  # fmt: skip
        print(json.dumps(results["splink_default"]), flush=True)

    results["machine"] = f"{platform.node()} {os.cpu_count()} cpu, Python {platform.python_version()}"
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
