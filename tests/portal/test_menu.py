"""Each role's menu (issue 27 §1): only the pages the role may open, each opened from the menu by
that role without a 4xx or 5xx, and the menus' contents as each role's daily work asks for them."""

from typing import Any

import pytest
from django.test import Client

from paritrana.accounts.services import user_provision
from paritrana.core.actors import system_actor
from paritrana.portal.menu import menu_for

pytestmark = pytest.mark.django_db

# What each role's menu holds, by the jobs named in issue 27 (Indonesian labels, the default).
EXPECTED = {
    "admin": {"Beranda", "Cari", "Klaim", "Beasiswa", "Payroll pensiun", "Tunggakan", "Rekening koran",
              "Pendaftaran massal", "Anggaran", "Cakupan", "Inpres", "Daftar luar", "BSU", "Paritrana Award",
              "Simulasi iuran"},
    "branch": {"Beranda", "Cari", "Klaim", "Beasiswa", "Tunggakan", "Rekening koran", "Pendaftaran massal",
               "Anggaran", "Cakupan", "Inpres", "Daftar luar", "Simulasi iuran"},
    "kaltim": {"Beranda", "Cari", "Tunggakan", "Pendaftaran massal", "Anggaran", "Cakupan", "Inpres",
               "Daftar luar", "Simulasi iuran"},
    "kukar": {"Beranda", "Cari", "Tunggakan", "Pendaftaran massal", "Anggaran", "Cakupan", "Inpres",
              "Daftar luar", "Simulasi iuran"},
    "coord": {"Beranda", "Cakupan", "Inpres", "Daftar luar", "BSU", "Paritrana Award", "Simulasi iuran"},
    "hr": {"Beranda", "Pekerja", "Tagihan", "Pendaftaran massal", "Simulasi iuran"},
    "sponsor": {"Beranda", "Pekerja", "Tagihan", "Pendaftaran massal", "Anggaran", "Simulasi iuran"},
    "participant": {
        "Beranda", "Kartu saya", "Klaim saya", "Iuran", "Saldo JHT", "Subsidi upah", "Data saya", "Simulasi iuran",
    },
    "jury": {"Beranda", "Paritrana Award", "Simulasi iuran"},
}  # fmt: skip


@pytest.fixture
def users(world: dict[str, Any]) -> dict[str, Any]:
    jury = user_provision(actor=system_actor(), username="t.juri", password="pw-juri-12345", role="award_jury")
    return {**world["users"], "jury": jury}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_menu_entry_opens_for_its_role(users: dict[str, Any], role: str) -> None:
    client = Client()
    client.force_login(users[role])
    home = client.get("/")
    assert home.status_code == 200
    page = home.content.decode()
    menu = menu_for(users[role])
    assert {label for label, _ in menu} == EXPECTED[role]
    for label, url in menu:
        # The menu is on the page the role starts from, and each entry opens without an error.
        assert f'href="{url}"' in page, (role, label)
        response = client.get(url)
        assert response.status_code < 400, (role, label, url, response.status_code)


def test_an_employer_and_a_sponsor_see_only_their_own_workers_and_bills(users: dict[str, Any]) -> None:
    hr = dict(menu_for(users["hr"]))
    employer = users["hr"].profile.employer_id
    assert hr["Pekerja"] == f"/pemberi-kerja/{employer}/" and hr["Tagihan"] == f"/iuran/pembayar/employer/{employer}/"
    sponsor = dict(menu_for(users["sponsor"]))
    sponsor_id = users["sponsor"].profile.sponsor_id
    assert sponsor["Pekerja"] == f"/penanggung/{sponsor_id}/"
    assert sponsor["Tagihan"] == f"/iuran/pembayar/sponsor/{sponsor_id}/"
    person = users["participant"].profile.person_id
    assert dict(menu_for(users["participant"]))["Saldo JHT"] == f"/jht/{person}/"


def test_nobody_signed_in_has_no_menu() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert menu_for(AnonymousUser()) == []
    assert 'id="menu"' not in Client().get("/masuk/").content.decode()
