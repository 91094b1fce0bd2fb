"""Reads of the registry, always through the caller's scope (accounts/scope.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from paritrana.accounts.scope import Scope, scope_for
from paritrana.core.audit import audit_read
from paritrana.core.errors import NotFound
from paritrana.core.exports import mask_nik
from paritrana.regions.models import Region

from .models import (
    Employer,
    EmployerKind,
    EmployerScale,
    EndReason,
    Membership,
    Person,
    Segment,
    Sex,
    Sponsor,
    SponsorKind,
)
from .rules.names import same_name, split_titles


def payer_retention_cutoff() -> date:
    """The oldest end date of a membership whose payer still sees the person.

    An employer or sponsor sees a person only through its own membership, and after that membership
    ends only for ``PARITRANA_PAYER_RETENTION_DAYS`` (default 90: the last bill, the letter of
    resignation a JHT or JKP claim asks for). UU 27/2022 (Pelindungan Data Pribadi) Pasal 16 ayat
    (2): personal data is processed for its purpose and kept no longer than its retention. The window
    is policy, not a figure of law; BPJS staff keep the whole history."""
    return timezone.localdate() - timedelta(days=settings.PARITRANA_PAYER_RETENTION_DAYS)


def _membership_of_payer(scope: Scope) -> Q:
    """A payer's own memberships that are live, or ended within the retention the law needs."""
    live = Q(valid_until__isnull=True) | Q(valid_until__gte=payer_retention_cutoff())
    if scope.employer_id is not None:
        return live & Q(employer_id=scope.employer_id)
    if scope.sponsor_id is not None:
        return live & Q(sponsor_id=scope.sponsor_id)
    return Q(pk__in=[])


def _person_in_region(scope: Scope) -> Q:
    """A person lives in the scope's regencies, or holds a membership administered there."""
    in_region = Membership.objects.filter(person=OuterRef("pk"), regency__in=scope.regencies)
    return Q(regency__in=scope.regencies) | Q(Exists(in_region))


def _person_of_payer(scope: Scope) -> Q:
    return Q(Exists(Membership.objects.filter(_membership_of_payer(scope), person=OuterRef("pk"))))


def _persons_scoped(scope: Scope) -> QuerySet[Person]:
    return scope.restrict(
        Person.objects.all(),
        regency=_person_in_region,
        employer=_person_of_payer,
        sponsor=_person_of_payer,
        person="pk",
    )


def persons_visible(*, user: Any) -> QuerySet[Person]:
    """Every person the user may see (no search, no audit): for writers that must name a person."""
    return _persons_scoped(scope_for(user))


def person_list(*, user: Any, q: str = "", regency: str = "", sex: str = "", segment: str = "") -> QuerySet[Person]:
    """Persons the user may see, optionally searched by NIK (16 digits), KPJ (11 digits) or name."""
    persons = _persons_scoped(scope_for(user))
    q = q.strip()
    digits = q.replace(" ", "").replace(".", "").replace("-", "")
    if digits.isdigit() and len(digits) == 16:
        persons = persons.filter(nik=digits)
    elif digits.isdigit() and len(digits) == 11:
        persons = persons.filter(Exists(Membership.objects.filter(person=OuterRef("pk"), kpj=digits)))
    elif q:
        persons = persons.filter(full_name__icontains=q)
    if regency:
        persons = persons.filter(regency_id=regency)
    if sex:
        persons = persons.filter(sex=sex)
    if segment:
        persons = persons.filter(Exists(Membership.objects.filter(person=OuterRef("pk"), segment=segment)))
    return persons.select_related("regency", "province").order_by("full_name", "id")


def person_get(*, user: Any, person_id: int, channel: str = "page", log_view: bool = True) -> Person:
    """One full record. A staff view is written to the audit trail (DESIGN.md §3.7)."""
    scope = scope_for(user)
    person = _persons_scoped(scope).select_related("village", "regency", "province").filter(pk=person_id).first()
    if person is None:
        raise NotFound("Orang")
    if log_view:
        audit_person_read(
            user=user, action="person_view", entity="person", entity_id=person.pk, channel=channel, persons=[person.pk]
        )
    return person


def audit_person_read(
    *,
    user: Any,
    action: str,
    entity: str,
    entity_id: object = "",
    channel: str = "page",
    persons: QuerySet[Any] | Iterable[int] = (),
    detail: dict[str, Any] | None = None,
) -> None:
    """Record a staff read of personal data with every person it showed (DESIGN.md §3.7). A
    participant reading their own record is not staff and is not recorded; the command line is."""
    if scope_for(user).is_staff_reader:
        audit_read(
            actor=user,
            action=action,
            entity=entity,
            entity_id=entity_id,
            channel=channel,
            persons=persons,
            detail=detail,
        )


def _paying_for(payer: str) -> Callable[[Scope], Q]:
    """An employer or sponsor that pays for one of the participant's memberships (one row each,
    however many memberships)."""

    def reach(scope: Scope) -> Q:
        return Q(Exists(Membership.objects.filter(**{payer: OuterRef("pk")}, person=scope.person_id)))

    return reach


