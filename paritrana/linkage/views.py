"""Pages for outside lists: import and run, a run's summaries, the clerical review queue, outreach
files and BPU registration drafts."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from paritrana.accounts.scope import scope_for
from paritrana.core.errors import DomainError, NotFound, Problem, ValidationFailed
from paritrana.core.exports import FORMATS, table_response
from paritrana.core.forms import read_form

from . import selectors, services
from .models import ListKind
from .schemas import LIST_LABELS, DraftsIn, ListIn, RerunIn, ReviewIn


@login_required
def lists(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    found = selectors.list_lists(actor=request.user)
    problems: list[Problem] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationFailed([Problem("file_missing", "Pilih berkas daftar.", "file")])
            with tempfile.NamedTemporaryFile(suffix=_safe_suffix(upload.name or "")) as tmp:
                for chunk in upload.chunks():
                    tmp.write(chunk)
                tmp.flush()
                about = read_form(ListIn, request.POST, labels=LIST_LABELS)
                made = services.list_import(
                    actor=request.user,
                    path=Path(tmp.name),
                    file_name=upload.name or "daftar.csv",
                    kind=about.kind,
                    name=about.name.strip(),
                    bank=about.bank.strip(),
                    year=about.year,
                    cohort=about.cohort.strip(),
                )
            services.run_create(actor=request.user, list_id=made.pk)
            return redirect("linkage:list", list_id=made.pk)
        except (ValidationFailed, DomainError) as exc:
            problems = exc.problems
    runs = {x.pk: selectors.latest_run(x.pk) for x in found}
    return render(
        request,
        "linkage/lists.html",
        {"lists": [(x, runs[x.pk]) for x in found], "problems": problems, "kinds": ListKind.choices,
         "can_write": scope.everything},
    )  # fmt: skip


@login_required
def list_detail(request: HttpRequest, list_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    listed = selectors.list_get(actor=request.user, list_id=list_id)
    if request.method == "POST" and request.POST.get("action") == "rerun":
        try:
            services.run_create(actor=request.user, list_id=list_id, retrain=read_form(RerunIn, request.POST).retrain)
        except DomainError as exc:
            raise Http404(exc.problems[0].message) from exc
        return redirect("linkage:list", list_id=list_id)
    run = selectors.latest_run(list_id)
    summary = selectors.run_summary(actor=request.user, run_id=run.pk) if run and run.status == "done" else None
    uncovered = []
    if summary and selectors.reads_persons(scope):
        rows = selectors.outreach_rows(actor=request.user, run_id=run.pk)  # type: ignore[union-attr]
        uncovered = [r for r in rows if r["outcome"] == "not_covered"][:25]
    return render(
        request,
        "linkage/list.html",
        {"listed": listed, "run": run, "summary": summary, "can_write": scope.everything,
         "personal": selectors.reads_persons(scope), "uncovered": uncovered},
    )  # fmt: skip


@login_required
def progress(request: HttpRequest, run_id: int) -> JsonResponse:
    run = selectors.run_get(actor=request.user, run_id=run_id)
    return JsonResponse({"status": run.status, "stage": run.stage, "progress": run.progress})


@login_required
def review(request: HttpRequest, run_id: int) -> HttpResponse:
    problems: list[Problem] = []
    if request.method == "POST":
        try:
            decided = read_form(ReviewIn, request.POST)
            services.review_decide(actor=request.user, match_id=decided.match, person_id=decided.person)
            return redirect("linkage:review", run_id=run_id)
        except (ValidationFailed, DomainError) as exc:
            problems = exc.problems
    run = selectors.run_get(actor=request.user, run_id=run_id)
    items = selectors.review_queue(actor=request.user, run_id=run_id)
    return render(request, "linkage/review.html", {"run": run, "items": items, "problems": problems})


@login_required
def outreach(request: HttpRequest, run_id: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    rows = selectors.outreach_rows(actor=request.user, run_id=run_id, branch=request.GET.get("cabang") or None)
    return table_response(selectors.outreach_table(rows, run_id=run_id), fmt)


@login_required
@require_POST
def drafts(request: HttpRequest, run_id: int) -> HttpResponse:
    try:
        chosen = read_form(DraftsIn, request.POST)
        upload = services.drafts_for_enrolment(
            actor=request.user, run_id=run_id, match_ids=chosen.match, sponsor_code=chosen.sponsor.strip()
        )
    except (ValidationFailed, DomainError, NotFound) as exc:
        run = selectors.run_get(actor=request.user, run_id=run_id)
        return render(request, "linkage/drafts_refused.html", {"run": run, "problems": exc.problems}, status=400)
    return redirect("enrolment:upload", upload_id=upload.pk)


def _safe_suffix(file_name: str) -> str:
    """The temporary copy's suffix: one of the formats read, never text from the uploaded name."""
    suffix = Path(file_name).suffix.lower()
    return suffix if suffix in (".csv", ".txt", ".xlsx", ".parquet") else ".csv"
