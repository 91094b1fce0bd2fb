"""The matching pipeline, set-based in DuckDB beside PostgreSQL.

1. **Registry** (persons: id, NIK, name, birth date, sex, regency) and **list** are copied out of
   PostgreSQL with ``COPY … TO STDOUT`` into DuckDB. Names are normalised once per distinct written
   name with ``rules.names.name_key`` (the synthetic registry of 10,000,000 has 14,019 distinct
   names), birth dates once per distinct written date with ``rules.dates``; the NIK is cleaned in
   SQL the way ``rules.decide.clean_nik`` does.
2. **Exact NIK**: a listed NIK equal to a registered one, with sex agreeing (or not given), the
   name agreeing and the birth date as registered (or as offices change it: the year alone, a year's
   slip, day and month swapped), settles the person without a model.
3. **Splink** on the rest: candidate pairs by equality blocking (``model.BLOCKING_RULES``), scored
   by the Fellegi–Sunter model; prediction runs in chunks of the list so memory stays bounded, and
   pairs below the review threshold are dropped as they are made.
4. **Decision** per listed person in SQL (the same rule as ``rules.decide.decide``): match, review,
   ambiguous or none.

The caller writes the decisions back to PostgreSQL (``services``) and works out the outcomes there.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from paritrana.core.rules.cells import FEMALE_CODES, MALE_CODES

from ..rules.dates import parse_birth_date
from ..rules.decide import Thresholds
from ..rules.names import HONORIFICS, PATRONYMIC, PLAIN_NAME, name_key, word_tokens
from . import model as link_model

log = logging.getLogger("paritrana.linkage")

REGISTRY_SQL = """
COPY (
  SELECT id, nik, full_name, birth_date, sex, regency_code FROM registry_person {where}
) TO STDOUT (FORMAT csv)
"""
LIST_SQL = """
COPY (
  SELECT id, nik_raw, name_raw, birth_date_raw, sex_raw, regency_code FROM linkage_listedperson
  WHERE list_id = %s
) TO STDOUT (FORMAT csv)
"""
# A scored pair, with whether its names share nothing while NIK and birth date are not both the same
# (``model.names_differ_sql``): such a pair is never a match on the weight of the rest (``decide``).
PAIRS_COLUMNS = "listed_id BIGINT, person_id BIGINT, match_weight DOUBLE, evidence VARCHAR, names_differ BOOLEAN"
# Listed persons per prediction chunk: bounds the pairs held at once. Each chunk also pays for the
# registry's union and term frequencies (some 10 s at 10,000,000), so chunks are no smaller than the
# memory limit needs: a million-row list's residual (about 350,000) is one chunk.
PREDICT_CHUNK = 500_000
MIN_TRAINING = 200  # unsettled persons needed to train a model when none is saved
Progress = Callable[[str, float], None]


@dataclass
class Stage:
    name: str
    seconds: float
    rows: int | None = None


@dataclass
class LinkOutput:
    """What a run found, before it is written back."""

    records: int
    exact: int
    residual: int
    pairs: int
    model_json: dict[str, Any]
    stages: list[Stage] = field(default_factory=list)


def open_duck(workdir: Path, *, memory_limit: str = "8GB", threads: int | None = None) -> duckdb.DuckDBPyConnection:
    workdir.mkdir(parents=True, exist_ok=True)
    # In memory, spilling to the working folder past the limit: a run's tables live for the run
    # only, and writing them to a database file cost more than computing them (10,000,000
    # registered persons: the normalised registry took 11.3 s to a file, 3.6 s in memory).
    duck = duckdb.connect(":memory:")
    duck.execute(f"SET memory_limit = '{memory_limit}'")
    duck.execute(f"SET temp_directory = '{workdir / 'spill'}'")
    duck.execute("SET preserve_insertion_order = false")
    if threads:
        duck.execute(f"SET threads = {int(threads)}")
    return duck


def copy_out(pg_cursor: Any, sql: str, params: Iterable[Any], path: Path) -> None:
    """``COPY … TO STDOUT`` from PostgreSQL into a file."""
    with path.open("wb") as out, pg_cursor.copy(sql, params) as copy:
        for chunk in copy:
            out.write(chunk)


def copy_in(pg_cursor: Any, table: str, columns: str, path: Path) -> None:
    """A CSV file into a PostgreSQL table with ``COPY … FROM STDIN``."""
    with path.open("rb") as data, pg_cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
        while block := data.read(1 << 20):
            copy.write(block)


def _normalise_names(duck: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    """Add name_key/name_tokens/name_first/name_last/name_sorted to ``table`` from each distinct written
    name; name_sorted is the words in alphabetical order, the same for "EFFENDI ADI" and "Adi Effendi".

    Names of letters and single spaces (nearly all of a registry's) are read word by word in SQL,
    each distinct word once through ``word_tokens``; the rest through ``name_key`` (tests hold the
    two to the same key for every name). At 10,000,000 registered persons with 1,870,000 distinct
    names, Python alone took 11 s here."""
    plain = f"regexp_full_match({column}, '{PLAIN_NAME}')"
    duck.execute(
        f"CREATE OR REPLACE TEMP TABLE names_plain AS SELECT DISTINCT {column} AS raw FROM {table} WHERE {plain}"
    )
    split = "SELECT DISTINCT unnest(string_split(lower(raw), ' ')) FROM names_plain"
    words = [w for (w,) in duck.execute(split).fetchall()]
    duck.register(
        "words_arrow",
        pa.table({"w": pa.array(words, type=pa.string()),
                  "toks": pa.array([list(word_tokens(w)) for w in words], type=pa.list_(pa.string()))}),
    )  # fmt: skip
    honorifics = ", ".join(f"'{h}'" for h in sorted(HONORIFICS))
    patronymics = ", ".join(f"'{p}'" for p in sorted(PATRONYMIC))
    # As name_key: honorifics dropped unless nothing else is left; the words from a patronymic on
    # ("bin Yusuf") dropped unless it comes first; then each word's tokens in order.
    duck.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE names_sql AS
        WITH kept AS (
          SELECT raw,
                 coalesce(nullif(list_filter(words, lambda w: NOT list_contains([{honorifics}], w)), []), words) AS kept
          FROM (SELECT raw, string_split(lower(raw), ' ') AS words FROM names_plain)
        ), cut AS (
          SELECT raw, kept[1:coalesce(list_filter(list_transform(kept,
                   lambda w, i: CASE WHEN i > 1 AND list_contains([{patronymics}], w) THEN i - 1 END),
                   lambda x: x IS NOT NULL)[1], len(kept))] AS kept
          FROM kept
        ), word AS (
          SELECT raw, unnest(kept) AS w, generate_subscripts(kept, 1) AS i FROM cut
        )
        SELECT word.raw, flatten(list(a.toks ORDER BY word.i)) AS t
        FROM word JOIN words_arrow a ON a.w = word.w
        GROUP BY word.raw
        """
    )
    duck.unregister("words_arrow")
    other = duck.execute(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL AND NOT {plain}").fetchall()
    rows = []
    for (raw,) in other:
        key = name_key(raw)
        rows.append(
            (raw, key.key or None, list(key.tokens), key.first or None, key.last or None,
             " ".join(sorted(key.tokens)) or None)
        )  # fmt: skip
    arrow = pa.table(
        {
            "raw": pa.array([r[0] for r in rows], type=pa.string()),
            "k": pa.array([r[1] for r in rows], type=pa.string()),
            "t": pa.array([r[2] for r in rows], type=pa.list_(pa.string())),
            "f": pa.array([r[3] for r in rows], type=pa.string()),
            "l": pa.array([r[4] for r in rows], type=pa.string()),
            "s": pa.array([r[5] for r in rows], type=pa.string()),
        }
    )
    duck.register("names_arrow", arrow)
    duck.execute(
        f"""
        CREATE OR REPLACE TABLE names_{table} AS
        SELECT raw, array_to_string(t, ' ') AS k, t, t[1] AS f, t[-1] AS l, array_to_string(list_sort(t), ' ') AS s
        FROM names_sql
        UNION ALL
        SELECT * FROM names_arrow
        """
    )
    duck.unregister("names_arrow")
    duck.execute("DROP TABLE names_plain; DROP TABLE names_sql")
    return int(duck.execute(f"SELECT count(*) FROM names_{table}").fetchone()[0])  # type: ignore[index]


def load_registry(duck: duckdb.DuckDBPyConnection, pg_cursor: Any, workdir: Path, *, where: str = "") -> int:
    path = workdir / "registry.csv"
    copy_out(pg_cursor, REGISTRY_SQL.format(where=where), (), path)
    duck.execute(
        f"""
        CREATE OR REPLACE TABLE registry_raw AS
        SELECT * FROM read_csv('{path}', header = false, columns = {{
          'uid': 'BIGINT', 'nik': 'VARCHAR', 'full_name': 'VARCHAR', 'birth_date': 'DATE', 'sex': 'VARCHAR',
          'regency_code': 'VARCHAR'}})
        """
    )
    path.unlink()
    _normalise_names(duck, "registry_raw", "full_name")
    duck.execute(
        """
        CREATE OR REPLACE TABLE registry AS
        SELECT r.uid, r.nik, left(r.nik, 6) AS nik_region, substr(r.nik, 7, 6) AS nik_born,
               right(r.nik, 4) AS nik_serial, n.k AS name_key, n.t AS name_tokens, n.f AS name_first,
               n.l AS name_last, n.s AS name_sorted, r.birth_date, NULL::DATE AS birth_swapped,
               year(r.birth_date) AS birth_year, strftime(r.birth_date, '%m-%d') AS birth_day_of_year,
               r.sex, r.regency_code
        FROM registry_raw r LEFT JOIN names_registry_raw n ON n.raw = r.full_name
        """
    )
    duck.execute("DROP TABLE registry_raw")
    return int(duck.execute("SELECT count(*) FROM registry").fetchone()[0])  # type: ignore[index]


def load_list(duck: duckdb.DuckDBPyConnection, pg_cursor: Any, list_id: int, workdir: Path, *, today: date) -> int:
    path = workdir / "list.csv"
    copy_out(pg_cursor, LIST_SQL, (list_id,), path)
    duck.execute(
        f"""
        CREATE OR REPLACE TABLE list_raw AS
        SELECT * FROM read_csv('{path}', header = false, all_varchar = true, columns = {{
          'uid': 'VARCHAR', 'nik_raw': 'VARCHAR', 'name_raw': 'VARCHAR', 'birth_raw': 'VARCHAR',
          'sex_raw': 'VARCHAR', 'regency_code': 'VARCHAR'}})
        """
    )
    path.unlink()
    load_list_from(duck, "list_raw", today=today)
    return int(duck.execute("SELECT count(*) FROM listed").fetchone()[0])  # type: ignore[index]


def load_list_from(duck: duckdb.DuckDBPyConnection, table: str, *, today: date) -> None:
    """Normalise a raw list table (uid, nik_raw, name_raw, birth_raw, sex_raw, regency_code) into
    ``listed``."""
    _normalise_names(duck, table, "name_raw")
    dates = duck.execute(f"SELECT DISTINCT birth_raw FROM {table} WHERE birth_raw IS NOT NULL").fetchall()
    parsed = [(raw, parse_birth_date(raw, today=today)) for (raw,) in dates]
    duck.register(
        "dates_arrow",
        pa.table({"raw": [p[0] for p in parsed], "born": pa.array([p[1] for p in parsed], type=pa.date32())}),
    )
    # The NIK's digits, after the ".0" a spreadsheet number exported as text carries (issue 28 §2).
    digits = "regexp_replace(regexp_replace(coalesce(l.nik_raw, ''), '[.,]0+\\s*$', ''), '[^0-9]', '', 'g')"
    # A column coded P/W is Pria/Wanita, where P is a man; elsewhere P is perempuan (as on the KTP).
    p_is_pria = bool(
        duck.execute(f"SELECT count(*) FROM {table} WHERE upper(trim(sex_raw)) = 'W'").fetchone()[0]  # type: ignore[index]
    )
    duck.execute(
        f"""
        CREATE OR REPLACE TABLE listed_nik AS
        SELECT l.*, {digits} AS d, dt.born AS birth_date FROM {table} l
        LEFT JOIN dates_arrow dt ON dt.raw = l.birth_raw
        """
    )
    duck.unregister("dates_arrow")
    year = today.year
    # The codes as enrolment reads them (core/rules/cells.py), on the cell's letters and digits only:
    # "Laki - laki", "laki-laki" and "LAKI LAKI" alike.
    male_codes = sorted(MALE_CODES | ({"P"} if p_is_pria else set()))
    female_codes = sorted(FEMALE_CODES - ({"P"} if p_is_pria else set()))
    male = ", ".join(f"'{c}'" for c in male_codes)
    female = ", ".join(f"'{c}'" for c in female_codes)
    duck.execute(
        f"""
        CREATE OR REPLACE TABLE listed AS
        WITH c AS (
          SELECT l.*,
            CASE WHEN length(d) = 16 AND right(d, 4) <> '0000' AND left(d, 2) <> '00'
                  AND try_cast(
                    (CASE WHEN 2000 + substr(d, 11, 2)::INT <= {year} THEN 2000 ELSE 1900 END
                      + substr(d, 11, 2)::INT)::VARCHAR || '-' || substr(d, 9, 2) || '-'
                      || lpad((substr(d, 7, 2)::INT - CASE WHEN substr(d, 7, 2)::INT > 40 THEN 40 ELSE 0 END)::VARCHAR,
                              2, '0')
                    AS DATE) IS NOT NULL
                 THEN d END AS nik
          FROM listed_nik l
        )
        SELECT c.uid::BIGINT AS uid, c.nik, left(c.nik, 6) AS nik_region, substr(c.nik, 7, 6) AS nik_born,
               right(c.nik, 4) AS nik_serial, n.k AS name_key, n.t AS name_tokens, n.f AS name_first,
               n.l AS name_last, n.s AS name_sorted, c.birth_date,
               CASE WHEN day(c.birth_date) <= 12 AND day(c.birth_date) <> month(c.birth_date)
                    THEN make_date(year(c.birth_date), day(c.birth_date), month(c.birth_date)) END AS birth_swapped,
               year(c.birth_date) AS birth_year, strftime(c.birth_date, '%m-%d') AS birth_day_of_year,
               CASE WHEN regexp_replace(upper(c.sex_raw), '[^A-Z0-9]', '', 'g') IN ({male}) THEN 'L'
                    WHEN regexp_replace(upper(c.sex_raw), '[^A-Z0-9]', '', 'g') IN ({female}) THEN 'P' END AS sex,
               nullif(trim(c.regency_code), '') AS regency_code
        FROM c LEFT JOIN names_{table} n ON n.raw = c.name_raw
        """
    )
    duck.execute("DROP TABLE listed_nik")


# Names that agree as a whole: alike letter by letter, one word dropped or added (a title, a
# "binti …"), or the same words in another order ("EFFENDI ADI"). A shared word alone is not
# enough: a relative's NIK comes with a relative's family name (issue 28 §4).
NAMES_AGREE = """(jaro_winkler_similarity(l.name_key, r.name_key) >= 0.85
     OR list_has_all(l.name_tokens, r.name_tokens) OR list_has_all(r.name_tokens, l.name_tokens))"""
# A birth date that only an office's habit makes differ: day and month swapped, the year alone
# written as 1 January, or a year's slip. With the same NIK and the same name these are the person.
BIRTH_NEAR = """(r.birth_date = l.birth_swapped
     OR (month(l.birth_date) = 1 AND day(l.birth_date) = 1 AND year(l.birth_date) = year(r.birth_date))
     OR (month(l.birth_date) = month(r.birth_date) AND day(l.birth_date) = day(r.birth_date)
         AND abs(year(l.birth_date) - year(r.birth_date)) = 1))"""


def exact_nik(duck: duckdb.DuckDBPyConnection) -> int:
    """Settle the listed persons whose NIK is registered and whose name, birth date and sex agree."""
    duck.execute(
        f"""
        CREATE OR REPLACE TABLE exact AS
        SELECT l.uid AS listed_id, r.uid AS person_id
        FROM listed l JOIN registry r ON r.nik = l.nik
        WHERE (l.sex IS NULL OR l.sex = r.sex)
          AND (
            -- Birth date as registered (or not given): no name written, the names agreeing as a
            -- whole, or a shared word with the birth date itself agreeing. Never a person whose name
            -- disagrees, nor one who only shares a family name when the date says nothing.
            ((l.birth_date IS NULL OR l.birth_date = r.birth_date)
             AND (l.name_key IS NULL OR {NAMES_AGREE}
                  OR (l.birth_date IS NOT NULL AND list_has_any(l.name_tokens, r.name_tokens))))
            -- A birth date an office's habit changed, with the name agreeing as a whole: the NIK
            -- outweighs a year-only date or a year's slip (issue 28 §4).
            OR ({BIRTH_NEAR} AND {NAMES_AGREE})
          )
        """
    )
    duck.execute(
        "CREATE OR REPLACE TABLE residual AS SELECT * FROM listed WHERE uid NOT IN (SELECT listed_id FROM exact)"
    )
    return int(duck.execute("SELECT count(*) FROM exact").fetchone()[0])  # type: ignore[index]


def training_sample_sql(sample: int) -> str:
    """The training sample: the listed persons with the smallest hashes of their ids. Unlike DuckDB's
    ``USING SAMPLE … REPEATABLE``, which repeats only on one thread, it is the same on every run."""
    return f"SELECT * FROM listed ORDER BY hash(uid), uid LIMIT {int(sample)}"


def train(
    duck: duckdb.DuckDBPyConnection, *, registry_size: int, residual_size: int, sample: int = link_model.TRAINING_SAMPLE
) -> dict[str, Any]:
    """Estimate the model on at most ``sample`` residual persons against the registry; returns the
    model as Splink's JSON."""
    from splink import DuckDBAPI, Linker

    # Trained on a sample of the whole list: the pairs sharing a NIK (nearly all true) teach how names,
    # birth dates, sex and regions of the same person differ between list and registry; the pairs
    # sharing a birth date and first name teach the NIK's parts.
    duck.execute(f"CREATE OR REPLACE TABLE training_list AS {training_sample_sql(sample)}")
    db_api = DuckDBAPI(duck)
    # Prior: about half of a residual is expected to be registered (the generator's hard profile and
    # the KUR/Prakerja experience that most borrowers are not covered pull in opposite directions);
    # the weight thresholds were chosen with this prior.
    prior = 0.5 / max(registry_size, 1)
    linker = Linker(
        [db_api.register("training_list"), db_api.register("registry")],
        link_model.settings(prior),
        log_level=logging.WARNING,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=link_model.U_MAX_PAIRS, seed=1)
    for rule in link_model.EM_BLOCKS:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, fix_probability_two_random_records_match=True
        )
    model = link_model.floored(linker.misc.save_model_to_json())
    duck.execute("DROP TABLE training_list")
    return model


