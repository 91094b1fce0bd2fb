-- Monthly coverage rollup (issue 6 §3): one month rebuilt from the registry and the contribution
-- ledger, idempotent (the month's rows are replaced), run by rollup.py inside batch_run.
-- Each statement ends with ";" at the end of a line, so a comment must not end with one.

-- step: paid
-- Active = a (person, segment) pair with a contribution line for the month whose bill is paid
-- (rules/indicators.py "active"). A pair paid through two memberships (two employers) counts once,
-- in the regency of its oldest membership, so that regencies add up to the nation.
CREATE TEMP TABLE coverage_paid ON COMMIT DROP AS
SELECT DISTINCT ON (m.person_id, m.segment) m.person_id, m.segment, m.regency_code, m.tags
FROM contributions_contributionline l
JOIN contributions_bill b ON b.id = l.bill_id AND b.status = 'paid'
JOIN registry_membership m ON m.id = l.membership_id
WHERE l.period = %(period)s
ORDER BY m.person_id, m.segment, m.id;

-- step: clear
DELETE FROM coverage_month WHERE period = %(period)s;

-- step: clear_tags
DELETE FROM coverage_tag_month WHERE period = %(period)s;

-- step: month
-- Age at the month's last day, banded by the lower bounds of rules/indicators.AGE_BANDS (below the first: band 0).
INSERT INTO coverage_month (period, regency_code, province_code, segment, sex, disability, age_band, active)
SELECT %(period)s, c.regency_code, left(c.regency_code, 2), c.segment, p.sex, p.disability,
  width_bucket(extract(year FROM age(%(month_end)s::date, p.birth_date))::int, %(band_lows)s::int[]),
  count(*)
FROM coverage_paid c
JOIN registry_person p ON p.id = c.person_id
GROUP BY 2, 3, 4, 5, 6, 7;

-- step: tags
INSERT INTO coverage_tag_month (period, regency_code, province_code, segment, tag, active)
SELECT %(period)s, c.regency_code, left(c.regency_code, 2), c.segment, t.tag, count(*)
FROM coverage_paid c
CROSS JOIN LATERAL unnest(c.tags) AS t(tag)
GROUP BY 2, 3, 4, 5;
