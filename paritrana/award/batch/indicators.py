"""The award's indicators read from the registry in a few set-based queries (rules.award names them).

Definitions, for the edition's period [start, end]:

- a membership is **in force** on a day when it began on or before it and had not ended
  (``valid_from <= day <= valid_until``, no end date meaning open); counts are of distinct persons;
- **coverage rate**: persons in force at the end ÷ the region's employed population (the newest
  ``coverage_denominator`` "employed" figure of the period's year or before);
- **PU / BPU growth**: persons in force in the segment at the end against the start;
- **employer growth**: employers with a PU membership in force, end against start;
- **non-ASN and vulnerable**: persons in force at the end on a membership tagged non-ASN, PPNPN,
  village apparatus or vulnerable worker;
- **APBD allocation**: the region's own APBD sponsors' budget for the edition's year (enrolment);
- **regulations**: regulations recorded as Inpres 2/2021 follow-up by the region's head, in the period;
- **compliance**: of the bills falling due in the period, the share of the amount due that is paid;
- **claims service**: the median days from submission to payment of the claims paid in the period;
- enterprises: their PU workers in force, growth, compliance and claims the same way; the entry rule
  (no arrears) is no bill of theirs overdue and unpaid at the period's end, and one worker at least.

Regions are counted per regency/city and per province in one pass (``GROUPING SETS``); a province's
compliance takes the bills of its regencies and of its own budget.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection

from ..rules.award import growth, share

IN_FORCE = "(m.valid_from <= {day} AND coalesce(m.valid_until, 'infinity'::date) >= {day})"
START, END = IN_FORCE.format(day="%(start)s"), IN_FORCE.format(day="%(end)s")
VULNERABLE_TAGS = ["non_asn", "ppnpn", "village_apparatus", "vulnerable"]

REGION_SQL = f"""
SELECT coalesce(m.regency_code, left(m.regency_code, 2)) AS code, grouping(m.regency_code) AS is_province,
       left(m.regency_code, 2) AS province,
       count(DISTINCT m.person_id) FILTER (WHERE {END}) AS active_end,
       count(DISTINCT m.person_id) FILTER (WHERE {START} AND m.segment = 'PU') AS pu_start,
       count(DISTINCT m.person_id) FILTER (WHERE {END} AND m.segment = 'PU') AS pu_end,
       count(DISTINCT m.person_id) FILTER (WHERE {START} AND m.segment = 'BPU') AS bpu_start,
       count(DISTINCT m.person_id) FILTER (WHERE {END} AND m.segment = 'BPU') AS bpu_end,
       count(DISTINCT m.employer_id) FILTER (WHERE {START} AND m.segment = 'PU') AS employers_start,
       count(DISTINCT m.employer_id) FILTER (WHERE {END} AND m.segment = 'PU') AS employers_end,
       count(DISTINCT m.person_id) FILTER (WHERE {END} AND m.tags && %(tags)s::varchar[]) AS vulnerable
FROM registry_membership m
GROUP BY GROUPING SETS ((left(m.regency_code, 2), m.regency_code), (left(m.regency_code, 2)))
"""
DENOMINATOR_SQL = """
SELECT DISTINCT ON (region_id) region_id, value FROM coverage_denominator
WHERE kind = 'employed' AND year <= %(year)s AND region_id IS NOT NULL
ORDER BY region_id, year DESC
"""
BUDGET_SQL = """
SELECT s.region_id, sum(b.allocation) FROM enrolment_sponsorbudget b JOIN registry_sponsor s ON s.id = b.sponsor_id
WHERE b.year = %(year)s AND s.kind IN ('apbd_province', 'apbd_regency') GROUP BY s.region_id
"""
REGULATION_SQL = """
SELECT a.region_id, count(*) FROM coverage_followupaction f JOIN coverage_addressee a ON a.id = f.addressee_id
WHERE f.kind = 'regulation' AND f.taken_on BETWEEN %(start)s AND %(end)s AND a.region_id IS NOT NULL
GROUP BY a.region_id
"""
REGION_COMPLIANCE_SQL = """
SELECT coalesce(CASE WHEN length(b.region_code) > 2 THEN b.region_code END, left(b.region_code, 2)), grouping(
         CASE WHEN length(b.region_code) > 2 THEN b.region_code END),
       sum(least(b.paid_amount, b.amount_due)), sum(b.amount_due)
FROM contributions_bill b
WHERE b.due_date BETWEEN %(start)s AND %(end)s AND b.amount_due > 0
GROUP BY GROUPING SETS ((left(b.region_code, 2), CASE WHEN length(b.region_code) > 2 THEN b.region_code END),
                        (left(b.region_code, 2)))
"""
REGION_CLAIMS_SQL = """
SELECT coalesce(c.regency_code, left(c.regency_code, 2)), grouping(c.regency_code),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY
         (c.paid_at AT TIME ZONE 'Asia/Jakarta')::date - (c.submitted_at AT TIME ZONE 'Asia/Jakarta')::date)
