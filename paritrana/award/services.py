"""Writes for the Paritrana Award: editions and categories, candidates drawn from the registry with
their indicators, self-nomination, jurors' seats, conflicts, marks, verification, and the stages
moved forward to winners. Every write is audited; every mark is checked against the juror's seat.

Who may do what: the national administrators run the edition (the award's committee secretariat);
a juror (role ``award_jury``) marks only the candidates of their seat's stage, category and
province, and only while that stage is open; an employer's HR nominates its own enterprise.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from paritrana.accounts.models import Role
from paritrana.accounts.scope import scope_for
from paritrana.core.audit import audit_record
from paritrana.core.errors import DomainError, NotFound, PermissionDenied, Problem, ValidationFailed
from paritrana.regions.models import Region
from paritrana.registry.models import Employer

from .batch import indicators as batch
from .models import Candidate, Category, CategoryKind, Conflict, Edition, Juror, Score, Stage
from .rules import award as rules

# The categories of an edition unless the committee sets others (regulation.md § 6: 2017–2021).
DEFAULT_CATEGORIES: list[dict[str, Any]] = [
    {
        "code": "provinsi",
        "name": "Provinsi terbaik",
        "kind": "province",
        "provincial_stage": False,
        "interview_slots": 12,
        "winners": 7,
    },
    {
        "code": "kabupaten-kota",
        "name": "Kabupaten/kota terbaik",
        "kind": "regency",
        "shortlist_per_province": 4,
        "interview_slots": 12,
        "winners": 8,
    },
    {
        "code": "usaha-besar",
        "name": "Perusahaan besar terbaik",
        "kind": "enterprise",
        "scale": "large",
        "shortlist_per_province": 28,
        "interview_slots": 12,
        "winners": 9,
    },
    {
        "code": "usaha-menengah",
        "name": "Perusahaan menengah terbaik",
        "kind": "enterprise",
        "scale": "medium",
        "shortlist_per_province": 20,
        "interview_slots": 12,
        "winners": 9,
    },
    {
        "code": "usaha-kecil",
        "name": "Usaha kecil terbaik",
        "kind": "enterprise",
        "scale": "small",
        "self_nomination": True,
        "shortlist_per_province": 5,
        "interview_slots": 10,
        "winners": 3,
    },
]


# Business entities (badan usaha): governments and foundations are not enterprises unless a category
# names them.
ENTERPRISE_KINDS = ["private", "bumn", "bumd", "cooperative"]


def _national(actor: Any, channel: str) -> None:
    if not scope_for(actor).everything:
        raise PermissionDenied("Hanya sekretariat panitia (administrator nasional) yang mengelola Paritrana Award.")


def _edition(year: int) -> Edition:
    edition = Edition.objects.filter(year=year).first()
    if edition is None:
        raise NotFound(f"Edisi {year}")
    return edition


@transaction.atomic
def edition_create(
    *,
    actor: Any,
    year: int,
    period_start: date | None = None,
    period_end: date | None = None,
    name: str = "",
    categories: list[dict[str, Any]] | None = None,
    channel: str = "page",
) -> Edition:
    """An edition with its categories; the period defaults to the calendar year before the award."""
    _national(actor, channel)
    if Edition.objects.filter(year=year).exists():
        raise ValidationFailed([Problem("edition_exists", f"Edisi {year} sudah ada.", "year")])
    start = period_start or date(year - 1, 1, 1)
    end = period_end or date(year - 1, 12, 31)
    if end <= start:
        raise ValidationFailed([Problem("period_invalid", "Akhir periode harus setelah awalnya.", "period_end")])
    edition = Edition.objects.create(
        year=year, name=name or f"Paritrana Award {year}", period_start=start, period_end=end
    )
    for order, spec in enumerate(categories or DEFAULT_CATEGORIES):
        category_add(actor=actor, year=year, spec=spec, order=order, channel="cli")
    audit_record(
        actor=actor,
        action="award.edition_create",
        entity="award.Edition",
        entity_id=edition.pk,
        channel=channel,
        detail={"year": year},
    )
    return edition


def category_add(*, actor: Any, year: int, spec: dict[str, Any], order: int = 99, channel: str = "page") -> Category:
    """A category (more can be added: village governments, universities, sectors, zones)."""
    _national(actor, channel)
    edition = _edition(year)
    if edition.stage != Stage.SETUP:
        raise DomainError("edition_started", "Kategori hanya dapat ditambah sebelum seleksi dimulai.")
    kind = spec.get("kind", "")
    if kind not in CategoryKind.values:
        raise ValidationFailed([Problem("category_kind_unknown", f"Jenis kategori {kind!r} tidak dikenal.", "kind")])
    weights = spec.get("weights") or (rules.ENTERPRISE_WEIGHTS if kind == "enterprise" else rules.REGION_WEIGHTS)
    allowed = {i.code for i in (rules.ENTERPRISE_INDICATORS if kind == "enterprise" else rules.REGION_INDICATORS)}
    unknown = sorted(set(weights) - allowed)
    if unknown:
        raise ValidationFailed(
            [Problem("indicator_unknown", f"Indikator tidak dikenal: {', '.join(unknown)}.", "weights")]
        )
    category = Category.objects.create(
        edition=edition,
        code=spec["code"],
        name=spec["name"],
        kind=kind,
        scale=spec.get("scale", ""),
        sector=spec.get("sector", ""),
        employer_kinds=list(spec.get("employer_kinds") or (ENTERPRISE_KINDS if kind == "enterprise" else [])),
        self_nomination=spec.get("self_nomination", False),
        provincial_stage=spec.get("provincial_stage", True),
        weights=dict(weights),
        stage_weights=dict(spec.get("stage_weights") or rules.STAGE_WEIGHTS),
        shortlist_per_province=spec.get("shortlist_per_province", 3),
        interview_slots=spec.get("interview_slots", 10),
        winners=spec.get("winners", 3),
        order=order,
    )
    audit_record(
        actor=actor, action="award.category_add", entity="award.Category", entity_id=category.pk, channel=channel
    )
    return category


@transaction.atomic
def weights_set(*, actor: Any, year: int, category: str, weights: dict[str, int], channel: str = "page") -> Category:
    """The committee's indicator weights for a category; the scores are worked out again."""
    _national(actor, channel)
    found = Category.objects.filter(edition__year=year, code=category).first()
    if found is None:
        raise NotFound("Kategori")
    allowed = {i.code for i in (rules.ENTERPRISE_INDICATORS if found.kind == "enterprise" else rules.REGION_INDICATORS)}
    if set(weights) - allowed or any(int(w) < 0 for w in weights.values()) or not any(weights.values()):
        raise ValidationFailed(
            [
                Problem(
                    "weights_invalid",
                    "Bobot harus untuk indikator kategori ini, tidak negatif, dan tidak semuanya nol.",
                    "weights",
                )
            ]
        )
    found.weights = {k: int(v) for k, v in weights.items()}
    found.save(update_fields=["weights"])
    _score_category(found)
    audit_record(
        actor=actor,
        action="award.weights_set",
        entity="award.Category",
        entity_id=found.pk,
        channel=channel,
        detail=found.weights,
    )
    return found


