"""Employer HR's daily job in Chromium (issue 27 §2–3), on a desk and on a phone: from its home page,
register a new hire by hand, choosing the village province → regency → district → village."""

import os
from datetime import date
from typing import Any

import pytest

from paritrana.registry.models import Membership
from tests.conftest import FLUSHABLE_APPS, make_nik
from tests.e2e.conftest import CHROMIUM, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's Chromium is not installed (make browser)"),
]


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_hr_registers_a_new_hire_from_its_home_page(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int
) -> None:
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    village = world["bpn_village"]
    district, regency = village.parent, village.parent.parent
    nik = make_nik(village.code[:8], date(1996, 7, 3), "L", serial=654 + width)
    sign_in(page, live_server.url, "t.hr", "pw-hr-1234")
    page.click("text=Daftarkan pekerja baru")
    page.wait_for_url("**/pendaftaran/satu/")
    # The picker: each step fills the next from the regions under the choice.
    page.wait_for_selector("#pick-province option[value='64']", state="attached")
    page.select_option("#pick-province", "64")
    page.wait_for_selector(f"#pick-regency option[value='{regency.code}']", state="attached")
    page.select_option("#pick-regency", regency.code)
    page.wait_for_selector(f"#pick-district option[value='{district.code}']", state="attached")
    page.select_option("#pick-district", district.code)
    page.wait_for_selector(f"#pick-village option[value='{village.code}']", state="attached")
    page.select_option("#pick-village", village.code)
    assert page.input_value("#village_code") == village.code
    page.fill("#nik", nik)
    page.fill("#full_name", "Bayu Saputra")
    page.fill("#birth_date", "03/07/1996")
    page.fill("#sex", "L")
    page.fill("#wage", "5.200.000")
    page.click("#one-worker button[type=submit]")
    page.wait_for_url("**/pendaftaran/*/")
    assert int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) <= 0
    membership = Membership.objects.get(person__nik=nik)
    assert (membership.employer_id, membership.wage) == (world["bpn_employer"].pk, 5_200_000)
