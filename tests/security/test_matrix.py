"""The role × endpoint matrix (issue 25): every page and API operation, generated from the URL conf
and the OpenAPI schema, must be placed here — a new endpoint without a row fails the first test.

For each endpoint whose path names an object (a registry record, a bill or payer, a claim, an
upload, a budget, a region, an addressee, a BSU round, a list or run, an award edition, category or
candidate) every role of the demo requests an object inside its scope and one outside: inside
answers 200 for the roles the row allows and 403/404 for the others; outside always answers 403/404
and never shows the object's NIK. Writes are refused outside the scope, and inside for roles the row
does not allow, and change nothing. The few rows whose objects the fixture cannot build name the test
that proves their scope (``proven_by``), which must exist. Every GET without a path parameter is
requested by every role and by nobody: no role gets a server error, and nobody logged in gets in
unless the row says the endpoint is public."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from paritrana.core.actors import system_actor
from tests.conftest import make_nik

pytestmark = pytest.mark.django_db

ROLES = ("admin", "coord", "branch", "kaltim", "kukar", "bpn", "hr", "sponsor", "participant", "jury")
PERSONAL = frozenset({"admin", "branch", "kaltim", "kukar", "bpn", "hr", "sponsor", "participant"})
STAFF = frozenset({"admin", "branch", "kaltim", "kukar", "bpn"})
WRITERS = STAFF | {"hr", "sponsor"}
PAYMENT_RECORDERS = frozenset({"admin", "branch"})  # issue 27: a payer never marks its own bill paid
CLAIM_OFFICERS = frozenset({"admin", "branch"})
ALL = frozenset(ROLES)
MONITORING = frozenset({"admin", "coord", "jury", "branch", "kaltim", "kukar", "bpn"})
AWARD_READERS = frozenset({"admin", "coord", "jury"})
CLAIM_READERS = PERSONAL
# Uploads are the sponsor's and the regional officers' work; the coordination team and juries see none.
UPLOAD_READERS = frozenset({"admin", "branch", "kaltim", "kukar", "bpn", "hr", "sponsor"})
UPLOAD_WRITERS = UPLOAD_READERS
BILL_READERS = frozenset({"admin", "branch", "kaltim", "kukar", "bpn", "hr", "sponsor"})
LINKAGE_READERS = frozenset({"admin", "coord", "branch", "kaltim", "kukar", "bpn"})
LINKAGE_REVIEWERS = LINKAGE_READERS - {"coord"}
BSU_READERS = frozenset({"admin", "coord"})
# A sponsor's APBD budget is public money: whoever sees the sponsor sees it; its operators and the
# officers of its region set it.
BUDGET_READERS = ALL - {"hr"}
BUDGET_WRITERS = frozenset({"admin", "branch", "kaltim", "kukar", "bpn", "sponsor"})
ADMIN = frozenset({"admin"})
REFUSED = (403, 404)


@dataclass(frozen=True)
class Rule:
    """Who may use an endpoint. ``kind`` names the registry object in its path; ``allowed`` the roles
    answered 200 inside their scope (GET) or allowed to write; ``public`` endpoints need no login."""

    allowed: frozenset[str] = frozenset()
    kind: str = ""
    public: bool = False
    proven_by: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def by(test: str, allowed: frozenset[str] = ALL) -> Rule:
    return Rule(allowed=allowed, proven_by=test)


CLAIMS = "tests.benefits.test_services::test_claims_are_scoped_to_the_branch_and_the_person"
UPLOADS = "tests.enrolment.test_services::test_scope_sponsor_operators_and_regions"
LINKAGE = "tests.linkage.test_services::test_review_scope_outreach_and_drafts"
AWARD = "tests.award.test_services::test_a_juror_sees_and_marks_only_their_stage_category_and_province"
BSU_FILE = "tests.security.test_holes::test_bsu_payment_file_is_for_the_national_administrator_only_and_audited"
BILLS = "tests.contributions.test_api::test_api_scope_for_bills_and_payments"
LEAVER = "tests.registry.test_services::test_a_leaver_is_ended_from_the_persons_page_within_scope"
CLAIM_FILES = "tests.benefits.test_own_claim::test_a_participant_claims_jht_with_files_and_the_branch_sees_them"
EVIDENCE = "tests.coverage.test_inpres::test_evidence_is_kept_as_a_file_and_shown_only_within_the_addressees_scope"
PROOF_OF_LIFE = "tests.benefits.test_proof_of_life::test_the_pensioner_sends_a_proof_and_the_branch_accepts_it"
MOVE = "tests.registry.test_pages::test_a_worker_moves_to_another_employer_keeping_kpj_and_is_billed_there_from_then"
MEMBERSHIP_BY_HAND = "tests.registry.test_pages::test_a_membership_for_a_registered_person_from_the_persons_page"
PROOF = "tests.enrolment.test_proof::test_verification_refuses_unsigned_or_tampered_tokens"
PENSION_BATCHES = "tests.benefits.test_pension_batches::test_a_month_is_sent_to_two_banks_and_their_answers_come_back"

PAGES: dict[str, Rule] = {
    "": Rule(ALL),
    "masuk/": Rule(public=True),
    "healthz": Rule(public=True),  # the process answers; nothing about anyone (core/health.py)
    "readyz": Rule(public=True),  # database, migrations and job queue: counts only
    # Counts only (no person); loopback or the scraper's token, which the test client's 127.0.0.1 is.
    "metrics": Rule(public=True),
    "keluar/": Rule(ALL),
    "akun/": Rule(ALL),  # one's own account: only one's own e-mail address (tests/accounts/test_account_page.py)
    "akun/token/": Rule(ALL - {"participant"}),
    "audit/orang/<int:person_id>/": Rule(frozenset({"admin"}), kind="person"),
    "cari/": Rule(ALL),
    "wilayah/anak.json": Rule(ALL),  # public reference data (regions), for signed-in users
    "orang/ekspor.csv": Rule(ALL),
    "orang/<int:person_id>/": Rule(PERSONAL, kind="person"),
    "pemberi-kerja/<int:employer_id>/": Rule(ALL - {"sponsor", "participant"}, kind="employer"),
    "penanggung/<int:sponsor_id>/": Rule(ALL - {"hr"}, kind="sponsor"),
    "kepesertaan/<int:membership_id>/akhiri/": by(LEAVER, WRITERS),  # POST only
    "kepesertaan/<int:membership_id>/pindah/": by(MOVE, STAFF),  # POST only
    "orang/<int:person_id>/kepesertaan-baru/": by(MEMBERSHIP_BY_HAND, WRITERS),  # POST only
    "wilayah/nik.json": Rule(ALL),  # what a NIK encodes; never whether anyone holds it
    "daftar/orang/": Rule(STAFF),
    "daftar/pemberi-kerja/": Rule(STAFF),
    "daftar/penanggung/": Rule(STAFF),
    "simulasi-iuran/": Rule(public=True),
    "iuran/pembayar/<str:payer_kind>/<int:payer_id>/": Rule(BILL_READERS, kind="payer"),
    "iuran/tagihan/<int:bill_id>/": Rule(BILL_READERS, kind="bill"),
    "iuran/tunggakan/": Rule(ALL),
    "iuran/peserta/<int:person_id>/": Rule(PERSONAL, kind="person"),
    "iuran/impor-rekening/": Rule(PAYMENT_RECORDERS),
    "iuran/laporan-upah/<int:employer_id>/": Rule(STAFF | {"hr"}, kind="employer"),
    "klaim/": Rule(ALL),
    "klaim/baru/": Rule(ALL),
    "klaim/<int:claim_id>/": Rule(CLAIM_READERS, kind="claim"),
    "klaim/<int:claim_id>/surat.pdf": Rule(CLAIM_READERS, kind="claim"),
    "peserta/<int:person_id>/ahli-waris/": Rule(CLAIM_OFFICERS | {"participant"}, kind="person"),
    "beasiswa/": Rule(ALL),
    "jht/<int:person_id>/": Rule(PERSONAL, kind="person"),
    "saya/klaim/": Rule(frozenset({"participant"})),
    "saya/klaim/jht/": Rule(frozenset({"participant"})),
    "saya/data/": Rule(frozenset({"participant"})),
    "klaim/<int:claim_id>/dokumen/<slug:code>/": by(CLAIM_FILES, CLAIM_READERS),
    "klaim/bukti-hidup/": Rule(CLAIM_OFFICERS),
    "pensiun/payroll/": Rule(ADMIN),
    "pensiun/batch/<int:batch_id>.csv": by(PENSION_BATCHES, ADMIN),
    "klaim/<int:claim_id>/bukti-hidup/": by(PROOF_OF_LIFE, CLAIM_OFFICERS | {"participant"}),  # POST only
    "bukti-hidup/<int:proof_id>/berkas/": by(PROOF_OF_LIFE, CLAIM_READERS),
    "saya/kartu/": Rule(frozenset({"participant"})),
    "saya/kartu.pdf": Rule(frozenset({"participant"})),
    "pendaftaran/": Rule(ALL),
    "pendaftaran/satu/": Rule(WRITERS),
    "pendaftaran/templat.xlsx": Rule(public=True),  # an empty template: headers and notes only
    "pendaftaran/anggaran/": Rule(ALL),
    "pendaftaran/<int:upload_id>/": Rule(UPLOAD_READERS, kind="upload"),
    "pendaftaran/<int:upload_id>/terapkan/": by(UPLOADS),
    "pendaftaran/<int:upload_id>/kemajuan.json": Rule(UPLOAD_READERS, kind="upload"),
    "pendaftaran/<int:upload_id>/kesalahan.xlsx": Rule(UPLOAD_READERS, kind="upload"),
    "pendaftaran/<int:upload_id>/kartu.pdf": Rule(UPLOAD_READERS, kind="upload"),
    "pendaftaran/<int:upload_id>/sertifikat.pdf": Rule(UPLOAD_READERS, kind="upload"),
    "verifikasi/sertifikat/<str:token>/": Rule(public=True, proven_by=PROOF),
    "verifikasi/<str:token>/": Rule(public=True, proven_by=PROOF),
    "cakupan/": Rule(MONITORING),
    "cakupan/keuangan/": Rule(MONITORING),
    "inpres/": Rule(MONITORING),
    "inpres/laporan.pdf": Rule(MONITORING, extra={"query": "semester=2025-1"}),
    "inpres/<int:addressee_id>/": Rule(MONITORING, kind="addressee"),
    "inpres/tindak-lanjut/<int:action_id>/bukti/": by(EVIDENCE, MONITORING),
    "cakupan/<str:code>/": Rule(MONITORING, kind="region", extra={"query": "bulan=2024-05"}),
    "cakupan/<str:code>/monev.pdf": Rule(MONITORING, kind="province"),
    "bsu/": Rule(frozenset({"admin", "coord"})),
    "bsu/cek/": Rule(ALL),
    "bsu/<str:code>/": Rule(BSU_READERS, kind="round"),
    "bsu/<str:code>/batch/<int:number>.csv": by(BSU_FILE),
    "pencocokan/": Rule(LINKAGE_READERS),
    "pencocokan/<int:list_id>/": Rule(LINKAGE_READERS, kind="list"),
    "pencocokan/jalan/<int:run_id>/kemajuan/": Rule(LINKAGE_READERS, kind="run"),
    "pencocokan/jalan/<int:run_id>/tinjau/": Rule(LINKAGE_REVIEWERS, kind="run"),
    "pencocokan/jalan/<int:run_id>/penjangkauan.<str:fmt>": Rule(LINKAGE_REVIEWERS, kind="run"),
    "pencocokan/jalan/<int:run_id>/draf-bpu/": by(LINKAGE, LINKAGE_REVIEWERS),  # POST only
    "penghargaan/": Rule(AWARD_READERS),
    "penghargaan/kandidat/<int:candidate_id>/": Rule(AWARD_READERS, kind="candidate"),
    "penghargaan/sertifikat/<int:candidate_id>.pdf": by(AWARD),
    "penghargaan/<int:year>/": Rule(AWARD_READERS, kind="edition"),
    "penghargaan/<int:year>/hasil/": Rule(public=True, proven_by=AWARD),
    "penghargaan/<int:year>/daftar/": by(AWARD),
    "penghargaan/<int:year>/<slug:code>/": Rule(AWARD_READERS, kind="category"),
}

API: dict[str, Rule] = {
    "GET /persons": Rule(ALL),
    "POST /persons": Rule(STAFF),
    "GET /persons/{person_id}": Rule(PERSONAL, kind="person"),
    "PATCH /persons/{person_id}": Rule(STAFF | {"hr", "sponsor"}, kind="person"),
    "GET /employers": Rule(ALL),
    "POST /employers": Rule(STAFF),
    "GET /employers/{employer_id}": Rule(ALL - {"sponsor", "participant"}, kind="employer"),
    "PATCH /employers/{employer_id}": Rule(STAFF, kind="employer"),
    "GET /sponsors": Rule(ALL),
    "POST /sponsors": Rule(STAFF),
    "GET /sponsors/{sponsor_id}": Rule(ALL - {"hr"}, kind="sponsor"),
    "GET /memberships": Rule(ALL),
    "POST /memberships": Rule(WRITERS),
    "GET /memberships/{membership_id}": Rule(PERSONAL, kind="membership"),
    "POST /memberships/{membership_id}/end": Rule(WRITERS, kind="membership"),
    "POST /calculator/contribution": Rule(public=True),
    "GET /bills": Rule(ALL),
    "GET /bills/{bill_id}": Rule(BILL_READERS, kind="bill"),
    "GET /bills/{bill_id}/lines": Rule(BILL_READERS, kind="bill"),
    "POST /payments": by(BILLS, PAYMENT_RECORDERS),
    "POST /payments/statement": Rule(PAYMENT_RECORDERS),
    "POST /employers/{employer_id}/wages": Rule(
        STAFF | {"hr"}, kind="employer", extra={"body": '{"month": "2026-12", "wages": []}'}
    ),
    "GET /persons/{person_id}/contributions": Rule(PERSONAL, kind="person"),
    "POST /calculator/benefit": Rule(public=True),
    "GET /claims": Rule(ALL),
    "POST /claims": by(CLAIMS, CLAIM_OFFICERS),
    "GET /claims/{claim_id}": Rule(CLAIM_READERS, kind="claim"),
    "POST /claims/{claim_id}/documents": Rule(CLAIM_OFFICERS, kind="claim"),
    "POST /claims/{claim_id}/verify": Rule(CLAIM_OFFICERS, kind="claim"),
    "POST /claims/{claim_id}/approve": Rule(CLAIM_OFFICERS, kind="claim"),
    "POST /claims/{claim_id}/reject": Rule(CLAIM_OFFICERS, kind="claim"),
    "POST /claims/{claim_id}/pay": Rule(CLAIM_OFFICERS, kind="claim"),
    "GET /claims/{claim_id}/letter.pdf": Rule(CLAIM_READERS, kind="claim"),
    "GET /claims/{claim_id}/pension": Rule(CLAIM_READERS, kind="claim"),
    "POST /claims/{claim_id}/pension/end": Rule(
        CLAIM_OFFICERS, kind="claim", extra={"body": '{"ended_on": "2024-03-01", "reason": "died"}'}
    ),
    "GET /payroll": Rule(ADMIN),
    "POST /payroll/batches": Rule(ADMIN),
    "POST /payroll/results": Rule(ADMIN),
    "GET /persons/{person_id}/heirs": Rule(CLAIM_OFFICERS | {"participant"}, kind="person"),
    "POST /persons/{person_id}/heirs": Rule(CLAIM_OFFICERS, kind="person"),
    "POST /scholarships/{scholarship_id}/renew": by(CLAIMS, CLAIM_OFFICERS),
    "GET /persons/{person_id}/jht": Rule(PERSONAL, kind="person"),
    "POST /enrolment/uploads": by(UPLOADS, WRITERS),
    "GET /enrolment/uploads/{upload_id}": Rule(UPLOAD_READERS, kind="upload"),
    "GET /enrolment/uploads/{upload_id}/errors": Rule(UPLOAD_READERS, kind="upload"),
    "POST /enrolment/uploads/{upload_id}/apply": Rule(UPLOAD_WRITERS, kind="upload"),
    "GET /enrolment/uploads/{upload_id}/cards.pdf": Rule(UPLOAD_READERS, kind="upload"),
    "GET /enrolment/uploads/{upload_id}/certificate.pdf": Rule(UPLOAD_READERS, kind="upload"),
    "GET /verification/cards/{token}": Rule(public=True, proven_by=PROOF),
    "GET /enrolment/sponsors/{code}/budgets/{year}": Rule(BUDGET_READERS, kind="budget"),
    "PUT /enrolment/sponsors/{code}/budgets/{year}": Rule(
        BUDGET_WRITERS, kind="budget", extra={"body": '{"allocation": "9000000", "months": 12}'}
    ),
    "POST /enrolment/sponsors/{code}/budgets/{year}/renew": Rule(BUDGET_WRITERS, kind="budget", extra={"body": "{}"}),
    "GET /coverage/indicators": Rule(ALL),
    "GET /coverage/provinces": Rule(ALL),
    "GET /coverage/finance/{code}": Rule(MONITORING, kind="region", extra={"query": "period=2024-05"}),
    "GET /coverage/provinces/{code}/regencies": Rule(MONITORING, kind="province", extra={"query": "period=2024-05"}),
    "GET /coverage/regions/{code}": Rule(MONITORING, kind="region", extra={"query": "period=2024-05"}),
    "GET /coverage/provinces/{code}/monev.pdf": Rule(MONITORING, kind="province"),
    "GET /inpres/addressees": Rule(ALL),
    "POST /inpres/addressees/{addressee_id}/actions": Rule(STAFF, kind="addressee"),
    "GET /inpres/report.pdf": Rule(ALL),
    "GET /bsu/rounds": Rule(ALL),
    "GET /bsu/rounds/{code}": Rule(BSU_READERS, kind="round"),
    "PUT /bsu/rounds/{code}": Rule(ADMIN, kind="round", extra={"body": '{"name": "Diubah"}'}),
    "POST /bsu/rounds/{code}/compute": Rule(ADMIN, kind="round", extra={"body": "{}"}),
    "POST /bsu/rounds/{code}/approve": Rule(ADMIN, kind="round", extra={"body": "{}"}),
    "POST /bsu/rounds/{code}/batches": Rule(ADMIN, kind="round", extra={"body": '{"channel": "BRI"}'}),
    "GET /bsu/check/{nik}": Rule(frozenset({"admin", "participant"}), kind="nik"),
    "GET /linkage/lists": Rule(ALL),
    "GET /linkage/runs/{run_id}": Rule(LINKAGE_READERS, kind="run"),
    "GET /linkage/runs/{run_id}/review": Rule(LINKAGE_REVIEWERS, kind="run"),
    "POST /linkage/matches/{match_id}/decision": by(LINKAGE, STAFF),
    "GET /award/editions": Rule(ALL),
    "GET /award/editions/{year}/categories/{code}": Rule(AWARD_READERS, kind="category"),
    "PUT /award/candidates/{candidate_id}/marks": Rule(
        frozenset({"jury"}), kind="candidate", extra={"body": '{"marks": {"panel": "77"}}'}
    ),
    "GET /award/editions/{year}/results": Rule(public=True, proven_by=AWARD),
}


def _pages() -> list[str]:
    def walk(patterns: list[Any], prefix: str = "") -> list[str]:
        found = []
        for p in patterns:
            if isinstance(p, URLResolver):
                found += walk(p.url_patterns, prefix + str(p.pattern))
            else:
                found.append(prefix + str(p.pattern))
        return found

    return [r for r in walk(get_resolver().url_patterns) if not r.startswith(("admin/", "api/v1/", "i18n/"))]


def _operations() -> list[str]:
    from paritrana.api import api

    schema = api.get_openapi_schema()
    return [f"{m.upper()} {path.removeprefix('/api/v1')}" for path, ops in schema["paths"].items() for m in ops]


def test_every_endpoint_is_placed_in_the_matrix() -> None:
    pages, operations = set(_pages()), set(_operations())
    assert sorted(pages - PAGES.keys()) == [], "pages without a row in the role matrix"
    assert sorted(operations - API.keys()) == [], "API operations without a row in the role matrix"
    assert sorted(PAGES.keys() - pages) == [] and sorted(API.keys() - operations) == [], "rows for endpoints gone"


def test_every_named_proof_exists() -> None:
    for rule in [*PAGES.values(), *API.values()]:
        if rule.proven_by:
            module, _, name = rule.proven_by.partition("::")
            assert callable(getattr(importlib.import_module(module), name, None)), rule.proven_by


@pytest.fixture
def matrix(world: dict[str, Any]) -> dict[str, Any]:
    """The world of tests/conftest.py, a person, employer and sponsor in another province, a juror,
    and a month billed, so that every object kind has something inside and outside each scope."""
    from paritrana.accounts.services import user_provision
    from paritrana.award import services as award_services
    from paritrana.award.models import Candidate
    from paritrana.benefits.services import claim_submit
    from paritrana.contributions.batch.billing import billing_run
    from paritrana.contributions.models import Bill
    from paritrana.contributions.services import Payer, payment_record
    from paritrana.coverage.batch.rollup import refresh_month
    from paritrana.coverage.models import Addressee
    from paritrana.demo.synth.load import load_geography
    from paritrana.demo.synth.sponsor_lists import sponsor_list
    from paritrana.enrolment.models import SponsorBudget
    from paritrana.enrolment.services import upload_create, upload_run
    from paritrana.linkage.models import LinkRun, OutsideList
    from paritrana.regions.models import Region
    from paritrana.registry.models import Employer, Membership, Person, Sponsor
    from paritrana.subsidies.models import Decision as BsuDecision
    from paritrana.subsidies.models import Payment as BsuPayment
    from paritrana.subsidies.models import Round

    village = Region.objects.filter(level=4, code__startswith="61.71.").order_by("code").first()
    assert village is not None
    far = Person.objects.create(
        nik=make_nik(village.code[:8], date(1990, 2, 2), "L"), full_name="Hendra Pontianak",
        birth_date=date(1990, 2, 2), sex="L", village=village, regency_id="61.71", province_id="61",
    )  # fmt: skip
    far_employer = Employer.objects.create(
        npp="90000009", name="PT Kapuas Uji", kind="private", scale="small", sector="G",
        jkk_risk_group=1, regency_id="61.71", province_id="61",
    )  # fmt: skip
    far_sponsor = Sponsor.objects.create(
        code="APBD-UJI-61.71", name="APBD Pontianak (uji)", kind="apbd_regency", region_id="61.71",
        regency_id="61.71", province_id="61",
    )  # fmt: skip
    bpn_sponsor = Sponsor.objects.create(
        code="APBD-UJI-64.71", name="APBD Balikpapan (uji)", kind="apbd_regency", region_id="64.71",
        regency_id="64.71", province_id="64",
    )  # fmt: skip
    Membership.objects.create(
        kpj="90000000137", person=far, employer=far_employer, segment="PU", wage=3_000_000,
        programmes=["JKK", "JKM"], valid_from=date(2024, 1, 1), regency_id="61.71",
    )  # fmt: skip
    billing_run("2024-05")
    users = {
        **world["users"],
        "jury": user_provision(actor=system_actor(), username="t.juri", password="pw-juri-uji-1", role="award_jury"),
    }
    w = world
    inside_out = {
        "person": {
            "admin": (w["kukar_person"], None), "kaltim": (w["kukar_person"], far),
            "kukar": (w["kukar_person"], w["bpn_person"]), "branch": (w["kukar_person"], w["bpn_person"]),
            "bpn": (w["bpn_person"], w["kukar_person"]), "hr": (w["bpn_person"], w["kukar_person"]),
            "sponsor": (w["kukar_person"], w["bpn_person"]), "participant": (w["kukar_person"], w["bpn_person"]),
            "coord": (w["kukar_person"], None), "jury": (w["kukar_person"], None),
        },
        "employer": {
            "admin": (w["bpn_employer"], None), "kaltim": (w["kukar_employer"], far_employer),
            "kukar": (w["kukar_employer"], w["bpn_employer"]), "branch": (w["kukar_employer"], w["bpn_employer"]),
            "bpn": (w["bpn_employer"], w["kukar_employer"]), "hr": (w["bpn_employer"], w["kukar_employer"]),
            "sponsor": (w["bpn_employer"], None), "participant": (w["bpn_employer"], None),
            "coord": (w["bpn_employer"], None), "jury": (w["bpn_employer"], None),
        },
        "sponsor": {
            "admin": (w["kukar_sponsor"], None), "kaltim": (w["kukar_sponsor"], far_sponsor),
            "kukar": (w["kukar_sponsor"], bpn_sponsor), "branch": (w["kukar_sponsor"], bpn_sponsor),
            "bpn": (bpn_sponsor, w["kukar_sponsor"]), "hr": (w["kukar_sponsor"], None),
            "sponsor": (w["kukar_sponsor"], bpn_sponsor), "participant": (w["kukar_sponsor"], bpn_sponsor),
            "coord": (w["kukar_sponsor"], None), "jury": (w["kukar_sponsor"], None),
        },
    }  # fmt: skip
    memberships = {
        role: (
            Membership.objects.filter(person=person).order_by("pk").first(),
            Membership.objects.filter(person=other).order_by("pk").first() if other else None,
        )
        for role, (person, other) in inside_out["person"].items()
    }
    memberships["hr"] = (Membership.objects.get(employer=w["bpn_employer"]), memberships["hr"][1])
    inside_out["membership"] = memberships
    bills = {
        "bpn": Bill.objects.get(employer=w["bpn_employer"]),
        "kukar": Bill.objects.get(sponsor=w["kukar_sponsor"]),
        "far": Bill.objects.get(employer=far_employer),
    }
    for payer_kind, payer_id in (("sponsor", w["kukar_sponsor"].pk), ("employer", w["bpn_employer"].pk)):
        bill = Bill.objects.get(**{f"{payer_kind}_id": payer_id})
        payment_record(
            actor=users["admin"], payer=Payer(payer_kind, payer_id), amount=bill.amount_due,
            paid_on=date(2024, 6, 5), reference=f"M-{payer_kind}-{payer_id}",
        )  # fmt: skip
    [kukar_claim] = claim_submit(
        actor=users["admin"], person_id=w["kukar_person"].pk, benefit="JKM", event_date=date(2024, 5, 20)
    )
    [bpn_claim] = claim_submit(
        actor=users["admin"], person_id=w["bpn_person"].pk, benefit="JKM", event_date=date(2024, 5, 20)
    )
    inside_out["claim"] = {
        "admin": (kukar_claim, None), "kaltim": (kukar_claim, None),
        "kukar": (kukar_claim, bpn_claim), "branch": (kukar_claim, bpn_claim),
        "bpn": (bpn_claim, kukar_claim), "hr": (bpn_claim, kukar_claim),
        "sponsor": (kukar_claim, bpn_claim), "participant": (kukar_claim, bpn_claim),
        "coord": (kukar_claim, None), "jury": (kukar_claim, None),
    }  # fmt: skip
    geography = load_geography(["64"])
    uploads = {}
    for key, regency, sponsor, uploader in (
        ("kukar", "64.02", w["kukar_sponsor"], users["sponsor"]),
        ("bpn", "64.71", bpn_sponsor, users["bpn"]),
    ):
        listed = sponsor_list(geography, rows=6, regency=regency, seed=251, defect_share=0.0)
        made = upload_create(actor=uploader, content=listed.csv_bytes(), file_name=f"{key}.csv", sponsor_id=sponsor.pk)
        uploads[key] = upload_run(upload_id=made.pk, actor=uploader, channel="cli")
    inside_out["upload"] = {
        "admin": (uploads["kukar"], None), "kaltim": (uploads["kukar"], None),
        "kukar": (uploads["kukar"], uploads["bpn"]), "branch": (uploads["kukar"], uploads["bpn"]),
        "bpn": (uploads["bpn"], uploads["kukar"]), "hr": (None, uploads["kukar"]),
        "sponsor": (uploads["kukar"], uploads["bpn"]), "participant": (None, uploads["kukar"]),
        "coord": (uploads["kukar"], None), "jury": (uploads["kukar"], None),
    }  # fmt: skip
    # Objects whose scope is the role, not a region: the same object is inside for every role, and
    # only the roles of the row may read it.
    listed = OutsideList.objects.create(name="KUR uji", kind="kur", origin="kur.csv", sha256="0" * 64)
    run = LinkRun.objects.create(list=listed, status="done")
    first_round = Round.objects.order_by("active_on").first()
    assert first_round is not None
    round_ = SimpleNamespace(
        pk=first_round.code, nik=None,
        snapshot=lambda: (
            Round.objects.filter(pk=first_round.pk).values().first(),
            BsuDecision.objects.filter(round=first_round).count(), BsuPayment.objects.count(),
        ),
    )  # fmt: skip
    run_ref = SimpleNamespace(pk=run.pk, fmt="csv", nik=None)
    for kind, obj in (("list", listed), ("run", run_ref), ("round", round_)):
        inside_out[kind] = {role: (obj, None) for role in ROLES}
    refresh_month(date(2024, 5, 1))
    regions = {code: Region.objects.get(code=code) for code in ("64", "61", "64.02", "64.71")}
    inside_out["region"] = {
        "admin": (regions["64"], None), "coord": (regions["64"], None), "jury": (regions["64"], None),
        "kaltim": (regions["64"], regions["61"]), "kukar": (regions["64.02"], regions["64.71"]),
        "branch": (regions["64.02"], regions["64.71"]), "bpn": (regions["64.71"], regions["64.02"]),
        "hr": (regions["64.71"], None), "sponsor": (regions["64.02"], None), "participant": (regions["64.02"], None),
    }  # fmt: skip
    regent = {code: Addressee.objects.get(kind="regent", region_id=code) for code in ("64.02", "64.71", "61.71")}
    governor = {code: Addressee.objects.get(kind="governor", region_id=code) for code in ("64", "61")}
    inside_out["addressee"] = {
        "admin": (regent["64.71"], None), "coord": (regent["64.02"], None), "jury": (regent["64.02"], None),
        "kaltim": (governor["64"], governor["61"]), "kukar": (regent["64.02"], regent["64.71"]),
        "branch": (regent["64.02"], regent["64.71"]), "bpn": (regent["64.71"], regent["64.02"]),
        "hr": (regent["64.71"], None), "sponsor": (regent["64.02"], None), "participant": (regent["64.02"], None),
    }  # fmt: skip
    inside_out["province"] = {
        role: (regions["64"], regions["61"] if role in ("kaltim", "kukar", "branch", "bpn") else None) for role in ROLES
    }
    nik = {key: SimpleNamespace(pk=w[f"{key}_person"].nik, nik=w[f"{key}_person"].nik) for key in ("kukar", "bpn")}
    inside_out["nik"] = {role: (nik["kukar"], None) for role in ROLES}
    inside_out["nik"]["participant"] = (nik["kukar"], nik["bpn"])
    inside_out["bill"] = {
        "admin": (bills["bpn"], None), "kaltim": (bills["kukar"], bills["far"]),
        "kukar": (bills["kukar"], bills["bpn"]), "branch": (bills["kukar"], bills["bpn"]),
        "bpn": (bills["bpn"], bills["kukar"]), "hr": (bills["bpn"], bills["kukar"]),
        "sponsor": (bills["kukar"], bills["bpn"]), "participant": (None, bills["bpn"]),
        "coord": (bills["kukar"], None), "jury": (bills["kukar"], None),
    }  # fmt: skip
    payer = {
        key: SimpleNamespace(pk=pid, payer_kind=kind, payer_id=pid)
        for key, kind, pid in (
            ("bpn", "employer", w["bpn_employer"].pk), ("kukar", "sponsor", w["kukar_sponsor"].pk),
            ("far", "employer", far_employer.pk),
        )
    }  # fmt: skip
    inside_out["payer"] = {
        role: tuple(payer[k] if k else None for k in keys)
        for role, keys in {
            "admin": ("bpn", None), "kaltim": ("kukar", "far"), "kukar": ("kukar", "bpn"), "branch": ("kukar", "bpn"),
            "bpn": ("bpn", "kukar"), "hr": ("bpn", "kukar"), "sponsor": ("kukar", "bpn"), "participant": (None, "bpn"),
            "coord": ("kukar", None), "jury": ("kukar", None),
        }.items()
    }  # fmt: skip

    def budget(sponsor: Any) -> SimpleNamespace:
        return SimpleNamespace(
            pk=sponsor.code, code=sponsor.code, year=2024, nik=None,
            snapshot=lambda: list(SponsorBudget.objects.filter(sponsor=sponsor).values()),
        )  # fmt: skip

    inside_out["budget"] = {
        role: tuple(budget(x) if x is not None else None for x in pair) for role, pair in inside_out["sponsor"].items()
    }
    # The award: an edition drawn from the reference regions, the demo juror seated on the provincial
    # panel of the regency category in Kalimantan Timur, the stage open.
    admin = users["admin"]
    award_services.edition_create(actor=admin, year=2026, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))
    award_services.candidates_draw(actor=admin, year=2026)
    award_services.juror_assign(
        actor=admin, year=2026, user=users["jury"], stage="provincial", category="kabupaten-kota", province_code="64"
    )
    award_services.stage_advance(actor=admin, year=2026)
    seated = Candidate.objects.get(category__code="kabupaten-kota", region_id="64.02")
    elsewhere = Candidate.objects.exclude(region__code__startswith="64").filter(category__code="kabupaten-kota").first()
    edition = SimpleNamespace(pk=2026, year=2026)
    category = {code: SimpleNamespace(pk=2026, year=2026, code=code) for code in ("kabupaten-kota", "provinsi")}
    inside_out["edition"] = {role: (edition, None) for role in ROLES}
    inside_out["category"] = {role: (category["kabupaten-kota"], None) for role in ROLES}
    inside_out["category"]["jury"] = (category["kabupaten-kota"], category["provinsi"])
    inside_out["candidate"] = {role: (seated, None) for role in ROLES}
    inside_out["candidate"]["jury"] = (seated, elsewhere)
    return {"users": users, "inside_out": inside_out}


def _url(route: str, obj: Any, query: str = "") -> str:
    """The route with each path parameter taken from the object's attribute of that name, or its pk."""
    import re

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return str(getattr(obj, name.split(":")[-1], obj.pk))

    return "/" + re.sub(r"<([^>]+)>|\{([^}]+)\}", value, route) + (f"?{query}" if query else "")


