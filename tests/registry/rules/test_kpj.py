from hypothesis import given
from hypothesis import strategies as st

from paritrana.registry.rules.kpj import kpj_from_serial, kpj_is_valid, luhn_check_digit


def test_luhn_reference_example() -> None:
    # The textbook Luhn example: 7992739871 → check digit 3.
    assert luhn_check_digit("7992739871") == 3


def test_kpj_has_11_digits() -> None:
    assert kpj_from_serial(1_000_000_001) == "10000000017"
    assert kpj_is_valid("10000000017")
    assert not kpj_is_valid("10000000018")


@given(
    st.integers(min_value=1, max_value=9_999_999_999),
    st.integers(min_value=0, max_value=10),
    st.integers(1, 9),
)
def test_every_single_digit_typo_is_caught(serial: int, position: int, delta: int) -> None:
    kpj = kpj_from_serial(serial)
    typo = kpj[:position] + str((int(kpj[position]) + delta) % 10) + kpj[position + 1 :]
    assert kpj_is_valid(kpj)
    assert not kpj_is_valid(typo)
