"""Matching a bank export made the way real ones are (issue 28 §4, §5), through the CLI.

The list comes from ``synth-list``'s ``real`` profile: the hard profile's damage plus what real
office and bank exports carry (NIK cells with an apostrophe, a ``.0``, a no-break space or dashes, or
turned into ``3.17116E+15``; a relative's NIK; year-only birth dates, a year's slip, times and
spreadsheet serials; neither NIK nor birth date; family name first; Pria/Wanita; regencies as on ID
cards or misspelt). Each row's damages are known, so recall is measured per family, beside the
exact-NIK lookup on the same rows, and nothing is assumed.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from paritrana.demo.synth.load import synth_run
from paritrana.demo.synth.outside_lists import families_path, generate_list, scores_by_family
from paritrana.linkage.models import Candidate, LinkModel, LinkRun, Match

from .cli import link_cli

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _lines_with(path: Path, family: str) -> list[int]:
    with families_path(path).open(newline="") as f:
        return [int(row["BARIS"]) for row in csv.DictReader(f) if family in row["DERAU"].split()]


@pytest.fixture
def real_list(world: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    synth_run(persons=8_000, seed=11, provinces=["64", "65"])
    path = tmp_path / "kur-bank.csv"
    made = generate_list(path, records=2_000, profile="real", seed=23)
    report = link_cli("run", "--list", str(path), "--kind", "kur", "--truth", "NIK_SEBENARNYA", "--json")
    run = LinkRun.objects.get(pk=report["run"])
    return {"path": path, "made": made, "report": report, "run": run}


def test_a_real_bank_export_is_matched_family_by_family(real_list: dict[str, Any]) -> None:
    report, run = real_list["report"], real_list["run"]
    assert report["records"] == 2_000
    families = scores_by_family(run.pk, run.list_id, real_list["path"])
    print(json.dumps(families, indent=1))  # shown on failure: the per-family table
    overall = families["all"]
    assert overall["registered"] == real_list["made"]["registered"]
    # Small registries teach the model less than a national one; the bar is still well above the
    # exact-NIK lookup, which misses every damaged NIK.
    assert overall["precision"] >= 0.98
    assert overall["recall"] >= 0.93
    assert overall["recall"] >= overall["exact_nik_recall"] + 0.1
    # NIK cells as spreadsheets write them are the NIK: the run finds them as the lookup on clean
    # digits would, and a relative's NIK never gives the relative.
    for family in ("nik_apostrophe", "nik_float", "nik_nbsp", "nik_separators"):
        assert families[family]["registered"] >= 5, family
        assert families[family]["recall"] >= 0.9, (family, families[family])
    # Where the lookup cannot help (no usable NIK, or not the person's own), the model still finds
    # most; where the NIK is exact and the date an office's habit, the NIK wins. The floors leave room
    # for the sample: which registered persons a list draws depends on the registry's row ids, which
    # other tests move, and a family holds 15 to 50 registered rows here (seen, on seeds 23–26 and in
    # a clean clone: relative 0.69–0.93, scientific 0.87–0.96, year slip 0.76–0.95, reversed 0.90–0.98,
    # year only 0.93–1.00, ID-card regency 0.96–0.98).
    for family, floor in (
        ("nik_scientific", 0.6),
        ("nik_relative", 0.5),
        ("name_reversed", 0.75),
        ("birth_year_only", 0.75),
        ("birth_year_off", 0.6),
        ("regency_ktp", 0.9),
    ):
        assert families[family]["registered"] >= 5, family
        assert families[family]["recall"] >= floor, (family, families[family])
    # A relative's NIK matches the relative only with a name that agrees too; the family holds 10–20
    # matches here, so one wrong among them is within the sample (seen in a clean clone on 2026-12-07:
    # 15 right of 16, 0.9375, where earlier runs of the same code gave 1.0).
    assert families["nik_relative"]["precision"] >= 0.9, families["nik_relative"]
    # Neither NIK nor birth date: a name and a regency rarely settle a person alone, but blocking on
    # them puts the person in front of a clerk (a candidate of a review) or matches them.
    lines = _lines_with(real_list["path"], "no_nik_no_birth")
    rows = Match.objects.filter(run=run, listed__line__in=lines).exclude(listed__truth="").select_related("listed")
    assert rows.count() >= 5
    seen = sum(
        1
        for m in rows
        if (m.decision == "match" and m.person is not None and m.person.nik == m.listed.truth)
        or Candidate.objects.filter(match=m, person__nik=m.listed.truth).exists()
    )
    # Seen on seeds 23–27: 54–78 % (the rest carry a misspelt name, a moved or missing regency too).
    assert seen / rows.count() >= 0.4, (seen, rows.count())
    # A row carrying a relative's NIK is never answered by that NIK's holder.
    wrong = Match.objects.filter(run=run, decision="match", stage="nik").exclude(person__nik="")
    for m in wrong.select_related("listed", "person"):
        assert m.listed.truth in ("", m.person.nik), (m.listed.line, m.listed.name_raw, m.person.full_name)


def test_the_same_file_and_registry_give_the_same_model_weights_and_decisions(real_list: dict[str, Any]) -> None:
    """Issue 28 §4: two runs that each train afresh on the same list and registry agree exactly."""
    first = real_list["run"]
    again = LinkRun.objects.get(pk=link_cli("rerun", str(first.list_id), "--retrain")["run"])
    assert again.model_id != first.model_id
    models = LinkModel.objects.filter(pk__in=[first.model_id, again.model_id]).order_by("version")
    levels = [
        [
            (lv.get("label_for_charts"), lv.get("m_probability"), lv.get("u_probability"))
            for c in m.settings_json["comparisons"]
            for lv in c["comparison_levels"]
        ]
        for m in models
    ]
    assert levels[0] == levels[1]

    def answers(run: LinkRun) -> dict[int, tuple[str, int | None, float | None]]:
        return {
            m.listed_id: (m.decision, m.person_id, m.weight)
            for m in Match.objects.filter(run=run).only("listed_id", "decision", "person_id", "weight")
        }

    assert answers(first) == answers(again)
