"""Coverage pages and API: the tile map of the 38 provinces, the drill-down, exports; aggregates only
for the coordination viewer; nothing for roles outside monitoring."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from paritrana.core.actors import system_actor
from paritrana.coverage.batch.rollup import refresh_month
from paritrana.enrolment import services as enrolment
from tests.coverage.batch.test_rollup import PERIOD, population  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _client(world: dict[str, Any], who: str) -> Client:
    client = Client()
    client.force_login(world["users"][who])
    return client


def test_national_map_drill_down_and_exports(population: dict[str, Any]) -> None:  # noqa: F811
    refresh_month(PERIOD)
    admin = _client(population, "admin")
    page = admin.get("/cakupan/").content.decode()
    assert page.count('class="tile ') == 38
    # Each tile named as people name the province, the full name for screen readers (issue 27 §6).
    tile_64 = page[page.index('data-code="64" title=') :].split("</a>")[0]
    assert 'aria-label="Kalimantan Timur"' in tile_64 and "<b>Kaltim</b>" in tile_64
    assert "data-sources.md" not in page
    # Kalimantan Timur has a denominator (BPS Sakernas, data-sources.md): a coloured tile with a share.
    row_64 = page[page.index('<tr data-code="64">') :].split("</tr>")[0]
    assert "(2024)" in row_64 and "%" in row_64
    api = admin.get("/api/v1/coverage/provinces?period=2025-03").json()
    kaltara = next(r for r in api if r["code"] == "65")
    drill = admin.get("/cakupan/65/?bulan=2025-03").content.decode()
    assert "Kalimantan Utara" in drill and 'data-code="65.' in drill
    regencies = admin.get("/api/v1/coverage/provinces/65/regencies?period=2025-03").json()
    assert sum(r["active"] for r in regencies) == kaltara["active"]
    exported = admin.get("/cakupan/65/?bulan=2025-03&format=csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {r["kode"] for r in rows} == {r["code"] for r in regencies}
    assert sum(int(r["peserta_aktif"]) for r in rows) == kaltara["active"]
    book = load_workbook(io.BytesIO(admin.get("/cakupan/?bulan=2025-03&format=xlsx").content))
    assert book["Cakupan"].max_row == 39
    report = admin.get("/api/v1/coverage/regions/65?period=2025-03").json()
    assert report["active"] == kaltara["active"] and report["denominator"]["value"] == 378_361


def test_coordination_viewer_sees_aggregates_without_personal_data(population: dict[str, Any]) -> None:  # noqa: F811
    refresh_month(PERIOD)
    coord = _client(population, "coord")
    pages = [coord.get(url).content.decode() for url in ("/cakupan/", "/cakupan/65/", "/cakupan/64/")]
    pages.append(coord.get("/cakupan/64/?format=csv").content.decode("utf-8-sig"))
    pages.append(coord.get("/api/v1/coverage/regions/64").content.decode())
    person = population["kukar_person"]
    for body in pages:
        assert person.nik not in body and person.full_name not in body
    # Small regencies are hidden from the viewer exactly where the full count is below 10.
    full = {
        r["code"]: r["active"]
        for r in _client(population, "admin").get("/api/v1/coverage/provinces/65/regencies").json()
    }
    seen = {r["code"]: r["active"] for r in coord.get("/api/v1/coverage/provinces/65/regencies").json()}
    assert seen == {code: (None if 0 < n < 10 else n) for code, n in full.items()}


def test_roles_outside_monitoring_see_nothing(population: dict[str, Any]) -> None:  # noqa: F811
    refresh_month(PERIOD)
    for who in ("hr", "sponsor", "participant"):
        client = _client(population, who)
        assert client.get("/cakupan/").status_code == 404, who
        assert client.get("/api/v1/coverage/provinces").status_code == 403, who
    kukar = _client(population, "kukar")
    assert kukar.get("/cakupan/65/").status_code == 404
    assert [r["code"] for r in kukar.get("/api/v1/coverage/provinces").json()] == ["64"]


def test_monev_pdf_for_kalimantan_timur(population: dict[str, Any], tmp_path: Any, capsys: Any) -> None:  # noqa: F811
    refresh_month(PERIOD)
    # Kukar records its APBD allocation for 2025; the other regencies of Kaltim have not.
    enrolment.budget_set(
        actor=system_actor(),
        sponsor_id=population["kukar_sponsor"].pk,
        year=2025,
        allocation=Decimal(500_000_000),
        channel="cli",
    )
    admin = _client(population, "admin")
    response = admin.get("/cakupan/64/monev.pdf?bulan=2025-03")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Kalimantan Timur" in text and "LAPORAN MONITORING DAN EVALUASI" in text
    # Dates as people write them (issue 27 §6): the month 03/2025, benefits from 1 January to 31 March.
    assert "03/2025" in text and "01/01/2025 s.d. 31/03/2025" in text and "2025-03" not in text
    report = admin.get("/api/v1/coverage/regions/64?period=2025-03").json()
    assert f"{report['active']:,}".replace(",", ".") in text
    # Kutai Kartanegara has budgeted; Balikpapan (64.71) has not and is named.
    assert "Belum menganggarkan" in text and "Balikpapan" in text.split("Belum menganggarkan")[1]
    assert "Kutai Kartanegara" not in text.split("Belum menganggarkan")[1].split("Manfaat")[0]
    assert admin.get("/api/v1/coverage/provinces/64/monev.pdf?period=2025-03").content.startswith(b"%PDF")
    call_command("coverage", "monev", "--province", "64", "--period", "2025-03", "--out", str(tmp_path / "m.pdf"))
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
    assert "Kutai Kartanegara" not in capsys.readouterr().out
    assert _client(population, "bpn").get("/cakupan/65/monev.pdf?bulan=2025-03").status_code == 404


def test_active_is_defined_once_with_the_month_and_the_data_date(population: dict[str, Any]) -> None:  # noqa: F811
    refresh_month(PERIOD)
    page = _client(population, "admin").get("/cakupan/?bulan=2025-03").content.decode()
    said = page[page.index('id="active-definition"') :].split("</p>")[0]
    assert "03/2025" in said and "lunas" in said
    assert re.search(r"Data per \d{2}/\d{2}/\d{4} \d{2}:\d{2}", said)
