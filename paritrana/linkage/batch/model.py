"""The Splink model: columns compared, blocking, training (capped) and its saved form.

Comparisons follow data-sources.md § NIK and § Names:

- the NIK is compared whole, and its serial (the last four digits) on its own, never by edit
  distance: in a dense registry a one-digit typo often lands on another real person's NIK, and the
  first twelve digits repeat the region, birth date and sex compared on their own, so a level for
  "region and birth part agree" would count that evidence twice. A single slip is recognised part
  by part: two parts equal and the third one edit away (a typo lands in one part);
- names are compared on the matching key of ``rules.names`` with term-frequency adjustment (a
  "Siti Aminah" agreeing says less than a "Tiurma Sihombing" agreeing);
- the birth date recognises a swapped day and month as its own level.

The same settings are written for two engines (``DIALECTS``): DuckDB on one machine and Spark for
the scale-out path (``batch.spark``). Only the few list and date functions differ; a model trained on
one engine is carried to the other by ``for_dialect``, which keeps every probability.

Blocking generates candidate pairs from the list's residual (persons the exact-NIK stage did not
settle) against the whole registry; every rule is an equality join, so the work is a set of hash
joins, not a scan per person.
"""

from __future__ import annotations

import math
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

# Candidate pairs: each rule catches a kind of damage the others miss.
BLOCKING_RULES: list[Any] = [
    block_on("nik"),  # NIK right, birth date or sex typed wrong
    block_on("birth_date", "name_first"),  # NIK missing or wrong
    block_on("birth_date", "name_last"),  # … and the first name misspelt or dropped
    # Day and month swapped. Either side may be the list (the engine picks the order of the pair),
    # so the rule is written both ways: each is an equality join, where one OR would not be.
    "l.birth_swapped = r.birth_date AND l.name_first = r.name_first",
    "r.birth_swapped = l.birth_date AND l.name_first = r.name_first",
    block_on("nik_region", "nik_serial"),  # a typo in the NIK's birth part
    block_on("nik_region", "nik_born"),  # a typo in the serial
    block_on("nik_born", "nik_serial"),  # a typo in the region part
    # No NIK and a typo in the day or month, or only the year known; the words in any order.
    block_on("name_sorted", "regency_code", "birth_year"),
    # No NIK and the year a slip off (or mistyped): the same name born on the same day of the year.
    block_on("name_sorted", "birth_day_of_year"),
    # The family name written first ("EFFENDI ADI", "EFFENDI, ADI"): one side's first word is the
    # other's last (issue 28 §4). Both ways, as for the swapped date.
    "l.birth_date = r.birth_date AND l.name_first = r.name_last",
    "l.birth_date = r.birth_date AND l.name_last = r.name_first",
    # No birth date, and a NIK missing or not theirs: the name's words and the regency are all there
    # is. Only for such rows (the registry always has a birth date), so common names cost little.
    "l.birth_date IS NULL AND l.name_sorted = r.name_sorted AND l.regency_code = r.regency_code",
    "r.birth_date IS NULL AND l.name_sorted = r.name_sorted AND l.regency_code = r.regency_code",
]
# The NIK stage's pairs double as the training labels' source of truth in tests; the model itself
# is trained unsupervised (u by random sampling, m by expectation maximisation) on a capped sample.
TRAINING_SAMPLE = 100_000
U_MAX_PAIRS = 2_000_000


# The SQL that differs between the engines. Splink's Spark build registers damerau_levenshtein and
# jaro_winkler from its Scala UDF jar; DuckDB has list functions where Spark has array functions.
DIALECTS: dict[str, dict[str, str]] = {
    "duckdb": {
        "same_tokens": "list_sort(name_tokens_l) = list_sort(name_tokens_r)",
        "token_dropped": "list_has_all(name_tokens_l, name_tokens_r) OR list_has_all(name_tokens_r, name_tokens_l)",
        "token_shared": "len(list_intersect(name_tokens_l, name_tokens_r)) >= 1"
        " AND jaro_winkler_similarity(name_key_l, name_key_r) >= 0.8",
        "within_year": "abs(datediff('day', birth_date_l, birth_date_r)) <= 366",
    },
    "spark": {
        "same_tokens": "array_sort(name_tokens_l) = array_sort(name_tokens_r)",
        "token_dropped": "size(array_except(name_tokens_r, name_tokens_l)) = 0"
        " OR size(array_except(name_tokens_l, name_tokens_r)) = 0",
        "token_shared": "arrays_overlap(name_tokens_l, name_tokens_r) AND jaro_winkler(name_key_l, name_key_r) >= 0.8",
        "within_year": "abs(datediff(birth_date_l, birth_date_r)) <= 366",
    },
}


