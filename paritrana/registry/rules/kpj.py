"""KPJ numbers: a 10-digit serial and a Luhn check digit (the same rule as ``registry_kpj_from_serial``)."""

from __future__ import annotations


def luhn_check_digit(payload: str) -> int:
    """The digit that makes ``payload + digit`` pass the Luhn check.

    >>> luhn_check_digit("7992739871")
    3
    """
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def kpj_from_serial(serial: int) -> str:
    """The KPJ number for a serial.

    >>> kpj_from_serial(1000000001)
    '10000000017'
    """
    if not 1 <= serial <= 9_999_999_999:
        raise ValueError("serial KPJ harus 1..9999999999")
    payload = f"{serial:010d}"
    return payload + str(luhn_check_digit(payload))


def kpj_is_valid(kpj: str) -> bool:
    """True for 11 digits whose last digit is the Luhn check digit of the first ten."""
    return len(kpj) == 11 and kpj.isascii() and kpj.isdigit() and luhn_check_digit(kpj[:10]) == int(kpj[10])
