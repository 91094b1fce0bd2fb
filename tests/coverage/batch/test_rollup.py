"""Coverage rollups (issue 6): indicator values equal a direct count over the registry and the
contribution ledger for the same definition; the rollup is idempotent; scopes and suppression."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.models import Bill, ContributionLine
from paritrana.core.errors import NotFound, PermissionDenied
from paritrana.coverage import selectors, services
from paritrana.coverage.batch.rollup import refresh_month
from paritrana.coverage.models import CoverageMonth
from paritrana.coverage.rules.indicators import AGE_BANDS, SUPPRESS_BELOW, age_band, share, suppress
from paritrana.demo.synth.load import synth_run

pytestmark = pytest.mark.django_db

PERIOD = date(2025, 3, 1)
MONTH_END = date(2025, 3, 31)


@pytest.fixture
def population(world: dict[str, Any]) -> dict[str, Any]:
    synth_run(persons=1500, seed=61, provinces=["64", "65"])
    billing_run("2025-03")
    # Four bills in five are paid: the rest stay open, so their participants are not active.
    bills = list(Bill.objects.filter(period=PERIOD).order_by("id").values_list("id", flat=True))
    Bill.objects.filter(id__in=[b for i, b in enumerate(bills) if i % 5]).update(status="paid")
    return world


def _direct() -> Counter[tuple[str, str, str, bool, int]]:
    """The definition, counted straight from the ledger in Python: a (person, segment) pair with a
    paid line for the month, in the regency of its oldest membership."""
    chosen: dict[tuple[int, str], Any] = {}
    lines = ContributionLine.objects.filter(period=PERIOD, bill__status="paid").select_related("membership__person")
    for line in lines.order_by("membership_id"):
        m = line.membership
        chosen.setdefault((m.person_id, m.segment), m)
    counts: Counter[tuple[str, str, str, bool, int]] = Counter()
    for (_, segment), m in chosen.items():
        counts[
            (m.regency_id, segment, m.person.sex, m.person.disability, age_band(m.person.birth_date, MONTH_END))
        ] += 1
    return counts


def test_rollup_equals_a_direct_count_and_is_idempotent(population: dict[str, Any]) -> None:
    first = refresh_month(PERIOD)
    stored = Counter(
        {
            (c.regency_id, c.segment, c.sex, c.disability, c.age_band): c.active
            for c in CoverageMonth.objects.filter(period=PERIOD)
        }
    )
    direct = _direct()
    assert stored == direct and sum(direct.values()) == first["active"] > 500
    # Unpaid bills leave their participants out.
    assert first["active"] < ContributionLine.objects.filter(period=PERIOD).count()
    again = refresh_month(PERIOD)
    assert again == first and CoverageMonth.objects.filter(period=PERIOD).count() == first["cells"]


def test_report_and_tables_add_up(population: dict[str, Any]) -> None:
    refresh_month(PERIOD)
    direct = _direct()
    admin = population["users"]["admin"]
    national = selectors.region_report(user=admin, region="ID", period=PERIOD)
    assert national["active"] == sum(direct.values())
    assert national["by_segment"] == {
        s: sum(v for k, v in direct.items() if k[1] == s) for s in sorted({k[1] for k in direct})
    }
    kaltim = selectors.region_report(user=admin, region="64", period=PERIOD)
    assert kaltim["active"] == sum(v for k, v in direct.items() if k[0].startswith("64."))
    assert kaltim["by_sex"]["P"] == sum(v for k, v in direct.items() if k[0].startswith("64.") and k[2] == "P")
    # Coverage against the denominator of the latest year not after the month: Kaltim employed,
    # BPS Sakernas August 2024, 1,976,447 (data-sources.md).
    assert kaltim["denominator"]["year"] == 2024 and kaltim["denominator"]["value"] == 1_976_447
    assert kaltim["coverage"] == share(kaltim["active"], 1_976_447)
    provinces = {r["code"]: r for r in selectors.province_table(user=admin, period=PERIOD)}
    assert len(provinces) == 38 and provinces["64"]["active"] == kaltim["active"]
    assert provinces["11"]["active"] == 0 and provinces["11"]["coverage"] is None
    regencies = selectors.regency_table(user=admin, province="64", period=PERIOD)
    assert sum(r["active"] for r in regencies) == kaltim["active"]
    assert all(len(r["trend"]) == 12 and r["trend"][-1] == r["active"] for r in regencies)
    # The national BPU target of 9 million is for 2024 (RPJMN 2020–2024); none is recorded for 2025.
    assert national["targets"] == []


def test_scopes_and_small_cells(population: dict[str, Any]) -> None:
    refresh_month(PERIOD)
    users = population["users"]
    kukar = selectors.region_report(user=users["kukar"], region="64.02", period=PERIOD)
    assert kukar["name"] and kukar["active"] is not None
    with pytest.raises(NotFound):
        selectors.region_report(user=users["kukar"], region="64.71", period=PERIOD)
    with pytest.raises(NotFound):
        selectors.region_report(user=users["kukar"], region="ID", period=PERIOD)
    assert {r["code"] for r in selectors.province_table(user=users["kaltim"], period=PERIOD)} == {"64"}
    for who in ("hr", "sponsor", "participant"):
        with pytest.raises(PermissionDenied):
            selectors.province_table(user=users[who], period=PERIOD)
    # The coordination viewer sees every region, with counts below the threshold hidden.
    coord = selectors.regency_table(user=users["coord"], province="65", period=PERIOD)
    admin = {r["code"]: r for r in selectors.regency_table(user=users["admin"], province="65", period=PERIOD)}
    for row in coord:
        full = admin[row["code"]]
        assert row["active"] == (None if 0 < full["active"] < SUPPRESS_BELOW else full["active"])


def test_age_bands_and_suppression_rules() -> None:
    on = date(2025, 3, 31)
    assert age_band(date(2001, 4, 1), on) == 0  # 23
    assert age_band(date(2000, 3, 31), on) == 1  # 25 on the day
    assert age_band(date(1960, 1, 1), on) == len(AGE_BANDS) - 1  # 65
    assert suppress(3, aggregates_only=True) is None and suppress(0, aggregates_only=True) == 0
    assert suppress(3, aggregates_only=False) == 3
    assert share(1, 3) == share(1, 3) and str(share(1, 3)) == "33.3" and share(5, 0) is None


def test_cli_refresh_report_denominators_target(population: dict[str, Any], tmp_path: Any, capsys: Any) -> None:
    call_command("coverage", "refresh", "--period", "2025-03")
    assert json.loads(capsys.readouterr().out)["months"][0]["active"] > 500
    call_command("coverage", "report", "--region", "65", "--period", "2025-03", "--json")
    report = json.loads(capsys.readouterr().out)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(active) FROM coverage_month WHERE province_code = '65' AND period = %s", [PERIOD])
        assert report["active"] == cursor.fetchone()[0]
    csv_file = tmp_path / "d.csv"
    csv_file.write_text("region,year,kind,value,source\n65,2025,potential,300000,Uji\n", encoding="utf-8")
    call_command("coverage", "denominators", str(csv_file))
    assert json.loads(capsys.readouterr().out) == {"rows": 1}
    call_command("coverage", "report", "--region", "65", "--period", "2025-03", "--denominator", "potential", "--json")
    assert json.loads(capsys.readouterr().out)["denominator"]["value"] == 300_000
    call_command("coverage", "target", "--year", "2025", "--value", "1000", "--source", "uji", "--region", "65")
    capsys.readouterr()
    call_command("coverage", "report", "--region", "65", "--period", "2025-03", "--json")
    targets = json.loads(capsys.readouterr().out)["targets"]
    assert targets == [
        {
            "segment": "all",
            "value": 1000,
            "source": "uji",
            "gap": 1000 - report["active"],
            # One month of the year rolled up: the trend has one point and no pace to project from.
            "trend": [{"period": "2025-03", "active": report["active"]}],
            "projected_december": None,
            "on_track": None,
        }
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("region,year,kind,value,source\n99,2025,other,x,\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("coverage", "denominators", str(bad))
    assert json.loads(capsys.readouterr().out)["code"] == "number_invalid"
    with pytest.raises(PermissionDenied):
        services.target_set(actor=population["users"]["kaltim"], year=2025, value=1, source="x")
