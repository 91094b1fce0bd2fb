"""Names as matching keys (data-sources.md § Names). Pure.

A name on an outside list and the same person's name in the registry differ in ways that carry no
evidence: titles, case, spacing, punctuation, the pre-1972 spelling (Soekarno/Sukarno, Djoko/Joko,
Jusuf/Yusuf), doubled letters (Sitti/Siti, Muhamad/Muhammad), abbreviations of common first names
(M./Moch./Muh./Mhd. for Muhammad, Abd. for Abdul, St. for Siti), Nur written apart or joined
(Nurhayati/Nur Hayati) and the patronymic after bin/binti. ``name_key`` removes exactly those
differences and nothing else: Dewi and Dwi stay different names, and a one-word name (mononym) is a
whole name.

Both sides of a comparison go through the same function, so a spelling collapsed here (modern
"Jati" and "Yati" both become "yati") costs a little discrimination on the name and never a match;
birth date, sex, region and the NIK's parts carry the rest of the evidence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from paritrana.registry.rules.names import split_titles

# Noble, religious and regional titles that are part of how a name is written but are not used for
# matching (data-sources.md § Names). Balinese "I"/"Ni" precede the birth-order name.
HONORIFICS = frozenset(
    {"r", "ra", "raden", "rr", "tgk", "teuku", "cut", "andi", "datuk", "i", "ni", "h", "hj", "kh", "dr", "drs", "dra"}
    | {"ir", "prof", "drg", "ust", "ustadz", "hajah", "haji"}
)
# Abbreviations and spellings of the commonest first names, each to one canonical token.
CANONICAL = {
    **dict.fromkeys(
        (
            "muhammad muhamad muhammmad mohammad mohamad mohammed muhammed mochammad mochamad muchammad "
            "muchamad mukhammad mohamed muhamat moch moh muh mhd mohd md m"
        ).split(),
        "muhammad",
    ),
    **dict.fromkeys("ahmad achmad akhmad ahmat achmat akhmat amad".split(), "ahmad"),
    **dict.fromkeys("abdul abd abdoel".split(), "abdul"),
    **dict.fromkeys("siti sitti st sity".split(), "siti"),
    **dict.fromkeys("nur noor nurul nor".split(), "nur"),
}
PATRONYMIC = frozenset({"bin", "binti", "bt", "bte", "b"})
# Names that start with "nur" but are not Nur + a name (checked before splitting a joined Nur).
NUR_WORDS = frozenset({"nurdin", "nursalim", "nurse"})
# Pre-1972 (Van Ophuijsen / Soewandi) spellings to today's (EYD), applied in this order: "dj" must
# become "j" before the old "j" becomes "y", and "tj" becomes "c" before "ch" becomes "kh".
OLD_SPELLINGS = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("ch", "kh"), ("j", "y"), ("kh", "h"))
_NOT_LETTER = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
_DOUBLED = re.compile(r"([a-z])\1+")


@dataclass(frozen=True)
class NameKey:
    """A name as matching sees it: canonical tokens; ``first``/``last`` serve blocking."""

    tokens: tuple[str, ...]

    @property
    def key(self) -> str:
        return " ".join(self.tokens)

    @property
    def first(self) -> str:
        return self.tokens[0] if self.tokens else ""

    @property
    def last(self) -> str:
        return self.tokens[-1] if self.tokens else ""


def _ascii_lower(text: str) -> str:
    # "Ma'ruf", "Ni Luh Putu Ayu" and "Ṣalih" alike: accents and apostrophes carry no evidence.
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return folded.replace("'", "").replace("`", "")


def modern_spelling(token: str) -> str:
    """A token in today's spelling with doubled letters collapsed.

    >>> modern_spelling("soekarno"), modern_spelling("djojohadikoesoemo"), modern_spelling("sitti")
    ('sukarno', 'yoyohadikusumo', 'siti')
    """
    for old, new in OLD_SPELLINGS:
        token = token.replace(old, new)
    return _DOUBLED.sub(r"\1", token)


@lru_cache(maxsize=1 << 17)
def word_tokens(word: str) -> tuple[str, ...]:
    """The tokens of one lower-case word of a name (one, or two for a joined Nur).

    >>> word_tokens("moch"), word_tokens("noerhajati"), word_tokens("djoko")
    (('muhammad',), ('nur', 'hayati'), ('yoko',))
    """
    # Cached: a registry of millions holds some thousands of distinct words, each met many times.
    modern = modern_spelling(word)
    if word in CANONICAL or modern in CANONICAL:
        return (CANONICAL.get(word) or CANONICAL[modern],)
    if modern.startswith("nurul") and len(modern) > 6:
        return ("nur", modern[5:])
    if modern.startswith("nur") and len(modern) > 5 and modern not in NUR_WORDS:
        return ("nur", modern[3:])  # Nurhayati = Nur Hayati (Noerhajati before 1972)
    return (modern,)


def _canonical_tokens(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        if word in PATRONYMIC and out:
            break  # "Ahmad bin Yusuf": the father's name is not the person's
        out.extend(word_tokens(word))
    return out


def name_key(raw: str | None) -> NameKey:
    """The matching key of a written name.

    >>> name_key("Hj. SITTI  Noerhajati, S.Pd.").key
    'siti nur hayati'
    >>> name_key("Moch. Djoko Santoso bin Slamet").key
    'muhammad yoko santoso'
    >>> name_key("I Wayan Sudarma").key, name_key("Sukarmi").key
    ('wayan sudarma', 'sukarmi')
    """
    if not raw:
        return NameKey(())
    return NameKey(tuple(t for t in _canonical_tokens(_kept_words(str(raw))) if t))


# Letters and single spaces only, as registry names are stored (titles apart): no title, comma,
# dot or accent to handle, so the words are the lower-cased text split, exactly what the full path
# below gives for such a text, at a fraction of its cost over millions of names. Batch linkage
# reads such names word by word in SQL (batch/link.py) with ``word_tokens``; PLAIN_NAME is the
# pattern both use.
PLAIN_NAME = "[A-Za-z]+(?: [A-Za-z]+)*"
_PLAIN = re.compile(PLAIN_NAME)


def _kept_words(raw: str) -> list[str]:
    if _PLAIN.fullmatch(raw):
        words = raw.lower().split(" ")
        kept = [w for w in words if w not in HONORIFICS]
        return kept or words
    _, name, _ = split_titles(raw)
    # A dotted honorific ("R.A.", "Tgk.") goes whole; then dots separate initials ("M.Rizky"), and
    # commas and hyphens separate words.
    lowered = " ".join(w for w in _ascii_lower(name).split() if not ("." in w and w.replace(".", "") in HONORIFICS))
    text = (lowered or _ascii_lower(name)).replace(".", " ").replace(",", " ").replace("-", " ")
    words = _SPACES.sub(" ", _NOT_LETTER.sub(" ", text)).strip().split(" ")
    words = [w for w in words if w]
    kept = [w for w in words if w not in HONORIFICS]
    return kept or words  # "Andi" or "Cut" alone is the whole name
