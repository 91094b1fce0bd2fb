"""The law's chapters as CSV files (``law/data/<chapter>.csv``) loaded into ``Parameter`` rows by data
migration; never overwriting a row an administrator has corrected."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
# Contribution rates, caps and due days; benefit amounts and conditions; enrolment's age limits.
CHAPTERS = ("contributions", "benefits", "enrolment")


def chapter_path(chapter: str) -> Path:
    if chapter not in CHAPTERS:
        raise KeyError(chapter)
    return DATA / f"{chapter}.csv"


PARAMETERS_CSV = chapter_path("contributions")


def parameter_records(path: Path = PARAMETERS_CSV) -> list[dict[str, Any]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            {
                "key": row["key"],
                "value": Decimal(row["value"]),
                "valid_from": date.fromisoformat(row["valid_from"]),
                "valid_until": date.fromisoformat(row["valid_until"]) if row["valid_until"] else None,
                "legal_basis": row["legal_basis"],
                "source": row["source"],
                "certainty": row["certainty"],
                "note": row["note"],
            }
            for row in csv.DictReader(handle)
        ]


def load_parameters(model: Any, path: Path = PARAMETERS_CSV) -> int:
    """Insert rows not yet there (by key and start date); never overwrite an administrator's edit."""
    created = 0
    for record in parameter_records(path):
        _, made = model.objects.get_or_create(key=record["key"], valid_from=record["valid_from"], defaults=record)
        created += made
    return created


HOLIDAYS_CSV = DATA / "holidays.csv"


def load_holidays(model: Any, path: Path = HOLIDAYS_CSV) -> int:
    """The national holidays and collective leave days (``law/data/holidays.csv``); a day already
    there (perhaps corrected by an administrator) is left as it is."""
    created = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            day = date.fromisoformat(row.pop("day"))
            _, made = model.objects.get_or_create(day=day, defaults=row)
            created += made
    return created


def load_law(model: Any) -> int:
    """Every chapter (a fresh database, or tests that flushed the table)."""
    return sum(load_parameters(model, chapter_path(c)) for c in CHAPTERS)
