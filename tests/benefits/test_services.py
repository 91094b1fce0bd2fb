"""The claim workflow against the real PostgreSQL: coverage derived from paid contributions, heirs in
legal order, two memberships paid twice, refusals that pay nothing, the JKK service date and its
penalty, scholarships scheduled and renewed, scoped queues (issue 4 §2, §4)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from paritrana.benefits import selectors, services
from paritrana.benefits.models import BenefitPayment, Claim, Scholarship
from paritrana.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from paritrana.core.models import AuditEvent
from paritrana.law.selectors import public_holidays
from paritrana.registry.models import Membership, Person
from paritrana.registry.rules.kpj import kpj_from_serial
from tests.benefits.conftest import bill_and_pay
from tests.conftest import make_nik

pytestmark = pytest.mark.django_db

# regulation.md §2.1 (PP 44/2015 Pasal 53 jo. PP 82/2019): JKM = Rp20,000,000 lump sum + Rp12,000,000
# periodic paid at once + Rp10,000,000 funeral.
JKM_TOTAL = Decimal(42_000_000)


def _spouse(officer: Any, person: Any) -> None:
    """The widower, with the bank account the death benefit is paid into."""
    services.heir_add(
        actor=officer,
        person_id=person.pk,
        name="Budi Santoso",
        relationship="spouse",
        bank_name="BRI",
        account_number="001201000123",
    )


def _everything_received(actor: Any, claim: Claim) -> None:
    services.claim_documents_receive(
        actor=actor, claim_id=claim.pk, codes=list(claim.documents.values_list("code", flat=True))
    )


def _through(actor: Any, claim: Claim, *, paid_on: date, reference: str) -> Claim:
    _everything_received(actor, claim)
    services.claim_verify(actor=actor, claim_id=claim.pk)
    services.claim_approve(actor=actor, claim_id=claim.pk)
    return services.claim_pay(actor=actor, claim_id=claim.pk, paid_on=paid_on, reference=reference)


@pytest.fixture
def kukar(world: dict[str, Any]) -> dict[str, Any]:
    """The Kukar worker covered by the regency's APBD since 2023, October 2026 paid by the sponsor."""
    membership = Membership.objects.get(person=world["kukar_person"])
    membership.valid_from = date(2023, 1, 1)
    membership.save()
    admin = world["users"]["admin"]
    bill_and_pay(admin, "sponsor", world["kukar_sponsor"].pk, ["2026-10"], [date(2026, 11, 5)])
    return {**world, "membership": membership, "officer": world["users"]["branch"]}


def test_jkm_death_pays_the_spouse_42_million_and_schedules_two_childrens_scholarships(kukar: dict[str, Any]) -> None:
    officer, person = kukar["officer"], kukar["kukar_person"]
    _spouse(officer, person)
    services.heir_add(
        actor=officer,
        person_id=person.pk,
        name="Rudi",
        relationship="child",
        birth_date="2016-02-01",
        education_level="SD",
    )
    services.heir_add(
        actor=officer,
        person_id=person.pk,
        name="Sari",
        relationship="child",
        birth_date="2009-08-17",
        education_level="SMA",
    )
    services.heir_add(
        actor=officer,
        person_id=person.pk,
        name="Dewi",
        relationship="child",
        birth_date="2005-01-09",
        education_level="PT",
    )

    [claim] = services.claim_submit(actor=officer, person_id=person.pk, benefit="JKM", event_date=date(2026, 11, 10))
    assert claim.state == "submitted", claim.result["unmet"]
    assert claim.amount == JKM_TOTAL
    assert claim.facts["membership_months"] == 47  # January 2023 through November 2026
    paid = _through(officer, claim, paid_on=date(2026, 11, 20), reference="TRF-JKM-1")

    [payment] = BenefitPayment.objects.filter(claim=paid)
    assert (payment.payee_name, payment.amount, payment.bank_name) == ("Budi Santoso", JKM_TOTAL, "BRI")
    # PP 82/2019: at most two children (the two eldest here); JKM needs 36 months' membership (47 here).
    scholarships = Scholarship.objects.filter(origin=claim).select_related("child").order_by("child__birth_date")
    assert [s.child.name for s in scholarships] == ["Dewi", "Sari"]
    first_year = Claim.objects.filter(benefit="SCHOLARSHIP", scholarship__origin=claim).order_by("amount")
    # Permenaker 5/2021: SMA Rp3,000,000 and higher education Rp12,000,000 a year.
    assert [(c.education_level, c.amount, c.school_year) for c in first_year] == [
        ("SMA", Decimal(3_000_000), 2026),
        ("PT", Decimal(12_000_000), 2026),
    ]
    actions = set(AuditEvent.objects.filter(entity="claim", entity_id=str(claim.pk)).values_list("action", flat=True))
    assert {"claim_submit", "claim_documents_receive", "claim_verify", "claim_approve", "claim_pay"} <= actions


