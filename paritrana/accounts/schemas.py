"""Input described once: the pages read their forms with these schemas (core/forms.py ``read_form``)."""

from __future__ import annotations

from ninja import Field, Schema

from .services import TOKEN_DAYS_DEFAULT


class TokenIn(Schema):
    """A token to issue: a name its owner will recognise, and how many days it lives (the service
    says how many it may)."""

    name: str = Field("", max_length=100)
    days: int = TOKEN_DAYS_DEFAULT


class TokenRevokeIn(Schema):
    token: int


TOKEN_LABELS = {"name": "Nama token", "days": "Masa berlaku (hari)"}