def _employers_scoped(scope: Scope) -> QuerySet[Employer]:
    # Aggregate-only roles may still read employers: they are organisations, not persons.
    return scope.restrict(
        Employer.objects.all(), regency="regency", employer="pk", person=_paying_for("employer"), personal=False
    )


def employer_list(*, user: Any, q: str = "", regency: str = "", kind: str = "", scale: str = "") -> QuerySet[Employer]:
    employers = _employers_scoped(scope_for(user))
    if q.strip():
        text = q.strip()
        employers = employers.filter(Q(npp=text) | Q(name__icontains=text))
    if regency:
        employers = employers.filter(regency_id=regency)
    if kind:
        employers = employers.filter(kind=kind)
    if scale:
        employers = employers.filter(scale=scale)
    return employers.select_related("regency", "branch").order_by("name", "id")


def employer_get(*, user: Any, employer_id: int) -> Employer:
    employer = (
        _employers_scoped(scope_for(user))
        .select_related("regency", "province", "branch")
        .filter(pk=employer_id)
        .first()
    )
    if employer is None:
        raise NotFound("Pemberi kerja")
    return employer


def payer_in_region(prefix: str = "") -> Callable[[Scope], Q]:
    """A sponsor (or what it pays for, through ``prefix``) in the scope's regencies; a provincial
    APBD, which has no regency, in the scope's provinces."""

    def reach(scope: Scope) -> Q:
        return Q(**{f"{prefix}regency__in": scope.regencies}) | Q(
            **{f"{prefix}regency__isnull": True, f"{prefix}province__in": scope.provinces}
        )

    return reach


def _sponsors_scoped(scope: Scope) -> QuerySet[Sponsor]:
    return scope.restrict(
        Sponsor.objects.all(), regency=payer_in_region(), sponsor="pk", person=_paying_for("sponsor"), personal=False
    )


def sponsor_list(*, user: Any, q: str = "", kind: str = "") -> QuerySet[Sponsor]:
    sponsors = _sponsors_scoped(scope_for(user))
    if q.strip():
        sponsors = sponsors.filter(Q(code=q.strip()) | Q(name__icontains=q.strip()))
    if kind:
        sponsors = sponsors.filter(kind=kind)
    return sponsors.select_related("region").order_by("name", "id")


def sponsor_get(*, user: Any, sponsor_id: int) -> Sponsor:
    sponsor = _sponsors_scoped(scope_for(user)).select_related("region", "employer").filter(pk=sponsor_id).first()
    if sponsor is None:
        raise NotFound("Penanggung iuran")
    return sponsor


def _memberships_scoped(scope: Scope) -> QuerySet[Membership]:
    return scope.restrict(
        Membership.objects.all(),
        regency=("regency", "person__regency"),
        employer=_membership_of_payer,
        sponsor=_membership_of_payer,
        person="person",
    )


def membership_list(
    *,
    user: Any,
    person_id: int | None = None,
    employer_id: int | None = None,
    sponsor_id: int | None = None,
    segment: str = "",
    status: str = "",
    kpj: str = "",
    q: str = "",
) -> QuerySet[Membership]:
    """``q``: a KPJ, or part of the member's name (an employer's workforce list, issue 27 §3)."""
    memberships = _memberships_scoped(scope_for(user))
    if person_id is not None:
        memberships = memberships.filter(person_id=person_id)
    if employer_id is not None:
        memberships = memberships.filter(employer_id=employer_id)
    if sponsor_id is not None:
        memberships = memberships.filter(sponsor_id=sponsor_id)
    if segment:
        memberships = memberships.filter(segment=segment)
    if status:
        memberships = memberships.filter(status=status)
    if kpj:
        memberships = memberships.filter(kpj=kpj)
    if q.strip():
        text = q.strip()
        memberships = memberships.filter(Q(kpj=text) | Q(person__full_name__icontains=text))
    return memberships.select_related("person", "employer", "sponsor").order_by("-valid_from", "id")


