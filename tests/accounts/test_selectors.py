"""accounts/selectors.py: users found by the login name an administrator types."""

from __future__ import annotations

from typing import Any

import pytest

from paritrana.accounts.selectors import user_named

pytestmark = pytest.mark.django_db


def test_a_user_by_name_as_typed(world: dict[str, Any]) -> None:
    assert user_named("  t.kukar ") == world["users"]["kukar"]
    assert user_named("tidak.ada") is None
