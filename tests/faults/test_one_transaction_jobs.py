"""Jobs that do their whole work in one transaction, killed with kill -9 inside it (issue 29): the
coverage rollup after it has built its work table, BSU eligibility as it begins to replace the
round's decisions. Each is held there by another transaction's lock on the table it writes next
(seen in ``pg_locks``, not guessed), killed, and run again: what was there before stays whole until
the new run commits, and the new run gives exactly the clean run's rows."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from paritrana.core.actors import system_actor
from paritrana.core.models import BatchRun
from paritrana.core.tasks import jobs_recover
from paritrana.coverage.batch import rollup
from paritrana.coverage.batch.rollup import refresh_month
from paritrana.demo.synth.load import synth_run
from paritrana.subsidies import services as bsu
from paritrana.subsidies.models import Batch, Round
from paritrana.subsidies.models import Payment as BsuPayment
from tests.conftest import FLUSHABLE_APPS
from tests.coverage.batch.test_rollup import PERIOD, population  # noqa: F401
from tests.faults.race import blocked_behind, kill_and_wait, other_connection, spawn
from tests.subsidies.test_services import _approved, bsu_2025  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)]
# rollup.sql's work tables (CREATE TABLE … AS), dropped before its transaction ends.
WORK_TABLES = re.findall(r"CREATE TABLE (\w+)", (Path(rollup.__file__).parent / "rollup.sql").read_text())


def _rows(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(cursor.fetchall())


def _kill_while_waiting_on(table: str, code: str) -> None:
    holder = other_connection()
    holder.execute(f"LOCK TABLE {table} IN SHARE MODE")
    job = spawn(code)
    try:
        backend = blocked_behind(holder)
        kill_and_wait(job, backend, then=holder.rollback)
    finally:
        if job.poll() is None:
            job.kill()
        holder.close()


def _coverage() -> list[tuple[Any, ...]]:
    return _rows(
        "SELECT regency_code, segment, sex, disability, age_band, active FROM coverage_month WHERE period = %s",
        (PERIOD,),
    ) + _rows("SELECT province_code, segment, active, women, disability FROM coverage_province_month WHERE period = %s",
              (PERIOD,))  # fmt: skip


def test_rollup_killed_after_its_work_table_leaves_the_month_as_it_was(population: dict[str, Any]) -> None:  # noqa: F811
    refresh_month(PERIOD)
    clean = _coverage()
    assert clean and len(WORK_TABLES) >= 3
    _kill_while_waiting_on(
        "coverage_month",
        "from datetime import date\nfrom paritrana.coverage.batch.rollup import refresh_month\n"
        "refresh_month(date(2025, 3, 1))",
    )
    assert _coverage() == clean  # the month as the last committed rollup left it
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname = ANY(%s)", (WORK_TABLES,))
        assert cursor.fetchone() == (0,)  # no work table left behind
    assert jobs_recover(seconds_since_heartbeat=0)["ledger"]
    assert BatchRun.objects.filter(job="coverage_rollup", status="running").count() == 0
    refresh_month(date(2025, 3, 1))
    assert _coverage() == clean


def _decisions(round_id: int) -> list[tuple[Any, ...]]:
    return _rows(
        "SELECT person_id, membership_id, eligible, reasons FROM subsidies_decision WHERE round_id = %s", (round_id,)
    )


def test_bsu_eligibility_killed_leaves_the_last_decisions_and_runs_again_whole(world: dict[str, Any]) -> None:
    synth_run(persons=2_000, seed=7, provinces=["64"])
    bsu.round_compute(actor=system_actor(), code="BSU-2021", channel="cli")
    round_ = Round.objects.get(code="BSU-2021")
    clean, counts = _decisions(round_.pk), round_.counts
    assert clean and counts["eligible"] > 0
    _kill_while_waiting_on(
        "subsidies_decision",
        "from paritrana.core.actors import system_actor\nfrom paritrana.subsidies import services\n"
        "services.round_compute(actor=system_actor(), code='BSU-2021', channel='cli')",
    )
    round_.refresh_from_db()
    assert _decisions(round_.pk) == clean and round_.counts == counts and round_.status == "computed"
    assert jobs_recover(seconds_since_heartbeat=0)["ledger"]
    bsu.round_compute(actor=system_actor(), code="BSU-2021", channel="cli")
    round_.refresh_from_db()
    assert _decisions(round_.pk) == clean
    assert {k: round_.counts[k] for k in ("decided", "eligible", "reasons", "amount")} == {
        k: counts[k] for k in ("decided", "eligible", "reasons", "amount")
    }


def test_a_bsu_batch_killed_as_it_writes_its_payments_is_made_once_when_asked_again(
    bsu_2025: dict[str, Any],  # noqa: F811
) -> None:
    _approved(bsu_2025)
    _kill_while_waiting_on(
        "subsidies_payment",
        "from paritrana.core.actors import system_actor\nfrom paritrana.subsidies import services\n"
        "services.batch_create(actor=system_actor(), code='BSU-2025', channel_code='BRI', channel='cli')",
    )
    assert not Batch.objects.exists() and not BsuPayment.objects.exists()  # no batch, no file to pay from
    made = bsu.batch_create(actor=system_actor(), code="BSU-2025", channel_code="BRI", channel="cli")
    # The clean batch of tests/subsidies: three people, Rp600,000 each (Permenaker 5/2025), number 1.
    assert (made.number, made.payments, made.amount) == (1, 3, Decimal(1_800_000))
    assert BsuPayment.objects.count() == 3
