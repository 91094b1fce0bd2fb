"""The region fixture holds Kepmendagri 300.2.2-2138/2025 exactly (data-sources.md § Administrative regions)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from paritrana.regions.models import HistoricalRegionCode, Region, WorkforceFigure

pytestmark = pytest.mark.django_db


def test_counts_match_kepmendagri_2025() -> None:
    counts = {level: Region.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
    assert counts == {1: 38, 2: 514, 3: 7285, 4: 83762}
    assert Region.objects.filter(kind="kabupaten").count() == 416
    assert Region.objects.filter(kind="kota").count() == 98
    assert Region.objects.filter(kind="kelurahan").count() == 8496
    assert Region.objects.filter(kind="desa").count() == 75252
    assert Region.objects.filter(kind="desa_adat").count() == 14


def test_every_child_code_extends_its_parent() -> None:
    orphans = Region.objects.raw(
        "SELECT c.code FROM regions_region c JOIN regions_region p ON p.code = c.parent_id "
        "WHERE NOT starts_with(c.code, p.code || '.')"
    )
    assert list(orphans) == []


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("64.02.01.99", 4, "64.02.01"),  # a village code is four digits after its district's
        ("64.03.01.2001", 4, "64.02.01"),  # a parent that is not the code's own prefix
        ("64.02", 3, "64"),  # a regency's shape at the district level
        ("6", 1, None),
    ],
)
def test_the_database_refuses_a_region_code_out_of_shape(code: str, level: int, parent: str | None) -> None:
    """region_code_by_level: the registry relies on it (a village proves its regency and province
    exist, registry migration 0006), so it holds in the database, not only in the loader."""
    with pytest.raises(IntegrityError, match="region_code_by_level"), transaction.atomic():
        Region.objects.create(code=code, name="Uji", level=level, kind="desa", parent_id=parent)


def test_new_papua_provinces_and_kaltara_exist() -> None:
    names = dict(Region.objects.filter(code__in=["65", "93", "94", "95", "96"]).values_list("code", "name"))
    assert names == {
        "65": "Kalimantan Utara",
        "93": "Papua Selatan",
        "94": "Papua Tengah",
        "95": "Papua Pegunungan",
        "96": "Papua Barat Daya",
    }


def test_historical_codes_point_to_current_regencies() -> None:
    merauke = HistoricalRegionCode.objects.get(old_code="91.01")
    assert merauke.current_id == "93.01" and merauke.changed_in == 2022
    # No retired code is reused by a current regency (data-sources.md).
    assert not Region.objects.filter(code__in=HistoricalRegionCode.objects.values("old_code")).exists()
    tarakan = HistoricalRegionCode.objects.get(old_code="64.73")
    assert tarakan.current_id == "65.71" and tarakan.certainty == "U"


def test_national_sakernas_denominators() -> None:
    aug_2024 = WorkforceFigure.objects.get(region=None, period="2024-08")
    assert aug_2024.employed == 144_640_000
    # 42.05 % formal of 144.64 million employed (BPS Sakernas Agustus 2024).
    assert aug_2024.formal == 60_821_120
    assert aug_2024.formal + aug_2024.informal == aug_2024.employed
    assert not aug_2024.illustrative


def test_regions_stats_command_prints_counts() -> None:
    out = StringIO()
    call_command("regions", "stats", stdout=out)
    stats = json.loads(out.getvalue())
    assert (stats["provinces"], stats["regencies"], stats["districts"], stats["villages"]) == (
        38,
        514,
        7285,
        83762,
    )
