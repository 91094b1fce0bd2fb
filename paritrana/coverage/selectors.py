"""Reads for coverage monitoring: every figure from the monthly rollups (models.CoverageMonth), never
from the registry per request; shares against a named denominator; small cells suppressed for
roles that see aggregates only (rules/indicators.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Max

from paritrana.accounts.scope import Scope, scope_for
from paritrana.benefits.models import Claim
from paritrana.benefits.rules.claims import PROGRAMME
from paritrana.core.errors import NotFound, PermissionDenied
from paritrana.core.models import BatchRun
from paritrana.enrolment.models import SponsorBudget
from paritrana.regions.models import Region

from .models import CoverageMonth, Denominator, Target
from .rules.indicators import AGE_BANDS, DENOMINATOR_KINDS, INDICATORS, share, suppress


@dataclass(frozen=True)
class View:
    """What a user may see of coverage: which provinces and regencies, and whether small counts hide."""

    provinces: frozenset[str] | None  # None: all
    regencies: frozenset[str] | None
    aggregates_only: bool
    national: bool


# The command line runs on the server, as its operator: national, unsuppressed.
CLI_VIEW = View(None, None, aggregates_only=False, national=True)


def view_for(user: Any) -> View:
    if isinstance(user, View):
        return user
    scope: Scope = scope_for(user)
    if scope.everything:
        return View(None, None, aggregates_only=False, national=True)
    if scope.role == "coordination_viewer" or scope.role == "award_jury":
        return View(None, None, aggregates_only=True, national=True)
    if scope.is_regional:
        return View(frozenset(scope.provinces), frozenset(scope.regencies), aggregates_only=False, national=False)
    raise PermissionDenied("Peran Anda tidak melihat pemantauan cakupan.")


def latest_period() -> date | None:
    return CoverageMonth.objects.aggregate(p=Max("period"))["p"]


def rolled_up_periods(limit: int = 36) -> list[date]:
    """The months with a rollup, newest first, from the batch ledger: a DISTINCT over the rollup
    table itself would read every cell of every month on each page view."""
    done = BatchRun.objects.filter(job="coverage_rollup", status=BatchRun.Status.DONE).values_list("params", flat=True)
    months = {date.fromisoformat(p["period"]) for p in done if isinstance(p, dict) and "period" in p}
    return sorted(months, reverse=True)[:limit]


def _described(row: Denominator) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "label": DENOMINATOR_KINDS[row.kind],
        "year": row.year,
        "value": row.value,
        "source": row.source,
        "illustrative": row.illustrative,
    }


def _denominator(region_code: str | None, year: int, kind: str) -> dict[str, Any] | None:
    """The figure for the year, or the latest earlier year's (Sakernas is published each August)."""
    rows = Denominator.objects.filter(kind=kind, year__lte=year).order_by("-year")
    row = (rows.filter(region_id=region_code) if region_code else rows.filter(region__isnull=True)).first()
    return _described(row) if row else None


def _denominators(level_codes: list[str], year: int, kind: str) -> dict[str, dict[str, Any]]:
    """The same for many regions at once; a later year overwrites an earlier one."""
    rows = Denominator.objects.filter(region_id__in=level_codes, kind=kind, year__lte=year).order_by("year")
    return {row.region_id or "": _described(row) for row in rows}


