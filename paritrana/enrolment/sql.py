"""SQL twins of the NIK rules (regions/rules/nik.py) for set-based validation of uploaded lists.

Bulk enrolment checks hundreds of thousands of staged rows with one statement per rule (DESIGN.md
§3.3); these functions say in SQL what ``parse_nik`` says in Python — the same codes, the same
century rule for the birth date (the latest century not in the future), the day + 40 for women — and
a differential test holds them to it. UU 24/2013 jo. UU 23/2006 Pasal 13; Permendagri 7/2019.
"""

FUNCTIONS = r"""
-- A date, or NULL when the parts do not make one (make_date would raise).
CREATE OR REPLACE FUNCTION enrol_safe_date(y int, m int, d int) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN m BETWEEN 1 AND 12 AND y BETWEEN 1 AND 9999 THEN
    CASE WHEN d BETWEEN 1 AND extract(day FROM make_date(y, m, 1) + interval '1 month - 1 day')::int
      THEN make_date(y, m, d) END
  END
$$;

-- The birth date a 16-digit NIK encodes (digits 7-12, DDMMYY, women's day + 40), as of ``today``.
CREATE OR REPLACE FUNCTION enrol_nik_birth_date(nik text, today date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN nik ~ '^[0-9]{16}$' THEN (
    SELECT COALESCE(
      CASE WHEN enrol_safe_date(2000 + yy, mm, dd) <= today THEN enrol_safe_date(2000 + yy, mm, dd) END,
      CASE WHEN enrol_safe_date(1900 + yy, mm, dd) <= today THEN enrol_safe_date(1900 + yy, mm, dd) END)
    FROM (SELECT CASE WHEN substr(nik, 7, 2)::int > 40 THEN substr(nik, 7, 2)::int - 40
                      ELSE substr(nik, 7, 2)::int END AS dd,
                 substr(nik, 9, 2)::int AS mm, substr(nik, 11, 2)::int AS yy) AS parts)
  END
$$;

CREATE OR REPLACE FUNCTION enrol_nik_sex(nik text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN nik ~ '^[0-9]{16}$' THEN CASE WHEN substr(nik, 7, 2)::int > 40 THEN 'P' ELSE 'L' END END
$$;

-- Every structural error of a NIK, as parse_nik's codes, in parse_nik's order.
CREATE OR REPLACE FUNCTION enrol_nik_errors(nik text, today date) RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN nik IS NULL OR nik !~ '^[0-9]{16}$' THEN ARRAY['nik_format'] ELSE array_remove(ARRAY[
    CASE WHEN NOT EXISTS (SELECT 1 FROM regions_region r WHERE r.code = substr(nik, 1, 2) AND r.level = 1)
      THEN 'nik_province_unknown' END,
    CASE WHEN substr(nik, 3, 2) = '00' OR substr(nik, 5, 2) = '00' THEN 'nik_region_zero' END,
    CASE WHEN enrol_nik_birth_date(nik, today) IS NULL THEN 'nik_birth_date_invalid' END,
    CASE WHEN substr(nik, 13, 4) = '0000' THEN 'nik_serial_zero' END
  ], NULL) END
$$;
"""

