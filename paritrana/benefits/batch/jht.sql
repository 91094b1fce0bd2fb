-- JHT ledger jobs (batch/jht.py). Re-runnable: the partial unique indexes jht_month_once and
-- jht_return_once make a second run add nothing.
-- The credits are chains of materialised steps, each joining tables that lie together: on a Citus
-- cluster bills and payments are distributed by payer, allocations by bill and lines by person
-- (docs/scale.md), and each step's result is what the next one joins on every worker.

-- Every paid month's JHT contribution (employer 3.7 and worker 2 percent of the wage, PP 46/2015 Pasal 16) enters the
-- account on the date its bill was paid in full: the last payment applied to the bill.
-- step: credit
WITH bills AS MATERIALIZED (
    SELECT b.id, b.period, b.due_date
    FROM contributions_bill b
    WHERE b.status = 'paid' AND b.period BETWEEN %(first)s AND %(last)s
),
allocated AS MATERIALIZED (
    SELECT a.bill_id, a.bill_period, a.payment_id
    FROM contributions_allocation a
    WHERE a.bill_period BETWEEN %(first)s AND %(last)s
),
paid AS MATERIALIZED (
    SELECT a.bill_id, a.bill_period, max(p.paid_on) AS paid_on
    FROM allocated a
    JOIN contributions_payment p ON p.id = a.payment_id
    GROUP BY a.bill_id, a.bill_period
),
dated AS MATERIALIZED (
    SELECT b.id, b.period, COALESCE(paid.paid_on, b.due_date, b.period) AS entry_date
    FROM bills b
    LEFT JOIN paid ON paid.bill_id = b.id AND paid.bill_period = b.period
)
INSERT INTO benefits_jhtentry (membership_id, person_id, entry_date, kind, amount, period, note)
SELECT l.membership_id, l.person_id, d.entry_date, 'contribution', l.jht_employer + l.jht_worker, l.period, ''
FROM contributions_contributionline l
JOIN dated d ON d.id = l.bill_id AND d.period = l.period
WHERE l.jht_employer + l.jht_worker > 0
  AND l.period BETWEEN %(first)s AND %(last)s
ON CONFLICT (membership_id, period) WHERE kind = 'contribution' DO NOTHING;

-- The same for the bills just paid in full (the ids given), inside the transaction that paid them.
-- step: credit_bills
WITH allocated AS MATERIALIZED (
    SELECT a.bill_id, a.bill_period, a.payment_id
    FROM contributions_allocation a
    WHERE a.bill_id = ANY(%(bills)s)
),
paid AS MATERIALIZED (
    SELECT a.bill_id, a.bill_period, max(p.paid_on) AS paid_on
    FROM allocated a
    JOIN contributions_payment p ON p.id = a.payment_id
    GROUP BY a.bill_id, a.bill_period
),
dated AS MATERIALIZED (
    SELECT b.id, b.period, COALESCE(paid.paid_on, b.due_date, b.period) AS entry_date
    FROM contributions_bill b
    LEFT JOIN paid ON paid.bill_id = b.id AND paid.bill_period = b.period
    WHERE b.id = ANY(%(bills)s) AND b.status = 'paid'
)
INSERT INTO benefits_jhtentry (membership_id, person_id, entry_date, kind, amount, period, note)
SELECT l.membership_id, l.person_id, d.entry_date, 'contribution', l.jht_employer + l.jht_worker, l.period, ''
FROM contributions_contributionline l
JOIN dated d ON d.id = l.bill_id AND d.period = l.period
WHERE l.jht_employer + l.jht_worker > 0
ON CONFLICT (membership_id, period) WHERE kind = 'contribution' DO NOTHING;

-- step: return
-- rules/jht.py yearly_return, in SQL: earlier years' balance at the whole rate, this year's movements
-- for the months left after their month; round() on a positive numeric is half up.
INSERT INTO benefits_jhtentry (membership_id, person_id, entry_date, kind, amount, year, note)
SELECT membership_id, person_id, make_date(%(year)s, 12, 31), 'return',
       round(weighted * %(rate)s / 100, 0), %(year)s, %(note)s
FROM (
    SELECT membership_id, person_id,
           sum(CASE WHEN entry_date < make_date(%(year)s, 1, 1) THEN amount
                    ELSE amount * (12 - extract(month FROM entry_date)) / 12 END) AS weighted
    FROM benefits_jhtentry
    WHERE entry_date <= make_date(%(year)s, 12, 31)
      AND NOT (kind = 'return' AND year = %(year)s)
    GROUP BY membership_id, person_id
) w
WHERE weighted > 0
ON CONFLICT (membership_id, year) WHERE kind = 'return' DO NOTHING;
