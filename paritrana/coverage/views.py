"""Coverage dashboards: a tile-grid map of the 38 provinces, province and regency tables with trend
sparklines, breakdowns, CSV/XLSX export. Everything from the rollups (selectors.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from paritrana.core.errors import NotFound, Problem, ValidationFailed
from paritrana.core.exports import PDF_TYPE, Table, file_response, table_response
from paritrana.core.forms import read_form
from paritrana.core.periods import Semester
from paritrana.regions import selectors as regions
from paritrana.registry.rules.codes import MEMBERSHIP_TAGS

from . import choropleth, inpres, selectors
from .models import ActionKind, AddresseeKind
from .report import SEGMENT_LABELS
from .report import monev_pdf as monev_pdf_bytes
from .rules.indicators import DENOMINATOR_KINDS, INDICATORS
from .schemas import ACTION_LABELS, ActionIn
from .tiles import SHORT_NAMES, TILES

SEGMENTS = ("", "PU", "BPU", "JAKON", "PMI")


def _choices(request: HttpRequest) -> dict[str, Any]:
    periods = selectors.rolled_up_periods()
    period = selectors.latest_period()
    wanted = request.GET.get("bulan", "")
    for p in periods:
        if p.strftime("%Y-%m") == wanted:
            period = p
    kind = request.GET.get("penyebut", "employed")
    segment = request.GET.get("segmen", "")
    return {
        "periods": periods,
        "period": period,
        "kind": kind if kind in DENOMINATOR_KINDS else "employed",
        "kinds": DENOMINATOR_KINDS,
        "segment": segment if segment in SEGMENTS else "",
        "segments": SEGMENTS,
        "definitions": INDICATORS,
        "computed_at": selectors.rolled_up_at(period) if period else None,
    }


def _export(rows: list[dict[str, Any]], fmt: str, name: str) -> HttpResponse:
    header = [
        "kode",
        "wilayah",
        "peserta_aktif",
        "perempuan",
        "disabilitas",
        "penyebut",
        "tahun_penyebut",
        "sumber_penyebut",
        "cakupan_persen",
    ]
    table = [
        [r["code"], r["name"], r["active"], r["women"], r["disability"],
         r["denominator"]["value"] if r["denominator"] else None,
         r["denominator"]["year"] if r["denominator"] else None,
         r["denominator"]["source"] if r["denominator"] else None,
         r["coverage"]]
        for r in rows
    ]  # fmt: skip
    return _table_file(header, table, fmt, name, "Cakupan")


def _table_file(header: list[str], table: list[list[Any]], fmt: str, name: str, title: str) -> HttpResponse:
    return table_response(Table(name, header, table, title=title), fmt)


def _colour(coverage: Any) -> str:
    """Five steps of green by coverage percent; grey without a denominator."""
    if coverage is None:
        return "none"
    return "c" + str(min(4, int(coverage // 20)))


def _monitoring_only(request: HttpRequest) -> None:
    """Roles outside coverage monitoring are refused the same way whether or not a month has been
    rolled up yet: a page that answers only while the rollup is empty says nothing true."""
    selectors.view_for(request.user)


@login_required
def national(request: HttpRequest) -> HttpResponse:
    _monitoring_only(request)
    ctx = _choices(request)
    if ctx["period"] is None:
        return render(request, "coverage/national.html", {**ctx, "rows": [], "tiles": []})
    try:
        rows = selectors.province_table(
            user=request.user, period=ctx["period"], kind=ctx["kind"], segment=ctx["segment"]
        )
        report = selectors.summary(user=request.user, region="ID", period=ctx["period"], kind=ctx["kind"])
    except NotFound:
        report = None  # a regional officer: their provinces only, no national total
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return _export(rows, fmt, f"cakupan-provinsi-{ctx['period']:%Y-%m}")
    href = _region_href(ctx)
    rows = [{**r, "href": href(r["code"])} for r in rows]
    tiles = [
        {
            **r,
            "row": TILES[r["code"]][0] + 1,
            "col": TILES[r["code"]][1] + 1,
            "colour": _colour(r["coverage"]),
            "short": SHORT_NAMES[r["code"]],
        }
        for r in rows
        if r["code"] in TILES
    ]
    return render(
        request,
        "coverage/national.html",
        {**ctx, "rows": rows, "tiles": tiles, "report": report, "map": _choropleth(1, "", rows, ctx)},
    )


def _region_href(ctx: dict[str, Any]) -> Callable[[str], str]:
    """A region's coverage page with this page's choices. One ``reverse`` for all the rows: a
    ``{% url %}`` per row and per tile was a fifth of the national page's time."""
    page = reverse("coverage:province", args=["KODE"])
    query = f"?bulan={ctx['period']:%Y-%m}&penyebut={ctx['kind']}&segmen={ctx['segment']}"
    return lambda code: page.replace("KODE", code) + query


