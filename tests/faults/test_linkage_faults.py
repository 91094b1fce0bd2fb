"""Matching runs repeated, run twice at once and killed (issue 29, defect 6): a list is imported once
however often its file is run, and a killed run is said failed, its scratch files removed, and the
next run gives what a clean run gives."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from paritrana.core.actors import system_actor
from paritrana.core.tasks import jobs_recover
from paritrana.demo.synth.load import synth_run
from paritrana.demo.synth.outside_lists import generate_list
from paritrana.linkage import services
from paritrana.linkage.batch.run import run_execute, scratch_prefix, workdir_root
from paritrana.linkage.models import Candidate, LinkRun, ListedPerson, Match, OutsideList
from tests.conftest import FLUSHABLE_APPS
from tests.faults.race import blocked_behind, kill_and_wait, kill_when_held, other_connection, spawn, wait_for
from tests.linkage.cli import link_cli

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)]
RECORDS = 300


@pytest.fixture
def listed(world: dict[str, Any], tmp_path: Path) -> Path:
    synth_run(persons=3_000, seed=13, provinces=["64"])
    path = tmp_path / "kur.csv"
    generate_list(path, records=RECORDS, profile="hard", seed=9)
    return path


def _import(path: Path) -> OutsideList:
    return services.list_import(actor=system_actor(), path=path, file_name=path.name, kind="kur", channel="cli")


def test_running_a_file_again_or_twice_at_once_imports_it_once(listed: Path) -> None:
    first = link_cli("run", "--list", str(listed), "--kind", "kur", "--json")
    again = link_cli("run", "--list", str(listed), "--kind", "kur", "--json")
    runs = LinkRun.objects.filter(pk__in=(first["run"], again["run"]))
    assert len({r.list_id for r in runs}) == 1 and runs.count() == 2
    assert ListedPerson.objects.count() == RECORDS  # not twice: 180,000 rows for 100,000 before
    assert again["matched"] == first["matched"]

    other = listed.with_name("kur-lagi.csv")
    other.write_bytes(listed.read_bytes())
    got: list[int] = []

    def import_it() -> None:
        try:
            got.append(_import(other).pk)
        finally:
            connections.close_all()

    both = [threading.Thread(target=import_it) for _ in range(2)]
    for t in both:
        t.start()
    for t in both:
        t.join(120)
    assert len(got) == 2 and got[0] == got[1]
    assert ListedPerson.objects.filter(list_id=got[0]).count() == RECORDS


# Early: copying the registry out to the matching engine. Middle: the registry copied, copying the
# list out. Late: the list matched and decided, writing the run's answers.
RUN_POINTS = {
    "early": ("LOCK TABLE registry_person IN ACCESS EXCLUSIVE MODE", "registry_person"),
    "middle": ("LOCK TABLE linkage_listedperson IN ACCESS EXCLUSIVE MODE", "linkage_listedperson"),
    "late": ("LOCK TABLE linkage_match IN SHARE MODE", "DELETE FROM linkage_match"),
}


@pytest.mark.parametrize("point", list(RUN_POINTS))
def test_a_killed_run_is_said_failed_cleaned_and_the_next_run_is_whole(listed: Path, point: str) -> None:
    made = _import(listed)
    clean = run_execute(services.run_create(actor=system_actor(), list_id=made.pk, channel="cli", defer=False).pk)
    killed = services.run_create(actor=system_actor(), list_id=made.pk, channel="cli", defer=False)
    hold, statement = RUN_POINTS[point]
    holder = other_connection()
    holder.execute(hold)
    kill_when_held(holder, f"from paritrana.linkage.batch.run import run_execute; run_execute({killed.pk})", statement)
    assert list(workdir_root().glob(f"{scratch_prefix(killed.pk)}*")), "the run had begun its scratch folder"

    assert LinkRun.objects.get(pk=killed.pk).status == "running"  # for ever, before issue 29
    jobs_recover(seconds_since_heartbeat=0)
    gone = LinkRun.objects.get(pk=killed.pk)
    assert gone.status == "failed" and "jalankan lagi" in gone.error
    assert not list(workdir_root().glob(f"{scratch_prefix(killed.pk)}*"))

    whole = run_execute(services.run_create(actor=system_actor(), list_id=made.pk, channel="cli", defer=False).pk)
    keys = ("records", "matched", "covered_active", "covered_lapsed", "not_covered", "ambiguous")
    assert {k: whole.counts[k] for k in keys} == {k: clean.counts[k] for k in keys}
    assert ListedPerson.objects.filter(list=made).count() == RECORDS
    assert not Match.objects.filter(run=killed).exists()  # nothing of the killed run's answers


LINKAGE_WORKER = """
from procrastinate.contrib.django import app
with app.replace_connector(app.connector.get_worker_connector()):
    app.run_worker(queues=["linkage"], wait=False, install_signal_handlers=False)
