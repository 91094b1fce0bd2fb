"""Pages of claims: intake, queue, decision, heirs, scholarship renewals, JHT statement, and the
participant's own claims. Every read goes through selectors (scoped), every write through services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify

from paritrana.accounts.scope import scope_for
from paritrana.core.errors import DomainError, NotFound, PermissionDenied, Problem, ValidationFailed
from paritrana.core.exports import PDF_TYPE, Table, file_response, mask_nik, table_response
from paritrana.core.forms import read_form, read_values
from paritrana.core.navigation import safe_next
from paritrana.core.periods import Period, parse_date
from paritrana.core.sheets import MAX_BYTES
from paritrana.core.uploads import read_upload
from paritrana.registry import selectors as registry_selectors

from . import access, pensions, selectors, services
from .letter import decision_letter_pdf, jht_statement_pdf
from .rules.benefit import COST_LABELS as COST_KIND_LABELS
from .rules.claim_input import COST_KINDS, JHT_PARTIAL, JHT_REASONS, LEVELS
from .rules.claims import (
    DOCUMENTS,
    IN_PAYMENT_STATES,
    JHT_REASON_LABELS,
    LABELS,
    PERIODIC_TYPES,
    REJECTION_REASONS,
    RELATIONSHIPS,
    STATES,
)
from .rules.disability import table as disability_table
from .schemas import (
    CLAIM_LABELS,
    COST_LABELS,
    HEIR_LABELS,
    PAY_LABELS,
    ClaimIn,
    CostIn,
    DocumentsIn,
    HeirIn,
    PayIn,
    PensionBatchIn,
    PensionEndIn,
    ProofDecisionIn,
    RejectPageIn,
    ScholarshipRenewIn,
)

CLAIM_TYPES = [(k, v) for k, v in LABELS.items() if k != "SCHOLARSHIP"]
INTAKE = (
    "disability_percent",
    "disability_item",
    "function_loss_percent",
    "stmb_months",
    "reason",
    "separation_date",
    "claim_date",
    "payee_bank",
    "payee_account",
)
COST_ROWS = 3  # bills entered on the intake page; the API takes any number


def _not_found(exc: NotFound) -> Http404:
    return Http404(exc.problem.message)


def _problems(exc: Exception) -> list[Problem]:
    if isinstance(exc, ValidationFailed):
        return exc.problems
    if isinstance(exc, DomainError):
        return exc.problems
    raise exc


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in STATES else ""
    person = request.GET.get("person", "")
    claims = selectors.claim_list(
        user=request.user,
        state=state,
        benefit=request.GET.get("benefit", ""),
        person_id=int(person) if person.isdigit() else None,
    )
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    rows = [
        {
            "claim": c,
            "nik": c.person.nik if scope.full_nik_in_exports else mask_nik(c.person.nik),
            "label": LABELS[c.benefit],
            "late": c.due_by and c.state in ("verified", "approved") and c.due_by < timezone.localdate(),
        }
        for c in page
    ]
    return render(
        request,
        "benefits/queue.html",
        {
            "rows": rows,
            "page": page,
            "state": state,
            "states": STATES,
            "counts": selectors.queue_counts(user=request.user),
            "can_decide": access.can_decide(request.user),
        },
    )


def _intake_form(request: HttpRequest, person_id: int) -> ClaimIn:
    """The intake page's form as the API's ``ClaimIn``: the bills are rows of boxes (cost_kind_1,
    cost_amount_1, cost_date_1, …), each read as the API's ``CostIn``; every problem at once."""
    costs: list[CostIn] = []
    problems: list[Problem] = []
    rows = [
        {part: request.POST.get(f"cost_{part}_{n}", "") for part in ("kind", "amount", "date")}
        for n in range(1, COST_ROWS + 1)
    ]
    for i, row in enumerate(r for r in rows if r["kind"].strip() or r["amount"].strip()):
        try:
            costs.append(read_form(CostIn, row, labels=COST_LABELS))
        except ValidationFailed as exc:
            at = f"costs[{i}]"
            problems += [Problem(p.code, p.message, f"{at}.{p.field}" if p.field else at) for p in exc.problems]
    try:
        claim = read_form(ClaimIn, request.POST, labels=CLAIM_LABELS, person_id=person_id, costs=costs)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.problems + problems) from exc
    if problems:
        raise ValidationFailed(problems)
    return claim


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    person = None
    found: Any = []
    if request.GET.get("person"):
        try:
            person = registry_selectors.person_get(user=request.user, person_id=int(request.GET["person"]))
        except (NotFound, ValueError) as exc:
            raise Http404("Orang tidak ditemukan.") from exc
    elif q:
        found = registry_selectors.person_list(user=request.user, q=q)[:20]
    problems: list[Problem] = []
    cost_fields = [f"cost_{part}_{n}" for n in range(1, COST_ROWS + 1) for part in ("kind", "amount", "date")]
    form = {name: request.POST.get(name, "").strip() for name in ("benefit", "event_date", *INTAKE, *cost_fields)}
    form["left_handed"] = "on" if request.POST.get("left_handed") else ""
    if request.method == "POST" and person is not None:
        try:
            claim = _intake_form(request, person.pk)
            claims = services.claim_submit(
                actor=request.user,
                person_id=person.pk,
                benefit=claim.benefit,
                event_date=claim.event_date,
                details=claim,
            )
        except (ValidationFailed, DomainError) as exc:
            problems = _problems(exc)
        else:
            messages.info(request, f"{len(claims)} klaim dibuat.")
            return redirect("benefits:claim", claim_id=claims[0].pk)
    return render(
        request,
        "benefits/intake.html",
        {
            "q": q,
            "found": found,
            "person": person,
            "form": form,
            "problems": problems,
            "types": CLAIM_TYPES,
            "reasons": [(r, JHT_REASON_LABELS[r]) for r in JHT_REASONS + JHT_PARTIAL],
            "heirs": selectors.heirs_read(user=request.user, person_id=person.pk)
            if person and access.can_decide(request.user)
            else [],
            "disability_items": [
                (i.code, f"{i.description} ({i.percent.normalize():f} %)") for i in disability_table().values()
            ],
            "cost_kinds": [(k, COST_KIND_LABELS[k]) for kinds in COST_KINDS.values() for k in kinds],
            "cost_rows": [
                (n, form[f"cost_kind_{n}"], form[f"cost_amount_{n}"], form[f"cost_date_{n}"])
                for n in range(1, COST_ROWS + 1)
            ],
        },
        status=400 if problems else 200,
    )


