"""Every code a bulk list's report stores has a name people read (issue 27 §6)."""

from __future__ import annotations

import re
from pathlib import Path

from paritrana.enrolment.rules.problems import PROBLEM_LABELS, column_header, problem_label

SQL = (Path(__file__).resolve().parents[3] / "paritrana" / "enrolment" / "batch" / "enrol.sql").read_text()


def test_every_stored_code_has_an_indonesian_label() -> None:
    # The code table's third column, and the codes the duplicate and registry checks insert.
    table = set(re.findall(r"\('[a-z_]+', '[a-z_]+', '([a-z_]+)'\)", SQL))
    inserted = set(re.findall(r"SELECT [^;]*?, '[a-z_]+', '([a-z_]+)',", SQL))
    codes = table | inserted
    assert {"required", "nik_format", "nik_duplicate_in_file", "person_mismatch"} <= codes
    assert codes - set(PROBLEM_LABELS) == set()


def test_fields_are_named_by_the_templates_headers() -> None:
    assert (column_header("village_code"), column_header("declared_income")) == (
        "Kode Desa/Kelurahan",
        "Penghasilan (BPU)",
    )
    assert problem_label("unheard_of_code") == "unheard of code"
