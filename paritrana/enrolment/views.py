"""Pages of bulk enrolment: upload a list, see every bad row, apply it and watch the progress."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from paritrana.accounts.scope import scope_for
from paritrana.core.errors import NotFound, PermissionDenied, Problem, ValidationFailed
from paritrana.core.exports import PDF_TYPE, file_response
from paritrana.core.forms import read_form
from paritrana.core.sheets import MAX_BYTES
from paritrana.core.uploads import read_upload
from paritrana.registry.selectors import sponsor_list

from . import proof, selectors, services
from .rules.columns import COLUMNS
from .rules.problems import column_header, problem_label
from .schemas import BUDGET_LABELS, UPLOAD_LABELS, BudgetIn, UploadIn

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Lines of already-enrolled rows named on the page; the error report's sheet lists them all.
ALREADY_SHOWN = 200


def _upload(request: HttpRequest, upload_id: int) -> Any:
    return selectors.upload_get(user=request.user, upload_id=upload_id)


ONE_FIELDS = tuple(c for c in COLUMNS if c.field not in ("segment", "programmes", "valid_from"))


def _upload_details(request: HttpRequest, payer: str, **fixed: Any) -> UploadIn:
    """A page's upload details: one box names the payer — a code of digits is an employer's NPP, any
    other a sponsor's code (empty: the caller's own)."""
    return read_form(
        UploadIn,
        request.POST,
        labels=UPLOAD_LABELS,
        sponsor_code=payer if payer and not payer.isdigit() else "",
        employer_npp=payer if payer.isdigit() else "",
        **fixed,
    )


def _one_row_csv(values: dict[str, str]) -> bytes:
    """One worker typed on a page, as the bulk template's CSV: the same checks apply to both."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in COLUMNS])
    writer.writerow([values.get(c.field, "") for c in COLUMNS])
    return out.getvalue().encode("utf-8")


@login_required
def upload_one(request: HttpRequest) -> HttpResponse:
    """Register one worker by hand (issue 27 §2–3): the same checks as a bulk list, because the form
    becomes a one-row list of the template (NIK rules, birth date and sex against the NIK, the village
    and the payer's region, the segment's income or wage) and is enrolled at once when it passes."""
    scope = scope_for(request.user)
    if not scope.can_write:
        raise PermissionDenied("Pendaftaran peserta oleh petugas, pemberi kerja atau penanggung iuran.")
    own_payer = bool(scope.employer_id or scope.sponsor_id)
    values: dict[str, str] = {c.field: "" for c in COLUMNS}
    values.update(payer="", segment="PU" if scope.employer_id else "BPU", valid_from="")
    problems: list[Problem] = []
    if request.method == "POST":
        values.update({k: str(request.POST.get(k, "")).strip() for k in values})
        payer = values["payer"]
        try:
            details = _upload_details(request, payer, dry_run=False)
            upload = services.upload_create(
                actor=request.user,
                content=_one_row_csv(values),
                file_name=f"satu-peserta-{timezone.localdate():%Y%m%d}.csv",
                sponsor_code=details.sponsor_code or None,
                employer_npp=details.employer_npp or None,
                valid_from=details.valid_from,
            )
        except (ValidationFailed, PermissionDenied) as exc:
            problems = exc.problems
        else:
            if upload.invalid:
                labels = {c.field: c.header for c in COLUMNS}
                problems = [
                    Problem(e.code, f"{labels.get(e.field, e.field)}: {e.message}", e.field)
                    for e in selectors.upload_errors(upload=upload)
                ]
            else:
                services.upload_run(upload_id=upload.pk, actor=request.user, channel="page")
                return redirect("enrolment:upload", upload_id=upload.pk)
    return render(
        request,
        "enrolment/upload_one.html",
        {
            "values": values,
            "fields": [(c, values[c.field]) for c in ONE_FIELDS],
            "problems": problems,
            "needs_payer": not own_payer,
            "segments": ("PU", "BPU", "JAKON", "PMI"),
        },
        status=400 if problems else 200,
    )


