"""Reads of claims, heirs, scholarships and JHT accounts, scoped like the registry (accounts/scope.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum

from paritrana.accounts.scope import CLAIM_OFFICER_ROLES, Scope, scope_for
from paritrana.contributions.models import ContributionLine
from paritrana.core.audit import audit_read
from paritrana.core.errors import NotFound, PermissionDenied
from paritrana.registry.models import Membership, Person

from .models import Claim, Heir, JhtEntry, ProofOfLife, Scholarship
from .rules.coverage import MembershipFacts


def _own_or_received(scope: Scope) -> Q:
    """A participant's claims: their own, and those whose pension is paid to them as another
    participant's survivor — the pension's heir carries their NIK (a widow registered in her own
    right follows the pension she is paid from her late husband's membership on her own pages,
    issue 31 §4). Nothing else of the deceased's claims."""
    from paritrana.registry.models import Person

    # The NIK read first, not as a subquery: on a Citus cluster persons are distributed and claims
    # are not, and Citus refuses a subquery on the one inside a query on the other (docs/scale.md).
    own = Person.objects.filter(pk=scope.person_id or 0).values_list("nik", flat=True).first()
    return Q(person_id=scope.person_id) | Q(pension__heir__nik=own) if own else Q(person_id=scope.person_id)


def claims_scoped(scope: Scope) -> QuerySet[Claim]:
    # A branch serves the regencies of its area: its queue is the claims administered there.
    return scope.restrict(
        Claim.objects.all(),
        regency="regency",
        employer="membership__employer",
        sponsor="membership__sponsor",
        person=_own_or_received,
    )


def paid_to(*, user: Any, claim: Claim) -> bool:
    """Whether the caller is the one a pension claim pays: an old-age or disability pensioner on their own claim, or
    the survivor whose NIK its pension's heir carries. They send their own proofs of life."""
    scope = scope_for(user)
    if scope.person_id is None:
        return False
    if claim.benefit in ("JP_OLD_AGE", "JP_DISABILITY"):
        return claim.person_id == scope.person_id
    from paritrana.registry.models import Person

    nik = Person.objects.filter(pk=scope.person_id).values_list("nik", flat=True).first()
    return bool(nik) and Heir.objects.filter(pensions__claim=claim, nik=nik).exists()


def claim_list(*, user: Any, state: str = "", benefit: str = "", person_id: int | None = None) -> QuerySet[Claim]:
    claims = claims_scoped(scope_for(user))
    if state:
        claims = claims.filter(state=state)
    if benefit:
        claims = claims.filter(benefit=benefit)
    if person_id is not None:
        claims = claims.filter(person_id=person_id)
    # Persons and memberships in their own queries, not joined: on a Citus cluster they are
    # distributed and claims are not (docs/scale.md).
    return (
        claims.select_related("regency")
        .prefetch_related("person", "membership")
        .order_by("due_by", "submitted_at", "id")
    )


