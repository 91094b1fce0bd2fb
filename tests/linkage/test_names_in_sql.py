"""Batch linkage reads plain names word by word in SQL (batch/link.py ``_normalise_names``): every
name must get exactly the key, tokens, first, last and sorted words that ``name_key`` gives it."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from paritrana.demo.synth.names import GENERAL_FEMALE, GENERAL_MALE, MORE_FAMILY, SUNDANESE_MALE
from paritrana.linkage.batch.link import _normalise_names
from paritrana.linkage.rules.names import HONORIFICS, PATRONYMIC, name_key

WRITTEN = [
    "Ahmad bin Yusuf", "Bin Laden", "Andi", "Cut Nyak Dien", "I Wayan Sudarma", "Ni Luh", "Nurhayati",
    "Noerhajati Soekarno", "Moch Djoko", "ASEP DEDE", "Hj. Siti", "Asep, Dede", "  spaced  ", "x",
    "Muhammad b Ali", "Andi Cut", "Siti Binti Rahmah binti Yusuf", "Bin", "Dewi bt", "Nurul Aini",
    "EFFENDI, ADI", "Ma'ruf Amin", "Nur\u00a0Aini", "-", "12345", "Mhd. Rizky, S.E.",
]  # fmt: skip
WORDS = [*sorted(HONORIFICS | PATRONYMIC), "Nurdin", "Nurul", "Noor", "Djoko", "Tjahjo", "Sjahrir"]
WORDS += GENERAL_MALE[:20] + GENERAL_FEMALE[:20] + MORE_FAMILY[:10] + SUNDANESE_MALE[:5]


def keys_in_sql(written: list[str | None]) -> dict[str, tuple[object, ...]]:
    duck = duckdb.connect()
    duck.execute("CREATE TABLE listed_names (n VARCHAR)")
    duck.executemany("INSERT INTO listed_names VALUES (?)", [(w,) for w in written])
    _normalise_names(duck, "listed_names", "n")
    return {r[0]: tuple(r[1:]) for r in duck.execute("SELECT raw, k, t, f, l, s FROM names_listed_names").fetchall()}


def expected(written: str) -> tuple[object, ...]:
    key = name_key(written)
    tokens = list(key.tokens)
    return (key.key or None, tokens, key.first or None, key.last or None, " ".join(sorted(tokens)) or None)


def test_written_names_get_the_same_key_in_sql_as_in_python() -> None:
    got = keys_in_sql([*WRITTEN, None])
    assert set(got) == set(WRITTEN)
    assert {w: got[w] for w in WRITTEN} == {w: expected(w) for w in WRITTEN}
    assert got["Ahmad bin Yusuf"][0] == "ahmad" and got["Bin Laden"][0] == "bin laden"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join), min_size=1, max_size=30))
def test_any_plain_name_gets_the_same_key_in_sql(written: list[str]) -> None:
    spellings = written + [w.upper() for w in written] + [w.lower() for w in written]
    got = keys_in_sql(spellings)
    assert {w: got[w] for w in spellings} == {w: expected(w) for w in spellings}
