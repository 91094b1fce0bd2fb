"""Reads for the wage subsidy: rounds and their counts, totals per channel and region, a batch's
payment file, and one participant's answer (whether they qualify, and why not)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Sum

from paritrana.accounts.scope import scope_for
from paritrana.core.audit import audit_read
from paritrana.core.errors import NotFound, PermissionDenied
from paritrana.enrolment.rules.proof import initials
from paritrana.registry.models import Person

from .models import Batch, Channel, Decision, Payment, PaymentStatus, Round
from .rules.rounds import REASONS, amount_per_person
from .services import terms_of


def _may_read(actor: Any, channel: str) -> None:
    scope = scope_for(actor)
    if not (scope.everything or scope.role == "coordination_viewer"):
        raise PermissionDenied("Hanya administrator nasional dan tim koordinasi yang melihat putaran BSU.")


def round_list(*, actor: Any, channel: str = "page") -> list[Round]:
    _may_read(actor, channel)
    return list(Round.objects.order_by("active_on"))


def round_summary(*, actor: Any, code: str, channel: str = "page") -> dict[str, Any]:
    """Counts by reason, what the eligible would receive, and what has been paid: per channel and
    status, per province."""
    _may_read(actor, channel)
    round_ = Round.objects.filter(code=code.strip().upper()).select_related("computed_by", "approved_by").first()
    if round_ is None:
        raise NotFound("Putaran BSU")
    per_person = amount_per_person(terms=terms_of(round_))
    counts = round_.counts or {}
    payments = Payment.objects.filter(round=round_)
    by_channel = list(
        payments.values("channel", "status").annotate(n=Count("id"), amount=Sum("amount")).order_by("channel", "status")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.code, r.name, count(*) FILTER (WHERE d.eligible) AS eligible,
              coalesce(p.paid, 0), coalesce(p.amount, 0)
            FROM subsidies_decision d
            JOIN regions_region r ON r.code = left(d.regency_code, 2)
            LEFT JOIN (
              SELECT left(regency_code, 2) AS province, count(DISTINCT person_id) AS paid, sum(amount) AS amount
              FROM subsidies_payment WHERE round_id = %(round)s AND status = 'paid' GROUP BY 1
            ) p ON p.province = r.code
            WHERE d.round_id = %(round)s
            GROUP BY r.code, r.name, p.paid, p.amount ORDER BY r.code
            """,
            {"round": round_.pk},
        )
        provinces = [
            {"code": c, "name": n, "eligible": e, "paid_persons": pp, "paid_amount": Decimal(a)}
            for c, n, e, pp, a in cursor.fetchall()
        ]
    paid = payments.filter(status=PaymentStatus.PAID).aggregate(n=Count("person", distinct=True), amount=Sum("amount"))
    return {
        "round": round_,
        "amount_per_person": per_person,
        "decided": counts.get("decided", 0),
        "eligible": counts.get("eligible", 0),
        "planned_amount": Decimal(counts.get("amount", "0")),
        "reasons": [
            {"code": code, "message": REASONS.get(code, code), "count": n}
            for code, n in counts.get("reasons", {}).items()
        ],
        "channels": [
            {
                "channel": row["channel"],
                "channel_label": Channel(row["channel"]).label,
                "status": row["status"],
                "status_label": PaymentStatus(row["status"]).label,
                "payments": row["n"],
                "amount": row["amount"],
            }
            for row in by_channel
        ],
        "provinces": provinces,
        "paid_persons": paid["n"] or 0,
        "paid_amount": paid["amount"] or Decimal(0),
        "batches": list(Batch.objects.filter(round=round_).order_by("number")),
    }


def batch_file_rows(*, actor: Any, code: str, number: int, channel: str = "page") -> tuple[Batch, list[list[str]]]:
    """The file a channel receives: reference, NIK, name, KPJ, regency, amount. The channel needs the
    full NIK and name to pay the right person, so only the national administrator (who sends it)
    may take it, and every download is audited; the coordination team reads counts, not persons."""
    if not scope_for(actor).everything:
        raise PermissionDenied("Hanya administrator nasional yang dapat mengunduh berkas pembayaran BSU.")
    batch = Batch.objects.filter(round__code=code.strip().upper(), number=number).select_related("round").first()
    if batch is None:
        raise NotFound("Batch")
    audit_read(
        actor=actor,
        action="bsu_batch_download",
        entity="bsu_batch",
        entity_id=batch.pk,
        channel=channel,
        persons=Payment.objects.filter(batch=batch).values_list("person_id", flat=True),
        detail={"round": batch.round.code, "number": batch.number},
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.reference, pe.nik, pe.full_name, coalesce(m.kpj, ''), coalesce(p.regency_code, ''),
              p.amount::text, p.status
            FROM subsidies_payment p
            JOIN registry_person pe ON pe.id = p.person_id
            LEFT JOIN subsidies_decision d ON d.round_id = p.round_id AND d.person_id = p.person_id
            LEFT JOIN registry_membership m ON m.id = d.membership_id
            WHERE p.batch_id = %s ORDER BY p.reference
            """,
            (batch.pk,),
        )
        rows = [list(r) for r in cursor.fetchall()]
    return batch, [["reference", "nik", "nama", "kpj", "kabupaten_kota", "jumlah", "status"], *rows]


def participant_status(*, actor: Any, nik: str, channel: str = "page") -> list[dict[str, Any]]:
    """For each round: whether the person qualifies, every reason they do not, and their payments.
    A participant sees only their own answer; staff with national scope any person's. Names show
    as initials only."""
    scope = scope_for(actor)
    person = Person.objects.filter(nik=nik.strip()).first()
    allowed = scope.everything or (person and scope.person_id == person.pk)
    if not allowed:
        raise PermissionDenied("Anda hanya dapat melihat status BSU Anda sendiri.")
    if person is None:
        raise NotFound("Peserta")
    decisions = {d.round_id: d for d in Decision.objects.filter(person=person)}
    answers = []
    for round_ in Round.objects.order_by("active_on"):
        decision = decisions.get(round_.pk)
        payments = Payment.objects.filter(round=round_, person=person).order_by("instalment", "id")
        if decision is None:
            state = "not_computed" if round_.status == "draft" and not round_.counts else "not_eligible"
            reasons = [] if state == "not_computed" else ["not_active"]
        else:
            state = "eligible" if decision.eligible else "not_eligible"
            reasons = list(decision.reasons)
        answers.append(
            {
                "round": round_.code,
                "name": round_.name,
                "initials": initials(person.full_name),
                "state": state,
                "reasons": [{"code": r, "message": REASONS.get(r, r)} for r in reasons],
                "amount": amount_per_person(terms=terms_of(round_)) if state == "eligible" else Decimal(0),
                "payments": [
                    {
                        "instalment": p.instalment,
                        "channel": Channel(p.channel).label,
                        "amount": p.amount,
                        "status": p.status,
                        "status_label": PaymentStatus(p.status).label,
                        "result_on": p.result_on,
                    }
                    for p in payments
                ],
            }
        )
    return answers