def claim_get(*, user: Any, claim_id: int, channel: str = "page", log_view: str = "") -> Claim:
    """One claim in the caller's scope; ``log_view`` names the read for the audit trail (a claim
    page, its letter) when the caller is about to show it."""
    claim = (
        claims_scoped(scope_for(user))
        .select_related("person", "membership", "membership__employer", "membership__sponsor", "regency")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise NotFound("Klaim")
    if log_view:
        from paritrana.registry import selectors as registry_selectors

        registry_selectors.audit_person_read(
            user=user, action=log_view, entity="claim", entity_id=claim.pk, channel=channel, persons=[claim.person_id]
        )
    return claim


def queue_counts(*, user: Any) -> dict[str, int]:
    rows = claims_scoped(scope_for(user)).values("state").annotate(n=Count("id")).order_by()
    return {r["state"]: r["n"] for r in rows}


def heirs_of(*, person_id: int) -> QuerySet[Heir]:
    """The heirs of a person, for the claim workflow's own use (no caller to scope)."""
    return Heir.objects.filter(person_id=person_id).order_by("relationship", "birth_date", "id")


def heirs_read(*, user: Any, person_id: int, channel: str = "page") -> QuerySet[Heir]:
    """A person's heirs — names, NIKs, bank accounts — for the claim officers who pay them and for the
    participant themself; the read is audited. Anyone else gets ``NotFound``, as for a person unseen."""
    from paritrana.registry import selectors as registry_selectors

    scope = scope_for(user)
    person = registry_selectors.person_get(user=user, person_id=person_id, channel=channel, log_view=False)
    if not (scope.everything or scope.role in CLAIM_OFFICER_ROLES or scope.person_id == person.pk):
        raise NotFound("Ahli waris")
    registry_selectors.audit_person_read(
        user=user, action="heirs_view", entity="person", entity_id=person.pk, channel=channel, persons=[person.pk]
    )
    return heirs_of(person_id=person.pk)


def membership_facts(*, person_id: int) -> list[MembershipFacts]:
    """Each membership of a person with the months whose bill is paid in full (the masa iur)."""
    memberships = list(Membership.objects.filter(person_id=person_id).order_by("valid_from", "id"))
    paid: dict[int, set[date]] = defaultdict(set)
    bases: dict[int, list[Decimal]] = defaultdict(list)
    lines = ContributionLine.objects.filter(
        membership_id__in=[m.pk for m in memberships], bill__status="paid"
    ).values_list("membership_id", "period", "jp_base")
    for membership_id, period, jp_base in lines:
        paid[membership_id].add(period)
        if jp_base:
            bases[membership_id].append(jp_base)
    return [
        MembershipFacts(
            membership_id=m.pk,
            kpj=m.kpj,
            segment=m.segment,
            programmes=tuple(m.programmes),
            valid_from=m.valid_from,
            valid_until=m.valid_until,
            wage=m.wage if m.wage is not None else m.declared_income,
            paid_months=frozenset(paid[m.pk]),
            jp_bases=tuple(bases[m.pk]),
        )
        for m in memberships
    ]


# The JP contribution of every paid month, dated like the JHT ledger's: when its bill was paid in full.
_JP_PAID_SQL = """
SELECT COALESCE(max(p.paid_on), b.due_date, b.period), l.jp_employer + l.jp_worker
FROM contributions_contributionline l
JOIN contributions_bill b ON b.id = l.bill_id AND b.period = l.period
LEFT JOIN contributions_allocation a ON a.bill_id = b.id AND a.bill_period = b.period
LEFT JOIN contributions_payment p ON p.id = a.payment_id
WHERE l.membership_id = %s AND b.status = 'paid' AND l.jp_employer + l.jp_worker > 0
GROUP BY l.period, l.jp_employer, l.jp_worker, b.due_date, b.period
"""


def jp_contributions(*, membership_id: int) -> list[tuple[date, Decimal]]:
    """Each paid month's JP contribution (employer and worker) with the date it was paid."""
    with connection.cursor() as cursor:
        cursor.execute(_JP_PAID_SQL, [membership_id])
        return [(day, Decimal(amount)) for day, amount in cursor.fetchall()]


def jht_balance(*, membership_id: int, on: date) -> Decimal:
    total = JhtEntry.objects.filter(membership_id=membership_id, entry_date__lte=on).aggregate(t=Sum("amount"))["t"]
    return total or Decimal(0)


def jht_statement(*, user: Any, person_id: int, until: date | None = None, channel: str = "page") -> dict[str, Any]:
    """A person's JHT entries with the running balance per membership, and the balance on ``until``.

    Only the memberships the caller may see: an employer sees the savings built while working for
    it, not what another employer paid."""
    from paritrana.registry import selectors as registry_selectors

    person = registry_selectors.person_get(user=user, person_id=person_id, log_view=False)
    # The visible memberships read first and the entries' memberships in a second query, not joined:
    # on a Citus cluster JHT entries stay on the coordinator and memberships are distributed.
    visible = list(registry_selectors.membership_list(user=user, person_id=person.pk).values_list("pk", flat=True))
    entries = (
        JhtEntry.objects.filter(person_id=person.pk, membership_id__in=visible)
        .prefetch_related("membership")
        .order_by("entry_date", "id")
    )
    registry_selectors.audit_person_read(
        user=user,
        action="jht_statement_view",
        entity="person",
        entity_id=person.pk,
        channel=channel,
        persons=[person.pk],
    )
    if until is not None:
        entries = entries.filter(entry_date__lte=until)
    rows = []
    running: dict[int, Decimal] = defaultdict(Decimal)
    for entry in entries:
        running[entry.membership_id] += entry.amount
        rows.append({"entry": entry, "balance": running[entry.membership_id]})
    return {
        "person": person,
        "rows": rows,
        "balances": dict(running),
        "total": sum(running.values(), Decimal(0)),
        "until": until,
    }


def scholarships_due(*, user: Any, year: int) -> list[Scholarship]:
    """Scholarships still running, in the caller's scope, with no claim yet for ``year``, by the
    participant's name and the child's birth date."""
    visible = claims_scoped(scope_for(user)).values("pk")
    claimed = Claim.objects.filter(scholarship=OuterRef("pk"), school_year=year).exclude(state="rejected")
    # The participants read in a second query and the list sorted here, not joined and ordered in
    # SQL: on a Citus cluster persons are distributed and scholarships are not (docs/scale.md).
    due = list(
        Scholarship.objects.filter(origin__in=visible, ended_on__isnull=True)
        .filter(~Exists(claimed))
        .select_related("child", "origin")
        .prefetch_related("origin__person")
    )
    # Names ranked by the database, so that its collation orders them as an ORDER BY would.
    rank: dict[int, int] = {}
    last = None
    ranked = Person.objects.filter(pk__in={s.origin.person_id for s in due}).order_by("full_name")
    for person_id, name in ranked.values_list("pk", "full_name"):
        if name != last:
            position, last = len(rank), name
        rank[person_id] = position
    return sorted(due, key=lambda s: (rank[s.origin.person_id], s.child.birth_date, s.pk))


def scholarship_get(*, user: Any, scholarship_id: int) -> Scholarship:
    visible = claims_scoped(scope_for(user)).values("pk")
    found = (
        Scholarship.objects.filter(Q(pk=scholarship_id), origin__in=visible)
        .select_related("child", "origin", "origin__person", "origin__membership")
        .first()
    )
    if found is None:
        raise NotFound("Beasiswa")
    return found


# -- set-based facts for other apps' bulk reports (the award's indicators) ----------------------------

# Days from submission to payment, counted in Jakarta's calendar.
_DAYS_TO_PAY = """percentile_cont(0.5) WITHIN GROUP (ORDER BY
         (c.paid_at AT TIME ZONE 'Asia/Jakarta')::date - (c.submitted_at AT TIME ZONE 'Asia/Jakarta')::date)"""
_PAID_BETWEEN = "c.paid_at IS NOT NULL AND (c.paid_at AT TIME ZONE 'Asia/Jakarta')::date BETWEEN %(start)s AND %(end)s"


def median_days_to_pay_by_region(*, start: date, end: date) -> dict[str, float]:
    """The median days from submission to payment of the claims paid in [start, end], per
    regency/city and per province."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT coalesce(c.regency_code, left(c.regency_code, 2)), {_DAYS_TO_PAY}
            FROM benefits_claim c WHERE {_PAID_BETWEEN}
            GROUP BY GROUPING SETS ((left(c.regency_code, 2), c.regency_code), (left(c.regency_code, 2)))
            """,
            {"start": start, "end": end},
        )
        return dict(cursor.fetchall())


