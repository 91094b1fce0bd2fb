"""Reads of users."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model


def user_named(username: str) -> Any:
    """The user with this login name (as typed: surrounding spaces ignored), or None."""
    return get_user_model().objects.filter(username=username.strip()).first()
