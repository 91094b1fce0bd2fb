"""Reads for coverage monitoring: every figure from the monthly rollups (models.CoverageMonth), never
from the registry per request; shares against a named denominator; small cells suppressed for
roles that see aggregates only (rules/indicators.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone

from paritrana.accounts.scope import Scope, scope_for
from paritrana.benefits.models import Claim
from paritrana.benefits.rules.claims import PROGRAMME
from paritrana.core.errors import NotFound, PermissionDenied
from paritrana.core.models import BatchRun
from paritrana.core.periods import month_end, month_start, shift_month
from paritrana.core.rules.sources import public_source
from paritrana.enrolment.models import SponsorBudget
from paritrana.law.selectors import parameters_on
from paritrana.regions.models import Region

from .models import Denominator, Target
from .rules.indicators import (
    AGE_BANDS,
    DENOMINATOR_KINDS,
    INDICATORS,
    SUPPRESS_BELOW,
    parity,
    share,
    split_recomposition,
    suppress,
    year_end_projection,
)


@dataclass(frozen=True)
class View:
    """What a user may see of coverage: which provinces and regencies, and whether small counts hide."""

    provinces: frozenset[str] | None  # None: all
    regencies: frozenset[str] | None
    aggregates_only: bool
    national: bool


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


def latest_period(today: date | None = None) -> date | None:
    """The month a dashboard opens on: the newest rolled-up month before the current one, whose
    bills have had time to be paid (the nightly job also rolls up the current month, whose count
    grows until the 15th of the next); the current month only when it is the one rolled up."""
    periods = rolled_up_periods()
    current = month_start(today or timezone.localdate())
    return next((p for p in periods if p < current), periods[0] if periods else None)


def rolled_up_periods(limit: int = 36) -> list[date]:
    """The months with a rollup, newest first, from the batch ledger: a DISTINCT over the rollup
    table itself would read every cell of every month on each page view."""
    done = BatchRun.objects.filter(job="coverage_rollup", status=BatchRun.Status.DONE).values_list("params", flat=True)
    months = {date.fromisoformat(p["period"]) for p in done if isinstance(p, dict) and "period" in p}
    return sorted(months, reverse=True)[:limit]


def rolled_up_at(period: date) -> Any:
    """When the month's figures were last computed (the rollup's finish in the batch ledger): the
    date a page gives its "aktif" count, so a reader knows how fresh it is (issue 27 §6)."""
    return (
        BatchRun.objects.filter(job="coverage_rollup", status=BatchRun.Status.DONE, params__period=period.isoformat())
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )


def _described(row: Denominator) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "label": DENOMINATOR_KINDS[row.kind],
        "year": row.year,
        "value": row.value,
        "women": row.women,
        "disability": row.disability,
        "source": public_source(row.source),
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
        "women_parity": parity(women, active, denominator["women"], denominator["value"]) if denominator else None,
    }


def province_table(*, user: Any, period: date, kind: str = "employed", segment: str = "") -> list[dict[str, Any]]:
    """One row per province the user may see (all 38 for national views), with its coverage."""
    view = view_for(user)
    provinces = Region.objects.filter(level=1).order_by("code")
    if view.provinces is not None:
        provinces = provinces.filter(code__in=view.provinces)
    with connection.cursor() as cursor:
        # The per-province rollup (38 × segments rows), not the month's every cell.
        cursor.execute(
            "SELECT province_code, sum(active), sum(women), sum(disability) FROM coverage_province_month"
            " WHERE period = %s" + (" AND segment = %s" if segment else "") + " GROUP BY 1",
            (period, *([segment] if segment else [])),
        )
        sums = {k: (a, w, d) for k, a, w, d in cursor.fetchall()}
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
    first = shift_month(period, -(months - 1))
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
    axis = [shift_month(period, -n) for n in range(months - 1, -1, -1)]
    denominators = _denominators([r.code for r in regencies], period.year, kind)
    rows = []
    for r in regencies:
        row = _row(r.code, r.name, sums.get(r.code, (0, 0, 0)), denominators.get(r.code), view)
        series = [trend.get(r.code, {}).get(m, 0) for m in axis]
        row["trend"] = [suppress(v, aggregates_only=view.aggregates_only) or 0 for v in series]
        rows.append(row)
    return rows


def region_report(*, user: Any, region: str, period: date, kind: str = "employed") -> dict[str, Any]:
    """One region (""/"ID": Indonesia; a province "64"; a regency "64.02") for one month: active
    participants by segment, sex, disability, age band and tag; coverage against the denominator;
    targets and their gaps. The CLI's and the API's answer."""
    view = view_for(user)
    code, where, params, name = _place(view, region)
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
    targets = _targets(code, period, total, segments)
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
        "parity": _parity(total, by(1).get("P", 0), by(2).get("True", 0), denominator),
        "targets": targets,
    }


def _place(view: View, region: str) -> tuple[str, str, tuple[str, ...], str]:
    """(code, SQL condition, its parameters, name) of a region the view may see: ""/"ID" Indonesia,
    a province "64", a regency/city "64.02"; NotFound otherwise."""
    code = "" if region in ("", "ID") else region
    if code == "":
        if not view.national:
            raise NotFound("Wilayah")
        return "", "", (), "Indonesia"
    place = Region.objects.filter(code=code, level__in=(1, 2)).first()
    if place is None:
        raise NotFound("Wilayah")
    if view.provinces is not None and (
        code[:2] not in view.provinces or (len(code) > 2 and view.regencies is not None and code not in view.regencies)
    ):
        raise NotFound("Wilayah")
    column = "province_code" if len(code) == 2 else "regency_code"
    return code, f"{column} = %s", (code,), place.name


def _parity(total: int, women: int, disabled: int, denominator: dict[str, Any] | None) -> dict[str, Any]:
    """Women's and disabled persons' parity against the denominator's breakdown (rules: parity)."""
    workforce = denominator["value"] if denominator else None
    return {
        "women": parity(women, total, denominator.get("women") if denominator else None, workforce),
        "disability": parity(disabled, total, denominator.get("disability") if denominator else None, workforce),
        "women_share": share(women, total),
        "women_share_workforce": share(denominator["women"], workforce)
        if denominator and denominator.get("women")
        else None,
        "disability_share": share(disabled, total),
        "disability_share_workforce": share(denominator["disability"], workforce)
        if denominator and denominator.get("disability")
        else None,
    }


