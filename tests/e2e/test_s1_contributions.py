"""Scenario S1 in a real browser: the ministry's PPNPN staff are billed, the ministry pays at its bank
with the invoice's payment code, BPJS imports the bank statement, and the staff's standing turns
active (issue 3, "what it must show"; issue 27 §3: a payer never marks its own bill paid)."""

import json
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from paritrana.core.actors import system_actor
from tests.conftest import FLUSHABLE_APPS, make_nik
from tests.e2e.conftest import CHROMIUM, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM, reason="no Chromium")]

# Per PPNPN worker on Rp4,500,000, risk group I, a large employer (ministry), November 2026:
# JKK 0.24 % 10,800 + JKM 0.30 % 13,500 (PP 44/2015 Pasal 16(1), 18(1)) + JHT 3.7 % 166,500 + 2 % 90,000
# (PP 46/2015 Pasal 16(1)) + JP 2 % 90,000 + 1 % 45,000 (PP 45/2015 Pasal 28(3); cap 11,086,300) = 415,800.
PER_WORKER = 415_800


@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_s1_ministry_staff_billed_paid_and_active(
    live_server: Any, world: dict[str, Any], browser_page: Any, tmp_path: Any
) -> None:
    from paritrana.accounts.services import user_provision
    from paritrana.regions.models import Region
    from paritrana.registry.models import Employer, Membership, Person
    from paritrana.registry.rules.kpj import kpj_from_serial

    ministry = Employer.objects.create(
        npp="90000031",
        name="Kementerian Koordinator Bidang Perekonomian",
        kind="ministry",
        scale="large",
        sector="O",
        jkk_risk_group=1,
        regency_id="31.71",
        province_id="31",
    )
    village = Region.objects.filter(level=4, code__startswith="31.71.").order_by("code").first()
    assert village is not None
    staff = []
    for i, (name, sex) in enumerate([("Rina Marlina", "P"), ("Agus Setiawan", "L"), ("Dedi Kurniawan", "L")]):
        born = date(1990 + i, 5, 10)
        person = Person.objects.create(
            nik=make_nik(village.code[:8], born, sex, serial=i + 1),
            full_name=name,
            birth_date=born,
            sex=sex,
            village=village,
            regency_id="31.71",
            province_id="31",
        )
        Membership.objects.create(
            kpj=kpj_from_serial(9_100_000_001 + i),
            person=person,
            employer=ministry,
            segment="PU",
            tags=["ppnpn", "non_asn"],
            programmes=["JKK", "JKM", "JHT", "JP", "JKP"],
            wage=4_500_000,
            valid_from=date(2026, 1, 1),
            regency_id="31.71",
        )
        staff.append(person)
    user_provision(
        actor=system_actor(),
        username="t.hr.kemenko",
        password="pw-hr-kemenko-1",
        role="employer_hr",
        employer_id=ministry.pk,
    )

    out = StringIO()
    call_command("billing", "run", "--period", "2026-11", stdout=out)
    run = json.loads(out.getvalue())
    assert run["lines"] == 3 + 2  # the ministry's three and the world fixture's two memberships

    page = browser_page
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "t.hr.kemenko")
    page.fill("#id_password", "pw-hr-kemenko-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.click('a:has-text("Kementerian Koordinator Bidang Perekonomian")')
    page.click('a:has-text("Tagihan dan pembayaran iuran")')
    row = page.locator("#bills tr[data-period='2026-11']")
    assert f"Rp{3 * PER_WORKER:,}".replace(",", ".") == "Rp1.247.400"
    assert "Rp1.247.400" in row.inner_text()
    assert "Belum dibayar" in row.inner_text()

    # Before payment the staff are not active.
    page.goto(f"{live_server.url}/iuran/peserta/{staff[0].pk}/")
    assert (
        page.inner_text("#standing td.standing-active") != "Aktif"
        if page.locator("#standing td.standing-active").count()
        else True
    )
    assert page.locator("#standing td.standing-active").count() == 0

    # HR has no payment form: it opens the invoice and pays at the bank with its payment code.
    page.go_back()
    assert page.locator("#amount").count() == 0
    page.click("#bills tr[data-period='2026-11'] a")
    code = page.get_attribute("#payment-code", "data-code")
    assert code is not None and len(code) == 13
    # The bank's statement carries the code; BPJS's officer imports it from the menu.
    statement = tmp_path / "rekening-koran.csv"
    statement.write_text(
        f"tanggal,referensi,kode_pembayar,jumlah\n{date.today():%d/%m/%Y},SP2D-2026-11-001,{code},1.247.400\n",
        encoding="utf-8",
    )
    page.context.clear_cookies()
    sign_in(page, live_server.url, "t.admin", "pw-admin-123")
    page.click("nav >> text=Rekening koran")
    page.set_input_files("#statement input[type=file]", str(statement))
    page.click("#statement button[type=submit]")
    assert page.inner_text("#recorded") == "1"

    for person in staff:
        page.goto(f"{live_server.url}/iuran/peserta/{person.pk}/")
        assert page.inner_text("#standing td.standing-active") == "Aktif"
