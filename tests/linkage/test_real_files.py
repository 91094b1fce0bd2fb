"""Outside lists as banks and offices export them (issue 28 §1): read as written, through the shared
decoding and the header line's delimiter, never DuckDB's guess from a sample."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paritrana.core.actors import system_actor
from paritrana.linkage import services
from paritrana.linkage.models import ListedPerson

pytestmark = pytest.mark.django_db


def _import(path: Path) -> dict[int, ListedPerson]:
    listed = services.list_import(
        actor=system_actor(), path=path, file_name=path.name, kind="kur", bank="BRI", channel="cli"
    )
    return {p.line: p for p in ListedPerson.objects.filter(list_id=listed.pk)}


def test_niks_kept_as_text_with_an_apostrophe_and_a_bar_inside_a_name(world: dict[str, Any], tmp_path: Path) -> None:
    rows = ["NIK,NAMA,TGL_LAHIR,JK,KABUPATEN"] + [
        f"'64020157089{i:05d},Debitur {i},17/08/1990,P,KUTAI KARTANEGARA" for i in range(10)
    ]
    rows.append("6402015708900777,Putri | Sari,17/08/1990,P,KUTAI KARTANEGARA")
    path = tmp_path / "debitur.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    people = _import(path)
    assert len(people) == 11
    assert people[2].name_raw == "Debitur 0" and people[2].nik_raw.lstrip("'") == "6402015708900000"
    assert people[12].name_raw == "Putri | Sari" and people[12].nik_raw == "6402015708900777"


def test_a_windows_export_with_a_byte_order_mark_elsewhere_is_read_in_its_encoding(
    world: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "prakerja.csv"
    path.write_bytes(("NIK;NAMA;TGL_LAHIR\n6402015708900003;Nur’aini Dédé;17/08/1990\n" * 1).encode("cp1252"))
    people = _import(path)
    assert people[2].name_raw == "Nur’aini Dédé"
