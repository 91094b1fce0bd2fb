"""Registry pages: search, person, employer, sponsor, and the CSV export — all through selectors."""

from __future__ import annotations

from collections.abc import Callable
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
from paritrana.core.errors import PermissionDenied, Problem, ValidationFailed
from paritrana.core.exports import Table, mask_nik, table_stream
from paritrana.core.forms import read_form
from paritrana.regions.rules.nik import parse_nik
from paritrana.regions.selectors import children as region_children_of
from paritrana.regions.selectors import region_lookup

from . import selectors, services
from .rules.codes import SECTORS
from .schemas import (
    CONTACT_LABELS,
    EMPLOYER_LABELS,
    END_LABELS,
    MEMBERSHIP_LABELS,
    MOVE_LABELS,
    PERSON_LABELS,
    SPONSOR_LABELS,
    ContactIn,
    EmployerIn,
    MembershipEndPageIn,
    MembershipMove,
    MembershipPageIn,
    PersonPageIn,
    SponsorIn,
)

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
            "can_move": scope_for(request.user).everything or scope_for(request.user).is_regional,
            "end_reasons": selectors.end_reasons(),
            "segments": selectors.choices("segment"),
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
    payer = {"employer_id": org.pk} if payer_kind == "employer" else {"sponsor_id": org.pk}
    return render(
        request,
        "registry/organisation.html",
        {
            "org": org,
            # One count named for what it counts: active today, as the certificate counts (issue 27).
            "active_today": selectors.membership_list(user=request.user, status="active", **payer).count(),
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


# -- single records by hand (issue 27 §2) ----------------------------------------------------------


def _require_registrar(request: HttpRequest) -> None:
    scope = scope_for(request.user)
    if not (scope.everything or scope.is_regional):
        raise PermissionDenied("Pendaftaran satu per satu dilakukan oleh petugas BPJS Ketenagakerjaan atau wilayah.")


@login_required
def nik_check(request: HttpRequest) -> JsonResponse:
    """What a NIK typed so far says (issue 27 §2, "NIK checked as typed"): its structure, the region
    and birth date it encodes, and what is wrong with it — never whether anyone holds it."""
    result = parse_nik(request.GET.get("nik", "")[:40], regions=region_lookup(), today=timezone.localdate())
    return JsonResponse(
        {
            "nik": result.nik,
            "errors": [i.as_dict() for i in result.errors],
            "warnings": [i.as_dict() for i in result.warnings],
            "regency": result.regency,
            "birth_date": result.birth_date.strftime("%d/%m/%Y") if result.birth_date else None,
            "sex": result.sex,
        }
    )


@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    """Register one person by hand; a person with the same name and birth date under another NIK is
    shown first and must be confirmed as someone else."""
    _require_registrar(request)
    problems: list[Problem] = []
    similar: list[dict[str, str]] = []
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            data = read_form(PersonPageIn, request.POST, labels=PERSON_LABELS)
            similar = selectors.persons_same_name_born(
                user=request.user, full_name=data.full_name, birth_date=data.birth_date, nik=data.nik
            )
            if not similar or data.confirm_same_name:
                person = services.person_create(
                    actor=request.user, channel="page", **data.dict(exclude={"confirm_same_name"})
                )
                messages.info(request, f"{person.display_name} terdaftar.")
                return redirect("registry:person", person_id=person.pk)
        except ValidationFailed as exc:
            problems = exc.problems
    return render(
        request,
        "registry/person_new.html",
        {"values": values, "problems": problems, "similar": similar, "sexes": selectors.choices("sex")},
        status=400 if problems else 200,
    )


@login_required
def employer_new(request: HttpRequest) -> HttpResponse:
    fields: list[dict[str, Any]] = [
        {"name": "name", "label": EMPLOYER_LABELS["name"], "required": True},
        {"name": "kind", "label": EMPLOYER_LABELS["kind"], "choices": selectors.choices("employer_kind")},
        {"name": "scale", "label": EMPLOYER_LABELS["scale"], "choices": selectors.choices("employer_scale")},
        {
            "name": "sector",
            "label": EMPLOYER_LABELS["sector"],
            "choices": [(k, f"{k} – {v}") for k, v in SECTORS.items()],
        },
        {
            "name": "jkk_risk_group",
            "label": EMPLOYER_LABELS["jkk_risk_group"],
            "choices": [(str(g), f"{g}") for g in range(1, 6)],
            "note": "PP 44/2015 Lampiran I",
        },
        {"name": "regency_code", "label": EMPLOYER_LABELS["regency_code"], "choices": _regencies(request)},
        {"name": "npp", "label": EMPLOYER_LABELS["npp"], "note": "kosongkan: NPP diterbitkan otomatis"},
        {"name": "address", "label": EMPLOYER_LABELS["address"]},
    ]

    def create(data: Any) -> HttpResponse:
        employer = services.employer_create(actor=request.user, channel="page", **data.dict())
        messages.info(request, f"{employer.name} terdaftar dengan NPP {employer.npp}.")
        return redirect("registry:employer", employer_id=employer.pk)

    return _record_form(request, "Daftarkan pemberi kerja", "employer-new", fields, EmployerIn, EMPLOYER_LABELS, create)


@login_required
def sponsor_new(request: HttpRequest) -> HttpResponse:
    fields: list[dict[str, Any]] = [
        {"name": "code", "label": SPONSOR_LABELS["code"], "required": True, "note": "mis. APBD-6402-2027"},
        {"name": "name", "label": SPONSOR_LABELS["name"], "required": True},
        {"name": "kind", "label": SPONSOR_LABELS["kind"], "choices": selectors.choices("sponsor_kind")},
        {"name": "region_code", "label": SPONSOR_LABELS["region_code"], "choices": _regencies(request)},
    ]

    def create(data: Any) -> HttpResponse:
        sponsor = services.sponsor_create(actor=request.user, channel="page", **data.dict())
        messages.info(request, f"{sponsor.name} terdaftar.")
        return redirect("registry:sponsor", sponsor_id=sponsor.pk)

    return _record_form(request, "Daftarkan penanggung iuran", "sponsor-new", fields, SponsorIn, SPONSOR_LABELS, create)


def _regencies(request: HttpRequest) -> list[tuple[str, str]]:
    """The regencies/cities the officer may register in, by name (a national officer: all)."""
    return [(code, name) for code, name in selectors.regencies_in_scope(user=request.user)]


def _record_form(
    request: HttpRequest,
    title: str,
    form_id: str,
    fields: list[dict[str, Any]],
    schema: Any,
    labels: dict[str, str],
    create: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """A form for one organisation: read with the API's schema, created by ``create`` (which says so and
    goes on to the new record's page), or shown again with every problem beside its box."""
    _require_registrar(request)
    problems: list[Problem] = []
    if request.method == "POST":
        try:
            return create(read_form(schema, request.POST, labels=labels))
        except ValidationFailed as exc:
            problems = exc.problems
    for spec in fields:
        spec["value"] = request.POST.get(spec["name"], "") if request.method == "POST" else ""
        spec["invalid"] = any(p.field == spec["name"] for p in problems)
    return render(
        request,
        "registry/record_form.html",
        {"title": title, "form_id": form_id, "fields": fields, "problems": problems},
        status=400 if problems else 200,
    )


@login_required
@require_POST
def membership_new(request: HttpRequest, person_id: int) -> HttpResponse:
    """A membership for a person already registered, from the person's page (payer by NPP or code)."""
    person = selectors.person_get(user=request.user, person_id=person_id, channel="page", log_view=False)
    try:
        data = read_form(MembershipPageIn, request.POST, labels=MEMBERSHIP_LABELS)
        payer = data.payer.strip()
        employer = selectors.employer_list(user=request.user).filter(npp=payer).first() if payer else None
        sponsor = (
            None
            if employer or not payer
            else selectors.sponsor_list(user=request.user).filter(code=payer.upper()).first()
        )
        if payer and employer is None and sponsor is None:
            raise ValidationFailed(
                [Problem("payer_unknown", f"Tidak ada pemberi kerja/penanggung {payer} dalam wewenang Anda.", "payer")]
            )
        membership = services.membership_create(
            actor=request.user,
            channel="page",
            person_id=person.pk,
            segment=data.segment,
            employer_id=employer.pk if employer else None,
            sponsor_id=sponsor.pk if sponsor else None,
            wage=data.wage,
            declared_income=data.declared_income,
            valid_from=data.valid_from.isoformat() if data.valid_from else None,
        )
    except ValidationFailed as exc:
        for problem in exc.problems:
            messages.error(request, problem.message)
    else:
        messages.info(request, f"Kepesertaan {membership.kpj} terdaftar.")
    return redirect("registry:person", person_id=person.pk)


@login_required
@require_POST
def membership_move(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get(user=request.user, membership_id=membership_id)
    try:
        move = read_form(MembershipMove, request.POST, labels=MOVE_LABELS)
        if not move.confirm:
            said = "Centang konfirmasi: tagihan bulan yang belum diterbitkan menjadi tagihan pemberi kerja baru."
            raise ValidationFailed([Problem("confirm_required", said, "confirm")])
        moved = services.membership_move(actor=request.user, membership_id=membership.pk, npp=move.npp)
    except ValidationFailed as exc:
        for problem in exc.problems:
            messages.error(request, problem.message)
    else:
        assert moved.employer is not None
        messages.info(request, f"KPJ {moved.kpj} kini pada {moved.employer.name}; saldo JHT tetap.")
    return redirect("registry:person", person_id=membership.person_id)


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """A participant's own contact data (issue 27 §4): changed in two steps, the second showing
    what will change, so a mistyped number is seen before it is kept."""
    scope = scope_for(request.user)
    if scope.person_id is None:
        raise PermissionDenied("Halaman ini untuk peserta.")
    person = selectors.person_get(user=request.user, person_id=scope.person_id, log_view=False)
    problems: list[Problem] = []
    preview = None
    if request.method == "POST":
        try:
            contact = read_form(ContactIn, request.POST, labels=CONTACT_LABELS)
            if contact.confirm:
                services.contact_update_own(actor=request.user, phone=contact.phone, address=contact.address)
                messages.info(request, "Data kontak Anda tersimpan.")
                return redirect("registry:my_data")
            preview = {"phone": contact.phone.strip(), "address": " ".join(contact.address.split())}
        except ValidationFailed as exc:
            problems = exc.problems
    return render(
        request,
        "registry/my_data.html",
        {"person": person, "preview": preview, "problems": problems, "values": request.POST or {}},
        status=400 if problems else 200,
    )
