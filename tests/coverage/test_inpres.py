"""Inpres 2/2021 follow-up (issue 6 §5; scenario S6): every addressee loaded, actions recorded with
evidence, the status matrix (budgets also evidenced by the APBD allocations of bulk enrolment), scope,
and the six-monthly report."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from paritrana.core.actors import system_actor
from paritrana.core.errors import PermissionDenied, ValidationFailed
from paritrana.core.models import AuditEvent
from paritrana.coverage import inpres
from paritrana.coverage.models import Addressee
from paritrana.enrolment import services as enrolment

pytestmark = pytest.mark.django_db


def test_addressees_follow_the_regions_and_the_sources(world: dict[str, Any]) -> None:
    # 38 governors and 514 regents/mayors (Kepmendagri 2025), the Attorney General, three agency
    # heads including DJSN, the BPJS board (regulation.md §5).
    counts = {
        k: Addressee.objects.filter(kind=k).count()
        for k in ("governor", "regent", "attorney_general", "agency_head", "bpjs")
    }
    assert counts == {"governor": 38, "regent": 514, "attorney_general": 1, "agency_head": 3, "bpjs": 1}
    assert Addressee.objects.get(kind="regent", region_id="64.71").title == "Wali Kota Balikpapan"
    assert Addressee.objects.get(kind="regent", region_id="64.02").title == "Bupati Kutai Kartanegara"
    # Six ministers are named by Setkab; the rest of the 19 were not retrieved and are not invented.
    assert Addressee.objects.filter(kind="minister", confirmed=True).count() == 6


def test_actions_matrix_scope_and_report(world: dict[str, Any], tmp_path: Any, capsys: Any) -> None:
    users = world["users"]
    kaltim = Addressee.objects.get(kind="governor", region_id="64")
    kukar = Addressee.objects.get(kind="regent", region_id="64.02")
    balikpapan = Addressee.objects.get(kind="regent", region_id="64.71")
    inpres.action_record(
        actor=users["kaltim"], addressee_id=kaltim.pk, kind="regulation", taken_on=date(2026, 3, 2),
        description="Pergub kepesertaan Jamsostek", evidence="JDIH Kaltim", regulation_type="Pergub",
        regulation_number="12 Tahun 2026",
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        inpres.action_record(
            actor=users["kaltim"], addressee_id=kaltim.pk, kind="budget", taken_on=date(2026, 3, 2),
            description="Pagu", evidence="",
        )  # fmt: skip
    assert {p.code for p in refused.value.problems} == {"evidence_required", "budget_incomplete"}
    # A regency officer records for their own regent only.
    with pytest.raises(PermissionDenied):
        inpres.action_record(
            actor=users["kukar"], addressee_id=balikpapan.pk, kind="licensing", taken_on=date(2026, 4, 1),
            description="x", evidence="y",
        )  # fmt: skip
    # Kukar's APBD allocation recorded in the sponsor budget is evidence of its budget.
    enrolment.budget_set(
        actor=system_actor(),
        sponsor_id=world["kukar_sponsor"].pk,
        year=2026,
        allocation=Decimal(750_000_000),
        channel="cli",
    )
    table = inpres.matrix(user=users["admin"], year=2026)
    rows = {r["id"]: r for r in table["rows"]}
    assert rows[kaltim.pk]["regulation"] and not rows[kaltim.pk]["budget"] and rows[kaltim.pk]["actions"] == 1
    assert rows[kukar.pk]["budget"] and not rows[kukar.pk]["regulation"] and rows[kukar.pk]["actions"] == 0
    assert not rows[balikpapan.pk]["followed_up"]
    assert table["summary"]["governor"] == {
        "label": "Gubernur", "addressees": 38, "followed_up": 1, "regulation": 1, "budget": 0, "licensing": 0,
        "registration": 0,
    }  # fmt: skip
    # The province officer sees Kaltim's governor and its regencies' heads only.
    seen = {r["region"] for r in inpres.matrix(user=users["kaltim"], year=2026)["rows"]}
    assert seen and all(code.startswith("64") for code in seen)
    with pytest.raises(PermissionDenied):
        inpres.matrix(user=users["participant"])

    client = Client()
    client.force_login(users["coord"])
    page = client.get("/inpres/?jenis=governor").content.decode()
    assert page.count("<tr data-id=") == 38
    assert client.get(f"/inpres/{kaltim.pk}/").content.decode().count("12 Tahun 2026") == 1
    pdf = client.get("/inpres/laporan.pdf?semester=2026-1")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "LAPORAN PELAKSANAAN INSTRUKSI PRESIDEN" in text and "Pergub kepesertaan Jamsostek" in text
    # Outside the semester the action is not listed.
    pdf2 = client.get("/inpres/laporan.pdf?semester=2026-2")
    assert "Pergub kepesertaan Jamsostek" not in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf2.content)).pages
    )

    officer = Client()
    officer.force_login(users["kaltim"])
    response = officer.post(
        f"/api/v1/inpres/addressees/{kaltim.pk}/actions",
        {"kind": "licensing", "taken_on": "2026-04-01", "description": "DPMPTSP mensyaratkan bukti kepesertaan",
         "evidence": "SE DPMPTSP 5/2026"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    api_rows = {r["id"]: r for r in officer.get("/api/v1/inpres/addressees?kind=governor").json()}
    assert list(api_rows) == [kaltim.pk] and api_rows[kaltim.pk]["licensing"]
    call_command("coverage", "inpres-report", "--semester", "2026-1", "--out", str(tmp_path / "i.pdf"))
    assert json.loads(capsys.readouterr().out)["semester"] == "2026-1"
    assert (tmp_path / "i.pdf").read_bytes().startswith(b"%PDF")


def test_the_administrator_adds_a_minister_in_the_admin(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["users"]["admin"])
    before = Addressee.objects.filter(kind="minister").count()
    response = client.post(
        "/admin/coverage/addressee/add/",
        {"kind": "minister", "title": "Menteri Sosial", "source": "teks Inpres (jdih.setkab.go.id)", "confirmed": "on"},
    )
    assert response.status_code == 302
    assert Addressee.objects.filter(kind="minister").count() == before + 1
    assert AuditEvent.objects.filter(action="addressee_create").exists()


def test_evidence_is_kept_as_a_file_and_shown_only_within_the_addressees_scope(world: dict[str, Any]) -> None:
    """Issue 27 §5: the signed regulation itself, uploaded with the action, checked by its bytes and
    served only to those who see the addressee; the read is audited."""
    kukar = Addressee.objects.get(kind="regent", region_id="64.02")
    officer = Client()
    officer.force_login(world["users"]["kukar"])
    scan = io.BytesIO(b"%PDF-1.7\n% Perbup 12/2026\n%%EOF\n")
    scan.name = "perbup-12-2026.pdf"
    answer = officer.post(
        f"/inpres/{kukar.pk}/",
        {"kind": "regulation", "taken_on": "2026-03-02", "description": "Perbup perlindungan pekerja rentan",
         "evidence": "", "regulation_type": "Perbup", "regulation_number": "12/2026", "evidence_file": scan},
    )  # fmt: skip
    assert answer.status_code == 302
    action = kukar.actions.get()
    assert action.evidence_file is not None and action.evidence == "perbup-12-2026.pdf"
    url = f"/inpres/tindak-lanjut/{action.pk}/bukti/"
    assert url in officer.get(f"/inpres/{kukar.pk}/").content.decode()
    shown = officer.get(url)
    assert shown.status_code == 200 and shown.content.startswith(b"%PDF-1.7")
    assert AuditEvent.objects.filter(action="inpres_evidence_view", entity_id=str(action.pk)).exists()
    outsider = Client()
    outsider.force_login(world["users"]["bpn"])  # Balikpapan's officer does not see Kukar's regent
    assert outsider.get(url).status_code == 404
    # A spreadsheet macro or any file that is not a PDF or picture is refused, and nothing is recorded.
    fake = io.BytesIO(b"PK\x03\x04 not a scan")
    fake.name = "bukti.pdf"
    refused = officer.post(
        f"/inpres/{kukar.pk}/",
        {"kind": "other", "taken_on": "2026-03-03", "description": "x", "evidence": "", "evidence_file": fake},
    )
    assert refused.status_code == 400 and "file_type" in refused.content.decode()
    assert kukar.actions.count() == 1


def test_a_regency_officer_filters_by_their_own_province_only(world: dict[str, Any]) -> None:
    officer = Client()
    officer.force_login(world["users"]["kukar"])
    page = officer.get("/inpres/").content.decode()
    options = page[page.index('name="provinsi"') :].split("</select>")[0]
    assert 'value="64"' in options and 'value="11"' not in options and 'value="31"' not in options
