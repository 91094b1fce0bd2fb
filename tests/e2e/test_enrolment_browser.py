"""In a real browser: a sponsor operator uploads a messy list, reads the bad rows, downloads the error
report, starts the enrolment and watches its progress to the end (the Procrastinate worker runs
beside the live server, as ``paritrana procrastinate worker`` would)."""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from django.db import connection
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from paritrana.demo.synth.load import load_geography
from paritrana.demo.synth.sponsor_lists import sponsor_list
from paritrana.enrolment import proof, selectors
from paritrana.enrolment.models import Upload
from paritrana.registry.models import Membership
from tests.conftest import FLUSHABLE_APPS
from tests.e2e.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="Debian's Chromium is not installed"),
]


def _worker() -> None:
    from procrastinate.contrib.django import app

    try:
        # As the ``procrastinate worker`` command does: the Django connector defers, a psycopg one works.
        with app.replace_connector(app.connector.get_worker_connector()):  # type: ignore[attr-defined]
            app.run_worker(queues=["enrolment"], wait=False, install_signal_handlers=False)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_sponsor_uploads_reads_errors_downloads_report_and_watches_enrolment(
    live_server: Any, world: dict[str, Any], browser_page: Any, tmp_path: Any
) -> None:
    page = browser_page
    listed = sponsor_list(load_geography(["64"]), rows=600, regency="64.02", seed=31)
    path = tmp_path / "daftar-pekerja-rentan.csv"
    path.write_bytes(listed.csv_bytes())

    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "t.sponsor")
    page.fill("#id_password", "pw-sponsor-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/pendaftaran/")
    page.set_input_files("input[name=file]", str(path))
    page.click("#upload button[type=submit]")
    page.wait_for_url("**/pendaftaran/*/")
    assert page.inner_text("#rows") == "600"
    assert page.inner_text("#invalid") == str(len(listed.expected))
    first_bad = min(listed.expected)
    assert page.locator("#errors tbody tr").first.inner_text().split("\t")[:3] == [
        str(first_bad),
        page.locator("#errors tbody tr").first.inner_text().split("\t")[1],
        listed.expected[first_bad],
    ]

    with page.expect_download() as download:
        page.click("#report")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))["Kesalahan"]
    reported = {(row[0], row[2]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert reported == set(listed.expected.items())

    page.click("#apply button")
    page.wait_for_selector("progress[data-status=queued]")
    worker = threading.Thread(target=_worker)
    worker.start()
    # The page polls the job's progress and reloads itself with the final counts when it is done.
    # A locator, not wait_for_function: the page's Content-Security-Policy forbids evaluating strings.
    page.locator("#status", has_text="Selesai didaftarkan").wait_for(timeout=60_000)
    worker.join(timeout=60)
    assert page.inner_text("#applied") == str(len(listed.valid_lines))
    assert page.get_attribute("#progress", "value") == "100"
    upload = Upload.objects.get()
    assert upload.applied == len(listed.valid_lines)
    assert Membership.objects.filter(sponsor=world["kukar_sponsor"]).count() == len(listed.valid_lines) + 1

    # Proof of participation: the cards (one PDF, 8 to a page) and the sponsor's certificate download,
    # and a card's QR code, read back by a barcode reader, opens the public page in the browser.
    with page.expect_download() as download:
        page.click(".cards-pdf")
    cards_pdf = Path(download.value.path()).read_bytes()
    assert len(PdfReader(io.BytesIO(cards_pdf)).pages) == -(-len(listed.valid_lines) // 8)
    with page.expect_download() as download:
        page.click("#certificate")
    assert "SERTIFIKAT KEPESERTAAN" in PdfReader(download.value.path()).pages[0].extract_text()
    cards = selectors.upload_cards(upload=upload, limit=8)
    png = proof.cards_pdf(cards, verify_url=live_server.url + "/verifikasi/{token}/", title="t", fmt="png")
    first = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))[0].text
    page.context.clear_cookies()
    page.goto(first)
    assert page.inner_text("#status") == "Aktif"
    assert page.inner_text("#kpj") in {c["kpj"] for c in cards}