def membership_get(*, user: Any, membership_id: int) -> Membership:
    membership = (
        _memberships_scoped(scope_for(user))
        .select_related("person", "employer", "sponsor")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound("Kepesertaan")
    return membership


def end_reasons() -> list[tuple[str, str]]:
    """The reasons a membership may end, for a page's menu."""
    return list(EndReason.choices)


def registry_counts(*, user: Any) -> dict[str, int]:
    """Counts for a home page. Aggregate-only roles get national counts; others their scope's."""
    scope = scope_for(user)
    if scope.role is not None and not scope.personal_data:
        persons, memberships = Person.objects.all(), Membership.objects.all()
    else:
        persons, memberships = _persons_scoped(scope), _memberships_scoped(scope)
    return {
        "persons": persons.count(),
        "memberships_active": memberships.filter(status="active").count(),
        "employers": _employers_scoped(scope).count(),
        "sponsors": _sponsors_scoped(scope).count(),
    }


# -- set-based facts for other apps' bulk reports (the award's indicators) ----------------------------

# A membership is in force on a day when it began on or before it and had not ended (no end date: open).
_IN_FORCE = "(m.valid_from <= {day} AND coalesce(m.valid_until, 'infinity'::date) >= {day})"
_START, _END = _IN_FORCE.format(day="%(start)s"), _IN_FORCE.format(day="%(end)s")
_REGION_COUNTS = f"""
       count(DISTINCT m.person_id) FILTER (WHERE {_END}) AS active_end,
       count(DISTINCT m.person_id) FILTER (WHERE {_START} AND m.segment = 'PU') AS pu_start,
       count(DISTINCT m.person_id) FILTER (WHERE {_END} AND m.segment = 'PU') AS pu_end,
       count(DISTINCT m.person_id) FILTER (WHERE {_START} AND m.segment = 'BPU') AS bpu_start,
       count(DISTINCT m.person_id) FILTER (WHERE {_END} AND m.segment = 'BPU') AS bpu_end,
       count(DISTINCT m.employer_id) FILTER (WHERE {_START} AND m.segment = 'PU') AS employers_start,
       count(DISTINCT m.employer_id) FILTER (WHERE {_END} AND m.segment = 'PU') AS employers_end,
       count(DISTINCT m.person_id) FILTER (WHERE {_END} AND m.tags && %(tags)s::varchar[]) AS tagged_end
FROM registry_membership m"""
# Regencies and provinces as two groupings joined by UNION ALL rather than one GROUPING SETS, which
# Citus cannot distribute (docs/scale.md); a province counts a person once across its regencies.
_REGION_COUNTS_SQL = f"""
SELECT m.regency_code AS code, {_REGION_COUNTS} GROUP BY m.regency_code
UNION ALL
SELECT left(m.regency_code, 2) AS code, {_REGION_COUNTS} GROUP BY left(m.regency_code, 2)
"""
_EMPLOYER_WORKERS_SQL = f"""
SELECT e.id,
       count(DISTINCT m.person_id) FILTER (WHERE {_START} AND m.segment = 'PU'),
       count(DISTINCT m.person_id) FILTER (WHERE {_END} AND m.segment = 'PU')
FROM registry_employer e LEFT JOIN registry_membership m ON m.employer_id = e.id
WHERE e.id = ANY(%(ids)s)
GROUP BY e.id
"""


def counts_in_force_by_region(*, start: date, end: date, tags: list[str]) -> dict[str, dict[str, int]]:
    """Per regency/city and per province: distinct persons in force at
    ``end`` (``active_end``), PU and BPU persons and PU employers at ``start`` and ``end``, and persons
    in force at ``end`` on a membership carrying any of ``tags`` (``tagged_end``)."""
    with connection.cursor() as cursor:
        cursor.execute(_REGION_COUNTS_SQL, {"start": start, "end": end, "tags": tags})
        names = [c.name for c in cursor.description][1:]
        return {row[0]: dict(zip(names, row[1:], strict=True)) for row in cursor.fetchall()}


def employer_workers(*, ids: list[int], start: date, end: date) -> dict[int, tuple[int, int]]:
    """Each employer's distinct PU workers in force at ``start`` and at ``end`` (0 when none)."""
    with connection.cursor() as cursor:
        cursor.execute(_EMPLOYER_WORKERS_SQL, {"start": start, "end": end, "ids": ids})
        return {employer: (w0, w1) for employer, w0, w1 in cursor.fetchall()}


def persons_same_name_born(*, user: Any, full_name: str, birth_date: date, nik: str = "") -> list[dict[str, str]]:
    """People registered with the same name and birth date as a person about to be registered, but
    another NIK (issue 27 §2): a warning against registering one person twice under a mistyped NIK.
    Anyone's, not only within scope — a duplicate elsewhere is still a duplicate — so only the masked
    NIK and the regency are told, and the read is audited with the persons it named."""
    _prefix, name, _suffix = split_titles(full_name)
    if not name:
        return []
    # upper(full_name) is indexed with trigrams (sql.py person_name_trgm), which serve equality too.
    found = [
        p
        for p in Person.objects.filter(full_name__iexact=name, birth_date=birth_date)
        .exclude(nik=nik)
        .select_related("regency")[:20]
        if same_name(name, p.full_name)
    ]
    if found:
        audit_person_read(
            user=user,
            action="person_same_name_warning",
            entity="person",
            channel="page",
            persons=[p.pk for p in found],
        )
    return [{"nik": mask_nik(p.nik), "regency": p.regency.name} for p in found]


def regencies_in_scope(*, user: Any) -> list[tuple[str, str]]:
    """The regencies/cities a user may register employers and sponsors in, by name."""
    scope = scope_for(user)
    regencies = Region.objects.filter(level=2)
    if not scope.everything:
        regencies = regencies.filter(code__in=scope.regencies)
    return [(r.code, f"{r.name} ({r.code})") for r in regencies.order_by("name")]


CHOICES = {
    "sex": Sex,
    "segment": Segment,
    "employer_kind": EmployerKind,
    "employer_scale": EmployerScale,
    "sponsor_kind": SponsorKind,
}


def choices(name: str) -> list[tuple[str, str]]:
    """A vocabulary's (code, label) pairs for a page's menu."""
    return [(str(code), str(label)) for code, label in CHOICES[name].choices]
