"""Two payers enrol the same people at once (issue 29, defect 1): nothing may be counted as enrolled
that has no membership with the upload's payer.

The race is made, not waited for: another connection writes the file's persons and keeps its
transaction open; the second payer's apply starts, reaches those NIKs and waits on them (seen in
``pg_stat_activity``, not guessed by sleeping); then the other connection commits."""

from __future__ import annotations

from typing import Any

import pytest

from paritrana.core.actors import system_actor
from paritrana.demo.synth.load import load_geography
from paritrana.demo.synth.sponsor_lists import sponsor_list
from paritrana.enrolment import services
from paritrana.enrolment.models import Upload
from paritrana.registry.models import Membership, Person, Sponsor
from tests.conftest import FLUSHABLE_APPS
from tests.faults.race import other_connection, run_blocked_behind

pytestmark = pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)


def test_two_payers_enrolling_the_same_people_at_once_lose_no_one(world: dict[str, Any]) -> None:
    province = Sponsor.objects.create(
        code="APBD-UJI-64", name="APBD Kaltim (uji)", kind="apbd_province", region_id="64", province_id="64"
    )
    listed = sponsor_list(load_geography(["64"]), rows=400, regency="64.02", seed=41)
    content = listed.csv_bytes()
    first = services.upload_create(
        actor=system_actor(), channel="cli", content=content, file_name="kab.csv", sponsor_code="APBD-UJI-64.02"
    )
    second = services.upload_create(
        actor=system_actor(), channel="cli", content=content, file_name="prov.csv", sponsor_code=province.code
    )
    valid = second.valid
    assert second.already_enrolled == 0 and valid > 200

    # The first payer's apply, mid-way: its persons written, its transaction not yet committed.
    writer = other_connection()
    writer.execute(
        """
        INSERT INTO registry_person (nik, full_name, title_prefix, title_suffix, birth_date, birth_place, sex,
          disability, disability_kind, phone, address, village_code, regency_code, province_code, created_at,
          updated_at)
        SELECT nik, full_name, title_prefix, title_suffix, born, birth_place, sex_code, false, '', phone, address,
          village_code, left(village_code, 5), left(village_code, 2), now(), now()
        FROM enrolment_row WHERE upload_id = %s AND NOT invalid
        """,
        (first.pk,),
    )
    run_blocked_behind(
        writer, lambda: services.upload_run(actor=system_actor(), upload_id=second.pk, batch_lines=10_000)
    )

    done = Upload.objects.get(pk=second.pk)
    assert done.status == "applied"
    # Every valid line of the province's upload has a membership with the province, the persons
    # the other writer committed included; none is "already enrolled".
    assert (done.applied, done.already_enrolled) == (valid, 0)
    assert Membership.objects.filter(sponsor=province).count() == valid
    assert Person.objects.filter(memberships__sponsor=province).distinct().count() == valid

    # The first payer's own apply then finds the persons and enrols them with its sponsor.
    again = services.upload_run(actor=system_actor(), upload_id=first.pk)
    assert (again.applied, again.already_enrolled) == (first.valid, 0)
    regency = Membership.objects.filter(sponsor__code="APBD-UJI-64.02").exclude(person=world["kukar_person"])
    assert regency.count() == first.valid