def test_two_jkm_memberships_give_two_claims_and_two_payments(kukar: dict[str, Any]) -> None:
    """regulation.md §2.1: a BPU and a PU membership gave Rp84 million (jatengpos Klaten, 15 Feb 2024)."""
    officer, person = kukar["officer"], kukar["kukar_person"]
    employer = kukar["kukar_employer"]
    Membership.objects.create(
        kpj=kpj_from_serial(9_000_000_777),
        person=person,
        employer=employer,
        segment="PU",
        programmes=["JKK", "JKM", "JHT"],
        wage=3_000_000,
        valid_from=date(2025, 1, 1),
        regency_id="64.02",
    )
    # The employer's membership was billed for October only now; pay it too (the sponsor's is paid).
    bill_and_pay(kukar["users"]["admin"], "employer", employer.pk, ["2026-10"], [date(2026, 11, 6)])
    _spouse(officer, person)
    claims = services.claim_submit(actor=officer, person_id=person.pk, benefit="JKM", event_date=date(2026, 11, 10))
    assert [c.state for c in claims] == ["submitted", "submitted"]
    for n, claim in enumerate(claims):
        _through(officer, claim, paid_on=date(2026, 11, 20), reference=f"TRF-2M-{n}")
    total = sum(p.amount for p in BenefitPayment.objects.filter(claim__person=person))
    assert total == 2 * JKM_TOTAL == Decimal(84_000_000)


def test_a_transfer_reference_pays_once(kukar: dict[str, Any]) -> None:
    officer, person = kukar["officer"], kukar["kukar_person"]
    _spouse(officer, person)
    [claim] = services.claim_submit(actor=officer, person_id=person.pk, benefit="JKM", event_date=date(2026, 11, 10))
    _everything_received(officer, claim)
    services.claim_verify(actor=officer, claim_id=claim.pk)
    services.claim_approve(actor=officer, claim_id=claim.pk)
    BenefitPayment.objects.create(
        claim=claim,
        payee_name="x",
        bank_name="x",
        account_number="x",
        amount=1,
        paid_on=date(2026, 11, 1),
        reference="TRF-9-1",
    )
    with pytest.raises(DomainError) as exc:
        services.claim_pay(actor=officer, claim_id=claim.pk, paid_on=date(2026, 11, 20), reference="TRF-9")
    assert exc.value.code == "reference_used"
    # A reference that merely starts the same way is another transfer.
    services.claim_pay(actor=officer, claim_id=claim.pk, paid_on=date(2026, 11, 20), reference="TRF")
    assert BenefitPayment.objects.filter(claim=claim, reference="TRF").exists()


