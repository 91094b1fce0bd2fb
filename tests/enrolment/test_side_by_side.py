"""The apply outside a transaction, as the job and the CLI run it: batches committed side by side in
two connections. The rows must come out as they do one batch after another — every valid line
enrolled once, KPJ numbers unique — and a failure in one connection must leave whole batches only,
which a second run completes without duplicates."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError

from paritrana.core.actors import system_actor
from paritrana.demo.synth.load import load_geography
from paritrana.demo.synth.sponsor_lists import HEADERS, sponsor_list
from paritrana.enrolment import services
from paritrana.enrolment.batch import enrol
from paritrana.enrolment.models import Upload
from paritrana.registry.models import Membership
from paritrana.registry.rules.kpj import kpj_is_valid
from tests.conftest import FLUSHABLE_APPS
from tests.enrolment.crash import fail_membership_insert, remove_crash

pytestmark = pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)


def _enrolled(world: dict[str, Any]) -> list[tuple[int, str]]:
    return list(
        Membership.objects.filter(sponsor=world["kukar_sponsor"])
        .exclude(person=world["kukar_person"])
        .values_list("person_id", "kpj")
    )


def test_batches_side_by_side_enrol_every_valid_line_once(world: dict[str, Any], monkeypatch: Any) -> None:
    threads: list[str] = []
    apply_batch = enrol._apply_batch

    def counted(*args: Any, **kwargs: Any) -> int:
        import threading

        threads.append(threading.current_thread().name)
        return apply_batch(*args, **kwargs)

    monkeypatch.setattr(enrol, "_apply_batch", counted)
    listed = sponsor_list(load_geography(["64"]), rows=3_000, regency="64.02", seed=41, defect_share=0.1)
    upload = services.upload_create(
        actor=system_actor(),
        channel="cli",
        content=listed.csv_bytes(),
        file_name="a.csv",
        sponsor_code="APBD-UJI-64.02",
    )
    done = services.upload_run(actor=system_actor(), upload_id=upload.pk, batch_lines=400)
    # Lines 1–3,001 (a header and 3,000 rows) in batches of 400: eight batches, in two named threads.
    assert len(threads) == 8 and len(set(threads)) == 2 and all(t.startswith("enrol-apply-") for t in threads)
    assert (done.status, done.applied, done.applied_through) == ("applied", len(listed.valid_lines), done.last_line)
    pairs = _enrolled(world)
    assert len(pairs) == len({p for p, _ in pairs}) == len({k for _, k in pairs}) == len(listed.valid_lines)
    assert all(kpj_is_valid(k) for _, k in pairs)


def test_a_failure_in_one_connection_leaves_whole_batches_and_a_rerun_completes(world: dict[str, Any]) -> None:
    listed = sponsor_list(load_geography(["64"]), rows=3_000, regency="64.02", seed=43, defect_share=0.1)
    upload = services.upload_create(
        actor=system_actor(),
        channel="cli",
        content=listed.csv_bytes(),
        file_name="b.csv",
        sponsor_code="APBD-UJI-64.02",
    )
    # The fourth membership insert fails, in whichever connection runs it.
    fail_membership_insert(4)
    try:
        with pytest.raises(DatabaseError, match="simulated crash"):
            services.upload_run(actor=system_actor(), upload_id=upload.pk, batch_lines=400)
    finally:
        remove_crash()
    assert Upload.objects.get(pk=upload.pk).status == "failed"
    # What committed is a set of whole batches (lines 1–400, 401–800, …): for each, all its valid
    # lines or none.
    nik_at = HEADERS.index("NIK")
    enrolled = set(
        Membership.objects.filter(sponsor=world["kukar_sponsor"])
        .exclude(person=world["kukar_person"])
        .values_list("person__nik", flat=True)
    )
    batches: dict[int, set[bool]] = {}
    for line in listed.valid_lines:
        batches.setdefault((line - 1) // 400, set()).add(listed.rows[line - 2][nik_at].strip() in enrolled)
    assert all(len(states) == 1 for states in batches.values())
    assert 3 <= sum(True in states for states in batches.values()) < len(batches)

    done = services.upload_run(actor=system_actor(), upload_id=upload.pk, batch_lines=400)
    assert done.status == "applied" and done.applied == len(listed.valid_lines)
    pairs = _enrolled(world)
    assert len(pairs) == len({p for p, _ in pairs}) == len({k for _, k in pairs}) == len(listed.valid_lines)
