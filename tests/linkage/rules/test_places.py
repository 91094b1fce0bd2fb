"""Places by code or by written name (linkage/rules/places.py)."""

from __future__ import annotations

from paritrana.linkage.rules.places import PlaceIndex


def test_places_by_code_or_written_name() -> None:
    places = PlaceIndex({"32.01": "Kabupaten Bogor", "32.71": "Kota Bogor", "64.02": "Kabupaten Kutai Kartanegara"})
    assert places.code("KAB. KUTAI KARTANEGARA") == "64.02"
    assert places.code("Kab Kutai Kartanegara") == "64.02"
    assert places.code("Kota Bogor") == "32.71" and places.code("KOTAMADYA BOGOR") == "32.71"
    assert places.code("Bogor") is None  # a kabupaten and a kota share it
    assert places.code("64.02") == "64.02" and places.code("6402") == "64.02" and places.code("9999") is None


def test_jakarta_and_kepulauan_seribu_as_id_cards_and_banks_write_them() -> None:
    """Issue 28 §4: the official names carry "Administrasi"; cards and bank systems do not, or shorten it."""
    places = PlaceIndex(
        {
            "31.01": "Kabupaten Administrasi Kepulauan Seribu",
            "31.71": "Kota Administrasi Jakarta Pusat",
            "31.75": "Kota Administrasi Jakarta Timur",
        }
    )
    for written in ("JAKARTA TIMUR", "KOTA JAKARTA TIMUR", "KOTA ADM. JAKARTA TIMUR", "Kota Administrasi Jakarta Timur",
                    "DKI JAKARTA TIMUR"):  # fmt: skip
        assert places.code(written) == "31.75", written
    assert places.code("JAKARTA PUSAT") == "31.71"
    assert places.code("KAB. ADM. KEP. SERIBU") == "31.01" and places.code("KEPULAUAN SERIBU") == "31.01"
