-- The monthly pension payroll (batch/payroll.py; the law in rules/pension.py, which the tests
-- compare with this). Re-runnable: a month already paid is never paid again (pension_month_live_once).
-- Parameters: %(period)s the payroll's month (first day); %(months)s / %(rates)s the indexation
-- rate in force on the first of each month (NULL: none known); %(years)s / %(mins)s / %(maxs)s each
-- calendar year's bounds (NULL: none published); %(child_max_age)s; %(proof_months)s.

-- step: index
-- PP 45/2015 Pasal 17(1): on each anniversary of the first month, the previous year's amount ×
-- (100 + rate) / 100, whole rupiah (round() of a positive numeric is half up, like to_rupiah). One
-- anniversary per pension a statement, from the latest step kept on its schedule: the runner
-- repeats it until nothing is added (catching up several years).
WITH rates AS (SELECT * FROM unnest(%(months)s::date[], %(rates)s::numeric[]) AS r(month, rate)),
next AS (
    SELECT s.pension_id AS id, (s.step_start + interval '12 months')::date AS start, r.rate,
           CASE WHEN r.rate IS NULL THEN s.step_amount ELSE round(s.step_amount * (100 + r.rate) / 100) END AS amount
    FROM benefits_pensionschedule s
    LEFT JOIN rates r ON r.month = (s.step_start + interval '12 months')::date
    WHERE s.step_start + interval '12 months' <= %(period)s
      AND NOT EXISTS (SELECT 1 FROM benefits_pension p
                      WHERE p.id = s.pension_id AND p.ended_on IS NOT NULL
                        AND p.ended_on < (s.step_start + interval '12 months')::date)
),
added AS (
    INSERT INTO benefits_pensionstep (pension_id, start, amount, rate)
    SELECT id, start, amount, rate FROM next
    ON CONFLICT (pension_id, start) DO NOTHING
    RETURNING pension_id, start, amount
)
UPDATE benefits_pensionschedule s SET step_start = a.start, step_amount = a.amount
FROM added a WHERE s.pension_id = a.pension_id;

