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

-- step: finance
-- Contributions of the month on paid bills, per programme, at the membership's regency
-- (rules/indicators.py "contributions"). The JKP recomposition is kept as billed and split from JKK
-- and JKM when read (rules/indicators.split_recomposition).
INSERT INTO coverage_finance_month
  (period, regency_code, province_code, employers, lines, jkk, jkm, jht, jp, jkp_government, jkp_recomposed, pmi_package)
SELECT %(period)s, m.regency_code, left(m.regency_code, 2), 0, count(*),
  sum(l.jkk_employer + l.jkk_worker), sum(l.jkm_employer + l.jkm_worker), sum(l.jht_employer + l.jht_worker),
  sum(l.jp_employer + l.jp_worker), sum(l.jkp_government), sum(l.jkp_recomposed), sum(l.package_worker)
FROM contributions_contributionline l
JOIN contributions_bill b ON b.id = l.bill_id AND b.period = %(period)s AND b.status = 'paid'
JOIN registry_membership m ON m.id = l.membership_id
WHERE l.period = %(period)s
GROUP BY m.regency_code;

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
