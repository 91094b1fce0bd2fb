from decimal import Decimal

import pytest

from paritrana.core.money import format_rupiah, parse_rupiah, to_rupiah


def test_indonesian_format() -> None:
    # The JKM lump sum of Rp42 million (PP 82/2019) as people read it.
    assert format_rupiah(Decimal("42000000")) == "Rp42.000.000"
    assert format_rupiah(Decimal("16800")) == "Rp16.800"
    assert format_rupiah(None) == "–"


@pytest.mark.django_db
def test_rounding_policy_equals_postgresql_round() -> None:
    from django.db import connection

    values = [
        Decimal("0.5"),
        Decimal("1.5"),
        Decimal("2.5"),
        Decimal("12345.49"),
        Decimal("12345.50"),
        Decimal("99999999.995"),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT round(x) FROM unnest(%s::numeric[]) AS x", [values])
        sql = [row[0] for row in cursor.fetchall()]
    assert sql == [to_rupiah(v) for v in values]


def test_parse_rupiah_as_typed() -> None:
    assert parse_rupiah("Rp 1.500.000.000") == Decimal("1500000000")
    assert parse_rupiah("Rp1.500.000,50") == Decimal("1500000.50")
    assert parse_rupiah(" 604800 ") == Decimal("604800")
    # format_rupiah's own output reads back.
    for amount in (Decimal("0"), Decimal("42000000"), Decimal("1500.5")):
        assert parse_rupiah(format_rupiah(amount)) == amount
    for bad in ("", "Rp", "1.50.000", "1,5,0", "satu juta", "1.500.000,123", "-5"):
        with pytest.raises(ValueError):
            parse_rupiah(bad)