-- step: pay
-- Every month from the one after the last paid (or the first) on whose first day the pension still
-- ran (the end recorded; a child's 23rd birthday, PP 45/2015 Pasal 16 and regulation.md §2.5), while
-- the beneficiary's status is confirmed (the last accepted proof of life, or the award, within
-- proof_months before the payroll's month); each at its year's step (the one on its schedule, or an
-- earlier one for arrears before it) within its calendar year's bounds (Pasal 18). Earlier months
-- than the payroll's are arrears. Here the months before the payroll's (%(upto)s is the month before
-- it); the payroll's month itself is the next step's.
WITH bounds AS (
    SELECT * FROM unnest(%(years)s::int[], %(mins)s::numeric[], %(maxs)s::numeric[]) AS b(year, low, high)
),
candidates AS (
    SELECT s.pension_id AS id, s.first_period, s.paid_through, s.step_start, s.step_amount,
           least(p.ended_on,
                 CASE WHEN p.kind = 'child' AND p.birth_date IS NOT NULL
                      THEN (p.birth_date + make_interval(years => %(child_max_age)s))::date - 1 END) AS last_day
    FROM benefits_pensionschedule s
    JOIN benefits_pension p ON p.id = s.pension_id
    WHERE (s.paid_through IS NULL OR s.paid_through < %(upto)s)
      AND date_trunc('month', s.confirmed_on) + make_interval(months => %(proof_months)s) > %(period)s
),
due AS (
    SELECT c.id, m.month::date AS month,
           CASE WHEN m.month >= c.step_start THEN c.step_amount
                ELSE (SELECT s.amount FROM benefits_pensionstep s
                      WHERE s.pension_id = c.id AND s.start <= m.month ORDER BY s.start DESC LIMIT 1) END AS amount
    FROM candidates c
    CROSS JOIN LATERAL generate_series(
        coalesce((c.paid_through + interval '1 month')::date, c.first_period), %(upto)s::date, interval '1 month'
    ) AS m(month)
    WHERE c.last_day IS NULL OR m.month <= c.last_day
),
priced AS (
    SELECT d.id, d.month, least(greatest(d.amount, coalesce(b.low, d.amount)), coalesce(b.high, d.amount)) AS amount
    FROM due d
    LEFT JOIN bounds b ON b.year = extract(year FROM d.month)
),
issued AS (
    INSERT INTO benefits_pensionpayment (pension_id, period, amount, arrears, state, issued_in, reference, created_at)
    SELECT id, month, amount, true, 'issued', %(period)s, '', now() FROM priced
    ON CONFLICT (pension_id, period) WHERE NOT (state IN ('failed', 'cancelled')) DO NOTHING
    RETURNING pension_id, period, amount
),
advanced AS (
    UPDATE benefits_pensionschedule s SET paid_through = x.last
    FROM (SELECT pension_id, max(period) AS last FROM issued GROUP BY pension_id) x
    WHERE s.pension_id = x.pension_id AND (s.paid_through IS NULL OR s.paid_through < x.last)
)
SELECT count(*), coalesce(sum(amount), 0) FROM issued;

-- step: month
-- The payroll's month for every pension due in it, as in "pay" (after it: paid_through is the month
-- before for every pension whose arrears were due), within the year's bounds %(low)s..%(high)s. One
-- pass over the schedules: each due one is advanced to the month and its payment written from what
-- the update returns; the pensions that may have ended are read from their partial index
-- (pension_may_end), the pensions' rows not at all. Into {payments}: when the month has no partition yet a table of its own
-- (payroll.py) holding only the month's payments moved from the default partition, and no index (a
-- live payment a pension has already is skipped by NOT EXISTS, one anti-join); else the parent, with
-- its conflict clause (a pension whose month is paid already is paid through it: advancing it is right).
WITH advanced AS (
    UPDATE benefits_pensionschedule s SET paid_through = %(period)s
    WHERE (s.paid_through IS NULL OR s.paid_through < %(period)s)
      AND coalesce((s.paid_through + interval '1 month')::date, s.first_period) <= %(period)s
      AND date_trunc('month', s.confirmed_on) + make_interval(months => %(proof_months)s) > %(period)s
      AND NOT EXISTS (SELECT 1 FROM benefits_pension p
                      WHERE p.id = s.pension_id
                        AND (p.ended_on IS NOT NULL OR p.kind = 'child')
                        AND (p.ended_on < %(period)s
                             OR (p.kind = 'child' AND p.birth_date IS NOT NULL
                                 AND (p.birth_date + make_interval(years => %(child_max_age)s))::date - 1 < %(period)s)))
      AND NOT EXISTS (SELECT 1 FROM {payments} x
                      WHERE x.pension_id = s.pension_id AND x.period = %(period)s
                        AND NOT (x.state IN ('failed', 'cancelled')))
    RETURNING s.pension_id AS id, s.step_start, s.step_amount
),
priced AS (
    SELECT id, CASE WHEN %(period)s >= step_start THEN step_amount
                    ELSE (SELECT s.amount FROM benefits_pensionstep s
                          WHERE s.pension_id = a.id AND s.start <= %(period)s ORDER BY s.start DESC LIMIT 1) END AS amount
    FROM advanced a
),
issued AS (
    INSERT INTO {payments} (pension_id, period, amount, arrears, state, issued_in, reference, created_at)
    SELECT id, %(period)s, least(greatest(amount, coalesce(%(low)s, amount)), coalesce(%(high)s, amount)),
           false, 'issued', %(period)s, '', now()
    FROM priced
    {on_conflict}
    RETURNING amount
)
SELECT count(*), coalesce(sum(amount), 0) FROM issued;

-- step: reissue
-- A payment the bank returned (failed) is issued again in the next payroll, at the same amount,
-- unless its month has a live payment already or the pension had ended before it.
WITH issued AS (
    INSERT INTO benefits_pensionpayment (pension_id, period, amount, arrears, state, issued_in, reference, created_at)
    SELECT DISTINCT ON (f.pension_id, f.period) f.pension_id, f.period, f.amount, true, 'issued', %(period)s, '', now()
    FROM benefits_pensionpayment f
    JOIN benefits_pension p ON p.id = f.pension_id
    WHERE f.state = 'failed'
      AND (p.ended_on IS NULL OR f.period <= p.ended_on)
      AND NOT EXISTS (SELECT 1 FROM benefits_pensionpayment l
                      WHERE l.pension_id = f.pension_id AND l.period = f.period
                        AND l.state NOT IN ('failed', 'cancelled'))
    ON CONFLICT (pension_id, period) WHERE NOT (state IN ('failed', 'cancelled')) DO NOTHING
    RETURNING amount
)
SELECT count(*), coalesce(sum(amount), 0) FROM issued;

-- step: end
-- A child's pension whose 23rd birthday has passed by the payroll's month ends on the day before it
-- (run first, so that the next child it hands over to is paid by this same payroll).
UPDATE benefits_pension
SET state = 'ended', ended_on = (birth_date + make_interval(years => %(child_max_age)s))::date - 1,
    ended_reason = 'Anak mencapai batas usia pensiun anak'
WHERE kind = 'child' AND state = 'in_payment' AND birth_date IS NOT NULL
  AND (birth_date + make_interval(years => %(child_max_age)s))::date - 1 < %(period)s
RETURNING id;

-- step: count
-- The pensions paid for the month (their last paid month is it or later).
SELECT count(*) FROM benefits_pensionschedule WHERE paid_through >= %(period)s;
