-- The monthly pension payroll (batch/payroll.py; the law in rules/pension.py, which the tests
-- compare with this). Re-runnable: a month already paid is never paid again (pension_month_live_once).
-- Parameters: %(period)s the payroll's month (first day); %(months)s / %(rates)s the indexation
-- rate in force on the first of each month (NULL: none known); %(years)s / %(mins)s / %(maxs)s each
-- calendar year's bounds (NULL: none published); %(child_max_age)s; %(proof_months)s.

-- step: index
-- PP 45/2015 Pasal 17(1): on each anniversary of the first month, the previous year's amount ×
-- (100 + rate) / 100, whole rupiah (round() of a positive numeric is half up, like to_rupiah). One
-- anniversary per pension a statement: the runner repeats it until nothing is added (catching up).
WITH rates AS (SELECT * FROM unnest(%(months)s::date[], %(rates)s::numeric[]) AS r(month, rate))
INSERT INTO benefits_pensionstep (pension_id, start, amount, rate)
SELECT s.pension_id, (s.start + interval '12 months')::date,
       CASE WHEN r.rate IS NULL THEN s.amount ELSE round(s.amount * (100 + r.rate) / 100) END, r.rate
FROM benefits_pensionstep s
JOIN benefits_pension p ON p.id = s.pension_id
LEFT JOIN rates r ON r.month = (s.start + interval '12 months')::date
WHERE s.start + interval '12 months' <= %(period)s
  AND (p.ended_on IS NULL OR p.ended_on >= (s.start + interval '12 months')::date)
  AND NOT EXISTS (
      SELECT 1 FROM benefits_pensionstep n
      WHERE n.pension_id = s.pension_id AND n.start = (s.start + interval '12 months')::date)
ON CONFLICT (pension_id, start) DO NOTHING;

-- step: pay
-- Every month from the one after the last paid (or the first) to the payroll's on whose first day
-- the pension still ran (the end recorded; a child's 23rd birthday, PP 45/2015 Pasal 16 and
-- regulation.md §2.5), while the beneficiary's status is confirmed (the last accepted proof of life,
-- or the award, within proof_months before the payroll's month); each at its year's step within its
-- calendar year's bounds (Pasal 18). Earlier months than the payroll's are arrears.
WITH bounds AS (
    SELECT * FROM unnest(%(years)s::int[], %(mins)s::numeric[], %(maxs)s::numeric[]) AS b(year, low, high)
),
candidates AS (
    SELECT p.id, p.first_period, p.paid_through,
           least(p.ended_on,
                 CASE WHEN p.kind = 'child' AND p.birth_date IS NOT NULL
                      THEN (p.birth_date + make_interval(years => %(child_max_age)s))::date - 1 END) AS last_day,
           greatest(p.first_period,
                    (SELECT max(f.given_on) FROM benefits_proofoflife f
                     WHERE f.claim_id = p.claim_id AND f.state = 'accepted')) AS confirmed_on
    FROM benefits_pension p
    WHERE p.paid_through IS NULL OR p.paid_through < %(period)s
),
due AS (
    SELECT c.id, m.month::date AS month
    FROM candidates c
    CROSS JOIN LATERAL generate_series(
        coalesce((c.paid_through + interval '1 month')::date, c.first_period), %(period)s::date, interval '1 month'
    ) AS m(month)
    WHERE date_trunc('month', c.confirmed_on) + make_interval(months => %(proof_months)s) > %(period)s
      AND (c.last_day IS NULL OR m.month <= c.last_day)
),
priced AS (
    SELECT d.id, d.month,
           least(greatest(st.amount, coalesce(b.low, st.amount)), coalesce(b.high, st.amount)) AS amount
    FROM due d
    CROSS JOIN LATERAL (
        SELECT s.amount FROM benefits_pensionstep s
        WHERE s.pension_id = d.id AND s.start <= d.month ORDER BY s.start DESC LIMIT 1
    ) st
    LEFT JOIN bounds b ON b.year = extract(year FROM d.month)
),
issued AS (
    INSERT INTO benefits_pensionpayment (pension_id, period, amount, arrears, state, issued_in, reference, created_at)
    SELECT id, month, amount, month < %(period)s, 'issued', %(period)s, '', now() FROM priced
    ON CONFLICT (pension_id, period) WHERE NOT (state = 'failed') DO NOTHING
    RETURNING pension_id, period, amount
),
advanced AS (
    UPDATE benefits_pension p SET paid_through = x.last
    FROM (SELECT pension_id, max(period) AS last FROM issued GROUP BY pension_id) x
    WHERE p.id = x.pension_id AND (p.paid_through IS NULL OR p.paid_through < x.last)
)
SELECT count(*), coalesce(sum(amount), 0) FROM issued;

-- step: reissue
-- A payment the bank returned (failed) is issued again in the next payroll, at the same amount,
-- unless its month has a live payment already.
WITH issued AS (
    INSERT INTO benefits_pensionpayment (pension_id, period, amount, arrears, state, issued_in, reference, created_at)
    SELECT DISTINCT ON (f.pension_id, f.period) f.pension_id, f.period, f.amount, true, 'issued', %(period)s, '', now()
    FROM benefits_pensionpayment f
    WHERE f.state = 'failed'
      AND NOT EXISTS (SELECT 1 FROM benefits_pensionpayment l
                      WHERE l.pension_id = f.pension_id AND l.period = f.period AND l.state <> 'failed')
    ON CONFLICT (pension_id, period) WHERE NOT (state = 'failed') DO NOTHING
    RETURNING amount
)
SELECT count(*), coalesce(sum(amount), 0) FROM issued;

-- step: end
-- A child's pension whose 23rd birthday has passed by the payroll's month ends on the day before it.
UPDATE benefits_pension
SET state = 'ended', ended_on = (birth_date + make_interval(years => %(child_max_age)s))::date - 1,
    ended_reason = 'Anak mencapai batas usia pensiun anak'
WHERE kind = 'child' AND state = 'in_payment' AND birth_date IS NOT NULL
  AND (birth_date + make_interval(years => %(child_max_age)s))::date - 1 < %(period)s;

-- step: count
SELECT count(*) FROM benefits_pensionpayment WHERE period = %(period)s AND state <> 'failed';
