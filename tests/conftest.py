"""Tests run against real PostgreSQL: the embedded server unless DATABASE_URL is set."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from paritrana.core.actors import system_actor

# Hypothesis's per-example deadline measures the machine, not the code: on a shared 2-core VM a first
# example that imports a module can take 270 ms. Speed is measured in bench/, never in tests.
hypothesis_settings.register_profile("paritrana", deadline=None)
hypothesis_settings.load_profile("paritrana")


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("DATABASE_URL"):
        from paritrana.core import embedded_db

        embedded_db.start()


@pytest.fixture(autouse=True)
def _fresh_region_cache() -> Any:
    from paritrana.regions.selectors import region_lookup

    region_lookup.cache_clear()
    yield
    region_lookup.cache_clear()


# Apps a transactional (live-server) test may flush. The regions app is left out: its 91,599 rows
# come from a data migration, and flushing them would leave later tests without regions.
FLUSHABLE_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "paritrana.core",
    "paritrana.accounts",
    "paritrana.law",
    "paritrana.registry",
    "paritrana.contributions",
    "paritrana.notifications",
    "paritrana.benefits",
    "paritrana.enrolment",
    "paritrana.coverage",
    "paritrana.subsidies",
    "paritrana.linkage",
    "paritrana.award",
    "paritrana.demo",
]


def ensure_contribution_law() -> None:
    """A transactional test flushes the law's table with its app; put its rows back."""
    from paritrana.law.loading import load_holidays, load_law
    from paritrana.law.models import Holiday, Parameter

    if not Parameter.objects.exists():
        load_law(Parameter)
    if not Holiday.objects.exists():
        load_holidays(Holiday)


def ensure_coverage_reference() -> None:
    """A transactional test flushes the coverage app too: put back the denominators, targets and
    Inpres addressees its migrations load, with the migrations' own loaders."""
    from importlib import import_module
    from types import SimpleNamespace

    from paritrana.coverage import models
    from paritrana.coverage.models import Addressee, Denominator
    from paritrana.regions.models import Region

    # The migrations ask for their models by name; a browser test's app registry hides the regions
    # app (it is kept, not flushed), so they are handed over directly.
    known = {"Region": Region, **{m: getattr(models, m) for m in ("Addressee", "Instruction", "Denominator", "Target")}}
    apps = SimpleNamespace(get_model=lambda _app, name: known[name])
    if not Denominator.objects.exists():
        import_module("paritrana.coverage.migrations.0002_reference_figures").load(apps, None)
    if not Addressee.objects.exists():
        import_module("paritrana.coverage.migrations.0004_inpres_addressees").load(apps, None)


def ensure_subsidy_rounds() -> None:
    """A transactional test flushes the subsidies app: put back the BSU rounds its migration defines."""
    from importlib import import_module
    from types import SimpleNamespace

    from paritrana.subsidies.models import Round

    if not Round.objects.exists():
        apps = SimpleNamespace(get_model=lambda _app, _name: Round)
        import_module("paritrana.subsidies.migrations.0002_rounds").forwards(apps, None)


