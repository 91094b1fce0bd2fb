"""A wage subsidy round in Chromium (issue 9 §4): one national administrator runs BSU 2025's
eligibility, is refused the approval of their own run, a second approves; a BRI batch is made and
its file downloaded, the bank's results are imported twice (the second changes nothing); a
participant sees why they do not qualify."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from paritrana.accounts.services import user_provision
from paritrana.core.actors import system_actor
from tests.conftest import FLUSHABLE_APPS
from tests.e2e.conftest import CHROMIUM
from tests.subsidies.test_services import employer, worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="Debian's Chromium is not installed"),
]


def _login(page: Any, url: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_run_approve_pay_and_reconcile_a_round(
    world: dict[str, Any], live_server: Any, browser_page: Any, tmp_path: Any
) -> None:
    page, url = browser_page, live_server.url
    plant = employer("93000001")
    ana = worker("Ana Wulandari", 31, at=plant, wage=3_000_000)
    worker("Budi Hartono", 32, at=plant, wage=3_600_000)
    user_provision(actor=system_actor(), username="t.admin2", password="pw-admin2-123", role="national_admin")

    _login(page, url, "t.admin", "pw-admin-123")
    page.click("nav >> text=BSU")
    page.click("#rounds >> text=Bantuan Subsidi Upah 2025")
    page.click("#compute button")
    page.wait_for_selector("#approve")
    # Ana (Rp3,000,000) qualifies; Budi (Rp3,600,000 > Rp3,500,000) and the world's two do not.
    assert page.locator("#eligible").inner_text() == "1"
    assert "wage_above_ceiling" in page.locator("#reasons").inner_text()
    page.click("#approve button")
    assert page.locator('[data-code="second_person_required"]').count() == 1

    _login(page, url, "t.admin2", "pw-admin2-123")
    page.goto(f"{url}/bsu/BSU-2025/")
    page.click("#approve button")
    page.wait_for_selector("#batch")
    page.select_option("#batch select[name=channel]", "BRI")
    page.click("#batch button")
    page.wait_for_selector("#batches a")
    with page.expect_download() as download:
        page.click("#batches a")
    rows = list(csv.reader(Path(download.value.path()).read_text(encoding="utf-8").splitlines()))
    assert rows[0][:3] == ["reference", "nik", "nama"] and [r[1] for r in rows[1:]] == [ana.nik]
    assert rows[1][5] == "600000"  # Rp300,000 × 2 (Permenaker 5/2025)

    results = tmp_path / "hasil-bri.csv"
    results.write_text(f"referensi,status,tanggal\n{rows[1][0]},Berhasil,20/06/2025\n", encoding="utf-8")
    for updated in ("1", "0"):
        page.set_input_files("#results input[type=file]", str(results))
        page.click("#results button")
        page.wait_for_selector("#imported")
        assert page.locator("#imported").inner_text().startswith(("Diperbarui: " + updated, "Updated: " + updated))
    assert page.locator("#paid").inner_text().startswith("1")

    _login(page, url, "t.peserta", "pw-peserta-123")
    page.click("nav >> text=Subsidi upah")
    page.wait_for_url("**/bsu/cek/")
    row = page.locator('#answers tr[data-round="BSU-2025"]')
    assert row.get_attribute("data-state") == "not_eligible"
    assert row.locator('[data-code="segment_not_covered"]').count() == 1
