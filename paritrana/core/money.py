"""Money: ``Decimal`` in Python, ``NUMERIC`` in SQL, never float (DESIGN.md §3.2).

The one rounding policy: amounts are kept to the rupiah with ROUND_HALF_UP. PostgreSQL's
``round(numeric)`` also rounds half away from zero, so ``round(x)`` in SQL equals ``to_rupiah`` for
non-negative amounts; a differential test holds the two together.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

RUPIAH = Decimal("1")


def to_rupiah(amount: Decimal | int | str) -> Decimal:
    """Round an amount to whole rupiah, half up.

    >>> to_rupiah(Decimal("12345.5"))
    Decimal('12346')
    """
    return Decimal(amount).quantize(RUPIAH, rounding=ROUND_HALF_UP)


def format_rupiah(amount: Decimal | int | None) -> str:
    """Indonesian display: ``Rp42.000.000`` (thousands with dots, decimals with a comma).

    >>> format_rupiah(Decimal("42000000"))
    'Rp42.000.000'
    >>> format_rupiah(Decimal("-1500.5"))
    '-Rp1.500,50'
    """
    if amount is None:
        return "–"
    value = Decimal(amount)
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole = int(value)
    fraction = value - whole
    text = f"{whole:,}".replace(",", ".")
    if fraction:
        cents = int((fraction * 100).quantize(RUPIAH, rounding=ROUND_HALF_UP))
        text += f",{cents:02d}"
    return f"{sign}Rp{text}"


def parse_rupiah(text: str) -> Decimal:
    """Rupiah as people type it: ``Rp 1.500.000``, ``1.500.000,00``, ``1500000``. Dots group
    thousands and a comma starts the sen, as in ``format_rupiah``; raises ``ValueError`` otherwise.

    >>> parse_rupiah("Rp 1.500.000,50")
    Decimal('1500000.50')
    >>> parse_rupiah("604800")
    Decimal('604800')
    """
    cleaned = text.strip().removeprefix("Rp").removeprefix("rp").removeprefix(".").replace(" ", "")
    whole, _, sen = cleaned.partition(",")
    groups = whole.split(".")
    if not whole or not all(g.isdigit() for g in groups) or (len(groups) > 1 and any(len(g) != 3 for g in groups[1:])):
        raise ValueError(f"bukan angka rupiah: {text!r}")
    if sen and not (sen.isdigit() and len(sen) <= 2):
        raise ValueError(f"bukan angka rupiah: {text!r}")
    return Decimal("".join(groups) + (f".{sen}" if sen else ""))