def _score_category(category: Category) -> None:
    """Indicator scores (rules.award.indicator_scores) for the category's eligible candidates."""
    candidates = list(category.candidates.filter(eligible=True))
    values = {
        c.pk: {k: None if v is None else Decimal(v) for k, v in c.values.items() if k in category.weights}
        for c in candidates
    }
    scored = rules.indicator_scores(values, category.weights)
    for c in candidates:
        total, parts = scored[c.pk]
        c.indicator_score = total
        c.calculation = {p.code: p.as_dict() for p in parts}
    Candidate.objects.bulk_update(candidates, ["indicator_score", "calculation"], batch_size=2000)
    category.candidates.filter(eligible=False).update(indicator_score=0, calculation={})


def _as_text(values: dict[str, Decimal | None]) -> dict[str, str | None]:
    return {k: None if v is None else str(v) for k, v in values.items()}


@transaction.atomic
def candidates_draw(*, actor: Any, year: int, channel: str = "page") -> dict[str, int]:
    """Every province and regency/city, and the enterprises of each scale meeting the entry rules,
    drawn from the registry with their indicators for the edition's period (set-based). Drawing
    again (before the provincial stage) refreshes the values and keeps self-nominations."""
    _national(actor, channel)
    edition = _edition(year)
    if edition.stage != Stage.SETUP:
        raise DomainError("edition_started", "Kandidat ditarik sebelum seleksi provinsi dimulai.")
    regions = batch.region_values(edition.period_start, edition.period_end, edition.period_end.year)
    counts: dict[str, int] = {}
    for category in edition.categories.all():
        if category.kind in (CategoryKind.PROVINCE, CategoryKind.REGENCY):
            level = "province" if category.kind == CategoryKind.PROVINCE else "regency"
            places = Region.objects.filter(kind__in=["provinsi"] if level == "province" else ["kabupaten", "kota"])
            rows = []
            for region in places.only("code", "name"):
                values = {k: regions.get(region.code, {}).get(k) for k in category.weights}
                rows.append(
                    Candidate(
                        category=category,
                        region=region,
                        province_code=region.code[:2],
                        name=region.name,
                        values=_as_text(values),
                    )
                )
            Candidate.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["category", "region"],
                update_fields=["values", "name"],
                batch_size=1000,
            )
        else:
            _draw_enterprises(category, edition)
        _score_category(category)
        counts[category.code] = category.candidates.filter(eligible=True).count()
    edition.computed_at = timezone.now()
    edition.save(update_fields=["computed_at"])
    audit_record(
        actor=actor,
        action="award.candidates_draw",
        entity="award.Edition",
        entity_id=edition.pk,
        channel=channel,
        detail=counts,
    )
    return counts


