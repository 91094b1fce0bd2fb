"""What a user may see, decided in one place (DESIGN.md §3.5).

``scope_for(user)`` turns a user's role and assignment into a ``Scope``; the registry's selectors
apply it to every query, so pages, API and exports share one rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    def is_staff_reader(self) -> bool:
        """Staff (not the person themself): their views of full records are logged."""
        return self.role != Role.PARTICIPANT

    def covers_regency(self, regency_code: str) -> bool:
        return self.everything or regency_code in self.regencies


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
