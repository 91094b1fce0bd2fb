"""core/forms.py: a page's form read with the API's schema — typed values, every problem at once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.http import QueryDict

from paritrana.core.errors import ValidationFailed
from paritrana.core.forms import read_form
from paritrana.coverage.schemas import ACTION_LABELS, ActionIn


def _post(text: str) -> QueryDict:
    return QueryDict(text)


def test_what_people_type_becomes_the_schemas_types() -> None:
    form = _post(
        "kind=budget&taken_on=02%2F03%2F2025&description=APBD&evidence=DPA&budget_year=2025"
        "&budget_amount=Rp1.500.000.000&workers=&regulation_type="
    )
    action = read_form(ActionIn, form)
    assert action.taken_on == date(2025, 3, 2)
    assert action.budget_amount == Decimal("1500000000") and action.budget_year == 2025
    assert action.workers is None and action.regulation_type == ""  # empty boxes take the default


def test_every_problem_is_reported_at_once_in_indonesian_with_its_field() -> None:
    form = _post("kind=regulation&taken_on=31%2F02%2F2025&evidence=x&budget_year=1800&workers=banyak")
    with pytest.raises(ValidationFailed) as refused:
        read_form(ActionIn, form, labels=ACTION_LABELS)
    by_field = {p.field: p.message for p in refused.value.problems}
    assert set(by_field) == {"taken_on", "description", "budget_year", "workers"}
    assert by_field["description"] == "Uraian: wajib diisi."  # not sent at all
    assert by_field["taken_on"].startswith("Tanggal: tanggal tidak sah")
    assert by_field["budget_year"] == "Tahun anggaran: terlalu kecil."
    assert all(p.code == "invalid_input" for p in refused.value.problems)


def test_an_empty_text_box_is_empty_text_for_the_service_to_judge() -> None:
    form = _post("kind=budget&taken_on=2025-03-02&description=&evidence=b")
    assert read_form(ActionIn, form).description == ""


def test_values_fixed_by_the_page_are_not_read_from_the_form() -> None:
    form = _post("kind=budget&taken_on=2025-03-02&description=a&evidence=b&workers=5")
    assert read_form(ActionIn, form, workers=7).workers == 7


def test_a_rupiah_field_speaks_the_same_code_through_both_doors() -> None:
    from paritrana.enrolment.schemas import BUDGET_LABELS, BudgetIn

    assert read_form(BudgetIn, _post("allocation=Rp1.500.000.000")).allocation == Decimal("1500000000")
    with pytest.raises(ValidationFailed) as refused:
        read_form(BudgetIn, _post("allocation=tiga+juta"), labels=BUDGET_LABELS)
    [problem] = refused.value.problems
    assert problem.code == "amount_invalid" and problem.field == "allocation"
    assert problem.message == "Pagu: harus angka rupiah, mis. 1.500.000.000."


@pytest.mark.django_db
def test_the_api_refuses_the_same_amount_with_the_same_code(world: dict[str, Any]) -> None:
    from django.test import Client

    client = Client()
    client.force_login(world["users"]["admin"])
    answer = client.put(
        f"/api/v1/enrolment/sponsors/{world['kukar_sponsor'].code}/budgets/2026",
        data='{"allocation": "tiga juta"}',
        content_type="application/json",
    )
    assert answer.status_code == 422 and answer.json()["code"] == "amount_invalid"
