"""Registry writes: bad input rejected with codes and nothing changed; good input audited with history."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from paritrana.core.errors import ValidationFailed
from paritrana.core.models import AuditEvent
from paritrana.registry import services
from paritrana.registry.models import ChangeHistory, Membership, Person
from paritrana.registry.rules.kpj import kpj_is_valid
from tests.conftest import make_nik

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
        ChangeHistory.objects.count(),
    )


def good(world: dict[str, Any], **over: Any) -> dict[str, Any]:
    village = world["kukar_village"]
    born = date(1992, 5, 14)
    data = {
        "nik": make_nik(village.code[:8], born, "P", 7),
        "full_name": "Hj. Rina Wulandari, S.E.",
        "birth_date": born,
        "sex": "P",
        "village_code": village.code,
    }
    data.update(over)
    return data


def codes(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [p.code for p in exc.value.problems]


def test_create_splits_titles_and_audits(world: dict[str, Any]) -> None:
    officer = world["users"]["kukar"]
    person = services.person_create(actor=officer, **good(world))
    assert (person.title_prefix, person.full_name, person.title_suffix) == ("Hj.", "Rina Wulandari", "S.E.")
    assert person.regency_id == "64.02" and person.province_id == "64"
    event = AuditEvent.objects.get(action="person_create", entity_id=str(person.pk))
    assert event.actor == officer


def test_invalid_nik_rejected_nothing_changed(world: dict[str, Any]) -> None:
    before = snapshot()
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(actor=world["users"]["admin"], **good(world, nik="12345"))
    assert codes(exc) == ["nik_format"] and exc.value.problems[0].field == "nik"
    assert snapshot() == before


def test_duplicate_nik_rejected_nothing_changed(world: dict[str, Any]) -> None:
    existing = world["kukar_person"]
    before = snapshot()
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(
            actor=world["users"]["admin"],
            **good(world, nik=existing.nik, birth_date=existing.birth_date, sex=existing.sex),
        )
    assert codes(exc) == ["nik_duplicate"]
    # Nothing changed but the audit trail's note that someone was told this NIK exists (issue 25).
    refusal = AuditEvent.objects.get(action="person_create_duplicate_refused")
    assert refusal.actor == world["users"]["admin"]
    persons, memberships, audit, history = snapshot()
    assert (persons, memberships, audit - 1, history) == before


def test_unknown_region_rejected_nothing_changed(world: dict[str, Any]) -> None:
    before = snapshot()
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(actor=world["users"]["admin"], **good(world, village_code="64.02.99.9999"))
    assert codes(exc) == ["region_unknown"]
    assert snapshot() == before


def test_future_birth_date_rejected_nothing_changed(world: dict[str, Any]) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    before = snapshot()
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(actor=world["users"]["admin"], **good(world, birth_date=tomorrow))
    assert "birth_date_future" in codes(exc)
    assert snapshot() == before


def test_all_problems_reported_at_once(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(
            actor=world["users"]["admin"],
            nik="",
            full_name="",
            birth_date="31/12/1990",
            sex="X",
            village_code="",
        )
    assert set(codes(exc)) == {"required", "date_invalid", "sex_invalid", "nik_format"}
    assert all(p.message for p in exc.value.problems)


def test_regency_officer_cannot_register_outside_regency(world: dict[str, Any]) -> None:
    village = world["bpn_village"]
    born = date(1990, 1, 2)
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(
            actor=world["users"]["kukar"],
            nik=make_nik(village.code[:8], born, "L", 3),
            full_name="Budi",
            birth_date=born,
            sex="L",
            village_code=village.code,
        )
    assert codes(exc) == ["region_out_of_scope"]


def test_update_keeps_history_with_actor(world: dict[str, Any]) -> None:
    officer = world["users"]["kukar"]
    person = services.person_update(actor=officer, person_id=world["kukar_person"].pk, phone="080001234567")
    history = ChangeHistory.objects.get(table_name="registry_person", row_id=person.pk)
    assert history.operation == "UPDATE" and history.actor_id == officer.pk
    assert history.old["phone"] == "" and history.new["phone"] == "080001234567"


def test_history_names_the_person_each_change_belongs_to(world: dict[str, Any]) -> None:
    """The history row carries the person of the row changed (a membership's person), or 0 for an
    employer's: the key a Citus cluster distributes the history by (registry/sql.py). The actor is
    the administrator, set by ``SET LOCAL`` (core.actors.set_database_actor)."""
    admin = world["users"]["admin"]
    membership = Membership.objects.get(person=world["bpn_person"])
    services.membership_end(actor=admin, membership_id=membership.pk, valid_until=date(2025, 6, 30), reason="resigned")
    services.employer_update(actor=admin, employer_id=world["bpn_employer"].pk, name="PT Teluk Uji Baru")
    ended = ChangeHistory.objects.get(table_name="registry_membership", row_id=membership.pk)
    assert (ended.person_id, ended.actor_id, ended.operation) == (world["bpn_person"].pk, admin.pk, "UPDATE")
    assert (ended.old["status"], ended.new["status"]) == ("active", "ended")
    renamed = ChangeHistory.objects.get(table_name="registry_employer", row_id=world["bpn_employer"].pk)
    assert (renamed.person_id, renamed.actor_id, renamed.new["name"]) == (0, admin.pk, "PT Teluk Uji Baru")


def test_saving_a_membership_leaves_its_person_column_alone(world: dict[str, Any]) -> None:
    """A distributed row's save updates every field but its distribution column, which Citus refuses
    to set even to the value it holds (core.models.DistributedByColumn)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    membership = Membership.objects.get(person=world["bpn_person"])
    membership.wage = 6_250_000
    with CaptureQueriesContext(connection) as queries:
        membership.save()
    update = next(q["sql"] for q in queries if q["sql"].startswith("UPDATE"))
    assigned = update.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    assert '"wage" =' in assigned and '"status" =' in assigned and '"person_id"' not in assigned
    assert Membership.objects.get(pk=membership.pk).wage == 6_250_000
    # A row read with only some fields writes only those, as Django's own save() does.
    partial = Membership.objects.only("wage", "person_id").get(pk=membership.pk)
    partial.wage = 6_500_000
    with CaptureQueriesContext(connection) as queries:
        partial.save()
    assert len(queries) == 1
    assigned = queries[0]["sql"].split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    assert '"wage" =' in assigned and '"status"' not in assigned and '"person_id"' not in assigned
    assert Membership.objects.get(pk=membership.pk).wage == 6_500_000


def test_sex_change_must_agree_with_nik(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.person_update(actor=world["users"]["admin"], person_id=world["kukar_person"].pk, sex="L")
    assert codes(exc) == ["nik_sex_mismatch"]


def test_membership_issues_a_valid_kpj(world: dict[str, Any]) -> None:
    # A new hire already registered elsewhere: named by what the identity card shows.
    person = world["kukar_person"]
    membership = services.membership_create(
        actor=world["users"]["hr"],
        nik=person.nik,
        full_name="SUMARNI  LESTARI",
        birth_date=person.birth_date.isoformat(),
        employer_id=world["bpn_employer"].pk,
        segment="PU",
        wage="4500000",
    )
    assert kpj_is_valid(membership.kpj)
    assert membership.programmes == ["JKK", "JKM", "JHT", "JP", "JKP"]
    assert membership.regency_id == "64.71"
    # A person can hold several memberships at once.
    assert Membership.objects.filter(person=world["kukar_person"]).count() == 2


def test_membership_rules(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.membership_create(
            actor=world["users"]["admin"],
            person_id=world["kukar_person"].pk,
            segment="BPU",
            programmes=["JKK", "JKM", "JP"],
            tags=["astronaut"],
        )
    assert set(codes(exc)) == {"tag_unknown", "programme_not_open", "required"}
    with pytest.raises(ValidationFailed) as exc:
        services.membership_create(
            actor=world["users"]["admin"],
            person_id=world["kukar_person"].pk,
            sponsor_id=world["kukar_sponsor"].pk,
            segment="BPU",
            declared_income=1_000_000,
        )
    assert codes(exc) == ["already_enrolled"]


def test_employer_hr_registers_only_for_own_employer(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.membership_create(
            actor=world["users"]["hr"],
            person_id=world["bpn_person"].pk,
            employer_id=world["kukar_employer"].pk,
            segment="PU",
            wage=3_000_000,
        )
    assert codes(exc) == ["payer_out_of_scope"]


def test_kpj_sql_function_equals_python_rule() -> None:
    from django.db import connection

    from paritrana.registry.rules.kpj import kpj_from_serial

    serials = [1, 9, 10, 1_000_000_001, 1_234_567_890, 7_992_739_871, 9_999_999_999]
    with connection.cursor() as cursor:
        cursor.execute("SELECT registry_kpj_from_serial(s) FROM unnest(%s::bigint[]) s", [serials])
        assert [r[0] for r in cursor.fetchall()] == [kpj_from_serial(s) for s in serials]


@pytest.mark.parametrize(("regency", "province"), [("64.71", "64"), ("64.02", "65"), ("64.02.01", "64")])
def test_the_database_refuses_a_regency_or_province_not_of_the_village(
    world: dict[str, Any], regency: str, province: str
) -> None:
    """A person's regency and province have no foreign keys of their own (registry migration 0006):
    the CHECK person_region_codes holds them to the village code's first 5 and 2 characters."""
    data = good(world)
    with pytest.raises(IntegrityError, match="person_region_codes"), transaction.atomic():
        Person.objects.create(
            nik=data["nik"],
            full_name="Rina Wulandari",
            birth_date=data["birth_date"],
            sex="P",
            village_id=data["village_code"],
            regency_id=regency,
            province_id=province,
        )
    assert not Person.objects.filter(nik=data["nik"]).exists()


def test_a_leaver_is_ended_from_the_persons_page_within_scope(world: dict[str, Any]) -> None:
    """Issue 27 §2–3: HR (or an officer) ends a worker's membership with the last day covered and a
    reason, after a confirmation; nobody outside the membership's scope can."""
    from django.test import Client

    membership = Membership.objects.get(person=world["bpn_person"])
    url = f"/kepesertaan/{membership.pk}/akhiri/"
    hr = Client()
    hr.force_login(world["users"]["hr"])  # HR of Balikpapan's employer
    page = hr.get(f"/orang/{world['bpn_person'].pk}/").content.decode()
    assert f'action="{url}"' in page and 'name="confirm"' in page
    # Without the confirmation nothing changes.
    hr.post(url, {"valid_until": "2026-11-30", "reason": "resigned"})
    membership.refresh_from_db()
    assert membership.status == "active"
    # Others cannot reach it: Kukar's officer, the sponsor's operator.
    for outsider in ("kukar", "sponsor"):
        client = Client()
        client.force_login(world["users"][outsider])
        assert client.post(url, {"valid_until": "2026-11-30", "reason": "resigned", "confirm": "on"}).status_code == 404
    membership.refresh_from_db()
    assert membership.status == "active"
    done = hr.post(url, {"valid_until": "30/11/2026", "reason": "resigned", "confirm": "on"})
    assert done.status_code == 302
    membership.refresh_from_db()
    assert (membership.status, membership.valid_until.isoformat(), membership.end_reason) == (
        "ended", "2026-11-30", "resigned",
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="membership_end", entity_id=str(membership.pk)).exists()
    assert (
        'data-end-reason="resigned">Mengundurkan diri<' in hr.get(f"/orang/{world['bpn_person'].pk}/").content.decode()
    )
