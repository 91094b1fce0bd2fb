"""Scenario S4 end to end: two village heads, a Tagana volunteer and an RT head, all covered through
the Kutai Kartanegara regency's APBD, die; their heirs each receive Rp42,000,000 and their children's
scholarships are scheduled. Three claims go through the API, the fourth through the pages in a real
browser, by the branch officer of the regency (issue 4, "what it must show")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from paritrana.accounts.services import api_token_create
from tests.benefits.conftest import bill_and_pay
from tests.conftest import FLUSHABLE_APPS, make_nik
from tests.e2e.conftest import CHROMIUM

# regulation.md §2.1, PP 44/2015 Pasal 53 jo. PP 82/2019: Rp20,000,000 + Rp12,000,000 + Rp10,000,000.
JKM = "42000000"
# regulation.md §2.2, Permenaker 5/2021: a year of SD Rp1,500,000, SMP Rp2,000,000, SMA Rp3,000,000.
SCHOLARSHIP = {"SD": "1500000", "SMP": "2000000", "SMA": "3000000"}

WORKERS = [
    # name, sex, born, tags, spouse, child (name, born, level)
    (
        "Abdul Rahman",
        "L",
        date(1970, 2, 3),
        ["village_apparatus"],
        "Siti Aminah",
        ("Nur Aisyah", date(2012, 5, 1), "SMP"),
    ),
    (
        "Hendrik Palinggi",
        "L",
        date(1968, 9, 12),
        ["village_apparatus"],
        "Maria Tandi",
        ("Yosua", date(2009, 3, 4), "SMA"),
    ),
    (
        "Rahmat Hidayat",
        "L",
        date(1985, 7, 7),
        ["non_asn", "vulnerable"],
        "Dewi Lestari",
        ("Putri", date(2016, 1, 20), "SD"),
    ),
    ("Suparno", "L", date(1962, 11, 30), ["rt_rw"], "Sri Wahyuni", ("Joko", date(2010, 8, 8), "SMA")),
]


def _register(world: dict[str, Any]) -> list[Any]:
    from paritrana.registry.models import Membership, Person
    from paritrana.registry.rules.kpj import kpj_from_serial

    village = world["kukar_village"]
    people = []
    for i, (name, sex, born, tags, *_rest) in enumerate(WORKERS):
        person = Person.objects.create(
            nik=make_nik(village.code[:8], born, sex, serial=40 + i),
            full_name=name,
            birth_date=born,
            sex=sex,
            village=village,
            regency_id="64.02",
            province_id="64",
        )
        Membership.objects.create(
            kpj=kpj_from_serial(9_400_000_001 + i),
            person=person,
            sponsor=world["kukar_sponsor"],
            segment="BPU",
            tags=tags,
            programmes=["JKK", "JKM"],
            declared_income=2_000_000,
            valid_from=date(2022, 1, 1),
            regency_id="64.02",
        )
        people.append(person)
    # The regency pays October 2026 for all of them (and the world fixture's own BPU worker).
    bill_and_pay(world["users"]["admin"], "sponsor", world["kukar_sponsor"].pk, ["2026-10"], [date(2026, 11, 4)])
    return people


@pytest.mark.django_db
def test_s4_three_deaths_through_the_api(world: dict[str, Any]) -> None:
    people = _register(world)
    officer = world["users"]["branch"]
    _, secret = api_token_create(actor=officer, user=officer, name="uji-s4")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for n, (person, (_, _, _, _, spouse, child)) in enumerate(zip(people[:3], WORKERS[:3], strict=True)):
        r = api.post(
            f"/api/v1/persons/{person.pk}/heirs",
            {
                "name": spouse,
                "relationship": "spouse",
                "bank_name": "BPD Kaltimtara",
                "account_number": f"00710{n:05d}",
            },
            content_type="application/json",
        )
        assert r.status_code == 201, r.json()
        r = api.post(
            f"/api/v1/persons/{person.pk}/heirs",
            {
                "name": child[0],
                "relationship": "child",
                "birth_date": child[1].isoformat(),
                "education_level": child[2],
            },
            content_type="application/json",
        )
        assert r.status_code == 201, r.json()
        r = api.post(
            "/api/v1/claims",
            {"person_id": person.pk, "benefit": "JKM", "event_date": "2026-11-12"},
            content_type="application/json",
        )
        assert r.status_code == 201, r.json()
        [claim] = r.json()
        assert (claim["state"], claim["amount"]) == ("submitted", JKM)
        codes = [d["code"] for d in claim["documents"]]
        base = f"/api/v1/claims/{claim['id']}"
        assert api.post(f"{base}/documents", {"codes": codes}, content_type="application/json").status_code == 200
        assert api.post(f"{base}/verify").json()["state"] == "verified"
        approved = api.post(f"{base}/approve").json()
        assert approved["payouts"] == [
            {
                "name": spouse,
                "amount": JKM,
                "components": [
                    "Santunan kematian sekaligus",
                    "Santunan berkala (24 bulan, dibayar sekaligus)",
                    "Biaya pemakaman",
                ],
            }
        ]
        paid = api.post(
            f"{base}/pay", {"paid_on": "2026-11-19", "reference": f"S4-API-{n}"}, content_type="application/json"
        ).json()
        assert paid["state"] == "paid"
        letter = api.get(f"{base}/letter.pdf")
        assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
        # The child's first scholarship year is scheduled as a claim of its own.
        r = api.get("/api/v1/claims", {"person_id": person.pk, "benefit": "SCHOLARSHIP"})
        [scholarship] = r.json()["items"]
        assert (scholarship["education_level"], scholarship["amount"]) == (child[2], SCHOLARSHIP[child[2]])
    # Paying the same claim again is refused and nothing more is paid.
    from paritrana.benefits.models import BenefitPayment

    again = api.post(f"{base}/pay", {"paid_on": "2026-11-20", "reference": "S4-API-X"}, content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "claim_state_invalid"
    assert sum(p.amount for p in BenefitPayment.objects.all()) == 3 * Decimal(JKM)
    # The Balikpapan regency officer sees none of it.
    bpn = world["users"]["bpn"]
    _, other = api_token_create(actor=bpn, user=bpn, name="uji-bpn")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {other}").get("/api/v1/claims").json()["count"] == 0


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM, reason="no Chromium")
@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_s4_the_rt_head_through_the_pages(live_server: Any, world: dict[str, Any], browser_page: Any) -> None:
    from paritrana.benefits.models import BenefitPayment, Claim

    people = _register(world)
    suparno = people[3]
    page = browser_page
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "t.branch")
    page.fill("#id_password", "pw-branch-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/klaim/baru/")
    page.fill("input[name=q]", suparno.nik)
    page.click("#find button[type=submit]")
    page.click(f"[data-person='{suparno.pk}']")
    page.click("#heirs-link")
    for name, relationship, born, level, bank, account in [
        ("Sri Wahyuni", "spouse", "", "", "BRI", "0123456789012"),
        ("Joko", "child", "2010-08-08", "SMA", "", ""),
    ]:
        page.fill("#heir-form input[name=name]", name)
        page.select_option("#heir-form select[name=relationship]", relationship)
        if born:
            page.fill("#heir-form input[name=birth_date]", born)
        if level:
            page.select_option("#heir-form select[name=education_level]", level)
        page.fill("#heir-form input[name=bank_name]", bank)
        page.fill("#heir-form input[name=account_number]", account)
        page.click("#heir-form button[type=submit]")
    assert page.locator("#heirs tbody tr").count() == 2
    page.click("#back")
    page.select_option("#claim-form select[name=benefit]", "JKM")
    page.fill("#claim-form input[name=event_date]", "2026-11-12")
    page.click("#claim-form button[type=submit]")
    assert page.locator("#claim-state").get_attribute("data-state") == "submitted"
    assert page.locator("#claim-amount").inner_text() == "Rp42.000.000"
    for box in page.locator("#documents input[type=checkbox]").all():
        box.check()
    page.click("#documents button[type=submit]")
    page.click("#verify")
    page.click("#approve")
    page.fill("#pay input[name=reference]", "S4-PAGE-1")
    page.click("#pay button[type=submit]")
    assert page.locator("#claim-state").get_attribute("data-state") == "paid"
    assert "Sri Wahyuni" in page.locator("#payments").inner_text()
    with page.expect_download() as download:
        page.click("#letter")
    assert download.value.suggested_filename.endswith(".pdf")
    # Joko's first year of SMA is scheduled; the queue lists it waiting for its documents.
    assert "SMA" in page.locator("#scholarships").inner_text()
    page.goto(f"{live_server.url}/klaim/?state=submitted")
    assert "Suparno" in page.locator("#claims").inner_text()

    claim = Claim.objects.get(person=suparno, benefit="JKM")
    assert claim.state == "paid"
    assert BenefitPayment.objects.get(claim=claim).amount == Decimal(JKM)
    assert Claim.objects.get(person=suparno, benefit="SCHOLARSHIP").amount == Decimal(SCHOLARSHIP["SMA"])