def median_days_to_pay_by_employer(*, ids: list[int], start: date, end: date) -> dict[int, float]:
    """The same median for the claims on each employer's memberships."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT m.employer_id, {_DAYS_TO_PAY}
            FROM benefits_claim c JOIN registry_membership m ON m.id = c.membership_id
            WHERE {_PAID_BETWEEN} AND m.employer_id = ANY(%(ids)s)
            GROUP BY m.employer_id
            """,
            {"start": start, "end": end, "ids": ids},
        )
        return dict(cursor.fetchall())


def claim_document_file(*, user: Any, claim_id: int, code: str, channel: str = "page") -> tuple[Any, bytes]:
    """A claim document's file for someone who may see the claim (issue 27 §5); every read by staff
    is audited with the claimant."""
    from paritrana.core import files as core_files

    claim = claim_get(user=user, claim_id=claim_id, channel=channel, log_view="claim_document_view")
    document = claim.documents.select_related("file").filter(code=code, file__isnull=False).first()
    if document is None or document.file is None:
        raise NotFound("Dokumen")
    return document.file, core_files.read(document.file)


def proofs_of_life(*, user: Any, claim: Claim) -> QuerySet[ProofOfLife]:
    """A visible claim's proofs of life, newest first."""
    return ProofOfLife.objects.filter(claim=claim).select_related("file")


