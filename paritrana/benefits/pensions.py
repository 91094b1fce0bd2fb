"""Pensions in payment (issue 31): started when their claim is paid, ended on what the branch learns,
handed from one survivor to the next, sent to the banks in batches and answered by them. The law is
in rules/pension.py; the monthly payroll itself is set-based, in batch/payroll.sql."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from paritrana.accounts.scope import scope_for
from paritrana.core.actors import acting_user
from paritrana.core.audit import audit_record
from paritrana.core.bank_results import ACCOUNT_INVALID, FAILED, PAID, UNREADABLE, judged, read_results
from paritrana.core.batch import durable_commit
from paritrana.core.errors import DomainError, NotFound, PermissionDenied, Problem, ValidationFailed
from paritrana.law.rules.params import ParameterSet
from paritrana.law.selectors import parameter_rows

from . import selectors
from .access import require_claim_officer
from .models import Claim, Pension, PensionBatch, PensionPayment, PensionSchedule, PensionStep
from .rules.claims import scholarship_ended
from .rules.pension import (
    END_REASONS,
    END_REASONS_BY_KIND,
    HUNDRED,
    SHARE_KEYS,
    Candidate,
    add_months,
    month_start,
    successor,
    successor_amount,
)

# The claims whose amount is a monthly pension (PP 45/2015 Pasal 16): paying the claim pays its first
# month, and the monthly payroll (batch/payroll.py) the months after.
PENSION_BENEFITS = ("JP_OLD_AGE", "JP_DISABILITY", "JP_SURVIVOR")
# The participant's own pensions, by claim; a survivor's kind is on the claim's facts.
OWN_KINDS = {"JP_OLD_AGE": "old_age", "JP_DISABILITY": "disability"}


def put_in_payment(pension: Pension, *, first: date, amount: Decimal, paid_through: date | None) -> PensionSchedule:
    """The schedule the payroll reads (the first month, paid through ``paid_through``, the status
    confirmed by the award) and the pension's first step of the amount."""
    PensionStep.objects.create(pension=pension, start=first, amount=amount)
    return PensionSchedule.objects.create(
        pension=pension,
        first_period=first,
        paid_through=paid_through,
        confirmed_on=first,
        step_start=first,
        step_amount=amount,
    )


def start_pension(claim: Claim) -> Pension:
    """The pension a paid JP claim puts in payment, from the month of its event (the pension age
    reached, or the participant's death): that month is the one the claim's payment paid; the months
    between it and the next payroll are paid by that payroll as arrears."""
    first = month_start(claim.event_date)
    payment = claim.payments.order_by("id").first()
    assert payment is not None
    heir = payment.heir
    kind = OWN_KINDS.get(claim.benefit) or claim.facts["survivor"]
    pension = Pension.objects.create(
        claim=claim,
        person_id=claim.person_id,
        kind=kind,
        heir=heir,
        beneficiary_name=payment.payee_name,
        birth_date=heir.birth_date if heir is not None else claim.person.birth_date,
        bank_name=payment.bank_name,
        account_number=payment.account_number,
        base_amount=claim.amount,
        regency_id=claim.regency_id,
    )
    put_in_payment(pension, first=first, amount=claim.amount, paid_through=first)
    PensionPayment.objects.create(
        pension=pension,
        period=first,
        amount=claim.amount,
        state=PensionPayment.State.PAID,
        issued_in=first,
        reference=payment.reference,
    )
    return pension


