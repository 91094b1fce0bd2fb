"""Benefit services: the calculator, and the claim workflow from intake to payment (issue 4)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from paritrana.accounts.scope import CLAIM_OFFICER_ROLES, scope_for
from paritrana.core import files as core_files
from paritrana.core.actors import acting_user
from paritrana.core.audit import audit_record
from paritrana.core.errors import DomainError, NotFound, PermissionDenied, Problem, ValidationFailed
from paritrana.core.forms import read_values
from paritrana.core.money import to_rupiah
from paritrana.law.rules.params import ParameterSet
from paritrana.law.selectors import calendar_basis, parameter_rows, public_holidays
from paritrana.notifications.selectors import claim_recipients
from paritrana.notifications.services import Kind, notify
from paritrana.registry import selectors as registry_selectors
from paritrana.registry.models import Membership, Person

from . import selectors
from .access import require_claim_officer
from .models import (
    BenefitPayment,
    Claim,
    ClaimDocument,
    Heir,
    JhtEntry,
    PensionSchedule,
    ProofOfLife,
    Scholarship,
)
from .pensions import PENSION_BENEFITS, start_pension
from .rules.benefit import calculate
from .rules.claim_input import LEVELS, BenefitInput, Child, Cost, check_input, facts_of, parse_input
from .rules.claims import (
    DEATH_TYPES,
    DOCUMENTS,
    IN_PAYMENT_STATES,
    LABELS,
    PERIODIC_TYPES,
    PROGRAMME,
    REJECTION_REASONS,
    RELATIONSHIPS,
    SCHOLARSHIP_TYPES,
    SLA_TYPES,
    STATE_LABELS,
    HeirFacts,
    Payout,
    add_working_days,
    death_payees,
    delay_penalty,
    jp_survivor,
    scholarship_children,
    scholarship_ended,
    scholarship_years_left,
)
from .rules.coverage import Coverage, MembershipFacts, coverage_on
from .rules.jht import balance_with_returns
from .schemas import ClaimDetails

# Risk programmes: the event must fall in a month covered by paid contributions (PP 44/2015).
INSURED_PROGRAMMES = frozenset({"JKK", "JKM"})
# The components a funeral arranger may receive when there is no heir (regulation.md §2.1).
FUNERAL_COMPONENTS = ("Biaya pemakaman",)


def benefit_calculate(payload: dict[str, Any]) -> dict[str, Any]:
    """The benefit calculator's JSON answer; every input problem at once as ValidationFailed."""
    data, problems = parse_input(payload)
    if problems or data is None:
        raise ValidationFailed(problems)
    rows = parameter_rows()  # read once: the pension age is looked up on several future birthdays

    def params_on(day: date) -> ParameterSet:
        return ParameterSet(rows, day)

    return calculate(data, params_on(data.event_date), params_on).as_dict()


# -- claims ----------------------------------------------------------------------------------------
#
# A claim moves submitted → verified → approved → paid, or to rejected with a reason code, by the
# functions below. Each checks the actor's scope and the claim's state first, then writes the change
# and its audit row in one transaction (DESIGN.md §5.6, "check() then execute()").


def _params_lookup() -> Callable[[date], ParameterSet]:
    rows = parameter_rows()
    return lambda day: ParameterSet(rows, day)


def _tell_claimant(claim: Claim) -> None:
    """The participant (and an heir or employer who submitted the claim) hears of the claim's new state
    by e-mail: an outbox row written in this transaction, so told only if the change commits."""
    notify(
        kind=Kind.CLAIM_STATE,
        fact=f"{claim.pk}:{claim.state}",
        recipients=claim_recipients(person_id=claim.person_id, submitted_by_id=claim.submitted_by_id),
        context={
            "claim": claim.pk,
            "benefit_label": LABELS.get(claim.benefit, claim.benefit),
            "state": claim.state,
            "state_label": STATE_LABELS[claim.state],
            "person": claim.person.full_name,
            "amount": str(claim.amount),
            "penalty": str(claim.penalty),
            "reason": claim.rejection_note,
            "due_by": claim.due_by.strftime("%d/%m/%Y") if claim.due_by else "",
        },
    )


def _claim_for_update(actor: Any, claim_id: int, *states: str) -> Claim:
    require_claim_officer(actor)
    visible = selectors.claims_scoped(scope_for(actor)).filter(pk=claim_id).values("pk")
    claim = Claim.objects.select_for_update().filter(pk__in=visible).first()
    if claim is None:
        raise NotFound("Klaim")
    if states and claim.state not in states:
        allowed = " atau ".join(states)
        raise DomainError(
            "claim_state_invalid",
            f"Klaim berstatus {claim.state}; tindakan ini hanya untuk klaim {allowed}.",
            field="state",
        )
    return claim


