"""Reads for the Paritrana Award, scoped: the secretariat and the coordination team see every stage;
a juror sees only the candidates of their seats (stage, category, province) and only their own
marks; the public sees the results once they are announced."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from paritrana.accounts.models import Role
from paritrana.accounts.scope import scope_for
from paritrana.core.errors import NotFound, PermissionDenied

from .models import Candidate, Category, Conflict, Edition, Juror, Score, Stage
from .rules import award as rules


def _staff(actor: Any) -> bool:
    scope = scope_for(actor)
    return scope.everything or scope.role == Role.COORDINATION_VIEWER


def _reader(actor: Any) -> None:
    if not _staff(actor) and scope_for(actor).role != Role.AWARD_JURY:
        raise PermissionDenied("Halaman ini untuk panitia dan juri Paritrana Award.")


def edition_list(*, actor: Any) -> list[Edition]:
    _reader(actor)
    if _staff(actor):
        return list(Edition.objects.all())
    return list(Edition.objects.filter(jurors__user=actor).distinct())


def edition_get(*, actor: Any, year: int) -> Edition:
    _reader(actor)
    edition = Edition.objects.filter(year=year).first()
    if edition is None or (not _staff(actor) and not edition.jurors.filter(user=actor).exists()):
        raise NotFound(f"Edisi {year}")
    return edition


def category_rows(*, edition: Edition) -> list[dict[str, Any]]:
    """Per category: candidates drawn, eligible, shortlisted, verified, invited, winners."""
    rows = []
    for c in edition.categories.annotate(
        drawn=Count("candidates"),
        eligible=Count("candidates", filter=Q(candidates__eligible=True)),
        shortlisted=Count("candidates", filter=Q(candidates__shortlisted=True)),
        verified=Count("candidates", filter=Q(candidates__verified=True)),
        invited=Count("candidates", filter=Q(candidates__invited=True)),
        won=Count("candidates", filter=Q(candidates__winner=True)),
    ):
        rows.append(
            {
                "category": c,
                "drawn": c.drawn,
                "eligible": c.eligible,
                "shortlisted": c.shortlisted,
                "verified": c.verified,
                "invited": c.invited,
                "won": c.won,
            }
        )
    return rows


def seats(*, actor: Any, edition: Edition) -> list[Juror]:
    return list(Juror.objects.filter(edition=edition, user=actor).select_related("category"))


@dataclass
class Board:
    """What one reader sees of one category: the candidates in order, and, for a juror, their seat
    and their own marks (never another juror's, never another stage's)."""

    category: Category
    candidates: list[Candidate]
    juror: Juror | None = None
    marks: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    conflicts: set[int] = field(default_factory=set)
    criteria: list[tuple[str, str]] = field(default_factory=list)


def board(*, actor: Any, year: int, category: str, province: str = "") -> Board:
    edition = edition_get(actor=actor, year=year)
    found = edition.categories.filter(code=category).first()
    if found is None:
        raise NotFound("Kategori")
    candidates = found.candidates.select_related("region", "employer")
    if _staff(actor):
        if province:
            candidates = candidates.filter(province_code=province)
        ordered = candidates.order_by("rank", "-final_score", "-indicator_score", "name")
        return Board(found, list(ordered[:2000]))
    # A juror: their seats of the open stage in this category (a panel member may sit for several
    # provinces), or nothing at all.
    seats_open = list(Juror.objects.filter(edition=edition, user=actor, category=found, stage=edition.stage))
    if not seats_open:
        raise NotFound("Kategori")
    seat = seats_open[0]
    if seat.stage == Stage.PROVINCIAL:
        provinces = {s.province_code for s in seats_open}
        candidates = candidates.filter(province_code__in=provinces, eligible=True)
        criteria = [(rules.PROVINCIAL_CRITERION, "Penilaian panel provinsi")]
    elif seat.stage == Stage.CENTRAL:
        candidates = candidates.filter(shortlisted=True)
        criteria = []
    else:
        candidates = candidates.filter(invited=True)
        criteria = list(rules.RUBRIC.items())
    marks: dict[int, dict[str, Decimal]] = {}
    for s in Score.objects.filter(juror__in=seats_open):
        marks.setdefault(s.candidate_id, {})[s.criterion] = s.value
    conflicts = set(Conflict.objects.filter(juror__in=seats_open).values_list("candidate_id", flat=True))
    return Board(found, list(candidates.order_by("-indicator_score", "name")), seat, marks, conflicts, criteria)


def candidate_get(*, actor: Any, candidate_id: int) -> Candidate:
    """One candidate with its calculation; a juror only for a candidate of their open seat."""
    candidate = Candidate.objects.select_related("category__edition", "region", "employer").filter(pk=candidate_id)
    found = candidate.first()
    if found is None:
        raise NotFound("Kandidat")
    if _staff(actor):
        return found
    visible = board(actor=actor, year=found.category.edition.year, category=found.category.code)
    if found.pk not in {c.pk for c in visible.candidates}:
        raise NotFound("Kandidat")
    return found


def calculation_rows(candidate: Candidate) -> list[dict[str, Any]]:
    rows = []
    for code, part in candidate.calculation.items():
        indicator = rules.INDICATORS[code]
        rows.append(
            {
                "code": code,
                "label": indicator.label,
                "unit": indicator.unit,
                "direction": "naik" if indicator.higher_is_better else "turun",
                **part,
            }
        )
    return rows


def results(*, year: int) -> dict[str, Any]:
    """The announced results (public): per category the ranking of those interviewed and the
    winners. Before the announcement there is nothing to show."""
    edition = Edition.objects.filter(year=year, stage=Stage.PUBLISHED).first()
    if edition is None:
        raise NotFound(f"Hasil Paritrana Award {year}")
    categories = []
    for category in edition.categories.all():
        ranked = list(category.candidates.filter(rank__isnull=False).order_by("rank"))
        categories.append({"category": category, "ranked": ranked, "winners": [c for c in ranked if c.winner]})
    return {"edition": edition, "categories": categories}


def winner_get(*, candidate_id: int) -> Candidate:
    found = (
        Candidate.objects.select_related("category__edition")
        .filter(pk=candidate_id, winner=True, category__edition__stage=Stage.PUBLISHED)
        .first()
    )
    if found is None:
        raise NotFound("Pemenang")
    return found


def self_nomination_categories(*, year: int) -> list[Category]:
    """The edition's categories an enterprise may nominate itself in (scenarios.md S8)."""
    return list(Category.objects.filter(edition__year=year, self_nomination=True))
