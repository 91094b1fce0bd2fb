"""The registry's words for people: a membership tag's code shown as its Indonesian name."""

from __future__ import annotations

from django import template

from paritrana.registry.rules.codes import MEMBERSHIP_TAGS

register = template.Library()


@register.filter
def tag_label(code: str) -> str:
    """``vulnerable`` → ``Pekerja rentan``; a tag not in the list is shown as recorded."""
    return MEMBERSHIP_TAGS.get(code, code)
