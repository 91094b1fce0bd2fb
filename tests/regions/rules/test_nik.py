"""NIK rules (data-sources.md § NIK; UU 24/2013 Pasal 13). Pure: no database."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paritrana.regions.rules.nik import StaticRegionLookup, birth_date_from_nik, clean_nik, parse_nik

TODAY = date(2026, 11, 21)
REGIONS = StaticRegionLookup(
    names={
        "64": "Kalimantan Timur",
        "64.02": "Kabupaten Kutai Kartanegara",
        "64.02.01": "Muara Muntai",
        "65": "Kalimantan Utara",
        "65.01": "Kabupaten Bulungan",
        "65.01.01": "Tanjung Palas",
        "93": "Papua Selatan",
        "93.01": "Kabupaten Merauke",
        "93.01.01": "Merauke",
        "91": "Papua",
    },
    successors={"91.01": ("93.01", "Kabupaten Merauke"), "64.04": ("65.01", "Kabupaten Bulungan")},
)


def nik(district: str, day: int, month: int, yy: int, serial: str = "0001") -> str:
    return f"{district}{day:02d}{month:02d}{yy:02d}{serial}"


def check(raw: str, **kw):  # type: ignore[no-untyped-def]
    return parse_nik(raw, regions=REGIONS, today=TODAY, **kw)


def test_a_man_born_1985() -> None:
    r = check(nik("640201", 12, 12, 85))
    assert r.valid and r.sex == "L" and r.birth_date == date(1985, 12, 12)
    assert (r.province, r.regency, r.district) == (
        "Kalimantan Timur",
        "Kabupaten Kutai Kartanegara",
        "Muara Muntai",
    )


def test_women_have_day_plus_40() -> None:
    r = check(nik("640201", 57, 8, 90))  # 17 + 40
    assert r.valid and r.sex == "P" and r.birth_date == date(1990, 8, 17)


def test_separators_are_ignored() -> None:
    assert clean_nik("6402 01-5708.900001") == "6402015708900001"
    assert check("64.02.01 570890 0001").valid


@pytest.mark.parametrize(
    "raw",
    ["", "640201570890000", "64020157089000011", "64020157089O0001", "６４０２０１５７０８９００００１"],
)
def test_format(raw: str) -> None:
    r = check(raw)
    assert r.error_codes == ["nik_format"]


def test_29_february_needs_a_leap_year() -> None:
    assert check(nik("640201", 29, 2, 0)).birth_date == date(2000, 2, 29)
    assert check(nik("640201", 29, 2, 96)).birth_date == date(1996, 2, 29)
    assert check(nik("640201", 29, 2, 97)).error_codes == ["nik_birth_date_invalid"]


@pytest.mark.parametrize("day,month", [(0, 5), (32, 1), (40, 1), (72, 1), (31, 4), (10, 0), (10, 13)])
def test_impossible_dates(day: int, month: int) -> None:
    assert "nik_birth_date_invalid" in check(nik("640201", day, month, 80)).error_codes


def test_century_is_the_latest_not_in_the_future() -> None:
    # Today 21/11/2026: '26' born 20/11 is 2026, born 22/11 would be future so it is 1926.
    assert birth_date_from_nik(20, 11, 26, today=TODAY) == date(2026, 11, 20)
    assert birth_date_from_nik(22, 11, 26, today=TODAY) == date(1926, 11, 22)
    assert birth_date_from_nik(1, 1, 27, today=TODAY) == date(1927, 1, 1)


def test_serial_0000_is_invalid() -> None:
    assert check(nik("640201", 12, 12, 85, "0000")).error_codes == ["nik_serial_zero"]


def test_unknown_province_is_an_error() -> None:
    assert "nik_province_unknown" in check(nik("990101", 12, 12, 85)).error_codes


def test_zero_regency_or_district_is_an_error() -> None:
    assert "nik_region_zero" in check(nik("640001", 12, 12, 85)).error_codes
    assert "nik_region_zero" in check(nik("640200", 12, 12, 85)).error_codes


def test_unknown_regency_is_a_warning_not_an_error() -> None:
    r = check(nik("649901", 12, 12, 85))
    assert r.valid and r.warning_codes == ["nik_region_unknown"]


def test_unknown_district_is_a_warning() -> None:
    r = check(nik("640299", 12, 12, 85))
    assert r.valid and r.warning_codes == ["nik_district_unknown"]


def test_pre_2022_papua_prefix_is_accepted_with_a_warning() -> None:
    r = check(nik("910101", 12, 12, 85))
    assert r.valid and r.warning_codes == ["nik_region_historical"]
    assert r.current_regency_code == "93.01" and r.regency == "Kabupaten Merauke" and r.district == "Merauke"


def test_pre_2012_kalimantan_timur_prefix_for_kaltara() -> None:
    r = check(nik("640401", 1, 1, 80))
    assert r.valid and r.current_regency_code == "65.01"


def test_declared_birth_date_and_sex_are_cross_checked() -> None:
    raw = nik("640201", 57, 8, 90)
    assert check(raw, declared_birth_date=date(1990, 8, 17), declared_sex="P").valid
    r = check(raw, declared_birth_date=date(1990, 8, 18), declared_sex="L")
    assert r.error_codes == ["nik_birth_date_mismatch", "nik_sex_mismatch"]
    assert all(e.message for e in r.errors)


def test_every_failure_is_reported_at_once() -> None:
    r = check("9900003202000000", declared_sex="P")
    assert set(r.error_codes) == {
        "nik_province_unknown",
        "nik_region_zero",
        "nik_birth_date_invalid",
        "nik_serial_zero",
    }


def test_as_dict_has_the_cli_shape() -> None:
    d = check(nik("640201", 57, 8, 90)).as_dict()
    assert set(d) == {
        "nik",
        "valid",
        "errors",
        "warnings",
        "province",
        "regency",
        "district",
        "birth_date",
        "sex",
    }
    assert (
        d["birth_date"] == "1990-08-17"
        and d["sex"] == "P"
        and d["province"] == {"code": "64", "name": "Kalimantan Timur"}
    )


@given(
    born=st.dates(min_value=date(1927, 1, 1), max_value=TODAY),
    sex=st.sampled_from(["L", "P"]),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_any_well_formed_nik_round_trips(born: date, sex: str, serial: int) -> None:
    day = born.day + (40 if sex == "P" else 0)
    raw = nik("640201", day, born.month, born.year % 100, f"{serial:04d}")
    r = check(raw, declared_birth_date=born, declared_sex=sex)
    assert r.valid, r.errors
    assert (r.birth_date, r.sex, r.serial) == (born, sex, f"{serial:04d}")


@given(st.text(alphabet="0123456789 .-", min_size=0, max_size=24))
def test_agrees_with_lokal_id_on_structure(raw: str) -> None:
    """Differential: lokal-id's parse_nik (the reference behaviour) accepts exactly what we accept,
    for provinces both know, when neither has region data to consult."""
    lokal = pytest.importorskip("lokal")
    from lokal.provinces import PROVINCES

    ours = parse_nik(raw, regions=StaticRegionLookup(dict(PROVINCES)), today=TODAY)
    theirs = lokal.parse_nik(raw, reference_date=TODAY)
    assert ours.valid == theirs.valid
    if ours.valid:
        assert ours.birth_date == date.fromisoformat(theirs.birth_date) and ours.sex == theirs.gender


def test_dates_before_100_years_are_read_in_the_latest_century() -> None:
    # A person aged 99 and a child born yesterday share nothing but the rule.
    yesterday = TODAY - timedelta(days=1)
    assert check(nik("640201", yesterday.day, yesterday.month, yesterday.year % 100)).birth_date == yesterday