"""


def test_a_page_started_run_whose_worker_is_killed_is_finished_by_the_next_worker(listed: Path) -> None:
    made = _import(listed)
    clean = run_execute(services.run_create(actor=system_actor(), list_id=made.pk, channel="cli", defer=False).pk)
    # As the page starts it: the run queued as a job (run_create with defer), a worker takes it.
    queued = services.run_create(actor=system_actor(), list_id=made.pk, channel="api")
    holder = other_connection()
    holder.execute("LOCK TABLE registry_person IN ACCESS EXCLUSIVE MODE")
    worker = spawn(LINKAGE_WORKER)
    try:
        job = wait_for("SELECT id FROM procrastinate_jobs WHERE task_name LIKE '%%link_run' AND status = 'doing'")
        backend = blocked_behind(holder)
        kill_and_wait(worker, backend, then=holder.rollback)
    finally:
        if worker.poll() is None:
            worker.kill()
        holder.close()

    assert LinkRun.objects.get(pk=queued.pk).status == "running"
    recovered = jobs_recover(seconds_since_heartbeat=0)
    assert job in recovered["jobs"] and recovered["ledger"]
    assert LinkRun.objects.get(pk=queued.pk).status == "failed"  # said so until a worker takes it again
    assert not list(workdir_root().glob(f"{scratch_prefix(queued.pk)}*"))

    from procrastinate.contrib.django import app

    try:
        with app.replace_connector(app.connector.get_worker_connector()):  # type: ignore[attr-defined]
            app.run_worker(queues=["linkage"], wait=False, install_signal_handlers=False)
    finally:
        connections.close_all()
    done = LinkRun.objects.get(pk=queued.pk)
    assert done.status == "done" and done.error == ""
    keys = ("records", "matched", "covered_active", "covered_lapsed", "not_covered", "ambiguous")
    assert {k: done.counts[k] for k in keys} == {k: clean.counts[k] for k in keys}
    assert Match.objects.filter(run=done).count() == RECORDS
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", (job,))
        assert cursor.fetchone() == ("succeeded",)


def test_a_run_executed_again_after_its_answers_committed_keeps_one_answer_per_listed_person(listed: Path) -> None:
    """Killed after its answers' transaction committed and before the run was said done, a retried run
    writes its answers again: they replace the first, never add to them."""
    made = _import(listed)
    run = run_execute(services.run_create(actor=system_actor(), list_id=made.pk, channel="cli", defer=False).pk)
    first = sorted(Match.objects.filter(run=run).values_list("listed_id", "person_id", "decision"))
    candidates = Candidate.objects.filter(match__run=run).count()
    LinkRun.objects.filter(pk=run.pk).update(status="running")
    again = run_execute(run.pk)
    assert again.status == "done" and again.counts == run.counts
    assert sorted(Match.objects.filter(run=run).values_list("listed_id", "person_id", "decision")) == first
    assert len(first) == RECORDS and Candidate.objects.filter(match__run=run).count() == candidates