def _draw_enterprises(category: Category, edition: Edition) -> None:
    employers = Employer.objects.filter(scale=category.scale, kind__in=category.employer_kinds)
    if category.sector:
        employers = employers.filter(sector=category.sector)
    if category.self_nomination:
        # Only those who nominated themselves stand; their values are refreshed.
        ids = list(category.candidates.values_list("employer_id", flat=True))
    else:
        ids = list(employers.values_list("id", flat=True))
    found = batch.employer_values(ids, edition.period_start, edition.period_end)
    names = dict(Employer.objects.filter(id__in=ids).values_list("id", "name"))
    provinces = dict(Employer.objects.filter(id__in=ids).values_list("id", "province_id"))
    rows = []
    for employer_id, (values, exclusion) in found.items():
        if exclusion and not category.self_nomination:
            continue  # not drawn: the entry rules (no arrears, workers covered)
        rows.append(
            Candidate(
                category=category,
                employer_id=employer_id,
                province_code=provinces[employer_id],
                name=names[employer_id],
                values=_as_text(values),
                eligible=not exclusion,
                exclusion=exclusion,
                self_nominated=category.self_nomination,
            )
        )
    Candidate.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["category", "employer"],
        update_fields=["values", "eligible", "exclusion", "name"],
        batch_size=1000,
    )


EXCLUSIONS = {
    "arrears": "Menunggak iuran pada akhir periode penilaian.",
    "no_workers": "Tidak ada pekerja terlindungi pada akhir periode penilaian.",
}


@transaction.atomic
def nominate(*, actor: Any, year: int, category: str, employer_id: int, channel: str = "page") -> Candidate:
    """Self-nomination of an enterprise (its HR, or the secretariat on its behalf), in a category
    that takes them; the entry rules are checked at once and a refusal says which one failed."""
    scope = scope_for(actor)
    if channel != "cli" and not scope.everything and scope.employer_id != employer_id:
        raise PermissionDenied("Pendaftaran mandiri hanya untuk badan usaha Anda sendiri.")
    found = Category.objects.select_related("edition").filter(edition__year=year, code=category).first()
    if found is None:
        raise NotFound("Kategori")
    if not found.self_nomination:
        raise DomainError("nomination_closed", "Kategori ini tidak menerima pendaftaran mandiri.")
    if found.edition.stage != Stage.SETUP:
        raise DomainError("edition_started", "Pendaftaran ditutup: seleksi sudah dimulai.")
    employer = Employer.objects.filter(pk=employer_id).first()
    if employer is None:
        raise NotFound("Badan usaha")
    if employer.kind not in found.employer_kinds:
        raise DomainError("kind_mismatch", "Kategori ini bukan untuk jenis pemberi kerja ini.")
    if employer.scale != found.scale:
        raise DomainError(
            "scale_mismatch", f"Kategori ini untuk usaha skala {found.scale}; skala terdaftar {employer.scale}."
        )
    values, exclusion = batch.employer_values([employer.pk], found.edition.period_start, found.edition.period_end)[
        employer.pk
    ]
    if exclusion:
        raise DomainError(exclusion, EXCLUSIONS[exclusion])
    candidate, _ = Candidate.objects.update_or_create(
        category=found,
        employer=employer,
        defaults={
            "province_code": employer.province_id,
            "name": employer.name,
            "values": _as_text(values),
            "self_nominated": True,
            "eligible": True,
            "exclusion": "",
        },
    )
    _score_category(found)
    audit_record(
        actor=actor, action="award.nominate", entity="award.Candidate", entity_id=candidate.pk, channel=channel
    )
    return candidate


