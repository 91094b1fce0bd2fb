from __future__ import annotations

from typing import Any

from django import template

from paritrana.benefits.rules.claims import STATE_LABELS

register = template.Library()


@register.filter
def claim_state(value: str) -> str:
    """A claim's state as people read it (Diajukan, Berkas lengkap, …)."""
    return STATE_LABELS.get(value, value)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
