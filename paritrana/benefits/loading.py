"""Load the benefit law (data/parameters.csv) into the dated Parameter rows the contributions use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from paritrana.contributions.loading import load_parameters

PARAMETERS_CSV = Path(__file__).resolve().parent / "data" / "parameters.csv"


def load_benefit_parameters(model: Any) -> int:
    return load_parameters(model, PARAMETERS_CSV)
