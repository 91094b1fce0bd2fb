"""One linkage run, end to end: the registry and the list into DuckDB, exact NIK matches, Splink
(DuckDB, or Spark for the scale-out path) on the rest, and the decisions written back into PostgreSQL
set-based through temporary tables. Progress is the run's row (``LinkRun.stage``/``progress``) for
the page to follow; the job itself is a row of the batch ledger (core/batch.py)."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from paritrana.core import embedded_db
from paritrana.core.audit import audit_record
from paritrana.core.batch import batch_run

from ..models import Engine, LinkModel, LinkRun, RunStatus
from ..rules.decide import Thresholds
from . import link as engine


def workdir_root() -> Path:
    """Scratch files of runs and imports: under the installation's home (``PARITRANA_HOME``, where the
    rest of ``var/`` is), not the code's folder, which a deployment may keep read-only."""
    root = Path(getattr(settings, "PARITRANA_LINKAGE_DIR", "") or embedded_db.home() / "var" / "linkage")
    root.mkdir(parents=True, exist_ok=True)
    return root


def scratch_prefix(run_id: int) -> str:
    """A run's scratch folder names its database too: two databases served from one home (a developer's
    and the tests', a twin) number their runs alike, and removing one's leftovers must not touch the
    other's."""
    database = re.sub(r"[^A-Za-z0-9_]", "_", str(connection.settings_dict["NAME"]))
    return f"link-run-{database}-{int(run_id)}-"


# Outcome facts for the matched persons, then one INSERT of the run's matches. A membership in force
# today makes the person covered; its payer (employer, sponsor, or the person for BPU/PMI self-payers)
# holding an overdue unpaid bill makes that coverage lapsed (arrears).
FACTS_SQL = """
CREATE TEMP TABLE link_facts AS
WITH arrears AS (
  SELECT DISTINCT employer_id, sponsor_id, person_id FROM contributions_bill
  WHERE paid_amount < amount_due AND due_date < %(today)s
)
SELECT m.person_id,
       bool_or(m.status = 'active' AND m.valid_from <= %(today)s
               AND (m.valid_until IS NULL OR m.valid_until >= %(today)s)) AS active,
       bool_or(m.status = 'active' AND EXISTS (
         SELECT 1 FROM arrears a
         WHERE (a.employer_id = m.employer_id) OR (a.sponsor_id = m.sponsor_id)
            OR (m.employer_id IS NULL AND m.sponsor_id IS NULL AND a.person_id = m.person_id))) AS in_arrears
FROM registry_membership m
WHERE m.person_id IN (SELECT person_id FROM link_decisions WHERE person_id IS NOT NULL)
GROUP BY m.person_id
"""
MATCHES_SQL = """
INSERT INTO linkage_match (run_id, listed_id, person_id, decision, stage, weight, outcome, regency_code)
SELECT %(run)s, d.listed_id, d.person_id, d.decision, d.stage, d.weight,
       CASE WHEN d.decision = 'match' AND f.active AND NOT f.in_arrears THEN 'covered_active'
            WHEN d.decision = 'match' THEN 'covered_lapsed'
            WHEN d.decision = 'none' THEN 'not_covered'
            ELSE 'ambiguous' END,
       d.regency_code
FROM link_decisions d
LEFT JOIN link_facts f ON f.person_id = d.person_id
"""


def run_execute(run_id: int, *, progress: engine.Progress | None = None, today: date | None = None) -> LinkRun:
    """Match the run's list against the registry and record the answers (a background job, or the
    CLI). Re-running a list makes a new run; earlier runs stay as they were."""
    run = LinkRun.objects.select_related("list").get(pk=run_id)
    with batch_run("linkage_run", {"run": run.pk, "list": run.list_id}) as ledger:
        done = _execute(run, progress=progress, today=today or timezone.localdate())
        ledger.rows = int(done.counts.get("records", 0))
        ledger.detail = {"counts": done.counts, "steps": done.steps}
    return done


