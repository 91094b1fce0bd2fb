"""BSU rounds against PostgreSQL: the eligibility run on constructed participants (the expected
answers worked out from Permenaker 5/2025 and 10/2022, regulation.md §3.3), the SQL held to the
Python rule over a synthetic population, the second person's approval, outside lists, and payment
batches that cannot pay anyone twice."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.models import Bill
from paritrana.core.actors import system_actor
from paritrana.core.errors import PermissionDenied, ValidationFailed
from paritrana.demo.synth.load import synth_run
from paritrana.registry.models import Employer, Membership, Person
from paritrana.registry.rules.kpj import kpj_from_serial
from paritrana.subsidies import selectors, services
from paritrana.subsidies.models import Decision, MinimumWage, Payment, Round
from paritrana.subsidies.rules.rounds import Facts, unmet_conditions
from tests.conftest import make_nik

pytestmark = pytest.mark.django_db

_serial = iter(range(9_100_000_000, 9_200_000_000))


def employer(npp: str, *, regency: str = "64.02", sector: str = "C", kind: str = "private") -> Employer:
    return Employer.objects.create(
        npp=npp,
        name=f"PT Uji {npp}",
        kind=kind,
        scale="medium",
        sector=sector,
        jkk_risk_group=2,
        regency_id=regency,
        province_id=regency[:2],
    )


def worker(
    name: str,
    serial: int,
    *,
    at: Employer | None,
    wage: int | None = 3_000_000,
    segment: str = "PU",
    start: date = date(2024, 1, 1),
    until: date | None = None,
    village: str | None = None,
) -> Person:
    from paritrana.regions.models import Region

    regency = at.regency_id if at else "64.02"
    found = Region.objects.filter(level=4, code__startswith=(village or regency) + ".").order_by("code").first()
    assert found is not None
    born = date(1990, 1, 1 + serial % 28)
    person = Person.objects.create(
        nik=make_nik(found.code[:8], born, "L", serial),
        full_name=name,
        birth_date=born,
        sex="L",
        village=found,
        regency_id=found.code[:5],
        province_id=found.code[:2],
    )
    add_membership(person, at=at, wage=wage, segment=segment, start=start, until=until)
    return person


def add_membership(
    person: Person,
    *,
    at: Employer | None,
    wage: int | None,
    segment: str = "PU",
    start: date,
    until: date | None = None,
) -> Membership:
    return Membership.objects.create(
        kpj=kpj_from_serial(next(_serial)),
        person=person,
        employer=at,
        segment=segment,
        programmes=["JKK", "JKM", "JHT"] if segment == "PU" else ["JKK", "JKM"],
        wage=wage if segment == "PU" else None,
        declared_income=None if segment == "PU" else 1_000_000,
        valid_from=start,
        valid_until=until,
        status="ended" if until else "active",
        regency_id=at.regency_id if at else person.regency_id,
    )


def _reasons(code: str) -> dict[str, list[str]]:
    return {
        nik: list(reasons)
        for nik, reasons in Decision.objects.filter(round__code=code).values_list("person__nik", "reasons")
    }


@pytest.fixture
def bsu_2025(world: dict[str, Any]) -> dict[str, Any]:
    plant, late_payer = employer("91000001"), employer("91000002")
    people = {
        "ana": worker("Ana Wulandari", 11, at=plant),
        "budi": worker("Budi Hartono", 12, at=plant, wage=3_600_000),
        "cici": worker("Cici Paramitha", 13, at=plant, wage=3_500_000),
        "dedi": worker("Dedi Kurniawan", 14, at=plant, start=date(2025, 5, 1)),
        "eka": worker("Eka Saputra", 15, at=None, segment="BPU"),
        "fajar": worker("Fajar Nugroho", 16, at=plant),
        "gita": worker("Gita Permata", 17, at=late_payer),
        "hadi": worker("Hadi Susilo", 18, at=plant, wage=2_000_000),
        "indra": worker("Indra Gunawan", 19, at=plant, until=date(2025, 3, 31)),
    }
    # Two jobs: the wages add up (Rp2,000,000 + Rp2,000,000 > Rp3,500,000).
    add_membership(people["hadi"], at=late_payer, wage=2_000_000, start=date(2024, 6, 1))
    # April 2025 billed; every bill paid except the late payer's.
    billing_run("2025-04")
    Bill.objects.filter(period=date(2025, 4, 1)).exclude(employer=late_payer).update(status="paid")
    return {**world, "people": people, "plant": plant}


def test_bsu_2025_on_constructed_participants(bsu_2025: dict[str, Any]) -> None:
    p = bsu_2025["people"]
    # Permenaker 5/2025: Fajar is on the year's PKH list.
    services.exclusion_import(
        actor=system_actor(),
        code="BSU-2025",
        kind="pkh",
        content=f"NIK,Nama\n{p['fajar'].nik},Fajar\n3201-0000,salah\n".encode(),
        file_name="pkh-2025.csv",
        channel="cli",
    )
    round_ = services.round_compute(actor=bsu_2025["users"]["admin"], code="BSU-2025")
    got = _reasons("BSU-2025")
    assert got[p["ana"].nik] == []
    assert got[p["budi"].nik] == ["wage_above_ceiling"]  # Rp3,600,000 > Rp3,500,000
    assert got[p["cici"].nik] == []  # "paling banyak Rp3.500.000": the ceiling itself qualifies
    assert p["dedi"].nik not in got and p["indra"].nik not in got  # not valid on 30/04/2025
    assert got[p["eka"].nik] == ["segment_not_covered"]  # BPU
    assert got[p["fajar"].nik] == ["listed_pkh"]
    # Gita's employer has not paid April 2025; Hadi's second employer neither, but his first has.
    assert got[p["gita"].nik] == ["contribution_unpaid"]
    assert got[p["hadi"].nik] == ["wage_above_ceiling"]
    # The world's Balikpapan worker earns Rp5,000,000; the Kukar farmer is BPU.
    assert got[bsu_2025["bpn_person"].nik] == ["wage_above_ceiling"]
    assert got[bsu_2025["kukar_person"].nik] == ["segment_not_covered"]
    assert round_.counts["eligible"] == 2
    # Rp300,000 × 2 months × 2 eligible (Permenaker 5/2025).
    assert Decimal(round_.counts["amount"]) == Decimal(1_200_000)
    assert round_.status == "computed"

    listed = round_.exclusion_lists.get()
    assert (listed.rows, listed.invalid, listed.in_registry) == (2, 1, 1)

    status = {
        a["round"]: a for a in selectors.participant_status(actor=system_actor(), nik=p["dedi"].nik, channel="cli")
    }
    assert status["BSU-2025"]["state"] == "not_eligible"
    assert [r["code"] for r in status["BSU-2025"]["reasons"]] == ["not_active"]
    status = {
        a["round"]: a for a in selectors.participant_status(actor=system_actor(), nik=p["ana"].nik, channel="cli")
    }
    assert status["BSU-2025"]["state"] == "eligible" and status["BSU-2025"]["amount"] == Decimal(600_000)
    assert status["BSU-2025"]["initials"] == "A. W."


def test_bsu_2022_ceiling_follows_the_minimum_wage_rounded_up(world: dict[str, Any]) -> None:
    # Kab. Tangerang's UMK Rp4,285,798 → ceiling Rp4,300,000 (Permenaker 10/2022; regulation.md §3.3).
    services.minimum_wage_set(
        actor=system_actor(),
        region="36.03",
        year=2022,
        amount=Decimal(4_285_798),
        legal_basis="UMK Kab. Tangerang 2022",
        channel="cli",
    )
    tangerang, kukar = employer("92000001", regency="36.03"), employer("92000002")
    at_ceiling = worker("Rina Tangerang", 21, at=tangerang, wage=4_300_000, start=date(2021, 1, 1))
    above = worker("Sari Tangerang", 22, at=tangerang, wage=4_300_001, start=date(2021, 1, 1))
    # Kukar has no minimum wage recorded: the fixed Rp3,500,000 applies.
    kukar_worker = worker("Tono Kukar", 23, at=kukar, wage=4_000_000, start=date(2021, 1, 1))
    services.round_compute(actor=system_actor(), code="BSU-2022", channel="cli")
    got = _reasons("BSU-2022")
    assert got[at_ceiling.nik] == [] and got[above.nik] == ["wage_above_ceiling"]
    assert got[kukar_worker.nik] == ["wage_above_ceiling"]
    ceilings = dict(Decision.objects.filter(round__code="BSU-2022").values_list("person__nik", "ceiling"))
    assert ceilings[at_ceiling.nik] == Decimal(4_300_000) and ceilings[kukar_worker.nik] == Decimal(3_500_000)
    assert MinimumWage.objects.get(region_id="36.03", year=2022).amount == Decimal(4_285_798)


def test_the_rounds_are_defined_from_the_regulations(world: dict[str, Any]) -> None:
    rounds = {r.code: r for r in Round.objects.all()}
    expect = {
        # code: (monthly, months, instalments, reference date, ceiling, inclusive, minimum-wage year)
        "BSU-2020": (600_000, 4, 2, date(2020, 6, 30), 5_000_000, False, None),  # Permenaker 14/2020
        "BSU-2021": (500_000, 2, 1, date(2021, 6, 30), 3_500_000, True, 2021),  # Permenaker 16/2021
        "BSU-2022": (600_000, 1, 1, date(2022, 7, 31), 3_500_000, True, 2022),  # Permenaker 10/2022
        "BSU-2025": (300_000, 2, 1, date(2025, 4, 30), 3_500_000, True, 2025),  # Permenaker 5/2025
    }
    for code, (monthly, months, instalments, on, ceiling, inclusive, year) in expect.items():
        r = rounds[code]
        assert (r.monthly_amount, r.months, r.instalments, r.active_on) == (monthly, months, instalments, on)
        assert (r.wage_ceiling, r.ceiling_inclusive, r.minimum_wage_year) == (ceiling, inclusive, year)
        assert r.segments == ["PU"]
    assert rounds["BSU-2021"].provinces_excluded == ["11"] and "BSI" in rounds["BSU-2021"].channels
    assert set(rounds["BSU-2022"].exclusion_kinds) == {"asn", "tni", "polri", "prakerja", "pkh", "bpum"}
    assert set(rounds["BSU-2025"].exclusion_kinds) == {"asn", "tni", "polri", "pkh"}
    assert "POS" in rounds["BSU-2022"].channels and "POS" not in rounds["BSU-2020"].channels


def test_the_sql_run_agrees_with_the_rule_for_every_synthetic_person(world: dict[str, Any]) -> None:
    synth_run(persons=3_000, seed=7, provinces=["11", "64"])
    round_ = Round.objects.get(code="BSU-2021")
    tni = list(Person.objects.order_by("id").values_list("nik", flat=True)[:40])
    services.exclusion_import(
        actor=system_actor(),
        code="BSU-2021",
        kind="tni",
        content=("NIK\n" + "\n".join(tni)).encode(),
        file_name="tni.csv",
        channel="cli",
    )
    services.round_compute(actor=system_actor(), code="BSU-2021", channel="cli")
    terms = services.terms_of(round_)
    on = round_.active_on
    valid = [
        m
        for m in Membership.objects.select_related("employer", "person")
        if m.valid_from <= on and (m.valid_until is None or m.valid_until >= on)
    ]
    by_person: dict[int, list[Membership]] = {}
    for m in valid:
        by_person.setdefault(m.person_id, []).append(m)
    decided = {d.person_id: d for d in Decision.objects.filter(round=round_)}
    assert set(decided) == set(by_person) and len(decided) > 1_000
    for person_id, memberships in by_person.items():
        covered = [m for m in memberships if m.segment in terms.segments]
        wages = [m.wage for m in covered if m.wage is not None]
        best = min(covered, key=lambda m: (-(m.wage or Decimal(-1)), m.id)) if covered else None
        facts = Facts(
            segments=tuple(m.segment for m in memberships),
            wage=sum(wages, Decimal(0)) if wages else None,
            month_paid_or_unbilled=True,  # June 2021 was never billed
            regency=best.regency_id if best else None,
            sector=best.employer.sector if best and best.employer else None,
            employer_kind=best.employer.kind if best and best.employer else None,
            listed=("tni",) if memberships[0].person.nik in tni else (),
        )
        assert decided[person_id].reasons == unmet_conditions(terms=terms, facts=facts), person_id
    reasons = round_.__class__.objects.get(pk=round_.pk).counts["reasons"]
    # The synthetic population reaches every kind of refusal the 2021 terms have.
    assert {"segment_not_covered", "wage_above_ceiling", "region_excluded", "sector_excluded", "listed_tni"} <= set(
        reasons
    )


def test_approval_needs_a_second_person(bsu_2025: dict[str, Any]) -> None:
    from paritrana.accounts.services import user_provision

    admin = bsu_2025["users"]["admin"]
    services.round_compute(actor=admin, code="BSU-2025")
    with pytest.raises(ValidationFailed) as refused:
        services.round_approve(actor=admin, code="BSU-2025")
    assert refused.value.code == "second_person_required"
    with pytest.raises(PermissionDenied):
        services.round_approve(actor=bsu_2025["users"]["kukar"], code="BSU-2025")
    second = user_provision(actor=system_actor(), username="t.admin2", password="pw-admin2-123", role="national_admin")
    approved = services.round_approve(actor=second, code="BSU-2025")
    assert approved.status == "approved" and approved.approved_by == second
    # Approved decisions are frozen.
    with pytest.raises(ValidationFailed) as frozen:
        services.round_compute(actor=admin, code="BSU-2025")
    assert frozen.value.code == "round_approved"


def _approved(bsu: dict[str, Any]) -> None:
    from paritrana.accounts.services import user_provision

    services.round_compute(actor=bsu["users"]["admin"], code="BSU-2025")
    second = user_provision(actor=system_actor(), username="t.admin3", password="pw-admin3-123", role="national_admin")
    services.round_approve(actor=second, code="BSU-2025")


def _results(rows: list[tuple[str, str]]) -> bytes:
    return ("reference,status,date\n" + "".join(f"{ref},{status},21/08/2025\n" for ref, status in rows)).encode()


def test_no_one_is_paid_twice(bsu_2025: dict[str, Any]) -> None:
    p = bsu_2025["people"]
    with pytest.raises(ValidationFailed) as early:
        services.batch_create(actor=system_actor(), code="BSU-2025", channel_code="BRI", channel="cli")
    assert early.value.code == "round_not_approved"
    _approved(bsu_2025)
    with pytest.raises(ValidationFailed) as closed:
        services.batch_create(actor=system_actor(), code="BSU-2025", channel_code="OTHER", channel="cli")
    assert closed.value.code == "channel_not_open"

    first = services.batch_create(actor=system_actor(), code="BSU-2025", channel_code="BRI", channel="cli")
    # Ana, Cici and Fajar (no PKH list was loaded in this test), Rp600,000 each (Permenaker 5/2025).
    assert first.payments == 3 and first.amount == Decimal(1_800_000)
    # Running the batch again, or through another channel, finds no one left to pay.
    for channel_code in ("BRI", "POS"):
        with pytest.raises(ValidationFailed) as again:
            services.batch_create(actor=system_actor(), code="BSU-2025", channel_code=channel_code, channel="cli")
        assert again.value.code == "nothing_to_pay"
    # The database refuses a second live payment even when the service is bypassed.
    ana = Payment.objects.get(person=p["ana"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            round=ana.round, batch=first, person=p["ana"], instalment=1, channel="POS", amount=600_000, reference="X-1"
        )

    cici = Payment.objects.get(person=p["cici"])
    result = _results([(ana.reference, "berhasil"), (cici.reference, "rekening tidak valid"), ("BSU-9", "paid")])
    done = services.results_import(actor=system_actor(), content=result, file_name="bri.csv", channel="cli")
    assert (done["updated"], done["unchanged"]) == (2, 0)
    assert [e["code"] for e in done["errors"]] == ["reference_unknown"]
    # The same file twice changes nothing.
    twice = services.results_import(actor=system_actor(), content=result, file_name="bri.csv", channel="cli")
    assert (twice["updated"], twice["unchanged"]) == (0, 2)
    # A result that contradicts a paid payment is reported, not applied.
    contra = services.results_import(
        actor=system_actor(), content=_results([(ana.reference, "gagal")]), file_name="bri-2.csv", channel="cli"
    )
    assert [e["code"] for e in contra["errors"]] == ["result_conflict"]
    ana.refresh_from_db()
    assert ana.status == "paid" and ana.result_on == date(2025, 8, 21)

    # Cici's account was invalid: the next batch, through the post office, re-issues hers alone.
    reissue = services.batch_create(actor=system_actor(), code="BSU-2025", channel_code="POS", channel="cli")
    assert reissue.payments == 1
    assert list(Payment.objects.filter(batch=reissue).values_list("person_id", flat=True)) == [p["cici"].pk]
    summary = selectors.round_summary(actor=system_actor(), code="BSU-2025", channel="cli")
    assert (summary["paid_persons"], summary["paid_amount"]) == (1, Decimal(600_000))
    assert {(c["channel"], c["status"], c["payments"]) for c in summary["channels"]} == {
        ("BRI", "paid", 1),
        ("BRI", "account_invalid", 1),
        ("BRI", "sent", 1),  # Fajar's: no result yet
        ("POS", "sent", 1),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_id FROM subsidies_payment WHERE status IN ('sent', 'paid')"
            " GROUP BY person_id, instalment HAVING count(*) > 1"
        )
        assert cursor.fetchall() == []


def test_participant_sees_only_their_own_answer(bsu_2025: dict[str, Any]) -> None:
    services.round_compute(actor=system_actor(), code="BSU-2025", channel="cli")
    participant = bsu_2025["users"]["participant"]
    own = participant.profile.person
    answers = selectors.participant_status(actor=participant, nik=own.nik)
    assert {a["round"] for a in answers} == {"BSU-2020", "BSU-2021", "BSU-2022", "BSU-2025"}
    with pytest.raises(PermissionDenied):
        selectors.participant_status(actor=participant, nik=bsu_2025["people"]["ana"].nik)
    with pytest.raises(PermissionDenied):
        selectors.participant_status(actor=bsu_2025["users"]["kukar"], nik=own.nik)


def test_cli_runs_a_round_without_a_user_and_refuses_an_unknown_one(bsu_2025: dict[str, Any]) -> None:
    import json

    out = io.StringIO()
    call_command("bsu", "run", "BSU-2025", stdout=out)  # refused as "forbidden" before (issue 29's suite)
    assert json.loads(out.getvalue())["eligible"] == 3
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("bsu", "approve", "BSU-2025", "--user", "t.admin", stdout=out)
    assert json.loads(out.getvalue())["code"] == "second_person_required"  # nobody ran it to tell apart
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("bsu", "run", "BSU-2025", "--user", "t.nobody", stdout=out)
    assert json.loads(out.getvalue())["code"] == "user_unknown"


def test_cli_runs_a_round_from_definition_to_batch_file(bsu_2025: dict[str, Any], tmp_path: Any) -> None:
    import json

    out = io.StringIO()
    call_command("bsu", "run", "BSU-2025", "--user", "t.admin", stdout=out)
    assert json.loads(out.getvalue())["eligible"] == 3  # Ana, Cici, Fajar (no PKH list here)
    from paritrana.accounts.services import user_provision

    # The one who ran it cannot approve; another national administrator can.
    with pytest.raises(SystemExit):
        call_command("bsu", "approve", "BSU-2025", "--user", "t.admin", stdout=io.StringIO())
    user_provision(actor=system_actor(), username="t.approver", password="pw-approver-123", role="national_admin")
    call_command("bsu", "approve", "BSU-2025", "--user", "t.approver", stdout=io.StringIO())
    path = tmp_path / "bri.csv"
    out = io.StringIO()
    call_command("bsu", "batch", "BSU-2025", "--channel", "bri", "--out", str(path), stdout=out)
    assert json.loads(out.getvalue())["payments"] == 3
    lines = path.read_text().splitlines()
    assert lines[0] == "reference,nik,nama,kpj,kabupaten_kota,jumlah,status" and len(lines) == 4
    out = io.StringIO()
    call_command("bsu", "check", bsu_2025["people"]["budi"].nik, stdout=out)
    budi = {a["round"]: a for a in json.loads(out.getvalue())}
    assert [r["code"] for r in budi["BSU-2025"]["reasons"]] == ["wage_above_ceiling"]


def test_a_new_round_is_defined_as_data_and_changed_until_approved(bsu_2025: dict[str, Any]) -> None:
    admin = bsu_2025["users"]["admin"]
    with pytest.raises(ValidationFailed) as refused:
        services.round_define(
            actor=admin,
            code="BSU-2026",
            terms={
                "copy_of": "BSU-2025",
                "channels": ["BRI", "GIRO"],
                "sectors": ["Z"],
                "instalments": 7,
                "provinces_excluded": ["99"],
            },
        )
    # Every invalid term at once, each with its code.
    assert {p.code for p in refused.value.problems} == {
        "channels_unknown",
        "sectors_unknown",
        "region_unknown",
        "instalments_uneven",
    }
    with pytest.raises(PermissionDenied):
        services.round_define(actor=bsu_2025["users"]["kukar"], code="BSU-2026", terms={"copy_of": "BSU-2025"})
    # A 2026 round like 2025's, but Rp400,000 × 2, for Kalimantan Timur only.
    made = services.round_define(
        actor=admin,
        code="bsu-2026",
        terms={
            "copy_of": "BSU-2025",
            "name": "BSU 2026 (uji)",
            "legal_basis": "Permenaker (uji)",
            "active_on": "2025-04-30",
            "monthly_amount": Decimal(400_000),
            "regions_included": ["64"],
        },
    )
    assert (made.code, made.status, made.months, made.exclusion_kinds) == (
        "BSU-2026",
        "draft",
        2,
        ["asn", "tni", "polri", "pkh"],
    )
    computed = services.round_compute(actor=admin, code="BSU-2026")
    # Ana and Cici (Kalimantan Timur, Rp3,000,000 and Rp3,500,000) and Fajar: Rp800,000 each.
    assert computed.counts["eligible"] == 3 and Decimal(computed.counts["amount"]) == Decimal(2_400_000)
    # Changing the terms throws the decisions away until computed again.
    changed = services.round_define(actor=admin, code="BSU-2026", terms={"regions_included": ["31"]})
    assert changed.status == "draft" and not Decision.objects.filter(round=changed).exists()
    assert services.round_compute(actor=admin, code="BSU-2026").counts["eligible"] == 0
    Round.objects.filter(code="BSU-2026").update(status="approved")
    with pytest.raises(ValidationFailed) as frozen:
        services.round_define(actor=admin, code="BSU-2026", terms={"months": 3})
    assert frozen.value.code == "round_approved"


def test_the_pages_define_run_and_show_a_round(bsu_2025: dict[str, Any], client: Any) -> None:
    client.force_login(bsu_2025["users"]["admin"])
    response = client.post(
        "/bsu/",
        {
            "code": "BSU-2026",
            "copy_of": "BSU-2025",
            "name": "BSU 2026",
            "legal_basis": "Permenaker (uji)",
            "monthly_amount": "Rp400.000",
            "segments": "PU",
            "channels": "BRI,POS",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/bsu/BSU-2026/"
    assert Round.objects.get(code="BSU-2026").channels == ["BRI", "POS"]
    response = client.post("/bsu/BSU-2026/", {"action": "compute"})
    assert response.status_code == 302
    page = client.get("/bsu/BSU-2026/").content.decode()
    assert 'id="eligible">3<' in page and "wage_above_ceiling" in page
    refused = client.post("/bsu/", {"code": "x", "monthly_amount": "abc"}).content.decode()
    # The amount is read as the API reads it (core.forms.Rupiah): refused with its own code.
    assert 'data-code="amount_invalid"' in refused
    # Outside national scope the pages are not there.
    client.force_login(bsu_2025["users"]["kukar"])
    assert client.get("/bsu/BSU-2026/").status_code == 404


def test_cli_defines_a_round(world: dict[str, Any]) -> None:
    import json

    out = io.StringIO()
    call_command(
        "bsu", "define", "BSU-2027", "--copy-of", "BSU-2021", "--name", "BSU 2027 (uji)", "--monthly-amount",
        "Rp350.000", "--regions-included", "64,65.71", "--channels", "bri,pos", stdout=out,
    )  # fmt: skip
    made = json.loads(out.getvalue())
    assert (made["monthly_amount"], made["months"], made["regions_included"], made["channels"]) == (
        350_000,
        2,
        ["64", "65.71"],
        ["BRI", "POS"],
    )
    # 2021's other terms are copied: Aceh out, the priority sectors (Permenaker 16/2021).
    assert made["provinces_excluded"] == ["11"] and "P" not in made["sectors"]
    with pytest.raises(SystemExit):
        call_command("bsu", "define", "BSU-2027", "--channels", "giro", stdout=io.StringIO())
