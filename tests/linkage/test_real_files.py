"""Outside lists as banks and offices export them (issue 28 §1): read as written, through the shared
decoding and the header line's delimiter, never DuckDB's guess from a sample."""

from __future__ import annotations

import io
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


def test_a_bank_export_with_nik_dot_zero_pw_sex_and_times_matches_and_a_relatives_nik_does_not(
    world: dict[str, Any], tmp_path: Path
) -> None:
    """Issue 28 §2, §4: a NIK exported from a number cell ("….0"), sex coded P/W (Pria/Wanita), birth
    dates with the export's "0:00"; and a borrower carrying a relative's NIK under their own name is
    never settled by the exact-NIK stage."""
    import csv
    import io
    import json

    from django.core.management import call_command

    from paritrana.demo.synth.load import synth_run
    from paritrana.linkage.models import LinkRun, Match
    from paritrana.registry.models import Person

    synth_run(persons=3_000, seed=12, provinces=["64"])
    man = Person.objects.filter(sex="L").exclude(nik=world["bpn_person"].nik).order_by("id").first()
    woman = world["kukar_person"]
    assert man is not None
    relative = Person.objects.filter(sex=man.sex).exclude(pk=man.pk).order_by("id").first()
    assert relative is not None
    rows = [
        ["NO_KTP", "NAMA_DEBITUR", "TGL_LAHIR", "JENIS_KELAMIN"],
        [f"{man.nik}.0", man.full_name.upper(), f"{man.birth_date:%d/%m/%Y} 0:00", "P"],  # P = Pria here
        [f"{woman.nik}.0", woman.full_name, f"{woman.birth_date:%d/%m/%Y} 0:00", "W"],
        # The relative's NIK with another person's own name: not this NIK's holder.
        [relative.nik, "Zulkarnaen Pratamaputra", f"{relative.birth_date:%d/%m/%Y}", "P"],
    ]
    path = tmp_path / "debitur-kur.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    out = io.StringIO()
    call_command("link", "run", "--list", str(path), "--kind", "kur", stdout=out)
    run = LinkRun.objects.get(pk=json.loads(out.getvalue())["run"])
    by_line = {m.listed.line: m for m in Match.objects.filter(run=run).select_related("listed")}
    assert (by_line[2].person_id, by_line[2].stage) == (man.pk, "nik")
    assert (by_line[3].person_id, by_line[3].stage) == (woman.pk, "nik")
    assert by_line[4].stage != "nik" and by_line[4].person_id != relative.pk


def test_a_bank_export_uploaded_through_the_page_is_read_as_written(world: dict[str, Any], tmp_path: Path) -> None:
    """Issue 28 §1–2 through the page (`/pencocokan/`): a Windows export (Windows-1252, CRLF), NIKs kept as
    text with an apostrophe or a trailing ".0", a bar inside a name, a regency as an ID card writes
    it and one misspelt; each listed person stored as written, with its file line."""
    from django.test import Client

    rows = [
        "NO_KTP;NAMA_DEBITUR;TGL_LAHIR;JK;KAB_KOTA",
        "'6402015708900001;Nur’aini | Dédé;17/08/1990 0:00;W;KAB. KUTAI KARTANEGARA",
        "6402015708900002.0;Sri Wahyuni;17/08/1990;W;Kab. Kutai Kertanegara",
        "6471011708850003;Budi Santoso;17-08-1985;P;KOTA BALIKPAPAN",
    ]
    content = ("\r\n".join(rows) + "\r\n").encode("cp1252")
    admin = Client()
    admin.force_login(world["users"]["admin"])
    upload = io.BytesIO(content)
    upload.name = "debitur-bank.csv"
    answer = admin.post("/pencocokan/", {"file": upload, "kind": "kur", "bank": "BPD Kaltim"})
    assert answer.status_code == 302, answer.content.decode()[:500]
    listed = ListedPerson.objects.filter(list__origin="debitur-bank.csv")
    people = {p.line: p for p in listed}
    assert sorted(people) == [2, 3, 4]
    assert people[2].name_raw == "Nur’aini | Dédé" and people[2].nik_raw == "'6402015708900001"
    assert people[3].nik_raw == "6402015708900002.0" and people[4].name_raw == "Budi Santoso"
    # Regencies as written on ID cards and by bank systems, one misspelt by a letter.
    assert [people[n].regency_code for n in (2, 3, 4)] == ["64.02", "64.02", "64.71"]


def test_a_title_above_a_bank_export_is_not_taken_for_its_header(world: dict[str, Any], tmp_path: Path) -> None:
    """Issue 28 §1: an export with the bank's title and the report date above its table; the header
    is the first row naming a name column, and each listed person keeps its line in the file."""
    rows = [
        "LAPORAN DEBITUR KUR BANK BPD KALTIM",
        "Periode: Desember 2026",
        "",
        "No;NIK Nasabah;Nama Nasabah;Tgl Lahir;Jenis Kelamin (L/P)",
        "1;6402015708900001;Nur Aini;17/08/1990;P",
        "2;6402015708900002;Sri Wahyuni;17/08/1990;P",
    ]
    path = tmp_path / "laporan.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    people = _import(path)
    assert sorted(people) == [5, 6]
    assert (people[5].nik_raw, people[5].name_raw, people[5].sex_raw) == ("6402015708900001", "Nur Aini", "P")
    assert people[6].name_raw == "Sri Wahyuni"


def test_sex_cells_are_read_as_enrolment_reads_them() -> None:
    """Issue 28 §2: "Laki - laki", "laki-laki", "PEREMPUAN ", "2" are the codes enrolment knows, in a
    list to match as in a list to enrol; P is a woman unless the column is coded P/W."""
    from datetime import date

    import duckdb

    from paritrana.linkage.batch import link as engine

    duck = duckdb.connect()
    cells = ["Laki - laki", "laki-laki", "PEREMPUAN ", "2", "P", "?"]
    duck.execute(
        "CREATE TABLE list_raw AS SELECT i::VARCHAR AS uid, '' AS nik_raw, 'Ani' AS name_raw, "
        "'' AS birth_raw, s AS sex_raw, '' AS regency_code FROM (SELECT unnest(?) AS s, "
        "generate_subscripts(?, 1) AS i)",
        [cells, cells],
    )
    engine.load_list_from(duck, "list_raw", today=date(2026, 12, 6))
    got = dict(duck.execute("SELECT uid, sex FROM listed").fetchall())
    assert [got[i] for i in range(1, 7)] == ["L", "L", "P", "P", "P", None]
