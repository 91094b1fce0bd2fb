"""Reads of the dated law."""

from __future__ import annotations

from datetime import date

from .models import Parameter
from .rules.params import ParameterRow, ParameterSet


def parameter_rows() -> list[ParameterRow]:
    """All rows (under a hundred; read per request, so an administrator's correction applies at once)."""
    return [
        ParameterRow(p.key, p.value, p.valid_from, p.valid_until, p.legal_basis, p.certainty)
        for p in Parameter.objects.all()
    ]


def parameters_on(day: date) -> ParameterSet:
    return ParameterSet(parameter_rows(), day)


def public_holidays() -> frozenset[date]:
    """National public holidays that move due dates. Not yet loaded: weekends only (see README)."""
    return frozenset()
