"""Personal names: titles kept apart from the name (data-sources.md § Names). Pure."""

from __future__ import annotations

import re

# Religious, academic and professional titles written before the name.
PREFIX_TITLES = ("H.", "Hj.", "KH.", "Dr.", "dr.", "drg.", "Ir.", "Drs.", "Dra.", "Prof.")
# Academic degrees written after the name, usually after a comma.
SUFFIX_TITLES = (
    "S.Pd.",
    "S.E.",
    "S.H.",
    "S.Kom.",
    "S.T.",
    "S.Sos.",
    "S.Ag.",
    "S.Kep.",
    "M.M.",
    "M.Si.",
    "M.Pd.",
    "M.H.",
    "A.Md.",
    "S.I.P.",
    "M.T.",
    "S.Psi.",
)
_PREFIX = {t.lower().rstrip("."): t for t in PREFIX_TITLES}
_SUFFIX = {t.lower().replace(".", ""): t for t in SUFFIX_TITLES}
_SPACES = re.compile(r"\s+")


def normalise_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _prefix_title(word: str) -> str | None:
    # "Dr." (doktor) and "dr." (dokter) are different titles: exact spelling first.
    if word in PREFIX_TITLES:
        return word
    if word.endswith(".") and word.lower().rstrip(".") in _PREFIX:
        return _PREFIX[word.lower().rstrip(".")]
    return None


def split_titles(raw: str) -> tuple[str, str, str]:
    """Split ``raw`` into (titles before, name, titles after). Noble names (Raden, Andi, Teuku, I, Ni)
    stay part of the name; mononyms are names like any other.

    >>> split_titles("Hj. Siti Aminah, S.Pd., M.M.")
    ('Hj.', 'Siti Aminah', 'S.Pd., M.M.')
    >>> split_titles("Dr. Ir. Bambang")
    ('Dr. Ir.', 'Bambang', '')
    >>> split_titles("Sukarmi")
    ('', 'Sukarmi', '')
    >>> split_titles("ASEP, DEDE"), split_titles("Ani, Amd.Keb")
    (('', 'ASEP, DEDE', ''), ('', 'Ani', 'Amd.Keb'))
    """
    text = normalise_spaces(raw)
    # What follows a comma is a degree only when it reads as one (a known title, or dotted like
    # "Amd.Keb"); "ASEP, DEDE" from a bank export is a name written surname first (issue 28 §4).
    parts = text.split(",")
    cut = next((i for i in range(1, len(parts)) if _is_suffix(parts[i])), len(parts))
    head, tail = ",".join(parts[:cut]), ",".join(parts[cut:])
    words = head.split(" ")
    before: list[str] = []
    while len(words) > 1 and (title := _prefix_title(words[0])) is not None:
        words.pop(0)
        before.append(title)
    after: list[str] = []
    for part in (p.strip() for p in tail.split(",") if p.strip()):
        after.append(_SUFFIX.get(part.lower().replace(".", "").replace(" ", ""), part))
    # A degree typed without a comma: "Budi Santoso S.E."
    while len(words) > 1 and words[-1].lower().replace(".", "") in _SUFFIX and "." in words[-1]:
        after.insert(0, _SUFFIX[words.pop().lower().replace(".", "")])
    return " ".join(before), " ".join(words), ", ".join(after)


def _is_suffix(part: str) -> bool:
    text = part.strip()
    return bool(text) and (text.lower().replace(".", "").replace(" ", "") in _SUFFIX or "." in text)


_NOT_LETTERS = re.compile(r"[^0-9A-Z ]+")


def name_key(raw: str) -> str:
    """A name as compared against an identity card: titles dropped, case, punctuation and spacing
    ignored (an officer types "Ma'ruf" where the card prints "MARUF").

    >>> name_key("Hj. Siti  Aminah, S.Pd.")
    'SITI AMINAH'
    >>> name_key("ma'ruf amin") == name_key("MARUF AMIN")
    True
    """
    _, name, _ = split_titles(raw)
    return normalise_spaces(_NOT_LETTERS.sub("", name.upper()))


def same_name(a: str, b: str) -> bool:
    """Whether two spellings name the same person on an identity card (see ``name_key``)."""
    key = name_key(a)
    return bool(key) and key == name_key(b)