def test_a_person_not_covered_on_the_event_date_is_refused_with_reasons_and_nothing_is_paid(
    kukar: dict[str, Any],
) -> None:
    officer = kukar["officer"]
    village = kukar["kukar_village"]
    stranger = Person.objects.create(
        nik=make_nik(village.code[:8], date(1990, 1, 1), "L", serial=77),
        full_name="Tanpa Kepesertaan",
        birth_date=date(1990, 1, 1),
        sex="L",
        village=village,
        regency_id="64.02",
        province_id="64",
    )
    [refused] = services.claim_submit(actor=officer, person_id=stranger.pk, benefit="JKM", event_date=date(2026, 11, 1))
    assert refused.state == "rejected" and refused.rejection_code == "not_covered"
    assert refused.amount == 0 and refused.result["eligible"] is False

    # Covered by the sponsor, but the death was before the membership began.
    [early] = services.claim_submit(
        actor=officer, person_id=kukar["kukar_person"].pk, benefit="JKM", event_date=date(2022, 6, 1)
    )
    assert early.state == "rejected" and [u["code"] for u in early.result["unmet"]] == ["not_covered"]
    for claim in (refused, early):
        with pytest.raises(DomainError) as exc:
            services.claim_pay(actor=officer, claim_id=claim.pk, paid_on=date(2026, 11, 20), reference=f"X{claim.pk}")
        assert exc.value.code == "claim_state_invalid"
    assert not BenefitPayment.objects.exists()


def test_unpaid_contributions_refuse_a_self_funded_claim_and_name_the_month(world: dict[str, Any]) -> None:
    # The sponsor never paid: the BPU worker is not active (PP 44/2015 Pasal 46 due date passed).
    [claim] = services.claim_submit(
        actor=world["users"]["branch"], person_id=world["kukar_person"].pk, benefit="JKM", event_date=date(2026, 11, 10)
    )
    assert claim.state == "rejected"
    assert claim.rejection_code == "contributions_unpaid"
    assert "10/2026" in claim.rejection_note