def _nik_comparison() -> Any:
    return cl.CustomComparison(
        output_column_name="nik",
        comparison_levels=[
            cll.Or(cll.NullLevel("nik"), cll.NullLevel("nik")),
            cll.ExactMatchLevel("nik").configure(label_for_charts="NIK sama", m_probability=0.6, u_probability=1e-7),
            cll.CustomLevel(
                "(nik_region_l = nik_region_r AND nik_born_l = nik_born_r"
                " AND damerau_levenshtein(nik_serial_l, nik_serial_r) <= 1)"
                " OR (nik_region_l = nik_region_r AND nik_serial_l = nik_serial_r"
                " AND damerau_levenshtein(nik_born_l, nik_born_r) <= 1)"
                " OR (nik_born_l = nik_born_r AND nik_serial_l = nik_serial_r"
                " AND damerau_levenshtein(nik_region_l, nik_region_r) <= 1)",
                label_for_charts="satu salah ketik di satu bagian NIK",
            ).configure(m_probability=0.08, u_probability=1e-7),
            cll.ExactMatchLevel("nik_serial").configure(
                label_for_charts="nomor urut NIK sama", m_probability=0.03, u_probability=1e-4
            ),
            cll.ElseLevel(),
        ],
        comparison_description="NIK per bagian (wilayah, tanggal lahir, nomor urut)",
    )


def _name_comparison(sql: dict[str, str]) -> Any:
    return cl.CustomComparison(
        output_column_name="name_key",
        comparison_levels=[
            cll.NullLevel("name_key"),
            cll.ExactMatchLevel("name_key", term_frequency_adjustments=True).configure(label_for_charts="nama sama"),
            cll.CustomLevel(sql["same_tokens"], label_for_charts="kata nama sama, urutan beda").configure(
                m_probability=0.01, u_probability=1e-5
            ),
            cll.JaroWinklerLevel("name_key", 0.94).configure(label_for_charts="nama hampir sama (salah ketik)"),
            cll.CustomLevel(sql["token_dropped"], label_for_charts="satu kata nama hilang"),
            cll.CustomLevel(sql["token_shared"], label_for_charts="sebagian kata nama sama"),
            cll.ElseLevel(),
        ],
        comparison_description="nama (kunci pencocokan)",
    )


def _birth_date_comparison(sql: dict[str, str]) -> Any:
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date").configure(label_for_charts="tanggal lahir sama"),
            cll.CustomLevel(
                "birth_swapped_l = birth_date_r OR birth_swapped_r = birth_date_l",
                label_for_charts="tanggal dan bulan tertukar",
            ),
            # An office that knows only the year writes the first of January (issue 28 §4).
            cll.CustomLevel(
                "year(birth_date_l) = year(birth_date_r) AND ((month(birth_date_l) = 1 AND day(birth_date_l) = 1)"
                " OR (month(birth_date_r) = 1 AND day(birth_date_r) = 1))",
                label_for_charts="hanya tahun (1 Januari)",
            ),
            cll.CustomLevel(
                "year(birth_date_l) = year(birth_date_r) AND (month(birth_date_l) = month(birth_date_r)"
                " OR day(birth_date_l) = day(birth_date_r))",
                label_for_charts="tahun sama, hari atau bulan beda",
            ),
            cll.CustomLevel(sql["within_year"], label_for_charts="selisih paling lama setahun"),
            cll.ElseLevel(),
        ],
        comparison_description="tanggal lahir",
    )


def _region_comparison() -> Any:
    return cl.CustomComparison(
        output_column_name="regency_code",
        comparison_levels=[
            cll.NullLevel("regency_code"),
            cll.ExactMatchLevel("regency_code").configure(label_for_charts="kabupaten/kota sama"),
            cll.CustomLevel("left(regency_code_l, 2) = left(regency_code_r, 2)", label_for_charts="provinsi sama"),
            cll.ElseLevel(),
        ],
        comparison_description="kabupaten/kota",
    )