@login_required
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_get(user=request.user, claim_id=claim_id, log_view="claim_view")
    problems: list[Problem] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "documents":
                services.claim_documents_receive(
                    actor=request.user,
                    claim_id=claim.pk,
                    codes=read_values(DocumentsIn, {"codes": request.POST.getlist("documents")}).codes,
                )
            elif action == "verify":
                services.claim_verify(actor=request.user, claim_id=claim.pk)
            elif action == "approve":
                services.claim_approve(actor=request.user, claim_id=claim.pk)
            elif action == "reject":
                rejected = read_form(RejectPageIn, request.POST, labels={"code": "Alasan penolakan"})
                if not rejected.confirm:
                    said = "Centang konfirmasi: penolakan tidak dapat dibatalkan."
                    raise ValidationFailed([Problem("confirm_required", said, "confirm")])
                services.claim_reject(actor=request.user, claim_id=claim.pk, **rejected.dict(exclude={"confirm"}))
            elif action in ("proof_accept", "proof_refuse"):
                decided = read_form(ProofDecisionIn, request.POST, labels={"note": "Catatan"})
                services.proof_of_life_decide(
                    actor=request.user, proof_id=decided.proof, accept=action == "proof_accept", note=decided.note
                )
            elif action == "pension_end":
                ended = read_form(
                    PensionEndIn, request.POST, labels={"ended_on": "Tanggal berakhir", "reason": "Alasan"}
                )
                pension = selectors.pension_of(user=request.user, claim=claim)
                if pension is None:
                    raise DomainError("no_pension", "Klaim ini tidak membayar pensiun bulanan.")
                done = pensions.pension_end(actor=request.user, pension_id=pension["pension"].pk, **ended.dict())
                if done["successor"]:
                    following = done["successor"]
                    messages.success(
                        request,
                        f"Pensiun diteruskan kepada ahli waris berikutnya: klaim #{following['claim']}, "
                        f"Rp{int(following['amount']):,} per bulan.".replace(",", "."),
                    )
                if done["overpaid_months"]:
                    messages.warning(
                        request,
                        f"Pensiun sudah dibayar untuk {len(done['overpaid_months'])} bulan setelah berakhir "
                        f"(Rp{done['overpaid_amount']}): tagih kembali kepada penerima atau ahli warisnya.",
                    )
            elif action == "pay":
                paid = read_form(PayIn, request.POST, labels=PAY_LABELS)
                services.claim_pay(actor=request.user, claim_id=claim.pk, **paid.dict())
            else:
                raise DomainError("action_unknown", "Tindakan tidak dikenal.")
        except (ValidationFailed, DomainError) as exc:
            problems = _problems(exc)
        else:
            return redirect("benefits:claim", claim_id=claim.pk)
        claim = selectors.claim_get(user=request.user, claim_id=claim_id)
    scope = scope_for(request.user)
    return render(
        request,
        "benefits/claim.html",
        {
            "claim": claim,
            "label": LABELS[claim.benefit],
            "problems": problems,
            "nik": claim.person.nik if scope.full_nik_in_exports else mask_nik(claim.person.nik),
            "documents": claim.documents.select_related("file"),
            "can_attach": (access.can_decide(request.user) and claim.state in ("submitted", "verified", "approved"))
            or (scope.person_id == claim.person_id and claim.state == "submitted"),
            "payments": claim.payments.all(),
            "reasons": REJECTION_REASONS.items(),
            # An officer's reason by its name; a refusal at intake is an unmet condition, said in the note.
            "rejection_label": REJECTION_REASONS.get(claim.rejection_code, REJECTION_REASONS["ineligible"]),
            "can_decide": access.can_decide(request.user),
            "heirs": selectors.heirs_read(user=request.user, person_id=claim.person_id)
            if access.can_decide(request.user)
            else [],
            "today": timezone.localdate(),
            "scholarships": claim.scholarships.select_related("child"),
            "periodic": claim.benefit in PERIODIC_TYPES,
            "proofs": selectors.proofs_of_life(user=request.user, claim=claim),
            "pension": selectors.pension_of(user=request.user, claim=claim),
            "can_prove": claim.benefit in PERIODIC_TYPES
            and claim.state in IN_PAYMENT_STATES
            and (access.can_decide(request.user) or selectors.paid_to(user=request.user, claim=claim)),
        },
        status=400 if problems else 200,
    )