def pension_end(*, actor: Any, pension_id: int, ended_on: date, reason: str, channel: str = "page") -> dict[str, Any]:
    """End a pension in payment on what the branch learned (issue 31 §2). The payments issued for
    months after the end are cancelled; those already paid are counted as overpaid, to be recovered.
    The next survivor in the law's order, if any is recorded, is put in payment from the next month
    (``pension_succeed``)."""
    scope = require_claim_officer(actor)
    with transaction.atomic():
        pension = (
            Pension.objects.select_for_update().filter(pk=pension_id, claim__in=selectors.claims_scoped(scope)).first()
        )
        if pension is None:
            raise NotFound("Pensiun")
        if pension.state == Pension.State.ENDED:
            raise DomainError("pension_ended", "Pensiun ini sudah berakhir.")
        problems = []
        allowed = END_REASONS_BY_KIND.get(pension.kind, ("died",))
        if reason not in allowed:
            said = ", ".join(END_REASONS[r].lower() for r in allowed)
            problems.append(Problem("reason_invalid", f"Pensiun ini berakhir karena: {said}.", "reason"))
        if ended_on > timezone.localdate():
            problems.append(Problem("date_future", "Tanggal berakhir tidak boleh di masa depan.", "ended_on"))
        if ended_on < pension.schedule.first_period:
            problems.append(Problem("date_before_start", "Tanggal berakhir sebelum pensiun mulai.", "ended_on"))
        if problems:
            raise ValidationFailed(problems)
        pension.state, pension.ended_on, pension.ended_reason = Pension.State.ENDED, ended_on, END_REASONS[reason]
        pension.save(update_fields=["state", "ended_on", "ended_reason"])
        # A month is owed when the pension ran on its first day (rules/pension.py).
        after = PensionPayment.objects.filter(pension=pension, period__gt=ended_on)
        cancelled = after.filter(state=PensionPayment.State.ISSUED).update(state=PensionPayment.State.CANCELLED)
        overpaid = list(after.filter(state=PensionPayment.State.PAID).values_list("period", "amount"))
        result = {
            "pension": pension.pk,
            "ended_on": ended_on.isoformat(),
            "reason": reason,
            "cancelled": cancelled,
            "overpaid_months": [f"{p:%Y-%m}" for p, _ in overpaid],
            "overpaid_amount": str(sum((a for _, a in overpaid), Decimal(0))),
        }
        audit_record(
            actor=actor, action="pension_end", entity="claim", entity_id=pension.claim_id, channel=channel,
            detail=result,
        )  # fmt: skip
        following = pension_succeed(pension, actor=actor, channel=channel)
        result["successor"] = (
            {
                "pension": following.pk,
                "claim": following.claim_id,
                "kind": following.kind,
                "amount": str(following.base_amount),
            }
            if following
            else None
        )
    return result


