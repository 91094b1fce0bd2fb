"""Coverage in Chromium: the coordination viewer opens the national tile map, drills down to
Kalimantan Utara, and exports its regencies (issue 6)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.models import Bill
from paritrana.coverage.batch.rollup import refresh_month
from paritrana.demo.synth.load import synth_run
from tests.conftest import FLUSHABLE_APPS
from tests.e2e.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="Debian's Chromium is not installed"),
]


def _paid_month_and_login(page: Any, url: str, persons: int, provinces: list[str], user: str, password: str) -> Any:
    """A synthetic population billed for March 2025 with every bill paid and rolled up; signed in."""
    synth_run(persons=persons, seed=62, provinces=provinces)
    billing_run("2025-03")
    Bill.objects.filter(period="2025-03-01").update(status="paid")
    refresh_month(Bill.objects.first().period)
    page.goto(f"{url}/masuk/")
    page.fill("#id_username", user)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    return page


@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_tile_map_drill_down_to_kalimantan_utara_and_export(
    world: dict[str, Any], live_server: Any, browser_page: Any
) -> None:
    page = _paid_month_and_login(browser_page, live_server.url, 1200, ["64", "65"], "t.coord", "pw-coord-123")
    page.goto(f"{live_server.url}/cakupan/")
    assert page.locator("#tilemap .tile").count() == 38
    # Tiles sit on the grid: Aceh top-left, Papua at the far east.
    aceh, papua = (
        page.locator('.tile[data-code="11"]').bounding_box(),
        page.locator('.tile[data-code="91"]').bounding_box(),
    )
    assert aceh["x"] < papua["x"] and aceh["y"] < papua["y"]
    kaltara_active = page.locator('#regions tr[data-code="65"] td.active').inner_text()
    page.click('.tile[data-code="65"]')
    page.wait_for_url("**/cakupan/65/**")
    assert page.locator("h1").inner_text() == "Kalimantan Utara"
    assert page.locator("#summary-active").inner_text() == kaltara_active
    assert page.locator("#regions tbody tr").count() == 5  # Bulungan, Malinau, Nunukan, Tana Tidung, Tarakan
    assert page.locator("#regions svg.spark").count() == 5
    with page.expect_download() as download:
        page.click("#export-csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == 5 and all(r["kode"].startswith("65.") for r in rows)
    with page.expect_download() as download:
        page.click("#monev")
    pdf = PdfReader(download.value.path())
    assert "Kalimantan Utara" in pdf.pages[0].extract_text()
    # The true choropleth: click Kalimantan Utara's city of Tarakan on the boundary map, then follow
    # the money page; the coordination viewer sees no claim amount of fewer than ten claims.
    if page.locator("#choropleth").count():
        assert page.locator("#choropleth path").count() == 5
        page.click('#choropleth a[data-code="65.71"]')
        page.wait_for_url("**/cakupan/65.71/**")
        assert page.locator("h1").inner_text() == "Kota Tarakan"
        assert page.locator("#trend svg").count() == 1
        page.click("#up")
        page.wait_for_url("**/cakupan/65/**")
    page.click("#finance-link")
    page.wait_for_url("**/cakupan/keuangan/**")
    assert page.locator("#programmes tbody tr").count() == 7
    assert page.locator("#regions tbody tr").count() == 5
    assert page.locator("#contributions").inner_text().startswith("Rp")


@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_national_choropleth_in_chromium(world: dict[str, Any], live_server: Any, browser_page: Any) -> None:
    from django.conf import settings

    if not settings.PARITRANA_BOUNDARIES:
        pytest.skip("no boundary folder beside the repository (../shared/data/boundaries)")
    page = _paid_month_and_login(browser_page, live_server.url, 300, ["65"], "t.admin", "pw-admin-123")
    page.goto(f"{live_server.url}/cakupan/")
    assert page.locator("#choropleth path").count() == 38
    # Drawn the right way round: Aceh (north-west) above and left of Papua (east), Bali below Kalimantan.
    aceh = page.locator('#choropleth a[data-code="11"] path').bounding_box()
    papua = page.locator('#choropleth a[data-code="91"] path').bounding_box()
    kaltim = page.locator('#choropleth a[data-code="64"] path').bounding_box()
    bali = page.locator('#choropleth a[data-code="51"] path').bounding_box()
    assert aceh["x"] < papua["x"] and aceh["y"] < kaltim["y"] < bali["y"]
    page.click('#choropleth a[data-code="65"]')
    page.wait_for_url("**/cakupan/65/**")
    assert page.locator("h1").inner_text() == "Kalimantan Utara"
    page.click("#finance-link")
    page.wait_for_url("**/cakupan/keuangan/**")
    page.goto(f"{live_server.url}/cakupan/keuangan/?bulan=2025-03")
    assert page.locator("#fund-flow tbody tr").count() == 7
