"""Cells as people type them, cleaned in one place per kind of value (issue 28 §2). Pure.

What a spreadsheet or an office clerk adds around a value is taken off; what cannot be read stays as
typed, for the check that reads it to refuse with the cell quoted.
"""

from __future__ import annotations

import re

_NIK_SEPARATORS = re.compile(r"[\s.\-]+")
# Excel's scientific notation for a number too long to show: its digits past the fifteenth are gone.
_EXPONENT = re.compile(r"^\d(?:[.,]\d+)?E\+?\d+$", re.IGNORECASE)
_TRAILING_ZERO = re.compile(r"^(\d{16})[.,]0+$")


def nik_cell(text: str) -> tuple[str, bool]:
    """A NIK cell as digits, and whether a spreadsheet had turned it into a number in scientific
    notation (``3.17E+15``: digits lost, refused with its own code).

    >>> nik_cell("'3171015708900003")
    ('3171015708900003', False)
    >>> nik_cell("64.02.19.590187.7005")
    ('6402195901877005', False)
    >>> nik_cell("640204-560296-7004")
    ('6402045602967004', False)
    >>> nik_cell("3171015708900003.0")
    ('3171015708900003', False)
    >>> nik_cell("3.17102E+15")
    ('3.17102E+15', True)

    A CSV exporter's way of keeping a number as text, ``="3171015708900003"``, and a backtick or
    typographic quote in place of the apostrophe:

    >>> nik_cell('="3171015708900003"'), nik_cell("`3171015708900003"), nik_cell("‘3171015708900003")
    (('3171015708900003', False), ('3171015708900003', False), ('3171015708900003', False))
    """
    value = text.strip()
    if value.startswith('="') and value.endswith('"'):
        value = value[2:-1]
    value = value.lstrip("'`‘’").strip()
    compact = re.sub(r"\s+", "", value)
    if _EXPONENT.match(compact):
        return compact, True
    if match := _TRAILING_ZERO.match(compact):
        return match.group(1), False
    return _NIK_SEPARATORS.sub("", value), False


_RUPIAH_PREFIX = re.compile(r"^rp\.?", re.IGNORECASE)
_NO_SEN = re.compile(r"(?<=\d)[.,]?-+$")


def amount_cell(text: str) -> str:
    """Rupiah as typed without what surrounds the number: ``Rp 2.500.000,-`` → ``2.500.000``;
    ``2.500.000,00`` and ``2500000`` stay for the amount reader.

    >>> amount_cell("Rp 2.500.000,-")
    '2.500.000'
    >>> amount_cell("Rp. 1.000.000,00")
    '1.000.000,00'
    >>> amount_cell("-")  # a dash alone is no amount: the reader refuses it as typed
    '-'
    >>> amount_cell("1.5 jt")  # words are the officer's to write out: refused as typed
    '1.5jt'
    """
    if not text:
        return ""
    value = _RUPIAH_PREFIX.sub("", re.sub(r"\s+", "", text))
    return _NO_SEN.sub("", value)


_TIME = re.compile(r"\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?(?:\s*(?:WIB|WITA|WIT|AM|PM))?$", re.IGNORECASE)


# Month names as Indonesian forms and bank systems write them, old spellings and English included.
MONTHS = {
    **dict.fromkeys(("jan", "januari", "january"), 1),
    **dict.fromkeys(("feb", "peb", "februari", "pebruari", "february"), 2),
    **dict.fromkeys(("mar", "maret", "march"), 3),
    **dict.fromkeys(("apr", "april"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("jun", "juni", "june"), 6),
    **dict.fromkeys(("jul", "juli", "july"), 7),
    **dict.fromkeys(("agu", "agt", "ags", "agus", "agustus", "aug", "august"), 8),
    **dict.fromkeys(("sep", "sept", "september"), 9),
    **dict.fromkeys(("okt", "oct", "oktober", "october"), 10),
    **dict.fromkeys(("nov", "nop", "november", "nopember"), 11),
    **dict.fromkeys(("des", "dec", "desember", "december"), 12),
}
_NAMED_MONTH = re.compile(r"^(\d{1,2})[-/. ]+([A-Za-z]+)\.?[-/. ,]+(\d{2}|\d{4})$")


def date_cell(text: str) -> str:
    """A date cell without the time a system export adds (``8/12/1985 0:00`` → ``8/12/1985``), and
    with a month written as a word in numbers (``17 Agustus 1985`` → ``17/08/1985``).

    >>> date_cell("8/12/1985 0:00")
    '8/12/1985'
    >>> date_cell("1985-12-08 00:00:00")
    '1985-12-08'
    >>> date_cell("7 Februari 1991"), date_cell("17-Agu-85"), date_cell("5 Nopember 1979")
    ('07/02/1991', '17/08/85', '05/11/1979')
    """
    text = _TIME.sub("", text.strip())
    named = _NAMED_MONTH.match(text)
    if named and (month := MONTHS.get(named[2].lower())):
        return f"{int(named[1]):02d}/{month:02d}/{named[3]}"
    return text


# Sex as forms write it; "P" is perempuan in an L/P column, pria only where the column uses P/W.
MALE_CODES = frozenset({"L", "LK", "LAKILAKI", "PRIA", "M", "MALE", "1"})
FEMALE_CODES = frozenset({"P", "PR", "PEREMPUAN", "WANITA", "W", "F", "FEMALE", "2"})  # P: pria in a P/W column


def sex_cell(text: str, *, p_is_pria: bool = False) -> str:
    """``L`` or ``P`` for the usual spellings and codes (L/P, Laki-laki/Perempuan, Pria/Wanita, 1/2,
    M/F); the cell as typed when none fits. ``p_is_pria`` for a column coded P/W (Pria/Wanita).

    >>> [sex_cell(s) for s in ("Laki-laki", "perempuan", "1", "2", "M", "F", "W")]
    ['L', 'P', 'L', 'P', 'L', 'P', 'P']
    >>> sex_cell("P", p_is_pria=True)
    'L'
    """
    key = re.sub(r"[^A-Za-z0-9]", "", text).upper()
    if p_is_pria and key == "P":
        return "L"
    if key in MALE_CODES:
        return "L"
    if key in FEMALE_CODES:
        return "P"
    return text.strip()
