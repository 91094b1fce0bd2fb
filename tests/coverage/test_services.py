"""Money and parity in coverage monitoring (issue 6 §1–2): employers covered, contributions collected
per programme, claims paid per programme and region, the fund flow; parity against a denominator's
breakdown and the target trend. Every figure is checked against a direct computation over the
ledger, the claims and the regulation's rates."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from paritrana.benefits.models import Claim
from paritrana.contributions.models import Bill, ContributionLine
from paritrana.core.errors import NotFound, ValidationFailed
from paritrana.coverage import selectors, services
from paritrana.coverage.batch.rollup import refresh_month
from paritrana.coverage.models import Denominator
from paritrana.registry.models import Person
from tests.coverage.batch.test_rollup import PERIOD, population  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# PP 82/2019 (regulation.md §2, JKM): the death benefit's cash total is Rp42,000,000.
JKM_DEATH = Decimal(42_000_000)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def paid_claims(population: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """Three JKM death claims paid in March 2025 in Kalimantan Utara, one in Kalimantan Timur, one
    paid on 1 April (next month) and one still only approved: only the first four count for March."""
    persons = list(Person.objects.filter(province_id="65").order_by("id")[:5]) + list(
        Person.objects.filter(province_id="64").order_by("id")[:2]
    )
    rows = [
        (persons[0], "paid", _at(date(2025, 3, 3)), Decimal(0)),
        (persons[1], "paid", _at(date(2025, 3, 31), 23), Decimal(840_000)),  # late: a penalty paid too
        (persons[2], "paid", _at(date(2025, 3, 15)), Decimal(0)),
        (persons[5], "paid", _at(date(2025, 3, 20)), Decimal(0)),
        (persons[3], "paid", _at(date(2025, 4, 1), 0), Decimal(0)),
        (persons[6], "approved", None, Decimal(0)),
    ]
    for person, state, paid_at, penalty in rows:
        Claim.objects.create(
            benefit="JKM",
            person=person,
            event_date=date(2025, 2, 1),
            state=state,
            regency_id=person.regency_id,
            amount=JKM_DEATH,
            penalty=penalty,
            paid_at=paid_at,
        )
    return population


def _direct_contributions() -> dict[str, dict[str, Decimal]]:
    """Per payer region (the bill's): each programme's sum over the month's lines on paid bills
    (Python, from the ORM)."""
    out: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    lines = ContributionLine.objects.filter(period=PERIOD, bill__status="paid").select_related("bill")
    for line in lines:
        cell = out[line.bill.region_id]
        cell["jkk"] += line.jkk_employer + line.jkk_worker
        cell["jkm"] += line.jkm_employer + line.jkm_worker
        cell["jht"] += line.jht_employer + line.jht_worker
        cell["jp"] += line.jp_employer + line.jp_worker
        cell["jkp_government"] += line.jkp_government
        cell["jkp_recomposed"] += line.jkp_recomposed
        cell["pmi"] += line.package_worker
    return out


def test_finance_rollup_equals_the_ledger_and_the_claims(paid_claims: dict[str, Any]) -> None:
    result = refresh_month(PERIOD)
    direct = _direct_contributions()
    with_money = {code for code, cell in direct.items() if any(cell.values())}
    assert (
        with_money
        and result["paid_lines"] == ContributionLine.objects.filter(period=PERIOD, bill__status="paid").count()
    )
    admin = paid_claims["users"]["admin"]
    national = selectors.finance_report(user=admin, region="ID", period=PERIOD)
    by_programme = {p["programme"]: p for p in national["programmes"]}
    total = {k: sum((cell[k] for cell in direct.values()), Decimal(0)) for k in
             ("jkk", "jkm", "jht", "jp", "jkp_government", "jkp_recomposed", "pmi")}  # fmt: skip
    # March 2025 is under PP 6/2025: the whole recomposition is taken out of JKK, none out of JKM.
    assert by_programme["JKK"]["contributions"] == total["jkk"] - total["jkp_recomposed"]
    assert by_programme["JKM"]["contributions"] == total["jkm"]
    assert by_programme["JHT"]["contributions"] == total["jht"]
    assert by_programme["JP"]["contributions"] == total["jp"]
    assert by_programme["JKP"]["contributions"] == total["jkp_government"] + total["jkp_recomposed"]
    assert national["contributions"] == sum(total.values()) - total["jkp_recomposed"]
    assert total["jkp_recomposed"] > 0 and total["jht"] > 0
    # Employers covered: employers whose March bill is paid.
    assert national["employers"] == Bill.objects.filter(period=PERIOD, status="paid", employer__isnull=False).count()
    # Claims: the four paid in March (Jakarta time), not the one paid on 1 April, nor the approved one.
    assert by_programme["JKM"]["paid"] == {"claims": 4, "amount": 4 * JKM_DEATH, "penalty": Decimal(840_000)}
    kaltara = selectors.finance_report(user=admin, region="65", period=PERIOD)
    jkm_65 = next(p for p in kaltara["programmes"] if p["programme"] == "JKM")
    assert jkm_65["paid"]["claims"] == 3 and kaltara["fund_flow"] is None
    kaltara_money = sum(sum(cell.values()) - cell["jkp_recomposed"] for c, cell in direct.items() if c[:2] == "65")
    assert kaltara["contributions"] == kaltara_money
    # The fund flow since the first rolled-up month: contributions in, benefits and penalties out.
    flow = {p["programme"]: p for p in national["fund_flow"]["programmes"]}
    assert flow["JKM"]["benefits"] == 4 * JKM_DEATH + 840_000
    assert flow["JKM"]["balance"] == total["jkm"] - 4 * JKM_DEATH - 840_000
    assert flow["JHT"]["balance"] == total["jht"]
    # Per province table adds up to the nation.
    table = selectors.finance_table(user=admin, period=PERIOD)
    assert sum(r["contributions"] for r in table) == national["contributions"]
    assert sum(r["claims"] for r in table) == 4
    assert refresh_month(PERIOD) == result  # idempotent


def test_finance_scope_suppression_and_pages(paid_claims: dict[str, Any]) -> None:
    refresh_month(PERIOD)
    users = paid_claims["users"]
    # A regional officer of Kalimantan Timur: its own province, not Kalimantan Utara, not the nation.
    with pytest.raises(NotFound):
        selectors.finance_report(user=users["kaltim"], region="65", period=PERIOD)
    with pytest.raises(NotFound):
        selectors.finance_report(user=users["kaltim"], region="ID", period=PERIOD)
    own = selectors.finance_table(user=users["kaltim"], period=PERIOD)
    assert {r["code"] for r in own} == {"64"}
    # The coordination viewer: three claims in a province are fewer than ten, so neither their
    # number nor their amount (one family's benefit) is shown; money in aggregate is.
    coord = selectors.finance_report(user=users["coord"], region="65", period=PERIOD)
    jkm = next(p for p in coord["programmes"] if p["programme"] == "JKM")
    assert jkm["paid"] == {"claims": None, "amount": None, "penalty": None}
    client = Client()
    client.force_login(users["admin"])
    page = client.get("/cakupan/keuangan/?bulan=2025-03").content.decode()
    assert 'id="fund-flow"' in page and 'data-programme="JKP"' in page and page.count("<tr data-code=") == 38
    exported = client.get("/cakupan/keuangan/?bulan=2025-03&wilayah=65&format=csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert sum(int(r["klaim_dibayar"]) for r in rows) == 3
    api = client.get("/api/v1/coverage/finance/65?period=2025-03").json()
    assert next(p for p in api["programmes"] if p["programme"] == "JKM")["paid"]["claims"] == 3
    coord_client = Client()
    coord_client.force_login(users["coord"])
    coord_page = coord_client.get("/cakupan/keuangan/?bulan=2025-03&wilayah=65").content.decode()
    assert "42.000.000" not in coord_page and "42,000,000" not in coord_page
    kaltim = Client()
    kaltim.force_login(users["kaltim"])
    assert kaltim.get("/cakupan/keuangan/?bulan=2025-03&wilayah=65").status_code == 404


def test_parity_against_an_imported_breakdown(population: dict[str, Any]) -> None:  # noqa: F811
    refresh_month(PERIOD)
    admin = population["users"]["admin"]
    services.denominators_import(
        actor=admin,
        content=b"region,year,kind,value,source,women,disability\n65,2025,employed,400000,Uji,160000,8000\n",
    )
    report = selectors.region_report(user=admin, region="65", period=PERIOD)
    active, women = report["active"], report["by_sex"].get("P", 0)
    disabled = report["by_disability"].get("yes", 0)
    # (women ÷ active) ÷ (160,000 ÷ 400,000), to two decimals half up.
    expected = (Decimal(women) / Decimal(active) / Decimal("0.4")).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert report["parity"]["women"] == expected and report["parity"]["women_share_workforce"] == Decimal("40.0")
    assert report["parity"]["disability"] == (
        (Decimal(disabled) / Decimal(active) / Decimal("0.02")).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    )
    # A part larger than the whole is refused, and nothing is written.
    with pytest.raises(ValidationFailed) as refused:
        services.denominators_import(
            actor=admin, content=b"region,year,kind,value,source,women\n65,2025,employed,10,Uji,11\n"
        )
    assert [p.code for p in refused.value.problems] == ["part_exceeds_value"]
    assert Denominator.objects.get(region_id="65", year=2025, kind="employed").value == 400_000
    client = Client()
    client.force_login(admin)
    page = client.get("/cakupan/65/?bulan=2025-03").content.decode()
    assert str(expected).replace(".", ",") in page or str(expected) in page


def test_regency_page_trend_and_choropleth(population: dict[str, Any]) -> None:  # noqa: F811
    refresh_month(PERIOD)
    refresh_month(date(2025, 2, 1))  # February has no bills: a month of zeros in the trend
    client = Client()
    client.force_login(population["users"]["admin"])
    regency = selectors.regency_table(user=population["users"]["admin"], province="65", period=PERIOD)[0]
    page = client.get(f"/cakupan/{regency['code']}/?bulan=2025-03").content.decode()
    assert 'id="trend"' in page and "Kalimantan Utara" in page and f"2025-03: {regency['active']}" in page
    series = selectors.trend(user=population["users"]["admin"], region=regency["code"], period=PERIOD)
    assert series[-1] == {"period": "2025-03", "active": regency["active"]} and series[-2]["active"] == 0
    kaltim = Client()
    kaltim.force_login(population["users"]["kaltim"])
    assert kaltim.get(f"/cakupan/{regency['code']}/?bulan=2025-03").status_code == 404
    if not settings.PARITRANA_BOUNDARIES:
        pytest.skip("no boundary folder beside the repository (../shared/data/boundaries)")
    national = client.get("/cakupan/?bulan=2025-03").content.decode()
    assert national.count("<path ") == 38 and 'id="choropleth"' in national
    province = client.get("/cakupan/65/?bulan=2025-03").content.decode()
    # Kalimantan Utara has five regencies/cities (Kemendagri 2025), each a shape linked to its page.
    assert province.count("<path ") == 5 and 'href="/cakupan/65.01/' in province


def test_nightly_job_rebuilds_the_previous_and_the_current_month(population: dict[str, Any]) -> None:  # noqa: F811
    from procrastinate.contrib.django import app

    from paritrana.core.models import BatchRun
    from paritrana.coverage import tasks

    assert "coverage-nightly" in {p.periodic_id for p in app.periodic_registry.periodic_tasks.values()}
    # 2 April 2025, 02:30 in Jakarta: March (now paid) and April are rebuilt.
    moment = datetime(2025, 4, 2, 2, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert tasks.nightly_months(moment) == (date(2025, 3, 1), date(2025, 4, 1))
    assert tasks.nightly_months(datetime(2026, 1, 5, tzinfo=ZoneInfo("Asia/Jakarta"))) == (
        date(2025, 12, 1),
        date(2026, 1, 1),
    )
    tasks.nightly_rollup(int(moment.timestamp()))
    runs = BatchRun.objects.filter(job="coverage_rollup", status=BatchRun.Status.DONE)
    assert sorted(r.params["period"] for r in runs) == ["2025-03-01", "2025-04-01"]
    assert selectors.region_report(user=population["users"]["admin"], region="ID", period=PERIOD)["active"] > 500
    # Pages open on the last month before the current one (April's bills are still being paid on
    # 10 April); once April is over, on April.
    assert selectors.latest_period(today=date(2025, 4, 10)) == PERIOD
    assert selectors.latest_period(today=date(2025, 6, 1)) == date(2025, 4, 1)


def test_cli_finance(paid_claims: dict[str, Any], capsys: Any) -> None:
    import json

    from django.core.management import call_command

    refresh_month(PERIOD)
    call_command("coverage", "finance", "--region", "65", "--period", "2025-03", "--json")
    out = json.loads(capsys.readouterr().out)
    jkm = next(p for p in out["programmes"] if p["programme"] == "JKM")
    assert out["region"] == "65" and jkm["paid"] == {"claims": 3, "amount": 3 * 42_000_000, "penalty": 840_000}
    with pytest.raises(SystemExit):
        call_command("coverage", "finance", "--region", "99", "--period", "2025-03")
    assert json.loads(capsys.readouterr().out)["code"] == "not_found"