def pension_succeed(ended: Pension, *, actor: Any = None, channel: str = "system") -> Pension | None:
    """Put the next survivor in payment after ``ended`` (PP 45/2015 Pasal 16; the order in
    rules/pension.successor): a pensioner's death starts the widow(er)'s pension, or a child's, or a
    parent's; the end of a widow(er)'s or a child's starts the next entitled child's. The successor's
    pension is a JP_SURVIVOR claim of its own, decided and in payment at once — so it has its own page,
    proof of life and scope — from the month after the last day of the ended one, at the survivor's
    share of the same formula. Called by ``pension_end`` and by the payroll for children it ends at 23.
    None when nobody follows."""
    assert ended.ended_on is not None
    first = add_months(ended.ended_on, 1)
    rows = parameter_rows()
    params = ParameterSet(rows, first)
    heirs = list(selectors.heirs_of(person_id=ended.person_id))
    served = set(
        Pension.objects.filter(person_id=ended.person_id, heir__isnull=False).values_list("heir_id", flat=True)
    )
    candidates = [
        Candidate(
            h.pk,
            h.relationship,
            h.birth_date,
            h.relationship != "child"
            or scholarship_ended(birth_date=h.birth_date, on=first, married=h.married, employed=h.employed) is None,
        )
        for h in heirs
    ]
    chosen = successor(ended.kind, candidates, served)
    if chosen is None:
        return None
    # A survivor's claim the branch already made for this event is the succession (one claim per
    # membership, benefit and event): it is paid through the claim's own steps, not started here.
    membership_id = ended.claim.membership_id
    if (
        membership_id is not None
        and Claim.objects.filter(membership_id=membership_id, benefit="JP_SURVIVOR", event_date=ended.ended_on)
        .exclude(state="rejected")
        .exists()
    ):
        return None
    heir = next(h for h in heirs if h.pk == chosen.heir_id)
    kind = chosen.relationship
    step = PensionStep.objects.filter(pension=ended, start__lte=month_start(ended.ended_on)).order_by("-start").first()
    in_force = step.amount if step is not None else ended.base_amount
    from_share = HUNDRED if ended.kind in ("old_age", "disability") else params.get(SHARE_KEYS[ended.kind])
    to_share = params.get(SHARE_KEYS[kind])
    amount = successor_amount(in_force, from_share, to_share)
    label = {"spouse": "janda/duda", "child": "anak", "parent": "orang tua"}[kind]
    basis = params.basis(SHARE_KEYS[kind])
    now = timezone.now()
    claim = Claim.objects.create(
        benefit="JP_SURVIVOR",
        person_id=ended.person_id,
        membership_id=ended.claim.membership_id,
        event_date=ended.ended_on,
        state="paid",
        regency_id=ended.regency_id,
        facts={
            "survivor": kind,
            "survivor_heir_id": heir.pk,
            "survivor_birth_date": heir.birth_date.isoformat() if heir.birth_date else None,
            "succession_of": ended.claim_id,
        },
        result={
            "benefit": "JP_SURVIVOR",
            "event_date": ended.ended_on.isoformat(),
            "eligible": True,
            "unmet": [],
            "components": [
                {
                    "name": f"Manfaat pensiun {label} per bulan ({to_share.normalize():f} % dari formula; "
                    f"menggantikan {ended.get_kind_display().lower()} Rp{in_force:,.0f})".replace(",", "."),
                    "amount": str(amount),
                    "legal_basis": basis,
                }
            ],
            "total": str(amount),
            "legal_basis": [basis],
            "notes": [f"Pengganti {ended.beneficiary_name}: {ended.ended_reason or 'pensiun berakhir'}."],
            # Who is paid, as on any decided claim (the claim page and the letter list it).
            "payouts": [{"heir_id": heir.pk, "name": heir.name, "amount": str(amount), "components": []}],
        },
        amount=amount,
        verified_at=now,
        approved_at=now,
        paid_at=now,
        submitted_by=acting_user(actor) if actor is not None else None,
    )
    pension = Pension.objects.create(
        claim=claim,
        person_id=ended.person_id,
        kind=kind,
        heir=heir,
        beneficiary_name=heir.name,
        birth_date=heir.birth_date,
        bank_name=heir.bank_name,
        account_number=heir.account_number,
        base_amount=amount,
        regency_id=ended.regency_id,
    )
    # The payroll pays from the first month on, as arrears if it is past.
    put_in_payment(pension, first=first, amount=amount, paid_through=None)
    audit_record(
        actor=actor,
        action="pension_succeed",
        entity="claim",
        entity_id=claim.pk,
        channel=channel,
        detail={
            "after": ended.pk,
            "pension": pension.pk,
            "kind": kind,
            "from": first.isoformat(),
            "amount": str(amount),
        },
    )
    return pension


# -- pension payment batches and the bank's answer (issue 31 §1) --------------------------------------


def _require_national(actor: Any) -> None:
    if not scope_for(actor).everything:
        raise PermissionDenied("Hanya administrator nasional yang mengelola pembayaran pensiun.")


def pension_batch_create(*, actor: Any, period: date, bank: str, channel: str = "page") -> PensionBatch:
    """A file for one bank: every pension payment issued by the payroll of ``period`` or earlier, not
    yet in a batch, to a beneficiary who banks at ``bank`` (as recorded, case ignored). Each payment
    takes its reference ``JP-<yyyymm>-<batch>-<payment id>``, the key of the bank's answer. Payments
    to a beneficiary with no account recorded wait for one (the page counts them)."""
    _require_national(actor)
    period = month_start(period)
    bank = " ".join(bank.split())
    if not bank:
        raise ValidationFailed([Problem("field_required", "Bank wajib diisi.", "bank")])
    with transaction.atomic():
        # The file leaves the database for a bank: its commit must survive a power cut (docs/reliability.md).
        durable_commit()
        # One batch at a time per month, so that numbers follow one another.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext('pension_batch'), %s)", [period.year * 100 + period.month]
            )
        number = PensionBatch.objects.filter(period=period).order_by("-number").values_list("number", flat=True).first()
        batch = PensionBatch.objects.create(
            period=period, number=(number or 0) + 1, bank=bank, created_by=acting_user(actor)
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """
                WITH picked AS (
                    SELECT pp.id FROM benefits_pensionpayment pp
                    JOIN benefits_pension p ON p.id = pp.pension_id
                    WHERE pp.state = 'issued' AND pp.batch_id IS NULL AND pp.issued_in <= %(period)s
                      AND lower(p.bank_name) = lower(%(bank)s) AND p.account_number <> ''
                )
                UPDATE benefits_pensionpayment pp
                SET batch_id = %(batch)s, reference = %(prefix)s || lpad(pp.id::text, 12, '0')
                FROM picked WHERE pp.id = picked.id
                RETURNING pp.amount
                """,
                {"period": period, "bank": bank, "batch": batch.pk, "prefix": f"{batch}-"},
            )
            amounts = [row[0] for row in cursor.fetchall()]
        if not amounts:
            raise ValidationFailed(
                [
                    Problem(
                        "nothing_to_pay", f"Tidak ada pembayaran pensiun terbit yang belum dikirim ke {bank}.", "bank"
                    )
                ]
            )
        batch.payments, batch.amount = len(amounts), sum(amounts, Decimal(0))
        batch.save(update_fields=["payments", "amount"])
        audit_record(
            actor=actor,
            action="pension_batch_create",
            entity="pension_batch",
            entity_id=batch.pk,
            channel=channel,
            detail={"batch": str(batch), "bank": bank, "payments": batch.payments, "amount": str(batch.amount)},
        )
    return batch


