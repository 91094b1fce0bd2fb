"""Jobs that do their whole work in one transaction, killed with kill -9 inside it (issue 29) at an
early, a middle and a late point of their own progress: the coverage rollup, BSU eligibility, a BSU
payment batch, and the JHT credit (one statement: one point). Each is held at its point by another
transaction's lock on what it touches next (the held server process named by ``pg_blocking_pids``,
and its statement checked to be the one the point names), killed, and run again: what was there
before stays whole until the new run commits, and the new run gives exactly the clean run's rows."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from paritrana.benefits.batch.jht import jht_credit
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
from tests.faults.race import kill_when_held, other_connection
from tests.subsidies.test_services import _approved, bsu_2025  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)]
# rollup.sql's work tables (CREATE TABLE … AS), dropped before its transaction ends.
WORK_TABLES = re.findall(r"CREATE TABLE (\w+)", (Path(rollup.__file__).parent / "rollup.sql").read_text())


def _rows(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(cursor.fetchall())


def _kill_held(hold: str, code: str, statement: str) -> None:
    """Run ``code`` while another transaction holds ``hold``; kill it there (race.kill_when_held)."""
    holder = other_connection()
    holder.execute(hold)
    kill_when_held(holder, code, statement)


def _coverage() -> list[tuple[Any, ...]]:
    return _rows(
        "SELECT regency_code, segment, sex, disability, age_band, active FROM coverage_month WHERE period = %s",
        (PERIOD,),
    ) + _rows("SELECT province_code, segment, active, women, disability FROM coverage_province_month WHERE period = %s",
              (PERIOD,))  # fmt: skip


# Early: reading the month's paid lines into its first work table. Middle: its paid-lines table
# built, beginning to replace the month's cells. Late: every other table of the month replaced,
# beginning the claims (rollup.sql's last step).
ROLLUP_POINTS = {
    "early": ("LOCK TABLE contributions_contributionline IN ACCESS EXCLUSIVE MODE", "CREATE TABLE coverage_paid"),
    "middle": ("LOCK TABLE coverage_month IN SHARE MODE", "DELETE FROM coverage_month"),
    "late": ("LOCK TABLE coverage_claim_month IN SHARE MODE", "DELETE FROM coverage_claim_month"),
}


@pytest.mark.parametrize("point", list(ROLLUP_POINTS))
def test_rollup_killed_leaves_the_month_as_it_was(population: dict[str, Any], point: str) -> None:  # noqa: F811
    refresh_month(PERIOD)
    clean = _coverage()
    assert clean and len(WORK_TABLES) >= 3
    _kill_held(
        *ROLLUP_POINTS[point][:1],
        "from datetime import date\nfrom paritrana.coverage.batch.rollup import refresh_month\n"
        "refresh_month(date(2025, 3, 1))",
        ROLLUP_POINTS[point][1],
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


# Early: removing the round's last decisions (its first write). Middle: those removed and the
# outside lists matched, reading the memberships for each person's facts. Late: every person decided,
# saving the round's counts.
BSU_POINTS = {
    "early": ("LOCK TABLE subsidies_decision IN SHARE MODE", "DELETE FROM subsidies_decision"),
    "middle": ("LOCK TABLE registry_membership IN ACCESS EXCLUSIVE MODE", "CREATE TABLE bsu_facts_"),
    "late": ("LOCK TABLE subsidies_round IN SHARE MODE", 'UPDATE "subsidies_round"'),
}


@pytest.mark.parametrize("point", list(BSU_POINTS))
def test_bsu_eligibility_killed_leaves_the_last_decisions_and_runs_again(world: dict[str, Any], point: str) -> None:
    synth_run(persons=2_000, seed=7, provinces=["64"])
    bsu.round_compute(actor=system_actor(), code="BSU-2021", channel="cli")
    round_ = Round.objects.get(code="BSU-2021")
    clean, counts = _decisions(round_.pk), round_.counts
    assert clean and counts["eligible"] > 0
    _kill_held(
        BSU_POINTS[point][0],
        "from paritrana.core.actors import system_actor\nfrom paritrana.subsidies import services\n"
        "services.round_compute(actor=system_actor(), code='BSU-2021', channel='cli')",
        BSU_POINTS[point][1],
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


# Early: taking the round (one batch at a time per round). Middle: its batch row written, writing
# the payments. Late: payments written and counted, recording the audit row before the commit.
BATCH_POINTS = {
    "early": ("SELECT 1 FROM subsidies_round WHERE code = 'BSU-2025' FOR UPDATE", 'FROM "subsidies_round"'),
    "middle": ("LOCK TABLE subsidies_payment IN SHARE MODE", "INSERT INTO subsidies_payment"),
    "late": ("LOCK TABLE core_auditevent IN SHARE MODE", 'INSERT INTO "core_auditevent"'),
}


@pytest.mark.parametrize("point", list(BATCH_POINTS))
def test_a_bsu_batch_killed_as_it_is_made_is_made_once_when_asked_again(
    bsu_2025: dict[str, Any],  # noqa: F811
    point: str,
) -> None:
    _approved(bsu_2025)
    _kill_held(
        BATCH_POINTS[point][0],
        "from paritrana.core.actors import system_actor\nfrom paritrana.subsidies import services\n"
        "services.batch_create(actor=system_actor(), code='BSU-2025', channel_code='BRI', channel='cli')",
        BATCH_POINTS[point][1],
    )
    assert not Batch.objects.exists() and not BsuPayment.objects.exists()  # no batch, no file to pay from
    made = bsu.batch_create(actor=system_actor(), code="BSU-2025", channel_code="BRI", channel="cli")
    # The clean batch of tests/subsidies: three people, Rp600,000 each (Permenaker 5/2025), number 1.
    assert (made.number, made.payments, made.amount) == (1, 3, Decimal(1_800_000))
    assert BsuPayment.objects.count() == 3


def _entries() -> list[tuple[Any, ...]]:
    return _rows("SELECT membership_id, person_id, entry_date, kind, amount, period FROM benefits_jhtentry", ())


def test_the_jht_credit_killed_credits_nothing_and_credits_each_month_once_when_run_again(
    population: dict[str, Any],  # noqa: F811
) -> None:
    # One INSERT … SELECT (jht.sql, step credit): PostgreSQL takes every table's lock as it plans the
    # statement, so there is one point in it; held there by the lock on the ledger it writes.
    jht_credit()
    clean = _entries()
    # Hundreds of entries, so a killed credit has something to lose; the exact count moves with which
    # bills the population fixture marks paid (every bill but each fifth by id), so no fixed figure.
    assert len(clean) > 100
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM benefits_jhtentry")
    _kill_held(
        "LOCK TABLE benefits_jhtentry IN SHARE MODE",
        "from paritrana.benefits.batch.jht import jht_credit\njht_credit()",
        "INSERT INTO benefits_jhtentry",
    )
    assert _entries() == []
    assert jobs_recover(seconds_since_heartbeat=0)["ledger"]
    assert BatchRun.objects.filter(job="jht_credit", status="running").count() == 0
    assert jht_credit()["entries"] == len(clean)
    assert _entries() == clean
    assert jht_credit()["entries"] == 0  # and once only
