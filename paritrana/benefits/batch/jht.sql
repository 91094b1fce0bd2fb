-- JHT ledger jobs (batch/jht.py). Re-runnable: the partial unique indexes jht_month_once and
-- jht_return_once make a second run add nothing.

-- step: credit
-- Every paid month's JHT contribution (employer 3.7 and worker 2 percent of the wage, PP 46/2015 Pasal 16) enters the
-- account on the date its bill was paid in full: the last payment applied to the bill.
WITH paid AS (
    SELECT a.bill_id, a.bill_period, max(p.paid_on) AS paid_on
    FROM contributions_allocation a
    JOIN contributions_payment p ON p.id = a.payment_id
    GROUP BY a.bill_id, a.bill_period
)
INSERT INTO benefits_jhtentry (membership_id, person_id, entry_date, kind, amount, period, note)
SELECT l.membership_id, m.person_id, COALESCE(paid.paid_on, b.due_date, b.period), 'contribution',
       l.jht_employer + l.jht_worker, l.period, ''
FROM contributions_contributionline l
JOIN contributions_bill b ON b.id = l.bill_id AND b.period = l.period
JOIN registry_membership m ON m.id = l.membership_id
LEFT JOIN paid ON paid.bill_id = b.id AND paid.bill_period = b.period
WHERE b.status = 'paid'
  AND l.jht_employer + l.jht_worker > 0
  AND l.period BETWEEN %(first)s AND %(last)s
ON CONFLICT (membership_id, period) WHERE kind = 'contribution' DO NOTHING;

-- step: credit_bills
-- The same for the bills just paid in full (%(bills)s), inside the transaction that paid them.
WITH paid AS (
    SELECT a.bill_id, a.bill_period, max(p.paid_on) AS paid_on
    FROM contributions_allocation a
    JOIN contributions_payment p ON p.id = a.payment_id
    WHERE a.bill_id = ANY(%(bills)s)
    GROUP BY a.bill_id, a.bill_period
)
INSERT INTO benefits_jhtentry (membership_id, person_id, entry_date, kind, amount, period, note)
SELECT l.membership_id, m.person_id, COALESCE(paid.paid_on, b.due_date, b.period), 'contribution',
       l.jht_employer + l.jht_worker, l.period, ''
FROM contributions_bill b
JOIN contributions_contributionline l ON l.bill_id = b.id AND l.period = b.period
JOIN registry_membership m ON m.id = l.membership_id
LEFT JOIN paid ON paid.bill_id = b.id AND paid.bill_period = b.period
WHERE b.id = ANY(%(bills)s)
  AND b.status = 'paid'
  AND l.jht_employer + l.jht_worker > 0
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