@login_required
def claim_letter(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_get(user=request.user, claim_id=claim_id, log_view="claim_letter_view")
    pdf = decision_letter_pdf(claim, full_nik=scope_for(request.user).full_nik_in_exports)
    return file_response(pdf, f"keputusan-klaim-{claim.pk}.pdf", content_type=PDF_TYPE)


@login_required
def heirs(request: HttpRequest, person_id: int) -> HttpResponse:
    person = registry_selectors.person_get(user=request.user, person_id=person_id, log_view=False)
    heirs = selectors.heirs_read(user=request.user, person_id=person.pk)
    problems: list[Problem] = []
    fields = ("name", "nik", "relationship", "birth_date", "education_level", "bank_name", "account_number")
    form = {name: request.POST.get(name, "").strip() for name in fields}
    if request.method == "POST":
        try:
            heir = read_form(HeirIn, request.POST, labels=HEIR_LABELS)
            if scope_for(request.user).person_id == person.pk and not request.POST.get("confirm"):
                # A participant's own heirs: the claim after their death rests on them.
                said = "Centang pernyataan bahwa data ahli waris ini benar."
                raise ValidationFailed([Problem("confirm_required", said, "confirm")])
            services.heir_add(actor=request.user, person_id=person.pk, **heir.dict())
        except (ValidationFailed, DomainError) as exc:
            problems = _problems(exc)
        else:
            # Stay on the page (several heirs are usually recorded), keeping the way back to the claim.
            nxt = safe_next(request, request.POST.get("next", ""))
            return redirect(f"{request.path}?{urlencode({'next': nxt})}" if nxt else request.path)
    return render(
        request,
        "benefits/heirs.html",
        {
            "person": person,
            "heirs": heirs,
            "problems": problems,
            "form": form,
            "relationships": [(k, v[0]) for k, v in RELATIONSHIPS.items()],
            "levels": LEVELS,
            "next": safe_next(request, request.GET.get("next", "")),
            "own": scope_for(request.user).person_id == person.pk,
        },
        status=400 if problems else 200,
    )


@login_required
def scholarships(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    problems: list[Problem] = []
    if request.method == "POST":
        try:
            renewal = read_form(ScholarshipRenewIn, request.POST, year=year)
            claim = services.scholarship_renew(
                actor=request.user, scholarship_id=renewal.scholarship, year=renewal.year, level=renewal.level
            )
        except (ValidationFailed, DomainError) as exc:
            problems = _problems(exc)
        else:
            return redirect("benefits:claim", claim_id=claim.pk)
    due = selectors.scholarships_due(user=request.user, year=year)
    return render(
        request,
        "benefits/scholarships.html",
        {
            "due": due,
            "year": year,
            "levels": LEVELS,
            "problems": problems,
        },
        status=400 if problems else 200,
    )


@login_required
def jht(request: HttpRequest, person_id: int) -> HttpResponse:
    until = parse_date(request.GET.get("until", ""))
    statement = selectors.jht_statement(user=request.user, person_id=person_id, until=until)
    if request.GET.get("format") == "pdf":
        return file_response(jht_statement_pdf(statement), f"jht-{person_id}.pdf", content_type=PDF_TYPE)
    return render(request, "benefits/jht.html", {"s": statement, "until": until})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A participant's own claims and JHT balance (the portal; scope limits it to their person)."""
    scope = scope_for(request.user)
    if scope.person_id is None:
        raise Http404("Halaman ini untuk peserta.")
    claims = selectors.claim_list(user=request.user).prefetch_related("payments")
    statement = selectors.jht_statement(user=request.user, person_id=scope.person_id)
    return render(
        request,
        "benefits/mine.html",
        {
            "claims": [{"claim": c, "label": LABELS[c.benefit]} for c in claims],
            "s": statement,
        },
    )


def _file_to_claim(
    request: HttpRequest, claim_id: int, keep: Callable[[Any], Any], *, missing: str, done: str
) -> HttpResponse:
    """A file sent to a claim (a document, a proof of life): kept by ``keep(upload)``, then back to the
    claim's page saying what happened; a claim out of sight is not found, a role not allowed refused."""
    selectors.claim_get(user=request.user, claim_id=claim_id)
    try:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed([Problem("file_required", missing, "file")])
        keep(upload)
    except PermissionDenied:
        raise
    except (ValidationFailed, DomainError) as exc:
        for problem in _problems(exc):
            messages.error(request, problem.message)
    else:
        messages.info(request, done)
    return redirect("benefits:claim", claim_id=claim_id)


@login_required
def claim_document(request: HttpRequest, claim_id: int, code: str) -> HttpResponse:
    """A claim document as a file: shown to whoever may see the claim (audited), added by the
    claimant or the officer (issue 27 §5)."""
    if request.method == "POST":
        return _file_to_claim(
            request,
            claim_id,
            lambda upload: services.claim_document_attach(
                actor=request.user, claim_id=claim_id, code=code, upload=upload
            ),
            missing="Pilih berkas dokumen.",
            done="Dokumen terunggah.",
        )
    stored, content = selectors.claim_document_file(user=request.user, claim_id=claim_id, code=code)
    return file_response(content, stored.original_name, content_type=stored.content_type, inline=True)


@login_required
def jht_own(request: HttpRequest) -> HttpResponse:
    """The participant's short JHT claim (issue 27 §4): the reason in plain words, the bank account,
    the documents as files; the claim goes to the branch to verify."""
    scope = scope_for(request.user)
    if scope.person_id is None:
        raise Http404("Halaman ini untuk peserta.")
    problems: list[Problem] = []
    form = {k: request.POST.get(k, "").strip() for k in ("reason", "separation_date", "payee_bank", "payee_account")}
    if request.method == "POST":
        try:
            if not request.POST.get("confirm"):
                said = "Centang pernyataan bahwa data dan dokumen yang Anda kirim benar."
                raise ValidationFailed([Problem("confirm_required", said, "confirm")])
            claim = services.jht_claim_own(
                actor=request.user,
                reason=form["reason"],
                separation_date=parse_date(form["separation_date"]) if form["separation_date"] else None,
                payee_bank=form["payee_bank"],
                payee_account=form["payee_account"],
                files={code: f for code, f in request.FILES.items()},
            )
        except (ValidationFailed, DomainError) as exc:
            problems = _problems(exc)
        else:
            if claim.state == "rejected":
                messages.error(request, f"Klaim JHT tidak dapat dibayar: {claim.rejection_note}")
            else:
                messages.info(request, "Klaim JHT terkirim ke kantor cabang untuk diverifikasi.")
            return redirect("benefits:mine")
    return render(
        request,
        "benefits/jht_own.html",
        {
            "form": form,
            "problems": problems,
            "reasons": [(r, JHT_REASON_LABELS[r]) for r in services.OWN_JHT_REASONS],
            "documents": DOCUMENTS["JHT"],
            "max_mb": 5,
        },
        status=400 if problems else 200,
    )


@login_required
def proof_of_life(request: HttpRequest, claim_id: int) -> HttpResponse:
    """A proof of life sent as a file for a pension in payment (by the pensioner or the officer)."""
    if request.method != "POST":
        return redirect("benefits:claim", claim_id=claim_id)
    given = parse_date(request.POST.get("given_on", "")) if request.POST.get("given_on") else None
    return _file_to_claim(
        request,
        claim_id,
        lambda upload: services.proof_of_life_record(
            actor=request.user, claim_id=claim_id, upload=upload, given_on=given
        ),
        missing="Pilih berkas bukti hidup.",
        done="Bukti hidup terkirim; kantor cabang akan memeriksanya.",
    )


@login_required
def proof_of_life_file(request: HttpRequest, proof_id: int) -> HttpResponse:
    stored, content = selectors.proof_of_life_file(user=request.user, proof_id=proof_id)
    return file_response(content, stored.original_name, content_type=stored.content_type, inline=True)


@login_required
def proofs_waiting(request: HttpRequest) -> HttpResponse:
    """The branch's proof-of-life queue: proofs sent and not yet checked."""
    if not access.can_decide(request.user):
        raise Http404("Antrean bukti hidup untuk petugas klaim.")
    waiting = Paginator(selectors.proofs_of_life_waiting(user=request.user), 50).get_page(request.GET.get("page"))
    suspended = selectors.pensions_suspended(user=request.user, on=timezone.localdate())
    return render(
        request,
        "benefits/proofs_waiting.html",
        {"page": waiting, "suspended": suspended[:200], "suspended_count": suspended.count()},
    )


@login_required
def payroll(request: HttpRequest) -> HttpResponse:
    """The national pension payroll (issue 31 §4): its runs, what waits to be sent to each bank, the
    batches and their answers; a batch made for a bank, a bank's results file imported."""
    problems: list[Problem] = []
    results: dict[str, Any] | None = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "batch":
                asked = read_form(PensionBatchIn, request.POST, labels={"period": "Bulan", "bank": "Bank"})
                made = pensions.pension_batch_create(
                    actor=request.user, period=Period.parse(asked.period).first_day, bank=asked.bank
                )
                messages.success(request, f"Batch {made} untuk {made.bank}: {made.payments} pembayaran.")
                return redirect("benefits:payroll")
            if action == "results":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationFailed([Problem("file_required", "Pilih berkas hasil dari bank.", "file")])
                results = pensions.pension_results_import(
                    actor=request.user,
                    content=read_upload(upload, max_bytes=MAX_BYTES),
                    file_name=upload.name or "hasil.csv",
                )
            else:
                raise ValidationFailed([Problem("action_unknown", "Tindakan tidak dikenal.", None)])
        except (ValidationFailed, DomainError) as exc:
            problems = _problems(exc)
    try:
        overview = selectors.payroll_overview(user=request.user)
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc
    this_month = timezone.localdate().replace(day=1)
    return render(
        request,
        "benefits/payroll.html",
        {**overview, "problems": problems, "results": results, "this_month": this_month},
    )


@login_required
def pension_batch_file(request: HttpRequest, batch_id: int) -> HttpResponse:
    try:
        batch, rows = selectors.pension_batch_file_rows(user=request.user, batch_id=batch_id)
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc
    # A bank's system reads the file: no byte-order mark, account numbers whole.
    return table_response(Table(f"{batch}-{slugify(batch.bank)}", rows[0], rows[1:], full_nik=True), "csv", bom=False)
