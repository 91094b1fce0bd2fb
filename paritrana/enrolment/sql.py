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

DROP = """
DROP FUNCTION IF EXISTS enrol_nik_errors(text, date);
DROP FUNCTION IF EXISTS enrol_nik_sex(text);
DROP FUNCTION IF EXISTS enrol_nik_birth_date(text, date);
DROP FUNCTION IF EXISTS enrol_safe_date(int, int, int);
"""
