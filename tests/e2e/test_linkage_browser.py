"""The clerical review queue in Chromium (issue 7 §3): a national administrator opens a matched KUR
list, reads the summaries, opens the review queue, sees a listed person beside the registry's
candidates with the match weights, and decides one pair; the decision is kept and audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paritrana.core.actors import system_actor
from paritrana.core.models import AuditEvent
from paritrana.demo.synth.load import synth_run
from paritrana.demo.synth.outside_lists import TRUTH, generate_list
from paritrana.linkage import services
from paritrana.linkage.batch.run import run_execute
from paritrana.linkage.models import Match
from paritrana.registry.models import Person
from tests.conftest import FLUSHABLE_APPS
from tests.e2e.conftest import CHROMIUM
from tests.e2e.test_bsu_browser import _login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="Debian's Chromium is not installed"),
]


@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_a_clerk_decides_a_pair_in_the_review_queue(
    world: dict[str, Any], live_server: Any, browser_page: Any, tmp_path: Path
) -> None:
    page, url = browser_page, live_server.url
    synth_run(persons=4_000, seed=21, provinces=["64"])
    listed = tmp_path / "kur-bri-2021.csv"
    generate_list(listed, records=1_000, profile="hard", seed=3)
    # A sure case for the clerk, whatever the noise drew: two registered persons alike in name, birth
    # date, sex and regency (NIKs differing in the serial), and a listed row without a NIK.
    twin = Person.objects.order_by("id")[100]
    serial = next(n for n in range(9000, 9999) if not Person.objects.filter(nik=f"{twin.nik[:12]}{n}").exists())
    Person.objects.create(
        nik=f"{twin.nik[:12]}{serial}", full_name=twin.full_name, birth_date=twin.birth_date, sex=twin.sex,
        village_id=twin.village_id, regency_id=twin.regency_id, province_id=twin.province_id,
    )  # fmt: skip
    with listed.open("a", encoding="utf-8") as f:
        f.write(f",{twin.full_name},{twin.birth_date:%d-%m-%Y},{twin.sex},{twin.regency_id},,,BRI,2021,\n")
    made = services.list_import(
        actor=system_actor(),
        path=listed,
        file_name=listed.name,
        kind="kur",
        bank="BRI",
        year=2021,
        truth=TRUTH,
        channel="cli",
    )
    run = run_execute(services.run_create(actor=system_actor(), list_id=made.pk, channel="cli").pk)
    pending = Match.objects.filter(run=run, decision__in=["review", "ambiguous"]).count()
    assert pending > 0

    _login(page, url, "t.admin", "pw-admin-123")
    page.goto(f"{url}/pencocokan/")
    page.click("#lists >> text=kur-bri-2021")
    page.wait_for_selector("#totals")
    assert page.locator("#by-bank tbody tr").count() >= 1
    page.click("a[href$='/tinjau/']")
    first = page.locator("section.pair").first
    first.wait_for()
    section_id = first.get_attribute("id")
    assert section_id is not None
    match_id = int(section_id.split("-")[1])
    # The listed person beside the candidates, with the evidence per field.
    assert first.locator("th").filter(has_text="NIK").count() >= 1
    assert "name_key" in first.locator(".evidence").first.inner_text()
    first.locator("button.choose").first.click()
    page.wait_for_load_state()
    assert page.locator(f"#match-{match_id}").count() == 0
    decided = Match.objects.get(pk=match_id)
    assert decided.decision == "match" and decided.stage == "clerk" and decided.person_id is not None
    assert AuditEvent.objects.filter(action="linkage.review", entity_id=str(match_id)).exists()
    assert Match.objects.filter(run=run, decision__in=["review", "ambiguous"]).count() == pending - 1
