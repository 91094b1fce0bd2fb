from __future__ import annotations

from decimal import Decimal

from django import template

from paritrana.core.money import format_rupiah
from paritrana.core.rules import sources

register = template.Library()


@register.filter
def rupiah(value: Decimal | int | str | None) -> str:
    """``Rp42.000.000`` (DESIGN.md §3.8); amounts kept as strings in JSON are read exactly."""
    return format_rupiah(Decimal(value) if isinstance(value, str) else value)


@register.filter
def public_source(value: str) -> str:
    """A source as people read it: no project file names, certainty marks or link keys."""
    return sources.public_source(str(value or ""))
