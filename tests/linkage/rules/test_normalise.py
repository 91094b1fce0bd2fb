"""Normalisation of names, NIKs, birth dates and places for matching (issue 7 §2), one test per
variant family of data-sources.md § Names and § NIK."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paritrana.linkage.rules.dates import parse_birth_date
from paritrana.linkage.rules.decide import Thresholds, clean_nik, decide, outcome, swapped
from paritrana.linkage.rules.names import name_key
from paritrana.linkage.rules.places import PlaceIndex

TODAY = date(2026, 11, 21)


def same(*written: str) -> set[str]:
    return {name_key(w).key for w in written}


def test_muhammad_and_its_abbreviations_are_one_name() -> None:
    assert same(
        "Muhammad Rizky", "Muhamad Rizky", "Mohammad Rizky", "Mochammad Rizky", "Moch. Rizky", "Moh. Rizky",
        "Muh. Rizky", "Mhd. Rizky", "M. Rizky", "M.Rizky",
    ) == {"muhammad rizky"}  # fmt: skip


def test_ahmad_abdul_siti_nur_families() -> None:
    assert same("Ahmad Fauzi", "Achmad Fauzi", "Akhmad Fauzi") == {"ahmad fauzi"}
    assert same("Abdul Rahman", "Abd. Rahman") == {"abdul rahman"}
    assert same("Siti Aminah", "Sitti Aminah", "St. Aminah") == {"siti aminah"}
    # Nur written apart or joined, Noor and Nurul: one name.
    assert same("Nur Hayati", "Nurhayati", "Noor Hayati", "Nurul Hayati") == {"nur hayati"}


def test_old_spellings_read_as_today() -> None:
    # Pre-1972: oe→u, dj→j, tj→c, j→y, ch→kh, sj→sy (data-sources.md § Names).
    assert name_key("Soekarno").key == name_key("Sukarno").key
    assert name_key("Djoko Santoso").key == name_key("Joko Santoso").key
    assert name_key("Tjahjo Kumolo").key == name_key("Cahyo Kumolo").key
    assert name_key("Jusuf").key == name_key("Yusuf").key
    assert name_key("Sjarifuddin").key == name_key("Syarifuddin").key
    assert name_key("Chairul").key == name_key("Khairul").key


def test_dewi_and_dwi_stay_different() -> None:
    assert name_key("Dewi Lestari").key != name_key("Dwi Lestari").key


def test_titles_and_honorifics_are_not_matched() -> None:
    assert same("Hj. Siti Aminah, S.Pd.", "SITI AMINAH", "Dra. Siti Aminah, M.M.", "siti   aminah") == {"siti aminah"}
    assert same("I Wayan Sudarma", "Wayan Sudarma") == {"wayan sudarma"}
    assert same("R.A. Kartini", "RA Kartini", "Raden Kartini", "Kartini") == {"kartini"}
    assert same("Tgk. Muhammad Daud", "Teuku Muhammad Daud", "Muhammad Daud") == {"muhammad daud"}


def test_patronymic_and_mononyms() -> None:
    assert name_key("Ahmad bin Yusuf").key == "ahmad"
    assert name_key("Siti binti Abdullah").key == "siti"
    # A one-word name is a whole name, and a title alone does not erase it.
    assert name_key("Sukarmi").tokens == ("sukarmi",)
    assert name_key("Andi").tokens == ("andi",)
    assert name_key("").tokens == () and name_key(None).tokens == ()


@given(st.text(max_size=40))
def test_name_key_never_fails_and_gives_plain_tokens(text: str) -> None:
    tokens = name_key(text).tokens
    assert all(t and t.isascii() and t.isalpha() and t.islower() for t in tokens)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("17-08-1975", date(1975, 8, 17)),
        ("17/8/1975", date(1975, 8, 17)),
        ("17.08.75", date(1975, 8, 17)),
        ("1975-08-17", date(1975, 8, 17)),
        ("19750817", date(1975, 8, 17)),
        ("17 Agustus 1975", date(1975, 8, 17)),
        ("17 Agt 1975", date(1975, 8, 17)),
        ("08/17/1975", date(1975, 8, 17)),  # day-first impossible, month-first real
        ("27623", date(1975, 8, 17)),  # a spreadsheet's serial day
        ("29-02-2001", None),  # not a leap year
        ("31/04/1990", None),
        ("tidak tahu", None),
        ("", None),
        ("01-01-2030", None),  # in the future
    ],
)
def test_birth_dates_in_common_formats(written: str, expected: date | None) -> None:
    assert parse_birth_date(written, today=TODAY) == expected


def test_two_digit_years_take_the_latest_past_century() -> None:
    assert parse_birth_date("05-06-07", today=TODAY) == date(2007, 6, 5)
    assert parse_birth_date("05-06-48", today=TODAY) == date(1948, 6, 5)


def test_nik_cleaned_and_cut_into_parts() -> None:
    parts = clean_nik("64.0201-570890 0003", today=TODAY)
    assert parts is not None and (parts.region, parts.born, parts.serial) == ("640201", "570890", "0003")
    assert clean_nik("6402015708900000", today=TODAY) is None  # serial 0000
    assert clean_nik("640201570890003", today=TODAY) is None  # 15 digits
    assert clean_nik("6402012902010003", today=TODAY) is None  # 29 February 2001
    assert clean_nik("6402016902000003", today=TODAY) is not None  # 29 February 2000, a woman (+40)
    assert clean_nik("", today=TODAY) is None


def test_swapped_day_and_month() -> None:
    assert swapped(date(1990, 4, 10)) == date(1990, 10, 4)
    assert swapped(date(1990, 4, 13)) is None and swapped(date(1990, 4, 4)) is None


def test_places_by_code_or_written_name() -> None:
    places = PlaceIndex({"32.01": "Kabupaten Bogor", "32.71": "Kota Bogor", "64.02": "Kabupaten Kutai Kartanegara"})
    assert places.code("KAB. KUTAI KARTANEGARA") == "64.02"
    assert places.code("Kab Kutai Kartanegara") == "64.02"
    assert places.code("Kota Bogor") == "32.71" and places.code("KOTAMADYA BOGOR") == "32.71"
    assert places.code("Bogor") is None  # a kabupaten and a kota share it
    assert places.code("64.02") == "64.02" and places.code("6402") == "64.02" and places.code("9999") is None


def test_decision_from_candidate_weights() -> None:
    t = Thresholds(match=0.0, review=-6.0, lead=2.0)
    assert decide([9.0], t) == "match"
    assert decide([9.0, 6.5], t) == "match"  # a lead of 2.5 ≥ 2
    assert decide([9.0, 7.5], t) == "ambiguous"
    assert decide([-0.5], t) == "review"
    assert decide([-6.5], t) == "none" and decide([], t) == "none"


def test_outcome_of_a_decision() -> None:
    assert outcome("match", active=True) == "covered_active"
    assert outcome("match", active=True, in_arrears=True) == "covered_lapsed"
    assert outcome("match", active=False) == "covered_lapsed"
    assert outcome("none", active=None) == "not_covered"
    assert outcome("ambiguous", active=None) == outcome("review", active=None) == "ambiguous"
