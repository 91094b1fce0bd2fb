"""In a real browser (Playwright driving Debian's Chromium): log in, search by NIK, open the person."""

import os
from typing import Any

import pytest

from tests.conftest import FLUSHABLE_APPS
from tests.e2e.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's Chromium is not installed (make browser)"),
]


@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_login_search_by_nik_and_open_person(live_server: Any, world: dict[str, Any], browser_page: Any) -> None:
    page = browser_page
    person = world["kukar_person"]
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "t.kukar")
    page.fill("#id_password", "pw-kukar-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "Kabupaten Kutai Kartanegara" in page.content()
    page.fill("#q", person.nik)
    page.click("form[action='/cari/'] button[type=submit]")
    page.wait_for_url("**/cari/?q=*")
    # The list masks the NIK; the row links to the person.
    masked = person.nik[:6] + "********" + person.nik[14:]
    page.click(f"text={masked}")
    page.wait_for_url(f"**/orang/{person.pk}/")
    assert page.inner_text("h1") == "Sumarni Lestari"
    assert page.inner_text("[data-testid=nik]") == person.nik
    assert "Bukan Penerima Upah" in page.content()


@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_wrong_password_shows_an_indonesian_error(live_server: Any, world: dict[str, Any], browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "t.kukar")
    page.fill("#id_password", "salah")
    page.click("button[type=submit]")
    assert "Nama pengguna atau kata sandi salah." in page.inner_text("[role=alert]")
