"""Reads of the registry, always through the caller's scope (accounts/scope.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from paritrana.accounts.scope import Scope, scope_for
from paritrana.core.audit import audit_read
from paritrana.core.errors import NotFound

from .models import Employer, Membership, Person, Sponsor


def mask_nik(nik: str) -> str:
    """Keep the region prefix and the last two digits: enough to tell people apart in a list,
    not enough to impersonate them (birth date and serial hidden).

    >>> mask_nik("6402015708900003")
    '640201********03'
    """
    return nik[:6] + "*" * 8 + nik[14:]


def payer_retention_cutoff() -> date:
    """The oldest end date of a membership whose payer still sees the person.

    An employer or sponsor sees a person only through its own membership, and after that membership
    ends only for ``PARITRANA_PAYER_RETENTION_DAYS`` (default 90: the last bill, the letter of
    resignation a JHT or JKP claim asks for). UU 27/2022 (Pelindungan Data Pribadi) Pasal 16 ayat
    (2): personal data is processed for its purpose and kept no longer than its retention. The window
    is policy, not a figure of law; BPJS staff keep the whole history."""
    return timezone.localdate() - timedelta(days=settings.PARITRANA_PAYER_RETENTION_DAYS)


def _payer_memberships(scope: Scope) -> QuerySet[Membership]:
    live = Q(valid_until__isnull=True) | Q(valid_until__gte=payer_retention_cutoff())
    if scope.employer_id is not None:
        return Membership.objects.filter(live, employer_id=scope.employer_id)
    if scope.sponsor_id is not None:
        return Membership.objects.filter(live, sponsor_id=scope.sponsor_id)
    return Membership.objects.none()


def _persons_scoped(scope: Scope) -> QuerySet[Person]:
    persons = Person.objects.all()
    if scope.everything:
        return persons
    if not scope.personal_data:
        return persons.none()
    if scope.is_regional:
        in_region = Membership.objects.filter(person=OuterRef("pk"), regency__in=scope.regencies)
        return persons.filter(Q(regency__in=scope.regencies) | Exists(in_region))
    if scope.employer_id is not None or scope.sponsor_id is not None:
        return persons.filter(Exists(_payer_memberships(scope).filter(person=OuterRef("pk"))))
    if scope.person_id is not None:
        return persons.filter(pk=scope.person_id)
    return persons.none()


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


def _employers_scoped(scope: Scope) -> QuerySet[Employer]:
    employers = Employer.objects.all()
    if scope.everything:
        return employers
    if scope.is_regional:
        return employers.filter(regency__in=scope.regencies)
    if scope.employer_id is not None:
        return employers.filter(pk=scope.employer_id)
    if scope.person_id is not None:
        return employers.filter(Exists(Membership.objects.filter(employer=OuterRef("pk"), person_id=scope.person_id)))
    if scope.role is not None and not scope.personal_data:
        # Aggregate-only roles may still read employers: they are organisations, not persons.
        return employers
    return employers.none()


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


def _sponsors_scoped(scope: Scope) -> QuerySet[Sponsor]:
    sponsors = Sponsor.objects.all()
    if scope.everything:
        return sponsors
    if scope.is_regional:
        return sponsors.filter(Q(regency__in=scope.regencies) | Q(regency__isnull=True, province__in=scope.provinces))
    if scope.sponsor_id is not None:
        return sponsors.filter(pk=scope.sponsor_id)
    if scope.person_id is not None:
        return sponsors.filter(Exists(Membership.objects.filter(sponsor=OuterRef("pk"), person_id=scope.person_id)))
    if scope.role is not None and not scope.personal_data:
        return sponsors
    return sponsors.none()


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
    memberships = Membership.objects.all()
    if scope.everything:
        return memberships
    if not scope.personal_data:
        return memberships.none()
    if scope.is_regional:
        return memberships.filter(Q(regency__in=scope.regencies) | Q(person__regency__in=scope.regencies))
    if scope.employer_id is not None or scope.sponsor_id is not None:
        return _payer_memberships(scope)
    if scope.person_id is not None:
        return memberships.filter(person_id=scope.person_id)
    return memberships.none()


def membership_list(
    *,
    user: Any,
    person_id: int | None = None,
    employer_id: int | None = None,
    sponsor_id: int | None = None,
    segment: str = "",
    status: str = "",
    kpj: str = "",
) -> QuerySet[Membership]:
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
