"""The benefit calculator's two doors give the same JSON (issue 4 §3), and an administrator's
correction of a benefit row applies at once."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from paritrana.benefits.services import benefit_calculate
from paritrana.law.models import Parameter

pytestmark = pytest.mark.django_db

PAYLOAD = {"benefit": "JKK_DEATH", "event_date": "2025-03-10", "wage": "6000000"}


def cli(payload: Any) -> tuple[int, dict[str, Any]]:
    out = StringIO()
    try:
        call_command("calc", "benefit", "--json", json.dumps(payload), stdout=out)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, json.loads(out.getvalue())


def test_cli_api_and_service_give_the_same_json() -> None:
    service = benefit_calculate(dict(PAYLOAD))
    code, from_cli = cli(PAYLOAD)
    response = Client().post("/api/v1/calculator/benefit", PAYLOAD, content_type="application/json")
    assert code == 0 and response.status_code == 200
    assert from_cli == service == response.json()
    # 48 × Rp6,000,000 = Rp288,000,000 + periodic Rp12,000,000 + funeral Rp10,000,000 (regulation.md §2.3).
    assert service["total"] == "310000000"


def test_bad_input_is_400_with_every_problem_and_exit_1() -> None:
    bad = {"benefit": "JKP", "event_date": "10-03-2025"}
    response = Client().post("/api/v1/calculator/benefit", bad, content_type="application/json")
    code, from_cli = cli(bad)
    assert response.status_code == 400 and code == 1
    body = response.json()
    assert body["code"] == from_cli["code"]
    assert {e["code"] for e in body["errors"]} == {"date_invalid", "field_required"}
    assert all(e["message"] for e in body["errors"])


def test_a_refusal_is_an_answer_not_an_error() -> None:
    payload = {"benefit": "JKM", "event_date": "2025-03-10", "membership_months": 0}
    response = Client().post("/api/v1/calculator/benefit", payload, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["eligible"] is False and response.json()["total"] == "0"


def test_a_corrected_row_applies_at_once() -> None:
    # Say the administrator learns the JKK death floor is the full Rp42,000,000 (the [U] in regulation.md §2.3).
    row = Parameter.objects.get(key="jkk.death_minimum", valid_from=date(2019, 12, 2))
    row.value = 42_000_000
    row.save()
    result = benefit_calculate({"benefit": "JKK_DEATH", "event_date": "2025-03-10", "wage": "500000"})
    assert result["components"][0]["amount"] == "42000000"
