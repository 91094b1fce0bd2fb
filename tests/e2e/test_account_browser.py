"""Issue 30 §6 in a real browser (Playwright driving Debian's Chromium), at desktop width and at a
390 px phone width: a participant and an employer's HR open their own account from their name in the
header, give the address their notifications go to, and a wrong address is refused on the page."""

import os
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.conftest import FLUSHABLE_APPS
from tests.e2e.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's Chromium is not installed (make browser)"),
]


@pytest.mark.parametrize(("width", "username", "password"), [(1280, "t.hr", "pw-hr-1234"),
                                                             (390, "t.peserta", "pw-peserta-123")])  # fmt: skip
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_a_user_gives_the_address_for_notifications_from_their_own_account(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int, username: str, password: str
) -> None:
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    if width < 700:
        page.click("[data-menu-toggle]")  # on a phone the account links are behind the menu's button
    page.click(f"a.who:has-text('{username}')")
    page.wait_for_url("**/akun/")
    page.locator("h1", has_text="Akun saya").wait_for()
    page.fill("input[name=email]", "bukan alamat")
    # The browser's own check stops a malformed address first; the server's is proven in
    # tests/accounts/test_account_page.py. An address the browser accepts but the server refuses:
    page.fill("input[name=email]", "nama@contoh")
    page.click("button:has-text('Simpan')")
    page.locator("[data-code=email_invalid]").wait_for()
    page.fill("input[name=email]", f"{username}@contoh.go.id")
    page.click("button:has-text('Simpan')")
    page.locator("#email-saved").wait_for()
    assert User.objects.get(username=username).email == f"{username}@contoh.go.id"
    if width == 390:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the account page is {overflow} px wider than a phone"