def juror_assign(
    *,
    actor: Any,
    year: int,
    user: Any,
    stage: str,
    category: str,
    province_code: str = "",
    title: str = "",
    channel: str = "page",
) -> Juror:
    _national(actor, channel)
    edition = _edition(year)
    if stage not in rules.JURY_STAGES:
        raise ValidationFailed([Problem("stage_unknown", f"Tahap {stage!r} tidak dinilai juri.", "stage")])
    found = edition.categories.filter(code=category).first()
    if found is None:
        raise NotFound("Kategori")
    if stage == Stage.PROVINCIAL and not province_code:
        raise ValidationFailed([Problem("province_required", "Panel provinsi harus untuk satu provinsi.", "province")])
    profile = getattr(user, "profile", None)
    if profile is None or profile.role != Role.AWARD_JURY:
        raise ValidationFailed([Problem("not_a_juror", "Pengguna ini tidak berperan sebagai juri.", "user")])
    juror, _ = Juror.objects.get_or_create(
        edition=edition,
        user=user,
        stage=stage,
        category=found,
        province_code=province_code if stage == Stage.PROVINCIAL else "",
        defaults={"title": title},
    )
    audit_record(actor=actor, action="award.juror_assign", entity="award.Juror", entity_id=juror.pk, channel=channel)
    return juror


def _seat(actor: Any, candidate: Candidate, stage: str) -> Juror:
    """The juror's seat that lets ``actor`` act on ``candidate`` in ``stage``, or a refusal."""
    seat = Juror.objects.filter(
        user_id=getattr(actor, "pk", 0) or 0,
        edition_id=candidate.category.edition_id,
        stage=stage,
        category_id=candidate.category_id,
        province_code__in=[candidate.province_code, ""],
    ).first()
    if seat is None or (stage == Stage.PROVINCIAL and seat.province_code != candidate.province_code):
        raise PermissionDenied("Anda bukan juri untuk tahap, kategori atau provinsi kandidat ini.")
    if candidate.category.edition.stage != stage:
        raise DomainError("stage_closed", "Tahap ini sedang tidak dibuka untuk penilaian.")
    if Conflict.objects.filter(juror=seat, candidate=candidate).exists():
        raise DomainError("conflict_declared", "Anda menyatakan konflik kepentingan dengan kandidat ini.")
    return seat


def _candidate(candidate_id: int) -> Candidate:
    found = Candidate.objects.select_related("category__edition").filter(pk=candidate_id).first()
    if found is None:
        raise NotFound("Kandidat")
    return found


def _in_stage(candidate: Candidate, stage: str) -> bool:
    if stage == Stage.PROVINCIAL:
        return candidate.eligible and candidate.category.provincial_stage
    if stage == Stage.CENTRAL:
        return candidate.shortlisted
    return candidate.invited


@transaction.atomic
def conflict_declare(*, actor: Any, candidate_id: int, reason: str, channel: str = "page") -> Conflict:
    """A juror declares a conflict of interest: from then on they cannot mark the candidate, and any
    mark they gave it is withdrawn."""
    candidate = _candidate(candidate_id)
    stage = candidate.category.edition.stage
    seat = Juror.objects.filter(
        user_id=getattr(actor, "pk", 0) or 0,
        category_id=candidate.category_id,
        stage=stage,
        province_code__in=[candidate.province_code, ""],
    ).first()
    if seat is None:
        raise PermissionDenied("Anda bukan juri untuk kandidat ini.")
    if not reason.strip():
        raise ValidationFailed([Problem("reason_required", "Sebutkan alasan konflik kepentingan.", "reason")])
    conflict, _ = Conflict.objects.get_or_create(juror=seat, candidate=candidate, defaults={"reason": reason.strip()})
    withdrawn = Score.objects.filter(juror=seat, candidate=candidate).delete()[0]
    audit_record(
        actor=actor,
        action="award.conflict_declare",
        entity="award.Candidate",
        entity_id=candidate.pk,
        channel=channel,
        detail={"reason": reason.strip(), "marks_withdrawn": withdrawn},
    )
    return conflict


