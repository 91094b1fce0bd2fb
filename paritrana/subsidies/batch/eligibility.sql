-- BSU eligibility over the whole registry, set-based (rules/rounds.py is the same law for one person;
-- a differential test holds the two together). Parameters arrive as %(name)s; eligibility.py runs
-- the steps. Each statement ends with ";" at the end of a line.

-- step: clear
DELETE FROM subsidies_decision WHERE round_id = %(round)s;

-- step: listed
-- People on the round's outside exclusion lists, matched to the registry by NIK, with the reasons
-- they give in the order rules/rounds.py lists them.
CREATE TEMP TABLE bsu_listed ON COMMIT DROP AS
SELECT x.person_id, array_agg('listed_' || x.kind ORDER BY array_position(%(list_kinds)s::text[], x.kind::text))
  AS reasons
FROM (
  SELECT DISTINCT p.id AS person_id, l.kind
  FROM subsidies_exclusion_list l
  JOIN subsidies_exclusion_entry e ON e.list_id = l.id
  JOIN registry_person p ON p.nik = e.nik
  WHERE l.round_id = %(round)s AND l.kind = ANY(%(exclusion_kinds)s)
) x
GROUP BY x.person_id;

-- step: facts
-- Per person, the memberships valid on the reference date: whether one is in a covered segment, the
-- sum of the covered ones' wages (the month's contribution base where the month was billed, else the
-- reported wage), whether that month is paid (or was never billed: Paritrana's contribution history
-- starts with its first billed month), and the best-paid covered membership, which gives the
-- workplace. Memberships and lines are joined by the person too and the month's bills are a
-- subquery: on a Citus cluster the first lie together, the bills elsewhere (docs/scale.md).
-- A table written by CREATE TABLE AS, so PostgreSQL may scan in parallel; not UNLOGGED
-- (a crash mid-round would make the next server start fail: docs/reliability.md).
CREATE TABLE bsu_facts_%(round_id)s AS
SELECT m.person_id,
  bool_or(m.segment = ANY(%(segments)s)) AS covered,
  sum(coalesce(l.base, m.wage)) FILTER (WHERE m.segment = ANY(%(segments)s)) AS wage,
  coalesce(bool_or(b.id IS NULL OR b.status = 'paid') FILTER (WHERE m.segment = ANY(%(segments)s)), false)
    AS paid_or_unbilled,
  (array_agg(m.id ORDER BY coalesce(l.base, m.wage) DESC NULLS LAST, m.id)
    FILTER (WHERE m.segment = ANY(%(segments)s)))[1] AS membership_id
FROM registry_membership m
LEFT JOIN contributions_contributionline l
  ON l.membership_id = m.id AND l.person_id = m.person_id AND l.period = %(month)s
LEFT JOIN (SELECT id, status FROM contributions_bill WHERE period = %(month)s) b ON b.id = l.bill_id
WHERE m.valid_from <= %(on)s AND (m.valid_until IS NULL OR m.valid_until >= %(on)s)
GROUP BY m.person_id;

-- step: decide
-- Every unmet condition, in the order rules/rounds.py lists them. Plain expressions over a subquery
-- rather than lateral subqueries: Citus plans the former over its shards, not the latter.
INSERT INTO subsidies_decision (round_id, person_id, membership_id, regency_code, wage, ceiling, eligible, reasons)
SELECT %(round)s, d.person_id, d.membership_id, d.regency_code, d.wage, d.ceiling, cardinality(d.reasons) = 0,
  d.reasons
FROM (
  SELECT c.person_id, c.membership_id, c.regency_code, c.wage, c.ceiling,
    CASE WHEN NOT c.covered THEN ARRAY['segment_not_covered']::varchar[] ELSE (array_remove(ARRAY[
      CASE WHEN NOT c.paid_or_unbilled THEN 'contribution_unpaid' END,
      CASE WHEN c.wage IS NULL THEN 'wage_unknown' END,
      CASE WHEN c.wage > c.ceiling OR (c.wage = c.ceiling AND NOT %(ceiling_inclusive)s) THEN 'wage_above_ceiling' END,
      -- A region included is a province (its regencies) or a regency.
      CASE WHEN left(c.regency_code, 2) = ANY(%(provinces_excluded)s)
        OR (cardinality(%(regions_included)s::text[]) > 0
            AND NOT coalesce(c.regency_code = ANY(%(regions_included)s)
                             OR left(c.regency_code, 2) = ANY(%(regions_included)s), false))
        THEN 'region_excluded' END,
      CASE WHEN cardinality(%(sectors)s::text[]) > 0 AND (c.sector IS NULL OR NOT c.sector = ANY(%(sectors)s))
        THEN 'sector_excluded' END,
      CASE WHEN c.employer_kind = ANY(%(employer_kinds_excluded)s) THEN 'employer_excluded' END
    ], NULL) || coalesce(c.listed, '{}'))::varchar[] END AS reasons
  FROM (
    SELECT f.person_id, f.membership_id, f.covered, f.paid_or_unbilled, f.wage, m.regency_code, e.sector,
      e.kind AS employer_kind, x.reasons AS listed,
      -- The regional minimum wage rounded up to the full hundred thousand, where higher (Permenaker 16/2021).
      CASE WHEN %(uses_minimum_wage)s AND coalesce(mr.amount, mp.amount) IS NOT NULL
        THEN greatest(%(wage_ceiling)s::numeric, ceil(coalesce(mr.amount, mp.amount) / 100000) * 100000)
        ELSE %(wage_ceiling)s::numeric END AS ceiling
    FROM bsu_facts_%(round_id)s f
    LEFT JOIN registry_membership m ON m.id = f.membership_id AND m.person_id = f.person_id
    LEFT JOIN registry_employer e ON e.id = m.employer_id
    LEFT JOIN subsidies_minimum_wage mr ON mr.region_code = m.regency_code AND mr.year = %(minimum_wage_year)s
    LEFT JOIN subsidies_minimum_wage mp ON mp.region_code = left(m.regency_code, 2) AND mp.year = %(minimum_wage_year)s
    LEFT JOIN bsu_listed x ON x.person_id = f.person_id
  ) c
) d;

-- step: drop_facts
DROP TABLE bsu_facts_%(round_id)s;

-- step: drop_listed
DROP TABLE bsu_listed;
