"""A bill's payment code: the number a payer gives the bank, like a virtual account, so the bank's
statement names the bill it pays (issue 27 §3).

Thirteen digits: ``8``, the bill's number in eleven digits, and a Luhn check digit — so a code
mistyped in one digit, or two neighbouring digits swapped, names no bill. It cannot be taken for
an NPP (8 digits) or a KPJ (11 digits), the other codes a statement line may carry.

    >>> payment_code(1234)
    '8000000012346'
    >>> bill_of("8000000012346"), bill_of("8000000012345")
    (1234, None)
"""

from __future__ import annotations

import re

PREFIX = "8"
_CODE = re.compile(r"8\d{12}")


def _luhn_digit(digits: str) -> int:
    """The check digit that makes ``digits`` + it pass the Luhn test."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:  # every second digit from the right, counting the check digit's place
            value = value * 2 - 9 if value * 2 > 9 else value * 2
        total += value
    return (10 - total % 10) % 10


def payment_code(bill_id: int) -> str:
    if not 0 < bill_id < 10**11:
        raise ValueError(f"nomor tagihan di luar jangkauan kode bayar: {bill_id}")
    body = f"{PREFIX}{bill_id:011d}"
    return f"{body}{_luhn_digit(body)}"


def bill_of(code: str) -> int | None:
    """The bill a payment code names, or None when it is not a valid code (spaces and dots ignored)."""
    digits = re.sub(r"[\s.\-]", "", code or "")
    if not _CODE.fullmatch(digits) or _luhn_digit(digits[:-1]) != int(digits[-1]):
        return None
    return int(digits[1:-1]) or None