def _choropleth(level: int, within: str, rows: list[dict[str, Any]], ctx: dict[str, Any]) -> dict[str, Any] | None:
    """The boundary map coloured like the tiles, each shape linked to its page; None without boundaries."""
    shapes = choropleth.boundary_map(level, within)
    if shapes is None:
        return None
    by_code = {r["code"]: r for r in rows}
    href = _region_href(ctx)
    drawn = []
    for shape in shapes.shapes:
        row = by_code.get(shape.code)
        if row is None:
            continue  # outside the user's scope
        drawn.append(
            {
                "code": shape.code,
                "name": row["name"],
                "d": shape.d,
                "colour": _colour(row["coverage"]),
                "coverage": row["coverage"],
                "active": row["active"],
                "href": href(shape.code),
            }
        )
    # As text: the Indonesian locale would write 1000.0 as "1000,0", which a viewBox cannot read.
    return {"view_box": f"0 0 {shapes.width:.1f} {shapes.height:.1f}", "shapes": drawn}


def _spark(values: list[int], height: int = 24) -> str:
    """An SVG polyline's points for a 100-wide sparkline (24 high unless told)."""
    top = max(values, default=0) or 1
    step = 100 / max(len(values) - 1, 1)
    return " ".join(f"{i * step:.1f},{height - (height - 2) * v / top:.1f}" for i, v in enumerate(values))


@login_required
def province(request: HttpRequest, code: str) -> HttpResponse:
    """A province (its regencies/cities, their map and table) or a regency/city (its trend)."""
    ctx = _choices(request)
    place = regions.region_get(code, levels=(1, 2))
    if place is None or ctx["period"] is None:
        raise Http404("Wilayah")
    rows: list[dict[str, Any]] = []
    series: list[dict[str, Any]] = []
    if place.level == 1:
        rows = selectors.regency_table(
            user=request.user, province=code, period=ctx["period"], kind=ctx["kind"], segment=ctx["segment"]
        )
    else:
        series = selectors.trend(user=request.user, region=code, period=ctx["period"], segment=ctx["segment"])
    report = selectors.region_report(user=request.user, region=code, period=ctx["period"], kind=ctx["kind"])
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx") and place.level == 1:
        return _export(rows, fmt, f"cakupan-{code}-{ctx['period']:%Y-%m}")
    href = _region_href(ctx)
    for row in rows:
        row["spark"] = _spark(row["trend"])
        row["href"] = href(row["code"])
    # The report keys are codes (for programs); the page says them in Indonesian.
    labels = {**SEGMENT_LABELS, **MEMBERSHIP_TAGS, "L": "Laki-laki", "P": "Perempuan",
              "yes": "Penyandang disabilitas", "no": "Bukan penyandang disabilitas"}  # fmt: skip
    bars = {
        title: _bars({labels.get(k, k): v for k, v in values.items()})
        for title, values in (
            ("Segmen", report["by_segment"]),
            ("Jenis kelamin", report["by_sex"]),
            ("Disabilitas", report["by_disability"]),
            ("Kelompok umur", report["by_age_band"]),
            ("Kelompok peserta", report["by_tag"]),
        )
    }
    parent = regions.region_get(code[:2], levels=(1,)) if place.level == 2 else None
    return render(
        request,
        "coverage/province.html",
        {
            **ctx,
            "place": place,
            "parent": parent,
            "rows": rows,
            "report": report,
            "bars": bars,
            "series": series,
            "series_spark": _spark([p["active"] or 0 for p in series], height=60) if series else "",
            "map": _choropleth(2, code, rows, ctx) if place.level == 1 else None,
        },
    )


