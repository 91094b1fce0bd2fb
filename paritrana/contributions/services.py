"""Contribution workflows. The calculator is one service behind three doors (CLI, API, page)."""

from __future__ import annotations

from typing import Any

from paritrana.core.errors import ValidationFailed

from . import selectors
from .rules.contribution import calculate, parse_input


def contribution_calculate(payload: dict[str, Any]) -> dict[str, Any]:
    """The calculator's JSON answer for ``payload``; every input problem at once as ValidationFailed."""
    data, problems = parse_input(payload)
    if problems or data is None:
        raise ValidationFailed(problems)
    params = selectors.parameters_on(data.as_of)
    return calculate(data, params, selectors.public_holidays()).as_dict()
