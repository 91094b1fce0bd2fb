"""Reads of the dated law."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .models import Holiday, Parameter
from .rules.params import ParameterRow, ParameterSet


def parameter_rows() -> list[ParameterRow]:
    """All rows (a few hundred; read per request, so an administrator's correction applies at once).
    As tuples of the columns the law reads, not model instances: the public calculator reads them on
    every call, and building the instances was most of its time."""
    columns = ("key", "value", "valid_from", "valid_until", "legal_basis", "certainty")
    return [ParameterRow(*row) for row in Parameter.objects.values_list(*columns)]


def parameters_on(day: date) -> ParameterSet:
    return ParameterSet(parameter_rows(), day)


COLLECTIVE_LEAVE_KEY = "calendar.collective_leave_non_working"


def public_holidays() -> frozenset[date]:
    """The days besides weekends that are not working days (``law.Holiday``): every national holiday,
    and the collective leave days while ``calendar.collective_leave_non_working`` [U] is 1 on them.
    Years with no calendar loaded count weekends only; ``calendar_basis`` says so on the answers."""
    days = list(Holiday.objects.values_list("day", "kind"))
    rows = [r for r in parameter_rows() if r.key == COLLECTIVE_LEAVE_KEY]
    return frozenset(
        day
        for day, kind in days
        if kind == Holiday.Kind.NATIONAL or ParameterSet(rows, day).get(COLLECTIVE_LEAVE_KEY, Decimal(1)) == 1
    )


def calendar_basis(day: date) -> str:
    """What a date computed over working days in ``day``'s year rests on, for the answer's legal basis:
    that year's decree, or that the year's holidays are not loaded (weekends only, uncertain)."""
    row = Holiday.objects.filter(day__year=day.year).order_by("day").values_list("legal_basis", flat=True).first()
    if row is None:
        return f"Hari libur tahun {day.year} belum dimuat: hanya Sabtu dan Minggu dihitung [belum pasti]"
    rows = [r for r in parameter_rows() if r.key == COLLECTIVE_LEAVE_KEY]
    counted = ParameterSet(rows, day).get(COLLECTIVE_LEAVE_KEY, Decimal(1)) == 1
    leave = "cuti bersama dihitung bukan hari kerja" if counted else "cuti bersama dihitung hari kerja"
    return f"Hari libur {day.year}: {row}; {leave} [belum pasti]"