def _series(code: str, first: date, last: date, segment: str = "") -> dict[date, int]:
    """Active participants per month from ``first`` to ``last`` for Indonesia (""), a province or a
    regency: from the per-province rollup where it suffices."""
    params: tuple[str, ...]
    if len(code) > 2:
        table, where, params = "coverage_month", " AND regency_code = %s", (code,)
    else:
        table = "coverage_province_month"
        where, params = (" AND province_code = %s", (code,)) if code else ("", ())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT period, sum(active) FROM {table} WHERE period BETWEEN %s AND %s{where}"
            + (" AND segment = %s" if segment else "")
            + " GROUP BY 1",
            (first, last, *params, *([segment] if segment else [])),
        )
        return {month: int(n) for month, n in cursor.fetchall()}


def _targets(code: str, period: date, total: int, segments: dict[str, int]) -> list[dict[str, Any]]:
    """The year's targets of the region with the gap now, the months of the year so far and the
    December figure their average monthly change leads to (rules: year_end_projection)."""
    out = []
    for t in Target.objects.filter(region_id=code or None, year=period.year).order_by("segment"):
        now = segments.get(t.segment, 0) if t.segment else total
        known = _series(code, date(period.year, 1, 1), period, t.segment)
        months = [date(period.year, m, 1) for m in range(1, period.month + 1)]
        series = [known[m] for m in months if m in known]
        projected = year_end_projection(series, 12 - period.month)
        out.append(
            {
                "segment": t.segment or "all",
                "value": t.value,
                "source": public_source(t.source),
                "gap": t.value - now,
                "trend": [{"period": m.strftime("%Y-%m"), "active": known[m]} for m in months if m in known],
                "projected_december": projected,
                "on_track": None if projected is None else projected >= t.value,
            }
        )
    return out


def trend(*, user: Any, region: str, period: date, months: int = 12, segment: str = "") -> list[dict[str, Any]]:
    """Active participants of the region over the last ``months`` months, oldest first; a month
    never rolled up is left out rather than shown as zero."""
    view = view_for(user)
    code, _, _, _ = _place(view, region)
    first = shift_month(period, -(months - 1))
    known = _series(code, first, period, segment)
    done = set(rolled_up_periods(limit=1000))
    axis = [m for m in (shift_month(period, -n) for n in range(months - 1, -1, -1)) if m in done]
    return [
        {"period": m.strftime("%Y-%m"), "active": suppress(known.get(m, 0), aggregates_only=view.aggregates_only)}
        for m in axis
    ]


