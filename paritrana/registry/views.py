"""Registry pages: search, person, employer, sponsor, and the CSV export — all through selectors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from paritrana.accounts.scope import scope_for
from paritrana.core.errors import Problem, ValidationFailed
from paritrana.core.exports import Table, mask_nik, table_stream
from paritrana.core.forms import read_form
from paritrana.regions.selectors import children as region_children_of

from . import selectors, services
from .schemas import END_LABELS, MembershipEndPageIn

PAGE_SIZE = 25
EXPORT_LIMIT = 100_000


@login_required
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    persons = selectors.person_list(user=request.user, q=q) if q else selectors.person_list(user=request.user)[:0]
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    for person in page:
        person.masked_nik = mask_nik(person.nik)  # type: ignore[attr-defined]
    if q and page.object_list:
        # A search shows names, birth dates and regencies: a read of personal data like any other.
        selectors.audit_person_read(
            user=request.user,
            action="person_search",
            entity="person",
            channel="page",
            persons=[p.pk for p in page],
            detail={"q": q},
        )
    # An NPP, a sponsor's code or an organisation's name finds employers and sponsors as well.
    employers = list(selectors.employer_list(user=request.user, q=q)[:20]) if q else []
    sponsors = list(selectors.sponsor_list(user=request.user, q=q)[:20]) if q else []
    return render(request, "registry/search.html", {"q": q, "page": page, "employers": employers, "sponsors": sponsors})


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, person_id=person_id, channel="page")
    memberships = selectors.membership_list(user=request.user, person_id=person.pk)
    return render(
        request,
        "registry/person.html",
        {
            "person": person,
            "memberships": memberships,
            "can_end": scope_for(request.user).can_write,
            "end_reasons": selectors.end_reasons(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    """End a membership from the person's page (a leaver, issue 27 §2): date, reason, confirmation."""
    membership = selectors.membership_get(user=request.user, membership_id=membership_id)
    try:
        ended = read_form(MembershipEndPageIn, request.POST, labels=END_LABELS)
        if not ended.reason:
            raise ValidationFailed([Problem("end_reason_required", "Pilih alasan berakhirnya kepesertaan.", "reason")])
        if not ended.confirm:
            said = "Centang konfirmasi: perlindungan berhenti pada tanggal itu."
            raise ValidationFailed([Problem("confirm_required", said, "confirm")])
        services.membership_end(
            actor=request.user, membership_id=membership.pk, valid_until=ended.valid_until, reason=ended.reason
        )
    except ValidationFailed as exc:
        for problem in exc.problems:
            messages.error(request, problem.message)
    else:
        messages.info(request, f"Kepesertaan {membership.kpj} berakhir {ended.valid_until:%d/%m/%Y}.")
    return redirect("registry:person", person_id=membership.person_id)


STATUSES = (("active", "Aktif"), ("ended", "Berakhir"), ("suspended", "Nonaktif sementara"))
SEGMENTS = ("PU", "BPU", "JAKON", "PMI")


def _workforce_filters(request: HttpRequest) -> dict[str, str]:
    """The workforce list's filters (issue 27 §3): name or KPJ, status, segment; unknown values ignored."""
    status = request.GET.get("status", "")
    segment = request.GET.get("segment", "")
    return {
        "q": request.GET.get("q", "").strip()[:100],
        "status": status if status in dict(STATUSES) else "",
        "segment": segment if segment in SEGMENTS else "",
    }


def _organisation_page(
    request: HttpRequest, org: Any, facts: list[tuple[str, Any]], memberships: Any, payer_kind: str
) -> HttpResponse:
    scope = scope_for(request.user)
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    for membership in page:
        membership.masked_nik = mask_nik(membership.person.nik)
    filters = _workforce_filters(request)
    return render(
        request,
        "registry/organisation.html",
        {
            "org": org,
            "facts": facts,
            "page": page,
            "can_see_people": scope.personal_data,
            "can_write": scope.can_write,
            "payer_kind": payer_kind,
            "filters": filters,
            "statuses": STATUSES,
            "segments": SEGMENTS,
            "query": urlencode({k: v for k, v in filters.items() if v}),
        },
    )


@login_required
def region_children(request: HttpRequest) -> JsonResponse:
    """The village picker's steps (province → regency/city → district → village): the regions under
    ``?kode=`` by name. Public reference data, for signed-in users only."""
    code = request.GET.get("kode", "").strip()[:13]
    return JsonResponse({"items": [{"code": c, "name": n} for c, n in region_children_of(code)]})


@login_required
def employer_detail(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = selectors.employer_get(user=request.user, employer_id=employer_id)
    facts = [
        ("NPP", employer.npp),
        ("Jenis", employer.get_kind_display()),
        ("Skala", employer.get_scale_display()),
        ("Sektor", employer.get_sector_display()),
        ("Kelompok risiko JKK", employer.jkk_risk_group),
        ("Wilayah", f"{employer.regency.name}, {employer.province.name}"),
        ("Kantor cabang", employer.branch.name if employer.branch else "–"),
    ]
    wanted = _workforce_filters(request)
    workforce = selectors.membership_list(
        user=request.user, employer_id=employer.pk, q=wanted["q"], status=wanted["status"], segment=wanted["segment"]
    )
    return _organisation_page(request, employer, facts, workforce, "employer")


@login_required
def sponsor_detail(request: HttpRequest, sponsor_id: int) -> HttpResponse:
    sponsor = selectors.sponsor_get(user=request.user, sponsor_id=sponsor_id)
    facts = [("Kode", sponsor.code), ("Jenis", sponsor.get_kind_display()), ("Wilayah", sponsor.region.name)]
    wanted = _workforce_filters(request)
    workforce = selectors.membership_list(
        user=request.user, sponsor_id=sponsor.pk, q=wanted["q"], status=wanted["status"], segment=wanted["segment"]
    )
    return _organisation_page(request, sponsor, facts, workforce, "sponsor")


@login_required
def export_persons(request: HttpRequest) -> StreamingHttpResponse:
    """CSV of the search result, within scope; NIK masked unless the role needs it (DESIGN.md §3.7)."""
    scope = scope_for(request.user)
    q = request.GET.get("q", "").strip()
    persons = selectors.person_list(user=request.user, q=q)[:EXPORT_LIMIT]
    selectors.audit_person_read(
        user=request.user,
        action="person_export",
        entity="person",
        channel="page",
        persons=persons.values_list("pk", flat=True),
        detail={"q": q, "full_nik": scope.full_nik_in_exports},
    )
    header = ["nik", "nama", "gelar_depan", "gelar_belakang", "jenis_kelamin", "tanggal_lahir", "kabupaten_kota"]
    rows = (
        [
            p.nik,
            p.full_name,
            p.title_prefix,
            p.title_suffix,
            p.sex,
            p.birth_date.strftime("%d/%m/%Y"),
            p.regency.name,
        ]
        for p in persons.iterator(chunk_size=2000)
    )
    table = Table("peserta", header, rows, nik_columns=[0], full_nik=scope.full_nik_in_exports)
    return table_stream(table)
