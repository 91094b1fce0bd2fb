import pytest

from paritrana.registry.rules.names import split_titles


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Hj. Siti Aminah, S.Pd., M.M.", ("Hj.", "Siti Aminah", "S.Pd., M.M.")),
        ("Dr. Ir. Bambang", ("Dr. Ir.", "Bambang", "")),
        ("dr. Made Wirawan", ("dr.", "Made Wirawan", "")),
        ("Sukarmi", ("", "Sukarmi", "")),  # a mononym is a whole name
        ("  budi   santoso  S.E. ", ("", "budi santoso", "S.E.")),
        ("Andi Baso", ("", "Andi Baso", "")),  # a noble name stays in the name
        ("H.", ("", "H.", "")),  # a lone word is a name, not a title
        # Issue 28 §4: after a comma, only what reads as a degree is one; a bank's "SURNAME, GIVEN"
        # stays the name as written.
        ("ASEP, DEDE", ("", "ASEP, DEDE", "")),
        ("Budi, SE", ("", "Budi", "S.E.")),
        ("Ani, Amd.Keb", ("", "Ani", "Amd.Keb")),
        ("Dewi, S.Kep, Ners", ("", "Dewi", "S.Kep., Ners")),
    ],
)
def test_split_titles(raw: str, expected: tuple[str, str, str]) -> None:
    assert split_titles(raw) == expected
