"""Regencies and cities as lists write them ("KAB. KUTAI KARTANEGARA", "Kota Samarinda", "6402",
"64.02", "Kutai Kartanegara"). Pure: the caller gives the official names.

Kabupaten Bogor and Kota Bogor are different places, so the kind is kept when written; a bare name
is read as the only place that carries it, or left unknown when a kabupaten and a kota share it.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"^(\d{2})\.?(\d{2})$")
_WORDS = re.compile(r"[^a-z0-9 ]+")
_KIND = {"kab": "kabupaten", "kabupaten": "kabupaten", "kota": "kota", "kodya": "kota", "kotamadya": "kota"}


# Words ID cards and bank systems write around a name that the official name lacks, or shorten:
# Jakarta's "Kota Administrasi Jakarta Timur" is "JAKARTA TIMUR" or "KOTA ADM. JAKARTA TIMUR" on a
# KTP, Kepulauan Seribu "KAB. ADM. KEP. SERIBU" (issue 28 §4).
_DROPPED = {"administrasi", "adm", "dki", "provinsi"}
_EXPANDED = {"kep": "kepulauan", "kepl": "kepulauan"}


def _key(text: str) -> tuple[str, str]:
    words = _WORDS.sub(" ", text.lower().replace(".", ". ")).split()
    kind = ""
    if words and words[0] in _KIND:
        kind = _KIND[words.pop(0)]
    words = [_EXPANDED.get(w, w) for w in words if w not in _DROPPED]
    return kind, " ".join(words)


class PlaceIndex:
    """Official regency/city names → codes."""

    def __init__(self, regencies: dict[str, str]) -> None:
        self.codes = set(regencies)
        self.by_kind_name: dict[tuple[str, str], str] = {}
        bare: dict[str, list[str]] = {}
        for code, official in regencies.items():
            kind, name = _key(official)
            self.by_kind_name[(kind, name)] = code
            bare.setdefault(name, []).append(code)
        self.by_name = {name: codes[0] for name, codes in bare.items() if len(codes) == 1}

    def code(self, written: str | None) -> str | None:
        """
        >>> places = PlaceIndex(
        ...     {"32.01": "Kabupaten Bogor", "32.71": "Kota Bogor", "64.02": "Kabupaten Kutai Kartanegara"}
        ... )
        >>> places.code("KAB. KUTAI  KARTANEGARA"), places.code("kota bogor"), places.code("6402")
        ('64.02', '32.71', '64.02')
        >>> places.code("Bogor") is None, places.code("Kutai Kartanegara"), places.code("Atlantis") is None
        (True, '64.02', True)
        >>> jakarta = PlaceIndex(
        ...     {"31.75": "Kota Administrasi Jakarta Timur", "31.01": "Kabupaten Administrasi Kepulauan Seribu"}
        ... )
        >>> [jakarta.code(w) for w in ("JAKARTA TIMUR", "KOTA JAKARTA TIMUR", "Kota Adm. Jakarta Timur")]
        ['31.75', '31.75', '31.75']
        >>> jakarta.code("KAB. ADM. KEP. SERIBU"), jakarta.code("DKI JAKARTA TIMUR")
        ('31.01', '31.75')
        """
        if not written:
            return None
        text = str(written).strip()
        if m := _CODE.match(text):
            code = f"{m[1]}.{m[2]}"
            return code if code in self.codes else None
        kind, name = _key(text)
        if kind:
            return self.by_kind_name.get((kind, name))
        return self.by_name.get(name)