# The cells people type into spreadsheets, read the way an Indonesian officer writes them. A value
# that fits none of the forms is NULL, and the validation reports it with the cell as typed.
PARSERS = r"""
-- 2025-01-31, 31/01/2025, 31-01-2025, 31.01.2025, 1/2/2025; two-digit years are refused (ambiguous).
CREATE OR REPLACE FUNCTION enrol_parse_date(raw text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN raw ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$' THEN enrol_safe_date(
      split_part(raw, '-', 1)::int, split_part(raw, '-', 2)::int, split_part(raw, '-', 3)::int)
    WHEN raw ~ '^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}$' THEN enrol_safe_date(
      substring(raw from '([0-9]{4})$')::int,
      substring(raw from '^[0-9]{1,2}[/.-]([0-9]{1,2})')::int,
      substring(raw from '^([0-9]{1,2})')::int)
  END
$$;

-- Rupiah as typed: 1500000, 1.500.000, Rp 1.500.000,00, 1,500,000, 1500000.50. NULL when it is
-- not a number (words, two decimal marks) or at least a trillion rupiah (a typing slip).
CREATE OR REPLACE FUNCTION enrol_parse_amount(raw text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v IS NULL OR length(v) > 20 THEN NULL ELSE (SELECT CASE WHEN n < 1e12 THEN n END FROM (SELECT
    CASE
      WHEN v ~ '^[0-9]+$' THEN v::numeric
      WHEN v ~ '^[0-9]{1,3}(\.[0-9]{3})+(,[0-9]{1,2})?$' THEN replace(replace(v, '.', ''), ',', '.')::numeric
      WHEN v ~ '^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,2})?$' THEN replace(v, ',', '')::numeric
      WHEN v ~ '^[0-9]+[.,][0-9]{1,2}$' THEN replace(v, ',', '.')::numeric
    END AS n) AS parsed) END
  FROM (SELECT nullif(regexp_replace(regexp_replace(upper(raw), '^RP\.?', ''), '\s', '', 'g'), '') AS v) AS cleaned
$$;
"""

PARSERS_DROP = """
DROP FUNCTION IF EXISTS enrol_parse_amount(text);
DROP FUNCTION IF EXISTS enrol_parse_date(text);
"""

# The same rules rewritten as single expressions without FROM, so that PostgreSQL inlines them into
# the staging statement instead of calling a function per row (a call costs ~8 µs; 100,000 rows, a
# second). The differential test holds these to regions/rules/nik.py like the first versions.
INLINE = r"""
CREATE OR REPLACE FUNCTION enrol_safe_date(y int, m int, d int) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN y BETWEEN 1 AND 9999 AND m BETWEEN 1 AND 12 AND d >= 1 AND d <= CASE
      WHEN m = 2 THEN CASE WHEN y % 4 = 0 AND (y % 100 <> 0 OR y % 400 = 0) THEN 29 ELSE 28 END
      WHEN m IN (4, 6, 9, 11) THEN 30 ELSE 31 END
    THEN make_date(y, m, d) END
$$;

CREATE OR REPLACE FUNCTION enrol_nik_birth_date(nik text, today date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN nik ~ '^[0-9]{16}$' THEN CASE
    WHEN enrol_safe_date(2000 + substr(nik, 11, 2)::int, substr(nik, 9, 2)::int,
        substr(nik, 7, 2)::int - CASE WHEN substr(nik, 7, 2) > '40' THEN 40 ELSE 0 END) <= today
      THEN enrol_safe_date(2000 + substr(nik, 11, 2)::int, substr(nik, 9, 2)::int,
        substr(nik, 7, 2)::int - CASE WHEN substr(nik, 7, 2) > '40' THEN 40 ELSE 0 END)
    WHEN enrol_safe_date(1900 + substr(nik, 11, 2)::int, substr(nik, 9, 2)::int,
        substr(nik, 7, 2)::int - CASE WHEN substr(nik, 7, 2) > '40' THEN 40 ELSE 0 END) <= today
      THEN enrol_safe_date(1900 + substr(nik, 11, 2)::int, substr(nik, 9, 2)::int,
        substr(nik, 7, 2)::int - CASE WHEN substr(nik, 7, 2) > '40' THEN 40 ELSE 0 END)
  END END
$$;

-- enrol_parse_date again, with split_part in place of regex substrings (a third of the cost).
CREATE OR REPLACE FUNCTION enrol_parse_date(raw text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN raw ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$' THEN enrol_safe_date(
      split_part(raw, '-', 1)::int, split_part(raw, '-', 2)::int, split_part(raw, '-', 3)::int)
    WHEN raw ~ '^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}$' THEN enrol_safe_date(
      split_part(translate(raw, '/.', '--'), '-', 3)::int, split_part(translate(raw, '/.', '--'), '-', 2)::int,
      split_part(translate(raw, '/.', '--'), '-', 1)::int)
  END
$$;

-- The structural errors of a NIK whose encoded birth date and province lookup are already known
-- (the staging computes each once per row); the two-argument form computes them itself.
CREATE OR REPLACE FUNCTION enrol_nik_errors(nik text, nik_born date, province_known boolean) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN nik IS NULL OR nik !~ '^[0-9]{16}$' THEN ARRAY['nik_format'] ELSE array_remove(ARRAY[
    CASE WHEN NOT province_known THEN 'nik_province_unknown' END,
    CASE WHEN substr(nik, 3, 2) = '00' OR substr(nik, 5, 2) = '00' THEN 'nik_region_zero' END,
    CASE WHEN nik_born IS NULL THEN 'nik_birth_date_invalid' END,
    CASE WHEN substr(nik, 13, 4) = '0000' THEN 'nik_serial_zero' END
  ], NULL) END
$$;

CREATE OR REPLACE FUNCTION enrol_nik_errors(nik text, today date) RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT enrol_nik_errors(nik, enrol_nik_birth_date(nik, today),
    EXISTS (SELECT 1 FROM regions_region r WHERE r.code = substr(nik, 1, 2) AND r.level = 1))
$$;

-- Rupiah already stripped of "Rp" and spaces by the reader (enrolment/batch/enrol.py).
DROP FUNCTION IF EXISTS enrol_parse_amount(text);
CREATE FUNCTION enrol_parse_amount(v text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN length(v) <= 20 THEN CASE
    WHEN v ~ '^[0-9]{1,12}$' THEN v::numeric
    WHEN v ~ '^[0-9]{1,3}(\.[0-9]{3}){1,3}(,[0-9]{1,2})?$' THEN replace(replace(v, '.', ''), ',', '.')::numeric
    WHEN v ~ '^[0-9]{1,3}(,[0-9]{3}){1,3}(\.[0-9]{1,2})?$' THEN replace(v, ',', '')::numeric
    WHEN v ~ '^[0-9]{1,12}[.,][0-9]{1,2}$' THEN replace(v, ',', '.')::numeric
  END END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS enrol_nik_errors(text, date);
DROP FUNCTION IF EXISTS enrol_nik_sex(text);
DROP FUNCTION IF EXISTS enrol_nik_birth_date(text, date);
DROP FUNCTION IF EXISTS enrol_safe_date(int, int, int);
"""

