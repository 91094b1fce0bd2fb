"""accounts/scope.py: ``Scope.restrict`` is the one place a role's reach becomes a filter."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Q

from paritrana.accounts.scope import Scope, scope_for
from paritrana.core.actors import system_actor
from paritrana.registry.models import Employer, Membership, Person

pytestmark = pytest.mark.django_db


def _pks(queryset: Any) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_each_role_reaches_its_own_dimension(world: dict[str, Any]) -> None:
    users, w = world["users"], world
    kukar, bpn = w["kukar_person"].pk, w["bpn_person"].pk

    def persons(role: str) -> set[int]:
        return _pks(
            scope_for(users[role]).restrict(
                Person.objects.filter(pk__in=[kukar, bpn]),
                regency="regency",
                employer="memberships__employer",
                sponsor="memberships__sponsor",
                person="pk",
            )
        )

    assert persons("admin") == {kukar, bpn}
    assert persons("kukar") == {kukar} and persons("bpn") == {bpn} and persons("kaltim") == {kukar, bpn}
    assert persons("hr") == {bpn}  # the Balikpapan employer's worker
    assert persons("sponsor") == {kukar}  # the Kukar APBD pays for the Kukar worker
    assert persons("participant") == {kukar}
    assert persons("coord") == set()  # aggregate only
    assert _pks(scope_for(system_actor()).restrict(Person.objects.filter(pk__in=[kukar, bpn]))) == {kukar, bpn}
    assert _pks(scope_for(None).restrict(Person.objects.filter(pk__in=[kukar, bpn]), person="pk")) == set()


def test_a_dimension_left_out_shows_its_roles_nothing(world: dict[str, Any]) -> None:
    users = world["users"]
    every = Membership.objects.all()
    # Memberships reached only by region: payers and participants see none of them.
    for role in ("hr", "sponsor", "participant"):
        assert not scope_for(users[role]).restrict(every, regency="regency").exists(), role
    assert scope_for(users["kukar"]).restrict(every, regency="regency").exists()


def test_organisations_are_not_personal(world: dict[str, Any]) -> None:
    users = world["users"]
    employers = Employer.objects.all()
    coord = scope_for(users["coord"])
    assert _pks(coord.restrict(employers, personal=False)) == _pks(employers)
    assert _pks(coord.restrict(employers)) == set()


def test_several_paths_and_functions(world: dict[str, Any]) -> None:
    users, w = world["users"], world
    kukar = scope_for(users["kukar"])
    both = kukar.restrict(Membership.objects.all(), regency=("regency", "person__regency"))
    assert set(both.values_list("regency_id", flat=True)) <= {"64.02"} | set(
        Membership.objects.filter(person__regency="64.02").values_list("regency_id", flat=True)
    )

    def only(scope: Scope) -> Q:
        return Q(pk=w["kukar_person"].pk)

    assert _pks(kukar.restrict(Person.objects.all(), regency=only)) == {w["kukar_person"].pk}