@transaction.atomic
def score_record(
    *, actor: Any, candidate_id: int, marks: dict[str, Any], note: str = "", channel: str = "page"
) -> list[Score]:
    """A juror's marks for one candidate in the open stage: the provincial panel's one mark, or the
    interview rubric's criteria. Each mark is 0–100; changing a mark is allowed while the stage is
    open, and every change is audited with the old and new value."""
    candidate = _candidate(candidate_id)
    stage = candidate.category.edition.stage
    if stage not in (Stage.PROVINCIAL, Stage.INTERVIEW):
        raise DomainError("stage_closed", "Tahap ini tidak menerima nilai juri.")
    seat = _seat(actor, candidate, stage)
    if not _in_stage(candidate, stage):
        raise DomainError("candidate_not_in_stage", "Kandidat ini tidak dinilai pada tahap ini.")
    criteria = [rules.PROVINCIAL_CRITERION] if stage == Stage.PROVINCIAL else list(rules.RUBRIC)
    problems = []
    parsed: dict[str, Decimal] = {}
    for criterion in criteria:
        raw = str(marks.get(criterion, "")).strip().replace(",", ".")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            problems.append(Problem("mark_required", f"Nilai {criterion} harus angka 0–100.", criterion))
            continue
        code = rules.validate_mark(value)
        if code:
            problems.append(
                Problem(code, f"Nilai {criterion} harus 0–100 dengan paling banyak dua desimal.", criterion)
            )
        parsed[criterion] = value
    if problems:
        raise ValidationFailed(problems)
    out = []
    for criterion, value in parsed.items():
        old = Score.objects.filter(juror=seat, candidate=candidate, criterion=criterion).first()
        score, _ = Score.objects.update_or_create(
            juror=seat, candidate=candidate, criterion=criterion, defaults={"value": value, "note": note[:500]}
        )
        audit_record(
            actor=actor,
            action="award.score",
            entity="award.Candidate",
            entity_id=candidate.pk,
            channel=channel,
            detail={
                "stage": stage,
                "criterion": criterion,
                "value": str(value),
                "old": None if old is None else str(old.value),
            },
        )
        out.append(score)
    return out


@transaction.atomic
def verify(*, actor: Any, candidate_id: int, ok: bool, note: str, channel: str = "page") -> Candidate:
    """Central verification and validation of a shortlisted candidate: the data checked, with a note
    (required when the candidate does not pass)."""
    candidate = _candidate(candidate_id)
    _seat(actor, candidate, Stage.CENTRAL)
    if not candidate.shortlisted:
        raise DomainError("candidate_not_in_stage", "Kandidat ini tidak lolos seleksi provinsi.")
    if not ok and not note.strip():
        raise ValidationFailed([Problem("note_required", "Tulis alasan kandidat tidak lolos verifikasi.", "note")])
    candidate.verified, candidate.verification_note = ok, note.strip()[:500]
    candidate.save(update_fields=["verified", "verification_note"])
    audit_record(
        actor=actor,
        action="award.verify",
        entity="award.Candidate",
        entity_id=candidate.pk,
        channel=channel,
        detail={"ok": ok, "note": note.strip()},
    )
    return candidate


def _mean_marks(category: Category, stage: str) -> dict[int, Decimal]:
    """Each candidate's mean over its jurors of their (mean) marks in the stage."""
    per_juror: dict[tuple[int, int], list[Decimal]] = {}
    for s in Score.objects.filter(candidate__category=category, juror__stage=stage).values(
        "candidate_id", "juror_id", "value"
    ):
        per_juror.setdefault((s["candidate_id"], s["juror_id"]), []).append(s["value"])
    by_candidate: dict[int, list[Decimal]] = {}
    for (candidate, _), marks in per_juror.items():
        mark = rules.mean(marks)
        if mark is not None:
            by_candidate.setdefault(candidate, []).append(mark)
    return {c: m for c, marks in by_candidate.items() if (m := rules.mean(marks)) is not None}