# A lookup table for the costliest per-row parser of the staging (decision 0005): the birth date a
# NIK encodes costs 0.33 s per 100,000 rows as an expression and 0.05 s as a hash join on this table
# (every day of 1900-2099, for men and for women). A test holds every row to enrol_nik_birth_date.
LOOKUPS = r"""
-- Digits 7-12 of a NIK (DDMMYY, women's day + 40) to the date in each century it may mean.
CREATE TABLE enrolment_nik_date (code text PRIMARY KEY, d1900 date, d2000 date);
INSERT INTO enrolment_nik_date
SELECT code, min(d) FILTER (WHERE d < DATE '2000-01-01'), min(d) FILTER (WHERE d >= DATE '2000-01-01')
FROM (
  SELECT lpad((extract(day FROM d)::int + women.plus)::text, 2, '0') || to_char(d, 'MMYY') AS code, d::date
  FROM generate_series(DATE '1900-01-01', DATE '2099-12-31', interval '1 day') AS d,
    (VALUES (0), (40)) AS women(plus)
) AS days
GROUP BY code;

ANALYZE enrolment_nik_date;

-- The birth date a NIK means as of ``today``: the latest century not in the future (parse_nik).
CREATE FUNCTION enrol_nik_century(d1900 date, d2000 date, today date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN d2000 <= today THEN d2000 WHEN d1900 <= today THEN d1900 END
$$;
"""

LOOKUPS_DROP = """
DROP FUNCTION IF EXISTS enrol_nik_century(date, date, date);
DROP TABLE IF EXISTS enrolment_nik_date;
"""
