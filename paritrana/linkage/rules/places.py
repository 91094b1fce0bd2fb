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


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance (insert, delete, substitute), or ``limit + 1`` once it is sure to exceed it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _allowed(name: str) -> int:
    """Slips forgiven in a misspelt place name: none in short names, where one letter is another
    place ("Batu", "Baru"), one from six letters, two from twelve."""
    return 0 if len(name) < 6 else 1 if len(name) < 12 else 2


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
        # Misspellings are looked for only among names that begin or end as the written one does (a
        # slip or two leaves one end whole): a list can hold thousands of distinct misspellings.
        self.by_end: dict[str, list[tuple[str, str, str]]] = {}
        for (kind, name), code in self.by_kind_name.items():
            for end in {"<" + name[:3], name[-3:] + ">"}:
                self.by_end.setdefault(end, []).append((kind, name, code))

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

        A slip or two in a long name is forgiven, none in a short one:

        >>> places.code("Kab. Kutai Kertanegara"), places.code("KOTA BOGORR") is None
        ('64.02', True)
        """
        if not written:
            return None
        text = str(written).strip()
        if m := _CODE.match(text):
            code = f"{m[1]}.{m[2]}"
            return code if code in self.codes else None
        kind, name = _key(text)
        found = self.by_kind_name.get((kind, name)) if kind else self.by_name.get(name)
        return found or self._nearest(kind, name)

    def _nearest(self, kind: str, name: str) -> str | None:
        """A misspelt name ("KAB. KUTAI KERTANEGARA") read as the one place it is a slip or two
        from; None when none is that close, or when two are equally close."""
        limit = _allowed(name)
        if not limit:
            return None
        candidates = {
            (official, code)
            for end in ("<" + name[:3], name[-3:] + ">")
            for k, official, code in self.by_end.get(end, ())
            if k == kind or (not kind and self.by_name.get(official) == code)
        }
        best: list[str] = []
        best_distance = limit + 1
        for official, code in sorted(candidates):
            allowed = min(limit, _allowed(official))
            d = _distance(name, official, allowed) if allowed else allowed + 1
            if d > allowed:
                continue
            if d < best_distance:
                best, best_distance = [code], d
            elif d == best_distance:
                best.append(code)
        return best[0] if len(best) == 1 else None