def settings(prior: float, dialect: str = "duckdb") -> SettingsCreator:
    """The model's settings for an engine (``DIALECTS``); ``prior`` is the probability that two
    random records (one listed, one registered) are the same person."""
    sql = DIALECTS[dialect]
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="uid",
        probability_two_random_records_match=prior,
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        comparisons=[
            _nik_comparison(),
            _name_comparison(sql),
            _birth_date_comparison(sql),
            cl.ExactMatch("sex").configure(term_frequency_adjustments=False),
            _region_comparison(),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        additional_columns_to_retain=[],
    )


# EM passes: each blocks on fields whose parameters it then leaves alone (Splink fixes the
# blocked-on comparisons in that pass), so together they estimate every comparison.
EM_BLOCKS = [
    block_on("nik"),
    block_on("birth_date", "name_first"),
]


# No evidence is absolute: a typo can make any field disagree for the same person, and training on a
# sample can see a level for one person only by chance. Probabilities are kept off zero and one.
M_FLOOR = 0.002
U_FLOOR = 1e-8


def floored(model: dict[str, Any]) -> dict[str, Any]:
    """The model with each comparison's m and u probabilities floored, renormalised and rounded."""
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for key, floor in (("m_probability", M_FLOOR), ("u_probability", U_FLOOR)):
            values = [max(float(lv.get(key) or floor), floor) for lv in levels]
            total = sum(values)
            for lv, value in zip(levels, values, strict=True):
                # Nine significant digits: EM sums in whatever order the engine's threads finish, so
                # two trainings on the same data differ in the last bits; rounded, they are the same
                # model, and the same file against the same registry gets the same weights (issue 28).
                lv[key] = float(f"{value / total:.9g}")
    return model


def level_weight(model: dict[str, Any], column: str, label: str | None = None) -> float | None:
    """The match weight the model gives a comparison's level (the one with ``label``, else the last,
    "all other comparisons"), as Splink computes it: a pair's ``mw_<column>`` equal to it says the
    pair is at that level. Splink keeps the levels themselves only with every compared column, too
    heavy for millions of pairs."""
    for comparison in model.get("comparisons", []):
        if comparison.get("output_column_name") != column:
            continue
        levels = comparison["comparison_levels"]
        found = [lv for lv in levels if lv.get("label_for_charts") == label] if label else levels[-1:]
        if not found or found[0].get("is_null_level"):
            return None
        m, u = float(found[0].get("m_probability") or 0), float(found[0].get("u_probability") or 0)
        return math.log2(m / u) if m and u else None
    return None


def names_differ_sql(model: dict[str, Any], columns: list[str]) -> str:
    """SQL true for a scored pair whose names share nothing (the name comparison's last level),
    unless both the NIK and the birth date are the same: ``decide`` never makes such a pair a match
    (issue 28 §4). A relative's NIK comes with another birth date; a neighbour born the same day in
    the same district has the next serial, one digit off. Valid in DuckDB and Spark alike."""
    name_else = level_weight(model, "name_key")
    if name_else is None or "mw_name_key" not in columns:
        return "false"
    differ = f"abs(mw_name_key - ({name_else!r})) < 1e-9"
    nik_same = level_weight(model, "nik", "NIK sama")
    born_same = level_weight(model, "birth_date", "tanggal lahir sama")
    if nik_same is not None and born_same is not None and {"mw_nik", "mw_birth_date"} <= set(columns):
        differ += f" AND NOT (abs(mw_nik - ({nik_same!r})) < 1e-9 AND abs(mw_birth_date - ({born_same!r})) < 1e-9)"
    return f"({differ})"


def for_dialect(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """A saved model rewritten for another engine: the SQL of every level from that engine's
    settings, the probabilities (and the prior) from the model. The levels correspond one to one."""
    if model.get("sql_dialect") == dialect:
        return model
    fresh = settings(float(model["probability_two_random_records_match"]), dialect).get_settings(dialect).as_dict()
    fresh["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    for target, source in zip(fresh["comparisons"], model["comparisons"], strict=True):
        for level, saved in zip(target["comparison_levels"], source["comparison_levels"], strict=True):
            if level.get("label_for_charts") != saved.get("label_for_charts"):
                raise ValueError(f"model level {saved.get('label_for_charts')!r} has no counterpart in {dialect}")
            for key in ("m_probability", "u_probability"):
                if key in saved:
                    level[key] = saved[key]
    for key, value in model.items():
        if key not in fresh:
            fresh[key] = value
    return fresh
