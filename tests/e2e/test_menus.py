"""On a 390 px phone and a 1,366 px desktop, in Chromium (issue 27 §1, §7): every role signs in and
goes through every entry of its menu (on the phone, opened with the menu button); no page is wider
than the screen and none answers an error."""

import os
from typing import Any

import pytest

from paritrana.accounts.services import user_provision
from paritrana.core.actors import system_actor
from paritrana.portal.menu import menu_for
from tests.conftest import FLUSHABLE_APPS
from tests.e2e.conftest import CHROMIUM, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's Chromium is not installed (make browser)"),
]

PASSWORDS = {
    "admin": ("t.admin", "pw-admin-123"),
    "branch": ("t.branch", "pw-branch-123"),
    "kukar": ("t.kukar", "pw-kukar-123"),
    "coord": ("t.coord", "pw-coord-123"),
    "hr": ("t.hr", "pw-hr-1234"),
    "sponsor": ("t.sponsor", "pw-sponsor-123"),
    "participant": ("t.peserta", "pw-peserta-123"),
    "jury": ("t.juri", "pw-juri-12345"),
}


def _too_wide(page: Any) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_every_role_goes_through_its_menu(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int
) -> None:
    users = {**world["users"], "jury": user_provision(
        actor=system_actor(), username="t.juri", password="pw-juri-12345", role="award_jury"
    )}  # fmt: skip
    page = browser_page
    phone = width < 700
    page.set_viewport_size({"width": width, "height": 844 if phone else 768})
    wide: list[tuple[str, str, int]] = []
    for role, (username, password) in PASSWORDS.items():
        page.context.clear_cookies()
        sign_in(page, live_server.url, username, password)
        # The menu is folded behind its button on a phone, and always shown on a desktop.
        assert page.is_visible("#menu") != phone, role
        for label, url in menu_for(users[role]):
            if phone:
                page.click("[data-menu-toggle]")
            assert page.is_visible("#menu"), role
            with page.expect_navigation():
                page.click(f'#menu a[href="{url}"]')
            response_ok = page.evaluate("document.querySelector('main') !== null")
            assert response_ok and page.url.startswith(live_server.url + url.split("?")[0]), (role, label, page.url)
            assert "Page not found" not in page.content() and "Server Error" not in page.content(), (role, label)
            if _too_wide(page) > 0:
                wide.append((role, url, _too_wide(page)))
    assert wide == [], wide