def _sum_by(
    key: str, *, period: date, where: str = "", params: tuple[Any, ...] = (), segment: str = ""
) -> list[tuple[Any, ...]]:
    """(key, active, women, disability) summed from the month's rollup rows."""
    conditions = ["period = %s"] + ([where] if where else []) + (["segment = %s"] if segment else [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT {key}, sum(active), sum(active) FILTER (WHERE sex = 'P'), sum(active) FILTER (WHERE disability)
            FROM coverage_month WHERE {" AND ".join(conditions)}
            GROUP BY 1 ORDER BY 1
            """,
            (period, *params, *([segment] if segment else [])),
        )
        return cursor.fetchall()


def _row(
    code: str, name: str, counts: tuple[Any, ...], denominator: dict[str, Any] | None, view: View
) -> dict[str, Any]:
    active, women, disabled = (int(x or 0) for x in counts)
    return {
        "code": code,
        "name": name,
        "active": suppress(active, aggregates_only=view.aggregates_only),
        "women": suppress(women, aggregates_only=view.aggregates_only),
        "women_share": share(women, active),
        "disability": suppress(disabled, aggregates_only=view.aggregates_only),
        "disability_share": share(disabled, active),
        "denominator": denominator,
        "coverage": share(active, denominator["value"]) if denominator else None,
    }


def province_table(*, user: Any, period: date, kind: str = "employed", segment: str = "") -> list[dict[str, Any]]:
    """One row per province the user may see (all 38 for national views), with its coverage."""
    view = view_for(user)
    provinces = Region.objects.filter(level=1).order_by("code")
    if view.provinces is not None:
        provinces = provinces.filter(code__in=view.provinces)
    sums = {k: (a, w, d) for k, a, w, d in _sum_by("province_code", period=period, segment=segment)}
    denominators = _denominators([p.code for p in provinces], period.year, kind)
    return [_row(p.code, p.name, sums.get(p.code, (0, 0, 0)), denominators.get(p.code), view) for p in provinces]


def regency_table(
    *, user: Any, province: str, period: date, kind: str = "employed", segment: str = "", months: int = 12
) -> list[dict[str, Any]]:
    """The province's regencies/cities with coverage and a trend of active participants over the
    last ``months`` months (oldest first), for the sparklines."""
    view = view_for(user)
    if view.provinces is not None and province not in view.provinces:
        raise NotFound("Provinsi")
    regencies = Region.objects.filter(level=2, parent_id=province).order_by("code")
    if view.regencies is not None:
        regencies = regencies.filter(code__in=view.regencies)
    sums = {
        k: (a, w, d)
        for k, a, w, d in _sum_by(
            "regency_code", period=period, where="province_code = %s", params=(province,), segment=segment
        )
    }
    first = months_back(period, months - 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT regency_code, period, sum(active) FROM coverage_month"
            " WHERE province_code = %s AND period BETWEEN %s AND %s"
            + (" AND segment = %s" if segment else "")
            + " GROUP BY 1, 2",
            (province, first, period, *([segment] if segment else [])),
        )
        trend: dict[str, dict[date, int]] = {}
        for code, month, active in cursor.fetchall():
            trend.setdefault(code, {})[month] = int(active)
    axis = [months_back(period, n) for n in range(months - 1, -1, -1)]
    denominators = _denominators([r.code for r in regencies], period.year, kind)
    rows = []
    for r in regencies:
        row = _row(r.code, r.name, sums.get(r.code, (0, 0, 0)), denominators.get(r.code), view)
        series = [trend.get(r.code, {}).get(m, 0) for m in axis]
        row["trend"] = [suppress(v, aggregates_only=view.aggregates_only) or 0 for v in series]
        rows.append(row)
    return rows


def months_back(period: date, n: int) -> date:
    index = period.year * 12 + period.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def region_report(*, user: Any, region: str, period: date, kind: str = "employed") -> dict[str, Any]:
    """One region (""/"ID": Indonesia; a province "64"; a regency "64.02") for one month: active
    participants by segment, sex, disability, age band and tag; coverage against the denominator;
    targets and their gaps. The CLI's and the API's answer."""
    view = view_for(user)
    code = "" if region in ("", "ID") else region
    params: tuple[str, ...]
    if code == "":
        if not view.national:
            raise NotFound("Wilayah")
        where, params, name = "", (), "Indonesia"
    else:
        place = Region.objects.filter(code=code, level__in=(1, 2)).first()
        if place is None:
            raise NotFound("Wilayah")
        if view.provinces is not None and (
            code[:2] not in view.provinces
            or (len(code) > 2 and view.regencies is not None and code not in view.regencies)
        ):
            raise NotFound("Wilayah")
        where, params, name = (
            ("province_code = %s", (code,), place.name)
            if len(code) == 2
            else ("regency_code = %s", (code,), place.name)
        )
    conditions = " AND ".join(["period = %s"] + ([where] if where else []))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT segment, sex, disability, age_band, sum(active) FROM coverage_month
            WHERE {conditions} GROUP BY 1, 2, 3, 4
            """,
            (period, *params),
        )
        cells = [(s, x, d, b, int(a)) for s, x, d, b, a in cursor.fetchall()]
        cursor.execute(
            f"SELECT tag, sum(active) FROM coverage_tag_month WHERE {conditions} GROUP BY 1 ORDER BY 1",
            (period, *params),
        )
        tags = {tag: int(a) for tag, a in cursor.fetchall()}
    total = sum(c[4] for c in cells)

    def by(index: int) -> dict[str, int]:
        out: dict[str, int] = {}
        for cell in cells:
            out[str(cell[index])] = out.get(str(cell[index]), 0) + cell[4]
        return out

    hide = view.aggregates_only
    segments = by(0)
    targets = [
        {
            "segment": t.segment or "all",
            "value": t.value,
            "source": t.source,
            "gap": t.value - (segments.get(t.segment, 0) if t.segment else total),
        }
        for t in Target.objects.filter(region_id=code or None, year=period.year).order_by("segment")
    ]
    denominator = _denominator(code or None, period.year, kind)
    return {
        "region": code or "ID",
        "name": name,
        "period": period.strftime("%Y-%m"),
        "indicator": {"code": "active", "definition": INDICATORS["active"].definition},
        "active": suppress(total, aggregates_only=hide),
        "by_segment": {k: suppress(v, aggregates_only=hide) for k, v in sorted(segments.items())},
        "by_sex": {k: suppress(v, aggregates_only=hide) for k, v in sorted(by(1).items())},
        "by_disability": {
            ("yes" if k == "True" else "no"): suppress(v, aggregates_only=hide) for k, v in sorted(by(2).items())
        },
        "by_age_band": {
            AGE_BANDS[int(k)][2]: suppress(v, aggregates_only=hide)
            for k, v in sorted(by(3).items(), key=lambda kv: int(kv[0]))
        },
        "by_tag": {k: suppress(v, aggregates_only=hide) for k, v in tags.items()},
        "denominator": denominator,
        "coverage": share(total, denominator["value"]) if denominator else None,
        "targets": targets,
    }


def _month_end(period: date) -> date:
    following = months_back(period, -1)
    return date.fromordinal(following.toordinal() - 1)


def monev_report(*, user: Any, province: str, period: date, kind: str = "employed") -> dict[str, Any]:
    """A province's monitoring-and-evaluation report for one month (scenario S3): coverage by segment,
    sex and disability; its regencies/cities, and which have not budgeted the participation of their
    non-ASN and vulnerable workers (no APBD allocation recorded for the year); benefits paid this
    year by programme."""
    report = region_report(user=user, region=province, period=period, kind=kind)
    regencies = regency_table(user=user, province=province, period=period, kind=kind, months=1)
    budgeted = set(
        SponsorBudget.objects.filter(
            year=period.year, allocation__gt=0, sponsor__kind="apbd_regency", sponsor__regency__parent_id=province
        ).values_list("sponsor__regency_id", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT regency_code, sum(active) FROM coverage_tag_month WHERE period = %s AND province_code = %s"
            " AND tag IN ('non_asn', 'vulnerable') GROUP BY 1",
            (period, province),
        )
        tagged = {code: int(n) for code, n in cursor.fetchall()}
    hide = view_for(user).aggregates_only
    for row in regencies:
        row["budgeted"] = row["code"] in budgeted
        row["non_asn_vulnerable"] = suppress(tagged.get(row["code"], 0), aggregates_only=hide)
    paid: dict[str, dict[str, Any]] = {}
    claims = Claim.objects.filter(
        state="paid",
        regency__parent_id=province,
        paid_at__date__gte=date(period.year, 1, 1),
        paid_at__date__lte=_month_end(period),
    ).values_list("benefit", "amount")
    for benefit, amount in claims:
        programme = PROGRAMME.get(benefit) or "Beasiswa"
        entry = paid.setdefault(programme, {"programme": programme, "claims": 0, "amount": 0})
        entry["claims"] += 1
        entry["amount"] += int(amount)
    return {
        **report,
        "regencies": regencies,
        "not_budgeted": [r["name"] for r in regencies if not r["budgeted"]],
        "benefits_paid": sorted(paid.values(), key=lambda e: e["programme"]),
        "benefits_from": date(period.year, 1, 1).isoformat(),
        "benefits_until": _month_end(period).isoformat(),
    }
