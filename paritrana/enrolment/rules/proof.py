"""What a proof of participation may say about a worker to whoever holds it (issue 5 §5).

A membership card's QR code opens a public page: anyone can scan a card, so the page shows only
what the card's holder would show a clinic or an employer at the door — the name's initials and
whether the membership stands — and nothing that identifies the worker: processing limited to its
purpose, as the personal data protection law (UU 27/2022) asks and DESIGN.md rule 7 holds the
project to. Pure functions; no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def initials(full_name: str) -> str:
    """ "Siti Nurhaliza" → "S. N."; a mononym keeps one letter. Titles are not part of full_name."""
    letters = [word[0].upper() for word in full_name.replace("-", " ").split() if word[:1].isalpha()]
    return " ".join(f"{letter}." for letter in letters) or "–"


@dataclass(frozen=True)
class CardStatus:
    code: str  # stable, for programs
    label: str  # Indonesian, for people


def card_status(*, status: str, valid_from: date, valid_until: date | None, today: date) -> CardStatus:
    """The membership's standing on ``today``: the registry status, bounded by its validity dates.
    A sponsored membership ends with the budget year (valid_until) unless the list is renewed."""
    if status == "ended" or (valid_until is not None and valid_until < today):
        return CardStatus("ended", "Tidak aktif (kepesertaan berakhir)")
    if status == "suspended":
        return CardStatus("suspended", "Nonaktif sementara")
    if valid_from > today:
        return CardStatus("not_started", f"Belum berlaku (mulai {valid_from:%d/%m/%Y})")
    return CardStatus("active", "Aktif")
