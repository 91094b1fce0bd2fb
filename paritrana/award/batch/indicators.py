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

Each fact is read, set-based, by a selector of the app that owns it (registry, coverage, enrolment,
contributions, benefits); this module only combines them by the award's rules.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from paritrana.benefits import selectors as benefits
from paritrana.contributions import selectors as contributions
from paritrana.coverage import selectors as coverage
from paritrana.enrolment import selectors as enrolment
from paritrana.registry import selectors as registry

from ..rules.award import growth, share

VULNERABLE_TAGS = ["non_asn", "ppnpn", "village_apparatus", "vulnerable"]


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def region_values(start: date, end: date, year: int) -> dict[str, dict[str, Decimal | None]]:
    """Every region's (regency/city and province) indicator values for the period."""
    employed = coverage.employed_by_region(year=year)
    budget = enrolment.apbd_allocation_by_region(year=year)
    regulations = coverage.regulations_by_region(start=start, end=end)
    compliance = {
        code: share(paid, due)
        for code, (paid, due) in contributions.paid_and_due_by_region(start=start, end=end).items()
    }
    claims = {code: _dec(days) for code, days in benefits.median_days_to_pay_by_region(start=start, end=end).items()}
    out: dict[str, dict[str, Decimal | None]] = {}
    for code, n in registry.counts_in_force_by_region(start=start, end=end, tags=VULNERABLE_TAGS).items():
        out[code] = {
            "coverage_rate": share(n["active_end"], employed.get(code, 0)),
            "pu_growth": growth(n["pu_start"], n["pu_end"]),
            "bpu_growth": growth(n["bpu_start"], n["bpu_end"]),
            "employer_growth": growth(n["employers_start"], n["employers_end"]),
            "non_asn_vulnerable": Decimal(n["tagged_end"]),
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
    claims = {
        e: _dec(days) for e, days in benefits.median_days_to_pay_by_employer(ids=ids, start=start, end=end).items()
    }
    bills = contributions.employer_bills(ids=ids, start=start, end=end)
    out: dict[int, tuple[dict[str, Decimal | None], str]] = {}
    for employer, (w0, w1) in registry.employer_workers(ids=ids, start=start, end=end).items():
        in_arrears, paid, due = bills.get(employer, (False, None, None))
        exclusion = "arrears" if in_arrears else "no_workers" if w1 == 0 else ""
        values = {
            "workers_active": Decimal(w1),
            "workers_growth": growth(w0, w1),
            "compliance": share(paid or 0, due) if due else None,
            "claims_days": claims.get(employer),
        }
        out[employer] = (values, exclusion)
    return out
