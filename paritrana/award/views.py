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
from paritrana.core.forms import read_form, read_values
from paritrana.regions import selectors as regions

from . import certificate, selectors, services
from .models import Category, Stage
from .rules import award as rules
from .schemas import (
    CANDIDATE_LABELS,
    EDITION_LABELS,
    JUROR_LABELS,
    NOMINATE_LABELS,
    CandidateIn,
    EditionIn,
    JurorIn,
    NominateIn,
    WeightsIn,
)


def _problems(exc: Exception) -> list[Problem]:
    if isinstance(exc, (DomainError, ValidationFailed)):
        return exc.problems
    return [Problem("input_invalid", str(exc), None)]


@login_required
def editions(request: HttpRequest) -> HttpResponse:
    problems: list[Problem] = []
    if request.method == "POST":
        try:
            made = services.edition_create(
                actor=request.user, year=read_form(EditionIn, request.POST, labels=EDITION_LABELS).year
            )
            return redirect("award:edition", year=made.year)
        except (DomainError, ValidationFailed) as exc:
            problems = _problems(exc)
    found = selectors.edition_list(actor=request.user)
    return render(
        request,
        "award/editions.html",
        {
            "editions": found,
            "problems": problems,
            "can_write": scope_for(request.user).everything,
            "juror": scope_for(request.user).role == "award_jury",
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
                seat = read_form(JurorIn, request.POST, labels=JUROR_LABELS)
                user = user_named(seat.username)
                if user is None:
                    raise ValidationFailed([Problem("user_unknown", "Pengguna tidak ditemukan.", "username")])
                services.juror_assign(
                    actor=request.user,
                    year=year,
                    user=user,
                    stage=seat.stage,
                    category=seat.category,
                    province_code=seat.province,
                    title=seat.title,
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
            if action == "weights":
                # One box per indicator (weight_<code>); an empty box weighs nothing.
                boxes = {
                    k.removeprefix("weight_"): str(v).strip() or "0"
                    for k, v in request.POST.items()
                    if k.startswith("weight_")
                }
                weights = read_values(WeightsIn, {"weights": boxes}).weights
                services.weights_set(actor=request.user, year=year, category=code, weights=weights)
            elif action in ("score", "conflict", "verify"):
                on = read_form(CandidateIn, request.POST, labels=CANDIDATE_LABELS)
                if action == "score":
                    # One box per indicator (mark_<code>), passed as typed: score_record reads each mark
                    # (0–100, a decimal comma allowed) and names the criterion of each bad one.
                    marks = {k.removeprefix("mark_"): str(v) for k, v in request.POST.items() if k.startswith("mark_")}
                    services.score_record(actor=request.user, candidate_id=on.candidate, marks=marks, note=on.note)
                elif action == "conflict":
                    services.conflict_declare(actor=request.user, candidate_id=on.candidate, reason=on.reason)
                else:
                    services.verify(actor=request.user, candidate_id=on.candidate, ok=on.ok, note=on.note)
            return redirect(request.get_full_path())
        except (DomainError, ValidationFailed) as exc:
            problems = exc.problems
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
            nominated = read_form(NominateIn, request.POST, labels=NOMINATE_LABELS)
            employer_id = scope.employer_id or nominated.employer or 0
            done = services.nominate(
                actor=request.user, year=year, category=nominated.category, employer_id=employer_id
            )
        except (DomainError, ValidationFailed) as exc:
            problems = exc.problems
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
