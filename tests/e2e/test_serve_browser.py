"""``paritrana serve`` as production runs it (issue 30): the web server, a job worker and the periodic
jobs started by the one command, on the test's database. In a real browser a sponsor operator
uploads a list and starts its enrolment, and the page shows it enrolled to the end without any other
command; the static files come hashed and cached for good; SIGTERM stops everything cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paritrana.demo.synth.load import load_geography
from paritrana.demo.synth.sponsor_lists import sponsor_list
from paritrana.enrolment.models import Upload
from paritrana.registry.models import Membership
from tests.conftest import FLUSHABLE_APPS
from tests.e2e.conftest import CHROMIUM, sign_in
from tests.serving import get, serving

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's Chromium is not installed"),
]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with serving(tmp_path) as answer:
        yield answer


@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_a_page_started_enrolment_runs_to_the_end_under_paritrana_serve(
    served: tuple[str, subprocess.Popen[bytes]], world: dict[str, Any], browser_page: Any, tmp_path: Path
) -> None:
    base, server = served
    assert get(f"{base}/healthz")[0] == 200
    page = browser_page
    listed = sponsor_list(load_geography(["64"]), rows=400, regency="64.02", seed=37)
    path = tmp_path / "daftar-pekerja-rentan.csv"
    path.write_bytes(listed.csv_bytes())

    sign_in(page, base, "t.sponsor", "pw-sponsor-123")
    page.goto(f"{base}/pendaftaran/")
    page.set_input_files("input[name=file]", str(path))
    page.click("#upload button[type=submit]")
    page.wait_for_url("**/pendaftaran/*/")
    page.click("#apply button")
    # Nothing else is started: the worker of ``paritrana serve`` takes the job, the page follows it.
    page.locator("#status", has_text="Selesai didaftarkan").wait_for(timeout=90_000)
    assert page.inner_text("#applied") == str(len(listed.valid_lines))
    assert Upload.objects.get().applied == len(listed.valid_lines)
    assert Membership.objects.filter(sponsor=world["kukar_sponsor"]).count() == len(listed.valid_lines) + 1

    # The page's stylesheet: named by its content's hash, compressed on request, cached for good.
    css = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert css and css.startswith("/static/") and css.count(".") >= 2
    request = urllib.request.Request(f"{base}{css}", headers={"Accept-Encoding": "gzip"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - our own local server
        assert answer.status == 200 and answer.headers.get("Content-Encoding") == "gzip"
        assert "immutable" in answer.headers.get("Cache-Control", "")

    # Stopped by SIGTERM, as systemd stops it: the web server and the worker end, and so does serve.
    server.send_signal(signal.SIGTERM)
    assert server.wait(60) == 0
