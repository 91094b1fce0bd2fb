"""Reads of the contribution engine, scoped like the registry (accounts/scope.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Max, Q, QuerySet, Sum

from paritrana.accounts.scope import Scope, scope_for
from paritrana.core.errors import NotFound
from paritrana.core.periods import shift_month
from paritrana.law.selectors import parameters_on
from paritrana.registry import selectors as registry_selectors
from paritrana.registry.models import Employer, Membership, Person, Sponsor

from .models import Bill, ContributionLine, Payment
from .rules.standing import Standing, standing

# -- bills -----------------------------------------------------------------------------------------


def _bill_in_region(scope: Scope) -> Q:
    # A provincial APBD's bills carry the province code; the province's officers see them.
    return Q(region__in=scope.regencies) | Q(region__in=scope.provinces)


def _bills_scoped(scope: Scope) -> QuerySet[Bill]:
    return scope.restrict(
        Bill.objects.all(), regency=_bill_in_region, employer="employer", sponsor="sponsor", person="person"
    )


def payer_visible(*, user: Any, payer_kind: str, payer_id: int) -> bool:
    """A payer's bills are for those who see bills at all (national and regional staff, the payer
    itself): the aggregate-only roles see an employer or sponsor, never its account."""
    scope = scope_for(user)
    if not (scope.everything or scope.is_regional or scope.employer_id or scope.sponsor_id or scope.person_id):
        return False
    try:
        if payer_kind == "employer":
            registry_selectors.employer_get(user=user, employer_id=payer_id)
        elif payer_kind == "sponsor":
            registry_selectors.sponsor_get(user=user, sponsor_id=payer_id)
        elif payer_kind == "person":
            registry_selectors.person_get(user=user, person_id=payer_id, log_view=False)
        else:
            return False
    except NotFound:
        return False
    return True


def payer_name(kind: str, pk: int) -> str:
    """The payer's name as a bill shows it (an employer, a sponsor, or a self-paying participant)."""
    if kind == "employer":
        return Employer.objects.get(pk=pk).name
    if kind == "sponsor":
        return Sponsor.objects.get(pk=pk).name
    return Person.objects.get(pk=pk).display_name


def payer_credit(*, user: Any, payer_kind: str, payer_id: int) -> Decimal:
    """Unallocated money the payer has paid in advance; a payer outside the caller's scope has none
    to show (``NotFound``)."""
    if payer_kind not in ("employer", "sponsor", "person") or not payer_visible(
        user=user, payer_kind=payer_kind, payer_id=payer_id
    ):
        raise NotFound("Pembayar")
    total = Payment.objects.filter(**{f"{payer_kind}_id": payer_id}).aggregate(total=Sum("credit"))["total"]
    return total or Decimal(0)


def bill_list(
    *,
    user: Any,
    payer_kind: str = "",
    payer_id: int | None = None,
    period: date | None = None,
    status: str = "",
    region: str = "",
) -> QuerySet[Bill]:
    bills = _bills_scoped(scope_for(user))
    if payer_kind in ("employer", "sponsor", "person") and payer_id is not None:
        bills = bills.filter(**{f"{payer_kind}_id": payer_id})
    if period is not None:
        bills = bills.filter(period=period)
    if status:
        bills = bills.filter(status=status)
    if region:
        bills = bills.filter(region_id=region)
    # The participant who pays their own bill is read in a second query rather than joined: on a Citus
    # cluster bills lie by payer and persons by person, and an outer join across the two is refused
    # (docs/scale.md); employers, sponsors and regions are reference tables there, joined anywhere.
    return bills.select_related("employer", "sponsor", "region").prefetch_related("person").order_by("-period", "id")


def bill_get(*, user: Any, bill_id: int) -> Bill:
    bill = bill_list(user=user).filter(pk=bill_id).first()
    if bill is None:
        raise NotFound("Tagihan")
    return bill


def bill_lines(*, user: Any, bill: Bill, channel: str = "page") -> QuerySet[ContributionLine]:
    """A visible bill's lines: who is billed and on what wage. The read is audited with every person
    on the bill."""
    bill_get(user=user, bill_id=bill.pk)
    lines = ContributionLine.objects.filter(bill=bill, period=bill.period)
    registry_selectors.audit_person_read(
        user=user,
        action="bill_lines_view",
        entity="bill",
        entity_id=bill.pk,
        channel=channel,
        persons=lines.values_list("person_id", flat=True),
    )
    # The person through the line's own person column (on a Citus cluster the two lie on one shard
    # and Citus joins them there); the memberships, for their KPJ, in a second query (docs/scale.md).
    return lines.select_related("person").prefetch_related("membership").order_by("person__full_name", "membership_id")