def summary(*, user: Any, region: str, period: date, kind: str = "employed") -> dict[str, Any]:
    """The head of a dashboard: active participants, by segment, coverage, parity and targets, for
    Indonesia or a province from the per-province rollup (a few rows), for a regency from its cells."""
    view = view_for(user)
    code, where, params, name = _place(view, region)
    table = "coverage_month" if len(code) > 2 else "coverage_province_month"
    women_sql, disabled_sql = (
        ("sum(active) FILTER (WHERE sex = 'P')", "sum(active) FILTER (WHERE disability)")
        if table == "coverage_month"
        else ("sum(women)", "sum(disability)")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT segment, sum(active), coalesce({women_sql}, 0), coalesce({disabled_sql}, 0) FROM {table}"
            f" WHERE period = %s{' AND ' + where if where else ''} GROUP BY 1 ORDER BY 1",
            (period, *params),
        )
        rows = [(seg, int(a), int(w), int(d)) for seg, a, w, d in cursor.fetchall()]
    total = sum(r[1] for r in rows)
    segments = {r[0]: r[1] for r in rows}
    denominator = _denominator(code or None, period.year, kind)
    hide = view.aggregates_only
    return {
        "region": code or "ID",
        "name": name,
        "period": period.strftime("%Y-%m"),
        "active": suppress(total, aggregates_only=hide),
        "by_segment": {k: suppress(v, aggregates_only=hide) for k, v in segments.items()},
        "denominator": denominator,
        "coverage": share(total, denominator["value"]) if denominator else None,
        "parity": _parity(total, sum(r[2] for r in rows), sum(r[3] for r in rows), denominator),
        "targets": _targets(code, period, total, segments),
    }


PROGRAMMES = ("JKK", "JKM", "JHT", "JP", "JKP", "PMI", "BEASISWA")
PROGRAMME_LABELS = {
    "JKK": "Jaminan Kecelakaan Kerja",
    "JKM": "Jaminan Kematian",
    "JHT": "Jaminan Hari Tua",
    "JP": "Jaminan Pensiun",
    "JKP": "Jaminan Kehilangan Pekerjaan",
    "PMI": "Paket PMI (JKK dan JKM pekerja migran)",
    "BEASISWA": "Beasiswa (dari JKK atau JKM)",
}


def _inflows(where: str, params: tuple[Any, ...], first: date, last: date) -> tuple[dict[str, int], int, int]:
    """Contributions per programme summed over the months ``first``..``last``, with the JKP
    recomposition taken out of JKK and JKM at each month's rates; (programmes, employers, lines)."""
    totals = dict.fromkeys(PROGRAMMES, 0)
    employers = lines = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT period, sum(employers), sum(lines), sum(jkk), sum(jkm), sum(jht), sum(jp), sum(jkp_government),"
            " sum(jkp_recomposed), sum(pmi_package) FROM coverage_finance_month"
            f" WHERE period BETWEEN %s AND %s{' AND ' + where if where else ''} GROUP BY 1",
            (first, last, *params),
        )
        months = cursor.fetchall()
    for month, emp, n, jkk, jkm, jht, jp, jkp_gov, recomposed, pmi in months:
        rates = parameters_on(month)
        from_jkk, from_jkm = split_recomposition(
            recomposed, rates.get("jkp.rate.recomposed_jkk"), rates.get("jkp.rate.recomposed_jkm")
        )
        for key, amount in (("JKK", jkk - from_jkk), ("JKM", jkm - from_jkm), ("JHT", jht), ("JP", jp),
                            ("JKP", jkp_gov + recomposed), ("PMI", pmi)):  # fmt: skip
            totals[key] += int(amount)
        if month == last:
            employers, lines = int(emp), int(n)
    return totals, employers, lines


