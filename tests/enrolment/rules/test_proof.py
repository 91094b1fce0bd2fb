"""What a card and its public page say of a membership, pure: the holder's initials only, and the
card's status bounded by the membership's validity."""

from datetime import date

import pytest

from paritrana.enrolment.rules.proof import card_status, initials


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Siti Nurhaliza", "S. N."),
        ("Sukarno", "S."),  # mononyms are common in Indonesia (data-sources.md § Names)
        ("Made  Ayu-Lestari", "M. A. L."),
        ("  ", "–"),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_card_status_bounded_by_validity() -> None:
    today = date(2026, 11, 21)
    kw = {"valid_from": date(2026, 1, 1), "today": today}
    assert card_status(status="active", valid_until=date(2026, 12, 31), **kw).code == "active"
    assert card_status(status="active", valid_until=None, **kw).code == "active"
    # A sponsored membership not renewed for the next budget year has ended, whatever its row says.
    assert card_status(status="active", valid_until=date(2025, 12, 31), **kw).code == "ended"
    assert card_status(status="ended", valid_until=None, **kw).code == "ended"
    assert card_status(status="suspended", valid_until=None, **kw).code == "suspended"
    assert card_status(status="active", valid_from=date(2027, 1, 1), valid_until=None, today=today).code == (
        "not_started"
    )
