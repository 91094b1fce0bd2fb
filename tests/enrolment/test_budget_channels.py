"""The sponsor budget through its page, API and command line (issue 5 §4): allocation, required
amount, what is left, the warning, and the renewal of the list into the next budget year."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from paritrana.core.actors import system_actor
from paritrana.demo.enrolment import demo_upload
from paritrana.enrolment.models import SponsorBudget, Upload
from paritrana.registry.models import Membership
from paritrana.registry.rules.kpj import kpj_from_serial

pytestmark = pytest.mark.django_db

# Regulation.md §1.4 (PP 44/2015; star.grid.id): a BPU declaring Rp1,000,000 pays JKK 1 % = Rp10,000
# and JKM Rp6,800: Rp16,800 a month, Rp201,600 for twelve months.
MONTHLY = Decimal(16_800)


def _last_year_member(world: dict[str, Any], year: int) -> Membership:
    """A second worker of the sponsor whose cover was funded last budget year only."""
    return Membership.objects.create(
        kpj=kpj_from_serial(9_000_000_101),
        person=world["bpn_person"],
        sponsor=world["kukar_sponsor"],
        segment="BPU",
        programmes=["JKK", "JKM"],
        declared_income=1_000_000,
        valid_from=date(year - 1, 1, 1),
        valid_until=date(year - 1, 12, 31),
        regency_id="64.02",
    )


def test_budget_page_sets_warns_and_renews(world: dict[str, Any]) -> None:
    year = timezone.localdate().year
    sponsor = world["kukar_sponsor"]
    _last_year_member(world, year)
    client = Client()
    client.force_login(world["users"]["sponsor"])
    page = client.get("/pendaftaran/anggaran/").content.decode()
    # The operator's only sponsor is chosen for them; one worker is covered this year.
    assert sponsor.name in page and '<dd id="persons">1</dd>' in page
    assert '<dd id="committed">Rp201.600</dd>' in page and '<dd id="allocation">–</dd>' in page

    page = client.post(
        "/pendaftaran/anggaran/",
        {"sponsor": sponsor.pk, "year": year, "allocation": "Rp 300.000", "months": 12, "document": "DPA uji"},
    ).content.decode()
    assert '<dd id="allocation">Rp300.000</dd>' in page and '<dd id="left">Rp98.400</dd>' in page
    assert 'id="over"' not in page
    assert SponsorBudget.objects.get(sponsor=sponsor, year=year).allocation == Decimal(300_000)

    # Renewing carries last year's worker into this year: two workers now need more than the pagu.
    page = client.post(
        "/pendaftaran/anggaran/", {"sponsor": sponsor.pk, "year": year, "action": "renew"}
    ).content.decode()
    assert "1 kepesertaan diperpanjang" in page
    assert '<dd id="persons">2</dd>' in page and '<dd id="committed">Rp403.200</dd>' in page
    # Pagu Rp300,000 less the two workers' Rp403,200: an overrun, said as one (issue 27).
    assert '<dd id="left">terlampaui Rp103.200</dd>' in page and 'id="over"' in page

    bad = client.post("/pendaftaran/anggaran/", {"sponsor": sponsor.pk, "year": year, "allocation": "tiga juta"})
    assert 'data-code="amount_invalid"' in bad.content.decode()


def test_budget_page_is_scoped(world: dict[str, Any]) -> None:
    sponsor = world["kukar_sponsor"]
    for who in ("bpn", "hr"):
        client = Client()
        client.force_login(world["users"][who])
        page = client.get(f"/pendaftaran/anggaran/?penanggung={sponsor.pk}").content.decode()
        assert sponsor.name not in page, who
        client.post("/pendaftaran/anggaran/", {"sponsor": sponsor.pk, "year": 2026, "allocation": "1"})
    assert not SponsorBudget.objects.exists()


def test_budget_api_and_cli(world: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    year = timezone.localdate().year
    code = world["kukar_sponsor"].code
    _last_year_member(world, year)
    client = Client()
    client.force_login(world["users"]["kukar"])
    url = f"/api/v1/enrolment/sponsors/{code}/budgets/{year}"
    put = client.put(url, {"allocation": "500000", "months": 6}, content_type="application/json")
    assert put.status_code == 200
    body = put.json()
    assert (body["persons"], Decimal(body["committed"]), Decimal(body["left"])) == (
        1,
        MONTHLY * 6,
        Decimal(500_000) - MONTHLY * 6,
    )
    renewed = client.post(f"{url}/renew").json()
    assert renewed["renewed"] == 1 and renewed["budget"]["persons"] == 2
    assert client.put(url, {"allocation": "-1"}, content_type="application/json").status_code == 422
    other = Client()
    other.force_login(world["users"]["bpn"])
    assert other.get(url).status_code == 404

    call_command("enrol", "budget", "--sponsor", code, "--year", str(year), "--allocation", "Rp 1.000.000")
    printed = json.loads(capsys.readouterr().out)
    assert printed["allocation"] == "1000000" and printed["months"] == 6 and printed["persons"] == 2
    assert Decimal(printed["left"]) == Decimal(1_000_000) - 2 * MONTHLY * 6


def test_demo_upload_enrols_its_list_once(world: dict[str, Any]) -> None:
    made = demo_upload(actor=system_actor(), sponsor=world["kukar_sponsor"], rows=300)
    upload = Upload.objects.get(pk=made["upload"])
    assert upload.status == "applied" and upload.applied == upload.valid and 30 <= upload.invalid <= 90
    assert SponsorBudget.objects.get(sponsor=world["kukar_sponsor"]).allocation == Decimal(1_000_000_000)
    assert demo_upload(actor=system_actor(), sponsor=world["kukar_sponsor"], rows=300) == {"skipped": True}


def test_cli_import_dry_run_then_import_then_again(
    world: dict[str, Any], capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    """``paritrana enrol import FILE --sponsor CODE [--dry-run]`` prints the issue's JSON; the error
    counts come most frequent first in every answer (a dry run's, an import's, a repeat's)."""
    from paritrana.demo.synth.load import load_geography
    from paritrana.demo.synth.sponsor_lists import sponsor_list

    listed = sponsor_list(load_geography(["64"]), rows=1_200, regency="64.02", seed=23)
    path = tmp_path / "daftar.csv"
    path.write_bytes(listed.csv_bytes())
    code = world["kukar_sponsor"].code
    answers = []
    for extra in (["--dry-run"], [], []):
        call_command("enrol", "import", str(path), "--sponsor", code, *extra)
        answers.append(json.loads(capsys.readouterr().out))
    dry, first, again = answers
    expected_codes: dict[str, int] = {}
    for error_code in listed.expected.values():
        expected_codes[error_code] = expected_codes.get(error_code, 0) + 1
    valid = len(listed.valid_lines)
    for answer in answers:
        assert {"rows", "valid", "invalid", "applied", "already_enrolled", "errors_by_code", "seconds"} <= set(answer)
        assert (answer["rows"], answer["valid"], answer["invalid"]) == (1_200, valid, len(listed.expected))
        assert answer["errors_by_code"] == expected_codes
        counts = list(answer["errors_by_code"].items())
        assert counts == sorted(counts, key=lambda kv: (-kv[1], kv[0]))
    assert (dry["applied"], dry["already_enrolled"]) == (0, 0)
    assert (first["applied"], first["already_enrolled"]) == (valid, 0)
    assert (again["applied"], again["already_enrolled"]) == (0, valid)
    enrolled = Membership.objects.filter(sponsor=world["kukar_sponsor"]).exclude(person=world["kukar_person"])
    assert enrolled.count() == valid


def test_the_upload_page_names_problems_and_columns_in_indonesian(world: dict[str, Any]) -> None:
    """Issue 27 §6: the summary says what went wrong, the table names the template's column; the
    stable code stays beside it for programs and support."""
    from paritrana.enrolment import services as enrolment_services

    content = (
        "NIK;Nama Lengkap;Tanggal Lahir;Jenis Kelamin;Kode Desa/Kelurahan;Segmen;Penghasilan (BPU)\n"
        f"12345;Siti;01/01/1990;P;{world['kukar_village'].code};BPU;1.000.000\n"
    ).encode()
    upload = enrolment_services.upload_create(
        actor=world["users"]["sponsor"], content=content, file_name="salah.csv", valid_from=date(2026, 1, 1)
    )
    client = Client()
    client.force_login(world["users"]["sponsor"])
    page = client.get(f"/pendaftaran/{upload.pk}/").content.decode()
    summary = page[page.index('id="codes"') :].split("</ul>")[0]
    assert 'data-code="nik_format">NIK bukan 16 digit: 1<' in summary
    errors = page[page.index('id="errors"') :].split("</table>")[0]
    assert '<td data-field="nik">NIK</td>' in errors and "village_code" not in errors
