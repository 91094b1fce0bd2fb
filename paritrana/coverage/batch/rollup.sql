-- Monthly coverage rollup (issue 6 §3): one month rebuilt from the registry and the contribution
-- ledger, idempotent (the month's rows are replaced), run by rollup.py inside batch_run.
-- Each statement ends with ";" at the end of a line, so a comment must not end with one.
-- On a Citus cluster lines, memberships and persons lie together by person, bills apart by payer
-- (docs/scale.md): the joins name the person, and bills enter as subqueries.

-- step: paid
-- Active = a (person, segment) pair with a contribution line for the month whose bill is paid
-- (rules/indicators.py "active"). A pair paid through two memberships (two employers) counts once,
-- in the regency of its oldest membership, so that regencies add up to the nation. The person's sex,
-- disability and age band are taken here, where the join runs in parallel over the registry's
-- tables. The work table is an ordinary one rather than temporary because PostgreSQL scans a
-- temporary table in one process only; the next two steps read it with both cores. Not UNLOGGED: a
-- crash mid-rollup would make the next server start fail (docs/reliability.md). rollup.py holds an
-- advisory lock for the transaction, so two rollups never share it, and drops it before commit.
-- Age at the month's last day, banded by the lower bounds of rules/indicators.AGE_BANDS (below the first: band 0).
CREATE TABLE coverage_paid AS
SELECT DISTINCT ON (m.person_id, m.segment) m.person_id, m.segment, m.regency_code, m.tags, p.sex, p.disability,
  width_bucket(extract(year FROM age(%(month_end)s::date, p.birth_date))::int, %(band_lows)s::int[]) AS age_band
FROM contributions_contributionline l
JOIN registry_membership m ON m.id = l.membership_id AND m.person_id = l.person_id
JOIN registry_person p ON p.id = l.person_id
WHERE l.period = %(period)s
  AND l.bill_id IN (SELECT b.id FROM contributions_bill b WHERE b.period = %(period)s AND b.status = 'paid')
ORDER BY m.person_id, m.segment, m.id;

-- step: clear
DELETE FROM coverage_month WHERE period = %(period)s;

-- step: clear_tags
DELETE FROM coverage_tag_month WHERE period = %(period)s;

-- step: month_cells
-- Grouped into a work table first: PostgreSQL runs an INSERT … SELECT in one process, a CREATE
-- TABLE … AS in parallel (the same for the tags and the money below).
CREATE TABLE coverage_cells AS
SELECT c.regency_code, c.segment, c.sex, c.disability, c.age_band, count(*) AS active
FROM coverage_paid c
GROUP BY 1, 2, 3, 4, 5;

-- step: month
INSERT INTO coverage_month (period, regency_code, province_code, segment, sex, disability, age_band, active)
SELECT %(period)s, regency_code, left(regency_code, 2), segment, sex, disability, age_band, active
FROM coverage_cells;

-- step: tag_cells
CREATE TABLE coverage_tag_cells AS
SELECT c.regency_code, c.segment, t.tag, count(*) AS active
FROM coverage_paid c
CROSS JOIN LATERAL unnest(c.tags) AS t(tag)
GROUP BY 1, 2, 3;

-- step: tags
INSERT INTO coverage_tag_month (period, regency_code, province_code, segment, tag, active)
SELECT %(period)s, regency_code, left(regency_code, 2), segment, tag, active
FROM coverage_tag_cells;

-- step: clear_provinces
DELETE FROM coverage_province_month WHERE period = %(period)s;

-- step: provinces
-- The month's cells summed per province and segment: the national page reads these few rows.
INSERT INTO coverage_province_month (period, province_code, segment, active, women, disability)
SELECT period, province_code, segment, sum(active),
  coalesce(sum(active) FILTER (WHERE sex = 'P'), 0), coalesce(sum(active) FILTER (WHERE disability), 0)
FROM coverage_month
WHERE period = %(period)s
GROUP BY 1, 2, 3;

-- step: clear_finance
DELETE FROM coverage_finance_month WHERE period = %(period)s;

-- step: money_cells
-- Contributions of the month on paid bills, per programme, at the payer's region: the employer's
-- regency, the sponsor's region, the self-paying participant's regency (rules/indicators.py
-- "contributions"; a provincial budget's bills carry the province's code). The JKP recomposition
-- is kept as billed and split from JKK and JKM when read (rules/indicators.split_recomposition).
-- The lines are summed per bill first (where they lie), then per region with the bill's region.
CREATE TABLE coverage_money_cells AS
WITH per_bill AS (
  SELECT l.bill_id, count(*) AS lines,
    sum(l.jkk_employer + l.jkk_worker) AS jkk, sum(l.jkm_employer + l.jkm_worker) AS jkm,
    sum(l.jht_employer + l.jht_worker) AS jht, sum(l.jp_employer + l.jp_worker) AS jp,
    sum(l.jkp_government) AS jkp_government, sum(l.jkp_recomposed) AS jkp_recomposed, sum(l.package_worker) AS pmi
  FROM contributions_contributionline l
  WHERE l.period = %(period)s
  GROUP BY l.bill_id
)
SELECT b.region_code, sum(l.lines) AS lines, sum(l.jkk) AS jkk, sum(l.jkm) AS jkm, sum(l.jht) AS jht,
  sum(l.jp) AS jp, sum(l.jkp_government) AS jkp_government, sum(l.jkp_recomposed) AS jkp_recomposed,
  sum(l.pmi) AS pmi
FROM per_bill l
JOIN contributions_bill b ON b.id = l.bill_id AND b.period = %(period)s AND b.status = 'paid'
GROUP BY b.region_code;

-- step: finance
INSERT INTO coverage_finance_month
  (period, regency_code, province_code, employers, lines, jkk, jkm, jht, jp, jkp_government, jkp_recomposed, pmi_package)
SELECT %(period)s, region_code, left(region_code, 2), 0, lines, jkk, jkm, jht, jp, jkp_government, jkp_recomposed, pmi
FROM coverage_money_cells;

-- step: employers
-- Employers whose bill of the month is paid, at the employer's regency (one bill per payer and month).
INSERT INTO coverage_finance_month
  (period, regency_code, province_code, employers, lines, jkk, jkm, jht, jp, jkp_government, jkp_recomposed, pmi_package)
SELECT %(period)s, b.region_code, left(b.region_code, 2), count(*), 0, 0, 0, 0, 0, 0, 0, 0
FROM contributions_bill b
WHERE b.period = %(period)s AND b.status = 'paid' AND b.employer_id IS NOT NULL
GROUP BY b.region_code
ON CONFLICT (period, regency_code) DO UPDATE SET employers = EXCLUDED.employers;

-- step: clear_claims
DELETE FROM coverage_claim_month WHERE period = %(period)s;

-- step: claims
-- Benefits paid in the calendar month (Jakarta time), per programme (benefits/rules/claims.PROGRAMME).
INSERT INTO coverage_claim_month (period, regency_code, province_code, programme, claims, amount, penalty)
SELECT %(period)s, c.regency_code, left(c.regency_code, 2), p.programme, count(*), sum(c.amount), sum(c.penalty)
FROM benefits_claim c
JOIN unnest(%(benefits)s::text[], %(programmes)s::text[]) AS p(benefit, programme) ON p.benefit = c.benefit
WHERE c.state = 'paid' AND c.paid_at >= %(month_start_at)s AND c.paid_at < %(next_month_at)s
GROUP BY 2, 3, 4;