def _shows(response: Any, obj: Any) -> bool:
    nik = getattr(obj, "nik", None) or getattr(getattr(obj, "person", None), "nik", None)
    return bool(nik) and nik.encode() in response.content


def _read_rows() -> list[tuple[str, str, Rule]]:
    rows = [(f"GET {route}", route, rule) for route, rule in PAGES.items() if rule.kind]
    rows += [(key, "api/v1" + key.split(" ", 1)[1], rule) for key, rule in API.items() if rule.kind]
    return [r for r in rows if r[0].startswith("GET ")]


@pytest.mark.parametrize("role", ROLES)
def test_reads_of_registry_objects_inside_and_outside_each_scope(matrix: dict[str, Any], role: str) -> None:
    client = Client()
    client.force_login(matrix["users"][role])
    failures = []
    for key, route, rule in _read_rows():
        inside, outside = matrix["inside_out"][rule.kind][role]
        query = rule.extra.get("query", "")
        if inside is not None:
            answer = client.get(_url(route, inside, query))
            expected = 200 if role in rule.allowed else REFUSED
            if answer.status_code not in ((200,) if expected == 200 else REFUSED):
                failures.append(f"{key} inside as {role}: {answer.status_code}, expected {expected}")
        if outside is not None:
            answer = client.get(_url(route, outside, query))
            if answer.status_code not in REFUSED or _shows(answer, outside):
                failures.append(f"{key} outside as {role}: {answer.status_code}, expected 403/404")
    assert not failures, "\n".join(failures)


