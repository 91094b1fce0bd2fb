"""Each role's daily job in Chromium, clicked from its home page, on a desk (1,366 px) and on a phone
(390 px), asserting what was stored (issue 27, "what it must show"). HR's new hire is in
test_hr_new_hire.py, the menus of every role in test_menus.py."""

import os
from datetime import date
from typing import Any

import pytest

from paritrana.accounts.services import user_provision
from paritrana.benefits.models import Claim
from paritrana.core.actors import system_actor
from paritrana.registry import services as registry_services
from paritrana.registry.models import Membership, Person, WageChange
from tests.benefits.conftest import bill_and_pay
from tests.conftest import FLUSHABLE_APPS, make_nik
from tests.e2e.conftest import CHROMIUM, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's Chromium is not installed (make browser)"),
]
WIDTHS = [1366, 390]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _fits(page: Any) -> None:
    assert int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) <= 0, page.url


def _open(page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_branch_officer_registers_a_person_and_a_membership(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int
) -> None:
    page = browser_page
    _open(page, width)
    village = world["kukar_village"]
    nik = make_nik(village.code[:8], date(1994, 9, 21), "P", serial=300 + width)
    sign_in(page, live_server.url, "t.branch", "pw-branch-123")
    page.click("#home-person-new")
    page.wait_for_url("**/daftar/orang/")
    page.fill("#nik", nik)
    # The NIK is read as typed: the birth date it encodes shows beside the box.
    page.wait_for_selector("#nik-said:has-text('21/09/1994')")
    page.fill("#full_name", "Wulan Sari")
    page.fill("#birth_date", "1994-09-21")
    page.select_option("#sex", "P")
    page.fill("#village_code", village.code)
    _fits(page)
    page.click("#person-new button[type=submit]")
    page.wait_for_url("**/orang/*/")
    person = Person.objects.get(nik=nik)
    page.click("#membership-new summary")
    page.select_option("#mn-segment", "PU")
    page.fill("#mn-payer", world["kukar_employer"].npp)
    page.fill("#mn-wage", "3.900.000")
    page.click("#membership-new button[type=submit]")
    page.wait_for_url(f"**/orang/{person.pk}/")
    membership = Membership.objects.get(person=person)
    assert (membership.employer_id, membership.wage, membership.segment) == (
        world["kukar_employer"].pk,
        3_900_000,
        "PU",
    )
    _fits(page)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_hr_reports_a_wage_change_from_its_home_page(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int
) -> None:
    page = browser_page
    _open(page, width)
    worker = Membership.objects.get(person=world["bpn_person"])
    sign_in(page, live_server.url, "t.hr", "pw-hr-1234")
    page.click("#home-wage-report")
    page.wait_for_url("**/iuran/laporan-upah/*/")
    page.fill("#wr-month", "2027-01")
    page.fill(f"#wage-{worker.pk}", "5.750.000")
    _fits(page)
    page.click("#wage-report button[type=submit]")
    page.wait_for_selector(".messages, [role=status], main")
    change = WageChange.objects.get(membership=worker)
    assert (change.effective_from, change.wage, change.previous_wage) == (date(2027, 1, 1), 5_750_000, 5_000_000)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_participant_claims_jht_with_a_photo_of_the_document_and_updates_contact(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int, tmp_path: Any
) -> None:
    users = world["users"]
    bill_and_pay(users["admin"], "employer", world["bpn_employer"].pk, ["2026-08"], [date(2026, 8, 20)])
    membership = Membership.objects.get(person=world["bpn_person"])
    registry_services.membership_end(
        actor=users["admin"], membership_id=membership.pk, valid_until=date(2026, 10, 31), reason="resigned"
    )
    user_provision(
        actor=system_actor(),
        username="t.yohanes",
        password="pw-yohanes-123",
        role="participant",
        person=world["bpn_person"],
    )
    scan = tmp_path / "buku-tabungan.pdf"
    scan.write_bytes(PDF)
    page = browser_page
    _open(page, width)
    sign_in(page, live_server.url, "t.yohanes", "pw-yohanes-123")
    if width < 700:
        page.click("[data-menu-toggle]")
    page.click("#menu >> text=Klaim saya")
    page.click("#jht-own")
    page.wait_for_url("**/saya/klaim/jht/")
    page.select_option("#reason", "resignation")
    page.fill("#separation_date", "2026-10-31")
    page.fill("#payee_bank", "BRI")
    page.fill("#payee_account", "1234567890")
    page.set_input_files("#doc-bank_book", str(scan))
    page.check("#confirm")
    _fits(page)
    page.click("#jht-claim button[type=submit]")
    page.wait_for_url("**/saya/klaim/")
    claim = Claim.objects.get(person=world["bpn_person"], benefit="JHT")
    assert claim.state == "submitted" and claim.documents.get(code="bank_book").file is not None
    # Then the phone number, in two steps.
    if width < 700:
        page.click("[data-menu-toggle]")
    page.click("#menu >> text=Data saya")
    page.fill("#phone", "081234567890")
    page.click("#contact button[type=submit]")
    page.click("#contact-save")
    page.wait_for_url("**/saya/data/")
    assert Person.objects.get(pk=world["bpn_person"].pk).phone == "081234567890"
    _fits(page)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_branch_officer_opens_a_claim_intake_from_the_persons_page(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int
) -> None:
    """The intake form fits the screen (it was 1,656 px wide on a 1,366 px desktop)."""
    page = browser_page
    _open(page, width)
    sign_in(page, live_server.url, "t.branch", "pw-branch-123")
    page.fill("#q", "Sumarni")
    page.click("form.search button[type=submit]")
    page.click(f'a[href="/orang/{world["kukar_person"].pk}/"]')
    page.click("text=Klaim baru")
    page.wait_for_url("**/klaim/baru/?person=*")
    _fits(page)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_sponsor_operator_records_the_years_allocation_from_its_home_page(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int
) -> None:
    from paritrana.enrolment.models import SponsorBudget

    page = browser_page
    _open(page, width)
    sign_in(page, live_server.url, "t.sponsor", "pw-sponsor-123")
    if width < 700:
        page.click("[data-menu-toggle]")
    page.click("#menu >> text=Anggaran")
    page.fill("#set input[name=allocation]", "Rp 250.000.000")
    page.fill("#set input[name=document]", "DPA 2026 No. 12")
    _fits(page)
    page.click("#set button[type=submit]")
    page.wait_for_selector("#allocation:has-text('Rp250.000.000')")
    budget = SponsorBudget.objects.get(sponsor=world["kukar_sponsor"])
    assert (budget.allocation, budget.document) == (250_000_000, "DPA 2026 No. 12")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_regency_officer_records_a_regulation_with_its_scan(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int, tmp_path: Any
) -> None:
    from paritrana.coverage.models import Addressee

    regent = Addressee.objects.get(kind="regent", region_id="64.02")
    scan = tmp_path / "perbup.pdf"
    scan.write_bytes(PDF)
    page = browser_page
    _open(page, width)
    sign_in(page, live_server.url, "t.kukar", "pw-kukar-123")
    if width < 700:
        page.click("[data-menu-toggle]")
    page.click("#menu >> text=Inpres")
    page.click(f'a[href="/inpres/{regent.pk}/"]')
    page.select_option("#record select[name=kind]", "regulation")
    page.fill("#record input[name=taken_on]", "2026-02-02")
    page.fill("#record input[name=description]", "Perbup perlindungan pekerja rentan")
    page.fill("#record input[name=regulation_type]", "Perbup")
    page.fill("#record input[name=regulation_number]", "7/2026")
    page.set_input_files("#record input[name=evidence_file]", str(scan))
    _fits(page)
    page.click("#record button[type=submit]")
    page.wait_for_selector("[data-evidence-file]")
    action = regent.actions.get()
    assert (action.regulation_number, action.evidence_file.content_type) == ("7/2026", "application/pdf")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_coordination_viewer_follows_coverage_from_the_home_page_to_a_province(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int
) -> None:
    from paritrana.coverage.batch.rollup import refresh_month

    bill_and_pay(world["users"]["admin"], "employer", world["bpn_employer"].pk, ["2026-10"], [date(2026, 10, 20)])
    refresh_month(date(2026, 10, 1))
    page = browser_page
    _open(page, width)
    sign_in(page, live_server.url, "t.coord", "pw-coord-123")
    page.click("main >> text=Cakupan per provinsi")
    page.wait_for_url("**/cakupan/")
    assert "10/2026" in page.inner_text("#active-definition")
    _fits(page)
    page.click('.tile[data-code="64"]')
    page.wait_for_url("**/cakupan/64/**")
    assert "Kalimantan Timur" in page.inner_text("h1")
    _fits(page)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_national_administrator_imports_the_bank_statement_that_pays_an_invoice(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int, tmp_path: Any
) -> None:
    from paritrana.contributions.batch.billing import billing_run
    from paritrana.contributions.models import Bill
    from paritrana.contributions.rules.payment_code import payment_code

    billing_run("2026-10")
    bill = Bill.objects.get(employer=world["bpn_employer"], period="2026-10-01")
    statement = tmp_path / "rekening-koran.csv"
    amount = f"{bill.amount_due:,.0f}".replace(",", ".")
    statement.write_text(
        f"tanggal,referensi,kode_pembayar,jumlah\n05/11/2026,TRF-{width},{payment_code(bill.pk)},{amount}\n",
        encoding="utf-8",
    )
    page = browser_page
    _open(page, width)
    sign_in(page, live_server.url, "t.admin", "pw-admin-123")
    if width < 700:
        page.click("[data-menu-toggle]")
    page.click("#menu >> text=Rekening koran")
    page.set_input_files("#statement input[type=file]", str(statement))
    _fits(page)
    page.click("#statement button[type=submit]")
    assert page.inner_text("#recorded") == "1"
    bill.refresh_from_db()
    assert bill.status == "paid"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_province_officer_registers_an_employer_from_the_home_page(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int
) -> None:
    from paritrana.registry.models import Employer

    page = browser_page
    _open(page, width)
    sign_in(page, live_server.url, "t.kaltim", "pw-kaltim-123")
    page.click("#home-employer-new")
    page.fill("#employer-new-name", f"PT Samarinda Makmur {width}")
    page.select_option("#employer-new-kind", "private")
    page.select_option("#employer-new-scale", "medium")
    page.select_option("#employer-new-sector", "F")
    page.select_option("#employer-new-jkk_risk_group", "4")
    page.select_option("#employer-new-regency_code", "64.72")
    _fits(page)
    page.click("#employer-new button[type=submit]")
    page.wait_for_url("**/pemberi-kerja/*/")
    employer = Employer.objects.get(name=f"PT Samarinda Makmur {width}")
    assert (employer.regency_id, employer.jkk_risk_group, employer.sector) == ("64.72", 4, "F")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_sponsor_operator_uploads_a_village_offices_file_and_reads_its_warning(
    live_server: Any, world: dict[str, Any], browser_page: Any, width: int, tmp_path: Any
) -> None:
    """Issue 28: a file as a village office writes it (a title above the table, notes in the headers'
    brackets, a NIK whose district code is not known today, a placeholder name) uploaded from the
    sponsor's menu; the page shows the refused line and the warning, and fits a phone."""
    from paritrana.enrolment.models import Upload

    village = world["kukar_village"].code
    nik = "640299" + make_nik(village[:8], date(1990, 1, 5), "P", 90)[6:]
    other = make_nik(village[:8], date(1991, 2, 6), "P", 91)
    path = tmp_path / "daftar-desa.csv"
    path.write_text(
        "DAFTAR CALON PESERTA BPU DESA;;;;;\n\n"
        "NIK (16 digit);Nama (sesuai KTP);Tanggal Lahir (DD/MM/YYYY);Jenis Kelamin (L/P);Kode Desa;Penghasilan (Rp)\n"
        f"{nik};Sri Wahyuni;05/01/1990;P;{village};Rp 1.000.000,-\n"
        f"{other};-;06/02/1991;P;{village};Rp 1.000.000,-\n",
        encoding="utf-8",
    )
    page = browser_page
    _open(page, width)
    sign_in(page, live_server.url, "t.sponsor", "pw-sponsor-123")
    if width < 700:
        page.click("[data-menu-toggle]")
    page.click("#menu >> text=Pendaftaran massal")
    page.set_input_files("input[name=file]", str(path))
    page.click("#upload button[type=submit]")
    page.wait_for_url("**/pendaftaran/*/")
    assert page.inner_text("#rows") == "2" and page.inner_text("#invalid") == "1"
    # The refused line is the file's own line 5 (the title and a blank line come first).
    assert page.locator("#errors tbody tr").first.inner_text().split("\t")[:3] == ["5", "Nama Lengkap", "name_invalid"]
    warning = page.locator("#warnings tbody tr")
    assert warning.count() == 1 and "64.02.99" in warning.first.inner_text()
    assert warning.first.get_attribute("data-line") == "4"
    _fits(page)
    assert Upload.objects.get().detail["warnings"] == 1
