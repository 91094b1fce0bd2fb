"""A Paritrana Award edition with a field the size of 2020's, taken through every stage to winners
through the pages only (issue 8): the secretariat creates the edition and draws the candidates,
small enterprises nominate themselves, jurors are seated, each juror marks what their page shows
them, the stages are closed one by one, and the public reads the results and prints a certificate.

The population is the demo's (its provinces and seed, 4,000 employers); the jurors' marks are
synthetic (``award.demo.synthetic_mark``)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from paritrana.accounts.services import user_provision
from paritrana.award.models import Candidate, Edition
from paritrana.award.rules.award import RUBRIC
from paritrana.core.actors import system_actor
from paritrana.demo.award import synthetic_mark
from paritrana.demo.synth.load import synth_run
from paritrana.regions.models import Region
from paritrana.registry.models import Employer

pytestmark = pytest.mark.slow

DEMO_PROVINCES = ["12", "31", "32", "33", "35", "51", "64", "65"]
YEAR = 2026


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, data: dict[str, Any]) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def _board(client: Client, code: str) -> list[int]:
    page = client.get(f"/penghargaan/{YEAR}/{code}/")
    assert page.status_code == 200
    return [int(x) for x in re.findall(r'data-candidate="(\d+)"', page.content.decode())]


@pytest.mark.django_db
def test_an_edition_from_the_demo_population_through_every_stage_to_winners(world: dict[str, Any]) -> None:
    synth_run(persons=20_000, seed=2021, provinces=DEMO_PROVINCES, employers=4_000)
    admin = _client(world["users"]["admin"])

    _post(admin, "/penghargaan/", {"year": YEAR})
    edition = Edition.objects.get(year=YEAR)
    assert edition.stage == "setup" and edition.categories.count() == 5

    # Small enterprises nominate themselves: one through its own HR account, the rest by the
    # secretariat on their behalf (34, as in 2020).
    small = list(
        Employer.objects.filter(scale="small", kind="private", memberships__segment="PU").distinct().order_by("id")[:40]
    )
    hr = user_provision(actor=system_actor(), username="hr.kecil", password="pw-hr-kecil-1", role="employer_hr",
                        employer=small[0])  # fmt: skip
    page = _client(hr).post(f"/penghargaan/{YEAR}/daftar/", {"category": "usaha-kecil"})
    assert page.status_code == 200 and 'id="nominated"' in page.content.decode()
    for employer in small[1:]:
        if Candidate.objects.filter(category__code="usaha-kecil").count() >= 34:
            break
        admin.post(f"/penghargaan/{YEAR}/daftar/", {"category": "usaha-kecil", "employer": employer.pk})

    _post(admin, f"/penghargaan/{YEAR}/", {"action": "draw"})
    field = {c.code: c.candidates.filter(eligible=True).count() for c in edition.categories.all()}
    assert field["provinsi"] == 38
    assert field["kabupaten-kota"] == 514
    assert field["usaha-besar"] >= 150 and field["usaha-menengah"] >= 150
    assert field["usaha-kecil"] == 34

    # Seats: one provincial panel member per province (a user each for two provinces, one user for
    # the rest), a central verifier and three interview jurors for every category.
    names = ("panel.kaltim", "panel.lain", "pusat", "wawancara1", "wawancara2", "wawancara3")
    jurors = {name: user_provision(actor=system_actor(), username=name, password=f"pw-{name}-1", role="award_jury")
              for name in names}  # fmt: skip
    provinces = list(Region.objects.filter(kind="provinsi").values_list("code", flat=True))
    for category in edition.categories.all():
        if category.provincial_stage:
            for province in provinces:
                who = "panel.kaltim" if province == "64" else "panel.lain"
                _post(admin, f"/penghargaan/{YEAR}/", {"action": "juror", "username": who, "stage": "provincial",
                                                        "category": category.code, "province": province})  # fmt: skip
        for who, stage in (("pusat", "central"), ("wawancara1", "interview"), ("wawancara2", "interview"),
                           ("wawancara3", "interview")):  # fmt: skip
            _post(admin, f"/penghargaan/{YEAR}/", {"action": "juror", "username": who, "stage": stage,
                                                    "category": category.code})  # fmt: skip
    clients = {name: _client(user) for name, user in jurors.items()}

    # Provincial selection: each panel member marks what their page lists.
    _post(admin, f"/penghargaan/{YEAR}/", {"action": "advance"})
    kaltim_board = _board(clients["panel.kaltim"], "kabupaten-kota")
    assert set(Candidate.objects.filter(pk__in=kaltim_board).values_list("province_code", flat=True)) == {"64"}
    for name in ("panel.kaltim", "panel.lain"):
        for category in edition.categories.filter(provincial_stage=True):
            for pk in _board(clients[name], category.code):
                c = Candidate.objects.get(pk=pk)
                _post(clients[name], f"/penghargaan/{YEAR}/{category.code}/",
                      {"action": "score", "candidate": pk, "mark_panel": synthetic_mark(c, name, "panel")})  # fmt: skip
    # The provinces have no provincial panel: the page refuses the panel member there.
    assert clients["panel.lain"].get(f"/penghargaan/{YEAR}/provinsi/").status_code == 404

    # Central verification: every shortlisted candidate checked; one fails with a note.
    _post(admin, f"/penghargaan/{YEAR}/", {"action": "advance"})
    shortlisted = {c.code: c.candidates.filter(shortlisted=True).count() for c in edition.categories.all()}
    assert shortlisted["provinsi"] == 38
    assert 100 <= shortlisted["kabupaten-kota"] <= 38 * 4
    # About 150 large and 150 medium enterprises after the provincial panels (2020: 143 and 157).
    assert 140 <= shortlisted["usaha-besar"] <= 160 and 140 <= shortlisted["usaha-menengah"] <= 160
    for category in edition.categories.all():
        for i, pk in enumerate(_board(clients["pusat"], category.code)):
            ok = "0" if i == 0 else "1"
            _post(clients["pusat"], f"/penghargaan/{YEAR}/{category.code}/",
                  {"action": "verify", "candidate": pk, "ok": ok,
                   "note": "Bukti regulasi tidak cocok" if i == 0 else ""})  # fmt: skip

    # Interview: three jurors mark the rubric for those invited.
    _post(admin, f"/penghargaan/{YEAR}/", {"action": "advance"})
    for category in edition.categories.all():
        invited = Candidate.objects.filter(category=category, invited=True)
        assert invited.count() == min(category.interview_slots, category.candidates.filter(verified=True).count())
        assert not invited.filter(verified=False).exists()
        for name in ("wawancara1", "wawancara2", "wawancara3"):
            board = _board(clients[name], category.code)
            assert sorted(board) == sorted(invited.values_list("pk", flat=True))
            for pk in board:
                c = Candidate.objects.get(pk=pk)
                marks = {f"mark_{k}": synthetic_mark(c, name, k) for k in RUBRIC}
                _post(clients[name], f"/penghargaan/{YEAR}/{category.code}/",
                      {"action": "score", "candidate": pk, **marks})  # fmt: skip
    # A juror's page shows no other stage: the verifier has nothing open now.
    assert clients["pusat"].get(f"/penghargaan/{YEAR}/usaha-besar/").status_code == 404

    _post(admin, f"/penghargaan/{YEAR}/", {"action": "advance"})  # → final ranking and winners
    # Results are not public before the announcement.
    assert Client().get(f"/penghargaan/{YEAR}/hasil/").status_code == 404
    _post(admin, f"/penghargaan/{YEAR}/", {"action": "advance"})  # → published
    edition.refresh_from_db()
    assert edition.stage == "published"

    winners = {c.code: list(c.candidates.filter(winner=True).order_by("rank")) for c in edition.categories.all()}
    # 2020's winners: 7 provinces, 8 regencies/cities, 9 large and 9 medium enterprises.
    assert [len(winners[k]) for k in ("provinsi", "kabupaten-kota", "usaha-besar", "usaha-menengah")] == [7, 8, 9, 9]
    for code, ranked in winners.items():
        category = edition.categories.get(code=code)
        others = category.candidates.filter(invited=True, winner=False)
        for c in ranked:
            # The final score is the stages' weighted sum, recomputed here from the stored parts.
            w = category.stage_weights
            parts = [(c.indicator_score, w["indicators"]), (c.provincial_score, w["provincial"]),
                     (c.interview_score, w["interview"])]  # fmt: skip
            held = [(v, Decimal(wt)) for v, wt in parts if v is not None]
            expected = sum(v * wt for v, wt in held) / sum(wt for _, wt in held)
            assert abs(c.final_score - expected) < Decimal("0.01")
            assert all(c.final_score >= o.final_score for o in others)

    public = Client().get(f"/penghargaan/{YEAR}/hasil/")
    text = public.content.decode()
    assert public.status_code == 200
    for ranked in winners.values():
        assert ranked[0].name in text
    pdf = Client().get(f"/penghargaan/sertifikat/{winners['provinsi'][0].pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    loser = Candidate.objects.filter(category__edition=edition, winner=False).first()
    assert loser is not None
    assert Client().get(f"/penghargaan/sertifikat/{loser.pk}.pdf").status_code == 404
    # The calculation page shows each indicator's part of the score.
    detail = admin.get(f"/penghargaan/kandidat/{winners['kabupaten-kota'][0].pk}/").content.decode()
    assert 'id="calculation"' in detail and "Cakupan peserta aktif" in detail