PROGRAMME_COLUMNS = (
    ("JKK", "jkk_employer", "jkk_worker"),
    ("JKM", "jkm_employer", "jkm_worker"),
    ("JHT", "jht_employer", "jht_worker"),
    ("JP", "jp_employer", "jp_worker"),
)


def line_programmes(line: ContributionLine) -> list[dict[str, Any]]:
    """One stored line shown as one row per programme (models.ContributionLine keeps them on one row)."""
    rows = []
    for programme, employer, worker in PROGRAMME_COLUMNS:
        e, w = getattr(line, employer), getattr(line, worker)
        if e or w:
            row: dict[str, Any] = {"program": programme, "employer": e, "worker": w}
            if programme == "JP":
                row["deferred"] = line.jp_deferred
                row["base"] = line.jp_base
            rows.append(row)
    if line.jkp_government or line.jkp_recomposed:
        rows.append({"program": "JKP", "government": line.jkp_government, "recomposed": line.jkp_recomposed})
    if line.package_worker:
        rows.append({"program": "JKK+JKM", "employer": Decimal(0), "worker": line.package_worker})
    return rows


# -- standing and history -------------------------------------------------------------------------


def membership_standing(*, membership: Membership, today: date | None = None) -> Standing:
    today = today or date.today()
    # The months' bills read by their ids rather than joined: on a Citus cluster lines lie by person
    # and bills by payer, and Citus refuses the join (docs/scale.md).
    lines = list(
        ContributionLine.objects.filter(membership=membership, person_id=membership.person_id)
        .order_by("period")
        .values_list("bill_id", flat=True)
    )
    bills = {pk: (due, status) for pk, due, status in Bill.objects.filter(pk__in=set(lines)).values_list(
        "pk", "due_date", "status")}  # fmt: skip
    months = [bills[bill_id] for bill_id in lines]
    inactive_after = int(parameters_on(today).get("arrears.inactive_after_months", Decimal(3)))
    return standing(
        months=[(due, status == "paid") for due, status in months], today=today, inactive_after=inactive_after
    )


def contribution_history(*, user: Any, person_id: int, channel: str = "page") -> list[dict[str, Any]]:
    """A participant's months, newest first, with who was billed and whether the bill is paid.

    Only the lines of memberships the caller may see: an employer or sponsor sees its own, never the
    months another payer paid (from which that payer's wage would follow)."""
    person = registry_selectors.person_get(user=user, person_id=person_id, log_view=False)
    # Memberships, lines and bills each read on their own and put together here: on a Citus cluster
    # the lines and memberships lie by person and the bills by payer, and Citus refuses joins that
    # do not name the person (docs/scale.md).
    kpj = dict(registry_selectors.membership_list(user=user, person_id=person.pk).values_list("pk", "kpj"))
    lines = list(
        ContributionLine.objects.filter(person_id=person.pk, membership_id__in=list(kpj)).order_by(
            "-period", "membership_id"
        )
    )
    bills = {bill.pk: bill for bill in Bill.objects.filter(pk__in={line.bill_id for line in lines}).only(
        "pk", "status", "due_date")}  # fmt: skip
    registry_selectors.audit_person_read(
        user=user,
        action="contribution_history_view",
        entity="person",
        entity_id=person.pk,
        channel=channel,
        persons=[person.pk],
    )
    return [
        {
            "period": line.period,
            "kpj": kpj[line.membership_id],
            "segment": line.segment,
            "employer_total": line.employer_total,
            "worker_total": line.worker_total,
            "bill_status": bills[line.bill_id].status,
            "bill_id": line.bill_id,
            "due_date": bills[line.bill_id].due_date,
        }
        for line in lines
    ]


# -- arrears ---------------------------------------------------------------------------------------

