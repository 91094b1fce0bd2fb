"""Who reads outside lists and their runs (linkage/selectors.py ``_scope``): the national
administrator, regional officers and the coordination team; persons on the lists only the first two."""

from typing import Any

import pytest

from paritrana.accounts.scope import scope_for
from paritrana.core.errors import NotFound, PermissionDenied
from paritrana.linkage import selectors
from paritrana.linkage.models import OutsideList

pytestmark = pytest.mark.django_db


def test_lists_are_read_by_national_regional_and_coordination_roles_only(world: dict[str, Any]) -> None:
    listed = OutsideList.objects.create(name="KUR uji", kind="kur", origin="kur.csv", sha256="0" * 64)
    users = world["users"]
    for role in ("admin", "kukar", "kaltim", "branch", "coord"):
        assert listed in selectors.list_lists(actor=users[role])
        assert selectors.list_get(actor=users[role], list_id=listed.pk) == listed
    for role in ("hr", "sponsor", "participant"):
        with pytest.raises(PermissionDenied):
            selectors.list_lists(actor=users[role])
        with pytest.raises(PermissionDenied):
            selectors.list_get(actor=users[role], list_id=listed.pk)
    with pytest.raises(NotFound):
        selectors.list_get(actor=users["admin"], list_id=listed.pk + 1000)


def test_only_national_and_regional_officers_read_listed_persons(world: dict[str, Any]) -> None:
    users = world["users"]
    assert all(selectors.reads_persons(scope_for(users[r])) for r in ("admin", "kukar", "kaltim", "branch"))
    assert not selectors.reads_persons(scope_for(users["coord"]))