def _input_for(
    *,
    person: Person,
    benefit: str,
    event_date: date,
    facts: MembershipFacts | None,
    coverage: Coverage | None,
    details: ClaimDetails,
) -> BenefitInput:
    """The calculator's input for one membership: every count and balance derived from the registry,
    and what only the claim's file shows from ``details``."""
    # Only what the calculator reads (a ``ClaimIn`` also names the person, benefit and date).
    given = details.model_dump(include=set(ClaimDetails.model_fields) - {"costs", "payee_bank", "payee_account"})
    data = BenefitInput(
        benefit=benefit,
        event_date=event_date,
        birth_date=person.birth_date,
        costs=tuple(Cost(c.kind, c.amount, c.date) for c in details.costs),
        **given,
    )
    if facts is None or coverage is None:
        return replace(data, membership_months=0, contribution_months=0)
    data = replace(
        data,
        membership_months=coverage.membership_months,
        contribution_months=coverage.contribution_months,
        contribution_months_last_24=coverage.contribution_months_last_24,
        consecutive_months=coverage.consecutive_months,
        wage=to_rupiah(facts.wage) if facts.wage is not None else None,
    )
    if facts.jp_bases:
        # PP 45/2015 Pasal 17(3) indexes each year's wage by inflation; the index is not yet known
        # (regulation.md §2.5 [U]), so the average of the paid months' JP wages stands in for it.
        average = sum(facts.jp_bases, Decimal(0)) / len(facts.jp_bases) * 12
        data = replace(data, avg_indexed_annual_wage=to_rupiah(average))
    elif benefit in ("JP_OLD_AGE", "JP_DISABILITY", "JP_SURVIVOR"):
        data = replace(data, avg_indexed_annual_wage=Decimal(0))
    on = max(event_date, timezone.localdate())
    if benefit == "JP_LUMP_SUM":
        data = replace(data, jp_balance=_jp_balance(facts.membership_id, on=on))
    if benefit == "JHT":
        # What is paid out is the balance when the claim is made, including months paid after the event.
        data = replace(data, jht_balance=selectors.jht_balance(membership_id=facts.membership_id, on=on))
    return data


def _jp_balance(membership_id: int, *, on: date) -> Decimal:
    """JP contributions paid and the return of each whole year whose rate is published (jp.return_rate)."""
    entries = selectors.jp_contributions(membership_id=membership_id)
    rows = parameter_rows()
    rates = {}
    for year in range(min((day.year for day, _ in entries), default=on.year), on.year):
        params = ParameterSet(rows, date(year, 12, 31))
        if params.has("jp.return_rate"):
            rates[year] = params.get("jp.return_rate")
    return balance_with_returns(entries, rates=rates, until_year=on.year)


def _survivor(person_id: int, event_date: date) -> tuple[HeirFacts | None, list[Problem]]:
    """The JP survivor chosen from the recorded heirs (PP 45/2015 Pasal 16). A child counts while under
    23, unmarried and not working — the same conditions that end a scholarship."""
    heirs = [
        (
            HeirFacts(h.pk, h.name, h.relationship, h.birth_date),
            h.relationship != "child"
            or scholarship_ended(birth_date=h.birth_date, on=event_date, married=h.married, employed=h.employed)
            is None,
        )
        for h in selectors.heirs_of(person_id=person_id)
    ]
    chosen = jp_survivor(heirs)
    if chosen is None:
        return None, [Problem("no_heir", "Tidak ada janda/duda, anak atau orang tua yang tercatat sebagai ahli waris.")]
    return chosen, []


def claim_submit(
    *,
    actor: Any,
    person_id: int,
    benefit: str,
    event_date: date,
    details: ClaimDetails | Mapping[str, Any] | None = None,
    channel: str = "page",
) -> list[Claim]:
    """Open one claim per membership that includes the benefit's programme (two JKM memberships → two
    claims, two payments). Each claim is decided on facts derived from the registry; a claim whose
    conditions are not met is refused at once with every unmet condition, and nothing is paid."""
    require_claim_officer(actor)
    return _claims_open(
        actor=actor, person_id=person_id, benefit=benefit, event_date=event_date, details=details, channel=channel
    )


