"""Issue 25 in a real browser (Playwright driving Debian's Chromium), at desktop width and at a 390 px
phone width: an officer issues and revokes an API token from their own page, the token works against
the API until revoked, and the pages run under the Content-Security-Policy without violations (the
language menu still switches, through the site's own script)."""

import os
from typing import Any

import pytest
from django.test import Client

from tests.conftest import FLUSHABLE_APPS
from tests.e2e.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's Chromium is not installed (make browser)"),
]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_an_officer_issues_uses_and_revokes_a_token(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int
) -> None:
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "t.kukar")
    page.fill("#id_password", "pw-kukar-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    if width < 700:
        page.click("[data-menu-toggle]")  # on a phone the menu and account links are behind its button
    page.click("text=Token API")
    page.wait_for_url("**/akun/token/")
    page.fill("input[name=name]", "Sinkronisasi SIAK")
    page.fill("input[name=days]", "30")
    page.click("button:has-text('Terbitkan token')")
    page.locator("#new-token").wait_for()
    secret = page.inner_text("#new-token code")
    assert secret.startswith("prt_")
    assert "Sinkronisasi SIAK" in page.inner_text("table")
    api = Client()
    answer = api.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200 and [p["full_name"] for p in answer.json()["items"]] == ["Sumarni Lestari"]
    page.click("button:has-text('Cabut')")
    page.locator("table", has_text="dicabut").wait_for(timeout=15_000)
    assert "–" not in page.inner_text("table tbody td:nth-child(4)")  # last used: the call above
    assert api.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    # The language menu is the site's own script now (no inline handler under the CSP).
    page.select_option("select[name=language]", "en")
    page.locator("h1", has_text="API tokens").wait_for(timeout=15_000)
    assert violations == []
    if width == 390:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the token page is {overflow} px wider than a phone"
