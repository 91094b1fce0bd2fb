"""Benefit services: the calculator's one entry point (CLI, API and pages call this)."""

from __future__ import annotations

from datetime import date
from typing import Any

from paritrana.contributions.rules.params import ParameterSet
from paritrana.contributions.selectors import parameter_rows
from paritrana.core.errors import ValidationFailed

from .rules.benefit import calculate, parse_input


def benefit_calculate(payload: dict[str, Any]) -> dict[str, Any]:
    """The benefit calculator's JSON answer; every input problem at once as ValidationFailed."""
    data, problems = parse_input(payload)
    if problems or data is None:
        raise ValidationFailed(problems)
    rows = parameter_rows()  # read once: the pension age is looked up on several future birthdays

    def params_on(day: date) -> ParameterSet:
        return ParameterSet(rows, day)

    return calculate(data, params_on(data.event_date), params_on).as_dict()