def _claims_open(
    *,
    actor: Any,
    person_id: int,
    benefit: str,
    event_date: date,
    details: ClaimDetails | Mapping[str, Any] | None,
    channel: str,
) -> list[Claim]:
    if benefit not in PROGRAMME or benefit == "SCHOLARSHIP":
        raise DomainError(
            "benefit_unknown",
            "Jenis klaim harus salah satu dari: " + ", ".join(b for b in PROGRAMME if b != "SCHOLARSHIP") + ".",
            field="benefit",
        )
    if not isinstance(details, ClaimDetails):
        details = read_values(ClaimDetails, details or {})
    payee = {
        k: v.strip()
        for k, v in (("payee_bank", details.payee_bank), ("payee_account", details.payee_account))
        if v.strip()
    }
    person = registry_selectors.person_get(user=actor, person_id=person_id, channel=channel, log_view=False)
    if event_date > timezone.localdate():
        raise DomainError("event_in_future", "Tanggal peristiwa tidak boleh di masa depan.", field="event_date")
    programme = PROGRAMME[benefit]
    all_facts = selectors.membership_facts(person_id=person.pk)
    candidates: list[MembershipFacts | None] = [f for f in all_facts if programme in f.programmes]
    if not candidates:
        # Still one claim, refused with the reason, so the refusal is on record and can be printed.
        candidates = [all_facts[-1] if all_facts else None]
    params_on = _params_lookup()
    created: list[Claim] = []
    with transaction.atomic():
        for facts in candidates:
            coverage = coverage_on(facts, programme, event_date) if facts else None
            data = _input_for(
                person=person, benefit=benefit, event_date=event_date, facts=facts, coverage=coverage, details=details
            )
            survivor_unmet: list[Problem] = []
            heir: dict[str, Any] = {}
            if benefit == "JP_SURVIVOR":
                chosen, survivor_unmet = _survivor(person.pk, event_date)
                data = replace(
                    data,
                    survivor=chosen.relationship if chosen else "spouse",
                    survivor_birth_date=chosen.birth_date if chosen else None,
                )
                heir = {"survivor_heir_id": chosen.heir_id} if chosen else {}
            problems = check_input(data)
            if problems:
                raise ValidationFailed(problems)
            outcome = calculate(data, params_on(event_date), params_on)
            if coverage is None:
                unmet = [Problem("not_covered", "Orang ini tidak tercatat sebagai peserta pada tanggal peristiwa.")]
            elif programme in INSURED_PROGRAMMES:
                unmet = list(coverage.unmet)
            else:
                # JHT, JP and JKP pay what was saved or earned by months of contribution, which their
                # own rules count; being active on the claim date is not a condition.
                unmet = [p for p in coverage.unmet if p.field == "membership"]
            unmet += survivor_unmet + outcome.unmet
            # One list, first the coverage and then the benefit's own conditions; where both report
            # the same code, the coverage's more specific message stays.
            unmet = list({p.code: p for p in reversed(unmet)}.values())[::-1]
            result = replace(outcome, unmet=unmet).as_dict()
            membership = Membership.objects.filter(pk=facts.membership_id).first() if facts else None
            duplicate = Claim.objects.filter(membership=membership, benefit=benefit, event_date=event_date).exclude(
                state="rejected"
            )
            if membership is not None and duplicate.exists():
                raise DomainError(
                    "duplicate_claim",
                    f"Klaim {benefit} untuk kepesertaan {membership.kpj} dan tanggal ini sudah ada.",
                )
            claim = Claim.objects.create(
                benefit=benefit,
                person=person,
                membership=membership,
                event_date=event_date,
                regency_id=membership.regency_id if membership else person.regency_id,
                facts={**facts_of(data), **heir, **payee},
                result=result,
                amount=Decimal(result["total"]),
                submitted_by=acting_user(actor),
            )
            ClaimDocument.objects.bulk_create(
                ClaimDocument(claim=claim, code=code, label=label) for code, label in DOCUMENTS[benefit]
            )
            if unmet:
                claim.state = "rejected"
                claim.rejection_code = unmet[0].code
                claim.rejection_note = " ".join(p.message for p in unmet)[:500]
                claim.rejected_at = timezone.now()
                claim.save(update_fields=["state", "rejection_code", "rejection_note", "rejected_at"])
                _tell_claimant(claim)
            audit_record(
                actor=actor,
                action="claim_submit",
                entity="claim",
                entity_id=claim.pk,
                channel=channel,
                detail={"benefit": benefit, "state": claim.state, "unmet": result["unmet"], "total": result["total"]},
            )
            created.append(claim)
    return created