ARREARS_SQL = """
SELECT {group_key} AS key, {group_name} AS name,
  count(DISTINCT (coalesce(b.employer_id, 0), coalesce(b.sponsor_id, 0), coalesce(b.person_id, 0))) AS payers,
  count(*) AS bills,
  sum(b.amount_due - b.paid_amount) AS outstanding,
  sum(CASE WHEN age = 1 THEN b.amount_due - b.paid_amount ELSE 0 END) AS age_1,
  sum(CASE WHEN age = 2 THEN b.amount_due - b.paid_amount ELSE 0 END) AS age_2,
  sum(CASE WHEN age = 3 THEN b.amount_due - b.paid_amount ELSE 0 END) AS age_3,
  sum(CASE WHEN age > 3 THEN b.amount_due - b.paid_amount ELSE 0 END) AS age_over_3,
  sum(round((b.amount_due - b.paid_amount) * t.late_fee * age / 100)) AS late_fee
FROM (SELECT %s::date AS today, %s::numeric AS late_fee) t
CROSS JOIN LATERAL (
  SELECT b.*, ((date_part('year', t.today) - date_part('year', b.due_date)) * 12
    + date_part('month', t.today) - date_part('month', b.due_date)
    + CASE WHEN date_part('day', t.today) > date_part('day', b.due_date) THEN 1 ELSE 0 END)::int AS age
  FROM contributions_bill b
  WHERE b.paid_amount < b.amount_due AND b.due_date < t.today AND b.id IN ({scoped})
) b
JOIN regions_region r ON r.code = b.region_code
{join}
GROUP BY 1, 2
ORDER BY outstanding DESC
"""

BRANCH_JOIN = (
    "LEFT JOIN regions_brancharea ba ON ba.regency_id = b.region_code "
    "LEFT JOIN regions_branch br ON br.code = ba.branch_id"
)


def arrears_summary(*, user: Any, by: str = "regency", today: date | None = None) -> list[dict[str, Any]]:
    """Overdue bills within the user's scope, per regency/city or per branch, aged by months late.

    Late fees shown are accrued to today at the rate in force (2 % a month, simple [U]).
    """
    today = today or date.today()
    try:
        scoped_sql, scoped_params = _bills_scoped(scope_for(user)).values("pk").query.sql_with_params()
    except EmptyResultSet:  # a role that sees no bills (aggregate-only, juries): nothing overdue to show
        return []
    if by == "branch":
        group_key, group_name = "coalesce(br.code, '-')", "coalesce(br.name, 'Tanpa kantor cabang')"
        join = BRANCH_JOIN
    else:
        group_key, group_name, join = "r.code", "r.name", ""
    late_fee = parameters_on(today).get("late_fee.rate")
    sql = ARREARS_SQL.format(group_key=group_key, group_name=group_name, join=join, scoped=scoped_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [today, late_fee, *scoped_params])
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


ARREARS_PAYERS_SQL = """
SELECT CASE WHEN b.employer_id IS NOT NULL THEN 'employer' WHEN b.sponsor_id IS NOT NULL THEN 'sponsor'
            ELSE 'person' END AS kind,
       coalesce(b.employer_id, b.sponsor_id, b.person_id) AS payer_id,
       coalesce(e.name, s.name, p.full_name) AS name,
       coalesce(e.npp, s.code, '') AS code,
       count(*) AS bills,
       min(b.due_date) AS oldest_due,
       sum(b.amount_due - b.paid_amount) AS outstanding
FROM contributions_bill b
LEFT JOIN registry_employer e ON e.id = b.employer_id
LEFT JOIN registry_sponsor s ON s.id = b.sponsor_id
LEFT JOIN registry_person p ON p.id = b.person_id
WHERE b.paid_amount < b.amount_due AND b.due_date < %s AND b.region_code = %s AND b.id IN ({scoped})
GROUP BY 1, 2, 3, 4
ORDER BY outstanding DESC, name
LIMIT %s
"""


def arrears_payers(*, user: Any, region: str, today: date | None = None, limit: int = 500) -> list[dict[str, Any]]:
    """Who is in arrears in one regency/city of the user's scope: each payer with its overdue bills,
    the oldest due date and what is outstanding, largest first (issue 27: the payers could not be
    named from the summary)."""
    today = today or date.today()
    try:
        scoped_sql, scoped_params = _bills_scoped(scope_for(user)).values("pk").query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(ARREARS_PAYERS_SQL.format(scoped=scoped_sql), [today, region, *scoped_params, limit])
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


# -- set-based facts for other apps' bulk reports (the award's indicators) ----------------------------

