"""Demo claims for ``paritrana demo``: a sponsor's month billed and paid, then claims at each stage
of the workflow so that the queue, the decision page, the letter and the scholarships have something
to show (scenario S4 in miniature). Synthetic people only; heirs' names come from the generator's
name lists. Idempotent: a BatchRun row records that it ran."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count
from django.utils import timezone

from paritrana.benefits import services
from paritrana.benefits.models import Claim
from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.models import Bill
from paritrana.contributions.services import Payer, payment_record
from paritrana.core.models import BatchRun
from paritrana.core.periods import Period
from paritrana.demo.synth.names import GENERAL_FAMILY, GENERAL_FEMALE, GENERAL_MALE
from paritrana.registry.models import Membership, Sponsor

JOB = "demo_claims"


def _previous_month(today: date) -> str:
    return str(Period.of(today) - 1)


def _receive_all(actor: Any, claim: Claim) -> None:
    services.claim_documents_receive(
        actor=actor, claim_id=claim.pk, codes=list(claim.documents.values_list("code", flat=True))
    )


def demo_claims(*, actor: Any, sponsor: Sponsor, exclude_person_ids: tuple[int, ...] = ()) -> dict[str, Any]:
    """Bill and pay ``sponsor``'s last month, then open claims for up to three of its workers:
    a JKM death paid to the widow with the children's scholarships, a JKM death waiting for documents,
    and a JKK medical bill verified and waiting for approval. Returns what it made."""
    if BatchRun.objects.filter(job=JOB, status=BatchRun.Status.DONE, params__sponsor=sponsor.code).exists():
        return {"skipped": True}
    run = BatchRun.objects.create(job=JOB, params={"sponsor": sponsor.code})
    today = timezone.localdate()
    period = _previous_month(today)
    if not Bill.objects.filter(sponsor=sponsor, period=f"{period}-01").exists():
        billing_run(period)
    bill = Bill.objects.get(sponsor=sponsor, period=f"{period}-01")
    if bill.status != "paid":
        payment_record(
            actor=actor,
            payer=Payer("sponsor", sponsor.pk),
            amount=bill.amount_due - bill.paid_amount,
            paid_on=today.replace(day=1),
            reference=f"DEMO-{sponsor.code}-{period}",
        )
    # Workers covered only by this sponsor: a death is claimed once per membership, and each demo
    # case is one claim.
    workers = list(
        Membership.objects.filter(sponsor=sponsor, valid_until__isnull=True)
        .exclude(person_id__in=exclude_person_ids)
        .annotate(memberships=Count("person__memberships"))
        .filter(memberships=1)
        .order_by("person_id")
        .values_list("person_id", flat=True)[:3]
    )
    made: dict[str, Any] = {"period": period, "claims": []}
    for number, person_id in enumerate(workers):
        family = GENERAL_FAMILY[person_id % len(GENERAL_FAMILY)]
        if number < 2:
            services.heir_add(
                actor=actor,
                person_id=person_id,
                name=f"{GENERAL_FEMALE[person_id % len(GENERAL_FEMALE)]} {family}",
                relationship="spouse",
                bank_name="BRI",
                account_number=f"0012{person_id:08d}",
            )
            for child, (level, age) in enumerate((("SMP", 13), ("SD", 8))):
                services.heir_add(
                    actor=actor,
                    person_id=person_id,
                    name=f"{GENERAL_MALE[(person_id + child) % len(GENERAL_MALE)]} {family}",
                    relationship="child",
                    birth_date=date(today.year - age, 3, 1),
                    education_level=level,
                )
            [claim] = services.claim_submit(
                actor=actor, person_id=person_id, benefit="JKM", event_date=today, channel="cli"
            )
            if number == 0 and claim.state == "submitted":
                _receive_all(actor, claim)
                services.claim_verify(actor=actor, claim_id=claim.pk, channel="cli")
                services.claim_approve(actor=actor, claim_id=claim.pk, channel="cli")
                services.claim_pay(
                    actor=actor, claim_id=claim.pk, paid_on=today, reference=f"DEMO-KLAIM-{claim.pk}", channel="cli"
                )
            elif claim.state == "submitted":
                codes = list(claim.documents.values_list("code", flat=True))[:2]
                services.claim_documents_receive(actor=actor, claim_id=claim.pk, codes=codes, channel="cli")
        else:
            [claim] = services.claim_submit(
                actor=actor,
                person_id=person_id,
                benefit="JKK_MEDICAL",
                event_date=today,
                details={
                    "costs": [
                        {"kind": "medical", "amount": "18750000"},
                        {"kind": "rehabilitation", "amount": "4200000"},
                    ],
                    "payee_bank": "BNI",
                    "payee_account": f"0770{person_id:08d}",
                },
                channel="cli",
            )
            if claim.state == "submitted":
                _receive_all(actor, claim)
                services.claim_verify(actor=actor, claim_id=claim.pk, channel="cli")
        claim.refresh_from_db()
        made["claims"].append({"id": claim.pk, "benefit": claim.benefit, "state": claim.state})
    run.status, run.finished_at, run.rows, run.detail = BatchRun.Status.DONE, timezone.now(), len(workers), made
    run.save(update_fields=["status", "finished_at", "rows", "detail"])
    return made
