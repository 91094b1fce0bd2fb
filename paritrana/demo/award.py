"""A demo edition of the Paritrana Award, taken from the demo population through every stage to
winners (``paritrana demo``; ``paritrana award demo``).

The field is drawn from the registry like any edition's. The jurors are demo users, and their marks
are **synthetic**: a deterministic function of the candidate's indicator score with a small
per-juror spread, so that the stages have something to decide. They stand for no one's judgement.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from paritrana.accounts.services import user_provision
from paritrana.award import services
from paritrana.award.models import Candidate, Edition, Juror, Stage
from paritrana.award.rules import award as rules
from paritrana.core.actors import system_actor
from paritrana.core.errors import DomainError
from paritrana.regions.models import Region
from paritrana.registry.models import Employer

SMALL_FIELD = 34  # 2020: 34 small enterprises (scenarios.md S8)
JURORS = {
    "juri.provinsi": "Panel provinsi (tim sembilan)",
    "juri.pusat": "Verifikasi dan validasi pusat",
    "juri.wawancara1": "Dewan juri: akademisi",
    "juri.wawancara2": "Dewan juri: Apindo",
    "juri.wawancara3": "Dewan juri: serikat pekerja",
}


def synthetic_mark(candidate: Candidate, who: str, criterion: str) -> Decimal:
    """A juror's demo mark: 50 + 0.45 × the indicator score, ± 6 by a hash of (candidate, juror,
    criterion); 0–100, two decimals."""
    digest = hashlib.sha256(f"{candidate.pk}:{who}:{criterion}".encode()).digest()
    spread = Decimal(int.from_bytes(digest[:2], "big") % 1201 - 600) / 100
    mark = Decimal(50) + candidate.indicator_score * Decimal("0.45") + spread
    return min(max(mark, Decimal(0)), Decimal(100)).quantize(Decimal("0.01"))


def seat_jurors(*, actor: Any, year: int, users: dict[str, Any]) -> None:
    """The demo's seats: one provincial panel member for every province and category with a
    provincial stage, a central verifier and three interview jurors for every category."""
    edition = Edition.objects.get(year=year)
    provinces = list(Region.objects.filter(kind="provinsi").values_list("code", flat=True))
    for category in edition.categories.all():
        if category.provincial_stage:
            for province in provinces:
                services.juror_assign(
                    actor=actor,
                    year=year,
                    user=users["juri.provinsi"],
                    stage="provincial",
                    category=category.code,
                    province_code=province,
                    channel="cli",
                )
        services.juror_assign(
            actor=actor, year=year, user=users["juri.pusat"], stage="central", category=category.code, channel="cli"
        )
        for name in ("juri.wawancara1", "juri.wawancara2", "juri.wawancara3"):
            services.juror_assign(
                actor=actor,
                year=year,
                user=users[name],
                stage="interview",
                category=category.code,
                title=JURORS[name],
                channel="cli",
            )


def small_nominations(*, actor: Any, year: int, start: date, end: date) -> int:
    """About 34 small enterprises nominate themselves: in turn per province, those with the most
    workers covered (the entry rules still apply)."""
    candidates = (
        Employer.objects.filter(scale="small", kind__in=services.ENTERPRISE_KINDS)
        .annotate(workers=Count("memberships", filter=Q(memberships__segment="PU")))
        .filter(workers__gt=0)
        .order_by("province_id", "-workers", "id")
        .values_list("id", "province_id")
    )
    per_province: dict[str, list[int]] = {}
    for employer_id, province in candidates:
        per_province.setdefault(province, []).append(employer_id)
    chosen = 0
    while chosen < SMALL_FIELD and any(per_province.values()):
        for queue in per_province.values():
            if queue and chosen < SMALL_FIELD:
                try:
                    services.nominate(
                        actor=actor, year=year, category="usaha-kecil", employer_id=queue.pop(0), channel="cli"
                    )
                    chosen += 1
                except DomainError:
                    continue  # arrears or no workers: the entry rules refuse it
    return chosen


def mark_stage(year: int) -> int:
    """Every seated juror of the open stage marks (or, centrally, verifies) their candidates."""
    edition = Edition.objects.get(year=year)
    done = 0
    for seat in Juror.objects.filter(edition=edition, stage=edition.stage).select_related("user", "category"):
        candidates = seat.category.candidates.all()
        if seat.stage == Stage.PROVINCIAL:
            candidates = candidates.filter(province_code=seat.province_code, eligible=True)
        elif seat.stage == Stage.CENTRAL:
            candidates = candidates.filter(shortlisted=True)
        else:
            candidates = candidates.filter(invited=True)
        ordered = list(candidates.order_by("indicator_score", "name"))
        for i, candidate in enumerate(ordered):
            if seat.stage == Stage.CENTRAL:
                # The weakest shortlisted candidate of each category fails verification, to show it.
                ok = i > 0 or len(ordered) == 1
                services.verify(
                    actor=seat.user,
                    candidate_id=candidate.pk,
                    ok=ok,
                    channel="cli",
                    note="" if ok else "Bukti regulasi dan alokasi anggaran tidak dapat dicocokkan.",
                )
            else:
                criteria = [rules.PROVINCIAL_CRITERION] if seat.stage == Stage.PROVINCIAL else list(rules.RUBRIC)
                marks = {c: synthetic_mark(candidate, seat.user.username, c) for c in criteria}
                services.score_record(actor=seat.user, candidate_id=candidate.pk, marks=marks, channel="cli")
            done += 1
    return done


def demo_edition(*, actor: Any, today: date) -> dict[str, Any]:
    year = today.year
    if Edition.objects.filter(year=year).exists():
        return {"skipped": True}
    start = (today.replace(day=1) - timedelta(days=365)).replace(day=1)
    services.edition_create(
        actor=actor,
        year=year,
        period_start=start,
        period_end=today,
        name=f"Paritrana Award {year} (demo)",
        channel="cli",
    )
    users = {}
    for username in JURORS:
        user_provision(actor=system_actor(), username=username, password=f"demo-{username}-2021", role="award_jury")
        users[username] = get_user_model().objects.get(username=username)
    seat_jurors(actor=actor, year=year, users=users)
    small = small_nominations(actor=actor, year=year, start=start, end=today)
    drawn = services.candidates_draw(actor=actor, year=year, channel="cli")
    marks = {}
    for _ in range(5):  # setup → provincial → central → interview → final → published
        edition = services.stage_advance(actor=actor, year=year, channel="cli")
        if edition.stage in rules.JURY_STAGES:
            marks[edition.stage] = mark_stage(year)
    counts = {
        c.code: {
            "drawn": c.candidates.count(),
            "shortlisted": c.candidates.filter(shortlisted=True).count(),
            "invited": c.candidates.filter(invited=True).count(),
            "winners": c.candidates.filter(winner=True).count(),
        }
        for c in Edition.objects.get(year=year).categories.all()
    }
    return {"year": year, "small_nominated": small, "eligible": drawn, "marks": marks, "categories": counts}
