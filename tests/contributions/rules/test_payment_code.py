"""A bill's payment code (issue 27 §3): 13 digits, ``8``, the bill's number, a Luhn check digit."""

import pytest

from paritrana.contributions.rules.payment_code import bill_of, payment_code


def luhn_valid(number: str) -> bool:
    """The Luhn test (ISO/IEC 7812-1 Annex B), written here independently of the code under test."""
    digits = [int(d) for d in number][::-1]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


@pytest.mark.parametrize("bill", [1, 9, 1234, 57_059, 10**11 - 1])
def test_codes_are_13_luhn_valid_digits_that_name_their_bill(bill: int) -> None:
    code = payment_code(bill)
    assert len(code) == 13 and code.startswith("8") and luhn_valid(code)
    assert bill_of(code) == bill
    assert bill_of(f"{code[:4]} {code[4:8]} {code[8:]}") == bill  # as printed, in groups


def test_a_mistyped_code_names_no_bill() -> None:
    code = payment_code(1234)
    for i in range(13):
        for digit in "0123456789":
            typo = code[:i] + digit + code[i + 1 :]
            if typo != code:
                assert bill_of(typo) is None, typo  # any single wrong digit is caught
    # Two neighbouring digits swapped ("12" typed "21") is caught too.
    swapped = code[:9] + code[10] + code[9] + code[11:]
    assert swapped != code and bill_of(swapped) is None
    # Not an NPP (8 digits), not a KPJ (11 digits), not another prefix.
    assert bill_of("90000001") is None and bill_of("12345678901") is None and bill_of("1" + code[1:]) is None
    with pytest.raises(ValueError):
        payment_code(0)