# Summed per bill region first, then per regency and province: GROUPING SETS over the bills
# themselves is what Citus cannot distribute (docs/scale.md); over a few hundred sums it is cheap.
_REGION_COMPLIANCE_SQL = """
WITH per_region AS MATERIALIZED (
  SELECT b.region_code, sum(least(b.paid_amount, b.amount_due)) AS paid, sum(b.amount_due) AS due
  FROM contributions_bill b
  WHERE b.due_date BETWEEN %(start)s AND %(end)s AND b.amount_due > 0
  GROUP BY b.region_code
)
SELECT coalesce(CASE WHEN length(r.region_code) > 2 THEN r.region_code END, left(r.region_code, 2)),
       sum(r.paid), sum(r.due)
FROM per_region r
GROUP BY GROUPING SETS ((left(r.region_code, 2), CASE WHEN length(r.region_code) > 2 THEN r.region_code END),
                        (left(r.region_code, 2)))
"""
# One pass over the employers' bills grouped by employer (not a subquery per employer): Citus
# distributes the grouping; the employers without a bill come from the list itself.
_EMPLOYER_BILLS_SQL = """
WITH per_employer AS MATERIALIZED (
  SELECT b.employer_id,
         bool_or(b.due_date <= %(end)s AND b.paid_amount < b.amount_due) AS arrears,
         sum(least(b.paid_amount, b.amount_due))
           FILTER (WHERE b.due_date BETWEEN %(start)s AND %(end)s AND b.amount_due > 0) AS paid,
         sum(b.amount_due) FILTER (WHERE b.due_date BETWEEN %(start)s AND %(end)s AND b.amount_due > 0) AS due
  FROM contributions_bill b
  WHERE b.employer_id = ANY(%(ids)s::bigint[])
  GROUP BY b.employer_id
)
SELECT e.id, coalesce(x.arrears, false), x.paid, x.due
FROM unnest(%(ids)s::bigint[]) AS e(id)
LEFT JOIN per_employer x ON x.employer_id = e.id
"""


def paid_and_due_by_region(*, start: date, end: date) -> dict[str, tuple[Decimal, Decimal]]:
    """Of the bills falling due in [start, end], the amount paid (at most what was due) and the amount
    due, per regency/city and per province; a province takes its regencies' bills and its own."""
    with connection.cursor() as cursor:
        cursor.execute(_REGION_COMPLIANCE_SQL, {"start": start, "end": end})
        return {code: (paid, due) for code, paid, due in cursor.fetchall()}


def employer_bills(*, ids: list[int], start: date, end: date) -> dict[int, tuple[bool, Decimal | None, Decimal | None]]:
    """Each employer's standing: whether a bill due by ``end`` is unpaid, and of its bills falling due
    in [start, end] the amount paid (at most what was due) and the amount due (None when none)."""
    with connection.cursor() as cursor:
        cursor.execute(_EMPLOYER_BILLS_SQL, {"start": start, "end": end, "ids": ids})
        return {employer: (arrears, paid, due) for employer, arrears, paid, due in cursor.fetchall()}


# -- the monthly wage report (issue 27 §3) ---------------------------------------------------------


def first_open_months(membership_ids: list[int]) -> dict[int, date]:
    """For each membership, the first month not yet billed (the month after its last billed line, or
    the month it started): a reported wage takes effect from a month not yet billed."""
    billed = dict(
        ContributionLine.objects.filter(membership_id__in=membership_ids)
        .values("membership_id")
        .annotate(last=Max("period"))
        .values_list("membership_id", "last")
    )
    starts = dict(Membership.objects.filter(pk__in=membership_ids).values_list("pk", "valid_from"))
    return {pk: shift_month(billed[pk], 1) if pk in billed else start.replace(day=1) for pk, start in starts.items()}


@dataclass(frozen=True)
class WageRow:
    membership: Membership
    open_from: date  # the first month a change may take effect


def wage_report_rows(*, user: Any, employer_id: int) -> list[WageRow]:
    """The employer's active wage earners (PU and Jasa Konstruksi) with their latest reported wage,
    for the monthly wage report; a worker's data read by staff is audited like any other read."""
    employer = registry_selectors.employer_get(user=user, employer_id=employer_id)
    memberships = list(
        registry_selectors.membership_list(user=user, employer_id=employer.pk, status="active")
        .filter(segment__in=["PU", "JAKON"])
        .order_by("person__full_name", "id")
    )
    registry_selectors.audit_person_read(
        user=user,
        action="wage_report_view",
        entity="employer",
        entity_id=employer.pk,
        channel="page",
        persons=[m.person_id for m in memberships],
    )
    opens = first_open_months([m.pk for m in memberships])
    return [WageRow(m, opens[m.pk]) for m in memberships]
