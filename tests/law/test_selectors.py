"""law/selectors.py and the chapters loaded by migration: every chapter's rows are in the table, each
with its legal basis and source, and an administrator's correction applies at once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from paritrana.law.loading import CHAPTERS, chapter_path, load_law, parameter_records
from paritrana.law.models import Parameter
from paritrana.law.selectors import parameters_on

pytestmark = pytest.mark.django_db


def test_every_chapter_is_loaded_once_and_loading_again_adds_nothing(world: dict[str, Any]) -> None:
    expected = {(r["key"], r["valid_from"]) for c in CHAPTERS for r in parameter_records(chapter_path(c))}
    assert set(Parameter.objects.values_list("key", "valid_from")) >= expected
    assert load_law(Parameter) == 0
    assert Parameter._meta.db_table == "law_parameter"


def test_parameters_on_reads_the_table_as_it_is_now(world: dict[str, Any]) -> None:
    # PP 44/2015 Pasal 18: JKM 0.30 % of the wage, in force since July 2015.
    assert parameters_on(date(2025, 3, 31)).get("jkm.rate") == Decimal("0.30")
    Parameter.objects.filter(key="jkm.rate").update(value=Decimal("0.31"))
    assert parameters_on(date(2025, 3, 31)).get("jkm.rate") == Decimal("0.31")
