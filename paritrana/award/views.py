"""Pages of the Paritrana Award: editions, an edition's stages and categories, a category's board
(the ranking for the committee; a juror's own candidates and marks), a candidate's calculation,
self-nomination, the public results and the winners' certificates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from paritrana.accounts.scope import scope_for
from paritrana.accounts.selectors import user_named
from paritrana.core.errors import DomainError, Problem, ValidationFailed
from paritrana.core.exports import PDF_TYPE, file_response
from paritrana.regions import selectors as regions

from . import certificate, selectors, services
from .models import Category, Stage
from .rules import award as rules


def _problems(exc: Exception) -> list[Problem]:
    if isinstance(exc, (DomainError, ValidationFailed)):
        return exc.problems
    return [Problem("input_invalid", str(exc), None)]


@login_required
def editions(request: HttpRequest) -> HttpResponse:
    problems: list[Problem] = []
    if request.method == "POST":
        try:
            made = services.edition_create(actor=request.user, year=int(request.POST.get("year", "0")))
            return redirect("award:edition", year=made.year)
        except (DomainError, ValidationFailed, ValueError) as exc:
            problems = (
                _problems(exc)
                if not isinstance(exc, ValueError)
                else [Problem("year_invalid", "Tahun harus angka.", "year")]
            )
    found = selectors.edition_list(actor=request.user)
    return render(
        request,
        "award/editions.html",
        {
            "editions": found,
            "problems": problems,
            "can_write": scope_for(request.user).everything,
        },
    )


@login_required
def edition(request: HttpRequest, year: int) -> HttpResponse:
    problems: list[Problem] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "draw":
                services.candidates_draw(actor=request.user, year=year)
            elif action == "advance":
                services.stage_advance(actor=request.user, year=year)
            elif action == "juror":
                user = user_named(request.POST.get("username", ""))
                if user is None:
                    raise ValidationFailed([Problem("user_unknown", "Pengguna tidak ditemukan.", "username")])
                services.juror_assign(
                    actor=request.user,
                    year=year,
                    user=user,
                    stage=request.POST.get("stage", ""),
                    category=request.POST.get("category", ""),
                    province_code=request.POST.get("province", ""),
                    title=request.POST.get("title", ""),
                )
            return redirect("award:edition", year=year)
        except (DomainError, ValidationFailed) as exc:
            problems = exc.problems
    found = selectors.edition_get(actor=request.user, year=year)
    staff = scope_for(request.user).everything
    return render(
        request,
        "award/edition.html",
        {
            "edition": found,
            "rows": selectors.category_rows(edition=found),
            "seats": selectors.seats(actor=request.user, edition=found),
            "can_write": staff,
            "stages": Stage.choices,
            "jury_stages": [(s, Stage(s).label) for s in rules.JURY_STAGES],
            "provinces": regions.provinces(),
            "problems": problems,
        },
    )


@login_required
def category(request: HttpRequest, year: int, code: str) -> HttpResponse:
    problems: list[Problem] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            candidate_id = int(request.POST.get("candidate", "0") or 0)
            if action == "score":
                marks = {k[5:]: v for k, v in request.POST.items() if k.startswith("mark_")}
                services.score_record(
                    actor=request.user, candidate_id=candidate_id, marks=marks, note=request.POST.get("note", "")
                )
            elif action == "conflict":
                services.conflict_declare(
                    actor=request.user, candidate_id=candidate_id, reason=request.POST.get("reason", "")
                )
            elif action == "verify":
                services.verify(
                    actor=request.user,
                    candidate_id=candidate_id,
                    ok=request.POST.get("ok") == "1",
                    note=request.POST.get("note", ""),
                )
            elif action == "weights":
                weights = {k[7:]: int(request.POST.get(k) or 0) for k in request.POST if k.startswith("weight_")}
                services.weights_set(actor=request.user, year=year, category=code, weights=weights)
            return redirect(request.get_full_path())
        except (DomainError, ValidationFailed) as exc:
            problems = exc.problems
        except ValueError:
            problems = [Problem("input_invalid", "Isian harus angka.", None)]
    board = selectors.board(actor=request.user, year=year, category=code, province=request.GET.get("provinsi", ""))
    cat: Category = board.category
    indicators = rules.ENTERPRISE_INDICATORS if cat.kind == "enterprise" else rules.REGION_INDICATORS
    rows = [
        {
            "c": c,
            "marks": board.marks.get(c.pk, {}),
            "conflict": c.pk in board.conflicts,
            "fields": [(k, label, board.marks.get(c.pk, {}).get(k, "")) for k, label in board.criteria],
        }
        for c in board.candidates
    ]
    return render(
        request,
        "award/category.html",
        {
            "edition": cat.edition,
            "category": cat,
            "rows": rows,
            "juror": board.juror,
            "problems": problems,
            "weights": [(i, cat.weights.get(i.code, 0)) for i in indicators],
            "can_write": scope_for(request.user).everything and cat.edition.stage == Stage.SETUP,
        },
    )


@login_required
def candidate(request: HttpRequest, candidate_id: int) -> HttpResponse:
    found = selectors.candidate_get(actor=request.user, candidate_id=candidate_id)
    staff = scope_for(request.user).everything or scope_for(request.user).role == "coordination_viewer"
    return render(
        request,
        "award/candidate.html",
        {
            "c": found,
            "rows": selectors.calculation_rows(found),
            "staff": staff,
            "stage_weights": found.category.stage_weights,
        },
    )


@login_required
def nominate(request: HttpRequest, year: int) -> HttpResponse:
    """An enterprise's HR nominates its own enterprise in a category that takes self-nominations."""
    scope = scope_for(request.user)
    problems: list[Problem] = []
    done = None
    open_categories = selectors.self_nomination_categories(year=year)
    if not open_categories:
        raise Http404("Tidak ada kategori pendaftaran mandiri.")
    if request.method == "POST":
        try:
            employer_id = scope.employer_id or int(request.POST.get("employer", "0") or 0)
            done = services.nominate(
                actor=request.user, year=year, category=request.POST.get("category", ""), employer_id=employer_id
            )
        except (DomainError, ValidationFailed) as exc:
            problems = exc.problems
        except ValueError:
            problems = [Problem("input_invalid", "Nomor badan usaha harus angka.", "employer")]
    return render(
        request,
        "award/nominate.html",
        {
            "year": year,
            "categories": open_categories,
            "problems": problems,
            "done": done,
            "own": scope.employer_id is not None,
        },
    )


def results(request: HttpRequest, year: int) -> HttpResponse:
    """Public: the announced results."""
    found = selectors.results(year=year)
    return render(request, "award/results.html", found)


def certificate_pdf(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """Public: a winner's certificate (PDF), once the results are announced."""
    found = selectors.winner_get(candidate_id=candidate_id)
    url = request.build_absolute_uri(f"/penghargaan/{found.category.edition.year}/hasil/")
    return file_response(
        certificate.pdf(found, results_url=url),
        f"paritrana-award-{found.pk}.pdf",
        content_type=PDF_TYPE,
        inline=True,
    )
