"""Who reads the award's editions: the committee (national administrator, coordination team) all of
them; a juror only the editions they sit on; any other role none."""

from typing import Any

import pytest

from paritrana.accounts.services import user_provision
from paritrana.award import selectors, services
from paritrana.core.actors import system_actor
from paritrana.core.errors import NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


def test_editions_are_read_by_the_committee_and_by_a_juror_only_where_seated(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    seated = services.edition_create(actor=admin, year=2031)
    services.edition_create(actor=admin, year=2032)
    juror = user_provision(actor=system_actor(), username="t.juri", password="pw-juri-12345", role="award_jury")
    category = seated.categories.first()
    assert category is not None
    services.juror_assign(actor=admin, year=2031, user=juror, stage="central", category=category.code)
    for staff in (admin, world["users"]["coord"]):
        assert {2031, 2032} <= {e.year for e in selectors.edition_list(actor=staff)}
    assert [e.year for e in selectors.edition_list(actor=juror)] == [2031]
    assert selectors.edition_get(actor=juror, year=2031).pk == seated.pk
    with pytest.raises(NotFound):
        selectors.edition_get(actor=juror, year=2032)
    for outsider in ("kukar", "hr", "sponsor", "participant"):
        with pytest.raises(PermissionDenied):
            selectors.edition_list(actor=world["users"][outsider])


def test_self_nomination_categories_are_the_editions_open_ones(world: dict[str, Any]) -> None:
    made = services.edition_create(actor=world["users"]["admin"], year=2033)
    open_codes = set(made.categories.filter(self_nomination=True).values_list("code", flat=True))
    assert {c.code for c in selectors.self_nomination_categories(year=2033)} == open_codes
    assert selectors.self_nomination_categories(year=2099) == []


@pytest.mark.django_db
def test_a_juror_without_a_seat_is_told_so_not_that_no_edition_exists(world: dict[str, Any]) -> None:
    """Issue 27: 'Belum ada edisi.' was shown to a juror without a seat although an edition existed."""
    from django.test import Client

    services.edition_create(actor=world["users"]["admin"], year=2026)
    juror = user_provision(actor=system_actor(), username="t.juri2", password="pw-juri-12345", role="award_jury")
    client = Client()
    client.force_login(juror)
    said = client.get("/penghargaan/").content.decode()
    assert "belum mendapat kursi juri" in said and "Belum ada edisi" not in said
