"""One calculator, three doors with the same JSON (issue 3 §2), and the law editable with an audit trail (§1)."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from paritrana.contributions.services import contribution_calculate
from paritrana.core.models import AuditEvent
from paritrana.law.models import Parameter

pytestmark = pytest.mark.django_db

PAYLOAD = {"segment": "PU", "period": "2025-03", "wage": "12000000", "jkk_risk_group": 3, "employer_scale": "medium"}


def cli(payload: Any) -> tuple[int, dict[str, Any]]:
    out = StringIO()
    try:
        call_command("calc", "contribution", "--json", json.dumps(payload), stdout=out)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, json.loads(out.getvalue())


def test_cli_api_and_service_give_the_same_json() -> None:
    service = contribution_calculate(dict(PAYLOAD))
    code, from_cli = cli(PAYLOAD)
    response = Client().post("/api/v1/calculator/contribution", PAYLOAD, content_type="application/json")
    assert code == 0 and response.status_code == 200
    assert from_cli == service == response.json()
    # PP 45/2015 Pasal 29: March 2025 cap Rp10,547,400 → JP 210,948 + 105,474.
    jp = next(x for x in service["lines"] if x["program"] == "JP")
    assert (jp["employer"], jp["worker"]) == ("210948", "105474")


def test_bad_input_gives_every_problem_at_each_door() -> None:
    bad = {"segment": "PU", "period": "2025-3", "wage": -5}
    code, from_cli = cli(bad)
    response = Client().post("/api/v1/calculator/contribution", bad, content_type="application/json")
    assert code == 1 and response.status_code == 400
    assert from_cli == response.json()
    assert {e["code"] for e in from_cli["errors"]} == {"period_invalid", "wage_invalid", "jkk_risk_group_required"}


def test_public_simulation_page_in_indonesian() -> None:
    response = Client().get(
        "/simulasi-iuran/",
        {"hitung": "1", "segment": "BPU", "period": "2024-06", "declared_income": "Rp 1.000.000", "include_jht": "on"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Simulasi iuran" in html and "Yang harus dibayar" in html
    assert 'id="total-due">Rp36.800<' in html  # JKK 10,000 + JKM 6,800 + JHT 20,000 (regulation.md §1.4)
    # The 15th is a Saturday; Monday 17 June 2024 was Iduladha 1445 H (a national holiday) and Tuesday
    # 18 June its collective leave (SKB 855/2023): due on Wednesday 19 June.
    assert 'id="due-date">19/06/2024<' in html


def test_simulation_page_shows_problems() -> None:
    response = Client().get("/simulasi-iuran/", {"hitung": "1", "segment": "PU", "period": "2024-06"})
    assert response.status_code == 400
    assert 'data-code="wage_required"' in response.content.decode()


def test_parameters_loaded_with_their_basis_and_doubt() -> None:
    caps = Parameter.objects.filter(key="jp.wage_cap").order_by("valid_from")
    assert [int(c.value) for c in caps][:3] == [7_000_000, 7_335_300, 7_703_500]
    assert caps.count() == 12  # 2015 to 2026
    assert Parameter.objects.get(key="jp.wage_cap", valid_from="2021-03-01").certainty == "U"
    assert all(p.legal_basis and p.source for p in Parameter.objects.all())


def test_an_administrator_corrects_a_parameter_and_it_is_audited_and_applied(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["users"]["admin"])
    row = Parameter.objects.get(key="jp.wage_cap", valid_from="2026-03-01")
    response = client.post(
        f"/admin/law/parameter/{row.pk}/change/",
        {
            "key": row.key,
            "value": "11100000",
            "valid_from": "2026-03-01",
            "valid_until": "2027-02-28",
            "legal_basis": row.legal_basis,
            "source": "SE BPJS (dikoreksi)",
            "certainty": "O",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Parameter.objects.get(pk=row.pk).value == Decimal("11100000")
    event = AuditEvent.objects.get(action="parameter_change", entity_id=str(row.pk))
    assert event.detail["before"]["value"] == "11086300.000000"
    result = contribution_calculate({"segment": "PU", "period": "2026-04", "wage": 20_000_000, "jkk_risk_group": 1})
    jp = next(x for x in result["lines"] if x["program"] == "JP")
    assert jp["base"] == "11100000"


def test_only_the_national_administrator_may_change_the_law(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["users"]["kukar"])
    row = Parameter.objects.get(key="jkm.rate")
    response = client.post(f"/admin/law/parameter/{row.pk}/change/", {"value": "9"})
    assert response.status_code in (302, 403)
    assert Parameter.objects.get(pk=row.pk).value == Decimal("0.30")