def _execute(run: LinkRun, *, progress: engine.Progress | None, today: date) -> LinkRun:
    # A run retried after its worker died (core/tasks.jobs_recover) was said failed meanwhile: it is
    # running again, and no longer in error.
    LinkRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, stage="registry", progress=1, error="", finished_at=None
    )
    t = run.thresholds
    thresholds = Thresholds(match=float(t["match"]), review=float(t["review"]), lead=float(t["lead"]))
    started = time.perf_counter()
    steps: dict[str, float] = {}
    work = Path(tempfile.mkdtemp(prefix=scratch_prefix(run.pk), dir=workdir_root()))
    spark: Any = None

    def report(stage: str, share: float) -> None:
        weights = {"registry": 25, "list": 30, "exact_nik": 35, "train": 50, "predict": 90, "decide": 92}
        LinkRun.objects.filter(pk=run.pk).update(stage=stage, progress=weights.get(stage, 95))
        if progress:
            progress(stage, share)

    try:
        duck = engine.open_duck(work, memory_limit=getattr(settings, "PARITRANA_LINKAGE_MEMORY", "8GB"))
        with connection.cursor() as cursor:
            lap = time.perf_counter()
            registry = engine.load_registry(duck, cursor.cursor, work)
            steps["registry"] = round(time.perf_counter() - lap, 3)
            report("registry", 1.0)
            lap = time.perf_counter()
            records = engine.load_list(duck, cursor.cursor, run.list_id, work, today=today)
            steps["list"] = round(time.perf_counter() - lap, 3)
            report("list", 1.0)
        model = None if t.get("retrain") else LinkModel.objects.order_by("-version").first()
        if run.engine == Engine.SPARK:
            from . import spark as on_spark

            spark = on_spark.session(
                work,
                master=getattr(settings, "PARITRANA_LINKAGE_SPARK_MASTER", "local[*]"),
                memory=getattr(settings, "PARITRANA_LINKAGE_SPARK_MEMORY", "4g"),
            )
        output = engine.run(
            duck,
            model_json=model.settings_json if model else None,
            thresholds=thresholds,
            progress=report,
            spark=spark,
            workdir=work,
        )
        for stage in output.stages:
            steps[stage.name] = stage.seconds
        if model is None and output.model_json:
            model = LinkModel.objects.create(
                version=(LinkModel.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1,
                settings_json=output.model_json,
                trained_on=run.list,
                training_records=min(records, engine.link_model.TRAINING_SAMPLE),
                seconds=next((s.seconds for s in output.stages if s.name == "train"), 0),
            )
        lap = time.perf_counter()
        decisions, candidates = work / "decisions.csv", work / "candidates.csv"
        duck.execute(
            "COPY (SELECT d.listed_id, d.person_id, d.decision, coalesce(d.stage, ''), d.weight,"
            " coalesce(l.regency_code, r.regency_code, '') FROM decisions d JOIN listed l ON l.uid = d.listed_id"
            f" LEFT JOIN registry r ON r.uid = d.person_id) TO '{decisions}' (FORMAT csv, HEADER false)"
        )
        duck.execute(
            "COPY (SELECT listed_id, person_id, rank, match_weight, evidence FROM candidates)"
            f" TO '{candidates}' (FORMAT csv, HEADER false)"
        )
        duck.close()
        with transaction.atomic(), connection.cursor() as cursor:
            # The run's answers replace any an earlier attempt of the same run committed (killed after
            # this transaction, before the run was said done): retried, nothing is counted twice.
            cursor.execute(
                "DELETE FROM linkage_candidate WHERE match_id IN (SELECT id FROM linkage_match WHERE run_id = %s)",
                (run.pk,),
            )
            cursor.execute("DELETE FROM linkage_match WHERE run_id = %s", (run.pk,))
            cursor.execute(
                "CREATE TEMP TABLE link_decisions (listed_id bigint, person_id bigint, decision text, stage text,"
                " weight double precision, regency_code text) ON COMMIT DROP"
            )
            engine.copy_in(
                cursor.cursor,
                "link_decisions",
                "listed_id, person_id, decision, stage, weight, regency_code",
                decisions,
            )
            cursor.execute("ANALYZE link_decisions")
            # The facts first, as CREATE TABLE AS (it may run in parallel; an INSERT's SELECT may not).
            cursor.execute(FACTS_SQL, {"today": today})
            cursor.execute(MATCHES_SQL, {"run": run.pk})
            cursor.execute(
                "CREATE TEMP TABLE link_candidates (listed_id bigint, person_id bigint, rank int,"
                " weight double precision,"
                " evidence jsonb) ON COMMIT DROP"
            )
            engine.copy_in(cursor.cursor, "link_candidates", "listed_id, person_id, rank, weight, evidence", candidates)
            cursor.execute(
                """
                INSERT INTO linkage_candidate (match_id, person_id, rank, weight, evidence)
                SELECT m.id, c.person_id, c.rank, c.weight, c.evidence
                FROM link_candidates c JOIN linkage_match m ON m.run_id = %s AND m.listed_id = c.listed_id
                """,
                (run.pk,),
            )
            # Dropped here as well: inside a caller's transaction ON COMMIT comes too late.
            cursor.execute("DROP TABLE link_decisions, link_candidates, link_facts")
            cursor.execute("SELECT outcome, count(*) FROM linkage_match WHERE run_id = %s GROUP BY outcome", (run.pk,))
            outcomes = dict(cursor.fetchall())
            cursor.execute("SELECT count(*) FROM linkage_match WHERE run_id = %s AND decision = 'match'", (run.pk,))
            matched = cursor.fetchone()[0]
        steps["write"] = round(time.perf_counter() - lap, 3)
        counts = {
            "records": records,
            "registry": registry,
            "matched": matched,
            "by_nik": output.exact,
            "pairs": output.pairs,
            **{k: outcomes.get(k, 0) for k in ("covered_active", "covered_lapsed", "not_covered", "ambiguous")},
        }
        LinkRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE,
            stage="done",
            progress=100,
            model=model,
            counts=counts,
            steps=steps,
            seconds=round(time.perf_counter() - started, 3),
            finished_at=timezone.now(),
        )
    except Exception as exc:
        LinkRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    finally:
        if spark is not None:
            spark.stop()
        shutil.rmtree(work, ignore_errors=True)
    run.refresh_from_db()
    audit_record(
        actor=run.started_by,
        action="linkage.run_done",
        entity="linkage.LinkRun",
        entity_id=run.pk,
        channel="job",
        detail=counts,
    )
    return run