def predict(
    duck: duckdb.DuckDBPyConnection,
    model_json: dict[str, Any],
    thresholds: Thresholds,
    progress: Progress | None = None,
) -> int:
    """Score the residual against the registry in chunks of the list; keeps pairs at or above the
    review threshold in ``pairs`` (listed_id, person_id, match_weight, per-comparison weights)."""
    from splink import DuckDBAPI, Linker

    residual = int(duck.execute("SELECT count(*) FROM residual").fetchone()[0])  # type: ignore[index]
    duck.execute(f"CREATE OR REPLACE TABLE pairs ({PAIRS_COLUMNS})")
    if residual == 0:
        return 0
    # The per-comparison Bayes factors are kept: they are the evidence a clerk sees.
    model_json = {**model_json, "retain_intermediate_calculation_columns": True}
    chunks = max(1, math.ceil(residual / PREDICT_CHUNK))
    duck.execute(f"CREATE OR REPLACE TABLE residual_chunked AS SELECT *, hash(uid) % {chunks} AS chunk FROM residual")
    for chunk in range(chunks):
        duck.execute(
            "CREATE OR REPLACE TABLE residual_part AS SELECT * EXCLUDE (chunk) FROM residual_chunked"
            f" WHERE chunk = {chunk}"
        )
        db_api = DuckDBAPI(duck)
        linker = Linker(
            [db_api.register("residual_part", dataset_display_name="listed_part"), db_api.register("registry")],
            model_json,
            log_level=logging.WARNING,
        )
        scored = linker.inference.predict(threshold_match_weight=thresholds.review)
        columns = [row[0] for row in duck.execute(f"DESCRIBE {scored.physical_name}").fetchall()]
        weights = [c for c in columns if c.startswith("mw_")]
        names_differ = link_model.names_differ_sql(model_json, columns)
        evidence = " || ',' || ".join(f"'\"{c[3:]}\":' || round({c}, 2)" for c in weights) if weights else "''"
        left_is_list = "CASE WHEN source_dataset_l = 'listed_part' THEN {a} ELSE {b} END"
        duck.execute(
            f"""
            INSERT INTO pairs
            SELECT {left_is_list.format(a="uid_l", b="uid_r")}::BIGINT,
                   {left_is_list.format(a="uid_r", b="uid_l")}::BIGINT,
                   match_weight, '{{' || {evidence} || '}}', {names_differ}
            FROM {scored.physical_name}
            """
        )
        scored.drop_table_from_database_and_remove_from_cache()
        if progress:
            progress("predict", (chunk + 1) / chunks)
    duck.execute("DROP TABLE residual_chunked")
    duck.execute("DROP TABLE IF EXISTS residual_part")
    return int(duck.execute("SELECT count(*) FROM pairs").fetchone()[0])  # type: ignore[index]


