"""A Paritrana Award juror in Chromium (issue 8 §4): a provincial panel member for Kalimantan Timur
opens their seat, sees only that province's regencies/cities, marks one, is refused an
out-of-range mark with the reason, and declares a conflict of interest on another."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from paritrana.accounts.services import user_provision
from paritrana.award import services
from paritrana.award.models import Candidate, Conflict, Score
from paritrana.core.actors import system_actor
from paritrana.core.models import AuditEvent
from paritrana.demo.synth.load import synth_run
from tests.conftest import FLUSHABLE_APPS
from tests.e2e.conftest import CHROMIUM, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="Debian's Chromium is not installed"),
]


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_a_provincial_panel_member_marks_their_candidates(
    world: dict[str, Any], live_server: Any, browser_page: Any, width: int
) -> None:
    page, url = browser_page, live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    synth_run(persons=2_000, seed=21, provinces=["64"])
    services.edition_create(actor=system_actor(), year=2026, period_start=date(2025, 1, 1),
                            period_end=date(2025, 12, 31), channel="cli")  # fmt: skip
    services.candidates_draw(actor=system_actor(), year=2026, channel="cli")
    juror = user_provision(actor=system_actor(), username="juri.kaltim", password="pw-juri-kaltim-1", role="award_jury")
    services.juror_assign(actor=system_actor(), year=2026, user=juror, stage="provincial", category="kabupaten-kota",
                          province_code="64", channel="cli")  # fmt: skip
    services.stage_advance(actor=system_actor(), year=2026, channel="cli")

    # From the juror's home page (issue 27): its editions, then its seat.
    sign_in(page, url, "juri.kaltim", "pw-juri-kaltim-1")
    page.click("main >> a:text-is('2026')")
    page.click("#seats a")
    rows = page.locator("#board tbody tr[data-candidate]")
    rows.first.wait_for()
    kaltim = Candidate.objects.filter(category__code="kabupaten-kota", province_code="64").count()
    assert rows.count() == kaltim == 10  # the ten regencies/cities of Kalimantan Timur, nothing else

    first = rows.first
    candidate = int(first.get_attribute("data-candidate") or 0)
    first.locator("input[name=mark_panel]").fill("120")
    first.locator("form.score button").click()
    page.wait_for_selector(".problems, [role=alert], .error")
    assert "0–100" in page.content()
    assert not Score.objects.filter(candidate_id=candidate).exists()

    first = page.locator(f"#board tr[data-candidate='{candidate}']")
    first.locator("input[name=mark_panel]").fill("78,5")
    first.locator("form.score button").click()
    page.wait_for_load_state()
    assert Score.objects.get(candidate_id=candidate).value == 78.5
    assert (
        page.locator(f"#board tr[data-candidate='{candidate}'] input[name=mark_panel]").input_value() == "78,50"
    )  # Indonesian decimal comma, read back by the form

    other = page.locator("#board tbody tr[data-candidate]").nth(1)
    other_id = int(other.get_attribute("data-candidate") or 0)
    other.locator("summary").click()
    other.locator("input[name=reason]").fill("Saudara kandung bupati")
    other.locator("form.conflict button").click()
    page.wait_for_load_state()
    assert Conflict.objects.filter(candidate_id=other_id, juror__user=juror).exists()
    assert "konflik kepentingan" in page.locator(f"#board tr[data-candidate='{other_id}']").inner_text().lower()
    assert AuditEvent.objects.filter(action="award.conflict_declare", entity_id=str(other_id)).exists()
    assert int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) <= 0
