"""Issue 27 §8: axe-core (from npm, `make browser`) finds no serious or critical violation on the
most used pages, each opened by the role that uses it, at desktop width and on a 390 px phone."""

import os
from pathlib import Path
from typing import Any

import pytest

from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.models import Bill
from tests.conftest import FLUSHABLE_APPS
from tests.e2e.conftest import CHROMIUM, sign_in

AXE = Path(__file__).resolve().parents[2] / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's Chromium is not installed (make browser)"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (make browser)"),
]

LOGINS = {
    "branch": ("t.branch", "pw-branch-123"),
    "sponsor": ("t.sponsor", "pw-sponsor-123"),
    "participant": ("t.peserta", "pw-peserta-123"),
    "coord": ("t.coord", "pw-coord-123"),
    "hr": ("t.hr", "pw-hr-1234"),
}


def _violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_the_most_used_pages_have_no_serious_accessibility_violation(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int
) -> None:
    billing_run("2025-03")
    bill = Bill.objects.get(sponsor=world["kukar_sponsor"])
    person, sponsor = world["kukar_person"], world["kukar_sponsor"]
    pages = {
        None: ["/masuk/", "/simulasi-iuran/"],
        "branch": ["/", "/cari/?q=Sumarni", f"/orang/{person.pk}/", "/klaim/", "/klaim/baru/",
                   f"/iuran/pembayar/sponsor/{sponsor.pk}/", f"/iuran/tagihan/{bill.pk}/", "/daftar/orang/",
                   "/daftar/pemberi-kerja/"],
        "sponsor": ["/", "/pendaftaran/", "/pendaftaran/anggaran/"],
        "hr": ["/", "/pendaftaran/satu/", f"/iuran/laporan-upah/{world['bpn_employer'].pk}/"],
        "participant": ["/", "/saya/klaim/", "/saya/klaim/jht/", "/saya/data/", f"/iuran/peserta/{person.pk}/"],
        "coord": ["/cakupan/"],
    }  # fmt: skip
    # axe is injected as a script: the site's Content-Security-Policy would (rightly) refuse it.
    context = browser_page.context.browser.new_context(
        bypass_csp=True, locale="id-ID", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    for role, urls in pages.items():
        page.context.clear_cookies()
        if role is not None:
            username, password = LOGINS[role]
            sign_in(page, live_server.url, username, password)
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response is not None and response.status < 400, (role, url)
            found = _violations(page)
            if found:
                problems[f"{role or 'anonim'} {url}"] = found
    assert problems == {}
