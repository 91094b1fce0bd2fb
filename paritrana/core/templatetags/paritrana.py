from __future__ import annotations

from decimal import Decimal

from django import template

from paritrana.core.money import format_rupiah

register = template.Library()


@register.filter
def rupiah(value: Decimal | int | None) -> str:
    """``Rp42.000.000`` (DESIGN.md §3.8)."""
    return format_rupiah(value)
