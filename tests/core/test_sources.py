"""Sources as people read them (issue 27 §6): no project file names, certainty marks or link keys."""

from __future__ import annotations

import pytest

from paritrana.core.rules.sources import public_source


@pytest.mark.parametrize(
    ("note", "said"),
    [
        ("setkab; mediapakuan pr-631705829 [O]", "Sekretariat Kabinet; Media Pakuan"),
        ("BPS Sakernas Agustus 2022 (data-sources.md)", "BPS Sakernas Agustus 2022"),
        ("setkab.go.id 31 Mar 2021 (regulation.md §5)", "setkab.go.id 31 Mar 2021"),
        ("flipbuilder gwar p.173 [O]", "publikasi daring"),
        ("kompas 11 Nov 2021; mediapakuan; suaratanjab [O]", "Kompas 11 Nov 2021; Media Pakuan; Suara Tanjab"),
        ("seputarpabrik.com 2018/12 (regulation.md §2.3)", "seputarpabrik.com 2018/12"),
        ("RPJMN 2020–2024 [S/U]", "RPJMN 2020–2024"),
    ],
)
def test_a_source_note_reads_as_a_source(note: str, said: str) -> None:
    assert public_source(note) == said


def test_no_stored_source_shows_a_project_file_or_a_mark_after_cleaning() -> None:
    import csv
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "paritrana" / "coverage" / "data"
    for name in ("denominators.csv", "targets.csv", "inpres.csv", "instructions.csv"):
        with (data / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                cleaned = public_source(row["source"])
                assert ".md" not in cleaned and "[" not in cleaned and "pr-" not in cleaned, (name, row["source"])
