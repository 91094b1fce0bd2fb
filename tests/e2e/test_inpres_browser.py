"""The Inpres 2/2021 follow-up in Chromium (issue 6 §5): the national administrator finds the
governor of Kalimantan Utara in the status matrix, records the province's APBD allocation with its
evidence, sees the matrix change, and downloads the six-monthly report with the action in it."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.conftest import FLUSHABLE_APPS
from tests.e2e.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="Debian's Chromium is not installed"),
]


@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_record_an_allocation_and_download_the_report(
    world: dict[str, Any], live_server: Any, browser_page: Any
) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "t.admin")
    page.fill("#id_password", "pw-admin-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/inpres/")
    # 38 governors and 514 regents/mayors are addressees (regulation.md §5).
    assert page.locator('#summary tr[data-kind="governor"] td.num').first.inner_text() == "38"
    assert page.locator('#summary tr[data-kind="regent"] td.num').first.inner_text() == "514"
    page.select_option("select[name=jenis]", "governor")
    page.select_option("select[name=provinsi]", "65")
    page.click("#filters button[type=submit]")
    row = page.locator('#matrix tr[data-region="65"]')
    assert row.count() == 1 and row.locator("td.budget").inner_text() == "–"
    row.locator("a").click()
    page.wait_for_url("**/inpres/*/")
    assert page.locator("#instructions li").count() >= 1
    today = timezone.localdate()
    page.select_option("#record select[name=kind]", "budget")
    page.fill("#record input[name=taken_on]", today.isoformat())
    page.fill("#record input[name=description]", "APBD Provinsi untuk iuran pekerja rentan")
    page.fill("#record input[name=evidence]", "DPA Disnakertrans Kaltara (uji)")
    page.fill("#record input[name=budget_year]", str(today.year))
    page.fill("#record input[name=budget_amount]", "Rp1.250.000.000")
    page.fill("#record input[name=workers]", "6200")
    page.click("#record button[type=submit]")
    page.wait_for_selector("#actions")
    assert (
        "1.250.000.000" in page.locator("#actions").inner_text()
        or "1,250,000,000" in page.locator("#actions").inner_text()
    )
    page.goto(f"{live_server.url}/inpres/?jenis=governor&provinsi=65")
    assert page.locator('#matrix tr[data-region="65"] td.budget').inner_text() == "✓"
    with page.expect_download() as download:
        page.click("#inpres-report")
    text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Kalimantan Utara" in text
