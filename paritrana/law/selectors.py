"""Reads of the dated law."""

from __future__ import annotations

from datetime import date

from .models import Parameter
from .rules.params import ParameterRow, ParameterSet


def parameter_rows() -> list[ParameterRow]:
    """All rows (a few hundred; read per request, so an administrator's correction applies at once).
    As tuples of the columns the law reads, not model instances: the public calculator reads them on
    every call, and building the instances was most of its time."""
    columns = ("key", "value", "valid_from", "valid_until", "legal_basis", "certainty")
    return [ParameterRow(*row) for row in Parameter.objects.values_list(*columns)]


def parameters_on(day: date) -> ParameterSet:
    return ParameterSet(parameter_rows(), day)


def public_holidays() -> frozenset[date]:
    """National public holidays that move due dates. Not yet loaded: weekends only (see README)."""
    return frozenset()