def pension_of(*, user: Any, claim: Claim) -> dict[str, Any] | None:
    """A visible claim's pension in payment (issue 31 §4): its yearly amounts and its payments, newest
    first (the last 36 months). None when the claim put no pension in payment."""
    from .models import Pension

    pension = Pension.objects.filter(claim=claim).select_related("schedule").first()
    if pension is None:
        return None
    from .rules.pension import END_REASONS, END_REASONS_BY_KIND

    return {
        "pension": pension,
        "end_reasons": [(r, END_REASONS[r]) for r in END_REASONS_BY_KIND.get(pension.kind, ("died",))],
        "steps": list(pension.steps.order_by("start")),
        "payments": list(pension.payments.order_by("-period", "-id")[:36]),
        # The survivors' chain (pensions.pension_succeed): whom this pension followed, who followed it.
        # Linked only where the caller may open it (a widow does not see her late husband's claim).
        "follows": claims_scoped(scope_for(user))
        .filter(pk=claim.facts.get("succession_of") or 0)
        .values_list("pk", flat=True)
        .first(),
        "followed_by": claims_scoped(scope_for(user))
        .filter(facts__succession_of=claim.pk)
        .values_list("pk", flat=True)
        .first(),
    }


def proofs_of_life_waiting(*, user: Any) -> QuerySet[ProofOfLife]:
    """The branch's queue: proofs of life not yet checked, of the claims in the caller's scope."""
    return (
        ProofOfLife.objects.filter(state="submitted", claim__in=claims_scoped(scope_for(user)))
        .select_related("claim", "claim__person")
        .order_by("recorded_at", "id")
    )


def pensions_suspended(*, user: Any, on: date) -> QuerySet[Any]:
    """The pensions in the caller's scope that the payroll of ``on``'s month does not pay because the
    beneficiary's status was last confirmed ``jp.proof_of_life_months`` [U] months ago or more
    (rules/pension.confirmation_valid): the branch asks them for a proof of life; once it is accepted,
    the next payroll pays the missed months as arrears. Oldest confirmation first."""
    from paritrana.law.selectors import parameters_on

    from .models import Pension
    from .rules.pension import add_months

    months = int(parameters_on(on).get("jp.proof_of_life_months", Decimal(12)))
    # Suspended when add_months(month of the confirmation, months) <= the month of ``on``.
    before = add_months(on.replace(day=1), 1 - months)
    return (
        Pension.objects.filter(
            state="in_payment", schedule__confirmed_on__lt=before, claim__in=claims_scoped(scope_for(user))
        )
        .select_related("claim", "schedule")
        .order_by("schedule__confirmed_on", "id")
    )