def pension_results_import(*, actor: Any, content: bytes, file_name: str, channel: str = "page") -> dict[str, Any]:
    """The bank's answer to pension batches (core.bank_results: reference, status, optional date). An
    issued payment takes its result (paid; failed or account invalid → failed, issued again by the next
    payroll); the same result again changes nothing; a result the file contradicts (paid, then failed)
    is kept and reported as a conflict; unknown references and unreadable lines are reported by line.
    A batch whose every payment has its answer is reconciled."""
    _require_national(actor)
    rows, errors = read_results(content, file_name)
    today = timezone.localdate()
    wanted = {PAID: "paid", FAILED: "failed", ACCOUNT_INVALID: "failed"}
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute(
            "CREATE TEMP TABLE pension_result (line int, reference text, state text, result_on date) ON COMMIT DROP"
        )
        with cursor.copy("COPY pension_result FROM STDIN") as copy:
            for line, reference, status, when in rows:
                copy.write_row((line, reference, wanted[status], when))
        cursor.execute(
            """
            SELECT r.line, r.reference, p.state, r.state
            FROM pension_result r LEFT JOIN benefits_pensionpayment p ON p.reference = r.reference
                 AND p.batch_id IS NOT NULL
            WHERE p.id IS NULL OR (p.state <> 'issued' AND p.state <> r.state)
            ORDER BY r.line
            """
        )
        labels = dict(PensionPayment.State.choices)
        errors += judged(cursor.fetchall(), labels.__getitem__)
        cursor.execute(
            """
            UPDATE benefits_pensionpayment p SET state = r.state, result_on = coalesce(r.result_on, %s)
            FROM pension_result r
            WHERE p.reference = r.reference AND p.batch_id IS NOT NULL AND p.state = 'issued'
            """,
            (today,),
        )
        updated = cursor.rowcount
        cursor.execute(
            """
            UPDATE benefits_pensionbatch b SET status = 'reconciled'
            WHERE b.status = 'exported'
              AND b.id IN (SELECT p.batch_id FROM benefits_pensionpayment p
                           JOIN pension_result r ON r.reference = p.reference)
              AND NOT EXISTS (SELECT 1 FROM benefits_pensionpayment p WHERE p.batch_id = b.id AND p.state = 'issued')
            """
        )
        reconciled = cursor.rowcount
        cursor.execute("DROP TABLE pension_result")
        refused = sum(1 for e in errors if e["code"] in ("reference_unknown", "result_conflict"))
        result = {
            "lines": len(rows) + sum(1 for e in errors if e["code"] in UNREADABLE),
            "updated": updated,
            "unchanged": len(rows) - updated - refused,
            "reconciled_batches": reconciled,
            "errors": sorted(errors, key=lambda e: e["line"]),
        }
        audit_record(
            actor=actor,
            action="pension_results_import",
            entity="pension_payment",
            entity_id=None,
            channel=channel,
            detail={"file": file_name[:200], "updated": updated, "errors": len(errors)},
        )
    return result
