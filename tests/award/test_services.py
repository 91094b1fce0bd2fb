"""The Paritrana Award against the real database (issue 8): indicator values equal a direct
computation from the registry; the entry rules; jurors confined to their stage, category and
province; conflicts of interest; every mark audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from paritrana.accounts.services import user_provision
from paritrana.award import selectors, services
from paritrana.award.models import Candidate, Score
from paritrana.benefits.models import Claim
from paritrana.contributions.batch.partitions import ensure_partition
from paritrana.contributions.models import Bill
from paritrana.core.actors import system_actor
from paritrana.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from paritrana.core.models import AuditEvent
from paritrana.coverage.models import Addressee, Denominator, FollowUpAction
from paritrana.demo.synth.load import synth_run
from paritrana.enrolment.models import SponsorBudget
from paritrana.registry.models import Membership
from paritrana.registry.rules.kpj import kpj_from_serial

START, END = date(2025, 1, 1), date(2025, 12, 31)
JAKARTA = ZoneInfo("Asia/Jakarta")


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _in_force(m: Membership, day: date) -> bool:
    return m.valid_from <= day and (m.valid_until is None or m.valid_until >= day)


@pytest.fixture
def field(world: dict[str, Any]) -> dict[str, Any]:
    """A synthetic Kalimantan Timur with a budget, a regulation, bills and paid claims in 2025."""
    synth_run(persons=3_000, seed=21, provinces=["64"])
    Denominator.objects.update_or_create(
        region_id="64.02", year=2025, kind="employed", defaults={"value": 400_000, "source": "uji"}
    )
    SponsorBudget.objects.create(sponsor=world["kukar_sponsor"], year=2025, allocation=Decimal("1234500000"))
    regent, _ = Addressee.objects.get_or_create(kind="regent", title="Bupati Kutai Kartanegara", region_id="64.02")
    FollowUpAction.objects.create(addressee=regent, kind="regulation", taken_on=date(2025, 3, 2),
                                  description="Perbup jamsostek", regulation_type="Perbup", evidence="uji")  # fmt: skip
    FollowUpAction.objects.create(addressee=regent, kind="regulation", taken_on=date(2024, 12, 30),
                                  description="sebelum periode", evidence="uji")  # fmt: skip
    kukar, bpn = world["kukar_employer"], world["bpn_employer"]
    Membership.objects.create(kpj=kpj_from_serial(9_000_000_101), person=world["kukar_person"], employer=kukar,
                              segment="PU", programmes=["JKK", "JKM", "JHT"], wage=4_000_000,
                              valid_from=date(2024, 6, 1), regency_id="64.02")  # fmt: skip
    # The Kukar employer pays in full; the Balikpapan one leaves an overdue bill partly unpaid.
    bills = [
        (kukar, None, "64.02", date(2025, 5, 1), 1_000_000, 1_000_000),
        (kukar, None, "64.02", date(2025, 6, 1), 3_000_000, 3_000_000),
        (bpn, None, "64.71", date(2025, 5, 1), 2_000_000, 500_000),
        (None, world["kukar_sponsor"], "64.02", date(2025, 7, 1), 4_000_000, 2_000_000),
    ]
    with connection.cursor() as cursor:
        for period in {b[3] for b in bills}:
            ensure_partition(cursor, period)
    for employer, sponsor, region, period, due, paid in bills:
        Bill.objects.create(employer=employer, sponsor=sponsor, region_id=region, period=period,
                            due_date=period + timedelta(days=14), amount_due=due, paid_amount=paid)  # fmt: skip
    # Claims of persons in Kutai Kartanegara paid in 2025 after 3, 5 and 10 days; one paid in 2026.
    persons = list(Membership.objects.filter(regency_id="64.02").values_list("person_id", "id")[:4])
    for (person, membership), (submitted, days) in zip(
        persons, [((2025, 2, 1), 3), ((2025, 4, 1), 5), ((2025, 8, 1), 10), ((2025, 12, 30), 7)], strict=True
    ):
        at = datetime(*submitted, 9, tzinfo=JAKARTA)
        claim = Claim.objects.create(
            benefit="JKK",
            person_id=person,
            membership_id=membership,
            state="paid",
            event_date=at.date(),
            regency_id="64.02",
            paid_at=at + timedelta(days=days),
        )
        Claim.objects.filter(pk=claim.pk).update(submitted_at=at)
    return world


@pytest.mark.django_db
def test_indicator_values_equal_a_direct_computation_from_the_registry(field: dict[str, Any]) -> None:
    services.edition_create(actor=system_actor(), year=2026, period_start=START, period_end=END, channel="cli")
    services.candidates_draw(actor=system_actor(), year=2026, channel="cli")
    regency = Candidate.objects.get(category__code="kabupaten-kota", region_id="64.02")
    province = Candidate.objects.get(category__code="provinsi", region_id="64")

    for candidate, prefix in ((regency, "64.02"), (province, "64.")):
        ms = [m for m in Membership.objects.all() if m.regency_id == prefix or m.regency_id.startswith(prefix)]

        def persons(day: date, segment: str | None = None, ms: list[Membership] = ms) -> set[int]:
            return {m.person_id for m in ms if _in_force(m, day) and (segment is None or m.segment == segment)}

        pu0, pu1 = len(persons(START, "PU")), len(persons(END, "PU"))
        bpu0, bpu1 = len(persons(START, "BPU")), len(persons(END, "BPU"))
        e0 = len({m.employer_id for m in ms if m.segment == "PU" and _in_force(m, START)})
        e1 = len({m.employer_id for m in ms if m.segment == "PU" and _in_force(m, END)})
        tagged = {m.person_id for m in ms if _in_force(m, END)
                  and set(m.tags) & {"non_asn", "ppnpn", "village_apparatus", "vulnerable"}}  # fmt: skip
        v = candidate.values
        assert pu0 > 0 and bpu0 > 0 and e0 > 0
        assert Decimal(v["pu_growth"]) == _pct(pu1 - pu0, pu0)
        assert Decimal(v["bpu_growth"]) == _pct(bpu1 - bpu0, bpu0)
        assert Decimal(v["employer_growth"]) == _pct(e1 - e0, e0)
        assert Decimal(v["non_asn_vulnerable"]) == len(tagged)

    v = regency.values
    active = len({m.person_id for m in Membership.objects.filter(regency_id="64.02") if _in_force(m, END)})
    assert Decimal(v["coverage_rate"]) == _pct(active, 400_000)
    assert Decimal(v["apbd_allocation"]) == Decimal("1234500000")
    assert Decimal(v["regulations"]) == 1  # the one of 2024 is before the period
    # Bills of payers in Kutai Kartanegara due in 2025: 1 + 3 + 4 million due, 1 + 3 + 2 paid.
    assert Decimal(v["compliance"]) == _pct(6, 8)
    assert Decimal(v["claims_days"]) == Decimal(median([3, 5, 10]))  # the 2026 payment is outside
    # The province takes all its regencies' bills: (6 + 0.5) of (8 + 2) million.
    assert Decimal(province.values["compliance"]) == _pct(65, 100)

    # Entry rules: the Balikpapan employer's overdue bill keeps it out of the large enterprises;
    # the Kukar employer (medium) stands with all its bills paid.
    assert not Candidate.objects.filter(category__code="usaha-besar", employer=field["bpn_employer"]).exists()
    kukar = Candidate.objects.get(category__code="usaha-menengah", employer=field["kukar_employer"])
    assert kukar.values["compliance"] == "100.00"
    # The calculation shown adds up to the score.
    points = sum(Decimal(p["points"]) for p in regency.calculation.values())
    assert abs(points - regency.indicator_score) <= Decimal("0.05")


@pytest.mark.django_db
def test_self_nomination_checks_the_entry_rules(field: dict[str, Any]) -> None:
    services.edition_create(actor=system_actor(), year=2026, period_start=START, period_end=END, channel="cli")
    hr = field["users"]["hr"]  # HR of the Balikpapan employer (large, with arrears)
    field["bpn_employer"].__class__.objects.filter(pk=field["bpn_employer"].pk).update(scale="small")
    with pytest.raises(DomainError) as refused:
        services.nominate(actor=hr, year=2026, category="usaha-kecil", employer_id=field["bpn_employer"].pk)
    assert refused.value.code == "arrears"
    with pytest.raises(PermissionDenied):
        services.nominate(actor=hr, year=2026, category="usaha-kecil", employer_id=field["kukar_employer"].pk)
    with pytest.raises(DomainError) as closed:
        services.nominate(actor=hr, year=2026, category="usaha-besar", employer_id=field["bpn_employer"].pk)
    assert closed.value.code == "nomination_closed"


@pytest.mark.django_db
def test_a_juror_sees_and_marks_only_their_stage_category_and_province(field: dict[str, Any]) -> None:
    admin = field["users"]["admin"]
    services.edition_create(actor=admin, year=2026, period_start=START, period_end=END)
    services.candidates_draw(actor=admin, year=2026)
    kaltim = user_provision(actor=system_actor(), username="j.kaltim", password="pw-j-123456", role="award_jury")
    other = user_provision(actor=system_actor(), username="j.other", password="pw-j-123456", role="award_jury")
    for juror in (kaltim, other):
        services.juror_assign(actor=admin, year=2026, user=juror, stage="provincial", category="kabupaten-kota",
                              province_code="64")  # fmt: skip
    services.juror_assign(actor=admin, year=2026, user=other, stage="interview", category="provinsi")
    with pytest.raises(ValidationFailed):  # a regency officer is no juror
        services.juror_assign(actor=admin, year=2026, user=field["users"]["kukar"], stage="provincial",
                              category="kabupaten-kota", province_code="64")  # fmt: skip
    kukar = Candidate.objects.get(category__code="kabupaten-kota", region_id="64.02")
    bogor = Candidate.objects.get(category__code="kabupaten-kota", region_id="32.01")
    province = Candidate.objects.get(category__code="provinsi", region_id="64")

    # Before the stage opens nobody marks.
    with pytest.raises(DomainError) as early:
        services.score_record(actor=kaltim, candidate_id=kukar.pk, marks={"panel": 80})
    assert early.value.code == "stage_closed"
    services.stage_advance(actor=admin, year=2026)

    services.score_record(actor=kaltim, candidate_id=kukar.pk, marks={"panel": "81,5"})
    services.score_record(actor=other, candidate_id=kukar.pk, marks={"panel": 70})
    with pytest.raises(PermissionDenied):  # another province
        services.score_record(actor=kaltim, candidate_id=bogor.pk, marks={"panel": 90})
    with pytest.raises(PermissionDenied):  # another category
        services.score_record(actor=kaltim, candidate_id=province.pk, marks={"panel": 90})
    with pytest.raises(DomainError):  # their interview seat is not open
        services.score_record(actor=other, candidate_id=province.pk, marks={k: 90 for k in ("commitment",)})
    with pytest.raises(ValidationFailed) as bad:
        services.score_record(actor=kaltim, candidate_id=kukar.pk, marks={"panel": 101})
    assert bad.value.problems[0].code == "mark_out_of_range"

    # What a juror sees: only their province's candidates and only their own marks.
    board = selectors.board(actor=kaltim, year=2026, category="kabupaten-kota")
    assert {c.province_code for c in board.candidates} == {"64"}
    assert board.marks[kukar.pk] == {"panel": Decimal("81.50")}
    with pytest.raises(NotFound):  # a category without a seat in the open stage
        selectors.board(actor=kaltim, year=2026, category="provinsi")
    with pytest.raises(NotFound):
        selectors.candidate_get(actor=kaltim, candidate_id=bogor.pk)
    with pytest.raises(NotFound):  # the interview seat is not open: nothing to see yet
        selectors.board(actor=other, year=2026, category="provinsi")

    # A declared conflict withdraws the juror's mark and refuses the next one.
    services.conflict_declare(actor=other, candidate_id=kukar.pk, reason="Pernah menjadi konsultan Pemkab")
    assert not Score.objects.filter(juror__user=other, candidate=kukar).exists()
    with pytest.raises(DomainError) as conflict:
        services.score_record(actor=other, candidate_id=kukar.pk, marks={"panel": 99})
    assert conflict.value.code == "conflict_declared"
    # Every mark is audited, with the old and the new value when changed.
    services.score_record(actor=kaltim, candidate_id=kukar.pk, marks={"panel": 83})
    changes = list(AuditEvent.objects.filter(action="award.score", entity_id=str(kukar.pk)).order_by("id"))
    assert [c.detail["value"] for c in changes] == ["81.5", "70", "83"]
    assert changes[-1].detail["old"] == "81.50"
    # Closing the stage: the panel mark is the remaining juror's; Kukar is shortlisted in Kaltim.
    services.stage_advance(actor=admin, year=2026)
    kukar.refresh_from_db()
    assert kukar.provincial_score == Decimal("83.00") and kukar.shortlisted
    with pytest.raises(PermissionDenied):
        services.stage_advance(actor=kaltim, year=2026)
