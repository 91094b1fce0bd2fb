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
from paritrana.linkage.batch.run import run_execute, workdir_root
from paritrana.linkage.models import LinkRun, ListedPerson, OutsideList
from tests.conftest import FLUSHABLE_APPS
from tests.faults.race import blocked_behind, kill_and_wait, other_connection, spawn, wait_for
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


def test_a_killed_run_is_said_failed_cleaned_and_the_next_run_is_whole(listed: Path) -> None:
    made = _import(listed)
    clean = run_execute(services.run_create(actor=system_actor(), list_id=made.pk, channel="cli", defer=False).pk)
    killed = services.run_create(actor=system_actor(), list_id=made.pk, channel="cli", defer=False)
    # The registry held by another transaction: the run waits while copying it out, mid-way.
    holder = other_connection()
    holder.execute("LOCK TABLE registry_person IN ACCESS EXCLUSIVE MODE")
    job = spawn(f"from paritrana.linkage.batch.run import run_execute; run_execute({killed.pk})")
    try:
        wait_for("SELECT 1 FROM linkage_linkrun WHERE id = %s AND status = 'running'", (killed.pk,))
        backend = blocked_behind(holder)
        scratch = list(workdir_root().glob(f"link-run-{killed.pk}-*"))
        assert scratch, "the run had begun its scratch folder"
        kill_and_wait(job, backend, then=holder.rollback)
    finally:
        if job.poll() is None:
            job.kill()
        holder.close()

    assert LinkRun.objects.get(pk=killed.pk).status == "running"  # for ever, before issue 29
    jobs_recover(seconds_since_heartbeat=0)
    gone = LinkRun.objects.get(pk=killed.pk)
    assert gone.status == "failed" and "jalankan lagi" in gone.error
    assert not list(workdir_root().glob(f"link-run-{killed.pk}-*"))

    whole = run_execute(services.run_create(actor=system_actor(), list_id=made.pk, channel="cli", defer=False).pk)
    keys = ("records", "matched", "covered_active", "covered_lapsed", "not_covered", "ambiguous")
    assert {k: whole.counts[k] for k in keys} == {k: clean.counts[k] for k in keys}
    assert ListedPerson.objects.filter(list=made).count() == RECORDS