@login_required
def upload_new(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    problems: list[Problem] = []
    form = {"payer": "", "valid_from": "", "dry_run": False}
    if request.method == "POST":
        form = {
            "payer": request.POST.get("payer", "").strip(),
            "valid_from": request.POST.get("valid_from", "").strip(),
            "dry_run": request.POST.get("dry_run") == "on",
        }
        file = request.FILES.get("file")
        payer = str(form["payer"])
        details: UploadIn | None = None
        try:
            details = _upload_details(request, payer)
        except ValidationFailed as exc:
            problems += exc.problems
        if file is None:
            problems.append(Problem("file_required", "Pilih berkas CSV atau XLSX.", "file"))
        if details is not None and file is not None and not problems:
            try:
                upload = services.upload_create(
                    actor=request.user,
                    content=read_upload(file, max_bytes=MAX_BYTES),
                    file_name=file.name or "unggahan",
                    sponsor_code=details.sponsor_code or None,
                    employer_npp=details.employer_npp or None,
                    valid_from=details.valid_from,
                    dry_run=details.dry_run,
                )
            except (ValidationFailed, PermissionDenied) as exc:
                problems = exc.problems
            else:
                return redirect("enrolment:upload", upload_id=upload.pk)
    uploads = selectors.uploads_visible(request.user)[:20]
    return render(
        request,
        "enrolment/upload_new.html",
        {
            "problems": problems,
            "form": form,
            "columns": COLUMNS,
            "uploads": uploads,
            "needs_payer": scope.sponsor_id is None and scope.employer_id is None,
        },
        status=400 if problems else 200,
    )


@login_required
def upload_detail(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = _upload(request, upload_id)
    page = Paginator(selectors.upload_errors(upload=upload), 100).get_page(request.GET.get("page"))
    for error in page:
        error.column = column_header(error.field)  # type: ignore[attr-defined]
    return render(
        request,
        "enrolment/upload_detail.html",
        {
            "upload": upload,
            "page": page,
            "codes": [(code, problem_label(code), n) for code, n in upload.error_counts],
            "already": selectors.upload_already(upload=upload)[:ALREADY_SHOWN] if upload.already_enrolled else [],
            "already_shown": ALREADY_SHOWN,
            "notes": selectors.upload_notes(upload=upload)[:ALREADY_SHOWN],
            "warnings": int(upload.detail.get("warnings", 0)),
            "budget": upload.detail.get("budget"),
            "card_parts": range(1, -(-selectors.upload_card_count(upload=upload) // proof.CARDS_PER_FILE) + 1),
        },
    )


@login_required
@require_POST
def upload_apply(request: HttpRequest, upload_id: int) -> HttpResponse:
    _upload(request, upload_id)
    try:
        services.upload_queue(actor=request.user, upload_id=upload_id)
    except (ValidationFailed, NotFound) as exc:
        raise Http404(exc.problems[0].message) from exc
    return redirect("enrolment:upload", upload_id=upload_id)


@login_required
def upload_progress(request: HttpRequest, upload_id: int) -> JsonResponse:
    upload = _upload(request, upload_id)
    return JsonResponse({**services.upload_summary(upload), "progress": upload.progress})


@login_required
def upload_errors_xlsx(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = _upload(request, upload_id)
    return file_response(
        selectors.errors_xlsx(upload=upload), f"kesalahan-unggahan-{upload.pk}.xlsx", content_type=XLSX
    )


def template_xlsx(request: HttpRequest) -> HttpResponse:
    return file_response(selectors.template_xlsx(), "templat-pendaftaran-peserta.xlsx", content_type=XLSX)


def _pdf(file_name: str, pdf: bytes) -> HttpResponse:
    return file_response(pdf, f"{file_name}", content_type=PDF_TYPE)


@login_required
def upload_cards_pdf(request: HttpRequest, upload_id: int) -> HttpResponse:
    """The upload's membership cards, 8 to a page, at most proof.CARDS_PER_FILE per file (?bagian=2…)."""
    upload = _upload(request, upload_id)
    try:
        part = max(1, int(request.GET.get("bagian", "1")))
    except ValueError:
        part = 1
    result = proof.upload_cards_pdf(
        upload,
        part=part,
        verify_url=proof.verify_url(request, "enrolment:verify_card"),
        actor=request.user,
        channel="page",
    )
    if result is None:
        raise Http404("Belum ada peserta yang terdaftar dari unggahan ini.")
    return _pdf(*result)


def _own_person(request: HttpRequest) -> int:
    person_id = scope_for(request.user).person_id
    if person_id is None:
        raise Http404("Kartu peserta ada di halaman peserta sendiri.")
    return person_id


@login_required
def my_card(request: HttpRequest) -> HttpResponse:
    """A participant's digital card on a phone: name, KPJ, payer, validity and the QR code that opens
    the public verification page (the same as on the printed card)."""
    person_id = _own_person(request)
    url = proof.verify_url(request, "enrolment:verify_card")
    cards = [
        {**card, "qr": proof.qr_svg(url.format(token=proof.card_token(card["kpj"])))}
        for card in selectors.person_cards(user=request.user, person_id=person_id, today=timezone.localdate())
    ]
    return render(request, "enrolment/my_card.html", {"cards": cards})


@login_required
def my_card_pdf(request: HttpRequest) -> HttpResponse:
    person_id = _own_person(request)
    result = proof.person_cards_pdf(
        user=request.user,
        person_id=person_id,
        verify_url=proof.verify_url(request, "enrolment:verify_card"),
        today=timezone.localdate(),
    )
    if result is None:
        raise Http404("Belum ada kepesertaan.")
    return _pdf(*result)


@login_required
def upload_certificate_pdf(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = _upload(request, upload_id)
    return _pdf(
        *proof.upload_certificate_pdf(upload, verify_url=proof.verify_url(request, "enrolment:verify_certificate"))
    )


def verify_card(request: HttpRequest, token: str) -> HttpResponse:
    """Public: what a scanned card proves. Only a signed token is answered (proof.py)."""
    kpj = proof.kpj_of_token(token)
    result = selectors.card_verification(kpj=kpj, today=timezone.localdate()) if kpj else None
    return render(request, "enrolment/verify_card.html", {"card": result}, status=200 if result else 404)


def verify_certificate(request: HttpRequest, token: str) -> HttpResponse:
    payer = proof.payer_of_token(token)
    result = (
        selectors.certificate_verification(payer_kind=payer[0], payer_id=payer[1], today=timezone.localdate())
        if payer
        else None
    )
    return render(request, "enrolment/verify_certificate.html", {"certificate": result}, status=200 if result else 404)


@login_required
def budget(request: HttpRequest) -> HttpResponse:
    """A sponsor's budget year: the APBD allocation, what its list commits, what is left; set the
    allocation and carry the list into the next year (services.budget_set, services.budget_renew)."""
    sponsors = sponsor_list(user=request.user)
    problems: list[Problem] = []
    done = ""
    try:
        year = int(request.POST.get("year") or request.GET.get("tahun") or timezone.localdate().year)
        chosen = int(request.POST.get("sponsor") or request.GET.get("penanggung") or 0)
    except ValueError:
        year, chosen = timezone.localdate().year, 0
    sponsor = sponsors.filter(pk=chosen).first() if chosen else sponsors.first() if sponsors.count() == 1 else None
    if request.method == "POST" and sponsor is not None:
        try:
            if request.POST.get("action") == "renew":
                renewed = services.budget_renew(actor=request.user, sponsor_id=sponsor.pk, year=year)
                done = f"{renewed['renewed']} kepesertaan diperpanjang sampai 31/12/{year}."
            else:
                budget = read_form(BudgetIn, request.POST, labels=BUDGET_LABELS)
                services.budget_set(actor=request.user, sponsor_id=sponsor.pk, year=year, **budget.dict())
                done = "Pagu anggaran disimpan."
        except ValidationFailed as exc:
            problems = exc.problems
    status = selectors.budget_status(sponsor=sponsor, year=year) if sponsor else None
    return render(
        request,
        "enrolment/budget.html",
        {
            "sponsors": sponsors,
            "sponsor": sponsor,
            "year": year,
            "status": status and selectors.budget_display(status),
            "may_write": sponsor is not None
            and services.payer_may_upload(scope_for(request.user), sponsor=sponsor, employer=None),
            "problems": problems,
            "done": done,
        },
    )
