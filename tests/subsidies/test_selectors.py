"""Who reads BSU rounds (subsidies/selectors.py ``_may_read``): the national administrator and the
coordination team; the regions, employers, sponsors and participants do not (a participant reads
only their own answer, ``participant_status``)."""

from typing import Any

import pytest

from paritrana.core.errors import NotFound, PermissionDenied
from paritrana.subsidies import selectors
from paritrana.subsidies.models import Round

pytestmark = pytest.mark.django_db


def test_rounds_are_read_by_the_national_roles_only(world: dict[str, Any]) -> None:
    users = world["users"]
    codes = set(Round.objects.values_list("code", flat=True))
    assert codes, "the migration defines the BSU rounds"
    for role in ("admin", "coord"):
        assert {r.code for r in selectors.round_list(actor=users[role])} == codes
    for role in ("kukar", "kaltim", "branch", "hr", "sponsor", "participant"):
        with pytest.raises(PermissionDenied):
            selectors.round_list(actor=users[role])
        with pytest.raises(PermissionDenied):
            selectors.round_summary(actor=users[role], code=next(iter(codes)))
    with pytest.raises(NotFound):
        selectors.round_summary(actor=users["admin"], code="BSU-1999")
