"""A source as people read it (issue 27 §6): the project's own notes on where a figure came from carry
file names ("data-sources.md"), certainty marks ("[O]", "[U]") and link keys ("pr-631705829") that
are for the team, not for a regency officer or a PDF sent to the President. Pure."""

from __future__ import annotations

import re

# The outlets as the notes abbreviate them, by their names.
OUTLETS = {
    "setkab": "Sekretariat Kabinet",
    "mediapakuan": "Media Pakuan",
    "antara sumut": "Antara Sumut",
    "observerid": "Observer ID",
    "suaratanjab": "Suara Tanjab",
    "flipbuilder gwar": "publikasi daring",
    "kompas": "Kompas",
}
_PROJECT_FILE = re.compile(r"\s*\([^()]*\.md\b[^()]*\)")
_MARK = re.compile(r"\s*\[[A-Z](?:/[A-Z])*\]")
_LINK_KEY = re.compile(r"\s*\b(?:pr-\d+|p\.\d+)\b")
_OUTLET = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(OUTLETS, key=len, reverse=True)) + r")\b(?![.\w])")


def public_source(text: str) -> str:
    """``text`` without the project's file names, certainty marks and link keys, outlets named.

    >>> public_source("setkab; mediapakuan pr-631705829 [O]")
    'Sekretariat Kabinet; Media Pakuan'
    >>> public_source("BPS Sakernas Agustus 2022 (data-sources.md)")
    'BPS Sakernas Agustus 2022'
    >>> public_source("setkab.go.id 31 Mar 2021 (regulation.md §5)")
    'setkab.go.id 31 Mar 2021'
    """
    cleaned = _LINK_KEY.sub("", _MARK.sub("", _PROJECT_FILE.sub("", text or "")))
    cleaned = _OUTLET.sub(lambda m: OUTLETS[m.group(1)], cleaned)
    cleaned = re.sub(r"\s*;\s*(;\s*)*", "; ", cleaned)
    return re.sub(r"\s{2,}", " ", cleaned).strip(" ;")