def _no_pairs(duck: duckdb.DuckDBPyConnection) -> int:
    duck.execute(f"CREATE OR REPLACE TABLE pairs ({PAIRS_COLUMNS})")
    return 0


def _folder(workdir: Path | None) -> Path:
    if workdir is None:
        raise ValueError("the Spark engine needs a working folder for the files it exchanges")
    return workdir


def decide(duck: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> None:
    """One row per listed person in ``decisions`` (rules.decide.decide in SQL), plus the candidates
    worth a clerk's look in ``candidates``."""
    # Candidates whose names share nothing (a relative's NIK, a neighbour's next serial) are ranked
    # after the rest: they are never the match, nor a rival to one, but a clerk still sees them.
    duck.execute(
        """
        CREATE OR REPLACE TABLE ranked AS
        SELECT *, row_number() OVER (
                    PARTITION BY listed_id ORDER BY coalesce(names_differ, false), match_weight DESC, person_id
                  ) AS rank,
               max(match_weight) OVER (PARTITION BY listed_id) AS top_weight
        FROM pairs
        """
    )
    duck.execute(
        f"""
        CREATE OR REPLACE TABLE decisions AS
        WITH best AS (
          SELECT l.uid AS listed_id, e.person_id AS exact_id, b.person_id AS candidate_id, b.match_weight, b.top_weight,
                 coalesce(b.names_differ, false) AS differs,
                 -- The runner-up counts as a rival only when it is not a relative's NIK itself.
                 CASE WHEN NOT coalesce(s.names_differ, false) THEN s.match_weight END AS rival
          FROM listed l
          LEFT JOIN exact e ON e.listed_id = l.uid
          LEFT JOIN ranked b ON b.listed_id = l.uid AND b.rank = 1 AND e.person_id IS NULL
          LEFT JOIN ranked s ON s.listed_id = l.uid AND s.rank = 2 AND e.person_id IS NULL
        ), judged AS (
          SELECT *,
                 CASE WHEN exact_id IS NOT NULL THEN 'match'
                      WHEN top_weight IS NULL OR top_weight < {thresholds.review} THEN 'none'
                      WHEN differs OR match_weight < {thresholds.match} THEN 'review'
                      WHEN rival > match_weight - {thresholds.lead} THEN 'ambiguous'
                      ELSE 'match' END AS decision
          FROM best
        )
        SELECT listed_id,
               CASE WHEN exact_id IS NOT NULL THEN exact_id WHEN decision = 'match' THEN candidate_id END AS person_id,
               decision,
               CASE WHEN exact_id IS NOT NULL THEN 'nik' WHEN candidate_id IS NOT NULL THEN 'model' END AS stage,
               match_weight AS weight
        FROM judged
        """
    )
    # A NIK shared by two listed persons cannot be both of them: it is left for review.
    duck.execute(
        """
        CREATE OR REPLACE TABLE candidates AS
        SELECT r.listed_id, r.person_id, r.rank, r.match_weight, r.evidence
        FROM ranked r JOIN decisions d ON d.listed_id = r.listed_id
        WHERE d.decision IN ('review', 'ambiguous') AND r.rank <= 3
        """
    )
    duck.execute("DROP TABLE ranked")


def run(
    duck: duckdb.DuckDBPyConnection,
    *,
    model_json: dict[str, Any] | None,
    thresholds: Thresholds,
    training_sample: int = link_model.TRAINING_SAMPLE,
    progress: Progress | None = None,
    spark: Any = None,
    workdir: Path | None = None,
) -> LinkOutput:
    """Exact NIK, then (training when no model is given) prediction and decisions, over ``listed``
    and ``registry`` already loaded. With a Spark session (and a working folder for the files that
    cross), training and prediction run on Spark (``batch.spark``)."""
    stages: list[Stage] = []

    def lap(name: str, started: float, rows: int | None = None) -> float:
        stages.append(Stage(name, round(time.perf_counter() - started, 3), rows))
        if progress:
            progress(name, 1.0)
        return time.perf_counter()

    t = time.perf_counter()
    records = int(duck.execute("SELECT count(*) FROM listed").fetchone()[0])  # type: ignore[index]
    registry_size = int(duck.execute("SELECT count(*) FROM registry").fetchone()[0])  # type: ignore[index]
    exact = exact_nik(duck)
    residual = records - exact
    t = lap("exact_nik", t, exact)
    if model_json is None and residual < MIN_TRAINING:
        # Too few unsettled persons to train on (a short exclusion list, say) and no saved model:
        # the NIK stage's answers stand and the rest are "none".
        model_json = {}
    elif model_json is None and spark is not None:
        from . import spark as on_spark

        model_json = on_spark.train(duck, spark, _folder(workdir), registry_size=registry_size, sample=training_sample)
        t = lap("train", t)
    elif model_json is None:
        model_json = train(duck, registry_size=registry_size, residual_size=residual, sample=training_sample)
        t = lap("train", t)
    if not model_json:
        pairs = _no_pairs(duck)
    elif spark is not None:
        from . import spark as on_spark

        pairs = on_spark.predict(duck, spark, _folder(workdir), model_json, thresholds)
    else:
        pairs = predict(duck, model_json, thresholds, progress)
    t = lap("predict", t, pairs)
    decide(duck, thresholds)
    lap("decide", t)
    log.info("linkage: %s listed, %s by NIK, %s pairs %s", records, exact, pairs, stages)
    return LinkOutput(records, exact, residual, pairs, json.loads(json.dumps(model_json)), stages)
