"""Each role's home page starts from its work (issue 27 §1). The world: Balikpapan's employer owes
March 2025 for one worker on Rp5,000,000 (JKK 1.27 % + JKM 0.30 % + JHT 5.7 % + JP 3 % = Rp513,500,
PP 44/2015 Pasal 16 and 18, PP 46/2015 Pasal 16, PP 45/2015 Pasal 28); Kukar's APBD sponsor owes it
for one non-wage earner declaring Rp1,000,000 (JKK 1 % Rp10,000 + JKM Rp6,800 = Rp16,800, PP 44/2015
Pasal 19 and 20). Neither has paid; both bills are long overdue."""

from typing import Any

import pytest
from django.test import Client

from paritrana.accounts.services import user_provision
from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.models import Bill
from paritrana.contributions.rules.payment_code import payment_code
from paritrana.core.actors import system_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def billed(world: dict[str, Any]) -> dict[str, Any]:
    billing_run("2025-03")
    return world


def home(user: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_employers_home_shows_its_workers_and_the_bill_to_pay_with_its_code(billed: dict[str, Any]) -> None:
    page = home(billed["users"]["hr"])
    bill = Bill.objects.get(employer=billed["bpn_employer"])
    assert "PT Teluk Uji" in page and 'id="workers-active">1<' in page
    assert 'data-period="2025-03"' in page and "Rp513.500" in page and payment_code(bill.pk) in page
    assert 'id="q"' not in page  # no search of the registry for an employer


def test_a_sponsors_home_shows_its_budget_and_bill(billed: dict[str, Any]) -> None:
    page = home(billed["users"]["sponsor"])
    assert "APBD Kukar (uji)" in page and 'id="budget"' in page and "Rp16.800" in page


def test_a_participants_home_shows_their_membership_and_standing(billed: dict[str, Any]) -> None:
    page = home(billed["users"]["participant"])
    membership = billed["kukar_person"].memberships.get()
    assert f'data-kpj="{membership.kpj}"' in page and "Sumarni Lestari" in page
    # March 2025 unpaid and overdue: one month in arrears (PP 6/2025 Pasal 39: inactive after three).
    assert 'data-status="in_arrears"' in page and "Menunggak 1 bulan" in page
    assert 'id="q"' not in page and "Orang" not in page.split('id="my-memberships"')[0].split("</h1>")[1]


def test_a_branchs_home_shows_claims_to_handle_and_arrears_in_its_area(billed: dict[str, Any]) -> None:
    page = home(billed["users"]["branch"])  # Samarinda's branch: Kukar only
    assert 'id="work-claims"' in page and 'data-state="submitted"' in page
    arrears = page.split('id="work-arrears"')[1].split("</div>")[0]
    assert "<strong>1</strong>" in arrears and "Rp16.800" in arrears
    national = home(billed["users"]["admin"]).split('id="work-arrears"')[1].split("</div>")[0]
    assert "<strong>2</strong>" in national and "Rp530.300" in national
    # A regency officer does not decide claims: no claims queue on its home.
    assert 'id="work-claims"' not in home(billed["users"]["kukar"])


def test_a_juror_without_a_seat_is_told_so(world: dict[str, Any]) -> None:
    juror = user_provision(actor=system_actor(), username="t.juri", password="pw-juri-12345", role="award_jury")
    page = home(juror)
    assert 'id="my-editions"' in page and "kursi" in page
    coord = home(world["users"]["coord"])
    assert "agregat" in coord and 'id="q"' not in coord
