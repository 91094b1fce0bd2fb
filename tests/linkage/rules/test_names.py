"""Names normalised for matching (linkage/rules/names.py): one test per variant family of data-sources.md § Names."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from paritrana.linkage.rules.names import name_key


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


@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=9),
                min_size=1, max_size=4))  # fmt: skip
def test_plain_names_take_the_short_path_to_the_same_key(words: list[str]) -> None:
    """Letters and single spaces skip title splitting and accent folding; a trailing space sends the
    same name down the full path, which must give the same key (registry names are read the short way)."""
    plain = " ".join(words)
    assert name_key(plain) == name_key(plain + " ")


def test_honorifics_alone_and_patronymics_on_the_short_path() -> None:
    assert name_key("Andi").key == "andi" and name_key("Cut Nyak").key == "nyak"
    assert name_key("Ahmad bin Yusuf").key == "ahmad"
    assert name_key("I Wayan Sudarma").key == "wayan sudarma"