def make_nik(district: str, born: date, sex: str, serial: int = 1) -> str:
    """A NIK built by the rule in data-sources.md § NIK, independently of the code under test."""
    day = born.day + (40 if sex == "P" else 0)
    return f"{district.replace('.', '')}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """Two regencies of Kalimantan Timur with a person, an employer and a sponsor each, and users."""
    ensure_contribution_law()
    ensure_coverage_reference()
    ensure_subsidy_rounds()
    from paritrana.accounts.services import user_provision
    from paritrana.regions.models import Branch, BranchArea, Region
    from paritrana.registry.models import Employer, Membership, Person, Sponsor
    from paritrana.registry.rules.kpj import kpj_from_serial

    def village(regency: str) -> Region:
        return Region.objects.filter(level=4, code__startswith=regency + ".").order_by("code").first()  # type: ignore[return-value]

    kukar_v, bpn_v = village("64.02"), village("64.71")
    # get_or_create: browser tests flush only the apps they use, and regions are kept between tests.
    samarinda, _ = Branch.objects.get_or_create(code="KC-T1", name="Kantor Cabang Uji Samarinda", region_id="64.72")
    BranchArea.objects.get_or_create(branch=samarinda, regency_id="64.02")
    kukar_person = Person.objects.create(
        nik=make_nik(kukar_v.code[:8], date(1985, 3, 4), "P"),
        full_name="Sumarni Lestari",
        birth_date=date(1985, 3, 4),
        sex="P",
        village=kukar_v,
        regency_id="64.02",
        province_id="64",
    )
    bpn_person = Person.objects.create(
        nik=make_nik(bpn_v.code[:8], date(1979, 7, 1), "L"),
        full_name="Yohanes Balikpapan",
        birth_date=date(1979, 7, 1),
        sex="L",
        village=bpn_v,
        regency_id="64.71",
        province_id="64",
    )
    kukar_employer = Employer.objects.create(
        npp="90000001",
        name="PT Mahakam Uji",
        kind="private",
        scale="medium",
        sector="C",
        jkk_risk_group=3,
        regency_id="64.02",
        province_id="64",
    )
    bpn_employer = Employer.objects.create(
        npp="90000002",
        name="PT Teluk Uji",
        kind="private",
        scale="large",
        sector="H",
        jkk_risk_group=4,
        regency_id="64.71",
        province_id="64",
    )
    kukar_sponsor = Sponsor.objects.create(
        code="APBD-UJI-64.02",
        name="APBD Kukar (uji)",
        kind="apbd_regency",
        region_id="64.02",
        regency_id="64.02",
        province_id="64",
    )
    Membership.objects.create(
        kpj=kpj_from_serial(9_000_000_001),
        person=kukar_person,
        sponsor=kukar_sponsor,
        segment="BPU",
        tags=["vulnerable", "farmer"],
        programmes=["JKK", "JKM"],
        declared_income=1_000_000,
        valid_from=date(2024, 1, 1),
        regency_id="64.02",
    )
    Membership.objects.create(
        kpj=kpj_from_serial(9_000_000_002),
        person=bpn_person,
        employer=bpn_employer,
        segment="PU",
        programmes=["JKK", "JKM", "JHT", "JP", "JKP"],
        wage=5_000_000,
        valid_from=date(2023, 1, 1),
        regency_id="64.71",
    )
    users = {
        "admin": user_provision(
            actor=system_actor(), username="t.admin", password="pw-admin-123", role="national_admin"
        ),
        "kukar": user_provision(
            actor=system_actor(), username="t.kukar", password="pw-kukar-123", role="regency_officer", region_id="64.02"
        ),
        "bpn": user_provision(
            actor=system_actor(), username="t.bpn", password="pw-bpn-123", role="regency_officer", region_id="64.71"
        ),
        "kaltim": user_provision(
            actor=system_actor(), username="t.kaltim", password="pw-kaltim-123", role="province_officer", region_id="64"
        ),
        "branch": user_provision(
            actor=system_actor(), username="t.branch", password="pw-branch-123", role="branch_officer", branch=samarinda
        ),
        "coord": user_provision(
            actor=system_actor(), username="t.coord", password="pw-coord-123", role="coordination_viewer"
        ),
        "hr": user_provision(
            actor=system_actor(), username="t.hr", password="pw-hr-1234", role="employer_hr", employer=bpn_employer
        ),
        "sponsor": user_provision(
            actor=system_actor(),
            username="t.sponsor",
            password="pw-sponsor-123",
            role="sponsor_operator",
            sponsor=kukar_sponsor,
        ),
        "participant": user_provision(
            actor=system_actor(),
            username="t.peserta",
            password="pw-peserta-123",
            role="participant",
            person=kukar_person,
        ),
    }
    return {
        "kukar_person": kukar_person,
        "bpn_person": bpn_person,
        "kukar_employer": kukar_employer,
        "bpn_employer": bpn_employer,
        "kukar_sponsor": kukar_sponsor,
        "kukar_village": kukar_v,
        "bpn_village": bpn_v,
        "users": users,
    }