@transaction.atomic
def stage_advance(*, actor: Any, year: int, channel: str = "page") -> Edition:
    """Close the open stage and open the next, working out what the closing stage decides:

    - setup → provincial: the candidates must have been drawn;
    - provincial → central: each province's panel mark (mean of its jurors) is set; the best
      ``shortlist_per_province`` per province (indicators and panel) are shortlisted; categories
      without a provincial panel (provinces) shortlist every eligible candidate;
    - central → interview: every shortlisted candidate must be verified; the best verified
      ``interview_slots`` are invited;
    - interview → final: interview scores, final scores (rules.award.stage_total), ranks, winners;
    - final → published: the results page opens to the public.
    """
    _national(actor, channel)
    edition = Edition.objects.select_for_update().filter(year=year).first()
    if edition is None:
        raise NotFound(f"Edisi {year}")
    categories = list(edition.categories.all())
    if edition.stage == Stage.SETUP:
        if edition.computed_at is None:
            raise DomainError("candidates_missing", "Tarik kandidat dari registri lebih dahulu.")
        nxt = Stage.PROVINCIAL
    elif edition.stage == Stage.PROVINCIAL:
        for category in categories:
            _close_provincial(category)
        nxt = Stage.CENTRAL
    elif edition.stage == Stage.CENTRAL:
        pending = Candidate.objects.filter(category__edition=edition, shortlisted=True, verified__isnull=True).count()
        if pending:
            raise DomainError("verification_pending", f"{pending} kandidat belum diverifikasi.")
        for category in categories:
            _invite(category)
        nxt = Stage.INTERVIEW
    elif edition.stage == Stage.INTERVIEW:
        for category in categories:
            _close_interview(category)
        nxt = Stage.FINAL
    elif edition.stage == Stage.FINAL:
        nxt = Stage.PUBLISHED
        edition.published_at = timezone.now()
    else:
        raise DomainError("edition_published", "Hasil edisi ini sudah diumumkan.")
    edition.stage = nxt
    edition.save(update_fields=["stage", "published_at"])
    audit_record(
        actor=actor,
        action="award.stage_advance",
        entity="award.Edition",
        entity_id=edition.pk,
        channel=channel,
        detail={"stage": nxt},
    )
    return edition


def _close_provincial(category: Category) -> None:
    eligible = list(category.candidates.filter(eligible=True))
    if not category.provincial_stage:
        category.candidates.filter(eligible=True).update(shortlisted=True)
        return
    marks = _mean_marks(category, Stage.PROVINCIAL)
    by_province: dict[str, list[Candidate]] = {}
    for c in eligible:
        c.provincial_score = marks.get(c.pk)
        by_province.setdefault(c.province_code, []).append(c)
    for group in by_province.values():
        scores = {
            c.pk: (
                rules.stage_total(c.indicator_score, c.provincial_score, None, category.stage_weights),
                c.indicator_score,
                c.name,
            )
            for c in group
            if c.provincial_score is not None
        }
        chosen = set(rules.ranked(scores)[: category.shortlist_per_province])
        for c in group:
            c.shortlisted = c.pk in chosen
    Candidate.objects.bulk_update(eligible, ["provincial_score", "shortlisted"], batch_size=2000)


def _invite(category: Category) -> None:
    verified = list(category.candidates.filter(shortlisted=True, verified=True))
    scores = {
        c.pk: (
            rules.stage_total(c.indicator_score, c.provincial_score, None, category.stage_weights),
            c.indicator_score,
            c.name,
        )
        for c in verified
    }
    chosen = rules.ranked(scores)[: category.interview_slots]
    category.candidates.filter(pk__in=chosen).update(invited=True)


def _close_interview(category: Category) -> None:
    invited = list(category.candidates.filter(invited=True))
    marks = _mean_marks(category, Stage.INTERVIEW)
    scores = {}
    for c in invited:
        c.interview_score = marks.get(c.pk)
        c.final_score = rules.stage_total(
            c.indicator_score, c.provincial_score, c.interview_score, category.stage_weights
        )
        scores[c.pk] = (c.final_score, c.indicator_score, c.name)
    order = rules.ranked(scores)
    for c in invited:
        c.rank = order.index(c.pk) + 1
        c.winner = c.rank <= category.winners
    Candidate.objects.bulk_update(invited, ["interview_score", "final_score", "rank", "winner"], batch_size=2000)