FROM benefits_claim c
WHERE c.paid_at IS NOT NULL AND (c.paid_at AT TIME ZONE 'Asia/Jakarta')::date BETWEEN %(start)s AND %(end)s
GROUP BY GROUPING SETS ((left(c.regency_code, 2), c.regency_code), (left(c.regency_code, 2)))
"""
EMPLOYER_SQL = f"""
SELECT e.id,
       count(DISTINCT m.person_id) FILTER (WHERE {START} AND m.segment = 'PU') AS workers_start,
       count(DISTINCT m.person_id) FILTER (WHERE {END} AND m.segment = 'PU') AS workers_end,
       EXISTS (SELECT 1 FROM contributions_bill b WHERE b.employer_id = e.id AND b.due_date <= %(end)s
               AND b.paid_amount < b.amount_due) AS in_arrears,
       (SELECT sum(least(b.paid_amount, b.amount_due)) FROM contributions_bill b
        WHERE b.employer_id = e.id AND b.due_date BETWEEN %(start)s AND %(end)s AND b.amount_due > 0) AS paid,
       (SELECT sum(b.amount_due) FROM contributions_bill b
        WHERE b.employer_id = e.id AND b.due_date BETWEEN %(start)s AND %(end)s AND b.amount_due > 0) AS due
FROM registry_employer e LEFT JOIN registry_membership m ON m.employer_id = e.id
WHERE e.id = ANY(%(ids)s)
GROUP BY e.id
"""
EMPLOYER_CLAIMS_SQL = """
SELECT m.employer_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY
         (c.paid_at AT TIME ZONE 'Asia/Jakarta')::date - (c.submitted_at AT TIME ZONE 'Asia/Jakarta')::date)
FROM benefits_claim c JOIN registry_membership m ON m.id = c.membership_id
WHERE c.paid_at IS NOT NULL AND (c.paid_at AT TIME ZONE 'Asia/Jakarta')::date BETWEEN %(start)s AND %(end)s
  AND m.employer_id = ANY(%(ids)s)
GROUP BY m.employer_id
"""


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def region_values(start: date, end: date, year: int) -> dict[str, dict[str, Decimal | None]]:
    """Every region's (regency/city and province) indicator values for the period."""
    params: dict[str, Any] = {"start": start, "end": end, "year": year, "tags": VULNERABLE_TAGS}
    out: dict[str, dict[str, Decimal | None]] = {}
    with connection.cursor() as cursor:
        cursor.execute(DENOMINATOR_SQL, params)
        employed = dict(cursor.fetchall())
        cursor.execute(BUDGET_SQL, params)
        budget = dict(cursor.fetchall())
        cursor.execute(REGULATION_SQL, params)
        regulations = dict(cursor.fetchall())
        cursor.execute(REGION_COMPLIANCE_SQL, params)
        compliance = {code: share(paid, due) for code, _, paid, due in cursor.fetchall()}
        cursor.execute(REGION_CLAIMS_SQL, params)
        claims = {code: _dec(days) for code, _, days in cursor.fetchall()}
        cursor.execute(REGION_SQL, params)
        for row in cursor.fetchall():
            code, _, _, active, pu0, pu1, bpu0, bpu1, emp0, emp1, vulnerable = row
            out[code] = {
                "coverage_rate": share(active, employed.get(code, 0)),
                "pu_growth": growth(pu0, pu1),
                "bpu_growth": growth(bpu0, bpu1),
                "employer_growth": growth(emp0, emp1),
                "non_asn_vulnerable": Decimal(vulnerable),
            }
    for code in set(out) | set(budget) | set(regulations) | set(compliance) | set(claims):
        values = out.setdefault(code, {})
        values["apbd_allocation"] = Decimal(budget.get(code, 0))
        values["regulations"] = Decimal(regulations.get(code, 0))
        values["compliance"] = compliance.get(code)
        values["claims_days"] = claims.get(code)
    return out


def employer_values(ids: list[int], start: date, end: date) -> dict[int, tuple[dict[str, Decimal | None], str]]:
    """Each employer's values, and the entry rule it fails ("" when it may stand)."""
    params: dict[str, Any] = {"start": start, "end": end, "ids": ids}
    out: dict[int, tuple[dict[str, Decimal | None], str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(EMPLOYER_CLAIMS_SQL, params)
        claims = {employer: _dec(days) for employer, days in cursor.fetchall()}
        cursor.execute(EMPLOYER_SQL, params)
        for employer, w0, w1, in_arrears, paid, due in cursor.fetchall():
            exclusion = "arrears" if in_arrears else "no_workers" if w1 == 0 else ""
            values = {
                "workers_active": Decimal(w1),
                "workers_growth": growth(w0, w1),
                "compliance": share(paid or 0, due) if due else None,
                "claims_days": claims.get(employer),
            }
            out[employer] = (values, exclusion)
    return out
