"""What a user may see, decided in one place (DESIGN.md §3.5).

``scope_for(user)`` turns a user's role and assignment into a ``Scope``; the registry's selectors
apply it to every query, so pages, API and exports share one rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from paritrana.core.actors import SystemActor, acting_user, is_system, system_actor

from .models import Role

__all__ = ["SystemActor", "acting_user", "is_system", "system_actor"]

# Roles that may read personal records at all. The coordination team sees aggregates only
# (Inpres 2/2021 monev needs counts, not people); award juries see candidates, not persons.
PERSONAL_DATA_ROLES = frozenset(
    {
        Role.NATIONAL_ADMIN,
        Role.BRANCH_OFFICER,
        Role.PROVINCE_OFFICER,
        Role.REGENCY_OFFICER,
        Role.EMPLOYER_HR,
        Role.SPONSOR_OPERATOR,
        Role.PARTICIPANT,
    }
)
# Roles whose work needs the full NIK in exports (reconciling payroll and sponsor lists, serving
# a person at the counter). Everyone else gets masked NIKs in lists and exports.
FULL_NIK_EXPORT_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.BRANCH_OFFICER, Role.EMPLOYER_HR, Role.SPONSOR_OPERATOR})
# BPJS Ketenagakerjaan's own officers decide and pay claims, and so read heirs and their accounts.
CLAIM_OFFICER_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.BRANCH_OFFICER})
# Who may say money was received: BPJS Ketenagakerjaan's own officers. A payer (employer HR, a
# sponsor's operator, a participant) never marks its own bill paid, and regional governments
# monitor; the bank's statement, imported by an officer, is the other way a bill gets paid.
PAYMENT_RECORDER_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.BRANCH_OFFICER})
WRITE_ROLES = frozenset(
    {
        Role.NATIONAL_ADMIN,
        Role.BRANCH_OFFICER,
        Role.PROVINCE_OFFICER,
        Role.REGENCY_OFFICER,
        Role.EMPLOYER_HR,
        Role.SPONSOR_OPERATOR,
    }
)


M = TypeVar("M", bound=Model)
# How a model's row reaches a scope's dimension: a lookup path, several, or a function giving a Q.
Dimension = str | Sequence[str] | Callable[["Scope"], Q] | None


@dataclass(frozen=True)
class Scope:
    role: str | None
    everything: bool = False
    regencies: frozenset[str] = field(default_factory=frozenset)
    provinces: frozenset[str] = field(default_factory=frozenset)
    employer_id: int | None = None
    sponsor_id: int | None = None
    person_id: int | None = None
    label: str = ""

    @property
    def personal_data(self) -> bool:
        return self.everything or self.role in PERSONAL_DATA_ROLES

    @property
    def is_regional(self) -> bool:
        return self.role in (Role.BRANCH_OFFICER, Role.PROVINCE_OFFICER, Role.REGENCY_OFFICER)

    @property
    def full_nik_in_exports(self) -> bool:
        return self.everything or self.role in FULL_NIK_EXPORT_ROLES

    @property
    def can_write(self) -> bool:
        return self.everything or self.role in WRITE_ROLES

    @property
    def records_payments(self) -> bool:
        return self.everything or self.role in PAYMENT_RECORDER_ROLES

    @property
    def is_staff_reader(self) -> bool:
        """Staff (not the person themself): their views of full records are logged."""
        return self.role != Role.PARTICIPANT

    def covers_regency(self, regency_code: str) -> bool:
        return self.everything or regency_code in self.regencies

    def restrict(
        self,
        queryset: QuerySet[M],
        *,
        regency: Dimension = None,
        employer: Dimension = None,
        sponsor: Dimension = None,
        person: Dimension = None,
        personal: bool = True,
    ) -> QuerySet[M]:
        """``queryset`` cut to this scope — the one place where a role's reach becomes a filter.

        Each keyword says how a row of this model reaches one dimension of a scope: a lookup path
        (``"regency"``, ``"membership__employer"``), several paths (any of them), or a function of
        the scope returning a ``Q`` for reaches no path can say (a person through a live membership).
        A dimension left out is one this model never reaches: the roles bound to it see nothing.
        ``personal`` rows (persons and what names them) are not shown to aggregate-only roles, who
        otherwise see every row (employers and sponsors are organisations, not persons).
        """
        if self.everything:
            return queryset
        if personal and not self.personal_data:
            return queryset.none()
        for bound, dimension, value in (
            (self.is_regional, regency, self.regencies),
            (self.employer_id is not None, employer, self.employer_id),
            (self.sponsor_id is not None, sponsor, self.sponsor_id),
            (self.person_id is not None, person, self.person_id),
        ):
            if bound:
                return queryset.filter(self._reach(dimension, value)) if dimension is not None else queryset.none()
        if self.role is not None and not self.personal_data:
            return queryset  # aggregate-only roles on rows that are not personal
        return queryset.none()

    def _reach(self, dimension: Dimension, value: Any) -> Q:
        if callable(dimension):
            return dimension(self)
        paths = (dimension,) if isinstance(dimension, str) else tuple(dimension or ())
        lookup = "__in" if isinstance(value, frozenset) else ""
        reach = Q()
        for path in paths:
            reach |= Q(**{f"{path}{lookup}": value})
        return reach


NO_SCOPE = Scope(role=None)
SYSTEM_SCOPE = Scope(role=Role.NATIONAL_ADMIN, everything=True, label="Sistem")


def scope_for(user: Any) -> Scope:
    from paritrana.regions.models import BranchArea, Region

    if isinstance(user, SystemActor):
        return SYSTEM_SCOPE
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    profile = getattr(user, "profile", None) if _has_profile(user) else None
    if profile is None:
        if user.is_superuser:
            return Scope(role=Role.NATIONAL_ADMIN, everything=True, label="Nasional")
        return NO_SCOPE
    role = profile.role
    if role == Role.NATIONAL_ADMIN:
        return Scope(role=role, everything=True, label="Nasional")
    if role == Role.COORDINATION_VIEWER:
        return Scope(role=role, label="Nasional (agregat)")
    if role == Role.REGENCY_OFFICER:
        code = profile.region_id
        return Scope(role=role, regencies=frozenset({code}), provinces=frozenset({code[:2]}), label=profile.region.name)
    if role == Role.PROVINCE_OFFICER:
        code = profile.region_id[:2]
        regencies = frozenset(Region.objects.filter(parent_id=code).values_list("code", flat=True))
        return Scope(role=role, regencies=regencies, provinces=frozenset({code}), label=profile.region.name)
    if role == Role.BRANCH_OFFICER:
        regencies = frozenset(
            BranchArea.objects.filter(branch_id=profile.branch_id).values_list("regency_id", flat=True)
        )
        return Scope(
            role=role,
            regencies=regencies,
            provinces=frozenset(r[:2] for r in regencies),
            label=profile.branch.name,
        )
    if role == Role.EMPLOYER_HR:
        return Scope(role=role, employer_id=profile.employer_id, label=profile.employer.name)
    if role == Role.SPONSOR_OPERATOR:
        return Scope(role=role, sponsor_id=profile.sponsor_id, label=profile.sponsor.name)
    if role == Role.PARTICIPANT:
        return Scope(role=role, person_id=profile.person_id, label="Peserta")
    return Scope(role=role, label=profile.get_role_display())


def _has_profile(user: Any) -> bool:
    from .models import Profile

    try:
        user.profile  # noqa: B018
    except Profile.DoesNotExist:
        return False
    return True
