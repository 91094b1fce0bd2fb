"""core/actors.py: the server acts as one explicit actor; nobody (None) and the channel name grant nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from paritrana.accounts.scope import NO_SCOPE, scope_for
from paritrana.core.actors import acting_user, is_system, system_actor
from paritrana.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def test_the_system_acts_nationally_and_is_no_user(world: dict[str, Any]) -> None:
    scope = scope_for(system_actor())
    assert scope.everything and scope.can_write and scope.personal_data
    assert is_system(system_actor()) and not is_system(world["users"]["admin"])
    assert acting_user(system_actor()) is None and acting_user(None) is None
    assert acting_user(world["users"]["kukar"]) == world["users"]["kukar"]
    assert scope_for(None) == NO_SCOPE


def test_nobody_is_refused_where_the_command_line_used_to_be_let_in(world: dict[str, Any]) -> None:
    from paritrana.award import services as award
    from paritrana.coverage import services as coverage
    from paritrana.subsidies import selectors as bsu

    with pytest.raises(PermissionDenied):
        bsu.round_list(actor=None, channel="cli")
    with pytest.raises(PermissionDenied):
        coverage.target_set(actor=None, year=2026, value=1, source="uji", channel="cli")
    # Saying "cli" is no longer a pass: only the scope counts.
    with pytest.raises(PermissionDenied):
        award.edition_create(
            actor=world["users"]["kukar"], year=2026, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
            channel="cli",
        )  # fmt: skip
    assert bsu.round_list(actor=system_actor(), channel="cli")


def test_what_the_system_writes_is_audited_without_a_user(world: dict[str, Any]) -> None:
    from paritrana.core.models import AuditEvent
    from paritrana.coverage import services as coverage

    coverage.target_set(actor=system_actor(), year=2026, value=1_000, source="uji", channel="cli")
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and event.actor_id is None and event.channel == "cli"