def claim_documents_receive(*, actor: Any, claim_id: int, codes: list[str], channel: str = "page") -> Claim:
    """Tick the documents received; a claim is verified only when its whole checklist is in."""
    with transaction.atomic():
        claim = _claim_for_update(actor, claim_id, "submitted")
        known = set(claim.documents.values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValidationFailed(
                [
                    Problem("document_unknown", f"Dokumen {c} bukan bagian daftar klaim ini.", "documents")
                    for c in unknown
                ]
            )
        claim.documents.filter(code__in=codes, received=False).update(received=True, received_at=timezone.now())
        audit_record(
            actor=actor,
            action="claim_documents_receive",
            entity="claim",
            entity_id=claim.pk,
            channel=channel,
            detail={"codes": sorted(codes)},
        )
    return claim


def claim_verify(*, actor: Any, claim_id: int, channel: str = "page") -> Claim:
    """Documents complete: the service-level clock starts (JKK: 7 working days, PP 44/2015 Pasal 37(2))."""
    with transaction.atomic():
        claim = _claim_for_update(actor, claim_id, "submitted")
        missing = list(claim.documents.filter(received=False).values_list("code", "label"))
        if missing:
            raise ValidationFailed(
                [Problem("document_missing", f"Dokumen belum diterima: {label}.", code) for code, label in missing]
            )
        today = timezone.localdate()
        claim.state, claim.verified_at = "verified", timezone.now()
        if claim.benefit in SLA_TYPES:
            days = int(_params_lookup()(today).get("jkk.service_working_days", Decimal(7)))
            claim.due_by = add_working_days(today, days, public_holidays())
        claim.save(update_fields=["state", "verified_at", "due_by"])
        _tell_claimant(claim)
        audit_record(
            actor=actor,
            action="claim_verify",
            entity="claim",
            entity_id=claim.pk,
            channel=channel,
            detail={
                "due_by": claim.due_by.isoformat() if claim.due_by else None,
                "calendar": calendar_basis(today) if claim.due_by else None,
            },
        )
    return claim


def _payouts(claim: Claim) -> tuple[list[Payout], list[str], list[Problem]]:
    """Who is paid what on an approved claim, and what stops it (no heir, no bank account)."""
    components = [(c["name"], Decimal(c["amount"])) for c in claim.result.get("components", [])]
    problems: list[Problem] = []
    notes: list[str] = []
    if claim.benefit == "JP_SURVIVOR":
        heir = Heir.objects.get(pk=claim.facts["survivor_heir_id"])
        payouts = [Payout(heir.pk, heir.name, claim.amount, tuple(n for n, _ in components))]
        notes.append(f"Pensiun bulanan dibayarkan kepada {heir.name} ({heir.get_relationship_display()}).")
    # A JHT balance or JP lump sum left by a participant who died goes to the heirs like a death
    # benefit (PP 46/2015 Pasal 26; UU 40/2004 Pasal 41).
    elif claim.benefit in DEATH_TYPES or (
        claim.benefit in ("JHT", "JP_LUMP_SUM") and claim.facts.get("reason") == "death"
    ):
        heirs = [
            HeirFacts(h.pk, h.name, h.relationship, h.birth_date) for h in selectors.heirs_of(person_id=claim.person_id)
        ]
        payouts, notes = death_payees(components, heirs, funeral_names=FUNERAL_COMPONENTS)
        if not payouts:
            problems.append(
                Problem("no_heir", "Belum ada ahli waris yang berhak: daftarkan ahli waris lebih dulu.", "heirs")
            )
    elif claim.benefit == "SCHOLARSHIP" and claim.scholarship is not None:
        child = claim.scholarship.child
        payouts = [Payout(child.pk, child.name, claim.amount, tuple(n for n, _ in components))]
    else:
        payouts = [Payout(None, claim.person.display_name, claim.amount, tuple(n for n, _ in components))]
    for payout in payouts:
        bank, account = _bank_of(claim, payout)
        if not (bank and account):
            problems.append(
                Problem("bank_account_missing", f"Rekening bank {payout.name} belum dicatat.", "bank_account")
            )
    return payouts, notes, problems


def _bank_of(claim: Claim, payout: Payout) -> tuple[str, str]:
    if payout.heir_id is not None:
        heir = Heir.objects.get(pk=payout.heir_id)
        if heir.bank_name and heir.account_number:
            return heir.bank_name, heir.account_number
        if claim.benefit == "SCHOLARSHIP" and claim.scholarship is not None:
            # A young child's scholarship goes to the account of the heir who received the death benefit.
            origin_payment = claim.scholarship.origin.payments.order_by("id").first()
            if origin_payment is not None:
                return origin_payment.bank_name, origin_payment.account_number
        return "", ""
    return claim.facts.get("payee_bank", ""), claim.facts.get("payee_account", "")


def claim_approve(*, actor: Any, claim_id: int, channel: str = "page") -> Claim:
    """Approve a verified, eligible claim: fix the payees, and schedule the children's scholarships."""
    with transaction.atomic():
        claim = _claim_for_update(actor, claim_id, "verified")
        if not claim.result.get("eligible"):
            raise DomainError("not_eligible", "Klaim tidak memenuhi syarat dan tidak dapat disetujui.")
        payouts, notes, problems = _payouts(claim)
        if problems:
            raise ValidationFailed(problems)
        claim.result = {
            **claim.result,
            "payouts": [
                {"heir_id": p.heir_id, "name": p.name, "amount": str(p.amount), "components": list(p.components)}
                for p in payouts
            ],
            "notes": [*claim.result.get("notes", []), *notes],
        }
        claim.state, claim.approved_at = "approved", timezone.now()
        claim.save(update_fields=["state", "approved_at", "result"])
        _tell_claimant(claim)
        scheduled = _schedule_scholarships(actor, claim, channel) if claim.benefit in SCHOLARSHIP_TYPES else []
        audit_record(
            actor=actor,
            action="claim_approve",
            entity="claim",
            entity_id=claim.pk,
            channel=channel,
            detail={"payouts": claim.result["payouts"], "scholarships": scheduled},
        )
    return claim


def _schedule_scholarships(actor: Any, claim: Claim, channel: str) -> list[int]:
    """PP 82/2019: scholarships for at most two children; JKM only after 36 months' membership."""
    params = _params_lookup()(claim.event_date)
    cause = "JKM" if claim.benefit == "JKM" else "JKK"
    minimum = int(params.get("jkm.scholarship_min_membership_months", Decimal(36)))
    if cause == "JKM" and int(claim.facts.get("membership_months", 0)) < minimum:
        return []
    # Entitled children are those under 23, unmarried and not working when the parent died or was disabled.
    candidates = [
        (
            HeirFacts(h.pk, h.name, h.relationship, h.birth_date),
            scholarship_ended(birth_date=h.birth_date, on=claim.event_date, married=h.married, employed=h.employed)
            is None,
        )
        for h in selectors.heirs_of(person_id=claim.person_id)
    ]
    children = scholarship_children(candidates, int(params.get("scholarship.max_children")))
    made = []
    for child in children:
        scholarship, _ = Scholarship.objects.get_or_create(
            origin=claim, child_id=child.heir_id, defaults={"cause": cause}
        )
        made.append(scholarship.pk)
        heir = Heir.objects.get(pk=child.heir_id)
        if heir.education_level:
            # The first school year is claimed with the death claim's documents (Permenaker 5/2021).
            scholarship_renew(
                actor=actor,
                scholarship_id=scholarship.pk,
                year=claim.event_date.year,
                level=heir.education_level,
                channel=channel,
            )
    return made


def claim_reject(*, actor: Any, claim_id: int, code: str, note: str = "", channel: str = "page") -> Claim:
    if code not in REJECTION_REASONS:
        raise DomainError(
            "rejection_code_unknown",
            "Kode penolakan harus salah satu dari: " + ", ".join(REJECTION_REASONS) + ".",
            field="code",
        )
    with transaction.atomic():
        claim = _claim_for_update(actor, claim_id, "submitted", "verified")
        claim.state, claim.rejected_at = "rejected", timezone.now()
        claim.rejection_code = code
        claim.rejection_note = (note.strip() or REJECTION_REASONS[code])[:500]
        claim.save(update_fields=["state", "rejected_at", "rejection_code", "rejection_note"])
        _tell_claimant(claim)
        audit_record(
            actor=actor,
            action="claim_reject",
            entity="claim",
            entity_id=claim.pk,
            channel=channel,
            detail={"code": code, "note": claim.rejection_note},
        )
    return claim


def claim_pay(*, actor: Any, claim_id: int, paid_on: date, reference: str, channel: str = "page") -> Claim:
    """Record the transfer to each payee of an approved claim, once. A JKK claim paid after its
    service date carries BPJS's delay penalty (PP 44/2015 Pasal 37(3)); a JHT payout is debited from
    the participant's JHT account."""
    reference = reference.strip()
    if not reference:
        raise DomainError("reference_required", "Referensi transfer wajib diisi.", field="reference")
    with transaction.atomic():
        claim = _claim_for_update(actor, claim_id, "approved")
        # A claim with several payees uses REF-1, REF-2, …: the reference is taken if it or those are.
        taken = Q(reference=reference) | Q(reference__regex=rf"^{re.escape(reference)}-[0-9]+$")
        if BenefitPayment.objects.filter(taken).exists():
            raise DomainError(
                "reference_used", f"Referensi {reference} sudah dipakai untuk pembayaran lain.", field="reference"
            )
        payouts = claim.result.get("payouts", [])
        penalty_total = Decimal(0)
        late_days = 0
        for number, payout in enumerate(payouts, start=1):
            amount = Decimal(payout["amount"])
            penalty = Decimal(0)
            if claim.benefit in SLA_TYPES and claim.due_by is not None:
                rate = _params_lookup()(paid_on).get("jkk.delay_penalty_rate_per_day", Decimal(1))
                late_days, penalty = delay_penalty(amount, due=claim.due_by, paid=paid_on, rate_per_day=rate)
            heir_id = payout["heir_id"]
            bank, account = _bank_of(claim, Payout(heir_id, payout["name"], amount, ()))
            BenefitPayment.objects.create(
                claim=claim,
                heir_id=heir_id,
                payee_name=payout["name"],
                bank_name=bank,
                account_number=account,
                amount=amount + penalty,
                penalty=penalty,
                paid_on=paid_on,
                reference=reference if len(payouts) == 1 else f"{reference}-{number}",
                components=payout["components"],
            )
            penalty_total += penalty
        if claim.benefit == "JHT" and claim.membership_id is not None:
            JhtEntry.objects.create(
                membership_id=claim.membership_id,
                person_id=claim.person_id,
                entry_date=paid_on,
                kind=JhtEntry.Kind.WITHDRAWAL,
                amount=-claim.amount,
                claim=claim,
                note=f"Pencairan klaim #{claim.pk}",
            )
        if claim.benefit in PENSION_BENEFITS:
            start_pension(claim)
        claim.state, claim.paid_at, claim.penalty = "paid", timezone.now(), penalty_total
        claim.save(update_fields=["state", "paid_at", "penalty"])
        _tell_claimant(claim)
        audit_record(
            actor=actor,
            action="claim_pay",
            entity="claim",
            entity_id=claim.pk,
            channel=channel,
            detail={
                "reference": reference,
                "paid_on": paid_on.isoformat(),
                "penalty": str(penalty_total),
                "days_late": late_days,
            },
        )
    return claim


# -- heirs and scholarships ------------------------------------------------------------------------


def heir_add(*, actor: Any, person_id: int, channel: str = "page", **data: Any) -> Heir:
    """Record a family member as an heir, every problem with the input at once: by the claim
    officer, or by the participant for themself (issue 27 §4, their heirs kept up to date)."""
    scope = scope_for(actor)
    if scope.person_id is None or scope.person_id != person_id:
        require_claim_officer(actor)
    person = registry_selectors.person_get(user=actor, person_id=person_id, channel=channel, log_view=False)
    problems: list[Problem] = []
    name = " ".join(str(data.get("name", "")).split())
    if not name:
        problems.append(Problem("field_required", "Nama ahli waris wajib diisi.", "name"))
    relationship = data.get("relationship", "")
    if relationship not in RELATIONSHIPS:
        problems.append(
            Problem(
                "relationship_unknown",
                "Hubungan harus salah satu dari: " + ", ".join(RELATIONSHIPS) + ".",
                "relationship",
            )
        )
    nik = str(data.get("nik") or "").strip()
    if nik and not (nik.isdigit() and len(nik) == 16):
        problems.append(Problem("nik_invalid", "NIK ahli waris harus 16 angka.", "nik"))
    birth = data.get("birth_date")
    if isinstance(birth, str) and birth:
        try:
            birth = date.fromisoformat(birth)
        except ValueError:
            problems.append(Problem("date_invalid", "Tanggal lahir harus berformat TTTT-BB-HH.", "birth_date"))
            birth = None
    level = data.get("education_level") or ""
    if level and level not in LEVELS:
        problems.append(
            Problem(
                "education_level_unknown",
                "Jenjang harus salah satu dari: " + ", ".join(LEVELS) + ".",
                "education_level",
            )
        )
    if nik and Heir.objects.filter(person=person, nik=nik).exists():
        problems.append(Problem("heir_exists", "Ahli waris dengan NIK ini sudah tercatat.", "nik"))
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        heir = Heir.objects.create(
            person=person,
            name=name,
            nik=nik,
            relationship=relationship,
            birth_date=birth or None,
            education_level=level,
            married=bool(data.get("married")),
            employed=bool(data.get("employed")),
            bank_name=str(data.get("bank_name") or "").strip(),
            account_number=str(data.get("account_number") or "").strip(),
        )
        audit_record(
            actor=actor,
            action="heir_add",
            entity="heir",
            entity_id=heir.pk,
            channel=channel,
            detail={"person": person.pk, "relationship": relationship},
        )
    return heir


def scholarship_renew(*, actor: Any, scholarship_id: int, year: int, level: str, channel: str = "page") -> Claim:
    """Open the yearly scholarship claim for one child and school year, if the child is still entitled
    (under 23, unmarried, not working) and years remain at the level (PP 82/2019; Permenaker 5/2021)."""
    require_claim_officer(actor)
    scholarship = selectors.scholarship_get(user=actor, scholarship_id=scholarship_id)
    if level not in LEVELS:
        raise DomainError(
            "education_level_unknown", "Jenjang harus salah satu dari: " + ", ".join(LEVELS) + ".", field="level"
        )
    child, origin = scholarship.child, scholarship.origin
    # A school year is judged on its first day: a child who turns 23 during it keeps that year.
    on = date(year, 1, 1) if year > origin.event_date.year else origin.event_date
    ended = scholarship_ended(birth_date=child.birth_date, on=on, married=child.married, employed=child.employed)
    params = _params_lookup()(date(year, 1, 1) if date(year, 1, 1) > origin.event_date else origin.event_date)
    used: dict[str, int] = {}
    for row in scholarship.claims.exclude(state="rejected").values("education_level"):
        used[row["education_level"]] = used.get(row["education_level"], 0) + 1
    years = {lv: int(params.get(f"scholarship.{lv}.years")) for lv in LEVELS}
    problems: list[Problem] = []
    if ended:
        problems.append(Problem("scholarship_ended", f"Beasiswa berakhir: {ended}", "child"))
    if scholarship_years_left(level, used, years) <= 0:
        problems.append(
            Problem(
                "scholarship_years_used", f"Beasiswa jenjang {level} sudah dibayar untuk seluruh tahunnya.", "level"
            )
        )
    if year > timezone.localdate().year:
        problems.append(
            Problem("year_in_future", f"Tahun {year} belum dimulai: beasiswa diklaim setiap tahun berjalan.", "year")
        )
    if year < origin.event_date.year:
        problems.append(Problem("year_before_event", "Tahun beasiswa sebelum tahun peristiwa.", "year"))
    if scholarship.claims.filter(school_year=year).exclude(state="rejected").exists():
        problems.append(Problem("duplicate_claim", f"Beasiswa {child.name} tahun {year} sudah diajukan.", "year"))
    if problems:
        if ended and scholarship.ended_on is None:
            Scholarship.objects.filter(pk=scholarship.pk).update(ended_on=on, ended_reason=ended)
        raise ValidationFailed(problems)
    data = BenefitInput(
        benefit="SCHOLARSHIP",
        event_date=origin.event_date,
        membership_months=int(origin.facts.get("membership_months", 0)),
        children=(Child(level),),
        cause=scholarship.cause,
    )
    result = calculate(data, params).as_dict()
    with transaction.atomic():
        claim = Claim.objects.create(
            benefit="SCHOLARSHIP",
            person=origin.person,
            membership=origin.membership,
            event_date=origin.event_date,
            regency=origin.regency,
            facts={**facts_of(data), "cause": scholarship.cause, "child": child.name, "school_year": year},
            result=result,
            amount=Decimal(result["total"]),
            scholarship=scholarship,
            school_year=year,
            education_level=level,
            submitted_by=acting_user(actor),
        )
        ClaimDocument.objects.bulk_create(
            ClaimDocument(claim=claim, code=code, label=label) for code, label in DOCUMENTS["SCHOLARSHIP"]
        )
        audit_record(
            actor=actor,
            action="scholarship_renew",
            entity="claim",
            entity_id=claim.pk,
            channel=channel,
            detail={"scholarship": scholarship.pk, "year": year, "level": level, "total": result["total"]},
        )
    return claim


# -- the participant's own JHT claim and documents as files (issue 27 §4–5) ------------------------

# What a participant may claim JHT for by themself: a death claim is the heirs', a total disability
# needs the doctor's and the accident's papers through the branch.
OWN_JHT_REASONS = (
    "retirement",
    "resignation",
    "dismissal",
    "leaving_indonesia",
    "partial_retirement",
    "partial_housing",
)
# Who ends the claimable state: a participant may add files until the branch has verified the claim.
OWN_DOCUMENT_STATES = ("submitted",)


def jht_claim_own(
    *,
    actor: Any,
    reason: str,
    separation_date: date | None,
    payee_bank: str,
    payee_account: str,
    files: Mapping[str, Any],
    channel: str = "page",
) -> Claim:
    """A participant's own JHT claim (PP 46/2015 jo. PP 60/2015; Permenaker 4/2022): decided on the
    registry's facts like any claim, left ``submitted`` for the branch to verify its documents, which
    come as files (one per checklist item the participant has)."""
    scope = scope_for(actor)
    if scope.person_id is None:
        raise PermissionDenied("Klaim mandiri hanya untuk peserta.")
    problems: list[Problem] = []
    if reason not in OWN_JHT_REASONS:
        problems.append(Problem("reason_invalid", "Pilih alasan pengambilan JHT.", "reason"))
    if reason in ("resignation", "dismissal") and separation_date is None:
        problems.append(Problem("required", "Tanggal berhenti bekerja wajib diisi.", "separation_date"))
    if not payee_bank.strip() or not payee_account.strip():
        problems.append(Problem("required", "Bank dan nomor rekening penerima wajib diisi.", "payee_account"))
    elif not payee_account.replace(" ", "").replace("-", "").isdigit():
        problems.append(Problem("account_invalid", "Nomor rekening hanya berisi angka.", "payee_account"))
    known = {code for code, _label in DOCUMENTS["JHT"]}
    stored = {}
    for code, upload in files.items():
        if code not in known:
            problems.append(Problem("document_unknown", f"Dokumen {code} bukan bagian daftar klaim JHT.", code))
            continue
        try:
            stored[code] = core_files.store(upload, actor=actor, field=code)
        except ValidationFailed as exc:
            problems += exc.problems
    if problems:
        raise ValidationFailed(problems)
    today = timezone.localdate()
    details = read_values(
        ClaimDetails,
        {
            "reason": reason,
            "separation_date": separation_date,
            "payee_bank": payee_bank,
            "payee_account": payee_account.replace(" ", "").replace("-", ""),
        },
    )
    with transaction.atomic():
        claims = _claims_open(
            actor=actor,
            person_id=scope.person_id,
            benefit="JHT",
            # A JHT claim's date is the day it is made; the waiting month runs from separation_date.
            event_date=today,
            details=details,
            channel=channel,
        )
        for claim in claims:
            for code, file in stored.items():
                claim.documents.filter(code=code).update(file=file)
    return claims[0]


def claim_document_attach(*, actor: Any, claim_id: int, code: str, upload: Any, channel: str = "page") -> None:
    """A claim document as a file: by the claim officer within scope while the claim is open, or by
    the participant on their own claim until the branch has verified it."""
    scope = scope_for(actor)
    claim = selectors.claim_get(user=actor, claim_id=claim_id, log_view="")
    own = scope.person_id is not None and claim.person_id == scope.person_id
    officer = scope.everything or scope.role in CLAIM_OFFICER_ROLES
    if not (officer or own):
        raise PermissionDenied("Dokumen klaim diunggah oleh peserta atau petugas BPJS Ketenagakerjaan.")
    allowed = OWN_DOCUMENT_STATES if not officer else ("submitted", "verified", "approved")
    if claim.state not in allowed:
        raise DomainError("claim_state_invalid", "Dokumen tidak dapat ditambahkan pada klaim dengan status ini.")
    document = claim.documents.filter(code=code).first()
    if document is None:
        raise ValidationFailed([Problem("document_unknown", f"Dokumen {code} bukan bagian daftar klaim ini.", code)])
    stored = core_files.store(upload, actor=actor, field=code)
    with transaction.atomic():
        document.file = stored
        document.save(update_fields=["file"])
        audit_record(
            actor=actor,
            action="claim_document_upload",
            entity="claim",
            entity_id=claim.pk,
            channel=channel,
            detail={"code": code, "size": stored.size, "type": stored.content_type},
        )


# -- proof of life (issue 31 §2; as a file, issue 27 §5) -------------------------------------------


def proof_of_life_record(
    *, actor: Any, claim_id: int, upload: Any, given_on: date | None = None, channel: str = "page"
) -> ProofOfLife:
    """A proof of life for a pension in payment: sent by the beneficiary from their own page (an old
    age pension's claimant, or a survivor registered as a participant) or recorded by the claim
    officer for any beneficiary."""
    scope = scope_for(actor)
    claim = selectors.claim_get(user=actor, claim_id=claim_id, channel=channel)
    officer = scope.everything or scope.role in CLAIM_OFFICER_ROLES
    if not (officer or selectors.paid_to(user=actor, claim=claim)):
        raise PermissionDenied("Bukti hidup dikirim oleh penerima pensiun atau dicatat petugas BPJS Ketenagakerjaan.")
    if claim.benefit not in PERIODIC_TYPES or claim.state not in IN_PAYMENT_STATES:
        raise DomainError("not_in_payment", "Bukti hidup hanya untuk pensiun yang sedang dibayarkan.")
    day = given_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationFailed([Problem("date_future", "Tanggal bukti tidak boleh di masa depan.", "given_on")])
    stored = core_files.store(upload, actor=actor, field="file")
    with transaction.atomic():
        proof = ProofOfLife.objects.create(claim=claim, given_on=day, file=stored, recorded_by=acting_user(actor))
        audit_record(
            actor=actor,
            action="proof_of_life_record",
            entity="claim",
            entity_id=claim.pk,
            channel=channel,
            detail={"proof": proof.pk, "given_on": day.isoformat()},
        )
    return proof


def proof_of_life_decide(
    *, actor: Any, proof_id: int, accept: bool, note: str = "", channel: str = "page"
) -> ProofOfLife:
    """The branch accepts a proof of life, or refuses it with the reason the beneficiary reads."""
    scope = require_claim_officer(actor)
    with transaction.atomic():
        proof = (
            ProofOfLife.objects.select_for_update()
            .filter(pk=proof_id, claim__in=selectors.claims_scoped(scope))
            .first()
        )
        if proof is None:
            raise NotFound("Bukti hidup")
        if proof.state != ProofOfLife.State.SUBMITTED:
            raise DomainError("proof_decided", "Bukti hidup ini sudah diperiksa.")
        if not accept and not note.strip():
            raise ValidationFailed([Problem("note_required", "Tulis alasan penolakan untuk penerima.", "note")])
        proof.state = ProofOfLife.State.ACCEPTED if accept else ProofOfLife.State.REFUSED
        proof.note = note.strip()[:300]
        proof.decided_by = acting_user(actor)
        proof.decided_at = timezone.now()
        proof.save(update_fields=["state", "note", "decided_by", "decided_at"])
        if accept:
            # The payroll reads the last confirmation from the pension's schedule (batch/payroll.sql): a
            # pension suspended because it lapsed is paid again, with its arrears, by the next payroll.
            PensionSchedule.objects.filter(pension__claim_id=proof.claim_id, confirmed_on__lt=proof.given_on).update(
                confirmed_on=proof.given_on
            )
        audit_record(
            actor=actor,
            action="proof_of_life_decide",
            entity="claim",
            entity_id=proof.claim_id,
            channel=channel,
            detail={"proof": proof.pk, "state": proof.state},
        )
    return proof
