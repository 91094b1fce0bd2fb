"""The scale-out path (issue 7 § 6): the same pipeline with training and prediction on Splink's
Spark backend, here a local Spark (``local[2]``) in this process's JVM.

Two things are checked against the DuckDB engine on the same list and registry: a saved model scores
every listed person the same on Spark (same decision, same person, same weight), and a model trained
on Spark meets the same precision and recall bar from the list's truth column."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from paritrana.demo.synth.load import synth_run
from paritrana.demo.synth.outside_lists import generate_list
from paritrana.linkage.batch import model as link_model
from paritrana.linkage.models import LinkModel, LinkRun, Match

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime (17 or newer)"),
]


def _link(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("link", *args, stdout=out)
    return json.loads(out.getvalue())


def test_a_model_moves_between_engines_with_its_probabilities() -> None:
    duck = link_model.settings(1e-7, "duckdb").get_settings("duckdb").as_dict()
    for i, comparison in enumerate(duck["comparisons"]):
        for j, level in enumerate(comparison["comparison_levels"]):
            level["m_probability"], level["u_probability"] = 0.1 + i / 100 + j / 1000, 1e-3 * (j + 1)
    spark = link_model.for_dialect(duck, "spark")
    assert spark["sql_dialect"] == "spark"
    pairs = zip(spark["comparisons"], duck["comparisons"], strict=True)
    for target, source in pairs:
        for a, b in zip(target["comparison_levels"], source["comparison_levels"], strict=True):
            assert (a.get("m_probability"), a.get("u_probability")) == (b.get("m_probability"), b.get("u_probability"))
    conditions = json.dumps(spark["comparisons"])
    assert "array_sort" in conditions and "list_sort" not in conditions
    back = link_model.for_dialect(spark, "duckdb")
    assert json.dumps(back["comparisons"]) == json.dumps(duck["comparisons"])


@pytest.mark.django_db
def test_the_spark_engine_scores_as_duckdb_does_and_trains_as_well(world: dict[str, Any], tmp_path: Path) -> None:
    synth_run(persons=6_000, seed=11, provinces=["64", "65"])
    listed = tmp_path / "kur.csv"
    generate_list(listed, records=800, profile="hard", seed=5)
    on_duck = _link("run", "--list", str(listed), "--kind", "kur", "--truth", "NIK_SEBENARNYA", "--json")
    assert on_duck["engine"] == "duckdb" and on_duck["model_version"] == 1

    # The saved model (trained on DuckDB) scores the same list on Spark.
    on_spark = _link("rerun", str(on_duck["list"]), "--engine", "spark")
    assert on_spark["engine"] == "spark" and on_spark["model_version"] == 1
    assert LinkRun.objects.get(pk=on_spark["run"]).engine == "spark"

    def answers(run_id: int) -> dict[int, tuple[str, int | None, float | None]]:
        return {
            m.listed_id: (m.decision, m.person_id, None if m.weight is None else round(m.weight, 6))
            for m in Match.objects.filter(run_id=run_id)
        }

    duck_answers, spark_answers = answers(on_duck["run"]), answers(on_spark["run"])
    assert len(duck_answers) == len(spark_answers) == 800
    same_person = [k for k in duck_answers if duck_answers[k][:2] == spark_answers[k][:2]]
    same_weight = [k for k in duck_answers if duck_answers[k] == spark_answers[k]]
    # The engines' string functions are different implementations (DuckDB's jaro_winkler_similarity,
    # Splink's Scala jaro_winkler): a pair sitting on a level's threshold may fall on either side.
    # One such pair was seen in 800 (weight 10.68 against 1.52, both a match of the same person).
    assert len(same_person) >= 798, {
        k: (duck_answers[k], spark_answers[k]) for k in duck_answers if k not in same_person
    }
    assert len(same_weight) >= 795

    # Trained on Spark: a new model version, the same bar as the DuckDB engine's test.
    trained = _link("rerun", str(on_duck["list"]), "--engine", "spark", "--retrain")
    assert trained["model_version"] == 2
    assert LinkModel.objects.get(version=2).settings_json["sql_dialect"] == "duckdb"
    assert trained["precision"] >= 0.98
    assert trained["recall"] >= 0.85


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.django_db
def test_on_a_spark_standalone_cluster_the_decisions_are_duckdbs(
    world: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    """Issue 32 §4: a Spark standalone master and a worker, each its own JVM, started here (not
    ``local[*]``): the saved model scores the list there with DuckDB's decisions."""
    from paritrana.linkage.batch.spark import StandaloneCluster

    synth_run(persons=4_000, seed=13, provinces=["64"])
    listed = tmp_path / "kur.csv"
    generate_list(listed, records=500, profile="hard", seed=7)
    on_duck = _link("run", "--list", str(listed), "--kind", "kur", "--truth", "NIK_SEBENARNYA", "--json")
    with StandaloneCluster(tmp_path / "spark", port=_free_port(), ui_port=_free_port(), memory="2g") as cluster:
        alive = [w for w in cluster.state()["workers"] if w["state"] == "ALIVE"]
        assert len(alive) == 1 and alive[0]["cores"] == 1
        settings.PARITRANA_LINKAGE_SPARK_MASTER = cluster.master
        on_spark = _link("rerun", str(on_duck["list"]), "--engine", "spark")
        # The worker ran the executor: the master counts the application it served.
        assert any(app["name"] == "paritrana-linkage" for app in cluster.state()["completedapps"])
    assert on_spark["engine"] == "spark"

    def answers(run_id: int) -> dict[int, tuple[str, int | None]]:
        return {m.listed_id: (m.decision, m.person_id) for m in Match.objects.filter(run_id=run_id)}

    duck_answers, spark_answers = answers(on_duck["run"]), answers(on_spark["run"])
    assert len(duck_answers) == len(spark_answers) == 500
    differing = {k: (duck_answers[k], spark_answers[k]) for k in duck_answers if duck_answers[k] != spark_answers[k]}
    # As in local mode (above): a pair on a string threshold may fall either way, one or two in hundreds.
    assert len(differing) <= 2, differing