def _state(target: Any) -> Any:
    if isinstance(target, SimpleNamespace):
        return target.snapshot()
    return type(target).objects.filter(pk=target.pk).values().first()


@pytest.mark.parametrize("role", ROLES)
def test_writes_to_registry_objects_outside_each_scope_are_refused(matrix: dict[str, Any], role: str) -> None:
    """A write naming an object outside the scope is refused as if the object did not exist, and the
    object is unchanged."""
    client = Client()
    client.force_login(matrix["users"][role])
    failures = []
    writes = [(k, r) for k, r in API.items() if r.kind and not k.startswith("GET ")]
    for key, rule in writes:
        method, route = key.split(" ", 1)
        inside, outside = matrix["inside_out"][rule.kind][role]
        targets = [outside] + ([inside] if role not in rule.allowed else [])
        for target in (t for t in targets if t is not None):
            before = _state(target)
            # A row with a body of its own sends one the schema accepts: only scope may refuse it.
            body = rule.extra.get("body") or json.dumps(
                {"valid_until": "2024-12-31"} if "end" in route else {"full_name": "Diubah", "name": "Diubah"}
            )
            answer = client.generic(method, _url("api/v1" + route, target), data=body, content_type="application/json")
            accepted = REFUSED if "body" in rule.extra else (*REFUSED, 400, 422)
            if answer.status_code not in accepted or before != _state(target):
                failures.append(f"{key} on {type(target).__name__} {target.pk} as {role}: {answer.status_code}")
    assert not failures, "\n".join(failures)