def _outflows(where: str, params: tuple[Any, ...], first: date, last: date) -> dict[str, tuple[int, int, int]]:
    """Claims paid per programme over the months: (claims, benefit amount, late-payment penalty)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT programme, sum(claims), sum(amount), sum(penalty) FROM coverage_claim_month"
            f" WHERE period BETWEEN %s AND %s{' AND ' + where if where else ''} GROUP BY 1",
            (first, last, *params),
        )
        return {p: (int(n), int(a), int(x)) for p, n, a, x in cursor.fetchall()}


def finance_report(*, user: Any, region: str, period: date) -> dict[str, Any]:
    """Employers covered, contributions collected per programme, claims paid per programme (the
    month and the year to date), and — for Indonesia — each programme's fund flow since the first
    rolled-up month (rules/indicators.py "fund_flow"). From the rollups only."""
    view = view_for(user)
    code, where, params, name = _place(view, region)
    hide = view.aggregates_only
    month_in, employers, lines = _inflows(where, params, period, period)
    year_in, _, _ = _inflows(where, params, date(period.year, 1, 1), period)
    month_out = _outflows(where, params, period, period)
    year_out = _outflows(where, params, date(period.year, 1, 1), period)

    def claims(entry: tuple[int, int, int] | None) -> dict[str, Any]:
        n, amount, penalty = entry or (0, 0, 0)
        small = hide and 0 < n < SUPPRESS_BELOW  # one claim's amount is one family's benefit
        return {"claims": None if small else n, "amount": None if small else amount,
                "penalty": None if small else penalty}  # fmt: skip

    programmes = [
        {
            "programme": p,
            "label": PROGRAMME_LABELS[p],
            "contributions": month_in[p],
            "contributions_year": year_in[p],
            "paid": claims(month_out.get(p)),
            "paid_year": claims(year_out.get(p)),
        }
        for p in PROGRAMMES
    ]
    report: dict[str, Any] = {
        "region": code or "ID",
        "name": name,
        "period": period.strftime("%Y-%m"),
        "definitions": {k: INDICATORS[k].definition for k in ("employers", "contributions", "claims_paid")},
        "employers": suppress(employers, aggregates_only=hide),
        "paid_lines": suppress(lines, aggregates_only=hide),
        "contributions": sum(month_in.values()),
        "programmes": programmes,
        "fund_flow": None,
    }
    if code == "":
        periods = rolled_up_periods(limit=1000)
        first = min(periods) if periods else period
        total_in, _, _ = _inflows("", (), first, period)
        total_out = _outflows("", (), first, period)
        report["fund_flow"] = {
            "since": first.strftime("%Y-%m"),
            "definition": INDICATORS["fund_flow"].definition,
            "programmes": [
                {
                    "programme": p,
                    "label": PROGRAMME_LABELS[p],
                    "contributions": total_in[p],
                    "benefits": sum(total_out.get(p, (0, 0, 0))[1:]),
                    "balance": total_in[p] - sum(total_out.get(p, (0, 0, 0))[1:]),
                }
                for p in PROGRAMMES
            ],
        }
    return report


def finance_table(*, user: Any, period: date, province: str = "") -> list[dict[str, Any]]:
    """Per province (or, within ``province``, per regency/city) for the month: employers covered,
    contributions collected, claims paid and their amount."""
    view = view_for(user)
    params: tuple[str, ...]
    if province:
        _place(view, province)
        places = Region.objects.filter(level=2, parent_id=province).order_by("code")
        if view.regencies is not None:
            places = places.filter(code__in=view.regencies)
        key, where, params = "regency_code", " AND province_code = %s", (province,)
    else:
        places = Region.objects.filter(level=1).order_by("code")
        if view.provinces is not None:
            places = places.filter(code__in=view.provinces)
        key, where, params = "province_code", "", ()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {key}, sum(employers), sum(jkk + jkm + jht + jp + jkp_government + pmi_package)"
            f" FROM coverage_finance_month WHERE period = %s{where} GROUP BY 1",
            (period, *params),
        )
        money = {code: (int(e), int(c)) for code, e, c in cursor.fetchall()}
        cursor.execute(
            f"SELECT {key}, sum(claims), sum(amount) FROM coverage_claim_month WHERE period = %s{where} GROUP BY 1",
            (period, *params),
        )
        paid = {code: (int(n), int(a)) for code, n, a in cursor.fetchall()}
    hide = view.aggregates_only
    rows = []
    for place in places:
        employers, contributions = money.get(place.code, (0, 0))
        claims, amount = paid.get(place.code, (0, 0))
        small = hide and 0 < claims < SUPPRESS_BELOW
        rows.append(
            {
                "code": place.code,
                "name": place.name,
                "employers": suppress(employers, aggregates_only=hide),
                # The JKP recomposition is inside JKK and JKM as billed: counted once here.
                "contributions": contributions,
                "claims": None if small else claims,
                "claims_amount": None if small else amount,
            }
        )
    return rows


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
        paid_at__date__lte=month_end(period),
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
        "benefits_until": month_end(period).isoformat(),
    }


# -- set-based facts for other apps' bulk reports (the award's indicators) ----------------------------


def employed_by_region(*, year: int) -> dict[str, int]:
    """Each region's newest "employed" denominator of ``year`` or before."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (region_id) region_id, value FROM coverage_denominator
            WHERE kind = 'employed' AND year <= %(year)s AND region_id IS NOT NULL
            ORDER BY region_id, year DESC
            """,
            {"year": year},
        )
        return dict(cursor.fetchall())


def regulations_by_region(*, start: date, end: date) -> dict[str, int]:
    """How many regulations each region's head recorded as Inpres 2/2021 follow-up in [start, end]."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.region_id, count(*) FROM coverage_followupaction f
            JOIN coverage_addressee a ON a.id = f.addressee_id
            WHERE f.kind = 'regulation' AND f.taken_on BETWEEN %(start)s AND %(end)s AND a.region_id IS NOT NULL
            GROUP BY a.region_id
            """,
            {"start": start, "end": end},
        )
        return dict(cursor.fetchall())