@login_required
def finance(request: HttpRequest) -> HttpResponse:
    """Employers covered, contributions collected and claims paid per programme for a region and
    month, its provinces or regencies/cities in a table, and for Indonesia each programme's fund flow."""
    _monitoring_only(request)
    ctx = _choices(request)
    region = request.GET.get("wilayah", "ID").strip() or "ID"
    if ctx["period"] is None:
        return render(request, "coverage/finance.html", {**ctx, "report": None, "rows": [], "region": region})
    try:
        report: dict[str, Any] | None = selectors.finance_report(user=request.user, region=region, period=ctx["period"])
    except NotFound:
        if region != "ID":
            raise
        report = None  # a regional officer: their own provinces below, no national total
    rows = (
        selectors.finance_table(user=request.user, period=ctx["period"], province="" if region == "ID" else region)
        if len(region) <= 2
        else []
    )
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        header = ["kode", "wilayah", "pemberi_kerja_tercakup", "iuran_terkumpul", "klaim_dibayar", "manfaat_dibayar"]
        table = [[r["code"], r["name"], r["employers"], r["contributions"], r["claims"], r["claims_amount"]]
                 for r in rows]  # fmt: skip
        return _table_file(header, table, fmt, f"keuangan-{region}-{ctx['period']:%Y-%m}", "Keuangan")
    place = regions.region_get(region) if region != "ID" else None
    return render(
        request,
        "coverage/finance.html",
        {**ctx, "report": report, "rows": rows, "region": region, "place": place},
    )


def _bars(values: dict[str, int | None]) -> list[dict[str, Any]]:
    top = max((v or 0 for v in values.values()), default=0) or 1
    return [{"label": k, "value": v, "width": round(100 * (v or 0) / top)} for k, v in values.items()]


@login_required
def monev_pdf(request: HttpRequest, code: str) -> HttpResponse:
    ctx = _choices(request)
    if ctx["period"] is None or regions.region_get(code, levels=(1,)) is None:
        raise Http404("Provinsi")
    data = selectors.monev_report(user=request.user, province=code, period=ctx["period"], kind=ctx["kind"])
    return file_response(monev_pdf_bytes(data), f"monev-{code}-{ctx['period']:%Y-%m}.pdf", content_type=PDF_TYPE)


# --- Inpres 2/2021 follow-up -----------------------------------------------------------------------


def _provinces_seen(user: Any) -> Any:
    """The provinces a filter offers: those the user's view reaches, not all 38 (issue 27 §6)."""
    view = selectors.view_for(user)
    if view.provinces is None:
        return regions.provinces()
    codes = set(view.provinces) | {code[:2] for code in view.regencies or ()}
    return regions.provinces().filter(code__in=codes)


@login_required
def inpres_matrix(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("jenis", "")
    province = request.GET.get("provinsi", "")
    table = inpres.matrix(user=request.user, kind=kind if kind in AddresseeKind.values else "", province=province)
    today = timezone.localdate()
    return render(
        request,
        "coverage/inpres_matrix.html",
        {
            **table,
            "kinds": AddresseeKind.choices,
            "kind": kind,
            "province": province,
            "provinces": _provinces_seen(request.user),
            "semester": f"{today.year}-{1 if today.month <= 6 else 2}",
        },
    )


@login_required
def inpres_addressee(request: HttpRequest, addressee_id: int) -> HttpResponse:
    problems: list[Problem] = []
    form: dict[str, str] = {}
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in (
            "kind", "taken_on", "description", "evidence", "regulation_type", "regulation_number",
            "budget_year", "budget_amount", "workers")}  # fmt: skip
        try:
            action = read_form(ActionIn, request.POST, labels=ACTION_LABELS)
            inpres.action_record(
                actor=request.user,
                addressee_id=addressee_id,
                channel="page",
                evidence_upload=request.FILES.get("evidence_file"),
                **action.dict(),
            )
            return redirect("coverage:inpres_addressee", addressee_id=addressee_id)
        except ValidationFailed as exc:
            problems = exc.problems
    detail = inpres.addressee_detail(user=request.user, addressee_id=addressee_id)
    return render(
        request,
        "coverage/inpres_addressee.html",
        {**detail, "problems": problems, "form": form, "action_kinds": ActionKind.choices},
        status=400 if problems else 200,
    )


@login_required
def inpres_report(request: HttpRequest) -> HttpResponse:
    semester = Semester.parse(request.GET.get("semester", ""))
    pdf = inpres.report_pdf(user=request.user, semester=semester)
    return file_response(pdf, f"laporan-inpres-2-2021-{semester.year}-{semester.half}.pdf", content_type=PDF_TYPE)


@login_required
def inpres_evidence(request: HttpRequest, action_id: int) -> HttpResponse:
    stored, content = inpres.evidence_file(user=request.user, action_id=action_id)
    return file_response(content, stored.original_name, content_type=stored.content_type, inline=True)
