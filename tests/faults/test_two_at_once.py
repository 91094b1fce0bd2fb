"""Two copies of a job at once (issue 29): both are started while a third party holds the lock the
job takes for its object, so both are really waiting at the same time (two waiters seen in
``pg_locks``); then the lock is let go. Together they must give exactly one clean run's result, and
their ledger rows must not both claim the work: the rows they report add up to one run's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from paritrana.benefits.batch.jht import jht_credit
from paritrana.contributions.batch.billing import LOCK_CLASS, billing_run
from paritrana.core.actors import system_actor
from paritrana.core.models import BatchRun
from paritrana.coverage.batch.rollup import refresh_month
from paritrana.demo.synth.load import synth_run
from paritrana.enrolment.models import Upload
from paritrana.registry.models import Membership
from paritrana.subsidies import services as bsu
from paritrana.subsidies.models import Batch, Round
from paritrana.subsidies.models import Payment as BsuPayment
from tests.conftest import FLUSHABLE_APPS
from tests.coverage.batch.test_rollup import PERIOD, population  # noqa: F401
from tests.faults.race import other_connection, spawn, village_upload, wait_for
from tests.faults.test_one_transaction_jobs import _coverage, _decisions, _rows
from tests.subsidies.test_services import _approved, bsu_2025  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)]
TWO_WAITERS = (
    "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = %s::oid"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    " GROUP BY classid HAVING count(*) >= 2"
)


def _both(code: str, holder: Any, key: int, release: str, waiters: str = TWO_WAITERS) -> None:
    """Two processes running ``code``, both seen waiting (``waiters`` with ``key``) behind ``holder``
    before ``release`` lets them go; both must succeed."""
    jobs = [spawn(code), spawn(code)]
    try:
        wait_for(waiters, (key,))
        holder.execute(release)
        for job in jobs:
            assert job.wait(120) == 0
    finally:
        for job in jobs:
            if job.poll() is None:
                job.kill()
        holder.close()


def _hashtext(text: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT hashtext(%s)::oid::bigint", (text,))
        return int(cursor.fetchone()[0])


def test_the_same_upload_applied_twice_at_once_enrols_each_line_once(world: dict[str, Any]) -> None:
    upload = village_upload(3_000, 53)
    holder = other_connection()
    holder.autocommit = True
    holder.execute("SELECT pg_advisory_lock(hashtext('enrolment_apply'), %s)", (upload.pk,))
    _both(
        f"from django.core.management import call_command\ncall_command('enrol', 'apply', '{upload.pk}')",
        holder,
        _hashtext("enrolment_apply"),
        "SELECT pg_advisory_unlock_all()",
    )
    done = Upload.objects.get(pk=upload.pk)
    assert done.status == "applied" and done.applied == done.valid > 2_000
    persons = list(
        Membership.objects.filter(sponsor__code="APBD-UJI-64.02")
        .exclude(person=world["kukar_person"])
        .values_list("person_id", flat=True)
    )
    assert len(persons) == len(set(persons)) == done.valid
    runs = BatchRun.objects.filter(job="enrolment_apply", params__upload=upload.pk, status="done")
    assert runs.count() == 2 and sorted(r.rows for r in runs) == [0, done.valid]


def test_a_month_billed_twice_at_once_is_billed_once(world: dict[str, Any]) -> None:
    clean = billing_run("2025-02")
    holder = other_connection()
    holder.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_CLASS, 202503))
    _both(
        "from paritrana.contributions.batch.billing import billing_run\nbilling_run('2025-03')",
        holder,
        LOCK_CLASS,
        "ROLLBACK",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT period, count(*), sum(amount_due) FROM contributions_bill GROUP BY period ORDER BY period"
        )
        (_, feb_bills, feb_due), (_, mar_bills, mar_due) = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM contributions_contributionline WHERE period = '2025-03-01'")
        mar_lines = cursor.fetchone()[0]
    assert (mar_bills, mar_due, mar_lines) == (feb_bills, feb_due, clean.lines)
    runs = BatchRun.objects.filter(job="billing", params__period="2025-03", status="done")
    assert runs.count() == 2 and sorted(r.rows for r in runs) == [0, clean.lines]


# A one-key advisory lock (the rollup's): its key's low half is the lock's objid.
TWO_WAITERS_ONE_KEY = (
    "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1 AND objid = %s::oid"
    " GROUP BY objid HAVING count(*) >= 2"
)


def test_a_month_rolled_up_twice_at_once_is_the_clean_rollup(population: dict[str, Any]) -> None:  # noqa: F811
    refresh_month(PERIOD)
    clean = _coverage()
    holder = other_connection()
    holder.execute("SELECT pg_advisory_xact_lock(hashtext('coverage_rollup'))")
    _both(
        "from datetime import date\nfrom paritrana.coverage.batch.rollup import refresh_month\n"
        "refresh_month(date(2025, 3, 1))",
        holder,
        _hashtext("coverage_rollup"),
        "ROLLBACK",
        TWO_WAITERS_ONE_KEY,
    )
    assert _coverage() == clean
    assert BatchRun.objects.filter(job="coverage_rollup", status="done").count() == 3


def test_a_round_decided_twice_at_once_is_the_clean_decision(world: dict[str, Any]) -> None:
    synth_run(persons=2_000, seed=7, provinces=["64"])
    bsu.round_compute(actor=system_actor(), code="BSU-2021", channel="cli")
    round_ = Round.objects.get(code="BSU-2021")
    clean = _decisions(round_.pk)
    holder = other_connection()
    # Each run locks the round's row first (one computation per round at a time): held here.
    holder.execute("SELECT 1 FROM subsidies_round WHERE id = %s FOR UPDATE", (round_.pk,))
    _both(
        "from paritrana.core.actors import system_actor\nfrom paritrana.subsidies import services\n"
        "services.round_compute(actor=system_actor(), code='BSU-2021', channel='cli')",
        holder,
        holder.info.backend_pid,
        "ROLLBACK",
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        " AND query LIKE '%%subsidies_round%%'"
        " AND pid <> %s HAVING count(*) >= 2",
    )
    assert _decisions(round_.pk) == clean


# Two server processes of this test's database waiting on locks, one of them on the holder's.
TWO_WAITING = (
    "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    " AND pid <> %s HAVING count(*) >= 2"
)


def test_a_bsu_batch_asked_twice_at_once_pays_each_person_once(bsu_2025: dict[str, Any]) -> None:  # noqa: F811
    _approved(bsu_2025)
    round_ = Round.objects.get(code="BSU-2025")
    holder = other_connection()
    # Each request takes the round's row first (one batch at a time per round): held here.
    holder.execute("SELECT 1 FROM subsidies_round WHERE id = %s FOR UPDATE", (round_.pk,))
    _both(
        "from paritrana.core.actors import system_actor\nfrom paritrana.core.errors import ValidationFailed\n"
        "from paritrana.subsidies import services\n"
        "try:\n"
        "    services.batch_create(actor=system_actor(), code='BSU-2025', channel_code='BRI', channel='cli')\n"
        "except ValidationFailed as refused:\n"
        "    assert [p.code for p in refused.problems] == ['nothing_to_pay'], refused.problems\n",
        holder,
        holder.info.backend_pid,
        "ROLLBACK",
        TWO_WAITING,
    )
    # One batch of the clean batch's three people, Rp600,000 each (Permenaker 5/2025); the second
    # request found nobody left to pay and said so.
    assert list(Batch.objects.values_list("number", "payments", "amount")) == [(1, 3, Decimal(1_800_000))]
    people = list(BsuPayment.objects.values_list("person_id", flat=True))
    assert len(people) == len(set(people)) == 3


def test_the_jht_credit_run_twice_at_once_credits_each_month_once(population: dict[str, Any]) -> None:  # noqa: F811
    entries = "SELECT membership_id, person_id, entry_date, kind, amount, period FROM benefits_jhtentry"
    jht_credit()
    clean = _rows(entries, ())
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM benefits_jhtentry")
    holder = other_connection()
    holder.execute("LOCK TABLE benefits_jhtentry IN SHARE MODE")
    _both(
        "from paritrana.benefits.batch.jht import jht_credit\njht_credit()",
        holder,
        holder.info.backend_pid,
        "ROLLBACK",
        TWO_WAITING,
    )
    assert (
        _rows("SELECT membership_id, person_id, entry_date, kind, amount, period FROM benefits_jhtentry", ()) == clean
    )
    # The two ledger rows add up to one run's entries: the second found every month credited.
    runs = sorted(BatchRun.objects.filter(job="jht_credit").order_by("-id").values_list("rows", flat=True)[:2])
    assert runs == [0, len(clean)]
