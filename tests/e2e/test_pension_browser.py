"""Monthly pensions in Chromium (issue 31 §4), clicked from the national administrator's home page at a
390 px phone width and at desktop width: the payroll page from the menu, a batch made for the bank, its
file downloaded, the bank's answer imported; the widow's claim page with its pension (amount by year,
payments) fitting the phone; the end of the widow's pension handing it to the child, reached by the
link the page shows. And the widow herself, a registered participant, from her own home page: her
claims, her pension's payments, her proof of life sent with the phone's camera field."""

from __future__ import annotations

import csv
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from paritrana.benefits.batch.payroll import payroll_run
from paritrana.benefits.models import Heir, Pension
from tests.benefits.test_payroll import _pension
from tests.conftest import FLUSHABLE_APPS
from tests.e2e.conftest import CHROMIUM, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's Chromium is not installed (make browser)"),
]


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_the_payroll_and_a_widows_pension_from_the_administrators_menu(
    world: dict[str, Any], live_server: Any, browser_page: Any, tmp_path: Any, width: int
) -> None:
    page, url = browser_page, live_server.url
    page.set_viewport_size({"width": width, "height": 860})
    widow = _pension(world, kind="spouse", first=date(2024, 1, 1), base=900_000)
    Pension.objects.filter(pk=widow.pk).update(bank_name="BRI", account_number="002201000123", beneficiary_name="Sri")
    Heir.objects.create(
        person=world["bpn_person"], name="Andi Pratama", relationship="child", birth_date=date(2008, 9, 15),
        bank_name="BRI", account_number="002201000456",
    )  # fmt: skip
    payroll_run(period=date(2024, 2, 1))

    sign_in(page, url, "t.admin", "pw-admin-123")
    if width < 700:
        page.click("[data-menu-toggle]")
    page.click('#menu a[href="/pensiun/payroll/"]')
    page.wait_for_selector("#pending")
    assert _fits(page)
    assert "BRI" in page.locator("#pending").inner_text()
    page.fill("#batch-period", "2024-02")
    page.select_option("#batch-bank", "BRI")
    page.click("#batch-form button")
    page.wait_for_selector('#batches [data-batch="JP-202402-0001"]')
    with page.expect_download() as download:
        page.click('#batches [data-batch="JP-202402-0001"] a')
    rows = list(csv.reader(Path(download.value.path()).read_text(encoding="utf-8").splitlines()))
    assert rows[0][:3] == ["reference", "bank", "account_number"] and rows[1][2] == "002201000123"
    assert rows[1][4] == "900000"
    answer = tmp_path / "hasil-bri.csv"
    answer.write_text(f"No Referensi;Status;Tanggal\n{rows[1][0]};Berhasil;05/03/2024\n", encoding="utf-8")
    page.set_input_files("#results-file", str(answer))
    page.click("#results-form button")
    page.wait_for_selector("#imported")
    assert page.locator('#batches [data-batch="JP-202402-0001"]').get_attribute("data-status") == "reconciled"
    assert _fits(page)

    # The widow's claim page: her pension and its payments; a phone shows it without a page-wide scroll.
    page.goto(f"{url}/klaim/{widow.claim_id}/")
    page.wait_for_selector("#pension")
    assert page.locator('#pension [data-payment="2024-02"]').get_attribute("data-state") == "paid"
    assert _fits(page)
    # She remarried on 20 February 2024: the officer ends her pension; the child's starts in March.
    page.fill("#pension-ended-on", "2024-02-20")
    page.select_option("#pension-end-reason", "remarried")
    page.click("#pension-end-form button")
    page.wait_for_selector("#pension-succession a")
    page.click("#pension-succession a")
    page.wait_for_selector("#pension")
    assert "Andi Pratama" in page.locator("#pension").inner_text()
    assert _fits(page)


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_a_widow_follows_her_pension_from_her_own_home_page_and_sends_her_proof(
    world: dict[str, Any], live_server: Any, browser_page: Any, tmp_path: Any, width: int
) -> None:
    """The world's participant (Sumarni) is the Balikpapan worker's widow: her NIK is on his heir."""
    page, url = browser_page, live_server.url
    page.set_viewport_size({"width": width, "height": 860})
    widow = _pension(world, kind="spouse", first=date(2024, 1, 1), base=900_000)
    heir = Heir.objects.create(
        person=world["bpn_person"], name="Sumarni Lestari", nik=world["kukar_person"].nik, relationship="spouse",
        birth_date=date(1985, 3, 4), bank_name="BRI", account_number="002201000789",
    )  # fmt: skip
    Pension.objects.filter(pk=widow.pk).update(heir=heir)
    payroll_run(period=date(2024, 2, 1))

    sign_in(page, url, "t.peserta", "pw-peserta-123")
    if width < 700:
        page.click("[data-menu-toggle]")
    page.click('#menu a[href="/saya/klaim/"]')
    page.click(f'a[href="/klaim/{widow.claim_id}/"]')
    page.wait_for_selector("#pension")
    assert page.locator('#pension [data-payment="2024-02"]').get_attribute("data-state") == "issued"
    assert _fits(page)
    photo = tmp_path / "saya-dan-ktp.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    page.set_input_files("#proof-file", str(photo))
    page.click("#proof-form button")
    page.wait_for_selector('[data-proof][data-state="submitted"]')
    assert _fits(page)