def test_nobody_logged_in_reaches_nothing_but_public_endpoints(matrix: dict[str, Any]) -> None:
    client = Client()
    failures = []
    for route, rule in PAGES.items():
        if rule.public or "<" in route or route == "keluar/":
            continue
        answer = client.get("/" + route)
        if answer.status_code != 302 or "/masuk/" not in answer["Location"]:
            failures.append(f"page {route}: {answer.status_code}")
    for key, rule in API.items():
        method, route = key.split(" ", 1)
        if rule.public:
            continue
        url = "/api/v1" + route.replace("{", "").replace("}", "")
        for name in ("person_id", "employer_id", "sponsor_id", "membership_id", "bill_id", "claim_id",
                     "upload_id", "run_id", "match_id", "candidate_id", "addressee_id", "scholarship_id"):  # fmt: skip
            url = url.replace(name, "1")
        url = url.replace("code", "64").replace("year", "2025").replace("nik", "6402014403850001")
        url = url.replace("token", "x")
        answer = client.generic(method, url, data="{}", content_type="application/json")
        if answer.status_code not in (401, 403):
            failures.append(f"{key}: {answer.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_every_plain_page_and_list_answers_each_role_without_a_server_error(matrix: dict[str, Any], role: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(matrix["users"][role])
    failures = []
    for route, rule in PAGES.items():
        if "<" in route or route == "keluar/":
            continue
        answer = client.get("/" + route + ("?" + rule.extra["query"] if "query" in rule.extra else ""))
        if answer.status_code >= 500:
            failures.append(f"page {route}: {answer.status_code}")
        elif role in rule.allowed and answer.status_code in REFUSED and not rule.public:
            failures.append(f"page {route}: {answer.status_code} for an allowed role")
    for key, _rule in API.items():
        method, route = key.split(" ", 1)
        if method != "GET" or "{" in route:
            continue
        answer = client.get("/api/v1" + route)
        if answer.status_code >= 500:
            failures.append(f"{key}: {answer.status_code}")
    assert not failures, "\n".join(failures)