def test_jkk_claim_paid_after_seven_working_days_carries_one_percent_a_day(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    bill_and_pay(admin, "employer", world["bpn_employer"].pk, ["2026-10"], [date(2026, 11, 9)])
    [claim] = services.claim_submit(
        actor=admin,
        person_id=world["bpn_person"].pk,
        benefit="JKK_STMB",
        event_date=date(2026, 11, 2),
        details={"stmb_months": 2, "payee_bank": "Mandiri", "payee_account": "1410000555"},
    )
    # PP 82/2019: 100 % of the Rp5,000,000 wage for each of the first months.
    assert claim.amount == Decimal(10_000_000)
    _everything_received(admin, claim)
    verified = services.claim_verify(actor=admin, claim_id=claim.pk)
    assert verified.due_by is not None and verified.verified_at is not None
    # The officer's working day is Jakarta's: between 17:00 and 24:00 UTC it is already tomorrow there.
    start = timezone.localdate(verified.verified_at)
    # PP 44/2015 Pasal 37(2): seven working days after the documents are complete.
    # Weekends and the holidays of the SKB calendar (law/data/holidays.csv) are not working days.
    off = public_holidays()
    days = [start + timedelta(days=d) for d in range(1, (verified.due_by - start).days + 1)]
    assert sum(1 for d in days if d.weekday() < 5 and d not in off) == 7
    assert verified.due_by.weekday() < 5 and verified.due_by not in off
    services.claim_approve(actor=admin, claim_id=claim.pk)
    paid = services.claim_pay(
        actor=admin, claim_id=claim.pk, paid_on=verified.due_by + timedelta(days=3), reference="TRF-STMB"
    )
    # Pasal 37(3): 1 % of the benefit a day, three days late → Rp300,000 more.
    assert paid.penalty == Decimal(300_000)
    assert BenefitPayment.objects.get(claim=claim).amount == Decimal(10_300_000)


def test_verify_needs_every_document_and_a_rejection_needs_a_known_code(kukar: dict[str, Any]) -> None:
    officer = kukar["officer"]
    [claim] = services.claim_submit(
        actor=officer, person_id=kukar["kukar_person"].pk, benefit="JKM", event_date=date(2026, 11, 10)
    )
    services.claim_documents_receive(actor=officer, claim_id=claim.pk, codes=["kpj_card", "death_certificate"])
    with pytest.raises(ValidationFailed) as exc:
        services.claim_verify(actor=officer, claim_id=claim.pk)
    assert {p.field for p in exc.value.problems} == {"family_card", "heir_statement", "heir_ktp", "bank_book"}
    with pytest.raises(DomainError):
        services.claim_reject(actor=officer, claim_id=claim.pk, code="because")
    services.claim_reject(actor=officer, claim_id=claim.pk, code="documents_invalid", note="Akta kematian palsu.")
    claim.refresh_from_db()
    assert (claim.state, claim.rejection_code) == ("rejected", "documents_invalid")
    # A rejected claim does not block a new, corrected one.
    [again] = services.claim_submit(
        actor=officer, person_id=kukar["kukar_person"].pk, benefit="JKM", event_date=date(2026, 11, 10)
    )
    assert again.state == "submitted"
    with pytest.raises(DomainError) as dup:
        services.claim_submit(
            actor=officer, person_id=kukar["kukar_person"].pk, benefit="JKM", event_date=date(2026, 11, 10)
        )
    assert dup.value.code == "duplicate_claim"


def test_approval_needs_an_heir_with_a_bank_account(kukar: dict[str, Any]) -> None:
    officer, person = kukar["officer"], kukar["kukar_person"]
    [claim] = services.claim_submit(actor=officer, person_id=person.pk, benefit="JKM", event_date=date(2026, 11, 10))
    _everything_received(officer, claim)
    services.claim_verify(actor=officer, claim_id=claim.pk)
    with pytest.raises(ValidationFailed) as exc:
        services.claim_approve(actor=officer, claim_id=claim.pk)
    assert [p.code for p in exc.value.problems] == ["no_heir"]
    services.heir_add(actor=officer, person_id=person.pk, name="Ibu Kandung", relationship="parent")
    with pytest.raises(ValidationFailed) as exc:
        services.claim_approve(actor=officer, claim_id=claim.pk)
    assert [p.code for p in exc.value.problems] == ["bank_account_missing"]


def test_only_the_funeral_cost_goes_to_the_funeral_arranger_when_there_is_no_heir(kukar: dict[str, Any]) -> None:
    officer, person = kukar["officer"], kukar["kukar_person"]
    services.heir_add(
        actor=officer,
        person_id=person.pk,
        name="Ketua RT 03",
        relationship="funeral_arranger",
        bank_name="BPD Kaltim",
        account_number="0099887766",
    )
    [claim] = services.claim_submit(actor=officer, person_id=person.pk, benefit="JKM", event_date=date(2026, 11, 10))
    _through(officer, claim, paid_on=date(2026, 11, 20), reference="TRF-FUN")
    # regulation.md §2.1: the Rp10,000,000 funeral cost; the rest reverts to the DJS.
    assert BenefitPayment.objects.get(claim=claim).amount == Decimal(10_000_000)


def test_scholarship_renewal_is_yearly_and_ends_at_23(kukar: dict[str, Any]) -> None:
    officer, person = kukar["officer"], kukar["kukar_person"]
    # A JKK death in March 2024 (no minimum membership for JKK scholarships, PP 82/2019).
    bill_and_pay(kukar["users"]["admin"], "sponsor", kukar["kukar_sponsor"].pk, ["2024-02"], [date(2024, 3, 4)])
    _spouse(officer, person)
    services.heir_add(
        actor=officer,
        person_id=person.pk,
        name="Dewi",
        relationship="child",
        birth_date="2002-06-01",
        education_level="PT",
    )
    [claim] = services.claim_submit(
        actor=officer, person_id=person.pk, benefit="JKK_DEATH", event_date=date(2024, 3, 10)
    )
    # regulation.md §2.3: 48 × the declared Rp1,000,000 + Rp12,000,000 periodic [U] + Rp10,000,000 funeral.
    assert claim.state == "submitted" and claim.amount == Decimal(48_000_000 + 12_000_000 + 10_000_000)
    _through(officer, claim, paid_on=date(2024, 3, 20), reference="TRF-SCH")
    scholarship = Scholarship.objects.get(origin=claim)
    [first] = scholarship.claims.all()
    assert (first.school_year, first.amount) == (2024, Decimal(12_000_000))
    _through(officer, first, paid_on=date(2024, 8, 1), reference="TRF-SCH-2024")
    # The scholarship goes to the spouse's account: the child has none of her own.
    assert BenefitPayment.objects.get(claim=first).account_number == "001201000123"
    with pytest.raises(ValidationFailed) as exc:
        services.scholarship_renew(actor=officer, scholarship_id=scholarship.pk, year=2024, level="PT")
    assert [p.code for p in exc.value.problems] == ["duplicate_claim"]
    # 22 on 1 January 2025: the 2025 school year is paid.
    renewed = services.scholarship_renew(actor=officer, scholarship_id=scholarship.pk, year=2025, level="PT")
    assert renewed.amount == Decimal(12_000_000)
    # 23 on 1 January 2026 (born 1 June 2002): the scholarship has ended (Permenaker 5/2021).
    with pytest.raises(ValidationFailed) as exc:
        services.scholarship_renew(actor=officer, scholarship_id=scholarship.pk, year=2026, level="PT")
    assert [p.code for p in exc.value.problems] == ["scholarship_ended"]
    with pytest.raises(ValidationFailed) as exc:
        services.scholarship_renew(actor=officer, scholarship_id=scholarship.pk, year=2031, level="PT")
    assert "year_in_future" in [p.code for p in exc.value.problems]


def test_claims_are_scoped_to_the_branch_and_the_person(kukar: dict[str, Any]) -> None:
    users = kukar["users"]
    [claim] = services.claim_submit(
        actor=users["branch"], person_id=kukar["kukar_person"].pk, benefit="JKM", event_date=date(2026, 11, 10)
    )
    # The Balikpapan regency officer and the coordination team do not see the Kukar claim.
    for who in ("bpn", "coord", "hr"):
        assert not selectors.claim_list(user=users[who]).exists()
        with pytest.raises(NotFound):
            selectors.claim_get(user=users[who], claim_id=claim.pk)
    assert list(selectors.claim_list(user=users["participant"])) == [claim]
    # The branch covers Kukar only: a Balikpapan person is out of its reach.
    with pytest.raises(NotFound):
        services.claim_submit(
            actor=users["branch"], person_id=kukar["bpn_person"].pk, benefit="JKM", event_date=date(2026, 11, 10)
        )
    # Regional governments and participants do not decide claims.
    for who in ("kukar", "participant", "sponsor"):
        with pytest.raises(PermissionDenied):
            services.claim_verify(actor=users[who], claim_id=claim.pk)


def test_rejecting_on_the_page_needs_a_reason_and_a_confirmation(kukar: dict[str, Any]) -> None:
    """Issue 27 §8: a rejection cannot be undone, so the page asks for a reason (none pre-selected) and
    a confirmation; the rejected claim then names the reason in words, not as a code."""
    from django.test import Client

    officer, person = kukar["officer"], kukar["kukar_person"]
    [claim] = services.claim_submit(actor=officer, person_id=person.pk, benefit="JKM", event_date=date(2026, 11, 10))
    client = Client()
    client.force_login(officer)
    url = f"/klaim/{claim.pk}/"
    page = client.get(url).content.decode()
    assert '<option value="">' in page and 'name="confirm"' in page and "required" in page
    unconfirmed = client.post(url, {"action": "reject", "code": "documents_invalid", "note": "KTP buram"})
    assert unconfirmed.status_code == 400 and 'data-code="confirm_required"' in unconfirmed.content.decode()
    no_reason = client.post(url, {"action": "reject", "code": "", "confirm": "on"})
    assert no_reason.status_code == 400
    claim.refresh_from_db()
    assert claim.state == "submitted"
    done = client.post(url, {"action": "reject", "code": "documents_invalid", "note": "KTP buram", "confirm": "on"})
    assert done.status_code == 302
    claim.refresh_from_db()
    assert (claim.state, claim.rejection_code) == ("rejected", "documents_invalid")
    shown = client.get(url).content.decode()
    assert 'data-code="documents_invalid">Dokumen tidak sah atau tidak sesuai · KTP buram<' in shown
