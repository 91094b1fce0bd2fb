"""Reading a list's header row as offices write it: the template's headers, their aliases, and the
uploader's own mapping; what cannot be placed is said, not guessed."""

from paritrana.enrolment.rules.columns import REQUIRED, header_key, map_headers


def test_header_keys_ignore_case_spaces_and_punctuation() -> None:
    # A note in brackets is the office's reminder, not the column's name (issue 28).
    assert header_key("Tgl. Lahir (DD/MM/YYYY)") == header_key("Tgl Lahir") == "tgllahir"
    assert map_headers(
        ["NIK (16 digit)", "Nama (sesuai KTP)", "Tgl. Lahir (DD/MM/YYYY)", "Jenis Kelamin (L/P)"]
    ).positions == {"nik": 0, "full_name": 1, "birth_date": 2, "sex": 3}
    assert header_key("  NO KTP ") == header_key("no_ktp") == "noktp"


def test_template_headers_and_aliases_find_their_fields() -> None:
    found = map_headers(["NIK", "Nama Lengkap", "Tanggal Lahir", "Jenis Kelamin", "Keterangan"])
    assert found.positions["nik"] == 0 and found.positions["sex"] == 3
    assert found.ignored == ("Keterangan",)
    aliases = map_headers(["No KTP", "Nama", "Tgl Lahir", "L/P"])
    assert [aliases.positions[f] for f in ("nik", "full_name", "birth_date", "sex")] == [0, 1, 2, 3]


def test_missing_repeated_and_unknown_targets_are_reported() -> None:
    found = map_headers(["NIK", "No KTP", "Nama"], {"Kolom X": "salary"})
    assert found.repeated == ("nik",)  # two headers for one field: the first is used, the second said
    assert set(found.missing) == set(REQUIRED) - {"nik", "full_name"}
    assert found.unknown_targets == ("salary",)


def test_the_uploaders_mapping_comes_first() -> None:
    assert map_headers(["Nomor Induk", "Nama"]).ignored == ("Nomor Induk",)
    found = map_headers(["Nomor Induk", "Nama"], {"Nomor Induk": "nik"})
    assert found.positions == {"nik": 0, "full_name": 1} and found.ignored == ()
