"""regions/selectors.py: the region tables as pages read them."""

from __future__ import annotations

import pytest

from paritrana.regions.selectors import provinces, region_get

pytestmark = pytest.mark.django_db


def test_a_region_by_code_at_the_levels_asked() -> None:
    # Kepmendagri 300.2.2-2138/2025: 64 is Kalimantan Timur, 64.02 Kutai Kartanegara.
    kukar = region_get("64.02", levels=(1, 2))
    assert kukar is not None and kukar.level == 2 and "Kutai Kartanegara" in kukar.name
    assert region_get("64.02", levels=(1,)) is None
    assert region_get("99.99") is None


def test_the_38_provinces_by_code() -> None:
    codes = list(provinces().values_list("code", flat=True))
    assert len(codes) == 38 and codes == sorted(codes) and codes[0] == "11"