def proof_of_life_file(*, user: Any, proof_id: int, channel: str = "page") -> tuple[Any, bytes]:
    """A proof of life's file for whoever may see its claim; the read is audited with the claimant."""
    from paritrana.core import files as core_files

    proof = (
        ProofOfLife.objects.select_related("file").filter(pk=proof_id, claim__in=claims_scoped(scope_for(user))).first()
    )
    if proof is None:
        raise NotFound("Bukti hidup")
    claim_get(user=user, claim_id=proof.claim_id, channel=channel, log_view="proof_of_life_view")
    return proof.file, core_files.read(proof.file)


# -- the national payroll (issue 31 §4) -----------------------------------------------------------------


def _national(user: Any) -> None:
    if not scope_for(user).everything:
        raise PermissionDenied("Hanya administrator nasional yang melihat payroll pensiun.")


def payroll_overview(*, user: Any) -> dict[str, Any]:
    """The pension payroll for the national administrator: the pensions in payment by kind (and how
    many wait for a proof of life), the last runs, what the payroll issued that no batch has sent yet
    (by bank; without an account recorded apart), and the batches with their banks' answers. Counts
    and amounts only: names and accounts are in a batch's file, whose download is audited."""
    from paritrana.core.models import BatchRun

    from .models import Pension, PensionBatch, PensionPayment

    _national(user)
    from .rules.pension import KINDS

    counted = dict(
        Pension.objects.filter(state="in_payment").values_list("kind").annotate(n=Count("id")).order_by("kind")
    )
    kinds = [(kind, label, counted[kind]) for kind, label in KINDS.items() if kind in counted]
    pending = list(
        PensionPayment.objects.filter(state="issued", batch__isnull=True)
        .values(bank=F("pension__bank_name"))
        .annotate(
            payments=Count("id"), amount=Sum("amount"), no_account=Count("id", filter=Q(pension__account_number=""))
        )
        .order_by("bank")
    )
    batches = list(
        PensionBatch.objects.annotate(
            paid=Count("lines", filter=Q(lines__state="paid")),
            failed=Count("lines", filter=Q(lines__state="failed")),
            waiting=Count("lines", filter=Q(lines__state="issued")),
        ).order_by("-period", "-number")[:50]
    )
    runs = list(BatchRun.objects.filter(job="payroll").order_by("-started_at")[:12])
    return {
        "kinds": kinds,
        "in_payment": sum(counted.values()),
        "pending": pending,
        "batches": batches,
        "runs": runs,
    }


def pension_batch_file_rows(*, user: Any, batch_id: int, channel: str = "page") -> tuple[Any, list[list[str]]]:
    """The file a bank pays from: reference, bank, account, beneficiary, amount, month, arrears. The
    bank needs the whole account number and name, so only the national administrator (who sends it)
    may take it, and every download is audited with the participants whose pensions it pays."""
    from .models import PensionBatch, PensionPayment

    _national(user)
    batch = PensionBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        raise NotFound("Batch pensiun")
    lines = PensionPayment.objects.filter(batch=batch).select_related("pension").order_by("reference")
    audit_read(
        actor=user,
        action="pension_batch_download",
        entity="pension_batch",
        entity_id=batch.pk,
        channel=channel,
        persons=lines.values_list("pension__person_id", flat=True).distinct(),
        detail={"batch": str(batch), "bank": batch.bank},
    )
    header = ["reference", "bank", "account_number", "beneficiary", "amount", "period", "arrears"]
    rows = [
        [
            p.reference,
            p.pension.bank_name,
            p.pension.account_number,
            p.pension.beneficiary_name,
            str(p.amount),
            f"{p.period:%Y-%m}",
            "ya" if p.arrears else "tidak",
        ]
        for p in lines
    ]
    return batch, [header, *rows]
